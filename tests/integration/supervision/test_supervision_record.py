"""A practitioner's progress record as XLSX and PDF (issue 17, item 7): what the progress page
shows, to the same people; what people typed goes in as text, never as a formula; downloads are
audited."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from placewise.sharing.models import AuditEntry
from placewise.supervision import actions
from tests.integration.supervision.test_supervision_factories import (  # noqa: F401 (a fixture)
    GOOD,
    RI,
    RISK,
    _finder_registered,
    council_practice,
    peer_review,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def place(people):
    everyone = council_practice(people)
    supervision = actions.start_supervision(
        supervisor=everyone["frank"],
        supervisee=everyone["erin"],
        since=date(2026, 1, 1),
        by=everyone["frank"],
    )
    shared = peer_review(
        everyone,
        held_on=date(2026, 3, 2),
        grades={"gita": RI, "hamid": RI},
        improvements='=HYPERLINK("http://example.invalid","see")',
        point="Analyse the risk before planning",
        shared_on=date(2026, 3, 5),
    )
    peer_review(
        everyone,
        held_on=date(2026, 4, 20),
        grades={"gita": GOOD, "hamid": GOOD},
        improvements="Not yet shared with anyone",
    )
    session = actions.record_session(
        supervision=supervision,
        held_on=date(2026, 3, 12),
        reviews=[shared],
        reflections="Reflections",
        by=everyone["frank"],
    )
    actions.agree_will_try(
        session=session,
        description="Write the risk analysis first",
        criterion_key=RISK,
        due_on=date(2026, 6, 1),
        by=everyone["frank"],
    )
    return everyone


def _sheet(client, place, who):
    client.force_login(place[who])
    url = reverse("supervision:progress_xlsx", kwargs={"pk": place["erin"].pk})
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="progress-record-erin.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    return [[c for c in row] for row in book["Progress"].iter_rows(values_only=True)]


def test_the_workbook_holds_the_timeline_with_typed_text_never_a_formula(client, place):
    rows = _sheet(client, place, "erin")
    risk = [r for r in rows if r[1] and r[1].startswith("Is it clear what could harm")]
    assert [(r[2], r[3]) for r in risk] == [
        ("2026-03-02", "Peer review"),
        ("2026-03-12", "Will try (supervision)"),
        ("2026-04-20", "Peer review"),
    ]
    assert risk[0][4] == f"{RI} (2 peers)"
    assert risk[0][6] == '\'=HYPERLINK("http://example.invalid","see")'
    assert risk[0][7] == "Analyse the risk before planning"
    assert risk[1][4] == "Write the risk analysis first (by 1 June 2026)"
    assert AuditEntry.objects.filter(action="supervision.progress_record", actor="erin").exists()


def test_the_supervisors_record_holds_only_the_shared_review(client, place):
    rows = _sheet(client, place, "frank")
    dates = {r[2] for r in rows[1:]}
    assert "2026-04-20" not in dates and "2026-03-02" in dates
    assert not any("Not yet shared" in str(c) for r in rows for c in r)


def test_the_pdf_says_what_the_page_says(client, place):
    client.force_login(place["erin"])
    response = client.get(reverse("supervision:progress_pdf", kwargs={"pk": place["erin"].pk}))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert b"Progress across peer reviews: Erin Test" in response.content
    assert b"Write the risk analysis first" in response.content
    client.force_login(place["gita"])
    refused = client.get(reverse("supervision:progress_pdf", kwargs={"pk": place["erin"].pk}))
    assert refused.status_code == 403
