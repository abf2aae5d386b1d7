"""How long a job has run and about how long it has left, for a person watching it."""

from datetime import datetime

from placewise.jobs.models import Job
from placewise.linkage.models import LinkageRun

# Too early to say: before this many rows, or seconds, the rate read is mostly start-up.
MIN_ROWS = 100
MIN_SECONDS = 2.0


def elapsed(job: Job, now: datetime) -> float | None:
    """Seconds since the worker took the job (to its end, once it has ended)."""
    if job.started_at is None:
        return None
    return ((job.finished_at or now) - job.started_at).total_seconds()


def remaining(job: Job, now: datetime) -> float | None:
    """About how many seconds are left, or None when there is nothing to go on: a load by its
    rows read so far against the rows expected; a linkage run by how long the last one took."""
    spent = elapsed(job, now)
    if job.finished or spent is None:
        return None
    if job.kind == Job.Kind.LINKAGE:
        last = LinkageRun.objects.order_by("-pk").values_list("seconds", flat=True).first()
        return max(last - spent, 0.0) if last is not None else None
    if not job.rows_total or job.rows_done < MIN_ROWS or spent < MIN_SECONDS:
        return None
    # Reading is most of a load's time; writing takes a few seconds more, not counted here.
    return max(spent * (job.rows_total - job.rows_done) / job.rows_done, 0.0)


def in_words(seconds: float | None) -> str:
    """'about 3 minutes', 'less than a minute', or '' when not known."""
    if seconds is None:
        return ""
    if seconds < 60:
        return "less than a minute"
    minutes = round(seconds / 60)
    return f"about {minutes} minute{'s' if minutes != 1 else ''}"


def clock(seconds: float | None) -> str:
    """Elapsed time as 'm:ss' (or 'h:mm:ss')."""
    if seconds is None:
        return ""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"
