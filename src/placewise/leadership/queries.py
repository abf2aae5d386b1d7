"""Reads for leadership development: a plan as it stands and its history, what is due, what the
person took part in, coaching to follow up, counts for an organisation, and their data to take
away. Who may read what is decided in leadership.visibility; these functions assume it was."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet
from django.utils import timezone

from placewise.leadership.models import (
    Capability,
    Coaching,
    Conversation,
    Entry,
    Experiment,
    Plan,
    Reflection,
    Scope,
    Share,
)
from placewise.practice.models import PeerReview
from placewise.reviews.models import Action, ReviewSession, Verdict
from placewise.service_reviews.models import ReviewMeeting
from placewise.sharing import disclosure, quarters
from placewise.sharing.models import Organisation

Viewer = AbstractBaseUser | AnonymousUser
# Counts of coaching reach an organisation only when each is at least this (or none at all):
# like practice themes, never fewer than five.
COUNT_THRESHOLD = 5
DUE_WITHIN = timedelta(days=30)


def name(person: Any) -> str:
    return str(person.get_full_name() or person.get_username())


def organisations_of(person: Viewer) -> list[Organisation]:
    if not person.is_authenticated:
        return []
    return list(
        Organisation.objects.filter(memberships__user_id=person.pk).distinct().order_by("name")
    )


def plan_of(person: Viewer) -> Plan | None:
    if not person.is_authenticated:
        return None
    return Plan.objects.filter(person_id=person.pk).first()


def current(plan: Plan) -> dict[str, dict[str, Entry | None]]:
    """The latest of what the person wrote on each capability, by kind."""
    found: dict[str, dict[str, Entry | None]] = {
        c: {Entry.Kind.STAND: None, Entry.Kind.WHY: None} for c in Capability.values
    }
    for entry in plan.entries.exclude(kind=Entry.Kind.LEVEL):
        found[entry.capability][entry.kind] = entry  # ordered oldest first: the last one wins
    return found


def missing(plan: Plan) -> list[str]:
    """What the plan still needs before it counts as complete, in words."""
    gaps = []
    scopes = set(plan.experiments.values_list("scope", flat=True))
    for scope in Scope:
        if scope.value not in scopes:
            gaps.append(f"An experiment for {scope.label.lower()}")
    for capability, written in current(plan).items():
        label = Capability(capability).label.lower()
        if written[Entry.Kind.STAND] is None:
            gaps.append(f"Where you stand now on {label}")
        if written[Entry.Kind.WHY] is None:
            gaps.append(f"Why {label} matters for you")
    return gaps


@dataclass
class ExperimentRow:
    experiment: Experiment
    reflections: list[Reflection]
    verdicts: list[Verdict]
    chaired: list["ChairedSession"] = field(default_factory=list)

    @property
    def due(self) -> bool:
        return self.experiment.action.is_open and not self.reflections


def experiments(plan: Plan, *, own: bool) -> list[ExperimentRow]:
    """Each experiment with its reflections and follow-ups; an experiment of holding data review
    sessions with the sessions the person chaired since it started (for the person only: the
    sessions are their organisation's)."""
    rows = []
    for e in plan.experiments.select_related("action"):
        row = ExperimentRow(
            e,
            list(Reflection.objects.filter(action=e.action)),
            list(e.action.verdicts.order_by("decided_at")),
        )
        if e.activity == "data_reviews" and own:
            row.chaired = chaired_sessions(plan.person, since=e.starts_on)
        rows.append(row)
    return rows


@dataclass
class ChairedSession:
    session: ReviewSession
    verdicts: list[Verdict]


def chaired_sessions(person: Viewer, *, since: date | None = None) -> list[ChairedSession]:
    """The data review sessions the person chaired, with the follow-up verdicts given at each."""
    sessions = ReviewSession.objects.filter(chair_id=person.pk)
    if since is not None:
        sessions = sessions.filter(held_on__gte=since)
    return [
        ChairedSession(s, list(s.verdicts.select_related("action").order_by("pk")))
        for s in sessions
    ]


@dataclass
class ChairedMeeting:
    meeting: ReviewMeeting
    open_actions: list[Action]  # process changes agreed at it and not yet closed


def chaired_meetings(person: Viewer) -> list[ChairedMeeting]:
    """The operational and strategic review meetings the person chaired, newest first, each with
    the process changes agreed at it that are still open (actions of the follow-up engine)."""
    meetings = list(ReviewMeeting.objects.filter(chair_id=person.pk).select_related("schedule"))
    waiting: dict[int, list[Action]] = {m.pk: [] for m in meetings}
    for action in (
        Action.objects.filter(
            service_review_change__finding__meeting__in=meetings, closed_on__isnull=True
        )
        .select_related("service_review_change__finding")
        .order_by("due_on", "pk")
    ):
        waiting[action.service_review_change.finding.meeting_id].append(action)
    return [ChairedMeeting(m, waiting[m.pk]) for m in meetings]


def peer_reviews(person: Viewer) -> QuerySet[PeerReview]:
    """The peer reviews the person presented at, facilitated or gave feedback in."""
    return (
        PeerReview.objects.filter(
            Q(presenter_id=person.pk) | Q(facilitator_id=person.pk) | Q(peers__person_id=person.pk)
        )
        .distinct()
        .order_by("-held_on", "-pk")
    )


@dataclass(frozen=True)
class Moment:
    on: date
    kind: str
    capability: str
    text: str
    extra: str = ""


def timeline(plan: Plan) -> list[Moment]:
    """What the person wrote over time, newest first: where they stood, why it mattered, levels,
    experiments begun and what happened."""
    found = []
    for entry in plan.entries.all():
        if entry.kind == Entry.Kind.LEVEL:
            from placewise.leadership.models import Level

            found.append(Moment(entry.written_on, "Level", "", Level(entry.text).label))
        else:
            found.append(
                Moment(
                    entry.written_on,
                    entry.get_kind_display(),
                    Capability(entry.capability).label,
                    entry.text,
                )
            )
    for e in plan.experiments.all():
        found.append(
            Moment(e.starts_on, "Experiment begun", Capability(e.capability).label, e.what)
        )
        for r in Reflection.objects.filter(action=e.action):
            found.append(
                Moment(
                    r.written_on,
                    "What happened",
                    Capability(e.capability).label,
                    r.what_happened,
                    f"{r.get_effect_display()}. Learned: {r.learned}"
                    if r.learned
                    else r.get_effect_display(),
                )
            )
    # Oldest first (on one day, in the order written), then turned round: newest first.
    return list(reversed(sorted(found, key=lambda m: m.on)))


def reflections(action: Action) -> QuerySet[Reflection]:
    """What was written about an experiment or a Will, oldest first."""
    return Reflection.objects.filter(action=action).order_by("written_on", "pk")


def due_experiments(person: Viewer, today: date) -> list[Experiment]:
    """Open experiments whose review date is past or within a month."""
    return list(
        Experiment.objects.filter(
            plan__person_id=person.pk,
            action__closed_on__isnull=True,
            review_on__lte=today + DUE_WITHIN,
        )
        .select_related("action")
        .order_by("review_on")
    )


def commitments(person: Viewer) -> list[Action]:
    """The person's coaching commitments (Wills), newest first."""
    return list(
        Action.objects.filter(origin=Action.Origin.COACHING, practitioner_id=person.pk)
        .prefetch_related("verdicts")
        .order_by("-agreed_on", "-pk")
    )


def coachings(person: Viewer) -> list[Coaching]:
    return list(
        Coaching.objects.filter(Q(coach_id=person.pk) | Q(coachee_id=person.pk)).select_related(
            "coach", "coachee"
        )
    )


def current_coaching(coach: Any, coachee: Any) -> Coaching | None:
    return Coaching.objects.filter(coach=coach, coachee=coachee, until__isnull=True).first()


def to_follow_up(conversation: Conversation) -> list[Action]:
    """The open commitments of the coaching's earlier conversations: what the conversation opens
    on (followed up at it or not yet)."""
    earlier = Conversation.objects.filter(coaching=conversation.coaching).filter(
        Q(held_on__lt=conversation.held_on)
        | Q(held_on=conversation.held_on, pk__lt=conversation.pk)
    )
    return list(
        Action.objects.filter(
            pk__in=earlier.values("commitments"), closed_on__isnull=True
        ).order_by("agreed_on", "pk")
    )


def shares(person: Viewer) -> QuerySet[Share]:
    return Share.objects.filter(person_id=person.pk).select_related("viewer")


def shared_with_me(viewer: Viewer) -> QuerySet[Plan]:
    return Plan.objects.filter(
        person_id__in=Share.objects.filter(viewer_id=viewer.pk).values("person_id")
    ).select_related("person")


@dataclass(frozen=True)
class Counts:
    """One ended quarter's coaching at an organisation, each count None when withheld."""

    quarter: quarters.Quarter
    coachees: int | None  # people with a conversation in the quarter
    conversations: int | None
    commitments: int | None  # Wills agreed at the quarter's conversations
    followed_up: int | None  # Wills followed up in the quarter
    kept: int | None  # of those, the coachee said they made the hoped-for difference
    threshold: int


def coaching_counts(organisation: Organisation, today: date | None = None) -> list[Counts]:
    """How much coaching the organisation's people have, quarter by quarter, newest first: counts
    only, each withheld when it is under the threshold (or could be worked out from the others:
    sharing.disclosure).

    Only quarters that have ended, each counting what was recorded before it ended (ADR 0030):
    a count that moved by the day would give away, to anyone who looked the day before and the
    day after, the one conversation recorded in between."""
    today = today or timezone.localdate()
    coachings = Coaching.objects.filter(organisation=organisation)
    talks = [
        (held_on, coachee, recorded_at)
        for held_on, coachee, recorded_at in Conversation.objects.filter(
            coaching__in=coachings
        ).values_list("held_on", "coaching__coachee_id", "recorded_at")
    ]
    wills = Action.objects.filter(origin=Action.Origin.COACHING, organisation=organisation)
    made = list(wills.values_list("agreed_on", "created_at"))
    followed = list(Verdict.objects.filter(action__in=wills).values_list("decided_at", "outcome"))
    if not talks:
        return []
    found = []
    for quarter in quarters.ended(min(held_on for held_on, _, _ in talks), today):
        held = [
            (coachee, at) for on, coachee, at in talks if quarter.holds(on) and quarter.in_time(at)
        ]
        agreed = [1 for on, at in made if on and quarter.holds(on) and quarter.in_time(at)]
        outcomes = [o for at, o in followed if quarter.holds(timezone.localdate(at))]
        kept = sum(o == Verdict.Outcome.MOVED for o in outcomes)
        # Kept and not kept are the cells of one row whose total (those followed up) is shown:
        # a small "not kept" is withheld, and so is "kept", or the total less it would give it
        # away.
        split = disclosure.protect(
            [[kept, len(outcomes) - kept]], threshold=COUNT_THRESHOLD, column_totals=False
        )
        found.append(
            Counts(
                quarter=quarter,
                coachees=_alone(len({coachee for coachee, _ in held})),
                conversations=_alone(len(held)),
                commitments=_alone(len(agreed)),
                followed_up=split.row_totals[0],
                kept=split.cells[0][0],
                threshold=COUNT_THRESHOLD,
            )
        )
    return found


def _alone(count: int) -> int | None:
    """A count shown on its own: withheld under the threshold (none at all is shown as 0)."""
    return disclosure.protect([[count]], threshold=COUNT_THRESHOLD).total


def history_360(person: Viewer) -> list[Any]:
    """The person's six-dimension 360 rounds, newest first, as the surveys app lists them for
    their own page (issue 18, item 2)."""
    from placewise.surveys.queries import rounds_of

    return list(rounds_of(person))  # type: ignore[arg-type]
