"""Reads for supervision (issue 17, items 4 and 5): who supervises whom, who may see a supervision
and a practitioner's progress across peer reviews, and what each may see of it.

The rule, the same as practice's: a practitioner sees all the feedback on their own reviews;
their current supervisor sees a review's feedback only once the practitioner has shared it into
supervision (`PeerReview.shared_on`); no one else sees one practitioner's feedback or progress.
A supervision's sessions are seen by its supervisor and supervisee only. Which reviews a viewer
sees is asked of practice's one rule (practice/visibility.py), review by review."""

from dataclasses import dataclass
from datetime import date
from typing import cast

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet
from django.utils import timezone

from placewise.practice import visibility
from placewise.practice.models import Criterion, PeerReview, Supervision
from placewise.reviews.models import Action
from placewise.sharing.access import AccessDenied, permission
from placewise.sharing.models import Membership, Organisation
from placewise.sharing.permissions import ROLE_PERMISSIONS, Permission, Role
from placewise.supervision.models import SupervisionSession

Viewer = AbstractBaseUser | AnonymousUser


def name(person: AbstractBaseUser) -> str:
    """A person as pages name them: their full name, else their username."""
    full = person.get_full_name().strip() if hasattr(person, "get_full_name") else ""
    return full or person.get_username()


def current(supervisions: QuerySet[Supervision], on: date) -> QuerySet[Supervision]:
    """Those in force on the day: begun, and not ended before it."""
    return supervisions.filter(since__lte=on).filter(Q(until__isnull=True) | Q(until__gte=on))


def supervisor_of(practitioner: AbstractBaseUser, on: date) -> Supervision | None:
    """The practitioner's current supervision, if they have one."""
    found = Supervision.objects.filter(supervisee_id=practitioner.pk)
    return current(found, on).select_related("supervisor", "organisation").first()


def supervising(supervisor: AbstractBaseUser, on: date) -> list[Supervision]:
    """The people the supervisor supervises today."""
    found = Supervision.objects.filter(supervisor_id=supervisor.pk)
    return list(current(found, on).select_related("supervisee", "organisation"))


def ended(person: AbstractBaseUser, on: date) -> list[Supervision]:
    """Supervisions the person was a party to that have ended."""
    return list(
        Supervision.objects.filter(Q(supervisor_id=person.pk) | Q(supervisee_id=person.pk))
        .filter(until__lt=on)
        .select_related("supervisor", "supervisee", "organisation")
    )


def is_head_of_service(person: Viewer, organisation: Organisation) -> bool:
    if not person.is_authenticated:
        return False
    return Membership.objects.filter(
        user_id=cast(int, person.pk), organisation=organisation, role=Role.HEAD_OF_SERVICE
    ).exists()


def holders(wanted: Permission, organisation: Organisation) -> QuerySet[AbstractBaseUser]:
    """Active people whose roles at the organisation grant the permission."""
    roles = [role.value for role, granted in ROLE_PERMISSIONS.items() if wanted in granted]
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__organisation=organisation,
            memberships__role__in=roles,
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def organisation_supervisions(organisation: Organisation, on: date) -> list[Supervision]:
    """Who supervises whom at the organisation today (for its heads of service)."""
    found = Supervision.objects.filter(organisation=organisation)
    return list(current(found, on).select_related("supervisor", "supervisee"))


# --- Who may see what ---------------------------------------------------------------------


def supervision_access(viewer: Viewer, supervision: Supervision, on: date | None = None) -> None:
    """Only the supervisor and the supervisee see a supervision's sessions; once it has ended,
    the supervisee only (as a supervisor sees shared feedback only while they supervise)."""
    if not viewer.is_authenticated:
        raise AccessDenied("You need to sign in.")
    if viewer.pk == supervision.supervisee_id:
        return
    if viewer.pk == supervision.supervisor_id:
        on = on or timezone.localdate()
        if supervision.until is None or supervision.until >= on:
            return
        raise AccessDenied(
            f"Your supervision of {name(supervision.supervisee)} ended on "
            f"{supervision.until:%-d %B %Y}: its sessions, and the feedback shared into it, "
            f"are now seen by {name(supervision.supervisee)} only."
        )
    raise AccessDenied(
        f"A supervision is seen only by the two people in it: {name(supervision.supervisor)} "
        f"and {name(supervision.supervisee)}. What is said in supervision is theirs; managers "
        "see themes across many peer reviews, never one practitioner's."
    )


def end_access(viewer: Viewer, supervision: Supervision) -> None:
    """A supervision is ended by its supervisor or a head of service at its organisation."""
    if viewer.pk == supervision.supervisor_id or is_head_of_service(
        viewer, supervision.organisation
    ):
        return
    raise AccessDenied(
        "A supervision is ended by its supervisor or by a head of service at "
        f"{supervision.organisation.name}."
    )


def session_access(viewer: Viewer, session: SupervisionSession) -> None:
    supervision_access(viewer, session.supervision)


@dataclass(frozen=True)
class ProgressView:
    """What a viewer may see of a practitioner's progress: everything (the practitioner), or,
    for their current supervisor, the reviews shared into supervision and the actions agreed in
    the supervisions they hold."""

    practitioner: AbstractBaseUser
    own: bool
    supervisor: AbstractBaseUser | None = None


def progress_access(viewer: Viewer, practitioner: AbstractBaseUser, on: date) -> ProgressView:
    """May the viewer see this practitioner's progress across peer reviews, and how much."""
    if not viewer.is_authenticated:
        raise AccessDenied("You need to sign in.")
    if viewer.pk == practitioner.pk:
        decision = permission(viewer, Permission.PRACTICE_REVIEW)
        if not decision.allowed:
            raise AccessDenied(decision.reason)
        return ProgressView(practitioner, own=True)
    supervision = supervisor_of(practitioner, on)
    if supervision is not None and supervision.supervisor_id == viewer.pk:
        decision = permission(viewer, Permission.SUPERVISE)
        if decision.allowed and supervision.organisation in decision.organisations:
            return ProgressView(practitioner, own=False, supervisor=viewer)
        raise AccessDenied(
            f"You are recorded as {name(practitioner)}'s supervisor, but your roles no longer "
            f"let you supervise at {supervision.organisation.name}."
        )
    raise AccessDenied(
        f"{name(practitioner)}'s progress across peer reviews is seen only by them and, for the "
        "reviews they share into supervision, by their current supervisor. A grade is feedback "
        "on one piece of practice, not a score: managers see themes across many reviews, with "
        "no practitioner named."
    )


def reviews_seen(view: ProgressView, on: date | None = None) -> list[PeerReview]:
    """The practitioner's peer reviews whose feedback the viewer may see (practice's rule: all
    of them for the practitioner, the shared ones for their supervisor), oldest first."""
    found = PeerReview.objects.filter(presenter_id=view.practitioner.pk)
    if not view.own:
        found = found.filter(shared_on__isnull=False)
    viewer = view.practitioner if view.own else view.supervisor
    assert viewer is not None
    return [
        r
        for r in found.select_related("framework").order_by("held_on", "pk")
        if visibility.sight(viewer, r, today=on).all_feedback
    ]


def actions_seen(view: ProgressView) -> QuerySet[Action]:
    """The supervision actions about the practitioner's practice the viewer may see: all of
    them for the practitioner; for a supervisor, those agreed in supervisions they hold."""
    found = Action.objects.filter(
        practitioner_id=view.practitioner.pk, origin=Action.Origin.SUPERVISION
    )
    if not view.own:
        agreed = SupervisionSession.objects.filter(
            supervision__supervisor_id=view.supervisor.pk if view.supervisor else None,
            supervision__supervisee_id=view.practitioner.pk,
        ).values_list("actions", flat=True)
        found = found.filter(pk__in=[pk for pk in agreed if pk is not None])
    return found.prefetch_related("verdicts").order_by("agreed_on", "pk")


def shared_reviews(supervision: Supervision, on: date) -> QuerySet[PeerReview]:
    """The supervisee's reviews shared into supervision by the day: those a session may have
    discussed."""
    return (
        PeerReview.objects.filter(
            presenter_id=supervision.supervisee_id, shared_on__isnull=False, shared_on__lte=on
        )
        .select_related("framework")
        .order_by("-held_on", "-pk")
    )


def open_actions_to_follow_up(session: SupervisionSession) -> list[Action]:
    """The supervisee's supervision actions agreed before this session and open when it was
    held (closed at it or later, or not at all), in supervisions held by this session's
    supervisor: the next supervision asks whether each moved, and may close it."""
    supervision = session.supervision
    agreed = SupervisionSession.objects.filter(
        supervision__supervisor_id=supervision.supervisor_id,
        supervision__supervisee_id=supervision.supervisee_id,
        held_on__lt=session.held_on,
    ).values_list("actions", flat=True)
    return list(
        Action.objects.filter(
            Q(closed_on__isnull=True) | Q(closed_on__gte=session.held_on),
            pk__in=[pk for pk in agreed if pk is not None],
        )
        .prefetch_related("verdicts")
        .order_by("agreed_on", "pk")
    )


def questions(organisation: Organisation) -> dict[str, str]:
    """Each criterion's question by key, as the newest framework version that has it asks it."""
    found: dict[str, str] = {}
    for key, question in (
        Criterion.objects.filter(framework__organisation=organisation)
        .order_by("framework__version", "pk")
        .values_list("key", "question")
    ):
        found[key] = question
    return found


def criteria_for(session: SupervisionSession) -> dict[str, Criterion]:
    """The criteria an action of this session may name, by key: those of the frameworks of the
    reviews discussed, else of the organisation's current framework (newest version wins)."""
    frameworks = {r.framework_id for r in session.reviews.all()}
    found = Criterion.objects.filter(framework_id__in=frameworks)
    if not frameworks:
        found = Criterion.objects.filter(
            framework__organisation=session.supervision.organisation, framework__is_current=True
        )
    chosen: dict[str, Criterion] = {}
    for criterion in found.select_related("framework").order_by("framework__version", "pk"):
        chosen[criterion.key] = criterion
    return dict(sorted(chosen.items(), key=lambda kc: (kc[1].position, kc[0])))
