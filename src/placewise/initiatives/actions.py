"""Writes for initiatives: each atomic, with an actor, audited, and refused with a reason a person
can read. Who may write is initiatives.visibility's rule, asked again here."""

from datetime import date

from django.contrib.auth.models import User

from placewise.indicators import library
from placewise.initiatives import visibility
from placewise.initiatives.models import (
    Capacity,
    Conversation,
    Initiative,
    Level,
    Measure,
    Milestone,
    Placement,
    Stakeholder,
    TeamMember,
)
from placewise.reviews import actions as engine
from placewise.reviews.models import Action
from placewise.sharing import audit, writes
from placewise.sharing.access import AccessDenied
from placewise.sharing.models import Agreement, Organisation
from placewise.sources.models import Source


class InitiativeError(Exception):
    """A change to an initiative that is not allowed, with the reason."""


def _team(initiative: Initiative, by: User) -> None:
    try:
        visibility.require(by, initiative, edit=True)
    except AccessDenied as refused:
        raise InitiativeError(refused.reason) from None


def _record(by: User, name: str, initiative: Initiative, **detail: object) -> None:
    audit.record(actor=by.get_username(), action=name, target=str(initiative), detail=detail)


@writes.action
def start(
    *,
    kind: str,
    name: str,
    issue: str,
    organisation: Organisation,
    started_on: date,
    by: User,
) -> Initiative:
    """A new initiative or place project, led by one of the starter's organisations; the starter
    is its enabler and first team member."""
    allowed, reason, organisations = visibility.may_start(by)
    if not allowed:
        raise InitiativeError(reason)
    if organisation not in organisations:
        raise InitiativeError(
            f"An initiative is led by an organisation you belong to: you are not in {organisation}."
        )
    if kind not in Initiative.Kind.values:
        raise InitiativeError("Say whether this is an initiative or a place project.")
    if not name.strip():
        raise InitiativeError("Give the initiative a name.")
    if kind == Initiative.Kind.PROJECT and not issue.strip():
        raise InitiativeError("A place project takes one issue: say which.")
    initiative = Initiative.objects.create(
        kind=kind,
        name=name.strip(),
        issue=issue.strip(),
        organisation=organisation,
        enabler=by,
        started_on=started_on,
        created_by=by.get_username(),
    )
    TeamMember.objects.create(initiative=initiative, user=by, added_on=started_on)
    _record(by, "initiatives.start", initiative, kind=kind, organisation=organisation.name)
    return initiative


@writes.action
def add_member(*, initiative: Initiative, user: User, on: date, by: User) -> TeamMember:
    _team(initiative, by)
    if initiative.team.filter(user=user).exists():
        raise InitiativeError(f"{user.get_full_name() or user.username} is already on the team.")
    member = TeamMember.objects.create(initiative=initiative, user=user, added_on=on)
    _record(by, "initiatives.add_member", initiative, member=user.get_username())
    return member


@writes.action
def add_partner(*, initiative: Initiative, organisation: Organisation, by: User) -> None:
    _team(initiative, by)
    if organisation.pk == initiative.organisation_id:
        raise InitiativeError(f"{organisation} leads this initiative already.")
    initiative.partners.add(organisation)
    _record(by, "initiatives.add_partner", initiative, organisation=organisation.name)


@writes.action
def describe(
    *,
    initiative: Initiative,
    public_value: str,
    systems: str,
    workforce: str,
    leadership: str,
    progress: str,
    by: User,
) -> Initiative:
    """The strategic triangle's public value and the implementation model, in the team's words."""
    _team(initiative, by)
    initiative.public_value = public_value.strip()
    initiative.systems, initiative.workforce = systems.strip(), workforce.strip()
    initiative.leadership, initiative.progress = leadership.strip(), progress.strip()
    initiative.save(
        update_fields=["public_value", "systems", "workforce", "leadership", "progress"]
    )
    _record(by, "initiatives.describe", initiative)
    return initiative


@writes.action
def add_stakeholder(
    *,
    initiative: Initiative,
    kind: str,
    name: str,
    role: str,
    organisation: Organisation | None,
    organisation_name: str,
    authorising: bool,
    authorises: str,
    on: date,
    by: User,
) -> Stakeholder:
    _team(initiative, by)
    if kind not in Stakeholder.Kind.values:
        raise InitiativeError("Say whether the stakeholder is a person or an organisation.")
    if not name.strip():
        raise InitiativeError("Give the stakeholder's name.")
    if authorising and not authorises.strip():
        raise InitiativeError("Say what this stakeholder must authorise.")
    if initiative.stakeholders.filter(name__iexact=name.strip()).exists():
        raise InitiativeError(f"{name.strip()} is already a stakeholder.")
    stakeholder = Stakeholder.objects.create(
        initiative=initiative,
        kind=kind,
        name=name.strip(),
        role=role.strip(),
        organisation=organisation,
        organisation_name="" if organisation else organisation_name.strip(),
        authorising=authorising,
        authorises=authorises.strip() if authorising else "",
        added_on=on,
    )
    _record(by, "initiatives.add_stakeholder", initiative, stakeholder=stakeholder.pk)
    return stakeholder


@writes.action
def place(
    *,
    stakeholder: Stakeholder,
    trust: str,
    agreement: str,
    on: date,
    note: str,
    by: User,
) -> Placement:
    """One team member's answer to Block's two questions, today: kept beside their earlier ones
    and beside the other members' (never merged)."""
    initiative = stakeholder.initiative
    _team(initiative, by)
    if trust not in Level.values or agreement not in Level.values:
        raise InitiativeError(
            "Say how far you trust them and how far they agree: high, low or not yet known."
        )
    last = stakeholder.placements.filter(placed_by_id=by.pk).order_by("placed_on", "pk").last()
    if last is not None and on < last.placed_on:
        raise InitiativeError(
            f"You last placed {stakeholder} on {last.placed_on:%-d %B %Y}: a new placement comes "
            "after it."
        )
    placement = Placement.objects.create(
        stakeholder=stakeholder,
        placed_by=by,
        trust=trust,
        agreement=agreement,
        placed_on=on,
        note=note.strip(),
    )
    _record(
        by,
        "initiatives.place",
        initiative,
        stakeholder=stakeholder.pk,
        trust=trust,
        agreement=agreement,
    )
    return placement


@writes.action
def plan_conversation(
    *,
    stakeholder: Stakeholder,
    description: str,
    owner: User,
    due_on: date,
    on: date,
    measure: Measure | None,
    by: User,
) -> Conversation:
    """The next conversation with a stakeholder, as an action in the one follow-up engine: it
    should move the named indicator, or else its owner's reflection says whether it helped."""
    initiative = stakeholder.initiative
    _team(initiative, by)
    if not initiative.team.filter(user=owner).exists():
        raise InitiativeError("The conversation's owner must be on the team.")
    if measure is not None and measure.initiative_id != initiative.pk:
        raise InitiativeError("Choose one of this initiative's indicators.")
    try:
        action = engine.agree_action(
            origin=Action.Origin.INITIATIVE,
            organisation=initiative.organisation,
            agreed_at=f"{initiative}, {on.day} {on:%B %Y}",
            agreed_on=on,
            description=description,
            owner=owner.get_full_name() or owner.get_username(),
            due_on=due_on,
            direction=measure.direction if measure else Action.Direction.UP,
            measure=Action.Measure.INDICATOR if measure else Action.Measure.REFLECTION,
            indicator=measure.indicator if measure else "",
            team=measure.team if measure else "",
            practitioner=None if measure else owner,
            by=by,
        )
    except engine.ReviewError as refused:
        raise InitiativeError(str(refused)) from None
    conversation = Conversation.objects.create(stakeholder=stakeholder, action=action)
    _record(
        by, "initiatives.conversation", initiative, stakeholder=stakeholder.pk, action=action.pk
    )
    return conversation


@writes.action
def add_capacity(
    *,
    initiative: Initiative,
    kind: str,
    description: str,
    agreement: Agreement | None,
    source: Source | None,
    team: str,
    by: User,
) -> Capacity:
    _team(initiative, by)
    if kind not in Capacity.Kind.values:
        raise InitiativeError("Say what kind of capacity: people, money, data or systems.")
    if not description.strip():
        raise InitiativeError("Describe the capacity.")
    capacity = Capacity.objects.create(
        initiative=initiative,
        kind=kind,
        description=description.strip(),
        agreement=agreement,
        source=source,
        team=team.strip(),
    )
    _record(by, "initiatives.add_capacity", initiative, capacity=capacity.pk)
    return capacity


@writes.action
def add_measure(
    *,
    initiative: Initiative,
    indicator: str,
    team: str,
    direction: str,
    public_value: bool,
    by: User,
) -> Measure:
    """An indicator from the library the initiative should move."""
    _team(initiative, by)
    if indicator not in library.load():
        raise InitiativeError(f"There is no indicator '{indicator}' in the library.")
    if direction not in ("up", "down"):
        raise InitiativeError("Say which way the indicator should move: up or down.")
    team = team.strip() or "Place"
    if initiative.measures.filter(indicator=indicator, team=team).exists():
        raise InitiativeError("That indicator is already one this initiative should move.")
    measure = Measure.objects.create(
        initiative=initiative,
        indicator=indicator,
        team=team,
        direction=direction,
        public_value=public_value,
    )
    _record(by, "initiatives.add_measure", initiative, indicator=indicator, team=team)
    return measure


@writes.action
def add_milestone(*, initiative: Initiative, title: str, due_on: date, by: User) -> Milestone:
    _team(initiative, by)
    if not title.strip():
        raise InitiativeError("Say what the milestone is.")
    milestone = Milestone.objects.create(initiative=initiative, title=title.strip(), due_on=due_on)
    _record(by, "initiatives.add_milestone", initiative, milestone=milestone.pk)
    return milestone


@writes.action
def reach_milestone(*, milestone: Milestone, on: date, by: User) -> Milestone:
    _team(milestone.initiative, by)
    if milestone.done_on is not None:
        raise InitiativeError(f"'{milestone}' was reached on {milestone.done_on:%-d %B %Y}.")
    milestone.done_on = on
    milestone.save(update_fields=["done_on"])
    _record(by, "initiatives.reach_milestone", milestone.initiative, milestone=milestone.pk)
    return milestone


@writes.action
def follow_up_conversation(
    *,
    conversation: Conversation,
    written_on: date,
    what_happened: str,
    effect: str,
    loop: str,
    by: User,
) -> Conversation:
    """How a conversation went, in the words of whoever had it: their reflection is the evidence
    the follow-up engine reads (the "reflection" measure, leadership.evidence), and its verdict is
    given through the same path as a 4C experiment's."""
    # The leadership app owns reflections and their one write path; imported here so that the
    # initiatives app does not load it for every other action.
    from placewise.leadership import actions as leadership

    stakeholder = conversation.stakeholder
    _team(stakeholder.initiative, by)
    action = conversation.action
    if action.measure != Action.Measure.REFLECTION:
        raise InitiativeError(
            f"This conversation should move {action.indicator}: it is followed up when the "
            "indicator is reviewed, at a data review session."
        )
    if by.pk != action.practitioner_id:
        raise InitiativeError(f"Only {action.owner}, who had the conversation, says how it went.")
    try:
        _, verdict = leadership._reflect(
            action=action,
            given_at=f"Conversation with {stakeholder}, {written_on.day} {written_on:%B %Y}",
            written_on=written_on,
            what_happened=what_happened,
            learned="",
            effect=effect,
            loop=loop,
            by=by,
        )
    except leadership.LeadershipError as refused:
        raise InitiativeError(str(refused)) from None
    _record(
        by,
        "initiatives.follow_up",
        stakeholder.initiative,
        stakeholder=stakeholder.pk,
        action=action.pk,
        verdict=verdict.pk,
    )
    return conversation
