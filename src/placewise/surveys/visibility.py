"""Who sees what of the leadership surveys, and which rater groups a 360 report may show: the one
place these rules live (issue 18, "Privacy, permissions and tests").

A 360 round is personal development data:

- the person sees all of their own round: who they invited and who has answered (never who
  answered what), their own answers, and, once the round is closed, the report;
- someone they share a closed round's report with (a coach, their supervisor) sees the report;
- their manager (a current practice.Supervision) sees nothing unless it was shared with them;
- a rater answers through their link and sees nothing of the report; administrators, data owners
  and everyone else see nothing.

The report's rater groups follow `plan`: a group shows on its own only with at least
PLACEWISE_360_GROUP_THRESHOLD raters who answered. Smaller groups are merged into "others"; if the
merged others would then be fewer than the threshold (so that "all raters" less the groups shown
would give them away), the smallest shown group joins them, and again, until others are none or
at least the threshold. If all raters together are fewer, every rater score is withheld. Comments
are shown word for word only from groups shown on their own. The report shows only once the round
is closed, so two looks at it, before and after one more rater, cannot be subtracted either.

A culture scan: a team member's answers are theirs alone (kept with no name on them); the team's
result shows only once the scan is closed and with at least PLACEWISE_CULTURE_SCAN_THRESHOLD
answers, to the person who ran it, the team members asked, and the organisation's leaders (those
who see practice themes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q
from django.utils import timezone

from placewise.sharing.access import permission
from placewise.sharing.disclosure import protect
from placewise.sharing.permissions import Permission
from placewise.surveys.models import Rater, Round, Scan

User = AbstractBaseUser | AnonymousUser
GROUPS = [g.value for g in Rater.Group]
OTHERS = "others"


def group_threshold() -> int:
    """The fewest raters a group's scores show for (PLACEWISE_360_GROUP_THRESHOLD)."""
    return int(settings.PLACEWISE_360_GROUP_THRESHOLD)


def scan_threshold() -> int:
    """The fewest answers a team's culture scan shows for (PLACEWISE_CULTURE_SCAN_THRESHOLD)."""
    return int(settings.PLACEWISE_CULTURE_SCAN_THRESHOLD)


@dataclass(frozen=True)
class GroupPlan:
    """Which rater groups a report shows on their own, which are merged into "others", and
    whether others and all raters together are shown."""

    counts: dict[str, int]
    threshold: int
    shown: tuple[str, ...]  # groups shown on their own, in GROUPS order
    merged: tuple[str, ...]  # groups with answers folded into "others"
    others_shown: bool  # "others" is a line of the report
    all_shown: bool  # "all raters" is a line of the report

    @property
    def others(self) -> int:
        return sum(self.counts[g] for g in self.merged)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def withheld(self) -> bool:
        """Every rater score is withheld: too few raters answered altogether."""
        return not self.all_shown and self.total > 0


def plan(counts: dict[str, int], threshold: int | None = None) -> GroupPlan:
    """What a report may show, given how many raters of each group answered."""
    threshold = group_threshold() if threshold is None else threshold
    counts = {g: int(counts.get(g, 0)) for g in GROUPS}
    total = sum(counts.values())
    if total < threshold:
        return GroupPlan(counts, threshold, (), tuple(g for g in GROUPS if counts[g]), False, False)
    shown = [g for g in GROUPS if counts[g] >= threshold]
    while True:
        others = total - sum(counts[g] for g in shown)
        if others == 0 or others >= threshold:
            break
        # Others would be 1 to threshold-1 raters, worked out as all raters less those shown:
        # the smallest shown group (the last of equals) joins them.
        smallest = min(reversed(shown), key=lambda g: counts[g])
        shown.remove(smallest)
    merged = tuple(g for g in GROUPS if g not in shown and counts[g])
    others = sum(counts[g] for g in merged)
    return GroupPlan(counts, threshold, tuple(shown), merged, bool(shown) and others > 0, True)


def scan_shown(answers: int, threshold: int | None = None) -> bool:
    """Whether a team's scan with this many answers may be shown: the count passes the same
    disclosure control as every other count of people, at the scan's threshold."""
    threshold = scan_threshold() if threshold is None else threshold
    if answers == 0:
        return False
    return protect([[answers]], threshold=threshold, column_totals=False).total is not None


# --- Who may open what -------------------------------------------------------------------------

PERSON, SHARED, NONE = "person", "shared", ""


@dataclass(frozen=True)
class Sight:
    """What one person may see of one round or scan, and why (not)."""

    allowed: bool
    reason: str
    as_: str = NONE
    manage: bool = False  # invite raters, rate oneself, close, share
    report: bool = False  # the report (once closed)


def supervises(user: User, person_id: int, today: date) -> bool:
    """Whether the user is the person's supervisor (their manager) today."""
    from placewise.practice.models import Supervision

    return (
        Supervision.objects.filter(supervisor_id=user.pk, supervisee_id=person_id, since__lte=today)
        .filter(Q(until__isnull=True) | Q(until__gte=today))
        .exists()
    )


def round_sight(user: User, round_: Round, *, today: date | None = None) -> Sight:
    """What this user may see of this 360 round."""
    today = today or timezone.localdate()
    if not user.is_authenticated:
        return Sight(False, "You need to sign in. Raters answer through the link they were sent.")
    if user.pk == round_.person_id:
        return Sight(True, "This is your own 360 round.", PERSON, manage=True, report=True)
    if round_.shares.filter(person_id=user.pk).exists():
        return Sight(
            True,
            f"{_name(round_)} shared this report with you.",
            SHARED,
            report=True,
        )
    if supervises(user, round_.person_id, today):
        return Sight(
            False,
            f"You supervise {_name(round_)}, but they have not shared this 360 report with you. "
            "It is theirs to share.",
        )
    if permission(user, Permission.PLACE_MANAGE).allowed:
        return Sight(
            False,
            "Administrators set the place up; they do not see people's development data.",
        )
    return Sight(
        False,
        "A 360 round is personal development data: only the person and those they share its "
        "report with see it.",
    )


def _name(round_: Round) -> str:
    person = round_.person
    return person.get_full_name() or person.get_username()


def scan_sight(user: User, scan: Scan) -> Sight:
    """What this user may see of this culture scan (never one person's answers)."""
    if not user.is_authenticated:
        return Sight(False, "You need to sign in.")
    if user.pk == scan.started_by_id:
        return Sight(True, "You ran this culture scan.", PERSON, manage=True, report=True)
    if scan.participants.filter(person_id=user.pk).exists():
        return Sight(True, f"You were asked to answer for {scan.team}.", SHARED, report=True)
    leading = permission(user, Permission.PRACTICE_THEMES)
    if leading.allowed and scan.organisation in leading.organisations:
        return Sight(
            True,
            f"You see the culture of teams at {scan.organisation.name}, never one person's answers.",
            SHARED,
            report=True,
        )
    return Sight(
        False,
        "A culture scan is seen by the person who ran it, the team asked and the "
        "organisation's leaders.",
    )
