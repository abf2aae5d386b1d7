"""A review session's pack made by the jobs' worker (jobs/work.py): the chair asks for it on the
session's page and follows the job to its download. Made as its starter may see the figures,
checked again when it runs: a chair who has since lost the session is refused."""

from pathlib import Path

from placewise.jobs import work
from placewise.jobs.models import Job
from placewise.reviews import joining, pack
from placewise.reviews.models import ReviewSession
from placewise.sharing import audit
from placewise.sharing.access import AccessDenied

FORMATS = {"xlsx": "workbook of the numbers", "pdf": "PDF with charts"}


def make_pack(job: Job, folder: Path, progress: work.Progress) -> work.Done:
    kind = job.options.get("format", "")
    if kind not in FORMATS:
        raise work.Refused(f"a pack is a PDF or an XLSX workbook, not '{kind}'")
    session = ReviewSession.objects.filter(pk=job.options.get("session")).first()
    if session is None or job.started_by is None:
        raise work.Refused("the review session, or the person who asked, no longer exists")
    try:
        chairs = joining.attendance(job.started_by, session).chairs
    except AccessDenied as refused:
        raise work.Refused(refused.reason) from None
    if not chairs:
        raise work.Refused(
            f"only those who run {session.organisation.name}'s review sessions may take its pack"
        )
    progress("Working out the figures you may see", 0, 2)
    signals, full = pack.inputs(job.started_by)
    progress("Drawing the charts" if kind == "pdf" else "Writing the workbook", 1, 2)
    made = pack.pdf if kind == "pdf" else pack.workbook
    name = f"review-{session.pk}-{session.held_on}.{kind}"
    (folder / name).write_bytes(made(session, signals, full=full))
    audit.record(
        actor=job.started_by_name,
        action="review.pack",
        target=f"{session} (PDF)" if kind == "pdf" else str(session),
    )
    return work.Done(f"The pack for {session} is ready: {FORMATS[kind]}.", download=name)
