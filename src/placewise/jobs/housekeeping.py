"""Retention as a job: end the agreements past their end date, delete each source's data past
its retention period, and delete old jobs' files — what `placewise retention apply` does, run by
the worker with its progress shown."""

from datetime import date
from pathlib import Path

from django.conf import settings

from placewise.jobs import actions, work
from placewise.jobs.at_retention import other_steps
from placewise.jobs.models import Job
from placewise.sharing import actions as sharing
from placewise.sources import retention


def apply_retention(job: Job, folder: Path, progress: work.Progress) -> work.Done:
    by = work.starter(job)
    today = date.today()
    progress("Ending agreements past their end date", 0, None)
    ended = sharing.expire_due(today=today, by=by)
    purged = retention.apply(
        today=today,
        by=by,
        on_source=lambda source, done, total: progress(
            f"Deleting {source}'s data past its retention", done, total
        ),
    )
    progress("Deleting old jobs' files", len(purged), len(purged))
    forgotten = actions.forget_old_files(days=settings.PLACEWISE_JOB_FILES_DAYS, by=by)
    others = other_steps(today=today, by=by)
    deleted = sum(p.events for p in purged)
    return work.Done(
        f"{len(ended):,} agreement{'s' if len(ended) != 1 else ''} ended; "
        f"{deleted:,} event{'s' if deleted != 1 else ''} past retention deleted from "
        f"{len(purged):,} source{'s' if len(purged) != 1 else ''}; "
        f"the files of {len(forgotten):,} old job{'s' if len(forgotten) != 1 else ''} deleted"
        + "".join(f"; {words}" for words in others)
        + "."
    )
