"""Writes for leadership development (issue 18): 4C plans and their experiments, reflections,
sharing, GROW coaching. Keyword-only, with the actor, atomic and audited (sharing/writes.py).
The audit log records that something was written, never what: the words are the person's."""

from datetime import date

from django.contrib.auth.models import User

from placewise.leadership import queries
from placewise.leadership.models import (
    Capability,
    Coaching,
    Conversation,
    Entry,
    Experiment,
    Level,
    Plan,
    Reflection,
    Scope,
    Share,
)
from placewise.leadership.queries import name
from placewise.leadership.starter import BY_KEY
from placewise.reviews import actions as engine
from placewise.reviews import evidence
from placewise.reviews.models import Action, Verdict
from placewise.sharing import audit, writes
from placewise.sharing.models import Organisation

# What the person says the effect was, as the follow-up engine's verdict.
OUTCOME = {
    Reflection.Effect.AS_HOPED: Verdict.Outcome.MOVED,
    Reflection.Effect.NO_CHANGE: Verdict.Outcome.NO_CHANGE,
    Reflection.Effect.WRONG_WAY: Verdict.Outcome.WRONG_WAY,
    Reflection.Effect.CANT_TELL: Verdict.Outcome.TOO_EARLY,
}


class LeadershipError(Exception):
    """A step that is not allowed, with the reason."""


def _own(plan: Plan, by: User) -> None:
    if by.pk != plan.person_id:
        raise LeadershipError(f"Only {name(plan.person)} writes their plan.")


@writes.action
def start_plan(
    *,
    level: str,
    started_on: date,
    by: User,
    organisation: Organisation | None = None,
) -> Plan:
    """The person's (`by`'s) 4C action plan at their level."""
    if level not in Level.values:
        raise LeadershipError("Choose your level: one of the framework's four pathways.")
    if queries.plan_of(by) is not None:
        raise LeadershipError("You have a plan already: change its level on it.")
    theirs = queries.organisations_of(by)
    if not theirs:
        raise LeadershipError(
            "You are not a member of any organisation, so there is nowhere to follow your "
            "experiments up: ask an administrator to add you to yours."
        )
    if organisation is None:
        if len(theirs) > 1:
            raise LeadershipError("Say which of your organisations the plan belongs to.")
        organisation = theirs[0]
    elif organisation not in theirs:
        raise LeadershipError(f"You are not a member of {organisation.name}.")
    plan = Plan.objects.create(
        person=by,
        organisation=organisation,
        level=level,
        started_on=started_on,
    )
    Entry.objects.create(plan=plan, kind=Entry.Kind.LEVEL, text=level, written_on=started_on)
    audit.record(
        actor=by.get_username(),
        action="leadership.plan",
        target=str(plan),
        detail={"plan": plan.pk, "level": level},
    )
    return plan


@writes.action
def change_level(*, plan: Plan, level: str, on: date, by: User) -> Plan:
    """A new level (a new role, a new pathway): kept in the plan's history."""
    _own(plan, by)
    if level not in Level.values:
        raise LeadershipError("Choose your level: one of the framework's four pathways.")
    if level == plan.level:
        raise LeadershipError(f"Your plan is already at the level {plan.get_level_display()}.")
    plan.level = level
    plan.save(update_fields=["level"])
    Entry.objects.create(plan=plan, kind=Entry.Kind.LEVEL, text=level, written_on=on)
    audit.record(
        actor=by.get_username(),
        action="leadership.level",
        target=str(plan),
        detail={"plan": plan.pk, "level": level},
    )
    return plan


@writes.action
def write_capability(
    *, plan: Plan, capability: str, stand: str, why: str, on: date, by: User
) -> list[Entry]:
    """Where the person stands on a capability and why it matters to them: appended to the
    plan's history when it differs from what they last wrote."""
    _own(plan, by)
    if capability not in Capability.values:
        raise LeadershipError("Choose one of the four capabilities.")
    if not stand.strip() and not why.strip():
        raise LeadershipError("Write where you stand now, why it matters for you, or both.")
    current = queries.current(plan)[capability]
    written = []
    for kind, text in ((Entry.Kind.STAND, stand.strip()), (Entry.Kind.WHY, why.strip())):
        last = current[kind]
        if text and (last is None or last.text != text):
            written.append(
                Entry.objects.create(
                    plan=plan, capability=capability, kind=kind, text=text, written_on=on
                )
            )
    if not written:
        raise LeadershipError("Nothing has changed since you last wrote about this capability.")
    audit.record(
        actor=by.get_username(),
        action="leadership.capability",
        target=str(plan),
        detail={"plan": plan.pk, "capability": capability, "entries": [e.pk for e in written]},
    )
    return written


@writes.action
def add_experiment(
    *,
    plan: Plan,
    capability: str,
    scope: str,
    activity: str,
    what: str,
    when_where: str,
    starts_on: date,
    review_on: date,
    by: User,
) -> Experiment:
    """Something the person will try: an action in the follow-up engine, due on its review date
    and measured by their own reflection on what happened."""
    _own(plan, by)
    if capability not in Capability.values:
        raise LeadershipError("Choose the capability the experiment develops.")
    if scope not in Scope.values:
        raise LeadershipError("Choose who the experiment is for: you, your team, the system.")
    if activity and activity not in BY_KEY:
        raise LeadershipError("Choose one of the starting points, or none.")
    if not what.strip() or not when_where.strip():
        raise LeadershipError("Say what you will try, and when and where.")
    if review_on <= starts_on:
        raise LeadershipError("The review date must be after the experiment starts.")
    try:
        action = engine.agree_action(
            origin=Action.Origin.EXPERIMENT,
            organisation=plan.organisation,
            agreed_at=str(plan),
            agreed_on=starts_on,
            description=what,
            owner=name(plan.person),
            due_on=review_on,
            direction=Action.Direction.UP,  # towards the difference hoped for
            measure=Action.Measure.REFLECTION,
            measure_key=capability,
            practitioner=plan.person,
            by=by,
        )
    except engine.ReviewError as refused:
        raise LeadershipError(str(refused)) from None
    experiment = Experiment.objects.create(
        plan=plan,
        capability=capability,
        scope=scope,
        activity=activity,
        what=what.strip(),
        when_where=when_where.strip(),
        starts_on=starts_on,
        review_on=review_on,
        action=action,
    )
    audit.record(
        actor=by.get_username(),
        action="leadership.experiment",
        target=str(plan),
        detail={"experiment": experiment.pk, "action": action.pk, "scope": scope},
    )
    return experiment


def _reflect(
    *,
    action: Action,
    given_at: str,
    written_on: date,
    what_happened: str,
    learned: str,
    effect: str,
    loop: str,
    by: User,
) -> tuple[Reflection, Verdict]:
    if not what_happened.strip():
        raise LeadershipError("Say what happened.")
    if effect not in Reflection.Effect.values:
        raise LeadershipError("Say what difference it made, or that it is too soon to say.")
    if action.agreed_on is not None and written_on < action.agreed_on:
        raise LeadershipError(
            f"A reflection comes after the action was agreed ({action.agreed_on:%-d %B %Y})."
        )
    reflected = Reflection.objects.create(
        action=action,
        written_on=written_on,
        what_happened=what_happened.strip(),
        learned=learned.strip(),
        effect=effect,
        written_by=by.get_username(),
    )
    try:
        verdict = engine.follow_up(
            action=action,
            given_at=given_at,
            outcome=OUTCOME[Reflection.Effect(effect)],
            loop=loop,
            note="",
            evidence=evidence.of(action, by),
            by=by,
        )
    except engine.ReviewError as refused:
        raise LeadershipError(str(refused)) from None
    return reflected, verdict


@writes.action
def reflect(
    *,
    experiment: Experiment,
    written_on: date,
    what_happened: str,
    learned: str,
    effect: str,
    loop: str,
    by: User,
) -> Reflection:
    """What happened and what the person learned: the experiment's follow-up in the engine."""
    _own(experiment.plan, by)
    reflected, verdict = _reflect(
        action=experiment.action,
        given_at=f"Reflection on a 4C experiment, {written_on.day} {written_on:%B %Y}",
        written_on=written_on,
        what_happened=what_happened,
        learned=learned,
        effect=effect,
        loop=loop,
        by=by,
    )
    audit.record(
        actor=by.get_username(),
        action="leadership.reflection",
        target=str(experiment.plan),
        detail={"experiment": experiment.pk, "reflection": reflected.pk, "verdict": verdict.pk},
    )
    return reflected


@writes.action
def share(*, viewer: User, by: User) -> Share:
    """Let someone (a coach, a supervisor) read your plan."""
    if viewer.pk == by.pk:
        raise LeadershipError("Your plan is yours already: choose someone else.")
    if not viewer.is_active:
        raise LeadershipError(f"{name(viewer)} no longer has an account.")
    made, created = Share.objects.get_or_create(person=by, viewer=viewer)
    if not created:
        raise LeadershipError(f"You already share your plan with {name(viewer)}.")
    audit.record(
        actor=by.get_username(),
        action="leadership.share",
        target=by.get_username(),
        detail={"viewer": viewer.get_username()},
    )
    return made


@writes.action
def unshare(*, viewer: User, by: User) -> None:
    """Stop sharing your plan with someone."""
    deleted, _ = Share.objects.filter(person_id=by.pk, viewer=viewer).delete()
    if not deleted:
        raise LeadershipError(f"You do not share your plan with {name(viewer)}.")
    audit.record(
        actor=by.get_username(),
        action="leadership.unshare",
        target=by.get_username(),
        detail={"viewer": viewer.get_username()},
    )


@writes.action
def start_coaching(*, coach: User, coachee: User, since: date, by: User) -> Coaching:
    """A coach and a coachee, recorded by either of them."""
    if by.pk not in (coach.pk, coachee.pk):
        raise LeadershipError("Coaching is recorded by the coach or the coachee.")
    if coach.pk == coachee.pk:
        raise LeadershipError("Someone cannot coach themselves.")
    if queries.current_coaching(coach, coachee) is not None:
        raise LeadershipError(f"{name(coach)} already coaches {name(coachee)}.")
    theirs = queries.organisations_of(coachee)
    if not theirs:
        raise LeadershipError(
            f"{name(coachee)} is not a member of any organisation, so there is nowhere to "
            "follow their commitments up."
        )
    coaching = Coaching.objects.create(
        coach=coach,
        coachee=coachee,
        organisation=theirs[0],
        since=since,
        started_by=by.get_username(),
    )
    audit.record(
        actor=by.get_username(),
        action="leadership.coaching",
        target=str(coaching),
        detail={"coaching": coaching.pk},
    )
    return coaching


def _in_it(coaching: Coaching, by: User) -> None:
    if by.pk not in (coaching.coach_id, coaching.coachee_id):
        raise LeadershipError("Only the coach and the coachee record their coaching.")


@writes.action
def end_coaching(*, coaching: Coaching, until: date, by: User) -> Coaching:
    _in_it(coaching, by)
    if coaching.until is not None:
        raise LeadershipError(f"This coaching ended on {coaching.until:%-d %B %Y}.")
    if until < coaching.since:
        raise LeadershipError(f"Coaching cannot end before it began ({coaching.since:%-d %B %Y}).")
    coaching.until = until
    coaching.save(update_fields=["until"])
    audit.record(
        actor=by.get_username(),
        action="leadership.coaching_end",
        target=str(coaching),
        detail={"coaching": coaching.pk},
    )
    return coaching


@writes.action
def record_conversation(
    *,
    coaching: Coaching,
    held_on: date,
    goal: str,
    reality: str,
    options: str,
    recorded: str,
    by: User,
) -> Conversation:
    """A GROW conversation, from whichever stage it started at (Will commitments are added to it
    one by one). Recorded together, or by one of the two with the other's consent."""
    _in_it(coaching, by)
    if recorded not in Conversation.Recorded.values:
        raise LeadershipError(
            "Say how it is recorded: together, or by you with the other person's consent. "
            "Without either, it cannot be recorded."
        )
    if held_on < coaching.since or (coaching.until and held_on > coaching.until):
        raise LeadershipError("The conversation must fall within the coaching's dates.")
    conversation = Conversation.objects.create(
        coaching=coaching,
        held_on=held_on,
        goal=goal.strip(),
        reality=reality.strip(),
        options=options.strip(),
        recorded=recorded,
        recorded_by=by.get_username(),
    )
    audit.record(
        actor=by.get_username(),
        action="leadership.conversation",
        target=str(coaching),
        detail={"conversation": conversation.pk, "recorded": recorded},
    )
    return conversation


@writes.action
def revise_conversation(
    *, conversation: Conversation, goal: str, reality: str, options: str, by: User
) -> Conversation:
    """Goal, Reality and Options as the two now write them (any stage, in any order)."""
    _in_it(conversation.coaching, by)
    conversation.goal, conversation.reality, conversation.options = (
        goal.strip(),
        reality.strip(),
        options.strip(),
    )
    conversation.save(update_fields=["goal", "reality", "options"])
    audit.record(
        actor=by.get_username(),
        action="leadership.conversation_revised",
        target=str(conversation.coaching),
        detail={"conversation": conversation.pk},
    )
    return conversation


@writes.action
def commit(*, conversation: Conversation, what: str, review_on: date, by: User) -> Action:
    """A Will: what the coachee will do, and when to look at what happened. An action in the
    follow-up engine, opened again at their next conversation."""
    coaching = conversation.coaching
    _in_it(coaching, by)
    if not what.strip():
        raise LeadershipError("Say what you will do.")
    if review_on <= conversation.held_on:
        raise LeadershipError("The review date must be after the conversation.")
    try:
        action = engine.agree_action(
            origin=Action.Origin.COACHING,
            organisation=coaching.organisation,
            agreed_at=str(conversation),
            agreed_on=conversation.held_on,
            description=what,
            owner=name(coaching.coachee),
            due_on=review_on,
            direction=Action.Direction.UP,
            measure=Action.Measure.REFLECTION,
            practitioner=coaching.coachee,
            by=by,
        )
    except engine.ReviewError as refused:
        raise LeadershipError(str(refused)) from None
    conversation.commitments.add(action)
    return action


@writes.action
def follow_up_commitment(
    *,
    conversation: Conversation,
    action: Action,
    what_happened: str,
    learned: str,
    effect: str,
    loop: str,
    by: User,
) -> Verdict:
    """At the next conversation: what happened to a Will, and the follow-up engine's verdict."""
    _in_it(conversation.coaching, by)
    if action.pk not in {a.pk for a in queries.to_follow_up(conversation)}:
        raise LeadershipError(
            "A conversation follows up the open commitments of earlier conversations in the "
            "same coaching."
        )
    _, verdict = _reflect(
        action=action,
        given_at=str(conversation),
        written_on=conversation.held_on,
        what_happened=what_happened,
        learned=learned,
        effect=effect,
        loop=loop,
        by=by,
    )
    conversation.follow_ups.add(verdict)
    audit.record(
        actor=by.get_username(),
        action="leadership.commitment_followed",
        target=str(conversation.coaching),
        detail={"conversation": conversation.pk, "action": action.pk, "verdict": verdict.pk},
    )
    return verdict
