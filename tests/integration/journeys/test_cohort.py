"""Cohort journeys: a hand-worked cohort counted by the SQL, and the page's disclosure control."""

from datetime import date, datetime

import pytest
from django.urls import reverse

from placewise.journeys import cohort
from placewise.sharing.models import AuditEntry
from placewise.store import stores
from placewise.store.queries import run
from tests import factories

pytestmark = pytest.mark.django_db

C = "council_csc"


def _load(events, links):
    with stores.analytic() as store:
        store.execute("INSERT INTO loads VALUES (1, ?)", [datetime(2025, 1, 1)])
        for token, source, kind, start in events:
            store.execute(
                "INSERT INTO events (token, source, origin, kind, start_date, load_id) "
                "VALUES (?, ?, 'test', ?, ?, 1)",
                [token, source, kind, start],
            )
        for token, key in links:
            store.execute(
                "INSERT INTO person_links VALUES (?, ?, 1, 1.0, ?)",
                [token, key, datetime(2025, 1, 1)],
            )


def test_a_hand_worked_cohort(fresh_stores):
    """Four children. Counted on paper:
    A: referred 10 Mar 2024 (in Annex A and the CIN census: once), assessed, CP plan; school
       absence Jan 2024 (before), police report May 2024 (after) on linked records.
    B: referred 1 Jun 2024, assessed 20 Jun, referred again 1 Jan 2025 (within 12 months).
    C: referred 1 Dec 2023 (before the period) and 5 Feb 2024 (in it): the cohort date is
       5 Feb; the Dec one is not a re-referral after it. Looked after Mar 2025 (over a year? no:
       within 365 days of 5 Feb 2024 is up to 4 Feb 2025, so Mar 2025 is outside).
    D: referred 1 Jan 2025, outside the period 1 Jan – 31 Dec 2024: not in the cohort.
    So: referred 3; assessed 2; CP 1; looked after 0; re-referred 1; school before 1, after 0;
    police before 0, after 1 — and the police row only when police data is visible.
    """
    _load(
        [
            ("a", C, "referral", date(2024, 3, 10)),
            ("a", C, "referral", date(2024, 3, 10)),
            ("a", C, "assessment", date(2024, 3, 20)),
            ("a", C, "cp_plan", date(2024, 4, 30)),
            ("a-school", "schools", "school_absence", date(2024, 1, 15)),
            ("a-police", "police", "missing_episode", date(2024, 5, 2)),
            ("b", C, "referral", date(2024, 6, 1)),
            ("b", C, "assessment", date(2024, 6, 20)),
            ("b", C, "referral", date(2025, 1, 1)),
            ("c", C, "referral", date(2023, 12, 1)),
            ("c", C, "referral", date(2024, 2, 5)),
            ("c", C, "cla_period", date(2025, 3, 1)),
            ("d", C, "referral", date(2025, 1, 1)),
        ],
        [("a", "K1"), ("a-school", "K1"), ("a-police", "K1"), ("b", "K2")],
    )
    start, end = date(2024, 1, 1), date(2024, 12, 31)
    row = run(
        cohort.cohort_journey(start, end, council_source=C, partner_sources=["schools", "police"])
    )[0]
    assert row["referred"] == 3
    assert (row["assessed"], row["cp_plan"], row["looked_after"], row["re_referred"]) == (
        2,
        1,
        0,
        1,
    )
    assert (row["school_before"], row["school_after"]) == (1, 0)
    assert (row["police_before"], row["police_after"]) == (0, 1)
    hidden = run(cohort.cohort_journey(start, end, council_source=C, partner_sources=["schools"]))[
        0
    ]
    assert hidden["police_after"] == 0 and hidden["school_before"] == 1


def test_the_page_publishes_no_small_count(shared_place, client, people):
    from placewise.cli import main

    main(["link", "--quiet"])
    client.force_login(people["bob"])
    response = client.get(reverse("journeys:cohort"), {"start": "2020-01-01", "end": "2030-12-31"})
    assert response.status_code == 200
    rows = response.context["rows"]
    assert response.context["referred"] >= 10
    for row in rows:
        assert row["yes"] is None or row["yes"] == 0 or row["yes"] >= 10, row
    assert any(row["yes"] is None for row in rows)  # the small place has small counts
    body = response.content.decode()
    assert "[c]" in body and "<svg" in body
    # Bob's trust sees its own A&E figures and, under the agreement, the council's; the police
    # share nothing with it, so the police rows count nothing for him.
    partners = dict(response.context["partners"])
    assert "northshire_health" in partners and "northshire_police" not in partners
    assert AuditEntry.objects.filter(action="cohort.view", actor="bob").exists()


def test_a_backwards_period_is_refused_clearly(shared_place, client, people):
    client.force_login(people["alice"])
    response = client.get(reverse("journeys:cohort"), {"start": "2025-01-01", "end": "2024-01-01"})
    assert response.status_code == 400
    assert "The last date must be on or after the first date." in response.content.decode()


def test_no_agreement_no_council_figures(shared_place, client, people):
    """A police practitioner has no aggregate view; a police partner lead with one still sees no
    council referrals, because nothing shares them with the police."""
    from placewise.sharing.permissions import Role

    lead = factories.person("pat", (people["orgs"]["police"], Role.PARTNER_LEAD))
    client.force_login(lead)
    response = client.get(reverse("journeys:cohort"))
    assert response.status_code == 403
    assert "No agreement in force shares the council" in response.content.decode()
