"""An upload through a job, as a person meets it (issue 16, item 3): the form returns at once to
the job's page, which follows the job as a worker runs it, ends with the load's result, and
leads to its findings."""

import threading

import pytest
from django.db import connection
from django_tasks_db.management.commands.db_worker import Worker
from playwright.sync_api import expect

from tests.browser.conftest import accessibility_violations, screenshot, sign_in
from tests.factories import SCHOOL_NURSING_MAPPING

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAPPING = SCHOOL_NURSING_MAPPING
CSV = (
    b"Ref,Forename,Surname,DOB,Seen\n"
    b"SN1,Amy,Smith,03/04/2012,01/02/2024\n"
    b",Ben,Jones,05/06/2013,02/02/2024\n"
    b"SN3,Cara,Khan,07/08/2014,03/02/2024\n"
)


def run_queued_jobs() -> None:
    """The worker's loop, in a thread of this process, until the queue is empty."""
    try:
        Worker(
            queue_names=["default"],
            interval=0.1,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="browser-test",
            excluded_queue_names=[],
        ).run()
    finally:
        connection.close()


def upload(page, base: str, data, mapping) -> None:
    """Upload a partner's file with its mapping, keeping the good rows: as a person does."""
    page.goto(f"{base}/data/upload/")
    page.set_input_files("#id_file", str(data))
    page.set_input_files("#id_mapping", str(mapping))
    page.get_by_label("Load the good rows").check()
    page.get_by_role("button", name="Check and load").click()


def test_an_upload_is_followed_on_its_job_page_to_its_findings(
    page, live_server, people, fresh_stores, small_place, settings, tmp_path
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.PLACEWISE_HOME = tmp_path
    # A partner's file of three children, one with no record ID: loaded without that row.
    data, mapping = tmp_path / "nursing.csv", tmp_path / "nursing.toml"
    data.write_bytes(CSV)
    mapping.write_bytes(MAPPING)
    sign_in(page, live_server, "bob")
    upload(page, live_server.url, data, mapping)

    # Back at once, on the job's page: waiting for a worker.
    expect(page.get_by_role("heading", name="Load a file: nursing.csv")).to_be_visible()
    expect(page.get_by_text("Waiting to start")).to_be_visible()
    expect(page.locator('[aria-live="polite"]')).to_have_count(1)
    screenshot(page, "job-waiting")
    page.set_viewport_size({"width": 320, "height": 800})
    screenshot(page, "job-waiting-320")
    page.set_viewport_size({"width": 1280, "height": 800})
    assert accessibility_violations(page) == []

    worker = threading.Thread(target=run_queued_jobs)
    worker.start()
    worker.join(timeout=120)
    # The page's own script notices the end and shows the result.
    outcome = page.get_by_test_id("job-outcome")
    expect(outcome).to_be_visible(timeout=20_000)
    assert (
        "Finished" in outcome.inner_text() and "1 row with errors left out" in outcome.inner_text()
    )
    screenshot(page, "job-finished")
    page.set_viewport_size({"width": 320, "height": 800})
    screenshot(page, "job-finished-320")
    page.set_viewport_size({"width": 1280, "height": 800})
    assert accessibility_violations(page) == []

    page.get_by_test_id("load-link").click()
    page.get_by_role("link", name="Errors").click()
    issues = page.get_by_test_id("issues").inner_text()
    assert "Ref" in issues and "no record identifier" in issues
