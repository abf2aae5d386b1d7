"""Actions can be changed, reassigned, closed and carried to the next session, and a register
shows what is open, overdue and waiting for evidence (issue 15, item 5). The follow-up engine's
actions are the review sessions' actions: nothing new is made."""

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from placewise.reviews import actions
from placewise.reviews.action_views import state_of
from placewise.reviews.models import Action, AgendaItem, Verdict
from placewise.sharing.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreed(people):
    session = factories.review_session(people["alice"], held_on=date(2026, 1, 15))
    item = AgendaItem.objects.create(
        session=session,
        indicator="re_referrals_12_months",
        team="Place",
        origin=AgendaItem.Origin.CHAIR,
        highlight="Re-referrals rose",
    )

    def make(description: str, due_on: date) -> Action:
        return factories.session_action(
            item,
            description=description,
            owner="Team manager",
            due_on=due_on,
            indicator="re_referrals_12_months",
            team="Place",
            direction=Action.Direction.DOWN,
            from_period=date(2026, 1, 1),
            created_by="alice",
        )

    return session, make


def test_the_states_worked_by_hand(agreed):
    session, make = agreed
    today = date(2026, 3, 1)
    overdue = make("Audit closures", date(2026, 2, 1))
    waiting = make("Weekly huddle", date(2026, 6, 1))
    assert state_of(overdue, today) == "overdue"
    assert state_of(waiting, today) == "waiting"  # no follow-up has found anything yet
    later = factories.review_session(session.chair, held_on=date(2026, 4, 15), follows=session)
    Verdict.objects.create(
        action=waiting,
        session=later,
        outcome=Verdict.Outcome.NO_CHANGE,
        loop=Verdict.Loop.SINGLE,
        decided_by="alice",
    )
    assert state_of(waiting, today) == "open"
    actions.close_action(
        action=overdue, note="done in February", on=today, by=User.objects.get(username="alice")
    )
    overdue.refresh_from_db()
    assert state_of(overdue, today) == "closed"


def test_reassign_close_and_carry_through_the_page(client, people, agreed):
    _, make = agreed
    action = make("Audit closures", date(2026, 3, 1))
    later = factories.review_session(people["alice"], held_on=date(2026, 4, 15))
    client.force_login(people["alice"])
    url = reverse("reviews:action", args=[action.pk])
    client.post(
        url,
        {
            "step": "change",
            "description": "Audit closures",
            "owner": "Practice lead",
            "due_on": "2026-05-01",
        },
    )
    action.refresh_from_db()
    assert (action.owner, action.due_on) == ("Practice lead", date(2026, 5, 1))
    client.post(url, {"step": "carry", "to": later.pk})
    action.refresh_from_db()
    assert action.carried_to == later
    # The session it is carried to follows it up.
    page = client.get(reverse("reviews:review", args=[later.pk]))
    assert [f["action"] for f in page.context["follow_ups"]] == [action]
    refused = client.post(url, {"step": "close", "note": ""})
    assert (
        refused.status_code == 400 and "Say why the action is closed." in refused.content.decode()
    )
    client.post(url, {"step": "close", "note": "Done: closures audited"})
    action.refresh_from_db()
    assert action.closed_on is not None and action.closed_by == "alice"
    assert set(
        AuditEntry.objects.filter(action__startswith="review.action_").values_list(
            "action", flat=True
        )
    ) == {"review.action_changed", "review.action_carried", "review.action_closed"}


def test_an_action_is_carried_only_forward_and_within_its_organisation(people, agreed):
    _, make = agreed
    action = make("Audit closures", date(2026, 3, 1))
    earlier = factories.review_session(people["alice"], held_on=date(2025, 12, 1))
    with pytest.raises(actions.ReviewError, match="after the one that agreed it"):
        actions.carry_action(action=action, to=earlier, by=people["alice"])


def test_the_register_lists_and_filters(client, people, agreed):
    _, make = agreed
    make("Audit closures", date(2020, 1, 1))  # long overdue
    make("Weekly huddle", date(2099, 1, 1))
    client.force_login(people["alice"])
    page = client.get(reverse("reviews:actions"))
    assert [r["state"] for r in page.context["rows"]] == ["overdue", "waiting"]
    overdue = client.get(reverse("reviews:actions"), {"state": "overdue"})
    assert [r["action"].description for r in overdue.context["rows"]] == ["Audit closures"]
    client.force_login(people["bob"])
    assert client.get(reverse("reviews:actions")).status_code == 403
