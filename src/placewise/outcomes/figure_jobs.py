"""The figures' work for the jobs' worker (jobs/work.py): working the indicators out again, and
exporting every indicator to a file its starter downloads from the job's page."""

from pathlib import Path
from typing import Any

from placewise.jobs import work
from placewise.jobs.models import Job
from placewise.outcomes import actions, data
from placewise.outcomes.visibility import visible
from placewise.sharing import versions

FORMATS = ("xlsx", "csv")


def refresh(job: Job, folder: Path, progress: work.Progress) -> work.Done:
    number = versions.data()
    progress("Working out every indicator, its signals and what partners see", 0, 1)
    data.work_out(number)
    series = len(data.all_signals())
    return work.Done(f"{series:,} indicator series worked out for version {number} of the data.")


def audience_for(user: Any) -> tuple[str, set[str], str]:
    """What this person may export: the indicators they may see, as exact counts for the place
    and every team if each counts only their organisation's data, else the place's figures as
    partners see them (small counts withheld); or why nothing."""
    views, _ = visible(user)
    if not views:
        return "", set(), "No indicator you may see has any data yet."
    return ("own" if all(v.full for v in views.values()) else "partners"), set(views), ""


def export(job: Job, folder: Path, progress: work.Progress) -> work.Done:
    kind = job.options.get("format", "")
    if kind not in FORMATS:
        raise work.Refused(f"an export is an XLSX workbook or a CSV file, not '{kind}'")
    if job.started_by is None:
        raise work.Refused("the person who asked for it no longer exists")
    progress("Checking what you may see", 0, 3)
    audience, shown, reason = audience_for(job.started_by)
    if reason:
        raise work.Refused(reason)
    progress("Working out the figures", 1, 3)
    data.table()
    progress("Writing the file", 2, 3)
    name = f"indicators-{audience}.{kind}"
    rows = actions.export(out=folder / name, audience=audience, only=shown, by=job.started_by)
    what = (
        "the place's figures as partners may see them (small counts withheld)"
        if audience == "partners"
        else "exact counts for the place and every team: keep them inside your organisation"
    )
    return work.Done(
        f"{rows:,} rows of {len(shown):,} indicator{'s' if len(shown) != 1 else ''}: {what}.",
        download=name,
    )
