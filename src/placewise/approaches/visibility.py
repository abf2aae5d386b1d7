"""Who may see and change the approaches library and the place survey: the one place these rules
live (issue 19, "Permissions and tests").

- The library is read by everyone signed in; an enabler (leadership.enable: enablers and heads
  of service) adds and edits approaches and records where one was used.
- The place survey is run by an enabler: opening and closing rounds, making answer links,
  tagging quotes with themes.
- Any signed-in partner (someone with a role in an organisation of the place) may answer an open
  round once; anyone holding a good link may answer once without an account.
- A round's results (scores, the comparison with the round before, quotes by theme) are seen by
  enablers and by partners who see outcomes, and only once the round is closed (two looks at an
  open round, before and after one more answer, would give that answer away; the facilitator
  tags quotes after closing) and has at least PLACEWISE_PLACE_SURVEY_THRESHOLD answers: the
  count passes the same disclosure control as every other count of people. Quotes are never
  shown with who wrote them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from placewise.sharing.access import permission
from placewise.sharing.disclosure import protect
from placewise.sharing.models import Membership
from placewise.sharing.permissions import Permission
from placewise.sharing.publication import round_to

User = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class Sight:
    """Whether someone may do a thing, and why (not)."""

    allowed: bool
    reason: str


def threshold() -> int:
    """The fewest answers a round's results show for (PLACEWISE_PLACE_SURVEY_THRESHOLD)."""
    return int(settings.PLACEWISE_PLACE_SURVEY_THRESHOLD)


def published(answers: int, at: int | None = None) -> int | None:
    """A round's count of answers as it may be shown (rounded where the place rounds counts),
    or None where it is withheld: through the same disclosure control as every count of people,
    at the place survey's threshold."""
    at = threshold() if at is None else at
    if answers == 0:
        return None
    return protect([[answers]], threshold=at, round_to=round_to(), column_totals=False).total


def shown(answers: int, at: int | None = None) -> bool:
    """Whether a round with this many answers may be shown."""
    return published(answers, at) is not None


def read_library(user: User) -> Sight:
    if not user.is_authenticated:
        return Sight(False, "You need to sign in.")
    return Sight(True, "Everyone signed in may read the approaches library.")


def enable(user: User) -> Sight:
    """Curating the library and running the place survey."""
    decision = permission(user, Permission.LEADERSHIP_ENABLE)
    if decision.allowed:
        return Sight(True, decision.reason)
    if not user.is_authenticated:
        return Sight(False, "You need to sign in.")
    return Sight(
        False,
        "Only an enabler (or a head of service) adds and edits approaches and runs the place "
        "survey.",
    )


def answer(user: User) -> Sight:
    """Answering an open round signed in."""
    if not user.is_authenticated:
        return Sight(False, "You need to sign in, or use the link you were sent.")
    if not Membership.objects.filter(user_id=user.pk).exists():
        return Sight(False, "The place survey is answered by the place's partners.")
    return Sight(True, "You are a partner in this place.")


def results(user: User) -> Sight:
    """Seeing a round's results (still only above the threshold)."""
    if enable(user).allowed:
        return Sight(True, "You run the place survey.")
    if permission(user, Permission.OUTCOMES_VIEW).allowed:
        return Sight(True, "Partners who see outcomes see the place survey's results.")
    if not user.is_authenticated:
        return Sight(False, "You need to sign in.")
    return Sight(
        False,
        "The place survey's results are seen by enablers and by partners who see outcomes.",
    )
