"""Smaller security defects (issue 12, defect 9a): police references, caching of person-level
pages, tracebacks for refusals, and a busy store."""

import csv
import logging
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from placewise.sharing import actors
from placewise.store import stores
from tests.conftest import first_child

pytestmark = pytest.mark.django_db

POLICE = "northshire_police"  # the source name in the synthetic place's police mappings


def police_notifications(place: Path) -> list[dict[str, str]]:
    """The police's domestic abuse notifications, read from the synthetic file itself."""
    with (place / "partners" / "police_domestic_abuse.csv").open(newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def police_place(small_place, fresh_stores, people):
    """The police's domestic abuse file loaded: its references are like DA/2025/000001."""
    from placewise.sources.actions import ingest_many

    ingest_many(
        [small_place / "partners" / "police_domestic_abuse.csv"],
        by=actors.command_line(),
        run_dfe=False,
    )
    return small_place


def ask(client, source, reference, purpose="safeguarding"):
    return client.post(
        reverse("journeys:find"),
        {"source": source, "reference": reference, "purpose": purpose},
        follow=True,
    )


# A reference with "/" finds the person; a reference nobody has says so.


def test_a_police_reference_with_slashes_finds_the_person(client, people, police_place):
    row = police_notifications(police_place)[0]
    reference = row["Ref"]
    assert reference.count("/") == 2  # the file's own format, e.g. DA/2025/000001
    client.force_login(people["charlie"])  # his police force provided this data
    response = ask(client, POLICE, reference)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == f"/learning/people/{POLICE}/{reference}/"
    assert response.context["reference"] == reference
    # One notification per reference in the file: one event, on the file's date.
    notified = datetime.strptime(row["NotificationDate"], "%d/%m/%Y").date()
    assert [(e["kind"], e["start_date"]) for e in response.context["events"]] == [
        ("domestic_abuse_notification", notified)
    ]


def test_a_police_reference_is_kept_whole_when_the_purpose_is_asked_first(
    client, people, police_place
):
    reference = police_notifications(police_place)[0]["Ref"]
    client.force_login(people["charlie"])
    response = client.get(reverse("journeys:person", args=[POLICE, reference]))
    assert response.status_code == 302
    assert response["Location"] == (
        f"/learning/people/?source={POLICE}&reference={reference.replace('/', '%2F')}"
    )
    form = client.get(response["Location"]).content.decode()
    assert f'value="{reference}"' in form


def test_a_police_reference_that_does_not_exist_says_so(client, people, police_place):
    missing = "DA/2099/999999"
    assert missing not in {r["Ref"] for r in police_notifications(police_place)}
    client.force_login(people["charlie"])
    response = ask(client, POLICE, missing)
    assert response.status_code == 404
    page = response.content.decode()
    assert f"There is no record with the case reference {missing} in {POLICE}." in page
    assert "There is a problem" in page  # the GOV.UK error summary, on the search form


def test_a_council_reference_that_does_not_exist_says_so(client, people, shared_place):
    client.force_login(people["alice"])
    response = ask(client, "council_csc", "NOSUCHCHILD")
    assert response.status_code == 404
    assert (
        "There is no record with the case reference NOSUCHCHILD in council_csc."
        in response.content.decode()
    )


def test_a_refused_reader_is_not_told_whether_a_reference_exists(client, people, shared_place):
    client.force_login(people["charlie"])  # no agreement shares the council's data with police
    refused = ask(client, "council_csc", "NOSUCHCHILD")
    assert refused.status_code == 403
    page = refused.content.decode()
    assert "No agreement in force" in page and "There is no record" not in page


# Person-level pages and signed-in pages are never stored by a browser or proxy.


def assert_not_stored(response):
    assert response["Cache-Control"] == "no-store"
    assert response["Pragma"] == "no-cache"


def test_a_persons_records_are_not_cacheable(client, people, shared_place, small_place):
    client.force_login(people["alice"])
    response = ask(client, "council_csc", first_child(small_place))
    assert response.status_code == 200 and response.context["events"]
    assert_not_stored(response)


def test_every_page_for_a_signed_in_user_is_not_cacheable(client, people, shared_place):
    client.force_login(people["bob"])
    for name in ("home", "data:home", "outcomes:overview", "journeys:find"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert_not_stored(response)


@pytest.mark.parametrize(
    "path",
    [
        "/learning/people/council_csc/CH100001/",
        "/data/linkage/review/",
        "/data/linkage/review/1/",
        "/outcomes/indicators/referrals/children/",
    ],
)
def test_person_level_pages_are_not_cacheable_even_before_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert_not_stored(response)


# A refusal is logged as one line, without a traceback.


def refusal_records(caplog):
    return [r for r in caplog.records if getattr(r, "status_code", None) == 403]


def test_a_refused_page_logs_one_line_without_a_traceback(client, people, caplog):
    client.force_login(people["charlie"])
    with caplog.at_level(logging.WARNING):
        response = client.get(reverse("data:home"))
    assert response.status_code == 403
    [record] = refusal_records(caplog)
    assert record.exc_info is None
    assert "Traceback" not in caplog.text
    message = record.getMessage()
    assert message.startswith("Refused charlie GET /data/: ")
    assert "do not include permission to see data loads" in message
    assert "\n" not in message


def test_a_refused_person_read_logs_the_policys_reason(
    client, people, shared_place, small_place, caplog
):
    child = first_child(small_place)
    client.force_login(people["charlie"])
    with caplog.at_level(logging.WARNING):
        response = ask(client, "council_csc", child)
    assert response.status_code == 403
    assert "No agreement in force" in response.content.decode()  # still told why on the page
    [record] = refusal_records(caplog)
    assert record.exc_info is None and "Traceback" not in caplog.text
    message = record.getMessage()
    assert message.startswith(f"Refused charlie GET /learning/people/council_csc/{child}/: ")
    assert "No agreement in force shares person-level data from" in message


# A store held by another process's load or linkage run does not stop pages: they read the last
# committed snapshot (store/snapshots.py, ADR 0019), and see nothing of the holder's transaction.


@pytest.fixture
def store_held_for_writing(shared_place):
    """Another process holding the analytic store open for writing, mid-transaction, as a load
    does: it has deleted every event and not committed."""
    # The stores were published once before the load began, as `placewise serve` does on start.
    stores.counts()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys\n"
            "connection = duckdb.connect(sys.argv[1])\n"
            "connection.execute('BEGIN')\n"
            "connection.execute('DELETE FROM events')\n"
            "print('holding', flush=True)\n"
            "sys.stdin.read()\n"  # until the test closes our stdin
            "connection.close()\n",
            str(settings.PLACEWISE_ANALYTIC_DB),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        yield holder
    finally:
        if holder.stdin and not holder.stdin.closed:
            holder.stdin.close()
        holder.wait(timeout=60)
        assert holder.stdout is not None
        holder.stdout.close()


def test_an_outcomes_page_is_served_while_another_process_writes(
    client, people, store_held_for_writing
):
    client.force_login(people["alice"])
    response = client.get(reverse("outcomes:overview"))
    assert response.status_code == 200
    assert "The data is being updated" not in response.content.decode()


def test_a_persons_page_is_served_while_another_process_writes(
    client, people, small_place, store_held_for_writing
):
    client.force_login(people["alice"])
    child = first_child(small_place)
    asked = client.post(
        reverse("journeys:find"),
        {"source": "council_csc", "reference": child, "purpose": "safeguarding"},
    )
    assert asked.status_code == 302
    response = client.get(asked["Location"])
    assert response.status_code == 200
    # The holder's uncommitted delete is not seen: the child's referral is still there.
    assert child in response.content.decode() and "referral" in response.content.decode().lower()
