"""Reads about jobs: where a job keeps its files, who may see one, and whose jobs a person sees.
Nothing here writes (the writes are jobs/actions.py)."""

from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from placewise.jobs.models import Job
from placewise.sharing.models import Membership
from placewise.sharing.permissions import Role

User = AbstractBaseUser | AnonymousUser


def folder(job: Job) -> Path:
    """Where a job keeps the file it was given, until it has loaded (kept for a retry if not),
    and a file it made for its starter (a pack, an export)."""
    return Path(settings.PLACEWISE_HOME) / "jobs" / str(job.pk)


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


def jobs_for(user: User) -> QuerySet[Job]:
    """The jobs a person may see, newest first: their own; every job, for an administrator."""
    if not user.is_authenticated:
        return Job.objects.none()
    found = Job.objects.select_related("load")
    return found if is_administrator(user) else found.filter(started_by_id=user.pk)
