"""What a person needs, beyond a permission, for a page in their menu to be of use to them. A
role says what someone may do anywhere; whether there is anything for them to do it to is a fact
of the place: a police officer's practitioner role allows peer review, but the police have no
practice teams, so the peer review pages could only ever be empty for him."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q

from placewise.practice.models import PeerReview, Practitioner, Supervision
from placewise.service_reviews.queries import invited_to
from placewise.sharing.access import permission
from placewise.sharing.permissions import Permission

Person = AbstractBaseUser | AnonymousUser

# The permissions that take part in peer review and supervision, at an organisation.
PRACTICE = (Permission.PRACTICE_REVIEW, Permission.SUPERVISE, Permission.PRACTICE_THEMES)


def in_practice(user: Person) -> bool:
    """Whether the person has a practice to take part in: they set its teams up (the framework's
    editors), or an organisation where their roles allow peer review has practitioners in teams
    or reviews held, or they are in a team, a supervision or a review themselves."""
    if not user.is_authenticated:
        return False
    if permission(user, Permission.PRACTICE_FRAMEWORK).allowed:
        return True
    organisations = {o.pk for p in PRACTICE for o in permission(user, p).organisations}
    if (
        Practitioner.objects.filter(Q(person_id=user.pk) | Q(organisation_id__in=organisations))
        .only("pk")
        .exists()
    ):
        return True
    if Supervision.objects.filter(Q(supervisor_id=user.pk) | Q(supervisee_id=user.pk)).exists():
        return True
    return PeerReview.objects.filter(
        Q(organisation_id__in=organisations)
        | Q(presenter_id=user.pk)
        | Q(facilitator_id=user.pk)
        | Q(peers__person_id=user.pk)
    ).exists()


def at_service_reviews(user: Person) -> bool:
    """Whether the person runs operational and strategic reviews, or a review's schedule invites
    them (a partner's lead: they see the meetings they are invited to)."""
    if permission(user, Permission.SERVICE_REVIEW_RUN).allowed:
        return True
    return invited_to(user).exists()
