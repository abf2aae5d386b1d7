"""Background jobs (issue 16, item 3): an upload returns at once to its job; the job is queued,
run by the worker's step, and ends done, failed or cancelled with what it did; only its starter
or an administrator may watch, cancel or retry it; a job whose worker died is settled as failed
and can be retried."""

import os
import socket
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from placewise.jobs import actions, queries, tasks, workers
from placewise.jobs.models import Job
from placewise.sharing import actors
from placewise.sharing.models import AuditEntry
from placewise.sharing.permissions import Role
from placewise.sources.models import Load
from tests.conftest import store_snapshot
from tests.factories import SCHOOL_NURSING_MAPPING, person

pytestmark = pytest.mark.django_db

MAPPING = SCHOOL_NURSING_MAPPING
# Three children, one contact each: a header and three rows.
CSV = (
    b"Ref,Forename,Surname,DOB,Seen\n"
    b"SN1,Amy,Smith,03/04/2012,01/02/2024\n"
    b"SN2,Ben,Jones,05/06/2013,02/02/2024\n"
    b"SN3,Cara,Khan,07/08/2014,03/02/2024\n"
)


@pytest.fixture(autouse=True)
def queued(settings, tmp_path):
    """Jobs wait in the database until the worker's step runs them, as in production."""
    settings.PLACEWISE_HOME = tmp_path  # where jobs keep their files
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.PLACEWISE_DFE_PYTHON = "/nonexistent"  # about jobs, not the DfE's rules


def upload(client, user, **options):
    client.force_login(user)
    files = {
        "file": SimpleUploadedFile("nursing.csv", CSV),
        "mapping": SimpleUploadedFile("nursing.toml", MAPPING),
    }
    return client.post(reverse("data:upload"), {**files, **options})


def test_an_upload_returns_at_once_to_its_queued_job(client, people, fresh_stores):
    response = upload(client, people["bob"])
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/data/jobs/{job.pk}/"
    # Nothing is loaded yet: the job waits for a worker, its task in the queue.
    assert job.status == Job.Status.QUEUED and Load.objects.count() == 0
    assert DBTaskResult.objects.get().id.hex == job.task_id.replace("-", "")
    page = client.get(response["Location"]).content.decode()
    assert "Waiting to start" in page and 'aria-live="polite"' in page
    assert "jobs/progress.js" in page and "Cancel this job" in page


def test_a_job_runs_to_its_end_with_its_progress_and_load(client, people, fresh_stores):
    upload(client, people["bob"])
    job = Job.objects.get()
    assert tasks.run_job.call(job.pk) == Job.Status.DONE
    job.refresh_from_db()
    load = Load.objects.get()
    assert job.status == Job.Status.DONE and job.ok is True and job.load == load
    # Three rows expected (four lines less the header) and three read.
    assert (job.rows_done, job.rows_total) == (3, 3)
    assert job.started_at is not None and job.finished_at >= job.started_at
    assert job.worker_pid == os.getpid() and load.status == Load.Status.LOADED
    page = client.get(job.get_absolute_url()).content.decode()
    assert f'href="/data/loads/{load.pk}/"' in page and "loaded 3 rows" in page
    assert "aria-live" not in page  # ended: nothing more to announce
    # The file is not kept once it has loaded.
    assert not queries.folder(job).exists()
    entries = AuditEntry.objects.filter(target__startswith=f"job {job.pk}:")
    assert list(entries.order_by("seq").values_list("action", flat=True)) == [
        "job.start",
        "job.done",
    ]


def test_a_job_being_taken_is_marked_running_by_its_worker(people, fresh_stores, client):
    upload(client, people["bob"])
    job = Job.objects.get()
    assert actions.begin(job=job, by=actors.worker_for("alice")) is True
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING and job.worker_pid == os.getpid()
    assert job.worker_host == socket.gethostname()
    # Taken once: a second worker does not run it again.
    assert actions.begin(job=job, by=actors.worker_for("alice")) is False
    progress = client.get(reverse("jobs:progress", args=[job.pk])).json()
    assert progress["status"] == "running" and progress["finished"] is False


def test_a_rejected_file_ends_the_job_not_ok_with_its_reasons(client, people, fresh_stores):
    client.force_login(people["bob"])
    bad = CSV.replace(b"SN2,", b",")  # row 3 has no record ID
    client.post(
        reverse("data:upload"),
        {
            "file": SimpleUploadedFile("nursing.csv", bad),
            "mapping": SimpleUploadedFile("nursing.toml", MAPPING),
        },
    )
    job = Job.objects.get()
    tasks.run_job.call(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.ok is False
    assert "1 of 3 rows have errors; nothing was loaded" in job.outcome
    assert job.load.status == Load.Status.REJECTED


def test_a_dry_run_keeps_its_findings_on_the_job(client, people, fresh_stores):
    upload(client, people["bob"], dry_run="on")
    job = Job.objects.get()
    tasks.run_job.call(job.pk)
    job.refresh_from_db()
    assert job.ok is True and job.load is None and "3 rows would load" in job.outcome
    assert Load.objects.count() == 0


def test_a_queued_job_is_cancelled_at_once_by_its_starter(client, people, fresh_stores):
    upload(client, people["bob"])
    job = Job.objects.get()
    response = client.post(reverse("jobs:cancel", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == Job.Status.CANCELLED and "Cancelled by bob" in job.outcome
    # The worker then finds it cancelled and does nothing.
    assert tasks.run_job.call(job.pk) == "not started: cancelled while it waited"
    assert Load.objects.count() == 0


def test_a_running_load_cancelled_stops_with_nothing_written(client, people, fresh_stores):
    upload(client, people["bob"])
    job = Job.objects.get()
    before = store_snapshot()
    actions.begin(job=job, by=actors.worker_for("alice"))
    job.refresh_from_db()
    actions.cancel(job=job, by=people["bob"])
    with pytest.raises(tasks.Cancelled):
        tasks._ingest(job, actors.worker_for("bob"))
    assert store_snapshot() == before and Load.objects.count() == 0


def test_others_may_not_see_or_cancel_a_job_and_are_told_why(client, people, fresh_stores):
    upload(client, people["bob"])
    job = Job.objects.get()
    client.force_login(people["alice"])
    page = client.get(job.get_absolute_url())
    assert page.status_code == 403
    assert "started by bob: only they or an administrator" in page.content.decode()
    refused = client.post(reverse("jobs:cancel", args=[job.pk]))
    assert (
        refused.status_code == 403 and "only they or an administrator" in refused.content.decode()
    )
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED
    entry = AuditEntry.objects.get(action="job.cancel")
    assert entry.actor == "alice" and entry.allowed is False
    # An administrator may.
    admin = person("erin", (people["orgs"]["council"], Role.ADMINISTRATOR))
    assert actions.cancel(job=job, by=admin).status == Job.Status.CANCELLED


def test_an_ended_job_cannot_be_cancelled(client, people, fresh_stores):
    upload(client, people["bob"])
    job = Job.objects.get()
    tasks.run_job.call(job.pk)
    job.refresh_from_db()
    with pytest.raises(actions.JobRefused, match="has already ended"):
        actions.cancel(job=job, by=people["bob"])


def dead_pid() -> int:
    """The id of a process that has ended."""
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_a_job_whose_worker_died_is_failed_and_can_be_retried(client, people, fresh_stores):
    upload(client, people["bob"])
    job = Job.objects.get()
    actions.begin(job=job, by=actors.worker_for("alice"))
    Job.objects.filter(pk=job.pk).update(worker_pid=dead_pid())
    settled = workers.settle_dead(by=actors.command_line())
    assert [j.pk for j in settled] == [job.pk]
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "stopped before the job finished" in job.outcome
    assert Load.objects.count() == 0
    # Its starter retries it: a new job with the same file, which loads.
    response = client.post(reverse("jobs:retry", args=[job.pk]))
    again = Job.objects.exclude(pk=job.pk).get()
    assert response["Location"] == again.get_absolute_url() and again.retry_of == job
    assert tasks.run_job.call(again.pk) == Job.Status.DONE
    assert Load.objects.get().status == Load.Status.LOADED


def test_a_job_still_running_in_a_live_worker_is_left_alone(client, people, fresh_stores):
    upload(client, people["bob"])
    job = Job.objects.get()
    actions.begin(job=job, by=actors.worker_for("alice"))  # this process: alive
    assert workers.settle_dead(by=actors.command_line()) == []
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING


def test_only_a_failed_or_cancelled_job_is_retried(client, people, fresh_stores):
    upload(client, people["bob"])
    job = Job.objects.get()
    with pytest.raises(actions.JobRefused, match="Only a failed or cancelled job"):
        actions.retry(job=job, by=people["bob"])
