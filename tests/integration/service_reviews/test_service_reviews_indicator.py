"""A review meeting's sample drawn from an indicator's children behind a month (outcomes'
members), on the 6,000-child place: the figure's own children, each opened through the policy
function, and a month the viewer may not see refused with why."""

from datetime import date

import pytest

from placewise.service_reviews import actions, queries
from placewise.store.pseudonymise import Tokeniser
from placewise.store.queries import Query, run
from tests.integration.outcomes.test_outcomes import re_referrals_in_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(people, outcome_loaded):
    schedule = actions.create_schedule(
        title="Re-referral review",
        kind="operational",
        every="month",
        areas=["social_care", "early_help"],
        leaders="Head of service\nEarly help lead",
        invited=[],
        by=people["alice"],
    )
    return actions.hold_meeting(
        schedule=schedule,
        held_on=date(2026, 3, 12),
        attendees="Alice",
        purpose="safeguarding",
        by=people["alice"],
    )


@pytest.mark.slow  # the month's members are worked out from the 6,000-child place
def test_children_behind_a_month_each_had_a_referral_that_month(
    client, people, meeting, outcome_loaded, settings
):
    rows = re_referrals_in_files(outcome_loaded)  # worked out from the files, not our code
    month = max(rows, key=lambda r: r["numerator"])
    period = month["period"]
    client.force_login(people["alice"])
    page = client.post(
        f"/service-reviews/meetings/{meeting.pk}/",
        {
            "step": "indicator",
            "indicator": "re_referrals_12_months",
            "team": "Place",
            "month": f"{period:%Y-%m}-15",
            "how_many": "3",
        },
    )
    assert page.status_code == 302, page.content.decode()[:2000]
    sample = list(meeting.sample.all())
    assert len(sample) == min(3, month["denominator"])
    assert {c.source for c in sample} == {"council_csc"}
    assert all(c.drawn_as.endswith(f"the place, {period:%B %Y}") for c in sample)
    tokeniser = Tokeniser(settings.PLACE_SECRET)
    month_end = date(period.year + period.month // 12, period.month % 12 + 1, 1)
    for child in sample:
        token = tokeniser.token("council_csc", child.reference)
        referrals = run(
            Query(
                "SELECT count(*) AS n FROM events WHERE token = ? AND kind = 'referral' "
                "AND start_date >= ? AND start_date < ?",
                [token, period, month_end],
            )
        )
        assert referrals[0]["n"] >= 1, child.reference


def test_an_indicator_the_viewer_may_not_see_is_refused(people, meeting):
    with pytest.raises(queries.SampleError, match="no agreement shares with you"):
        queries.indicator_children(
            people["alice"],
            key="no_such_indicator",
            team="Place",
            period=date(2025, 1, 1),
            purpose="safeguarding",
            how_many=3,
        )
