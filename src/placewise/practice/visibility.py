"""Who sees what of a peer review (issue 17, item 3): the one rule every practice page asks.

Feedback is for learning, never a score of a person:

- the practitioner presenting sees all the feedback on their own review;
- a peer sees the feedback they gave, and what the group agreed;
- the facilitator sees the feedback of the review they run, since they help the group agree it;
- the practitioner's supervisor (a current practice.Supervision) sees the feedback and what was
  agreed once the practitioner has shared it into supervision, not before;
- managers and leaders see no one review: only themes across at least five (practice.queries);
- anyone else, nothing.

The case itself is shown to the group (presenter, facilitator, peers) only, each as the policy
function allows them and never more than the presenter may see (practice.queries.case_journey).
"""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet
from django.utils import timezone

from placewise.practice.models import Feedback, PeerReview, Supervision
from placewise.sharing.access import permission
from placewise.sharing.permissions import Permission

PRESENTER, PEER, FACILITATOR, SUPERVISOR = "presenter", "peer", "facilitator", "supervisor"


@dataclass(frozen=True)
class Sight:
    """What one person may see of one review, and why (not)."""

    allowed: bool
    reason: str
    as_: str = ""  # presenter, peer, facilitator or supervisor
    all_feedback: bool = False
    own_feedback: bool = False  # only the feedback this person gave
    agreed: bool = False  # the summary and learning points
    case: bool = False  # the child's journey (then each read asks the policy function)
    viewer: int | None = None

    def feedback(self, review: PeerReview) -> QuerySet[Feedback]:
        found = review.feedback.select_related("criterion", "peer")
        if self.all_feedback:
            return found
        if self.own_feedback:
            return found.filter(peer_id=self.viewer)
        return found.none()


def supervises(user: AbstractBaseUser | AnonymousUser, practitioner_id: int, today: date) -> bool:
    """Whether the user is the practitioner's supervisor today."""
    return (
        Supervision.objects.filter(
            supervisor_id=user.pk, supervisee_id=practitioner_id, since__lte=today
        )
        .filter(Q(until__isnull=True) | Q(until__gte=today))
        .exists()
    )


def sight(
    user: AbstractBaseUser | AnonymousUser, review: PeerReview, *, today: date | None = None
) -> Sight:
    """What this user may see of this review."""
    today = today or timezone.localdate()
    if not user.is_authenticated:
        return Sight(False, "You need to sign in.")
    taking_part = permission(user, Permission.PRACTICE_REVIEW)
    if user.pk == review.presenter_id and taking_part.allowed:
        return Sight(
            True,
            "This is your review: you see all the feedback on it.",
            PRESENTER,
            all_feedback=True,
            agreed=True,
            case=True,
            viewer=user.pk,
        )
    if user.pk == review.facilitator_id and taking_part.allowed:
        return Sight(
            True,
            "You facilitate this review: you see its feedback to help the group agree it.",
            FACILITATOR,
            all_feedback=True,
            agreed=True,
            case=True,
            viewer=user.pk,
        )
    if taking_part.allowed and review.peers.filter(person_id=user.pk).exists():
        return Sight(
            True,
            "You are a peer in this review: you see the feedback you gave and what the group "
            "agreed.",
            PEER,
            own_feedback=True,
            agreed=True,
            case=True,
            viewer=user.pk,
        )
    if (
        supervises(user, review.presenter_id, today)
        and permission(user, Permission.SUPERVISE).allowed
    ):
        if review.shared_on is None:
            return Sight(
                False,
                "You supervise the practitioner, but they have not shared this review into "
                "supervision.",
            )
        return Sight(
            True,
            f"Shared into supervision on {review.shared_on:%d %B %Y} by the practitioner.",
            SUPERVISOR,
            all_feedback=True,
            agreed=True,
            viewer=user.pk,
        )
    if permission(user, Permission.PRACTICE_THEMES).allowed:
        return Sight(
            False,
            "Managers and leaders see themes across peer reviews, never one practitioner's review.",
        )
    return Sight(
        False,
        "Only the practitioner, their review group and, once shared, their "
        "supervisor see a peer review.",
    )


def visible_reviews(
    user: AbstractBaseUser | AnonymousUser, *, today: date | None = None
) -> list[tuple[PeerReview, Sight]]:
    """The reviews this user may open, each with what they may see of it."""
    if not user.is_authenticated:
        return []
    today = today or timezone.localdate()
    supervisees = (
        Supervision.objects.filter(supervisor_id=user.pk, since__lte=today)
        .filter(Q(until__isnull=True) | Q(until__gte=today))
        .values_list("supervisee_id", flat=True)
    )
    candidates = (
        PeerReview.objects.filter(
            Q(presenter_id=user.pk)
            | Q(facilitator_id=user.pk)
            | Q(peers__person_id=user.pk)
            | Q(presenter_id__in=list(supervisees), shared_on__isnull=False)
        )
        .distinct()
        .select_related("presenter", "facilitator", "framework")
    )
    seen = [(r, sight(user, r, today=today)) for r in candidates]
    return [(r, s) for r, s in seen if s.allowed]
