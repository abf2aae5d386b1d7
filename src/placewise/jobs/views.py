"""A job's page: what it is doing and, when it ends, what it did; cancelling and retrying."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from placewise.jobs import actions, estimates, tasks
from placewise.jobs.models import Job
from placewise.sharing.access import AccessDenied


def _job_for(request: HttpRequest, pk: int) -> Job:
    job = get_object_or_404(Job.objects.select_related("load", "linkage_run"), pk=pk)
    reason = actions.may_manage(request.user, job)
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
        "rows": (
            f"{job.rows_done:,} of about {job.rows_total:,} rows"
            if job.rows_total
            else f"{job.rows_done:,} rows"
        ),
        "elapsed": estimates.clock(spent),
        "remaining": estimates.in_words(left),
        "finished": job.finished,
        "cancel_requested": job.cancel_requested,
    }


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
        job = actions.cancel(job=job, by=request.user)
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
        again = tasks.queue(actions.retry(job=job, by=request.user))
    except actions.JobRefused as refused:
        return render(request, "web/denied.html", {"reason": refused.reason}, status=403)
    messages.success(request, f"Started again as job {again.pk}.")
    return redirect(again)
