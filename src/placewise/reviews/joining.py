"""Who may be at a data review session, and as what (issue 15, item 6).

A session is its organisation's: those who run review sessions for it chair it. A partner's
analyst or data owner (anyone who may see indicators, but does not run this organisation's
sessions) may join one whose agenda has an indicator their agreements cover: the same test the
Outcomes pages apply, through the policy function (`outcomes.visibility.visible`). Joining, they
see only the agenda items they could open on Outcomes, with the figures the publication path
lets their organisation see, and they may record actions they own themselves. The agenda, what
staff said, verdicts and the board's pack stay with the chair's organisation.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from placewise.indicators.export import PLACE
from placewise.outcomes.visibility import View, visible
from placewise.reviews.models import AgendaItem, ReviewSession
from placewise.sharing.access import AccessDenied, permission
from placewise.sharing.models import Membership
from placewise.sharing.permissions import Permission, Role


@dataclass(frozen=True)
class Attendance:
    """How one person is at one session: chairing it, or joined with what they may see."""

    chairs: bool
    covered: frozenset[tuple[str, str]]  # the (indicator, team) items a joiner may see

    def sees(self, item: AgendaItem) -> bool:
        return self.chairs or (item.indicator, item.team) in self.covered


def _covers(views: dict[str, View], indicator: str, team: str) -> bool:
    # A partner sees an indicator's teams only when every source is their own (visibility.py).
    view = views.get(indicator)
    return view is not None and (team == PLACE or view.full)


def attendance(user: Any, session: ReviewSession) -> Attendance:
    """Whether this person chairs or may join the session, or AccessDenied saying who can
    grant them access."""
    runs = permission(user, Permission.REVIEW_RUN)
    if runs.allowed and session.organisation in runs.organisations:
        return Attendance(chairs=True, covered=frozenset())
    looks = permission(user, Permission.OUTCOMES_VIEW)
    if not looks.allowed:
        raise AccessDenied(
            f"This review session belongs to {session.organisation.name}. {runs.reason} Nor "
            "may they see indicators and dashboards, which joining a partner's session needs."
        )
    views, _ = visible(user)
    covered = frozenset(
        (item.indicator, item.team)
        for item in session.items.all()
        if _covers(views, item.indicator, item.team)
    )
    if not covered:
        owners = owners_of(session)
        ask = (
            f"{owners} can agree to share it with your organisation"
            if owners
            else f"{session.organisation.name} has no data owner named yet"
        )
        raise AccessDenied(
            f"This review session belongs to {session.organisation.name}, and no indicator on "
            f"its agenda counts only data that an agreement in force shares with your "
            f"organisation, so you cannot join it. {ask}; your own data owner can ask them."
        )
    return Attendance(chairs=False, covered=covered)


def owners_of(session: ReviewSession) -> str:
    """The session organisation's data owners, named: they agree what it shares."""
    found = Membership.objects.filter(
        organisation=session.organisation, role=Role.DATA_OWNER
    ).select_related("user")
    return " and ".join(
        f"{m.user.get_full_name() or m.user.get_username()} (data owner, "
        f"{session.organisation.name})"
        for m in found.order_by("user__username")
    )


def joinable(user: Any) -> QuerySet[ReviewSession]:
    """The sessions this person may join: of organisations they do not run sessions for, with
    an agenda item their agreements cover."""
    if not permission(user, Permission.OUTCOMES_VIEW).allowed:
        return ReviewSession.objects.none()
    runs = permission(user, Permission.REVIEW_RUN)
    views, _ = visible(user)
    place = [k for k in views]
    every_team = [k for k, v in views.items() if v.full]
    return (
        ReviewSession.objects.exclude(organisation__in=runs.organisations)
        .filter(
            Q(items__indicator__in=place, items__team=PLACE) | Q(items__indicator__in=every_team)
        )
        .distinct()
        .select_related("organisation", "chair")
        .order_by("-held_on", "-pk")
    )
