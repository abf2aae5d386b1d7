"""Reads of practice learning: the current framework, teams, the case a review presents (as a
viewer may see it, never more than the presenter may), and the service's themes across reviews
(only over at least `minimum_reviews()` reviews a cell, through `sharing.disclosure.protect`)."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q
from django.utils import timezone

from placewise.journeys.journey import across_agencies
from placewise.practice.models import (
    CaseAccess,
    Criterion,
    Feedback,
    Framework,
    LearningPoint,
    PeerReview,
    Practitioner,
)
from placewise.reviews.models import Action
from placewise.sharing import policy
from placewise.sharing.disclosure import protect
from placewise.sharing.models import Agreement, Organisation
from placewise.store import queries as store
from placewise.store.pseudonymise import Tokeniser

PURPOSE = Agreement.Purpose.SERVICE_IMPROVEMENT
# The fewest peer reviews a theme is shown over (PLACEWISE_PRACTICE_THEMES_MIN_REVIEWS).
MIN_REVIEWS_DEFAULT = 5


def minimum_reviews() -> int:
    """The one place the themes' threshold is read: a setting, five unless a place sets more."""
    return int(getattr(settings, "PLACEWISE_PRACTICE_THEMES_MIN_REVIEWS", MIN_REVIEWS_DEFAULT))


def current_framework(organisation: Organisation) -> Framework | None:
    return (
        Framework.objects.filter(organisation=organisation, is_current=True)
        .order_by("-version")
        .first()
    )


def teams_of(people: list[AbstractBaseUser]) -> dict[Any, str]:
    """Each person's team, for those placed in one."""
    return dict(
        Practitioner.objects.filter(person_id__in=[p.pk for p in people]).values_list(
            "person_id", "team"
        )
    )


def practitioners(organisation: Organisation) -> list[Practitioner]:
    return list(Practitioner.objects.filter(organisation=organisation).select_related("person"))


def team_holding(token: str) -> str | None:
    """The team a record's case is allocated to: the "Allocated Team" of its latest event that
    names one (None: no such record, or no team on it)."""
    rows = store.run(
        store.Query(
            "SELECT team FROM events WHERE token = ? AND team IS NOT NULL "
            "AND load_id IN (SELECT load_id FROM loads) "
            "ORDER BY start_date DESC NULLS LAST LIMIT 1",
            [token],
        )
    )
    return str(rows[0]["team"]) if rows else None


def open_supervision_actions(review: PeerReview) -> list[tuple[Action, str]]:
    """What the presenter had agreed in supervision to try before this review and had not
    closed by then, each with the question of the criterion it should improve (in the newest
    framework version that asks it): the next peer review of their practice shows it, and a later
    agreement never shows on an earlier review."""
    questions = dict(
        Criterion.objects.filter(framework__organisation=review.organisation)
        .order_by("framework__version", "pk")
        .values_list("key", "question")
    )
    return [
        (action, questions.get(action.measure_key, ""))
        for action in Action.objects.filter(
            Q(closed_on__isnull=True) | Q(closed_on__gt=review.held_on),
            origin=Action.Origin.SUPERVISION,
            practitioner_id=review.presenter_id,
            agreed_on__lte=review.held_on,
        ).order_by("due_on")
    ]


# --- The case -----------------------------------------------------------------------------------


def _capped(access: policy.Access, cap: CaseAccess | None) -> policy.Access:
    """The viewer's access narrowed to what the presenter could see."""
    if not access.allowed:
        return access
    if cap is None:
        return policy.Access(
            False,
            "The practitioner presenting may not see this source.",
            provider=access.provider,
        )
    theirs = frozenset(cap.kinds) if cap.kinds is not None else None
    if access.kinds is None:
        kinds = theirs
    elif theirs is None:
        kinds = access.kinds
    else:
        kinds = access.kinds & theirs
    return policy.Access(
        True,
        access.reason,
        kinds,
        access.fields & frozenset(cap.fields),
        access.agreements,
        access.own,
        access.provider,
    )


@dataclass
class Case:
    access: policy.Access
    record: dict[str, Any] | None
    events: list[dict[str, Any]] = field(default_factory=list)
    withheld: list[dict[str, Any]] = field(default_factory=list)
    linked_sources: int = 1


def case_journey(user: AbstractBaseUser | AnonymousUser, review: PeerReview) -> Case:
    """The child's journey as this viewer may see it for practice learning: each source a policy
    decision of theirs (audited), narrowed to what the presenter could see when they chose the
    case; what is left out is counted and named by whose it is."""
    source, reference = review.case_source, review.case_reference
    caps = {c.source: c for c in review.case_access.all()}
    decided = policy.decide(user, source=source, purpose=PURPOSE, subject=reference)
    access = _capped(decided, caps.get(source))
    if not access.allowed:
        return Case(access, None)
    token = Tokeniser(settings.PLACE_SECRET).token(source, reference)

    def narrowed(other: str) -> policy.Access:
        theirs = policy.decide(
            user, source=other, purpose=PURPOSE, subject=f"{source}/{reference} (linked)"
        )
        decision = _capped(theirs, caps.get(other))
        if theirs.allowed and not decision.allowed:
            return policy.Access(
                False,
                decision.reason,
                provider=f"{decision.provider or other}, which the "
                "practitioner presenting may not see,",
            )
        return decision

    journey = across_agencies(
        user,
        token=token,
        source=source,
        reference=reference,
        purpose=PURPOSE,
        access=access,
        decide=narrowed,
    )
    record = store.run(store.person_record(token, access.fields))
    return Case(
        access,
        record[0] if record else None,
        journey.events,
        journey.withheld,
        journey.linked_sources,
    )


# --- Themes across reviews ----------------------------------------------------------------------


def quarter(day: date) -> str:
    first = (day.month - 1) // 3 * 3 + 1
    return f"{date(2000, first, 1):%b}–{date(2000, first + 2, 1):%b} {day.year}"


def _quarter_ends(day: date) -> date:
    """The first day after the quarter `day` is in."""
    first = (day.month - 1) // 3 * 3 + 1
    return date(day.year + (first == 10), 1 if first == 10 else first + 3, 1)


def _counted(held_on: date, recorded_on: date, today: date) -> bool:
    """Whether a review's feedback (or learning point) counts in the themes: its quarter has
    ended, and it was recorded before the quarter ended."""
    ends = _quarter_ends(held_on)
    return ends <= today and recorded_on < ends


def _quarter_key(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3


@dataclass(frozen=True)
class Cell:
    reviews: int | None  # None: fewer than the threshold (or could reveal such a count)
    grades: list[tuple[str, int]]  # each grade with how many peers gave it; empty if withheld
    quarter: str = ""


@dataclass(frozen=True)
class Themes:
    minimum: int
    reviews: int  # reviews with feedback, in all
    quarters: list[str]
    criteria: list[tuple[str, str]]  # (key, question), the newest wording
    over_time: dict[str, list[Cell]]  # criterion key -> a cell per quarter
    needing_improvement: list[dict[str, Any]]  # criteria over the threshold, most often first
    learning_points: list[dict[str, Any]]  # criteria named by learning points, over the threshold
    withheld: int  # cells left out in all

    @property
    def rows(self) -> list[tuple[str, list[Cell]]]:
        """Each criterion's question with its cells, for the table over time."""
        return [(question, self.over_time[key]) for key, question in self.criteria]


def _lower_half(grade: str, scale: list[str]) -> bool:
    """Requires improvement or inadequate on the audit scale: the lower half of any scale."""
    return grade in scale and scale.index(grade) >= len(scale) - len(scale) // 2


def themes(
    organisations: list[Organisation] | tuple[Organisation, ...], today: date | None = None
) -> Themes:
    """Criteria grades by quarter, the criteria most often graded in the lower half of the scale,
    and the criteria learning points name — each count of reviews protected at the threshold (no
    cell over fewer reviews is shown, nor one from which such a count could be worked out). No
    practitioner is named and no one's grades are put together.

    Only quarters that have ended are counted, and in each only the feedback given (and learning
    points agreed) before it ended: a figure once shown never changes, so comparing the page
    before and after one more review cannot give that review's grades away."""
    minimum = minimum_reviews()
    today = today or timezone.localdate()
    rows = [
        (review_id, held_on, key, grade, scale)
        for review_id, held_on, key, grade, scale, given_at in Feedback.objects.filter(
            review__organisation__in=organisations
        ).values_list(
            "review_id",
            "review__held_on",
            "criterion__key",
            "grade",
            "review__framework__grades",
            "given_at",
        )
        if _counted(held_on, timezone.localdate(given_at), today)
    ]
    wording: dict[str, str] = {}
    for key, question in (
        Criterion.objects.filter(framework__organisation__in=organisations)
        .order_by("framework__version", "position")
        .values_list("key", "question")
    ):
        wording[key] = question  # the newest version's wording wins
    keys = sorted({r[2] for r in rows}, key=lambda k: list(wording).index(k))
    quarters = sorted({_quarter_key(r[1]) for r in rows})
    reviews_in: dict[tuple[str, tuple[int, int]], set[int]] = defaultdict(set)
    grades_in: dict[tuple[str, tuple[int, int]], Counter[str]] = defaultdict(Counter)
    reviews_of: dict[str, set[int]] = defaultdict(set)
    lower: Counter[str] = Counter()
    given: Counter[str] = Counter()
    for review_id, held_on, key, grade, scale in rows:
        q = _quarter_key(held_on)
        reviews_in[key, q].add(review_id)
        grades_in[key, q][grade] += 1
        reviews_of[key].add(review_id)
        given[key] += 1
        lower[key] += _lower_half(grade, scale)
    # Grades in the order of their scale, best first (the first scale a grade is seen in).
    order: dict[str, int] = {}
    for *_, scale in rows:
        for position, grade in enumerate(scale):
            order.setdefault(grade, position)
    withheld = 0
    over_time: dict[str, list[Cell]] = {}
    if keys and quarters:
        table = protect(
            [[len(reviews_in[k, q]) for q in quarters] for k in keys],
            threshold=minimum,
            column_totals=False,
        )
        for i, key in enumerate(keys):
            cells = []
            for j, q in enumerate(quarters):
                shown = table.cells[i][j]
                withheld += shown is None
                given_here = sorted(
                    grades_in[key, q].items(), key=lambda g: (order.get(g[0], len(order)), g[0])
                )
                cells.append(
                    Cell(shown, given_here if shown else [], quarter(date(q[0], 3 * q[1] + 1, 1)))
                )
            over_time[key] = cells
    needing: list[dict[str, Any]] = []
    if keys:
        per_criterion = protect(
            [[len(reviews_of[k])] for k in keys], threshold=minimum, column_totals=False
        )
        for i, key in enumerate(keys):
            if per_criterion.cells[i][0] is None:
                withheld += 1
                continue
            needing.append(
                {
                    "key": key,
                    "question": wording[key],
                    "reviews": per_criterion.cells[i][0],
                    "grades": given[key],
                    "lower": lower[key],
                    "percent": round(100 * lower[key] / given[key]),
                }
            )
        needing.sort(key=lambda n: (-n["lower"] / n["grades"], n["key"]))
    named = [
        (key, review_id)
        for key, review_id, held_on, agreed_on in LearningPoint.objects.filter(
            review__organisation__in=organisations, review__agreed_on__isnull=False
        )
        .exclude(criterion_key="")
        .values_list("criterion_key", "review_id", "review__held_on", "review__agreed_on")
        if agreed_on is not None and _counted(held_on, agreed_on, today)
    ]
    points_of: Counter[str] = Counter(k for k, _ in named)
    reviews_naming: dict[str, set[int]] = defaultdict(set)
    for key, review_id in named:
        reviews_naming[key].add(review_id)
    learning: list[dict[str, Any]] = []
    named_keys = sorted(reviews_naming)
    if named_keys:
        naming = protect(
            [[len(reviews_naming[k])] for k in named_keys], threshold=minimum, column_totals=False
        )
        for i, key in enumerate(named_keys):
            if naming.cells[i][0] is None:
                withheld += 1
                continue
            learning.append(
                {
                    "key": key,
                    "question": wording.get(key, key),
                    "reviews": naming.cells[i][0],
                    "points": points_of[key],
                }
            )
        learning.sort(key=lambda p: (-p["reviews"], p["key"]))
    return Themes(
        minimum=minimum,
        reviews=len({r[0] for r in rows}),
        quarters=[quarter(date(y, 3 * n + 1, 1)) for y, n in quarters],
        criteria=[(k, wording[k]) for k in keys],
        over_time=over_time,
        needing_improvement=needing,
        learning_points=learning,
        withheld=withheld,
    )
