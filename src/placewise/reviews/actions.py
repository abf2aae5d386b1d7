"""Writes for data review sessions: atomic, with an actor, audited."""

from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, User

from placewise.indicators import library
from placewise.outcomes import data
from placewise.outcomes.models import IndicatorChange
from placewise.reviews.agenda import agenda_from
from placewise.reviews.evidence import too_early
from placewise.reviews.models import Action, AgendaItem, ReviewSession, Verdict
from placewise.sharing import audit, versions, writes
from placewise.sharing.access import permission
from placewise.sharing.models import Organisation, Version
from placewise.sharing.permissions import Permission
from placewise.sharing.publication import PublishedSeries


class ReviewError(Exception):
    """A step in a review that is not allowed, with the reason."""


@writes.action
def create_session(
    *,
    team: str,
    held_on: date,
    attendees: str,
    follow_up_on: date | None,
    follows: ReviewSession | None,
    by: User,
    signals: list[PublishedSeries],
    organisation: Organisation | None = None,
) -> ReviewSession:
    """A session of the chair's (`by`'s) organisation: the one in which they run review sessions,
    or, if they run them for more than one, the one they name."""
    chair = by
    if follow_up_on is not None and follow_up_on <= held_on:
        raise ReviewError("The follow-up must be after the session.")
    organisation = session_organisation(chair, organisation)
    if follows is not None and follows.organisation_id != organisation.pk:
        raise ReviewError(
            f"A follow-up looks back at a session of its own organisation: '{follows}' was "
            f"held by {follows.organisation.name}, and this session is for {organisation.name}."
        )
    session = ReviewSession.objects.create(
        organisation=organisation,
        team=team,
        held_on=held_on,
        attendees=attendees.strip(),
        follow_up_on=follow_up_on,
        follows=follows,
        chair=chair,
    )
    for origin, signal, standing in agenda_from(
        signals, team, since=follows.held_on if follows else None
    ):
        AgendaItem.objects.create(
            session=session,
            indicator=signal.indicator.key,
            team=signal.team,
            origin=origin,
            highlight=signal.highlight,
            standing_since=standing,
        )
    audit.record(
        actor=chair.get_username(),
        action="review.create",
        target=str(session),
        detail={
            "items": session.items.count(),
            "follows": follows.pk if follows else None,
            "organisation": organisation.name,
        },
    )
    return session


def session_organisation(
    chair: AbstractBaseUser, organisation: Organisation | None = None
) -> Organisation:
    """The organisation a new session belongs to: where the chair runs review sessions."""
    decision = permission(chair, Permission.REVIEW_RUN)
    if not decision.allowed:
        raise ReviewError(decision.reason)
    if organisation is not None:
        if organisation not in decision.organisations:
            raise ReviewError(
                f"You run review sessions only for {_names(decision.organisations)}, "
                f"not for {organisation.name}."
            )
        return organisation
    if len(decision.organisations) > 1:
        raise ReviewError(
            f"You run review sessions for {_names(decision.organisations)}: say which "
            "organisation's session this is."
        )
    return decision.organisations[0]


def _names(organisations: tuple[Organisation, ...]) -> str:
    names = [o.name for o in organisations]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


@writes.action
def add_item(*, session: ReviewSession, signal: PublishedSeries, by: User) -> AgendaItem:
    """An indicator the chair adds to the agenda."""
    if session.items.filter(indicator=signal.indicator.key, team=signal.team).exists():
        raise ReviewError(f"{signal.indicator.title} is already on the agenda.")
    item = AgendaItem.objects.create(
        session=session,
        indicator=signal.indicator.key,
        team=signal.team,
        origin=AgendaItem.Origin.CHAIR,
        highlight=signal.highlight,
    )
    audit.record(
        actor=by.get_username(),
        action="review.add_item",
        target=str(session),
        detail={"indicator": item.indicator},
    )
    return item


@writes.action
def record_discussion(*, item: AgendaItem, interpretations: str, reasons: str, by: User) -> None:
    item.interpretations, item.reasons = interpretations.strip(), reasons.strip()
    item.save(update_fields=["interpretations", "reasons"])
    audit.record(
        actor=by.get_username(),
        action="review.discussion",
        target=str(item.session),
        detail={"item": item.pk},
    )


@writes.action
def add_action(
    *,
    item: AgendaItem,
    description: str,
    owner: str,
    due_on: date,
    direction: str,
    by: User,
) -> Action:
    """An action agreed at a data review session, to move the agenda item's indicator."""
    session = item.session
    return _agree(
        origin=Action.Origin.REVIEW_SESSION,
        organisation=session.organisation,
        agreed_at=str(session),
        agreed_on=session.held_on,
        description=description,
        owner=owner,
        due_on=due_on,
        measure=Action.Measure.INDICATOR,
        indicator=item.indicator,
        team=item.team,
        direction=direction,
        item=item,
        by=by,
    )


@writes.action
def agree_action(
    *,
    origin: str,
    organisation: Organisation,
    agreed_at: str,
    agreed_on: date,
    description: str,
    owner: str,
    due_on: date,
    direction: str,
    by: User,
    measure: str = Action.Measure.INDICATOR,
    indicator: str = "",
    team: str = "",
    measure_key: str = "",
    practitioner: User | None = None,
) -> Action:
    """An action agreed anywhere but a data review session — a supervision, an operational or
    strategic review, coaching, a 4C experiment, a co-design proposal — in the same follow-up
    engine: an owner, a due date, the measure it should move, and a follow-up that asks whether
    it moved."""
    if origin == Action.Origin.REVIEW_SESSION:
        raise ReviewError("An action of a data review session is agreed on its agenda item.")
    return _agree(
        origin=origin,
        organisation=organisation,
        agreed_at=agreed_at,
        agreed_on=agreed_on,
        description=description,
        owner=owner,
        due_on=due_on,
        measure=measure,
        indicator=indicator,
        team=team,
        measure_key=measure_key,
        direction=direction,
        practitioner=practitioner,
        by=by,
    )


def _agree(
    *,
    origin: str,
    organisation: Organisation,
    agreed_at: str,
    agreed_on: date,
    description: str,
    owner: str,
    due_on: date,
    measure: str,
    direction: str,
    by: User,
    indicator: str = "",
    team: str = "",
    measure_key: str = "",
    practitioner: User | None = None,
    item: AgendaItem | None = None,
) -> Action:
    if not description.strip() or not owner.strip():
        raise ReviewError("An action needs what will be done and who owns it.")
    if due_on < agreed_on:
        raise ReviewError("The action cannot be due before it was agreed.")
    if direction not in Action.Direction.values:
        raise ReviewError("Say which way the measure should move: up or down.")
    if measure == Action.Measure.INDICATOR and not (indicator and team):
        raise ReviewError("Name the indicator, and the team, the action should move.")
    if measure == Action.Measure.CRITERION and not (measure_key and practitioner is not None):
        raise ReviewError("Name the criterion the action should improve, and whose practice.")
    if measure == Action.Measure.REFLECTION and practitioner is None:
        raise ReviewError("Name whose reflection will say whether the action made a difference.")
    if measure not in Action.Measure.values:
        raise ReviewError(f"There is no measure of the kind '{measure}'.")
    action = Action.objects.create(
        origin=origin,
        organisation=organisation,
        agreed_at=agreed_at,
        agreed_on=agreed_on,
        item=item,
        description=description.strip(),
        owner=owner.strip(),
        due_on=due_on,
        measure=measure,
        measure_key=measure_key,
        indicator=indicator,
        team=team,
        direction=direction,
        practitioner=practitioner,
        # The month the action starts from: the follow-up compares the measure before and after.
        from_period=agreed_on.replace(day=1),
        created_by=by.get_username(),
    )
    audit.record(
        actor=by.get_username(),
        action="review.action" if item is not None else f"{origin}.action",
        target=agreed_at,
        detail={
            "action": action.pk,
            "measure": measure,
            "indicator": indicator or None,
            "criterion": measure_key or None,
            "direction": direction,
        },
    )
    return action


@writes.action
def give_verdict(
    *,
    action: Action,
    session: ReviewSession,
    outcome: str,
    loop: str,
    note: str,
    evidence: dict[str, Any],
    by: User,
    change: str = "",
    change_settings: dict[str, object] | None = None,
    change_reason: str = "",
) -> Verdict:
    """Record whether the measure moved; a double-loop verdict may retire or redefine the
    indicator, with its reason kept."""
    agreed = action.session
    followed = agreed is not None and session.follows_id == agreed.pk
    if not followed and action.carried_to_id != session.pk:
        raise ReviewError(
            "A verdict is given at a follow-up of the session that agreed the action."
        )
    waiting = too_early(evidence)
    if waiting and outcome != Verdict.Outcome.TOO_EARLY:
        raise ReviewError(waiting)
    if change and loop != Verdict.Loop.DOUBLE:
        raise ReviewError("Only a double-loop verdict changes the measure itself.")
    if change and not change_reason.strip():
        raise ReviewError("Say why the indicator is being retired or redefined.")
    if change == IndicatorChange.Change.REDEFINE:
        if not change_settings:
            raise ReviewError("Say which settings change, like: days = 40.")
        current = data.indicators().get(action.indicator)
        if current is None:
            raise ReviewError("That indicator has been retired.")
        try:
            library.redefine(current, change_settings)
        except library.LibraryError as error:
            raise ReviewError(f"The new definition does not work: {error}") from None
    verdict, _ = Verdict.objects.update_or_create(
        action=action,
        session=session,
        defaults={
            "outcome": outcome,
            "loop": loop,
            "note": note.strip(),
            "evidence": evidence,
            "decided_by": by.get_username(),
        },
    )
    if change:
        IndicatorChange.objects.create(
            indicator=action.indicator,
            change=change,
            settings=change_settings or {},
            reason=change_reason.strip(),
            made_by=by.get_username(),
            verdict=verdict,
        )
        versions.bump(Version.Of.DATA, reason=f"{change} {action.indicator}")
    audit.record(
        actor=by.get_username(),
        action="review.verdict",
        target=str(session),
        detail={"action": action.pk, "outcome": outcome, "loop": loop, "change": change or None},
    )
    return verdict


@writes.action
def follow_up(
    *,
    action: Action,
    given_at: str,
    outcome: str,
    loop: str,
    note: str,
    evidence: dict[str, Any],
    by: User,
) -> Verdict:
    """Whether the measure moved, asked where the action is followed up outside a data review
    session: the next supervision, the next review meeting, the next coaching conversation.
    The same verdicts and the same rule: "too early to tell" until the evidence can speak."""
    if action.item is not None:
        raise ReviewError("An action of a data review session is followed up at its follow-up.")
    if not given_at.strip():
        raise ReviewError("Say where the action was followed up.")
    if outcome not in Verdict.Outcome.values or loop not in Verdict.Loop.values:
        raise ReviewError("Choose whether the measure moved, and which loop the learning is.")
    waiting = too_early(evidence)
    if waiting and outcome != Verdict.Outcome.TOO_EARLY:
        raise ReviewError(waiting)
    verdict, _ = Verdict.objects.update_or_create(
        action=action,
        session=None,
        given_at=given_at.strip(),
        defaults={
            "outcome": outcome,
            "loop": loop,
            "note": note.strip(),
            "evidence": evidence,
            "decided_by": by.get_username(),
        },
    )
    audit.record(
        actor=by.get_username(),
        action=f"{action.origin}.verdict",
        target=given_at.strip(),
        detail={"action": action.pk, "outcome": outcome, "loop": loop},
    )
    return verdict


@writes.action
def change_action(
    *, action: Action, description: str, owner: str, due_on: date, by: User
) -> Action:
    """Edit what an open action is, who owns it (reassigning it) and when it is due."""
    if not action.is_open:
        raise ReviewError("The action is closed: carry on with a new one instead.")
    if not description.strip() or not owner.strip():
        raise ReviewError("An action needs what will be done and who owns it.")
    if action.agreed_on is not None and due_on < action.agreed_on:
        raise ReviewError("The action cannot be due before it was agreed.")
    before = {"description": action.description, "owner": action.owner, "due_on": action.due_on}
    action.description, action.owner, action.due_on = description.strip(), owner.strip(), due_on
    action.save(update_fields=["description", "owner", "due_on"])
    audit.record(
        actor=by.get_username(),
        action="review.action_changed",
        target=action.agreed_at,
        detail={"action": action.pk, "before": before},
    )
    return action


@writes.action
def close_action(*, action: Action, note: str, on: date, by: User) -> Action:
    """Close an action (done, or no longer worth doing), saying why."""
    if not action.is_open:
        raise ReviewError("The action is already closed.")
    if not note.strip():
        raise ReviewError("Say why the action is closed: done, or no longer worth doing.")
    action.closed_on, action.closed_by, action.closing_note = on, by.get_username(), note.strip()
    action.save(update_fields=["closed_on", "closed_by", "closing_note"])
    audit.record(
        actor=by.get_username(),
        action="review.action_closed",
        target=action.agreed_at,
        detail={"action": action.pk},
    )
    return action


@writes.action
def carry_action(*, action: Action, to: ReviewSession, by: User) -> Action:
    """Carry an open action to a later session of the same organisation, which follows it up."""
    if not action.is_open:
        raise ReviewError("A closed action is not carried.")
    agreed = action.session
    if agreed is None:
        if action.organisation_id != to.organisation_id:
            raise ReviewError("An action is carried only to a session of its own organisation.")
        if action.measure != Action.Measure.INDICATOR:
            raise ReviewError("A data review session follows up actions that move an indicator.")
        if action.agreed_on is not None and to.held_on <= action.agreed_on:
            raise ReviewError("An action is carried to a session after it was agreed.")
        action.carried_to = to
        action.save(update_fields=["carried_to"])
        audit.record(
            actor=by.get_username(),
            action="review.action_carried",
            target=str(to),
            detail={"action": action.pk, "from": action.agreed_at},
        )
        return action
    if to.organisation_id != agreed.organisation_id:
        raise ReviewError("An action is carried only to a session of its own organisation.")
    if to.held_on <= agreed.held_on:
        raise ReviewError("An action is carried to a session after the one that agreed it.")
    action.carried_to = to
    action.save(update_fields=["carried_to"])
    audit.record(
        actor=by.get_username(),
        action="review.action_carried",
        target=str(to),
        detail={"action": action.pk, "from": agreed.pk},
    )
    return action
