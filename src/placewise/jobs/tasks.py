"""What a worker runs: a job, from its record to its end. Queued on the Django Tasks API's
database backend (ADR 0023); `placewise worker` runs them.

A job's work is the same code the command line runs (sources.actions.ingest, linkage.run.link),
told to report its progress to the job's record; a cancelled load stops before it writes. Other
kinds' work is registered by the app that does it (jobs/work.py); retention's is jobs/housekeeping.py."""

import shutil
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django_tasks import task

from placewise.jobs import actions, work
from placewise.jobs.models import Job
from placewise.jobs.queries import folder
from placewise.linkage.run import CannotTrain, link
from placewise.sharing import actors
from placewise.sources import actions as sources

# At most this many of a dry run's findings are kept on the job (a load keeps its own).
FINDINGS_KEPT = 200


class Cancelled(Exception):
    """Someone asked to cancel the job while it read the file."""


def queue(job: Job) -> Job:
    """Hand a new job to the workers."""
    result = run_job.enqueue(job.pk)
    return actions.note_task(job=job, task_id=str(result.id), by=work.starter(job))


@task()
def run_job(job_id: int) -> str:
    """Run one job to its end, recording how it ended whatever happens."""
    job = Job.objects.get(pk=job_id)
    actor = actors.worker_for(job.started_by_name)
    if not actions.begin(job=job, by=actor):
        return "not started: cancelled while it waited"
    job.refresh_from_db()
    try:
        if job.kind == Job.Kind.INGEST:
            ended = _ingest(job, actor)
        elif job.kind == Job.Kind.LINKAGE:
            ended = _link(job, actor)
        else:
            ended = _registered(job, actor)
    except work.Refused as refused:
        ended = actions.finish(
            job=job, status=Job.Status.FAILED, outcome=f"Not done: {refused}", ok=False, by=actor
        )
    except Cancelled:
        ended = actions.finish(
            job=job,
            status=Job.Status.CANCELLED,
            outcome="Cancelled while the file was being read; nothing was loaded.",
            ok=False,
            by=actor,
        )
    except Exception as error:  # any failure ends the job, with its reason
        ended = actions.finish(
            job=job,
            status=Job.Status.FAILED,
            outcome=f"Failed: {type(error).__name__}: {error}",
            ok=False,
            by=actor,
        )
    if ended.status == Job.Status.DONE and not ended.download:
        # A file that was read to its end is not kept: only a failed or cancelled job's file is,
        # for a retry, and a file made to download (both until retention deletes them).
        shutil.rmtree(folder(job), ignore_errors=True)
    return ended.status


def _ingest(job: Job, actor: User) -> Job:
    kept = folder(job)
    mapping = kept / "mapping.toml"

    def progress(stage: str, rows_done: int, rows_total: int | None) -> None:
        wanted = actions.report_progress(
            job=job, stage=stage, rows_done=rows_done, rows_total=rows_total, by=actor
        )
        if wanted and stage != sources.WRITING:
            raise Cancelled()

    outcome = sources.ingest(
        Path(kept / job.file_name),
        by=work.starter(job),
        mapping=mapping if mapping.exists() else None,
        dry_run=bool(job.options.get("dry_run")),
        skip_bad_rows=bool(job.options.get("skip_bad_rows")),
        on_progress=progress,
    )
    findings: list[dict[str, Any]] = []
    if outcome.status == sources.Result.VALIDATED:
        findings = [
            {"reason": i.reason, "row": i.row, "column": i.column, "severity": i.severity}
            for i in outcome.issues[:FINDINGS_KEPT]
        ]
    return actions.finish(
        job=job,
        status=Job.Status.FAILED if outcome.status == sources.Result.FAILED else Job.Status.DONE,
        outcome=f"{job.file_name}: {outcome.message}",
        ok=outcome.ok,
        load=outcome.load,
        findings=findings,
        by=actor,
    )


def _link(job: Job, actor: User) -> Job:
    actions.report_progress(
        job=job, stage="Linking records into people", rows_done=0, rows_total=None, by=actor
    )
    try:
        run = link(by=work.starter(job))
    except CannotTrain as error:
        return actions.finish(
            job=job, status=Job.Status.DONE, outcome=f"Not linked: {error}", ok=False, by=actor
        )
    return actions.finish(
        job=job,
        status=Job.Status.DONE,
        outcome=(
            f"{run.records:,} source records linked into {run.people:,} people in "
            f"{run.seconds:.0f} s; {run.review_queue:,} uncertain pairs wait for clerical review."
        ),
        ok=True,
        linkage_run_id=run.run_id,
        by=actor,
    )


def _registered(job: Job, actor: User) -> Job:
    """A kind of job whose work its own app registered: run it with a folder of its own for a
    file it makes, reporting its stages to the job's record."""
    kept = folder(job)
    kept.mkdir(parents=True, exist_ok=True)

    def progress(stage: str, done: int, total: int | None) -> None:
        actions.report_progress(job=job, stage=stage, rows_done=done, rows_total=total, by=actor)

    done = work.work_for(job.kind)(job, kept, progress)
    return actions.finish(
        job=job,
        status=Job.Status.DONE,
        outcome=done.outcome,
        ok=done.ok,
        download=done.download,
        by=actor,
    )
