"""Who sees and edits an initiative (issue 19): the one rule every initiative page asks.

- Its team (the enabler is always on it) sees and edits it: they change the triangle, add
  stakeholders, place them, plan conversations, add capacity, measures and milestones.
- Members of its lead organisation and of its partner organisations see it, and edit nothing: an
  initiative is shared work of the place, but a trust placement is the team's judgement.
- Anyone else, and anyone not signed in, sees nothing of it.
- Anyone signed in who belongs to an organisation may start an initiative, led by one of their
  organisations; they become its enabler and first team member.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from placewise.initiatives.models import Initiative
from placewise.sharing.access import AccessDenied
from placewise.sharing.models import Membership, Organisation

Viewer = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class Sight:
    allowed: bool
    reason: str
    edit: bool = False


def _organisations(viewer: Viewer) -> set[int]:
    if viewer.pk is None:
        return set()
    return set(
        Membership.objects.filter(user_id=viewer.pk).values_list("organisation_id", flat=True)
    )


def sight(viewer: Viewer, initiative: Initiative) -> Sight:
    """Whether the viewer may see the initiative, and edit it."""
    if not viewer.is_authenticated:
        return Sight(False, "Sign in to see an initiative.")
    if initiative.team.filter(user_id=viewer.pk).exists():
        return Sight(True, "You are on this initiative's team.", edit=True)
    mine = _organisations(viewer)
    if initiative.organisation_id in mine:
        return Sight(True, f"Your organisation, {initiative.organisation}, leads it.")
    partners = set(initiative.partners.values_list("pk", flat=True))
    if mine & partners:
        return Sight(True, "Your organisation is a partner in it.")
    return Sight(
        False,
        f"'{initiative}' is seen by its team and by the people of {initiative.organisation} and "
        "its partner organisations only: you are in none of them.",
    )


def require(viewer: Viewer, initiative: Initiative, *, edit: bool = False) -> Sight:
    found = sight(viewer, initiative)
    if not found.allowed:
        raise AccessDenied(found.reason)
    if edit and not found.edit:
        raise AccessDenied(
            f"Only the team of '{initiative}' changes it or places its stakeholders: you may "
            "read it."
        )
    return found


def visible(viewer: Viewer) -> QuerySet[Initiative]:
    """The initiatives the viewer may see (the same rule as `sight`, as a query)."""
    if not viewer.is_authenticated:
        return Initiative.objects.none()
    mine = _organisations(viewer)
    return Initiative.objects.filter(
        Q(team__user_id=viewer.pk) | Q(organisation_id__in=mine) | Q(partners__in=mine)
    ).distinct()


def may_start(viewer: Viewer) -> tuple[bool, str, list[Organisation]]:
    """Whether the viewer may start an initiative, and which organisations may lead it."""
    if not viewer.is_authenticated:
        return False, "Sign in to start an initiative.", []
    organisations = list(Organisation.objects.filter(pk__in=_organisations(viewer)))
    if not organisations:
        return False, "You are not a member of any organisation in this place.", []
    return True, "", organisations
