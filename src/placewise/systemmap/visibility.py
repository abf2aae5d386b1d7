"""Who may see and who may change the system map (issue 19): the one rule every system-map page
and action asks.

The map is the place's shared picture of its partners and how they work together. It holds no
child's data, but it names organisations, teams and people and what partners think of how the
system behaves, so it is for the people who work in the place, not the public:

- Anyone signed in who belongs to a partner organisation (any role) sees the map, its history
  and its exports.
- Those whose role is to lead or enable work across the system — an enabler, a partner lead, a
  head of service, an administrator — also change it: add, edit and remove nodes and edges, and
  import a map. Every change is kept with who made it and when.
- Nobody changes what is drawn from the data (agreements, sources, stakeholders): it changes only
  when the data does.
- Someone signed in who belongs to no organisation, and anyone not signed in, sees nothing.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from placewise.sharing.access import AccessDenied
from placewise.sharing.models import Membership
from placewise.sharing.permissions import Role

Viewer = AbstractBaseUser | AnonymousUser

EDITORS = frozenset({Role.ENABLER, Role.PARTNER_LEAD, Role.HEAD_OF_SERVICE, Role.ADMINISTRATOR})


@dataclass(frozen=True)
class Sight:
    allowed: bool
    reason: str


def _roles(viewer: Viewer) -> set[str]:
    if not viewer.is_authenticated:
        return set()
    return set(Membership.objects.filter(user_id=viewer.pk).values_list("role", flat=True))


def may_see(viewer: Viewer) -> Sight:
    if not viewer.is_authenticated:
        return Sight(False, "Sign in to see the system map.")
    if not _roles(viewer):
        return Sight(
            False,
            "The system map is for people who work for a partner in the place: you are not a "
            "member of any organisation yet. Ask an administrator to add you to yours.",
        )
    return Sight(True, "You work for a partner in the place.")


def may_edit(viewer: Viewer) -> Sight:
    seen = may_see(viewer)
    if not seen.allowed:
        return seen
    if _roles(viewer) & {r.value for r in EDITORS}:
        return Sight(True, "Your role leads or enables work across the system.")
    return Sight(
        False,
        "You may read the system map; changing it is for enablers, partner leads, heads of "
        "service and administrators.",
    )


def require_see(viewer: Viewer) -> Sight:
    sight = may_see(viewer)
    if not sight.allowed:
        raise AccessDenied(sight.reason)
    return sight


def require_edit(viewer: Viewer) -> Sight:
    sight = may_edit(viewer)
    if not sight.allowed:
        raise AccessDenied(sight.reason)
    return sight
