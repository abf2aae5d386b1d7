"""Writes for operational and strategic reviews: atomic, with an actor, audited. A process change
agreed at a meeting is an action in the one follow-up engine (learning.actions.agree_action),
carried to the organisation's next data review session, which asks whether its indicator moved."""

from datetime import date

from django.contrib.auth.models import AbstractBaseUser, User

from placewise.reviews import actions as learning
from placewise.reviews.models import Action
from placewise.service_reviews import queries
from placewise.service_reviews.models import (
    AgreedChange,
    Area,
    Finding,
    Kind,
    ReviewMeeting,
    ReviewSchedule,
    SampleChild,
    StrategicGoal,
)
from placewise.sharing import audit, writes
from placewise.sharing.access import permission
from placewise.sharing.models import Agreement, Organisation
from placewise.sharing.permissions import Permission

# A sample is a handful of children whose journeys a meeting can talk through.
MAX_SAMPLE = 12
# "Leaders from different areas of the service": a schedule brings at least two together.
MIN_AREAS = 2


class ServiceReviewError(Exception):
    """A step in an operational or strategic review that is not allowed, with the reason."""


def _organisation(by: User, organisation: Organisation | None) -> Organisation:
    decision = permission(by, Permission.SERVICE_REVIEW_RUN)
    if not decision.allowed:
        raise ServiceReviewError(decision.reason)
    if organisation is not None:
        if organisation not in decision.organisations:
            raise ServiceReviewError(
                f"You run operational and strategic reviews only for "
                f"{', '.join(o.name for o in decision.organisations)}, not {organisation.name}."
            )
        return organisation
    if len(decision.organisations) > 1:
        raise ServiceReviewError("Say which organisation's review this is.")
    return decision.organisations[0]


def _runs(by: User, organisation: Organisation) -> None:
    decision = permission(by, Permission.SERVICE_REVIEW_RUN)
    if not decision.allowed or organisation not in decision.organisations:
        raise ServiceReviewError(
            f"Only those who run operational and strategic reviews for {organisation.name} "
            "may do that."
        )


@writes.action
def add_goal(
    *,
    title: str,
    description: str,
    by: User,
    organisation: Organisation | None = None,
) -> StrategicGoal:
    """A strategic goal the service keeps, for findings to bear on."""
    organisation = _organisation(by, organisation)
    if not title.strip():
        raise ServiceReviewError("Enter the goal.")
    if StrategicGoal.objects.filter(organisation=organisation, title=title.strip()).exists():
        raise ServiceReviewError(f"There is already a goal called '{title.strip()}'.")
    goal = StrategicGoal.objects.create(
        organisation=organisation,
        title=title.strip(),
        description=description.strip(),
        created_by=by.get_username(),
    )
    audit.record(actor=by.get_username(), action="service_review.goal", target=goal.title)
    return goal


@writes.action
def create_schedule(
    *,
    title: str,
    kind: str,
    every: str,
    areas: list[str],
    leaders: str,
    invited: list[AbstractBaseUser],
    by: User,
    organisation: Organisation | None = None,
) -> ReviewSchedule:
    """A recurring review meeting with leaders from at least two areas of the service."""
    organisation = _organisation(by, organisation)
    if not title.strip() or not leaders.strip():
        raise ServiceReviewError("A review meeting needs a title and the leaders it invites.")
    if kind not in Kind.values:
        raise ServiceReviewError("Say whether the review is operational or strategic.")
    if every not in ReviewSchedule.Every.values:
        raise ServiceReviewError("Say how often the review meets.")
    chosen = list(dict.fromkeys(areas))
    if any(a not in Area.values for a in chosen) or len(chosen) < MIN_AREAS:
        raise ServiceReviewError(
            f"Choose at least {MIN_AREAS} areas of the service whose leaders take part."
        )
    schedule = ReviewSchedule.objects.create(
        organisation=organisation,
        title=title.strip(),
        kind=kind,
        every=every,
        areas=chosen,
        leaders=leaders.strip(),
        created_by=by.get_username(),
    )
    schedule.invited.set([u.pk for u in invited if u.pk != by.pk])
    audit.record(
        actor=by.get_username(),
        action="service_review.schedule",
        target=schedule.title,
        detail={"kind": kind, "areas": chosen, "invited": [u.get_username() for u in invited]},
    )
    return schedule


@writes.action
def hold_meeting(
    *,
    schedule: ReviewSchedule,
    held_on: date,
    attendees: str,
    purpose: str,
    by: User,
) -> ReviewMeeting:
    """A meeting of the schedule, of the kind the schedule is today."""
    _runs(by, schedule.organisation)
    if not attendees.strip():
        raise ServiceReviewError("Say who attended.")
    if purpose not in Agreement.Purpose.values:
        raise ServiceReviewError(
            "Say why the children's records are opened: the agreements are for a purpose."
        )
    meeting = ReviewMeeting.objects.create(
        schedule=schedule,
        organisation=schedule.organisation,
        kind=schedule.kind,
        held_on=held_on,
        attendees=attendees.strip(),
        purpose=purpose,
        chair=by,
    )
    audit.record(
        actor=by.get_username(),
        action="service_review.meeting",
        target=str(meeting),
        detail={"kind": meeting.kind, "purpose": purpose},
    )
    return meeting


@writes.action
def add_sample(
    *,
    meeting: ReviewMeeting,
    drawn_from: str,
    drawn_as: str,
    records: list[tuple[str, str]],
    by: User,
) -> list[SampleChild]:
    """Children the meeting starts from, by reference only (source, case reference): their
    journeys are read again, through the policy function, whenever the meeting is opened."""
    _runs(by, meeting.organisation)
    if drawn_from not in SampleChild.DrawnFrom.values:
        raise ServiceReviewError("Say where the children were drawn from.")
    held = set(meeting.sample.values_list("source", "reference"))
    new = [r for r in dict.fromkeys(records) if r not in held]
    if not new:
        raise ServiceReviewError("Those children are already in the meeting's sample.")
    if len(held) + len(new) > MAX_SAMPLE:
        raise ServiceReviewError(
            f"A sample is at most {MAX_SAMPLE} children: this meeting has {len(held)}, and "
            f"{len(new)} more would be too many to talk through."
        )
    added = [
        SampleChild.objects.create(
            meeting=meeting,
            drawn_from=drawn_from,
            drawn_as=drawn_as[:250],
            source=source,
            reference=reference,
            added_by=by.get_username(),
        )
        for source, reference in new
    ]
    audit.record(
        actor=by.get_username(),
        action="service_review.sample",
        target=str(meeting),
        detail={"drawn_from": drawn_from, "drawn_as": drawn_as, "children": len(added)},
    )
    return added


@writes.action
def record_finding(
    *,
    meeting: ReviewMeeting,
    process: str,
    shows: str,
    goal: StrategicGoal,
    by: User,
) -> Finding:
    """What the journeys show about an operational process, and the strategic goal it bears on.
    A finding starts from the journeys: a meeting with no sample records none."""
    queries.attendance(by, meeting)  # chair, or a leader its schedule invites
    if not meeting.sample.exists():
        raise ServiceReviewError(
            "Start from children's journeys: draw a sample before recording findings."
        )
    if not process.strip() or not shows.strip():
        raise ServiceReviewError("Name the process, and say what the journeys show about it.")
    if goal.organisation_id != meeting.organisation_id:
        raise ServiceReviewError("Choose one of the service's own strategic goals.")
    finding = Finding.objects.create(
        meeting=meeting,
        process=process.strip(),
        shows=shows.strip(),
        goal=goal,
        recorded_by=by.get_username(),
    )
    audit.record(
        actor=by.get_username(),
        action="service_review.finding",
        target=str(meeting),
        detail={"finding": finding.pk, "goal": goal.title},
    )
    return finding


@writes.action
def agree_change(
    *,
    finding: Finding,
    description: str,
    owner: str,
    due_on: date,
    indicator: str,
    team: str,
    direction: str,
    by: User,
) -> Action:
    """A process change agreed for a finding: an action in the one follow-up engine, tied to the
    indicator it should move, and carried to the organisation's next data review session (when
    there is one yet) so that session asks whether it moved."""
    meeting = finding.meeting
    _runs(by, meeting.organisation)
    try:
        action = learning.agree_action(
            origin=Action.Origin.REVIEW_MEETING,
            organisation=meeting.organisation,
            agreed_at=f"{meeting.get_kind_display()} review: {meeting}",
            agreed_on=meeting.held_on,
            description=description,
            owner=owner,
            due_on=due_on,
            direction=direction,
            measure=Action.Measure.INDICATOR,
            indicator=indicator,
            team=team,
            by=by,
        )
    except learning.ReviewError as error:
        raise ServiceReviewError(str(error)) from None
    AgreedChange.objects.create(finding=finding, action=action)
    session = queries.next_review_session(meeting, team)
    if session is not None:
        learning.carry_action(action=action, to=session, by=by)
    return action


@writes.action
def carry_changes(*, meeting: ReviewMeeting, by: User) -> int:
    """Carry the meeting's open changes not yet carried to the next data review session (held
    since they were agreed); how many were carried."""
    _runs(by, meeting.organisation)
    waiting = Action.objects.filter(
        service_review_change__finding__meeting=meeting, carried_to=None, closed_on=None
    )
    carried = 0
    for action in waiting:
        session = queries.next_review_session(meeting, action.team)
        if session is not None:
            learning.carry_action(action=action, to=session, by=by)
            carried += 1
    if not carried:
        raise ServiceReviewError(
            f"{meeting.organisation.name} has no data review session after "
            f"{meeting.held_on:%d %B %Y} yet: create it, then carry the changes to it."
        )
    return carried
