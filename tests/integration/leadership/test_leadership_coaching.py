"""GROW coaching (issue 18, item 3): coach and coachee record conversations, together or with the
other's consent, at any stage; each Will is an action in the follow-up engine, and the next
conversation opens on it and follows it up. Organisations see counts only, above a threshold
that no subtraction gets round, for quarters that have ended (ADR 0030)."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.urls import reverse

from placewise.leadership import actions, queries
from placewise.leadership.models import Conversation
from placewise.reviews.models import Action, Verdict
from placewise.sharing.models import AuditEntry
from placewise.sharing.permissions import Role
from tests.factories import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def coaching(people):
    cora = person("cora", (people["orgs"]["council"], Role.TEAM_MANAGER))
    made = actions.start_coaching(
        coach=cora, coachee=people["alice"], since=date(2026, 1, 1), by=people["alice"]
    )
    return made


def _conversation(coaching, held_on, by=None, **stages):
    return actions.record_conversation(
        coaching=coaching,
        held_on=held_on,
        goal=stages.get("goal", ""),
        reality=stages.get("reality", "Staff turnover is high"),
        options=stages.get("options", ""),
        recorded=stages.get("recorded", "together"),
        by=by or coaching.coach,
    )


def test_coaching_is_recorded_by_the_coach_or_the_coachee_only(people, coaching):
    with pytest.raises(actions.LeadershipError, match="recorded by the coach or the coachee"):
        actions.start_coaching(
            coach=coaching.coach,
            coachee=people["charlie"],
            since=date(2026, 1, 1),
            by=people["bob"],
        )
    with pytest.raises(actions.LeadershipError, match="cannot coach themselves"):
        actions.start_coaching(
            coach=people["bob"], coachee=people["bob"], since=date(2026, 1, 1), by=people["bob"]
        )
    with pytest.raises(actions.LeadershipError, match="already coaches"):
        actions.start_coaching(
            coach=coaching.coach, coachee=people["alice"], since=date(2026, 2, 1), by=coaching.coach
        )
    with pytest.raises(actions.LeadershipError, match="Only the coach and the coachee"):
        _conversation(coaching, date(2026, 1, 10), by=people["bob"])
    assert coaching.organisation == people["orgs"]["council"]  # the coachee's


def test_a_conversation_needs_both_present_or_the_others_consent(coaching):
    with pytest.raises(actions.LeadershipError, match="Without either, it cannot be recorded"):
        _conversation(coaching, date(2026, 1, 10), recorded="")
    made = _conversation(coaching, date(2026, 1, 10), by=coaching.coachee, recorded="consented")
    assert made.get_recorded_display() == "By me, with the other person's consent"
    with pytest.raises(actions.LeadershipError, match="within the coaching's dates"):
        _conversation(coaching, date(2025, 12, 31))


def test_a_will_is_an_action_and_the_next_conversation_opens_on_it(people, coaching):
    first = _conversation(coaching, date(2026, 1, 10), goal="Lead the data review")
    will = actions.commit(
        conversation=first,
        what="Chair the February session",
        review_on=date(2026, 2, 20),
        by=coaching.coachee,
    )
    assert will.origin == Action.Origin.COACHING
    assert will.measure == Action.Measure.REFLECTION
    assert will.practitioner == people["alice"]
    assert will.agreed_at == "Coaching conversation, 10 January 2026"
    assert will.due_on == date(2026, 2, 20)
    with pytest.raises(actions.LeadershipError, match="after the conversation"):
        actions.commit(conversation=first, what="x", review_on=date(2026, 1, 10), by=coaching.coach)
    # The first conversation follows nothing up; the second opens on the Will.
    assert queries.to_follow_up(first) == []
    second = _conversation(coaching, date(2026, 2, 24))
    assert queries.to_follow_up(second) == [will]
    verdict = actions.follow_up_commitment(
        conversation=second,
        action=will,
        what_happened="Chaired it; the team read the charts first",
        learned="Hold back",
        effect="as hoped",
        loop="single",
        by=coaching.coach,
    )
    assert verdict.outcome == Verdict.Outcome.MOVED
    assert verdict.given_at == "Coaching conversation, 24 February 2026"
    assert list(second.follow_ups.all()) == [verdict]
    assert [a.pk for a in queries.commitments(people["alice"])] == [will.pk]
    # A conversation follows up only its coaching's earlier Wills.
    with pytest.raises(actions.LeadershipError, match="open commitments of earlier"):
        actions.follow_up_commitment(
            conversation=first,
            action=will,
            what_happened="x",
            learned="",
            effect="no change",
            loop="single",
            by=coaching.coach,
        )


def test_the_audit_log_records_that_a_conversation_happened_not_what_was_said(coaching):
    _conversation(coaching, date(2026, 1, 10), goal="A private goal about my confidence")
    logged = AuditEntry.objects.filter(action__startswith="leadership.").values_list(
        "detail", flat=True
    )
    assert logged and not any("private goal" in str(d) for d in logged)


def _on_the_day(coaching):
    """As if everything of the coaching had been recorded on the day it happened (the demo's
    history, and a count by quarter counts only what was recorded before the quarter ended)."""
    for conversation in Conversation.objects.filter(coaching=coaching):
        day = datetime.combine(conversation.held_on, time(16), tzinfo=UTC)
        Conversation.objects.filter(pk=conversation.pk).update(recorded_at=day)
        conversation.commitments.update(created_at=day)
        conversation.follow_ups.update(decided_at=day)


def _commitments(coaching, n, kept, held=(date(2026, 1, 10), date(2026, 3, 10))):
    conversation = _conversation(coaching, held[0])
    later = _conversation(coaching, held[1])
    for i in range(n):
        action = actions.commit(
            conversation=conversation,
            what=f"Will {i}",
            review_on=held[1] - timedelta(days=9),
            by=coaching.coach,
        )
        actions.follow_up_commitment(
            conversation=later,
            action=action,
            what_happened="x",
            learned="",
            effect="as hoped" if i < kept else "no change",
            loop="single",
            by=coaching.coach,
        )
    _on_the_day(coaching)


def _quarter(organisation, today=date(2026, 4, 1)):
    """The one ended quarter's counts (January to March 2026, ended on 1 April)."""
    (counts,) = queries.coaching_counts(organisation, today)
    assert counts.quarter.label == "Jan–Mar 2026"
    c = counts
    return c.coachees, c.conversations, c.commitments, c.followed_up, c.kept


def test_counts_under_five_are_withheld(people, coaching):
    _commitments(coaching, 3, kept=2)
    # One person coached, two conversations, three commitments followed up, two kept: all
    # under five.
    assert _quarter(people["orgs"]["council"]) == (None, None, None, None, None)


def test_a_small_not_kept_count_cannot_be_worked_out_by_subtraction(people, coaching):
    # Seven commitments, six kept: showing 7 followed up and 6 kept would give away the one not
    # kept, so the total is shown and the kept withheld.
    council = people["orgs"]["council"]
    _commitments(coaching, 7, kept=6)
    # One person coached (withheld), two conversations (withheld), 7 made, 7 followed up.
    assert _quarter(council) == (None, None, 7, 7, None)
    # Another coachee with three commitments, none kept: 10 followed up, 6 kept, 4 not kept;
    # the 4 is under five, so the 6 is withheld with it.
    other = person("olga", (council, Role.PRACTITIONER))
    more = actions.start_coaching(
        coach=coaching.coach, coachee=other, since=date(2026, 1, 1), by=other
    )
    _commitments(more, 3, kept=0)
    # Four conversations (two per coaching) and two people: both under five, withheld.
    assert _quarter(council) == (None, None, 10, 10, None)


def test_counts_at_the_threshold_are_shown(people, coaching):
    # Ten commitments, five kept, five not: every count but people and conversations at least
    # five.
    _commitments(coaching, 10, kept=5)
    assert _quarter(people["orgs"]["council"]) == (None, None, 10, 10, 5)


def test_the_quarter_still_running_is_not_shown(people, coaching):
    _commitments(coaching, 10, kept=5)
    # On 31 March the January quarter has not ended: nothing is shown. On 1 April it has.
    assert queries.coaching_counts(people["orgs"]["council"], date(2026, 3, 31)) == []
    assert _quarter(people["orgs"]["council"], date(2026, 4, 1))[2:] == (10, 10, 5)


def test_what_is_recorded_after_a_quarter_ended_does_not_change_it(people, coaching):
    council = people["orgs"]["council"]
    _commitments(coaching, 10, kept=5)
    before = _quarter(council, date(2026, 4, 1))
    # On 2 April a conversation held on 20 March is recorded late, with a commitment made at it.
    late = _conversation(coaching, date(2026, 3, 20))
    actions.commit(conversation=late, what="Late", review_on=date(2026, 5, 1), by=coaching.coach)
    day = datetime(2026, 4, 2, 9, tzinfo=UTC)
    Conversation.objects.filter(pk=late.pk).update(recorded_at=day)
    late.commitments.update(created_at=day)
    # Had it counted, January to March would read 3 conversations and 11 commitments made; it
    # reads as it did on 1 April.
    assert _quarter(council, date(2026, 4, 5)) == before == (None, None, 10, 10, 5)
    # The April quarter has not ended on 5 April: it is not shown.
    assert [c.quarter.label for c in queries.coaching_counts(council, date(2026, 4, 5))] == [
        "Jan–Mar 2026"
    ]


def test_the_counts_page_is_for_those_who_see_practice_themes(client, people, coaching):
    _commitments(coaching, 3, kept=2)
    client.force_login(people["alice"])
    page = client.get(reverse("leadership:numbers"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Jan–Mar 2026" in text and "Withheld (too few)" in text
    client.force_login(people["bob"])
    assert client.get(reverse("leadership:numbers")).status_code == 403


def test_recording_a_conversation_refuses_bad_input_with_an_error_summary(client, coaching):
    client.force_login(coaching.coach)
    url = reverse("leadership:coaching", kwargs={"pk": coaching.pk})
    page = client.post(
        url,
        {
            "held_on-day": "10",
            "held_on-month": "1",
            "held_on-year": "2026",
            "will": "Ask the team first",
        },
    )
    assert page.status_code == 400
    text = page.content.decode()
    assert "govuk-error-summary" in text
    assert "Say how it is recorded" in text
    assert "Enter the review date for the Will." in text
    page = client.post(
        url,
        {"held_on-day": "10", "held_on-month": "1", "held_on-year": "2026", "recorded": "together"},
    )
    assert page.status_code == 400
    assert "Write at least one stage" in page.content.decode()


def test_the_next_conversation_page_opens_on_the_last_will_and_follows_it_up(client, coaching):
    first = _conversation(coaching, date(2026, 1, 10))
    will = actions.commit(
        conversation=first,
        what="Ask a manager to open the review",
        review_on=date(2026, 2, 1),
        by=coaching.coach,
    )
    second = _conversation(coaching, date(2026, 2, 3))
    client.force_login(coaching.coachee)
    url = reverse("leadership:conversation", kwargs={"pk": second.pk})
    text = client.get(url).content.decode()
    assert "What happened since last time" in text
    assert "Ask a manager to open the review" in text
    step = f"follow_up-{will.pk}"
    page = client.post(url, {"step": step, f"a{will.pk}-what_happened": ""})
    assert page.status_code == 400
    text = page.content.decode()
    assert "govuk-error-summary" in text and "Say what happened." in text
    page = client.post(
        url,
        {
            "step": step,
            f"a{will.pk}-what_happened": "Nina opened it",
            f"a{will.pk}-effect": "too_soon",
            f"a{will.pk}-loop": "single",
        },
    )
    assert page.status_code == 302
    verdict = will.verdicts.get()
    assert verdict.outcome == Verdict.Outcome.TOO_EARLY
    assert "Followed up here: Too early to tell" in client.get(url).content.decode()


def test_either_of_the_two_ends_the_coaching_and_no_conversation_follows(client, coaching):
    client.force_login(coaching.coachee)
    url = reverse("leadership:coaching", kwargs={"pk": coaching.pk})
    page = client.post(url, {"step": "end", "until-day": "1", "until-month": "12"})
    assert page.status_code == 400
    assert "must include a year" in page.content.decode()
    page = client.post(url, {"step": "end", "until": "2025-12-01"})
    assert page.status_code == 400
    assert "cannot end before it began (1 January 2026)" in page.content.decode()
    assert client.post(url, {"step": "end", "until": "2026-06-30"}).status_code == 302
    coaching.refresh_from_db()
    assert coaching.until == date(2026, 6, 30)
    with pytest.raises(actions.LeadershipError, match="within the coaching's dates"):
        _conversation(coaching, date(2026, 7, 1))
