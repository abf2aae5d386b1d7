"""Supervision (issue 17, items 4 and 5): who supervises whom, sessions on the reviews a
practitioner shared, what they will try as an action in the one follow-up engine, and the
follow-up at the next supervision on the grades peers gave since — worked out by hand."""

from datetime import date

import pytest

from placewise.reviews import evidence
from placewise.reviews.models import Action, Verdict
from placewise.sharing.models import AuditEntry
from placewise.supervision import actions, progress, queries
from tests.integration.supervision.test_supervision_factories import (  # noqa: F401 (a fixture)
    GOOD,
    OUTSTANDING,
    RI,
    RISK,
    _finder_registered,
    council_practice,
    peer_review,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def everyone(people):
    return council_practice(people)


@pytest.fixture
def supervision(everyone):
    return actions.start_supervision(
        supervisor=everyone["frank"],
        supervisee=everyone["erin"],
        since=date(2026, 1, 1),
        by=everyone["frank"],
    )


# --- Who supervises whom ------------------------------------------------------------------------


def test_a_supervisor_records_whom_they_supervise_and_it_is_audited(everyone, supervision):
    assert (supervision.supervisor, supervision.supervisee) == (everyone["frank"], everyone["erin"])
    assert supervision.organisation == everyone["orgs"]["council"]
    assert queries.supervisor_of(everyone["erin"], date(2026, 2, 1)) == supervision
    assert queries.supervising(everyone["frank"], date(2026, 2, 1)) == [supervision]
    assert AuditEntry.objects.filter(action="supervision.start", actor="frank").count() == 1


@pytest.mark.parametrize(
    ("supervisor", "supervisee", "by", "reason"),
    [
        ("frank", "frank", "frank", "cannot be their own supervisor"),
        ("gita", "ivy", "gita", "do not include permission to supervise practitioners"),
        ("frank", "bob", "frank", "Bob Bennett is not a member of Northshire"),
        ("frank", "ivy", "erin", "only the people you supervise yourself"),
        ("alice", "erin", "alice", "supervised by Frank Test since 1 January 2026"),
    ],
)
def test_who_supervises_whom_refuses_with_the_reason(
    everyone, supervision, supervisor, supervisee, by, reason
):
    with pytest.raises(actions.SupervisionError, match=reason):
        actions.start_supervision(
            supervisor=everyone[supervisor],
            supervisee=everyone[supervisee],
            since=date(2026, 2, 1),
            by=everyone[by],
        )
    assert queries.supervisor_of(everyone["ivy"], date(2026, 2, 1)) is None


def test_a_head_of_service_records_and_ends_anyones_supervision(everyone):
    made = actions.start_supervision(
        supervisor=everyone["frank"],
        supervisee=everyone["ivy"],
        since=date(2026, 1, 1),
        by=everyone["alice"],
    )
    with pytest.raises(actions.SupervisionError, match="by its supervisor or by a head"):
        actions.end_supervision(supervision=made, until=date(2026, 6, 30), by=everyone["ivy"])
    with pytest.raises(actions.SupervisionError, match="cannot end before it began"):
        actions.end_supervision(supervision=made, until=date(2025, 12, 31), by=everyone["alice"])
    actions.end_supervision(supervision=made, until=date(2026, 6, 30), by=everyone["alice"])
    with pytest.raises(actions.SupervisionError, match="ended on 30 June 2026"):
        actions.end_supervision(supervision=made, until=date(2026, 7, 1), by=everyone["frank"])
    assert queries.supervisor_of(everyone["ivy"], date(2026, 6, 30)) == made
    assert queries.supervisor_of(everyone["ivy"], date(2026, 7, 1)) is None


# --- Sessions and what the practitioner will try ---------------------------------------------


def _session(supervision, everyone, held_on, reviews=(), by="frank"):
    return actions.record_session(
        supervision=supervision,
        held_on=held_on,
        reviews=list(reviews),
        reflections="Erin wants to write her risk analysis before the plan",
        by=everyone[by],
    )


def test_a_session_discusses_only_the_reviews_shared_by_its_date(everyone, supervision):
    shared = peer_review(
        everyone,
        held_on=date(2026, 3, 2),
        grades={"gita": RI, "hamid": RI},
        shared_on=date(2026, 3, 5),
    )
    unshared = peer_review(everyone, held_on=date(2026, 3, 3), grades={"gita": RI, "hamid": RI})
    ivys = peer_review(
        everyone,
        held_on=date(2026, 3, 3),
        grades={"gita": RI, "hamid": RI},
        presenter="ivy",
        shared_on=date(2026, 3, 5),
    )
    for review in (unshared, ivys):
        with pytest.raises(actions.SupervisionError, match="shared into supervision"):
            _session(supervision, everyone, date(2026, 3, 12), [review])
    with pytest.raises(actions.SupervisionError, match="shared into supervision"):
        _session(supervision, everyone, date(2026, 3, 4), [shared])  # shared the day after
    with pytest.raises(actions.SupervisionError, match="within the supervision"):
        _session(supervision, everyone, date(2025, 12, 1), [])
    with pytest.raises(actions.SupervisionError, match="recorded by the supervisor or"):
        _session(supervision, everyone, date(2026, 3, 12), [shared], by="gita")
    with pytest.raises(actions.SupervisionError, match="Record the reflections"):
        actions.record_session(
            supervision=supervision,
            held_on=date(2026, 3, 12),
            reviews=[shared],
            reflections="  ",
            by=everyone["erin"],
        )
    session = _session(supervision, everyone, date(2026, 3, 12), [shared], by="erin")
    assert list(session.reviews.all()) == [shared]
    assert str(session) == "Supervision, 12 March 2026"


def test_what_they_will_try_is_an_action_in_the_follow_up_engine(everyone, supervision):
    shared = peer_review(
        everyone,
        held_on=date(2026, 3, 2),
        grades={"gita": RI, "hamid": RI},
        shared_on=date(2026, 3, 5),
    )
    session = _session(supervision, everyone, date(2026, 3, 12), [shared])
    with pytest.raises(actions.SupervisionError, match="Choose the criterion"):
        actions.agree_will_try(
            session=session,
            description="x",
            criterion_key="no-such",
            due_on=date(2026, 6, 1),
            by=everyone["frank"],
        )
    with pytest.raises(actions.SupervisionError, match="cannot be due before"):
        actions.agree_will_try(
            session=session,
            description="Write the risk analysis first",
            criterion_key=RISK,
            due_on=date(2026, 3, 1),
            by=everyone["frank"],
        )
    action = actions.agree_will_try(
        session=session,
        description="Write the risk analysis first",
        criterion_key=RISK,
        due_on=date(2026, 6, 1),
        by=everyone["frank"],
    )
    assert (
        action.origin,
        action.measure,
        action.measure_key,
        action.practitioner,
        action.owner,
        action.organisation,
        action.agreed_at,
        action.from_period,
        action.direction,
    ) == (
        Action.Origin.SUPERVISION,
        Action.Measure.CRITERION,
        RISK,
        everyone["erin"],
        "Erin Test",
        everyone["orgs"]["council"],
        "Supervision, 12 March 2026",
        date(2026, 3, 1),
        Action.Direction.UP,
    )
    assert list(session.actions.all()) == [action]
    assert AuditEntry.objects.filter(action="supervision.action").count() == 1


# --- The follow-up, on evidence worked out by hand ---------------------------------------------


@pytest.fixture
def story(everyone, supervision):
    """Reviews of Erin's practice on the risk criterion (peers Gita and Hamid):

    2 March 2026   RI, RI            (shared 5 March)   most given: RI
    12 March       supervision: "Write the risk analysis first", due 1 June
    20 May         Good, RI          (shared 22 May)    a tie: the less good, RI
    8 July         Good, Outstanding (not shared)       a tie: the less good, Good
    """
    first = peer_review(
        everyone,
        held_on=date(2026, 3, 2),
        grades={"gita": RI, "hamid": RI},
        improvements="The risk analysis follows the plan instead of leading it",
        point="Analyse the risk before planning",
        shared_on=date(2026, 3, 5),
    )
    session = _session(supervision, everyone, date(2026, 3, 12), [first])
    action = actions.agree_will_try(
        session=session,
        description="Write the risk analysis first",
        criterion_key=RISK,
        due_on=date(2026, 6, 1),
        by=everyone["frank"],
    )
    return {**everyone, "first": first, "session": session, "action": action}


def test_too_early_to_tell_until_a_review_since_has_graded_the_criterion(story):
    found = evidence.of(story["action"], story["erin"])
    assert found["before"] == [{"held_on": "2026-03-02", "grades": [[RI, 2]]}]
    assert found["after"] == []
    assert "since the action was agreed on 12 March 2026" in found["waiting"]
    later = _session(
        story["session"].supervision, story, date(2026, 4, 9), [story["first"]], by="erin"
    )
    with pytest.raises(actions.SupervisionError, match="too early to tell"):
        actions.follow_up(
            session=later,
            action=story["action"],
            outcome=Verdict.Outcome.MOVED,
            loop=Verdict.Loop.SINGLE,
            note="",
            by=story["erin"],
        )
    verdict = actions.follow_up(
        session=later,
        action=story["action"],
        outcome=Verdict.Outcome.TOO_EARLY,
        loop=Verdict.Loop.SINGLE,
        note="No review yet",
        by=story["erin"],
    )
    assert list(later.follow_ups.all()) == [verdict]
    assert verdict.given_at == "Supervision, 9 April 2026"


def test_the_evidence_is_the_grades_before_and_since_as_the_viewer_may_see_them(story):
    peer_review(
        story,
        held_on=date(2026, 5, 20),
        grades={"gita": GOOD, "hamid": RI},
        shared_on=date(2026, 5, 22),
    )
    peer_review(story, held_on=date(2026, 7, 8), grades={"gita": GOOD, "hamid": OUTSTANDING})
    # Erin sees every review: most peers' grade went from RI to Good (the tie read cautiously).
    mine = evidence.of(story["action"], story["erin"])
    assert mine["before"] == [{"held_on": "2026-03-02", "grades": [[RI, 2]]}]
    assert mine["after"] == [
        {"held_on": "2026-05-20", "grades": [[GOOD, 1], [RI, 1]]},
        {"held_on": "2026-07-08", "grades": [[OUTSTANDING, 1], [GOOD, 1]]},
    ]
    assert (mine["last_before"], mine["latest_since"], mine["after_signal"]) == (
        RI,
        GOOD,
        "as hoped",
    )
    assert mine["months_after"] == 5  # March to July, both counted
    assert "waiting" not in mine
    # Frank sees the shared reviews only: since, one review, Good and RI, read as RI.
    his = evidence.of(story["action"], story["frank"])
    assert his["after"] == [{"held_on": "2026-05-20", "grades": [[GOOD, 1], [RI, 1]]}]
    assert (his["latest_since"], his["after_signal"], his["months_after"]) == (
        RI,
        "no change",
        3,
    )
    assert his["shared_only"] is True
    assert mine["ready"] is True and his["ready"] is True


def test_no_change_may_be_recorded_as_soon_as_a_review_since_says_so(story):
    peer_review(
        story,
        held_on=date(2026, 5, 20),
        grades={"gita": GOOD, "hamid": RI},
        shared_on=date(2026, 5, 22),
    )
    later = _session(story["session"].supervision, story, date(2026, 5, 28))
    verdict = actions.follow_up(
        session=later,
        action=story["action"],
        outcome=Verdict.Outcome.NO_CHANGE,
        loop=Verdict.Loop.SINGLE,
        note="Most peers still read the risk analysis as following the plan",
        by=story["frank"],
    )
    assert (verdict.evidence["after_signal"], verdict.evidence["months_after"]) == ("no change", 3)


def test_the_next_supervision_follows_up_with_the_evidence_kept(story):
    peer_review(
        story,
        held_on=date(2026, 7, 8),
        grades={"gita": GOOD, "hamid": OUTSTANDING},
        shared_on=date(2026, 7, 10),
    )
    later = _session(story["session"].supervision, story, date(2026, 7, 15))
    assert queries.open_actions_to_follow_up(later) == [story["action"]]
    assert queries.open_actions_to_follow_up(story["session"]) == []
    verdict = actions.follow_up(
        session=later,
        action=story["action"],
        outcome=Verdict.Outcome.MOVED,
        loop=Verdict.Loop.SINGLE,
        note="The analysis now leads the plan",
        by=story["frank"],
    )
    assert verdict.evidence["after_signal"] == "as hoped"
    assert verdict.evidence["summary"] == (
        "Most peers' grade before: Requires improvement to be good (2 March 2026); "
        "since: Good (8 July 2026)."
    )
    assert list(later.follow_ups.all()) == [verdict]
    assert AuditEntry.objects.filter(action="supervision.verdict").count() == 1


# --- Progress across reviews ---------------------------------------------------------------------


def test_progress_puts_grades_learning_points_and_actions_in_date_order(story):
    peer_review(
        story,
        held_on=date(2026, 5, 20),
        grades={"gita": GOOD, "hamid": RI},
        shared_on=date(2026, 5, 22),
    )
    peer_review(story, held_on=date(2026, 7, 8), grades={"gita": GOOD, "hamid": OUTSTANDING})
    later = _session(story["session"].supervision, story, date(2026, 7, 15))
    actions.follow_up(
        session=later,
        action=story["action"],
        outcome=Verdict.Outcome.MOVED,
        loop=Verdict.Loop.SINGLE,
        note="",
        by=story["erin"],
    )
    mine = progress.of(queries.progress_access(story["erin"], story["erin"], date(2026, 12, 1)))
    risk = next(c for c in mine.criteria if c.key == RISK)
    assert [(e.on, e.kind) for e in risk.entries] == [
        (date(2026, 3, 2), "review"),
        (date(2026, 3, 12), "action"),
        (date(2026, 5, 20), "review"),
        (date(2026, 7, 8), "review"),
        (date(2026, 7, 15), "follow_up"),
    ]
    first = risk.entries[0].grades
    assert first.said == f"{RI} (2 peers)"
    assert first.learning_points == ("Analyse the risk before planning",)
    assert first.improvements == ("The risk analysis follows the plan instead of leading it",)
    assert risk.reviews[2].said == f"{OUTSTANDING} (1 peer), {GOOD} (1 peer)"
    # One dot a grade given in a review: 1 + 2 + 2.
    assert len(risk.chart.dots) == 5
    assert [row.grade for row in risk.chart.rows] == [OUTSTANDING, GOOD, RI, "Inadequate"]

    # Frank, Erin's supervisor, sees the two shared reviews and what was agreed with him.
    his = progress.of(queries.progress_access(story["frank"], story["erin"], date(2026, 12, 1)))
    assert [r.held_on for r in his.reviews] == [date(2026, 3, 2), date(2026, 5, 20)]
    risk = next(c for c in his.criteria if c.key == RISK)
    assert [e.kind for e in risk.entries] == ["review", "action", "review", "follow_up"]
