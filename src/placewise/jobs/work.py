"""The work of a kind of job that its own app does — the figures, a review session's pack, an
export — registered here when Django starts (the app's AppConfig.ready), so a worker runs it
without this app importing the apps above it (tests/unit/test_layers.py). Loads and linkage runs
are this app's own (jobs/tasks.py).

Registered by dotted path and imported when a job of the kind first runs: every command and
every web worker starts Django, and the work's modules (the export, the pack's PDF) are among
the heaviest to import."""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.models import User
from django.utils.module_loading import import_string

from placewise.jobs.models import Job
from placewise.sharing import actors

# What the work is doing: a stage in words, steps done and steps in all (None: not known).
Progress = Callable[[str, int, int | None], None]


@dataclass(frozen=True)
class Done:
    """How the work ended, in words for its starter; a file it left in the job's folder."""

    outcome: str
    ok: bool = True
    download: str = ""


class Refused(Exception):
    """The work may not be done for this person now (their roles changed since they started
    it, say): the job fails with the reason."""


def starter(job: Job) -> User:
    """Whom a job's work is done for, as its writes name them: the person who started it (an
    account is deactivated, never deleted, so it is there; else the worker in their name)."""
    return job.started_by or actors.worker_for(job.started_by_name)


Work = Callable[[Job, Path, Progress], Done]
_WORK: dict[str, str] = {}


def register(kind: str, work: str) -> None:
    """Name the function (`package.module.function`) that does the work of jobs of this kind."""
    _WORK[kind] = work


def work_for(kind: str) -> Work:
    try:
        path = _WORK[kind]
    except KeyError:
        raise LookupError(f"no work is registered for jobs of kind '{kind}'") from None
    found: Work = import_string(path)
    return found
