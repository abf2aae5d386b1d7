"""Reads of community co-design: who may run an engagement, reach by group (in full for the
service, through disclosure control for the public), and what happened to each proposal."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet, Sum
from django.utils import timezone

from placewise.community import reach
from placewise.community.models import (
    Attendance,
    Dimension,
    Engagement,
    PopulationRow,
    Proposal,
    Session,
)
from placewise.public import queries as portal
from placewise.public.models import PublishedFigure
from placewise.reviews.models import Action, Verdict
from placewise.sharing import publication, quarters
from placewise.sharing.access import permission
from placewise.sharing.disclosure import protect
from placewise.sharing.permissions import Permission

Person = AbstractBaseUser | AnonymousUser


def runs(user: Person, engagement: Engagement) -> bool:
    """Whether the person runs engagements at the engagement's organisation."""
    decision = permission(user, Permission.REVIEW_RUN)
    return decision.allowed and engagement.organisation in decision.organisations


def engagements_for(user: Person) -> QuerySet[Engagement]:
    decision = permission(user, Permission.REVIEW_RUN)
    return Engagement.objects.filter(
        organisation__in=[o.pk for o in decision.organisations]
    ).select_related("organisation")


def participants(
    engagement: Engagement, sessions: QuerySet[Session] | None = None
) -> dict[str, dict[str, int]]:
    """Participants of every session (or of those given) added up, by dimension and group."""
    totals: dict[str, dict[str, int]] = defaultdict(dict)
    chosen = engagement.sessions.all() if sessions is None else sessions
    rows = (
        Attendance.objects.filter(session__in=chosen)
        .values("dimension", "group")
        .annotate(n=Sum("count"))
        .order_by("dimension", "group")
    )
    for row in rows:
        totals[row["dimension"]][row["group"]] = int(row["n"])
    return dict(totals)


def took_part(engagement: Engagement, sessions: QuerySet[Session] | None = None) -> int:
    chosen = engagement.sessions.all() if sessions is None else sessions
    return int(chosen.aggregate(n=Sum("participants"))["n"] or 0)


def quarter_sessions(engagement: Engagement, quarter: quarters.Quarter) -> QuerySet[Session]:
    """A quarter's own sessions, as the public's reach counts them (ADR 0030): held in it and
    recorded before it ended. Once the quarter has ended the set never changes, so neither do
    the figures worked from it."""
    return engagement.sessions.filter(
        held_on__gte=quarter.starts, held_on__lt=quarter.ends, recorded_at__lt=quarter.closed_at
    )


def population(engagement: Engagement) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = defaultdict(dict)
    if engagement.population_id is None:
        return {}
    for row in PopulationRow.objects.filter(table_id=engagement.population_id):
        out[row.dimension][row.group] = row.count
    return dict(out)


@dataclass(frozen=True)
class DimensionReach:
    dimension: str
    label: str
    groups: list[reach.GroupReach]
    not_known: int  # participants whose group in this dimension was not recorded

    @property
    def under_represented(self) -> list[reach.GroupReach]:
        return [g for g in self.groups if g.under_represented]


def reach_of(
    engagement: Engagement, sessions: QuerySet[Session] | None = None
) -> list[DimensionReach]:
    """Reach in full, for the people who run the engagement (their own organisation's counts, as
    they recorded them: every session, to see whose voices are missing while there is time)."""
    counted, people = participants(engagement, sessions), population(engagement)
    total = took_part(engagement, sessions)
    out = []
    for dimension in Dimension:
        mine, theirs = counted.get(dimension.value, {}), people.get(dimension.value, {})
        if not mine and not theirs:
            continue
        out.append(
            DimensionReach(
                dimension=dimension.value,
                label=dimension.label,
                groups=reach.compare(mine, theirs),
                not_known=total - sum(mine.values()),
            )
        )
    return out


@dataclass(frozen=True)
class PublicGroup:
    group: str
    participants: int | None  # None: withheld by disclosure control
    participant_share: float | None
    population_share: float
    under_represented: bool | None  # None: not judged, its count is withheld
    gap_points: float | None


@dataclass(frozen=True)
class PublicDimension:
    label: str
    groups: list[PublicGroup]
    total: int | None

    @property
    def under_represented(self) -> list[PublicGroup]:
        return [g for g in self.groups if g.under_represented]

    @property
    def withheld(self) -> list[PublicGroup]:
        return [g for g in self.groups if g.participants is None]


@dataclass(frozen=True)
class QuarterReach:
    """Who took part in one ended quarter's sessions, as the public may see it."""

    quarter: quarters.Quarter
    sessions: int  # the sessions counted: held in the quarter, recorded before it ended
    took_part: int | None  # None: withheld by disclosure control
    dimensions: list[PublicDimension]

    @property
    def months(self) -> str:
        """'January to March 2026', as a resident would say it."""
        return f"{self.quarter.starts:%B} to {self.quarter.last_day:%B %Y}"


def public_reach(engagement: Engagement, today: date | None = None) -> list[QuarterReach]:
    """Reach as the public may see it, quarter by quarter, newest first: each quarter that has
    ended and has sessions of its own (quarter_sessions), protected on its own (_protected).

    Never added up across quarters group by group (ADR 0030, follow-up): a running total by group
    published at the end of one quarter and again at the end of the next gives, by subtraction,
    the next quarter's count of each group, however small."""
    first = engagement.sessions.order_by("held_on").values_list("held_on", flat=True).first()
    if first is None:
        return []
    out = []
    for quarter in quarters.ended(first, today or timezone.localdate()):
        counted = quarter_sessions(engagement, quarter)
        held = counted.count()
        if not held:
            continue
        took_part, dimensions = _protected(engagement, counted)
        out.append(QuarterReach(quarter, held, took_part, dimensions))
    return out


def took_part_in_all(reach: list[QuarterReach]) -> int | None:
    """How many took part in every quarter published, added up from the quarters' published
    totals only, so it tells nothing they do not; None when any quarter's total is withheld,
    since the sum of the exact totals less the published ones would give the withheld one back."""
    shown = [q.took_part for q in reach]
    if not shown or any(n is None for n in shown):
        return None
    return sum(n for n in shown if n is not None)


def _protected(
    engagement: Engagement, counted: QuerySet[Session]
) -> tuple[int | None, list[PublicDimension]]:
    """The reach of the sessions counted as the public may see it: each dimension's counts of
    participants are one row of a table passed through disclosure control at the place's
    threshold (sharing.disclosure, as sharing.publication protects a month's counts: small
    counts, and any count that could be worked out from them and the published total, withheld;
    rounded where the place rounds). Shares, gaps and the under-represented judgement are worked
    from published numbers only, so none of them gives a withheld count back; a group whose count
    is withheld is not judged."""
    total = took_part(engagement, counted)
    limit, rounding = publication.threshold(), publication.round_to()
    grand = protect([[total]], threshold=limit, round_to=rounding).total if total else 0
    out = []
    for full in reach_of(engagement, counted):
        if not full.groups:
            continue
        counts = [g.participants for g in full.groups]
        if full.not_known:
            counts.append(full.not_known)
        # One row: the groups' own sums are the cells, never shown apart from them.
        safe = protect([counts], threshold=limit, round_to=rounding, column_totals=False)
        published = safe.cells[0][: len(full.groups)]
        shown_total = safe.total
        # Shares are among those whose group is known, as in full: the published total less
        # the published "not known"; when either is withheld, no share is worked out.
        not_known = safe.cells[0][-1] if full.not_known else 0
        base = shown_total - not_known if shown_total is not None and not_known is not None else 0
        groups = []
        for g, n in zip(full.groups, published, strict=True):
            if n is None or not base:
                groups.append(PublicGroup(g.group, n, None, g.population_share, None, None))
                continue
            share = n / base
            judged = bool(g.population) and reach.is_under_represented(share, g.population_share)
            gap = round(100 * (g.population_share - share), 1)
            groups.append(PublicGroup(g.group, n, share, g.population_share, judged, gap))
        out.append(PublicDimension(full.label, groups, shown_total))
    return grand, out


@dataclass(frozen=True)
class Outcome:
    proposal: Proposal
    action: Action | None
    verdicts: list[Verdict]


def outcomes(engagement: Engagement) -> list[Outcome]:
    """Each answered proposal with its action's verdicts, read now: the page follows the
    follow-up engine as verdicts are given."""
    proposals = Proposal.objects.filter(theme__engagement=engagement).select_related(
        "theme", "action"
    )
    out = []
    for proposal in proposals:
        verdicts = (
            list(Verdict.objects.filter(action=proposal.action).order_by("decided_at", "pk"))
            if proposal.action is not None
            else []
        )
        out.append(Outcome(proposal, proposal.action, verdicts))
    return out


def published(slug: str) -> Engagement | None:
    return (
        Engagement.objects.filter(slug=slug, published_on__isnull=False)
        .select_related("organisation")
        .first()
    )


def published_list() -> QuerySet[Engagement]:
    return Engagement.objects.filter(published_on__isnull=False).order_by("-published_on", "-pk")


def published_figure(engagement: Engagement) -> PublishedFigure | None:
    """The engagement's indicator for the whole place as the public portal publishes it (signed
    off through sharing.publication by a second person, not withdrawn), if it does."""
    if not engagement.indicator:
        return None
    return (
        portal.published()
        .filter(indicator=engagement.indicator, team=publication.PLACE)
        .order_by("-revision", "-pk")
        .first()
    )
