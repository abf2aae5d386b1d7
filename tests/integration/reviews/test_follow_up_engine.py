"""One follow-up engine: an action agreed anywhere — here a supervision and an operational
review — has an owner, a due date and the measure it should move, and is followed up with the
same verdicts and the same "too early to tell" rule as a data review session's."""

from datetime import date

import pytest

from placewise.reviews import actions, evidence
from placewise.reviews.models import Action, Verdict
from placewise.sharing.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db


def _supervision_action(people, **fields):
    agreed = {
        "origin": Action.Origin.SUPERVISION,
        "organisation": people["orgs"]["council"],
        "agreed_at": "Supervision, 3 March 2026",
        "agreed_on": date(2026, 3, 3),
        "description": "Write the risk analysis before the plan",
        "owner": "bob",
        "due_on": date(2026, 6, 1),
        "direction": Action.Direction.UP,
        "measure": Action.Measure.CRITERION,
        "measure_key": "starter-1:risk-analysis",
        "practitioner": people["bob"],
        "by": people["alice"],
    }
    agreed.update(fields)
    return actions.agree_action(**agreed)


def test_an_action_agreed_in_supervision_is_stored_with_its_measure_and_audited(people):
    action = _supervision_action(people)
    assert (action.measure, action.measure_key, action.practitioner) == (
        "criterion",
        "starter-1:risk-analysis",
        people["bob"],
    )
    assert action.item is None and action.session is None
    assert action.from_period == date(2026, 3, 1)
    entry = AuditEntry.objects.filter(action="supervision.action").get()
    assert entry.detail["criterion"] == "starter-1:risk-analysis"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"description": "  "}, "needs what will be done"),
        ({"due_on": date(2026, 3, 2)}, "cannot be due before it was agreed"),
        ({"measure_key": ""}, "Name the criterion"),
        ({"practitioner": None}, "Name the criterion"),
        ({"direction": "sideways"}, "which way the measure should move"),
        ({"measure": Action.Measure.INDICATOR}, "Name the indicator"),
        ({"origin": Action.Origin.REVIEW_SESSION}, "agreed on its agenda item"),
    ],
)
def test_an_incomplete_action_is_refused_with_the_reason_and_nothing_stored(people, change, reason):
    with pytest.raises(actions.ReviewError, match=reason):
        _supervision_action(people, **change)
    assert not Action.objects.exists()


def test_the_follow_up_keeps_too_early_to_tell_until_the_evidence_can_speak(people):
    action = _supervision_action(people)
    waiting = {"waiting": "One peer review since the action: two are needed."}
    with pytest.raises(actions.ReviewError, match="two are needed"):
        actions.follow_up(
            action=action,
            given_at="Supervision, 2 April 2026",
            outcome=Verdict.Outcome.MOVED,
            loop=Verdict.Loop.SINGLE,
            note="",
            evidence=waiting,
            by=people["alice"],
        )
    verdict = actions.follow_up(
        action=action,
        given_at="Supervision, 2 April 2026",
        outcome=Verdict.Outcome.TOO_EARLY,
        loop=Verdict.Loop.SINGLE,
        note="One review so far",
        evidence=waiting,
        by=people["alice"],
    )
    assert (verdict.session, verdict.given_at) == (None, "Supervision, 2 April 2026")
    assert AuditEntry.objects.filter(action="supervision.verdict").count() == 1


def test_evidence_for_a_measure_comes_from_the_app_that_registered_it(people):
    action = _supervision_action(people)
    action.measure = "made_up"  # in memory only: a kind no app has registered
    with pytest.raises(LookupError, match="made_up"):
        evidence.of(action, people["bob"])
    evidence.register("made_up", lambda found, viewer: {"months_after": 9, "who": viewer})
    try:
        assert evidence.of(action, people["bob"]) == {"months_after": 9, "who": people["bob"]}
    finally:
        evidence._FINDERS.pop("made_up", None)


def test_a_practitioners_action_is_not_listed_for_the_whole_organisation(people, client):
    _supervision_action(people)
    client.force_login(people["alice"])
    page = client.get("/learning/actions/")
    assert page.status_code == 200
    assert "Write the risk analysis" not in page.content.decode()


def test_an_operational_reviews_action_on_an_indicator_is_followed_up_at_a_review_session(
    people,
):
    action = actions.agree_action(
        origin=Action.Origin.REVIEW_MEETING,
        organisation=people["orgs"]["council"],
        agreed_at="Operational review, 10 February 2026",
        agreed_on=date(2026, 2, 10),
        description="Step-down conversations before closure",
        owner="Early help lead",
        due_on=date(2026, 5, 1),
        direction=Action.Direction.DOWN,
        indicator="re_referrals_12_months",
        team="Place",
        by=people["alice"],
    )
    earlier = factories.review_session(people["alice"], held_on=date(2026, 2, 1))
    with pytest.raises(actions.ReviewError, match="after it was agreed"):
        actions.carry_action(action=action, to=earlier, by=people["alice"])
    later = factories.review_session(people["alice"], held_on=date(2026, 9, 15))
    actions.carry_action(action=action, to=later, by=people["alice"])
    verdict = actions.give_verdict(
        action=action,
        session=later,
        outcome=Verdict.Outcome.NO_CHANGE,
        loop=Verdict.Loop.SINGLE,
        note="",
        evidence={"months_after": 7, "after_signal": ""},
        by=people["alice"],
    )
    assert verdict.session == later
