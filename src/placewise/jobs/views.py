"""A job's page: what it is doing and, when it ends, what it did; cancelling and retrying."""

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from placewise.governance.queries import signed_in
from placewise.jobs import actions, estimates, queries, tasks
from placewise.jobs.models import Job
from placewise.sharing import audit
from placewise.sharing.access import AccessDenied

CONTENT_TYPES = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pdf": "application/pdf",
    ".csv": "text/csv; charset=utf-8",
}
# What a job's steps are counted in, by kind: a load reads rows; the rest go in stages.
COUNTED = {Job.Kind.INGEST: "rows", Job.Kind.LINKAGE: "rows"}


def _job_for(request: HttpRequest, pk: int) -> Job:
    job = get_object_or_404(Job.objects.select_related("load", "linkage_run"), pk=pk)
    reason = queries.may_manage(request.user, job)
    if reason:
        raise AccessDenied(reason)
    return job


def progress_of(job: Job) -> dict[str, object]:
    """What the page shows of a job that is still going, and what its script fetches."""
    now = timezone.now()
    spent = estimates.elapsed(job, now)
    left = estimates.remaining(job, now)
    return {
        "status": job.status,
        "status_label": job.get_status_display(),
        "stage": job.stage,
        "rows_done": job.rows_done,
        "rows_total": job.rows_total,
        "rows": _done(job),
        "elapsed": estimates.clock(spent),
        "remaining": estimates.in_words(left),
        "finished": job.finished,
        "cancel_requested": job.cancel_requested,
    }


def _done(job: Job) -> str:
    unit = COUNTED.get(Job.Kind(job.kind), "steps")
    if unit == "rows":
        if job.rows_total:
            return f"{job.rows_done:,} of about {job.rows_total:,} row{_s(job.rows_total)}"
        return f"{job.rows_done:,} row{_s(job.rows_done)}"
    if job.rows_total:
        return f"{job.rows_done:,} of {job.rows_total:,} step{_s(job.rows_total)}"
    return "not counted"


def _s(count: int) -> str:
    return "" if count == 1 else "s"


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    """Your jobs, newest first (an administrator sees everyone's), and for an administrator the
    place's housekeeping to start."""
    administrator = queries.is_administrator(request.user)
    page = Paginator(queries.jobs_for(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "jobs/jobs.html", {"page": page, "administrator": administrator})


@login_required
@require_POST
def start_housekeeping(request: HttpRequest, kind: str) -> HttpResponse:
    """An administrator starts working the figures out again, or retention (which the daily
    `placewise retention apply` also does)."""
    user = request.user
    if not queries.is_administrator(user) or not isinstance(user, User):
        raise AccessDenied(
            "Only an administrator may work the figures out again or apply retention."
        )
    about = {
        Job.Kind.REFRESH: "working out the indicators again",
        Job.Kind.RETENTION: "retention: agreements past their end, data past its retention",
    }
    if kind not in about:
        raise Http404("No such job.")
    job = actions.start(kind=kind, options={}, by=user, about=about[Job.Kind(kind)])
    return redirect(tasks.queue(job))


@login_required
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    """The file a job made (a pack, an export), for its starter or an administrator; audited."""
    job = _job_for(request, pk)
    kept = queries.folder(job) / job.download
    if not job.download or not kept.is_file():
        raise Http404(
            f"Job {job.pk} has no file to download"
            + (": it was deleted after its time was up. Start it again." if job.download else ".")
        )
    audit.record(actor=request.user.get_username(), action="job.download", target=str(job))
    kind = CONTENT_TYPES.get(Path(job.download).suffix, "application/octet-stream")
    return FileResponse(
        kept.open("rb"), as_attachment=True, filename=job.download, content_type=kind
    )


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for(request, pk)
    return render(request, "jobs/job.html", {"job": job, "progress": progress_of(job)})


@login_required
def job_progress(request: HttpRequest, pk: int) -> JsonResponse:
    return JsonResponse(progress_of(_job_for(request, pk)))


@login_required
@require_POST
def job_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(Job, pk=pk)
    try:
        job = actions.cancel(job=job, by=signed_in(request))
    except actions.JobRefused as refused:
        return render(request, "web/denied.html", {"reason": refused.reason}, status=403)
    messages.success(
        request,
        "Job cancelled." if job.finished else "Cancelling: the job stops at its next step.",
    )
    return redirect(job)


@login_required
@require_POST
def job_retry(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(Job, pk=pk)
    try:
        again = tasks.queue(actions.retry(job=job, by=signed_in(request)))
    except actions.JobRefused as refused:
        return render(request, "web/denied.html", {"reason": refused.reason}, status=403)
    messages.success(request, f"Started again as job {again.pk}.")
    return redirect(again)
