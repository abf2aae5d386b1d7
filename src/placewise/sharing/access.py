"""The one place that answers "may this person do this?", with a reason a person can read."""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied

from placewise.sharing import versions
from placewise.sharing.models import Membership, Organisation
from placewise.sharing.permissions import ROLE_PERMISSIONS, Permission, Role


class AccessDenied(PermissionDenied):
    """Refusal that carries the reason the user is shown."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str
    organisations: tuple[Organisation, ...] = ()


User = AbstractBaseUser | AnonymousUser


def permission(user: User, wanted: Permission) -> Decision:
    """Whether the user holds the permission, in which organisations, and why (not)."""
    if not user.is_authenticated:
        return Decision(False, "You need to sign in.")
    mine = memberships(user)
    granting = tuple(
        dict.fromkeys(  # one entry per organisation, however many roles grant it
            m.organisation for m in mine if wanted in ROLE_PERMISSIONS[Role(m.role)]
        )
    )
    if granting:
        return Decision(
            True, f"Allowed by your role at {', '.join(o.name for o in granting)}.", granting
        )
    if not mine:
        return Decision(False, "You are not a member of any organisation in this place.")
    held = "; ".join(f"{Role(m.role).label} at {m.organisation.name}" for m in mine)
    return Decision(False, f"Your roles ({held}) do not include permission to {_describe(wanted)}.")


def permissions_of(user: User) -> frozenset[Permission]:
    """Every permission the user's roles grant, in any organisation (for shaping a menu; a page
    still asks `permission` or `require` for its own)."""
    if not user.is_authenticated:
        return frozenset()
    return frozenset(p for m in memberships(user) for p in ROLE_PERMISSIONS[Role(m.role)])


def memberships(user: AbstractBaseUser) -> list[Membership]:
    """The user's roles at each organisation, read once a request (sharing/versions.py): the
    menu and each check a page makes ask for them. A change of roles bumps the access version,
    which makes the request read them again."""
    return versions.once(
        f"memberships:{user.pk}",
        lambda: list(Membership.objects.filter(user_id=user.pk).select_related("organisation")),
    )


def require(user: User, wanted: Permission) -> Decision:
    """The decision if allowed; otherwise raise AccessDenied with the reason."""
    decision = permission(user, wanted)
    if not decision.allowed:
        raise AccessDenied(decision.reason)
    return decision


_DESCRIPTIONS = {
    Permission.DATA_VIEW_LOADS: "see data loads and their validation results",
    Permission.DATA_UPLOAD: "load data files",
    Permission.PERSON_VIEW: "ask to see a person's records",
    Permission.AUDIT_VIEW: "see the audit log",
    Permission.AGREEMENT_VIEW: "see data sharing agreements",
    Permission.AGREEMENT_MANAGE: "draft and change data sharing agreements",
    Permission.AGREEMENT_APPROVE: "approve data sharing agreements",
    Permission.LINKAGE_REVIEW: "review uncertain record pairs for linkage",
    Permission.COHORT_VIEW: "see cohort journeys (aggregate figures)",
    Permission.OUTCOMES_VIEW: "see indicators and dashboards",
    Permission.REVIEW_RUN: "run data review sessions",
    Permission.PLACE_MANAGE: "set up the place's organisations and people",
    Permission.SOURCE_DECLARE: "declare sources and their mapping files",
    Permission.PRACTICE_REVIEW: "take part in peer reviews of casework",
    Permission.SUPERVISE: "supervise practitioners",
    Permission.PRACTICE_THEMES: "see themes across peer reviews",
    Permission.PRACTICE_FRAMEWORK: "change the service's peer review framework",
    Permission.SERVICE_REVIEW_RUN: "run operational and strategic reviews",
    Permission.LEADERSHIP_ENABLE: "look after the approaches library and run the place survey",
}


def _describe(permission: Permission) -> str:
    return _DESCRIPTIONS.get(permission, permission.value)
