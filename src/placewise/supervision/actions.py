"""Writes for supervision (issue 17, item 4): who supervises whom, supervision sessions, what
the practitioner will try (an action in the one follow-up engine) and its follow-up at the next
supervision. Keyword-only, with the actor, atomic and audited (sharing/writes.py)."""

from datetime import date

from django.contrib.auth.models import AbstractBaseUser, User

from placewise.practice.models import PeerReview, Supervision
from placewise.reviews import actions as engine
from placewise.reviews import evidence
from placewise.reviews.models import Action, Verdict
from placewise.sharing import audit, writes
from placewise.sharing.access import permission
from placewise.sharing.models import Membership, Organisation
from placewise.sharing.permissions import Permission
from placewise.supervision import queries
from placewise.supervision.models import SupervisionSession
from placewise.supervision.queries import name


class SupervisionError(Exception):
    """A step in supervision that is not allowed, with the reason."""


def _where_supervising(person: AbstractBaseUser) -> tuple[Organisation, ...]:
    decision = permission(person, Permission.SUPERVISE)
    if not decision.allowed:
        raise SupervisionError(decision.reason)
    return decision.organisations


@writes.action
def start_supervision(
    *,
    supervisor: User,
    supervisee: User,
    since: date,
    by: User,
) -> Supervision:
    """Record that `supervisor` supervises `supervisee` from `since`. Someone records their
    own supervisees; a head of service may record anyone's at their organisation."""
    if supervisee.pk == supervisor.pk:
        raise SupervisionError("Someone cannot be their own supervisor.")
    theirs = _where_supervising(supervisor)
    if by.pk != supervisor.pk:
        heads = [o for o in theirs if queries.is_head_of_service(by, o)]
        if not heads:
            raise SupervisionError(
                "You may record only the people you supervise yourself: a head of service "
                "records who supervises whom for others."
            )
        theirs = tuple(heads)
    shared = [
        o
        for o in theirs
        if Membership.objects.filter(user_id=supervisee.pk, organisation=o).exists()
    ]
    if not shared:
        raise SupervisionError(
            f"{name(supervisee)} is not a member of "
            f"{' or '.join(o.name for o in theirs)}, where {name(supervisor)} supervises."
        )
    if not permission(supervisee, Permission.PRACTICE_REVIEW).allowed:
        raise SupervisionError(
            f"{name(supervisee)}'s roles do not include taking part in peer reviews: there is "
            "no practice feedback for supervision to reflect on."
        )
    existing = queries.supervisor_of(supervisee, since)
    if existing is not None:
        raise SupervisionError(
            f"{name(supervisee)} is supervised by {name(existing.supervisor)} since "
            f"{existing.since:%-d %B %Y}: end that supervision first."
        )
    supervision = Supervision.objects.create(
        organisation=shared[0], supervisor=supervisor, supervisee=supervisee, since=since
    )
    audit.record(
        actor=by.get_username(),
        action="supervision.start",
        target=str(supervision),
        detail={
            "supervision": supervision.pk,
            "organisation": shared[0].name,
            "since": since.isoformat(),
        },
    )
    return supervision


@writes.action
def end_supervision(*, supervision: Supervision, until: date, by: User) -> Supervision:
    """End a supervision (the supervisor, or a head of service at its organisation)."""
    if by.pk != supervision.supervisor_id and not queries.is_head_of_service(
        by, supervision.organisation
    ):
        raise SupervisionError(
            "A supervision is ended by its supervisor or by a head of service at "
            f"{supervision.organisation.name}."
        )
    if supervision.until is not None:
        raise SupervisionError(f"This supervision ended on {supervision.until:%-d %B %Y}.")
    if until < supervision.since:
        raise SupervisionError(
            f"A supervision cannot end before it began ({supervision.since:%-d %B %Y})."
        )
    supervision.until = until
    supervision.save(update_fields=["until"])
    audit.record(
        actor=by.get_username(),
        action="supervision.end",
        target=str(supervision),
        detail={"supervision": supervision.pk, "until": until.isoformat()},
    )
    return supervision


def _in_it(supervision: Supervision, by: User) -> None:
    if by.pk not in (supervision.supervisor_id, supervision.supervisee_id):
        raise SupervisionError(
            "A supervision session is recorded by the supervisor or the supervisee."
        )


@writes.action
def record_session(
    *,
    supervision: Supervision,
    held_on: date,
    reviews: list[PeerReview],
    reflections: str,
    by: User,
) -> SupervisionSession:
    """A supervision session: the shared peer reviews discussed, and the reflections on them."""
    _in_it(supervision, by)
    if held_on < supervision.since or (supervision.until and held_on > supervision.until):
        raise SupervisionError(
            f"The session must fall within the supervision: from {supervision.since:%-d %B %Y}"
            f"{f' to {supervision.until:%-d %B %Y}' if supervision.until else ''}."
        )
    if not reflections.strip():
        raise SupervisionError("Record the reflections on the feedback discussed.")
    shared = set(queries.shared_reviews(supervision, held_on).values_list("pk", flat=True))
    unshared = [r for r in reviews if r.pk not in shared]
    if unshared:
        raise SupervisionError(
            f"Only peer reviews {name(supervision.supervisee)} presented and shared into "
            f"supervision by the session's date are discussed in it: not {unshared[0]}."
        )
    session = SupervisionSession.objects.create(
        supervision=supervision,
        held_on=held_on,
        reflections=reflections.strip(),
        recorded_by=by.get_username(),
    )
    session.reviews.set(reviews)
    audit.record(
        actor=by.get_username(),
        action="supervision.session",
        target=str(session),
        detail={"session": session.pk, "reviews": [r.pk for r in reviews]},
    )
    return session


@writes.action
def agree_will_try(
    *,
    session: SupervisionSession,
    description: str,
    criterion_key: str,
    due_on: date,
    by: User,
) -> Action:
    """What the practitioner will try, and by when: an action in the follow-up engine, owned by
    the supervisee and measured by the criterion it should improve."""
    supervision = session.supervision
    _in_it(supervision, by)
    if criterion_key not in queries.criteria_for(session):
        raise SupervisionError("Choose the criterion of the review framework it should improve.")
    supervisee = supervision.supervisee
    try:
        action = engine.agree_action(
            origin=Action.Origin.SUPERVISION,
            organisation=supervision.organisation,
            agreed_at=str(session),
            agreed_on=session.held_on,
            description=description,
            owner=name(supervisee),
            due_on=due_on,
            direction=Action.Direction.UP,  # towards the better grades
            measure=Action.Measure.CRITERION,
            measure_key=criterion_key,
            practitioner=supervisee,
            by=by,
        )
    except engine.ReviewError as refused:
        raise SupervisionError(str(refused)) from None
    session.actions.add(action)
    return action


@writes.action
def follow_up(
    *,
    session: SupervisionSession,
    action: Action,
    outcome: str,
    loop: str,
    note: str,
    by: User,
) -> Verdict:
    """At the next supervision: did the practice move? The evidence is the criterion's grades
    before and since, as `by` may see them, kept with the verdict."""
    _in_it(session.supervision, by)
    if action.pk not in {a.pk for a in queries.open_actions_to_follow_up(session)}:
        raise SupervisionError(
            "A session follows up the open actions agreed at earlier sessions of this supervision."
        )
    found = evidence.of(action, by)
    try:
        verdict = engine.follow_up(
            action=action,
            given_at=str(session),
            outcome=outcome,
            loop=loop,
            note=note,
            evidence=found,
            by=by,
        )
    except engine.ReviewError as refused:
        raise SupervisionError(str(refused)) from None
    session.follow_ups.add(verdict)
    return verdict


@writes.action
def close_will_try(*, session: SupervisionSession, action: Action, note: str, by: User) -> Action:
    """At a supervision: what was tried is done, or no longer worth trying, so later sessions stop
    asking about it. Said why, and kept with the action; its follow-ups stay as they were."""
    _in_it(session.supervision, by)
    if action.pk not in {a.pk for a in queries.open_actions_to_follow_up(session)}:
        raise SupervisionError(
            "A session closes only the open actions agreed at earlier sessions of this supervision."
        )
    try:
        return engine.close_action(action=action, note=note, on=session.held_on, by=by)
    except engine.ReviewError as refused:
        raise SupervisionError(str(refused)) from None
