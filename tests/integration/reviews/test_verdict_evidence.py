"""A verdict only on evidence (issue 15, item 5): until the chart's rules can speak — 7 months
since the action began, or a month already flagged — the only verdict is "too early to tell"."""

from datetime import date

import pytest
from django.contrib.auth.models import User

from placewise.reviews import actions
from placewise.reviews.evidence import too_early
from placewise.reviews.models import Action, AgendaItem, Verdict
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def follow_up(people):
    first = factories.review_session(people["alice"], held_on=date(2026, 1, 15))
    item = AgendaItem.objects.create(
        session=first,
        indicator="re_referrals_12_months",
        team="Place",
        origin=AgendaItem.Origin.CHAIR,
        highlight="Re-referrals rose",
    )
    action = factories.session_action(
        item,
        description="Audit the closures",
        owner="Team manager",
        due_on=date(2026, 3, 1),
        indicator="re_referrals_12_months",
        team="Place",
        direction=Action.Direction.DOWN,
        from_period=date(2026, 1, 1),
        created_by="alice",
    )
    later = factories.review_session(people["alice"], held_on=date(2026, 4, 15), follows=first)
    return action, later


def _verdict(action, session, outcome, evidence):
    return actions.give_verdict(
        action=action,
        session=session,
        outcome=outcome,
        loop=Verdict.Loop.SINGLE,
        note="",
        evidence=evidence,
        by=User.objects.get(username="alice"),
    )


def test_moved_as_expected_is_refused_on_three_months_with_no_signal(follow_up):
    action, session = follow_up
    three = {"months_after": 3, "after_signal": "", "from_period": "2026-01-01"}
    with pytest.raises(actions.ReviewError, match="3 months of data since the action began"):
        _verdict(action, session, Verdict.Outcome.MOVED, three)
    with pytest.raises(actions.ReviewError, match="after 7 months"):
        _verdict(action, session, Verdict.Outcome.NO_CHANGE, three)
    assert not Verdict.objects.exists()
    assert _verdict(action, session, Verdict.Outcome.TOO_EARLY, three).outcome == "too_early"


def test_seven_months_or_a_flagged_month_let_the_chart_speak(follow_up):
    action, session = follow_up
    seven = {"months_after": 7, "after_signal": ""}
    assert _verdict(action, session, Verdict.Outcome.NO_CHANGE, seven).outcome == "no_change"
    # A month outside the limits after one month is evidence already.
    assert too_early({"months_after": 1, "after_signal": "as hoped"}) == ""
    assert too_early({"months_after": 1, "after_signal": "the wrong way"}) == ""


def test_no_data_since_the_action_is_too_early():
    # An action that began after the data ends: no months since it.
    said = too_early({"months_after": 0, "after_signal": "", "from_period": "2027-02-01"})
    assert "0 months of data since the action began (2027-02)" in said
    assert too_early({"months_after": 6, "after_signal": "withheld"}).startswith("There are 6")
