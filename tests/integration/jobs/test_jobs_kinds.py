"""The other kinds of job (issue 16, item 3): a review session's pack, the export of every
indicator, working the indicators out again and retention, each started from its page, run by
the worker's step, and ended with what it did (a file to download for the pack and the export);
"Your jobs" in the Data area; a failed job's file deleted by retention once its time is up."""

import csv
import io
import os
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from placewise.cli import main
from placewise.jobs import actions, queries, tasks
from placewise.jobs.models import Job
from placewise.outcomes.visibility import visible
from placewise.reviews.models import AgendaItem
from placewise.sharing.models import AuditEntry
from placewise.sharing.permissions import Role
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def queued(settings, tmp_path):
    """Jobs wait in the database until the worker's step runs them, as in production."""
    settings.PLACEWISE_HOME = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def ada(people):
    return factories.person("ada", (people["orgs"]["council"], Role.ADMINISTRATOR))


@pytest.fixture
def session(council_loaded, people):
    made = factories.review_session(people["alice"])
    AgendaItem.objects.create(
        session=made, indicator="referrals", team="Place", origin="concern", highlight="Up"
    )
    return made


def run(job_id: int) -> Job:
    tasks.run_job.call(job_id)
    return Job.objects.get(pk=job_id)


def started(response) -> Job:
    assert response.status_code == 302 and response["Location"].startswith("/data/jobs/")
    return Job.objects.get(pk=int(response["Location"].split("/")[3]))


def test_the_pack_is_made_by_a_job_and_downloaded_by_its_chair_only(client, people, session):
    client.force_login(people["alice"])
    # Asking for it shows the button that starts it: a GET starts nothing.
    page = client.get(reverse("reviews:review_pack_pdf", args=[session.pk]))
    assert page.status_code == 200 and "Make the pack" in page.content.decode()
    assert not Job.objects.exists()
    job = started(client.post(reverse("reviews:review_pack_pdf", args=[session.pk])))
    assert job.kind == Job.Kind.PACK and job.status == Job.Status.QUEUED
    job = run(job.pk)
    name = f"review-{session.pk}-2026-01-15.pdf"
    assert job.status == Job.Status.DONE and job.download == name
    assert (job.rows_done, job.rows_total) == (1, 2)  # its last stage of two
    shown = client.get(job.get_absolute_url()).content.decode()
    assert f"Download {name}" in shown
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content)[:5] == b"%PDF-"
    assert AuditEntry.objects.filter(action="review.pack", actor="alice").count() == 1
    assert AuditEntry.objects.filter(action="job.download", actor="alice").count() == 1
    # Someone else may not take it, and is told whose it is.
    client.force_login(people["bob"])
    refused = client.get(reverse("jobs:download", args=[job.pk]))
    assert refused.status_code == 403
    assert "only they or an administrator" in refused.content.decode()


def test_a_pack_whose_chair_lost_the_session_before_it_ran_fails_saying_why(
    client, people, session
):
    client.force_login(people["alice"])
    job = started(client.post(reverse("reviews:review_pack", args=[session.pk])))
    session.chair = people["bob"]
    session.organisation = people["orgs"]["health"]
    session.save()
    job = run(job.pk)
    assert job.status == Job.Status.FAILED and job.download == ""
    assert "Northshire NHS Foundation Trust" in job.outcome
    assert not list(queries.folder(job).glob("review-*"))


def test_the_export_of_the_indicators_one_may_see_is_a_job_with_its_file(
    client, people, council_loaded
):
    client.force_login(people["alice"])
    overview = client.get(reverse("outcomes:overview"))
    assert reverse("outcomes:export") in overview.content.decode()
    seen = set(visible(people["alice"])[0])  # what the pages show her, charted or not yet
    # Two indicators count data no agreement shares with the council: the export leaves them
    # out, as the overview does. The rest count only the council's returns: exact counts.
    assert overview.context["hidden"] == 2
    page = client.get(reverse("outcomes:export")).content.decode()
    assert "exact counts for the place and every team" in page
    job = started(client.post(reverse("outcomes:export"), {"format": "csv"}))
    job = run(job.pk)
    assert job.status == Job.Status.DONE and job.download == "indicators-own.csv"
    body = b"".join(client.get(reverse("jobs:download", args=[job.pk])).streaming_content)
    header, *rows = list(csv.reader(io.StringIO(body.decode())))
    assert header[0] == "indicator" and header[3] == "team"
    # Rows only of indicators she may see (one with no months yet has none).
    assert rows and {r[0] for r in rows} <= seen and "Place" in {r[3] for r in rows}
    assert len({r[3] for r in rows}) > 1  # and the teams' figures
    assert f"{len(rows):,} rows of {len(seen)} indicators" in job.outcome
    entry = AuditEntry.objects.get(action="indicators.export")
    assert entry.actor == "alice" and entry.detail["indicators"] == sorted(seen)


def test_a_partners_export_is_what_partners_may_see(client, people, council_loaded):
    client.force_login(people["bob"])
    page = client.get(reverse("outcomes:export")).content.decode()
    assert "as partners may see them" in page
    job = run(started(client.post(reverse("outcomes:export"), {"format": "xlsx"})).pk)
    assert job.download == "indicators-partners.xlsx"
    body = b"".join(client.get(reverse("jobs:download", args=[job.pk])).streaming_content)
    assert body[:2] == b"PK"
    assert AuditEntry.objects.get(action="indicators.export").detail["audience"] == "partners"


def test_an_export_with_no_kind_of_file_is_refused_naming_the_field(client, people, council_loaded):
    client.force_login(people["alice"])
    response = client.post(reverse("outcomes:export"), {"format": "docx"})
    text = response.content.decode()
    assert response.status_code == 400 and "<title>Error: " in text
    assert 'href="#format"' in text and "Choose the kind of file" in text
    assert not Job.objects.exists()


def test_working_the_figures_out_and_retention_are_an_administrators(
    client, people, ada, council_loaded
):
    client.force_login(people["alice"])
    refused = client.post(reverse("jobs:start", args=["refresh"]))
    assert refused.status_code == 403 and "Only an administrator" in refused.content.decode()
    assert "housekeeping" not in client.get(reverse("jobs:list")).content.decode()
    client.force_login(ada)
    assert 'data-testid="housekeeping"' in client.get(reverse("jobs:list")).content.decode()
    job = run(started(client.post(reverse("jobs:start", args=["refresh"]))).pk)
    assert job.status == Job.Status.DONE and "indicator series worked out" in job.outcome
    job = run(started(client.post(reverse("jobs:start", args=["retention"]))).pk)
    # The council's sources, each in turn: the last stage counts how many there were.
    assert job.status == Job.Status.DONE and job.rows_total == job.rows_done
    assert "0 agreements ended" in job.outcome
    assert client.post(reverse("jobs:start", args=["ingest"])).status_code == 404


def test_your_jobs_lists_your_own_and_an_administrator_sees_everyones(
    client, people, ada, fresh_stores
):
    mine = actions.start_linkage(by=people["bob"])
    theirs = actions.start_linkage(by=people["alice"])
    client.force_login(people["bob"])
    page = client.get(reverse("jobs:list"))
    assert list(page.context["page"].object_list) == [mine]
    assert "Your jobs" in page.content.decode()
    # In the menu, for anyone signed in.
    assert f'href="{reverse("jobs:list")}"' in client.get(reverse("data:home")).content.decode()
    client.force_login(ada)
    page = client.get(reverse("jobs:list"))
    assert list(page.context["page"].object_list) == [theirs, mine]
    assert "Started by" in page.content.decode()


def _failed(job: Job, days_ago: int) -> None:
    kept = queries.folder(job)
    kept.mkdir(parents=True)
    (kept / "nursing.csv").write_text("Ref\nSN1\n")
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.FAILED, finished_at=timezone.now() - timedelta(days=days_ago)
    )


def test_retention_deletes_a_failed_jobs_file_once_its_time_is_up(people, fresh_stores, settings):
    settings.PLACEWISE_JOB_FILES_DAYS = 30
    old = actions.start_linkage(by=people["bob"])
    recent = actions.start_linkage(by=people["bob"])
    running = actions.start_linkage(by=people["bob"])
    _failed(old, days_ago=31)
    _failed(recent, days_ago=29)
    queries.folder(running).mkdir(parents=True)
    assert main(["retention", "apply"]) == 0
    assert not queries.folder(old).exists()
    assert (queries.folder(recent) / "nursing.csv").exists()
    assert queries.folder(running).exists()  # not ended: not its time
    entry = AuditEntry.objects.get(action="job.files_deleted")
    assert entry.target == str(Job.objects.get(pk=old.pk)) and "more than 30 days" in entry.reason
    # Its file gone, the job cannot be retried, and says so.
    Job.objects.filter(pk=old.pk).update(kind=Job.Kind.INGEST, file_name="nursing.csv")
    with pytest.raises(actions.JobRefused, match="no longer kept: upload it again"):
        actions.retry(job=Job.objects.get(pk=old.pk), by=people["bob"])
    assert os.listdir(queries.folder(recent)) == ["nursing.csv"]
