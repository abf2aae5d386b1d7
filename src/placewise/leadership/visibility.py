"""Who sees what of someone's leadership development (issue 18): the one rule every leadership
page asks. Everything here is personal development data.

- A person sees all of their own: plan, experiments, reflections, coaching, their data to take
  away. Only they write their plan and share it.
- Someone they share with (their coach, their supervisor: `Share`) reads their plan, its
  experiments and reflections, and its PDF; nothing else, and writes nothing.
- A coaching conversation is seen by its coach and coachee only; either of them records it.
- Everyone else — their manager, an administrator, colleagues — sees nothing of any one person.
  Organisations see only counts of coaching, and only above a threshold (leadership.queries).
"""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from placewise.leadership.models import Coaching, Plan, Share
from placewise.sharing.access import AccessDenied

Viewer = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class Sight:
    allowed: bool
    reason: str
    own: bool = False


def _name(user: object) -> str:
    full = getattr(user, "get_full_name", lambda: "")()
    return str(full or getattr(user, "username", ""))


def plan_sight(viewer: Viewer, plan: Plan) -> Sight:
    """Whether the viewer may read the plan: its person, or someone they share it with."""
    if not viewer.is_authenticated:
        return Sight(False, "Sign in to see a leadership plan.")
    if viewer.pk == plan.person_id:
        return Sight(True, "Your own plan.", own=True)
    if Share.objects.filter(person_id=plan.person_id, viewer_id=viewer.pk).exists():
        return Sight(True, f"{_name(plan.person)} shares their plan with you.")
    return Sight(
        False,
        f"A leadership plan is seen only by its person ({_name(plan.person)}) and those they "
        "share it with: they have not shared it with you.",
    )


def coaching_sight(viewer: Viewer, coaching: Coaching) -> Sight:
    """Whether the viewer may read (and record) the coaching: its coach and coachee only."""
    if viewer.is_authenticated and viewer.pk in (coaching.coach_id, coaching.coachee_id):
        return Sight(True, "You are in this coaching.", own=viewer.pk == coaching.coachee_id)
    return Sight(
        False,
        "Coaching conversations are private to the two people in them: "
        f"{_name(coaching.coach)} and {_name(coaching.coachee)}.",
    )


def require_plan(viewer: Viewer, plan: Plan, *, write: bool = False) -> Sight:
    sight = plan_sight(viewer, plan)
    if not sight.allowed:
        raise AccessDenied(sight.reason)
    if write and not sight.own:
        raise AccessDenied(f"Only {_name(plan.person)} writes their plan: you may read it.")
    return sight


def require_coaching(viewer: Viewer, coaching: Coaching) -> Sight:
    sight = coaching_sight(viewer, coaching)
    if not sight.allowed:
        raise AccessDenied(sight.reason)
    return sight
