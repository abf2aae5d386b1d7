"""Reads for operational and strategic reviews: who may be at a meeting, the balance of the kinds
of meeting held, the children a meeting's sample is drawn from, and each sampled child's journey
as the viewer's agreements allow. Every person-level read asks the policy function (audited)."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from placewise.indicators.export import PLACE
from placewise.journeys.journey import Journey, across_agencies, provider_name
from placewise.outcomes import data, members
from placewise.outcomes.visibility import visible
from placewise.reviews.models import ReviewSession
from placewise.service_reviews.models import (
    Kind,
    ReviewMeeting,
    ReviewSchedule,
    SampleChild,
)
from placewise.sharing import policy, publication
from placewise.sharing.access import AccessDenied, permission
from placewise.sharing.disclosure import Protected
from placewise.sharing.permissions import Permission
from placewise.store import queries as store
from placewise.store.pseudonymise import Tokeniser
from placewise.store.queries import Query


class SampleError(Exception):
    """Why children could not be drawn for a meeting's sample, for people to read."""


# --- Who may be at a meeting -------------------------------------------------------------------


@dataclass(frozen=True)
class Attendance:
    """How one person is at one meeting: chairing it (they run reviews for its organisation), or
    taking part because its schedule invites them (a partner's lead). The idea of a data review
    session's joining (reviews/joining.py), with an invitation in place of an agenda item."""

    chairs: bool


def attendance(user: Any, meeting: ReviewMeeting) -> Attendance:
    """Whether this person chairs the meeting or is invited to it, or AccessDenied with why."""
    runs = permission(user, Permission.SERVICE_REVIEW_RUN)
    if runs.allowed and meeting.organisation in runs.organisations:
        return Attendance(chairs=True)
    if user.is_authenticated and meeting.schedule.invited.filter(pk=user.pk).exists():
        return Attendance(chairs=False)
    raise AccessDenied(
        f"This review meeting belongs to {meeting.organisation.name}, and its schedule does not "
        f"invite you. Ask its chair, {chair_name(meeting)}, to invite you to "
        f"'{meeting.schedule.title}'."
    )


def chair_name(meeting: ReviewMeeting) -> str:
    return meeting.chair.get_full_name() or meeting.chair.get_username()


def schedules_for(user: Any) -> QuerySet[ReviewSchedule]:
    """The schedules this person runs, for the organisations they run reviews for."""
    runs = permission(user, Permission.SERVICE_REVIEW_RUN)
    return ReviewSchedule.objects.filter(organisation__in=runs.organisations).prefetch_related(
        "invited"
    )


def invited_to(user: Any) -> QuerySet[ReviewMeeting]:
    """The meetings of the schedules that invite this person."""
    if not user.is_authenticated:
        return ReviewMeeting.objects.none()
    return ReviewMeeting.objects.filter(schedule__invited=user).select_related("schedule")


# --- The balance of operational and strategic meetings -----------------------------------------

QUARTER_DAYS = 91  # the last quarter: the 13 weeks up to and including today
YEAR_DAYS = 365
# One kind crowds out the other when, of at least MIN_MEETINGS meetings held in a period, it is
# less than a third (SHARE_NUMERATOR / SHARE_DENOMINATOR). Fewer meetings say too little to judge.
MIN_MEETINGS = 3
SHARE_NUMERATOR, SHARE_DENOMINATOR = 1, 3


@dataclass(frozen=True)
class Balance:
    period: str
    since: date  # the first day counted
    until: date
    operational: int
    strategic: int

    @property
    def total(self) -> int:
        return self.operational + self.strategic

    @property
    def judged(self) -> bool:
        return self.total >= MIN_MEETINGS

    @property
    def crowded_out(self) -> str:
        """The kind crowded out ("" when balanced, or too few meetings to judge)."""
        if not self.judged:
            return ""
        for kind, held in ((Kind.OPERATIONAL, self.operational), (Kind.STRATEGIC, self.strategic)):
            if held * SHARE_DENOMINATOR < self.total * SHARE_NUMERATOR:
                return str(kind)
        return ""

    @property
    def warning(self) -> str:
        kind = self.crowded_out
        if not kind:
            return ""
        other = Kind.STRATEGIC if kind == Kind.OPERATIONAL else Kind.OPERATIONAL
        held = self.operational if kind == Kind.OPERATIONAL else self.strategic
        return (
            f"{Kind(other).label} meetings are crowding out {Kind(kind).label.lower()} ones: "
            f"{held} of the {self.total} meetings held in the {self.period} "
            f"{'was' if held == 1 else 'were'} {Kind(kind).label.lower()}, fewer than one in "
            f"{SHARE_DENOMINATOR}."
        )


def balance(held: list[tuple[date, str]], *, today: date) -> list[Balance]:
    """The kinds of the meetings held (date, kind) over the last quarter and the last year."""
    found = []
    for period, days in (("last quarter", QUARTER_DAYS), ("last year", YEAR_DAYS)):
        since = today - timedelta(days=days - 1)
        kinds = [k for on, k in held if since <= on <= today]
        found.append(
            Balance(
                period=period,
                since=since,
                until=today,
                operational=kinds.count(Kind.OPERATIONAL),
                strategic=kinds.count(Kind.STRATEGIC),
            )
        )
    return found


def meetings_held(organisations: Any) -> list[tuple[date, str]]:
    return list(
        ReviewMeeting.objects.filter(organisation__in=organisations).values_list("held_on", "kind")
    )


# --- Drawing a sample --------------------------------------------------------------------------


def _spread(items: list[Any], how_many: int) -> list[Any]:
    """`how_many` of the items, spread evenly from first to last (all of them, if fewer)."""
    if len(items) <= how_many:
        return list(items)
    step = len(items) / how_many
    return [items[int(i * step)] for i in range(how_many)]


def _opened(user: Any, sources: list[str], purpose: str, subject: str) -> tuple[set[str], str]:
    """The sources the policy lets this user open for the purpose (each an audited decision),
    and the reasons for those it refused."""
    shown, refused = set(), []
    for source in sorted(sources):
        access = policy.decide(user, source=source, purpose=purpose, subject=subject)
        if access.allowed:
            shown.add(source)
        else:
            refused.append(access.reason)
    return shown, " ".join(refused)


def indicator_children(
    user: Any, *, key: str, team: str, period: date, purpose: str, how_many: int
) -> tuple[str, list[tuple[str, str]]]:
    """From an indicator's children behind a month (outcomes/members.py): a description of where
    they were drawn from, and up to `how_many` records (source, case reference), those the
    figure counted first."""
    views, _ = visible(user)
    view = views.get(key)
    if view is None:
        raise SampleError("That indicator counts data no agreement shares with you.")
    if team != PLACE and not view.full:
        raise SampleError("Your organisation sees this indicator for the whole place only.")
    withheld = withheld_month(key, team, period, full=view.full)
    if withheld:
        raise SampleError(
            f"The figure for {period:%B %Y} is withheld from your organisation ({withheld}), so "
            "the children behind it are not listed."
        )
    where = "the place" if team == PLACE else f"Team {team}"
    subject = f"children behind {key}, {period:%B %Y}, {where} (review meeting sample)"
    shown, refused = _opened(user, sorted(data.sources_of(view.indicator)), purpose, subject)
    if not shown:
        raise SampleError(refused or "No source of this indicator can be opened.")
    counted = members.with_references(members.members(view.indicator, period, team), shown)
    found = [m.records[0] for m in counted if m.records][:how_many]
    if not found:
        raise SampleError(f"No children behind {period:%B %Y} in {where} that you may see.")
    return f"{view.indicator.title}, {where}, {period:%B %Y}", found


def cohort_query(source: str, start: date, end: date) -> Query:
    """The children (a person key, or an unlinked record's token) first referred in the period,
    in the order they were referred: cohort journeys' cohort (journeys/cohort.py)."""
    return Query(
        "SELECT coalesce(l.person_key, e.token) AS who, min(e.start_date) AS referred "
        "FROM events e LEFT JOIN person_links l USING (token) "
        "WHERE e.source = ? AND e.kind = 'referral' AND e.start_date BETWEEN ? AND ? "
        "AND e.load_id IN (SELECT load_id FROM loads) GROUP BY 1 ORDER BY 2, 1",
        [source, start, end],
    )


def cohort_children(
    user: Any, *, start: date, end: date, purpose: str, how_many: int
) -> tuple[str, list[tuple[str, str]]]:
    """Up to `how_many` of the children referred in the period, spread across it."""
    council = settings.PLACEWISE_COUNCIL_SOURCE
    subject = f"children referred {start} to {end} (review meeting sample)"
    shown, refused = _opened(user, [council], purpose, subject)
    if not shown:
        raise SampleError(refused)
    whos = [r["who"] for r in store.run(cohort_query(council, start, end))]
    if not whos:
        raise SampleError(
            f"No child was referred from {start.day} {start:%B %Y} to {end.day} {end:%B %Y}."
        )
    picked = _spread(whos, how_many)
    counted = {w: (1.0, 1.0) for w in picked}
    found = [m.records[0] for m in members.with_references(counted, shown) if m.records]
    return f"Children referred from {start.day} {start:%B %Y} to {end.day} {end:%B %Y}", found


def referral_child(
    user: Any, *, source: str, reference: str, purpose: str
) -> tuple[str, list[tuple[str, str]]]:
    """One child referred by a partner, by the case reference in the partner's own system."""
    access = policy.decide(
        user, source=source, purpose=purpose, subject=f"{reference} (review meeting sample)"
    )
    if not access.allowed:
        raise SampleError(access.reason)
    token = Tokeniser(settings.PLACE_SECRET).token(source, reference)
    if not store.run(store.event_count([token]))[0]["n"]:
        raise SampleError(f"There is no record with the case reference {reference} in {source}.")
    return f"A referral from {access.provider or source}", [(source, reference)]


def withheld_month(key: str, team: str, period: date, *, full: bool) -> str:
    """Why this month's figure is withheld from a viewer ("" when it is published): a list of
    the children behind it would give a withheld count back."""
    signal = next(
        (s for s in data.all_signals() if s.indicator.key == key and s.team == team), None
    )
    if signal is None:
        return "" if full else "there is no published figure for it"
    month = next((m for m in data.published(signal, full=full).months if m.period == period), None)
    if month is None:
        return "" if full else "there is no published figure for it"
    return month.withheld


# --- Each sampled child's journey --------------------------------------------------------------


@dataclass
class ChildJourney:
    """A sampled child as one viewer may see them: their journey across agencies where the
    agreements allow, and what is withheld, named by provider, with why."""

    child: SampleChild
    number: int  # "Child 1" in the meeting: the name for a child whose record is not shown
    opened: bool  # the sampled record itself may be shown (its case reference too)
    provider: str
    reason: str
    events: list[dict[str, Any]] = field(default_factory=list)
    withheld: list[dict[str, Any]] = field(default_factory=list)

    @property
    def reference(self) -> str:
        return self.child.reference if self.opened else ""


def journeys(user: Any, meeting: ReviewMeeting) -> list[ChildJourney]:
    """The sample's journeys, each read now through the policy function for the meeting's
    purpose (audited): never more than this viewer may see."""
    found = []
    tokeniser = Tokeniser(settings.PLACE_SECRET)
    for number, child in enumerate(meeting.sample.all(), start=1):
        subject = f"{child.reference} (review meeting {meeting.pk})"
        access = policy.decide(user, source=child.source, purpose=meeting.purpose, subject=subject)
        # A sampled record the viewer may not open is named and left there: walking its links
        # would tell them, from their own records, who the withheld child is, and counting its
        # events would give away the provider's data about them.
        drawn = Journey(events=[], withheld=[])
        if access.allowed:
            drawn = across_agencies(
                user,
                token=tokeniser.token(child.source, child.reference),
                source=child.source,
                reference=child.reference,
                purpose=meeting.purpose,
                access=access,
            )
        provider = access.provider or provider_name(child.source)
        found.append(
            ChildJourney(
                child=child,
                number=number,
                opened=access.allowed,
                provider=provider,
                reason=access.reason,
                events=drawn.events,
                withheld=drawn.withheld,
            )
        )
    return found


# What the sample's journeys show together: how many of the children had each step. Counts of
# children, so they go through the publication path like any other.
STEPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("referral", "Referred", ("referral",)),
    ("assessment", "Assessed", ("assessment",)),
    ("section_47", "Child protection enquiry (section 47)", ("section_47",)),
    ("cin_plan", "Child in need plan", ("cin_plan",)),
    ("cp_plan", "Child protection plan", ("cp_plan",)),
    ("looked_after", "Looked after", ("cla_period", "cla_episode")),
    ("school", "School absence or suspension", ("school_absence", "school_suspension")),
    (
        "police",
        "Police notification or missing report",
        ("domestic_abuse_notification", "missing_episode"),
    ),
    ("health", "A&E attendance", ("ae_attendance",)),
)


@dataclass(frozen=True)
class SampleSummary:
    children: int
    rows: list[tuple[str, int | None]]  # (step, children who had it: None where withheld)
    protected: Protected | None

    @property
    def shown(self) -> bool:
        """Whether any step's count may be shown: a table of nothing but [c] says nothing."""
        return any(yes is not None for _, yes in self.rows)


def summary(found: list[ChildJourney], *, full: bool) -> SampleSummary:
    """How many of the sampled children had each step, as far as the viewer sees their
    journeys, through `publication.splits`: `full` only when every record read was the viewer's
    own organisation's, else small counts are withheld as on every other page."""
    n = len(found)
    if not n:
        return SampleSummary(0, [], None)
    counts = []
    for _, _, kinds in STEPS:
        yes = sum(1 for j in found if any(e["kind"] in kinds for e in j.events))
        counts.append((yes, n - yes))
    protected = publication.splits(counts, full=full)
    return SampleSummary(
        children=n,
        rows=[(label, protected.cells[i][0]) for i, (_, label, _) in enumerate(STEPS)],
        protected=protected,
    )


def all_own(user: Any, found: list[ChildJourney]) -> bool:
    """Whether every journey was read wholly from the viewer's own organisation's records."""
    mine = set(permission(user, Permission.PERSON_VIEW).organisations)
    sources = {j.child.source for j in found} | {e["source"] for j in found for e in j.events}
    return all(j.opened and not j.withheld for j in found) and all(
        policy.provider_of(s) in mine for s in sources
    )


# --- Where an agreed change is followed up -----------------------------------------------------


def next_review_session(meeting: ReviewMeeting, team: str) -> ReviewSession | None:
    """The organisation's next data review session after the meeting: the team's own if it has
    one, else the next of any team."""
    later = ReviewSession.objects.filter(
        organisation=meeting.organisation, held_on__gt=meeting.held_on
    ).order_by("held_on", "pk")
    return later.filter(team=team).first() or later.first()
