"""A 360 round (issue 18, item 2) from start to report, with every number worked by hand: the
person rates themselves, raters answer through their links (no account), the round closes, and
the report shows self against others, the largest gaps, change since the last round, and only
what the group threshold allows. Links refuse when altered, expired, used or the round closed;
editing the questionnaire never changes a past answer."""

from datetime import date, timedelta

import pytest
from django.core import signing
from django.utils import timezone

from placewise.sharing import actors, links
from placewise.sharing.models import AuditEntry
from placewise.surveys import actions, queries, report
from placewise.surveys.models import Question, Response, Round
from placewise.surveys.questionnaires import STATEMENTS

pytestmark = pytest.mark.django_db
KEYS = [s.key for s in STATEMENTS]  # 18 statements, 3 to each of the six dimensions


def flat(value: int) -> dict[str, int | None]:
    """Every statement rated `value`."""
    return dict.fromkeys(KEYS, value)


def rater(round_, group, name, answers, comment=""):
    invited = actions.invite_rater(round=round_, group=group, name=name, by=round_.person)
    actions.answer_as_rater(
        token=invited.token, answers=answers, comment=comment, by=actors.rater()
    )
    return invited


@pytest.fixture
def alice_round(people):
    alice = people["alice"]
    started = actions.start_round(by=alice, today=date(2026, 6, 1))
    own = flat(4)
    own["feeling-values"] = own["feeling-children"] = own["feeling-commitment"] = 5  # feeling 5
    own["doing-story"] = 2  # doing: (2 + 4 + 4) / 3 = 3.333…
    actions.rate_self(round=started, answers=own, comment="Mine only.", by=alice)
    return started


def test_a_round_reports_self_against_others_with_the_small_group_merged(alice_round, people):
    alice = people["alice"]
    # Three peers (a group of its own), two partners and one manager (merged: 3 "others").
    for n, value in enumerate((3, 4, 5)):
        rater(alice_round, "peer", f"Peer {n}", flat(value), comment=f"peer comment {n}")
    rater(alice_round, "partner", "Pat Partner", flat(2), comment="partner secret words")
    rater(alice_round, "partner", "Pam Partner", flat(3))
    manager = flat(4)
    manager["thinking-curious"] = None  # not seen: thinking = (4 + 4) / 2 = 4
    rater(alice_round, "manager", "Max Manager", manager, comment="manager secret words")
    actions.close_round(round=alice_round, by=alice, today=date(2026, 6, 30))

    built = report.build(alice_round)
    lines = {line.key: line for line in built.lines}
    assert list(lines) == ["peer", "others", "all"]
    assert (lines["peer"].raters, lines["others"].raters, lines["all"].raters) == (3, 3, 6)
    # Peers: (3 + 4 + 5) / 3 = 4. Others: (2 + 3 + 4) / 3 = 3. All: (3+4+5+2+3+4) / 6 = 3.5.
    assert lines["peer"].scores["feeling"] == 4
    assert lines["others"].scores["feeling"] == 3
    assert lines["all"].scores["feeling"] == 3.5
    assert built.own["feeling"] == 5
    assert built.own["doing"] == pytest.approx(10 / 3)
    # Gaps, self less all raters: feeling 5 - 3.5 = 1.5; the others 4 - 3.5 = 0.5, doing
    # 3.333 - 3.5 = -0.167. Largest three by size: feeling, then the first two at 0.5.
    assert [(g.dimension, round(g.size, 3)) for g in built.gaps] == [
        ("feeling", 1.5),
        ("perceiving", 0.5),
        ("thinking", 0.5),
    ]
    assert built.gaps[0].reading == "You rate yourself 1.5 higher than your raters do."
    # Comments word for word from the peers only; never from the merged manager or partners.
    texts = [text for _, text in built.comments]
    assert texts == ["peer comment 0", "peer comment 1", "peer comment 2"]
    assert built.comments_withheld
    assert built.changes == []


def test_change_since_the_last_round(alice_round, people):
    alice = people["alice"]
    for n in range(3):
        rater(alice_round, "peer", f"Peer {n}", flat(2))
    actions.close_round(round=alice_round, by=alice, today=date(2026, 6, 30))
    later = actions.start_round(by=alice, today=date(2026, 12, 1))
    actions.rate_self(round=later, answers=flat(3), by=alice)
    for n in range(3):
        rater(later, "peer", f"Peer {n}", flat(4))
    actions.close_round(round=later, by=alice, today=date(2026, 12, 20))
    built = report.build(later)
    assert built.previous == alice_round
    feeling = next(c for c in built.changes if c.dimension == "feeling")
    assert (feeling.own_before, feeling.own_now) == (5, 3)
    assert (feeling.raters_before, feeling.raters_now) == (2, 4)


def test_too_few_raters_altogether_withholds_every_rater_score(alice_round, people):
    rater(alice_round, "peer", "Only peer", flat(1), comment="only words")
    rater(alice_round, "manager", "Max", flat(5))
    actions.close_round(round=alice_round, by=people["alice"], today=date(2026, 6, 30))
    built = report.build(alice_round)
    assert built.plan.withheld
    assert built.lines == [] and built.gaps == [] and built.comments == []
    assert built.comments_withheld


def test_a_group_moved_into_others_when_others_would_be_one_or_two(alice_round, people):
    # Peers 3, reports 3, manager 1: others alone would be 1 (all 7 less 3 less 3), so the
    # smallest shown group, reports (equal to peers: the later one), joins the manager.
    for n in range(3):
        rater(alice_round, "peer", f"Peer {n}", flat(4))
        rater(alice_round, "report", f"Report {n}", flat(2), comment=f"report {n}")
    rater(alice_round, "manager", "Max", flat(5))
    actions.close_round(round=alice_round, by=people["alice"], today=date(2026, 6, 30))
    built = report.build(alice_round)
    lines = {line.key: line for line in built.lines}
    assert list(lines) == ["peer", "others", "all"]
    assert lines["others"].raters == 4
    assert lines["others"].scores["being"] == pytest.approx((2 * 3 + 5) / 4)  # 2.75
    # The reports' comments are no longer shown word for word: reports are not shown alone.
    assert built.comments == []


def test_answers_carry_no_name_and_the_audit_log_no_rater(alice_round):
    rater(alice_round, "partner", "Pat Partner", flat(3), comment="hello")
    stored = Response.objects.get(round=alice_round, group="partner")
    assert not {f.name for f in Response._meta.get_fields()} & {"rater", "created_at", "person"}
    assert stored.comment == "hello"
    entry = AuditEntry.objects.filter(action="surveys.rater_answer").latest("pk")
    assert "Pat" not in f"{entry.actor} {entry.target} {entry.detail}"


def test_the_round_is_listed_for_the_person(alice_round, people):
    rater(alice_round, "peer", "Peer", flat(3))
    actions.invite_rater(round=alice_round, group="peer", name="Slow peer", by=people["alice"])
    [summary] = queries.rounds_of(people["alice"])
    assert (summary.invited, summary.answered, summary.self_assessed) == (2, 1, True)
    assert summary.url == f"/surveys/rounds/{alice_round.pk}/"
    assert queries.rounds_of(people["bob"]) == []


# --- Links ---------------------------------------------------------------------------------------


def test_an_altered_link_is_refused_with_why(alice_round):
    invited = actions.invite_rater(round=alice_round, group="peer", name="P", by=alice_round.person)
    with pytest.raises(queries.LinkRefused, match="has been changed, or cut short"):
        queries.rater_for(invited.token[:-2] + "xx")
    forged = signing.Signer(salt=links.Purpose.RATER.value).sign(f"{invited.row.pk}.guessed")
    with pytest.raises(queries.LinkRefused, match="withdrawn"):
        queries.rater_for(forged)


def test_an_expired_link_is_refused_with_when(alice_round):
    invited = actions.invite_rater(
        round=alice_round, group="peer", name="P", days=3, by=alice_round.person
    )
    with pytest.raises(queries.LinkRefused, match="This link expired on"):
        queries.rater_for(invited.token, now=timezone.now() + timedelta(days=3, seconds=1))
    assert queries.rater_for(invited.token, now=timezone.now() + timedelta(days=2)).pk


def test_a_used_link_and_a_closed_round_refuse(alice_round, people):
    used = rater(alice_round, "peer", "P", flat(3))
    with pytest.raises(queries.LinkRefused, match="Feedback was given through this link on"):
        actions.answer_as_rater(token=used.token, answers=flat(3), by=actors.rater())
    waiting = actions.invite_rater(round=alice_round, group="peer", name="Q", by=people["alice"])
    actions.close_round(round=alice_round, by=people["alice"], today=date(2026, 6, 30))
    with pytest.raises(queries.LinkRefused, match="closed on 30 June 2026"):
        actions.answer_as_rater(token=waiting.token, answers=flat(3), by=actors.rater())
    assert AuditEntry.objects.filter(action="surveys.rater_answer", allowed=False).count() == 2


def test_answers_are_refused_without_a_rating_in_every_dimension(alice_round):
    invited = actions.invite_rater(round=alice_round, group="peer", name="P", by=alice_round.person)
    answers = flat(3)
    for key in ("being-courage", "being-resilient", "being-humble"):
        answers[key] = None
    with pytest.raises(actions.SurveyRefused, match="Ways of being has none"):
        actions.answer_as_rater(token=invited.token, answers=answers, by=actors.rater())
    with pytest.raises(actions.SurveyRefused, match="needs a rating from 1 to 5"):
        actions.answer_as_rater(
            token=invited.token, answers={**flat(3), "doing-story": 6}, by=actors.rater()
        )
    assert queries.rater_for(invited.token)  # still unused


# --- Versions --------------------------------------------------------------------------------------


def test_editing_the_questionnaire_never_changes_past_answers(alice_round, people):
    for n in range(3):
        rater(alice_round, "peer", f"Peer {n}", flat(4))
    actions.close_round(round=alice_round, by=people["alice"], today=date(2026, 6, 30))
    before = report.build(alice_round)
    old = alice_round.questionnaire
    revised = actions.revise_questionnaire(
        questionnaire=old,
        drafts=[
            actions.QuestionDraft(key="", text=f"New statement {d}", dimension=d)
            for d in ("feeling", "perceiving", "thinking", "relating", "being", "doing")
        ],
        what_changed="Shorter: one statement a dimension.",
        by=people["alice"],
    )
    assert (revised.version, old.version) == (2, 1)
    alice_round.refresh_from_db()
    assert alice_round.questionnaire == old  # the round keeps its version
    assert Question.objects.filter(questionnaire=old).count() == 18
    after = report.build(alice_round)
    assert [line.scores for line in after.lines] == [line.scores for line in before.lines]
    assert after.own == before.own
    later = actions.start_round(by=people["alice"], today=date(2026, 9, 1))
    assert later.questionnaire == revised
    assert Round.objects.get(pk=alice_round.pk).questionnaire.version == 1


def test_only_a_head_of_service_may_edit_the_questionnaire(alice_round, people):
    from placewise.sharing.access import AccessDenied

    with pytest.raises(AccessDenied, match="Only a head of service"):
        actions.revise_questionnaire(
            questionnaire=alice_round.questionnaire,
            drafts=[],
            what_changed="x",
            by=people["charlie"],
        )
    with pytest.raises(actions.SurveyRefused, match="Ways of doing has none"):
        actions.revise_questionnaire(
            questionnaire=alice_round.questionnaire,
            drafts=[actions.QuestionDraft(key="", text="x", dimension="feeling")],
            what_changed="x",
            by=people["alice"],
        )


def test_the_persons_data_to_take_away_holds_no_raters_answers(alice_round, people):
    import json

    for n in range(3):
        rater(alice_round, "peer", f"Peer {n}", flat(2), comment=f"peer {n}")
    rater(alice_round, "manager", "Max", flat(5), comment="manager words")
    actions.close_round(round=alice_round, by=people["alice"], today=date(2026, 6, 30))
    data = queries.data_of(people["alice"])
    text = json.dumps(data)  # JSON-ready as it is
    [entry] = data["rounds"]
    assert entry["own_note"] == "Mine only." and entry["own_answers"]["doing-story"] == 2
    assert entry["answered_by_group"] == {"peer": 3, "manager": 1}
    # Peers 3, manager 1: others would be 1, so only all four together: (2 × 3 + 5) / 4.
    [line] = entry["report"]["groups"]
    assert (line["raters"], line["scores"]["feeling"]) == (4, 2.75)
    assert "manager words" not in text and "peer 0" not in text
    assert queries.data_of(people["bob"]) == {"rounds": []}
