"""The demo place's supervision (issue 17): for each practitioner the practice demo made, a
supervision session a week after their first round of peer reviews was shared, with what they
will try on the criteria peers named for improvement; and a second session after the second
round, which follows each up on the grades peers gave since — so the progress pages show the
practice named as an area for improvement, what was tried, and whether it moved. Everything is
written through supervision.actions (and so the follow-up engine).

Called from placewise.demo.build after the practice demo, which makes the practitioners, who
supervises whom and the two rounds of peer reviews:

    from placewise.supervision import demo_data as supervision_demo
    supervision_demo.build(council=orgs["council"], today=date.today())
"""

from datetime import date, timedelta

from django.db.models import Q

from placewise.practice.models import PeerReview, Supervision
from placewise.reviews import evidence
from placewise.reviews.models import Verdict
from placewise.sharing.models import Organisation
from placewise.supervision import actions, queries
from placewise.supervision.models import SupervisionSession

# What a practitioner will try for a criterion peers named for improvement, and in how many days.
WILL_TRY = {
    "child-seen-and-heard": (
        "Write the child's own words into every visit record, not only the assessment",
        60,
    ),
    "risk-reviewed": (
        "Write a short risk review note whenever someone joins or leaves the household",
        60,
    ),
    "plan-makes-a-difference": ("Give every action in the plan a date and an owner", 45),
    "risk-understood": ("Write the analysis of risk before the plan, and let it lead", 60),
}
REFLECTIONS = {
    1: "We read the peers' feedback together. {name} recognised the strengths they named and "
    "chose what to try on the areas for improvement, starting with what matters most to the "
    "child.",
    2: "We looked at the second round's feedback beside what {name} tried since the last "
    "session, criterion by criterion, and at what to keep and what to change.",
}
# The follow-up's outcome as the grades since read (evidence.criterion's `after_signal`).
OUTCOMES = {
    "as hoped": (Verdict.Outcome.MOVED, Verdict.Loop.SINGLE, "Peers now see it in the file."),
    "no change": (
        Verdict.Outcome.NO_CHANGE,
        Verdict.Loop.DOUBLE,
        "Peers still name it: we are changing what to try, not trying harder.",
    ),
    "the wrong way": (
        Verdict.Outcome.WRONG_WAY,
        Verdict.Loop.DOUBLE,
        "Peers read it as worse: we will look at why before trying again.",
    ),
}


def _graded(supervision: Supervision) -> list[PeerReview]:
    """The supervisee's shared reviews that peers gave feedback on, oldest first."""
    return list(
        PeerReview.objects.filter(
            presenter_id=supervision.supervisee_id, shared_on__isnull=False, feedback__isnull=False
        )
        .distinct()
        .order_by("held_on", "pk")
    )


def _to_improve(review: PeerReview) -> list[str]:
    """Criteria (keys) a peer named an area for improvement on, that there is a will-try for."""
    named = review.feedback.exclude(Q(improvements="") | Q(improvements__isnull=True))
    keys = sorted(set(named.values_list("criterion__key", flat=True)))
    return [k for k in keys if k in WILL_TRY]


def build(*, council: Organisation, today: date) -> None:
    """Two supervision sessions for each supervisee with shared reviews. Run again, it adds
    nothing."""
    supervisions = list(
        queries.current(Supervision.objects.filter(organisation=council), today).select_related(
            "supervisor", "supervisee"
        )
    )
    if SupervisionSession.objects.filter(supervision__in=supervisions).exists():
        return
    for supervision in supervisions:
        reviews = _graded(supervision)
        if not reviews:
            continue
        first = reviews[0]
        assert first.shared_on is not None
        held_on = min(first.shared_on + timedelta(days=7), today)
        session = actions.record_session(
            supervision=supervision,
            held_on=held_on,
            reviews=[r for r in reviews if r.shared_on and r.shared_on <= held_on],
            reflections=REFLECTIONS[1].format(name=queries.name(supervision.supervisee)),
            by=supervision.supervisor,
        )
        agreed = []
        for key in _to_improve(first):
            description, days = WILL_TRY[key]
            agreed.append(
                actions.agree_will_try(
                    session=session,
                    description=description,
                    criterion_key=key,
                    due_on=held_on + timedelta(days=days),
                    by=supervision.supervisor,
                )
            )
        since = [r for r in reviews if r.held_on > held_on and r.shared_on]
        if not since:
            continue
        latest = since[-1].shared_on
        assert latest is not None
        second = actions.record_session(
            supervision=supervision,
            held_on=min(latest + timedelta(days=5), today),
            reviews=since,
            reflections=REFLECTIONS[2].format(name=queries.name(supervision.supervisee)),
            by=supervision.supervisor,
        )
        for action in agreed:
            found = evidence.of(action, supervision.supervisor)
            outcome, loop, note = OUTCOMES.get(
                found.get("after_signal", ""),
                (Verdict.Outcome.TOO_EARLY, Verdict.Loop.SINGLE, "No review since yet."),
            )
            actions.follow_up(
                session=second,
                action=action,
                outcome=outcome,
                loop=loop,
                note=note,
                by=supervision.supervisor,
            )
            if outcome != Verdict.Outcome.MOVED:
                # Not there yet: something different to try, followed up at the next session.
                actions.agree_will_try(
                    session=second,
                    description=f"Talk it through with a peer from another team first: "
                    f"{WILL_TRY[action.measure_key][0].lower()}",
                    criterion_key=action.measure_key,
                    due_on=second.held_on + timedelta(days=60),
                    by=supervision.supervisor,
                )
