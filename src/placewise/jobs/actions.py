"""Starting, cancelling, retrying and settling jobs. Each is an action (sharing/writes.py):
keyword-only, with its actor, atomic; starts, cancellations, retries and refusals are audited."""

import os
import shutil
import socket
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from placewise.jobs.models import Job
from placewise.jobs.queries import folder, may_manage
from placewise.sharing import audit, writes
from placewise.sources import actions as sources
from placewise.sources import files
from placewise.sources.models import Load


class JobRefused(Exception):
    """A person may not do this to this job; the reason says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _empty_folder(job: Job) -> Path:
    """A new job's folder. One left with its number can only be stale (a database restored from
    an older backup numbers jobs again): it is not this job's."""
    target = folder(job)
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    return target


@writes.action
def start_ingest(
    *,
    file: UploadedFile,
    mapping: UploadedFile | None = None,
    dry_run: bool = False,
    skip_bad_rows: bool = False,
    by: User,
) -> Job:
    """Keep an uploaded file (and its mapping) in a job's folder, for a worker to load (the
    caller queues it: jobs.tasks.queue)."""
    # Keep only the base name: the uploaded name is the user's to choose.
    name = Path(file.name or "upload").name
    job = Job.objects.create(
        kind=Job.Kind.INGEST,
        file_name=name,
        options={"dry_run": dry_run, "skip_bad_rows": skip_bad_rows, "mapping": bool(mapping)},
        started_by_id=by.pk,
        started_by_name=by.get_username(),
    )
    target = _empty_folder(job)
    with (target / name).open("wb") as handle:
        for chunk in file.chunks():
            handle.write(chunk)
    if mapping is not None:
        (target / "mapping.toml").write_bytes(mapping.read())
    return _queue(job, f"queued {name} to load" + (" (dry run)" if dry_run else ""))


@writes.action
def start_linkage(*, by: User) -> Job:
    """Queue a linkage run."""
    job = Job.objects.create(
        kind=Job.Kind.LINKAGE, started_by_id=by.pk, started_by_name=by.get_username()
    )
    return _queue(job, "queued a linkage run")


@writes.action
def start(*, kind: str, options: dict[str, Any], by: User, about: str) -> Job:
    """Queue a job of one of the kinds its own app does (jobs/work.py): the figures, retention,
    a review session's pack, an export. The page that starts it has checked the person may; the
    work checks again when it runs. `about`: what the audit log says was started."""
    job = Job.objects.create(
        kind=kind, options=options, started_by_id=by.pk, started_by_name=by.get_username()
    )
    return _queue(job, f"queued: {about}")


def _queue(job: Job, reason: str) -> Job:
    # The worker is told of it by jobs.tasks.queue (which imports this module, not this it).
    audit.record(actor=job.started_by_name, action="job.start", target=str(job), reason=reason)
    return job


@writes.action
def note_task(*, job: Job, task_id: str, by: User) -> Job:
    """Remember which queued task runs the job."""
    Job.objects.filter(pk=job.pk).update(task_id=task_id)
    job.refresh_from_db()
    return job


@writes.action
def cancel(*, job: Job, by: User) -> Job:
    """Cancel a job: at once if it has not started; a running load stops at its next report of
    progress, with nothing written. Refused to anyone but its starter or an administrator."""
    job = Job.objects.select_for_update().get(pk=job.pk)
    reason = may_manage(by, job) or _why_not_cancellable(job)
    actor = by.get_username()
    if reason:
        audit.record(
            actor=actor, action="job.cancel", target=str(job), allowed=False, reason=reason
        )
        raise JobRefused(reason)
    if job.status == Job.Status.QUEUED:
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.CANCELLED,
            stage="Cancelled",
            finished_at=timezone.now(),
            outcome=f"Cancelled by {actor} before it started; nothing was loaded.",
        )
    else:
        Job.objects.filter(pk=job.pk).update(cancel_requested=True, stage="Cancelling")
    audit.record(actor=actor, action="job.cancel", target=str(job), allowed=True)
    job.refresh_from_db()
    return job


def _why_not_cancellable(job: Job) -> str:
    if job.finished:
        return f"Job {job.pk} has already ended ({job.get_status_display().lower()})."
    if job.status == Job.Status.RUNNING and job.kind == Job.Kind.LINKAGE:
        return (
            "A linkage run cannot be stopped once it has started: it writes its links in one "
            "step at the end. Wait for it to finish."
        )
    if job.status == Job.Status.RUNNING and job.kind != Job.Kind.INGEST:
        return (
            f"This job ({job.get_kind_display().lower()}) cannot be stopped once it has "
            "started. Wait for it to finish: it is usually quick."
        )
    if job.stage == sources.WRITING:
        return "Too late to cancel: the file is being written to the stores, all at once."
    return ""


@writes.action
def retry(*, job: Job, by: User) -> Job:
    """Start a failed or cancelled job again, as a new job with the same file and options."""
    reason = may_manage(by, job)
    if not reason and job.status not in (Job.Status.FAILED, Job.Status.CANCELLED):
        reason = f"Only a failed or cancelled job can be retried; job {job.pk} is {job.status}."
    if not reason and job.kind == Job.Kind.INGEST and not (folder(job) / job.file_name).exists():
        reason = f"Job {job.pk}'s file is no longer kept: upload it again."
    actor = by.get_username()
    if reason:
        audit.record(actor=actor, action="job.retry", target=str(job), allowed=False, reason=reason)
        raise JobRefused(reason)
    again = Job.objects.create(
        kind=job.kind,
        file_name=job.file_name,
        options=job.options,
        started_by_id=by.pk,
        started_by_name=actor,
        retry_of=job,
    )
    if job.kind == Job.Kind.INGEST:
        shutil.copytree(folder(job), _empty_folder(again), dirs_exist_ok=True)
    return _queue(again, f"retry of job {job.pk}")


@writes.action
def begin(*, job: Job, by: User) -> bool:
    """The worker takes the job; False if it was cancelled while it waited."""
    claimed = Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING,
        stage="Starting",
        started_at=timezone.now(),
        worker_host=socket.gethostname(),
        worker_pid=os.getpid(),
    )
    return bool(claimed)


@writes.action
def report_progress(
    *, job: Job, stage: str, rows_done: int, rows_total: int | None, by: User
) -> bool:
    """Record what a running job is doing (not audited: many times a minute). True if someone
    has asked to cancel it."""
    Job.objects.filter(pk=job.pk).update(stage=stage, rows_done=rows_done, rows_total=rows_total)
    return bool(Job.objects.filter(pk=job.pk, cancel_requested=True).exists())


@writes.action
def finish(
    *,
    job: Job,
    status: str,
    outcome: str,
    ok: bool | None,
    by: User,
    load: Load | None = None,
    linkage_run_id: int | None = None,
    findings: list[dict[str, Any]] | None = None,
    download: str = "",
) -> Job:
    """Record how a job ended, and audit it."""
    Job.objects.filter(pk=job.pk).update(
        status=status,
        stage=Job.Status(status).label,
        outcome=outcome,
        ok=ok,
        finished_at=timezone.now(),
        load=load,
        linkage_run_id=linkage_run_id,
        findings=findings or [],
        download=download,
    )
    job.refresh_from_db()
    audit.record(
        actor=by.get_username(),
        action=f"job.{status}",
        target=str(job),
        allowed=None,
        reason=outcome[:500],
        detail={"load": load.pk if load else None, "linkage_run": linkage_run_id},
    )
    return job


@writes.action
def settle(*, job: Job, by: User) -> Job:
    """Record how a job ended whose worker died, once recovery has settled the stores: done if
    its load had committed, else failed (jobs.workers.settle_dead)."""
    load = None
    if job.kind == Job.Kind.INGEST and (folder(job) / job.file_name).exists():
        sha = files.file_sha256(folder(job) / job.file_name)
        load = (
            Load.objects.filter(file_sha256=sha, started_at__gte=job.started_at)
            .order_by("-pk")
            .first()
        )
    if load is not None and load.status == Load.Status.LOADED:
        return finish(
            job=job,
            status=Job.Status.DONE,
            outcome=f"{load.message}. The worker stopped after the load committed; recovery "
            "recorded it.",
            ok=True,
            load=load,
            by=by,
        )
    return finish(
        job=job,
        status=Job.Status.FAILED,
        outcome=(
            f"The worker (process {job.worker_pid}) stopped before the job finished. Nothing "
            "was half-written: recovery removed what it had written and put back what it had "
            "replaced. Retry it."
        ),
        ok=False,
        load=load,
        by=by,
    )


@writes.action
def forget_old_files(*, days: int, by: User) -> list[Job]:
    """Delete the files of jobs that ended more than `days` ago: a failed or cancelled upload
    kept for a retry (people's data that was never loaded), a pack or export made to download.
    Such a job can no longer be retried; the record of it stays. Audited, one entry a job."""
    before = timezone.now() - timedelta(days=days)
    forgotten = []
    for job in Job.objects.filter(status__in=Job.FINISHED, finished_at__lt=before):
        if not folder(job).exists():
            continue
        shutil.rmtree(folder(job))
        audit.record(
            actor=by.get_username(),
            action="job.files_deleted",
            target=str(job),
            reason=f"ended {job.finished_at:%d %B %Y}, more than {days} days ago",
        )
        forgotten.append(job)
    return forgotten
