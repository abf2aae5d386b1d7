"""An indicator's series as CSV (issue 15, item 7) holds what the page shows the viewer, no more:
a partner's download has the withheld months empty with the reason, and the owner's is exact."""

import csv
import io

import pytest
from django.urls import reverse

from placewise.outcomes import data
from placewise.sharing.models import AuditEntry

pytestmark = pytest.mark.django_db
CLOSURES = "case_closure_rate"


def _download(client, user, key=CLOSURES, **query):
    client.force_login(user)
    response = client.get(reverse("outcomes:indicator_csv", args=[key]), query)
    assert response.status_code == 200, response.content[:200]
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def _page_rows(client, user, key=CLOSURES):
    client.force_login(user)
    return client.get(reverse("outcomes:indicator", args=[key])).context["rows"]


def test_the_owner_downloads_the_exact_series(client, people, outcome_loaded):
    signal = next(s for s in data.all_signals() if (s.indicator.key, s.team) == (CLOSURES, "Place"))
    rows = _download(client, people["alice"])
    assert [r["month"] for r in rows] == [f"{p.period:%Y-%m}" for p in signal.chart.points]
    assert [float(r["numerator"]) for r in rows] == signal.numerators
    assert [float(r["denominator"]) for r in rows] == signal.denominators
    assert all(r["withheld"] == "" and r["mean"] for r in rows)
    assert AuditEntry.objects.filter(action="indicators.download", actor="alice").count() == 1


def test_a_partner_downloads_only_what_his_page_shows(client, people, outcome_loaded):
    page = _page_rows(client, people["bob"])
    rows = _download(client, people["bob"])
    assert len(rows) == len(page)
    withheld = [r for r in rows if r["withheld"]]
    assert withheld, "case closures have small months at the place: the check below is exercised"
    for row, shown in zip(rows, page, strict=True):
        if shown["withheld"]:
            assert row["numerator"] == row["value"] == "" and row["withheld"] == shown["withheld"]
        else:
            assert float(row["numerator"]) == float(shown["numerator"])
    # A series with a withheld month shows no mean or limits anywhere: the page does not either.
    assert all(r["mean"] == r["lower_limit"] == r["upper_limit"] == "" for r in rows)


def test_a_partner_asking_for_a_team_gets_the_place(client, people, outcome_loaded):
    team = next(s.team for s in data.all_signals() if s.team != "Place")
    client.force_login(people["bob"])
    response = client.get(reverse("outcomes:indicator_csv", args=[CLOSURES]), {"team": team})
    assert 'filename="case_closure_rate-place.csv"' in response["Content-Disposition"]
