"""Starting, cancelling, retrying and settling jobs. Each is an action (sharing/writes.py):
keyword-only, with its actor, atomic; starts, cancellations, retries and refusals are audited."""

import os
import shutil
import socket
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from placewise.jobs.models import Job
from placewise.sharing import audit, writes
from placewise.sharing.models import Membership
from placewise.sharing.permissions import Role
from placewise.sources import actions as sources
from placewise.sources.models import Load
from placewise.sources.recovery import recover

User = AbstractBaseUser | AnonymousUser


class JobRefused(Exception):
    """A person may not do this to this job; the reason says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def folder(job: Job) -> Path:
    """Where a job keeps the file it was given, until it has loaded (kept for a retry if not)."""
    return Path(settings.PLACEWISE_HOME) / "jobs" / str(job.pk)


def _empty_folder(job: Job) -> Path:
    """A new job's folder. One left with its number can only be stale (a database restored from
    an older backup numbers jobs again): it is not this job's."""
    target = folder(job)
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    return target


def is_administrator(user: User) -> bool:
    if not user.is_authenticated or user.pk is None:
        return False
    return bool(getattr(user, "is_superuser", False)) or (
        Membership.objects.filter(user_id=user.pk, role=Role.ADMINISTRATOR).exists()
    )


def may_manage(user: User, job: Job) -> str:
    """Empty if this person may watch, cancel or retry the job; otherwise why not."""
    if not user.is_authenticated:
        return "You need to sign in."
    if job.started_by_id == user.pk or is_administrator(user):
        return ""
    return (
        f"Job {job.pk} was started by {job.started_by_name}: only they or an administrator "
        "may see, cancel or retry it."
    )


@writes.action
def start_ingest(
    *,
    file: UploadedFile,
    mapping: UploadedFile | None = None,
    dry_run: bool = False,
    skip_bad_rows: bool = False,
    by: AbstractBaseUser,
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
def start_linkage(*, by: AbstractBaseUser) -> Job:
    """Queue a linkage run."""
    job = Job.objects.create(
        kind=Job.Kind.LINKAGE, started_by_id=by.pk, started_by_name=by.get_username()
    )
    return _queue(job, "queued a linkage run")


def _queue(job: Job, reason: str) -> Job:
    # The worker is told of it by jobs.tasks.queue (which imports this module, not this it).
    audit.record(actor=job.started_by_name, action="job.start", target=str(job), reason=reason)
    return job


@writes.action
def note_task(*, job: Job, task_id: str, by: str) -> Job:
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
    actor = by.get_username() if by.is_authenticated else "anonymous"
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
    actor = by.get_username() if by.is_authenticated else "anonymous"
    if reason:
        audit.record(actor=actor, action="job.retry", target=str(job), allowed=False, reason=reason)
        raise JobRefused(reason)
    assert isinstance(by, AbstractBaseUser)  # nosec B101  # may_manage refused the anonymous
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
def begin(*, job: Job, by: str) -> bool:
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
    *, job: Job, stage: str, rows_done: int, rows_total: int | None, by: str
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
    by: str,
    load: Load | None = None,
    linkage_run_id: int | None = None,
    findings: list[dict[str, Any]] | None = None,
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
    )
    job.refresh_from_db()
    audit.record(
        actor=by,
        action=f"job.{status}",
        target=str(job),
        allowed=None,
        reason=outcome[:500],
        detail={"load": load.pk if load else None, "linkage_run": linkage_run_id},
    )
    return job


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def settle_dead(*, by: str) -> list[Job]:
    """Jobs whose worker process on this machine has died: settle the stores first (recovery
    removes a dead load's half and marks its load failed, or loaded if it had committed), then
    record each job's end. Run when a worker starts and when one dies."""
    here = socket.gethostname()
    dead = [
        job
        for job in Job.objects.filter(status=Job.Status.RUNNING, worker_host=here)
        if job.worker_pid is None or not _alive(job.worker_pid)
    ]
    if not dead:
        return []
    recover(by=by)
    return [_settle(job=job, by=by) for job in dead]


@writes.action
def _settle(*, job: Job, by: str) -> Job:
    load = None
    if job.kind == Job.Kind.INGEST and (folder(job) / job.file_name).exists():
        sha = sources.file_sha256(folder(job) / job.file_name)
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
