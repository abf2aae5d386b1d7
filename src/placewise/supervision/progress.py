"""A practitioner's progress across peer reviews (issue 17, item 5): for each criterion, the
grades peers gave in successive reviews, with the learning points and the supervision actions
(and their follow-ups) in between, in date order. "Did the practice named as an area for
improvement improve?"

Read as the viewer may see it (queries.progress_access): everything for the practitioner; the
shared reviews and their own supervisions' actions for the current supervisor. A criterion is
followed by its key, which stays the same across framework versions, so a reworded criterion
keeps its history and a removed one keeps its past grades. Nothing is averaged and nothing is
ranked: a grade is feedback on one piece of practice, not a score."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from placewise.practice.models import Criterion, Feedback, LearningPoint, PeerReview
from placewise.reviews.models import Action, Verdict
from placewise.supervision.models import SupervisionSession
from placewise.supervision.progress_chart import DotChart, dot_chart
from placewise.supervision.queries import ProgressView, actions_seen, name, reviews_seen


@dataclass(frozen=True)
class Grades:
    """What the peers said on one criterion in one review."""

    review: PeerReview
    # Each grade given, in the scale's order (best first), with how many peers gave it.
    counts: tuple[tuple[str, int], ...]
    strengths: tuple[str, ...]
    improvements: tuple[str, ...]
    learning_points: tuple[str, ...]

    @property
    def said(self) -> str:
        """The grades in words: "Good (2 peers), Requires improvement to be good (1 peer)"."""
        return ", ".join(
            f"{grade} ({count} peer{'' if count == 1 else 's'})" for grade, count in self.counts
        )


@dataclass(frozen=True)
class Entry:
    """One thing on a criterion's timeline: a review's grades, an action agreed in supervision,
    or a follow-up of one."""

    on: date
    kind: str  # "review", "action" or "follow_up"
    grades: Grades | None = None
    action: Action | None = None
    verdict: Verdict | None = None

    @property
    def order(self) -> tuple[date, int]:
        # On one day: the review first, then what supervision made of it.
        return (self.on, {"review": 0, "follow_up": 1, "action": 2}[self.kind])


@dataclass(frozen=True)
class CriterionProgress:
    key: str
    area: str
    question: str
    scale: tuple[str, ...]
    reviews: tuple[Grades, ...]
    entries: tuple[Entry, ...]
    chart: DotChart
    # The key is no longer in the newest framework: its past grades are kept.
    removed: bool = False

    @property
    def named(self) -> bool:
        """Peers named an area for improvement on it, or supervision agreed something to try."""
        return any(
            e.kind == "action" or (e.grades is not None and e.grades.improvements)
            for e in self.entries
        )

    @property
    def table(self) -> list[tuple[date, list[tuple[str, int]]]]:
        """Each review with how many peers gave each grade of the scale (0 for none)."""
        return [
            (g.review.held_on, [(grade, dict(g.counts).get(grade, 0)) for grade in self.scale])
            for g in self.reviews
        ]


@dataclass(frozen=True)
class Progress:
    view: ProgressView
    reviews: tuple[PeerReview, ...]
    criteria: tuple[CriterionProgress, ...]
    # Learning points the group did not tie to a criterion, with their review.
    other_points: tuple[tuple[PeerReview, str], ...] = field(default_factory=tuple)

    @property
    def practitioner_name(self) -> str:
        return name(self.view.practitioner)

    @property
    def named(self) -> tuple[CriterionProgress, ...]:
        return tuple(c for c in self.criteria if c.named)

    @property
    def others(self) -> tuple[CriterionProgress, ...]:
        return tuple(c for c in self.criteria if not c.named)

    @property
    def first_on(self) -> date | None:
        return self.reviews[0].held_on if self.reviews else None

    @property
    def last_on(self) -> date | None:
        return self.reviews[-1].held_on if self.reviews else None


def scale_of(reviews: list[PeerReview]) -> list[str]:
    """The grades across the reviews' framework versions: the newest version's scale, best
    first, then any grade only an older version had."""
    scale: list[str] = []
    for review in sorted(reviews, key=lambda r: (r.held_on, r.pk), reverse=True):
        scale += [g for g in review.framework.grades if g not in scale]
    return scale


def grades_on(review: PeerReview, feedback: list[Feedback], points: list[str]) -> Grades:
    counted = Counter(f.grade for f in feedback)
    order = list(review.framework.grades)
    ranked = sorted(counted.items(), key=lambda gc: order.index(gc[0]) if gc[0] in order else 99)
    return Grades(
        review=review,
        counts=tuple(ranked),
        # Each peer's words once: two peers who wrote the same say it once.
        strengths=tuple(dict.fromkeys(f.strengths for f in feedback if f.strengths.strip())),
        improvements=tuple(
            dict.fromkeys(f.improvements for f in feedback if f.improvements.strip())
        ),
        learning_points=tuple(points),
    )


def follow_up_days(actions: list[Action]) -> dict[int, date]:
    """When each follow-up was given: the supervision session that gave it, else its date."""
    days = {}
    sessions = SupervisionSession.objects.filter(follow_ups__action__in=actions).prefetch_related(
        "follow_ups"
    )
    for session in sessions:
        for verdict in session.follow_ups.all():
            days[verdict.pk] = session.held_on
    return days


def of(view: ProgressView) -> Progress:
    """The practitioner's progress as the viewer may see it."""
    reviews = list(reviews_seen(view))
    feedback = list(
        Feedback.objects.filter(review__in=reviews).select_related("criterion", "review")
    )
    points = list(LearningPoint.objects.filter(review__in=reviews))
    actions = [a for a in actions_seen(view) if a.measure == Action.Measure.CRITERION]
    days = follow_up_days(actions)

    # Criteria in the newest framework's order; keys only an older version or an action has
    # come after, so a removed criterion keeps its past grades.
    newest = reviews[-1].framework if reviews else None
    current = list(newest.criteria.all()) if newest else []
    keys = [c.key for c in current]
    for f in sorted(feedback, key=lambda f: (f.criterion.area, f.criterion.position)):
        if f.criterion.key not in keys:
            keys.append(f.criterion.key)
    keys += [a.measure_key for a in actions if a.measure_key not in keys]
    described = {c.key: c for c in current}
    organisation = reviews[-1].organisation_id if reviews else None
    if organisation is None and actions:
        organisation = actions[-1].organisation_id
    older = Criterion.objects.filter(
        key__in=[k for k in keys if k not in described],
        framework__organisation_id=organisation or 0,
    ).select_related("framework")
    for criterion in older.order_by("framework__version", "pk"):
        described[criterion.key] = criterion  # the newest version that had it wins

    scale = scale_of(reviews) if reviews else []
    criteria = []
    for key in keys:
        about = described.get(key)
        grades = []
        for review in reviews:
            given = [f for f in feedback if f.review_id == review.pk and f.criterion.key == key]
            keyed = [p.text for p in points if p.review_id == review.pk and p.criterion_key == key]
            if given or keyed:
                grades.append(grades_on(review, given, keyed))
        entries = [Entry(g.review.held_on, "review", grades=g) for g in grades]
        for action in (a for a in actions if a.measure_key == key):
            entries.append(Entry(action.agreed_on or action.from_period, "action", action=action))
            for verdict in action.verdicts.all():
                on = days.get(verdict.pk, verdict.decided_at.date())
                entries.append(Entry(on, "follow_up", action=action, verdict=verdict))
        question = about.question if about else key
        criteria.append(
            CriterionProgress(
                key=key,
                area=about.area if about else "",
                question=question,
                scale=tuple(scale),
                reviews=tuple(grades),
                entries=tuple(sorted(entries, key=lambda e: e.order)),
                chart=dot_chart(
                    scale,
                    [(g.review.held_on, list(g.counts)) for g in grades],
                    title=f"Grades peers gave: {question}",
                    description=_described(grades),
                ),
                removed=newest is not None and key not in {c.key for c in current},
            )
        )
    other = tuple(
        (review, p.text)
        for review in reviews
        for p in points
        if p.review_id == review.pk and not p.criterion_key
    )
    return Progress(view=view, reviews=tuple(reviews), criteria=tuple(criteria), other_points=other)


def _described(grades: list[Grades]) -> str:
    if not grades:
        return "No peer review has graded this criterion yet."
    return "; ".join(f"{g.review.held_on:%-d %B %Y}: {g.said}" for g in grades) + "."


def review_feedback(review: PeerReview) -> list[tuple[Criterion, Grades]]:
    """A review's feedback criterion by criterion, in its framework's order (for a session that
    discussed it: only a review shared into supervision is given here)."""
    feedback = list(review.feedback.select_related("criterion"))
    points = list(review.learning_points.all())
    found = []
    for criterion in review.framework.criteria.all():
        given = [f for f in feedback if f.criterion_id == criterion.pk]
        keyed = [p.text for p in points if p.criterion_key == criterion.key]
        if given or keyed:
            found.append((criterion, grades_on(review, given, keyed)))
    return found
