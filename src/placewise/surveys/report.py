"""A 360 round's report: self against others per dimension, the largest gaps, and change since
the last round, with every rater figure passed through surveys.visibility.plan first.

A rater's score for a dimension is the mean of the statements they rated in it (a rater may
say they have not seen a behaviour, but rates at least one statement in each dimension); a
group's score is the mean of its raters' scores; "all raters" is the mean over every rater.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import mean

from placewise.surveys import queries
from placewise.surveys.models import DIMENSIONS, SELF, Rater, Response, Round
from placewise.surveys.visibility import OTHERS, GroupPlan, plan

GROUP_LABELS = {g.value: g.label for g in Rater.Group} | {
    OTHERS: "Others (groups too small to show on their own)",
    "all": "All raters",
    SELF: "You",
}
LARGEST_GAPS = 3


@dataclass(frozen=True)
class Line:
    """One group's scores, as the report shows them."""

    key: str
    label: str
    raters: int
    scores: dict[str, float]  # dimension: score


@dataclass(frozen=True)
class Gap:
    dimension: str
    label: str
    own: float
    others: float

    @property
    def size(self) -> float:
        return self.own - self.others

    @property
    def reading(self) -> str:
        if abs(self.size) < 0.05:
            return "You and your raters see this the same way."
        way = "higher" if self.size > 0 else "lower"
        return f"You rate yourself {abs(self.size):.1f} {way} than your raters do."


@dataclass(frozen=True)
class Change:
    dimension: str
    label: str
    own_before: float | None
    own_now: float | None
    raters_before: float | None
    raters_now: float | None


@dataclass(frozen=True)
class Report:
    round: Round
    plan: GroupPlan
    own: dict[str, float]  # the person's own scores; empty if they did not rate themselves
    own_comment: str
    lines: list[Line]  # groups shown, then others, then all raters
    gaps: list[Gap]  # largest first
    changes: list[Change]  # empty without a previous closed round
    previous: Round | None
    comments: list[tuple[str, str]]  # (group label, comment), from groups shown only
    comments_withheld: bool

    @property
    def dimensions(self) -> list[tuple[str, str]]:
        return DIMENSIONS

    @property
    def all_raters(self) -> Line | None:
        return next((line for line in self.lines if line.key == "all"), None)


def dimension_scores(answers: dict[str, int | None], keys: dict[str, str]) -> dict[str, float]:
    """One response's score per dimension: the mean of the statements rated in it.
    `keys`: question key → dimension."""
    by_dimension: dict[str, list[int]] = {}
    for key, value in answers.items():
        if value is not None and key in keys:
            by_dimension.setdefault(keys[key], []).append(int(value))
    return {d: mean(values) for d, values in by_dimension.items()}


def _mean_line(key: str, label: str, scored: list[dict[str, float]]) -> Line:
    scores = {
        d: mean(s[d] for s in scored if d in s)
        for d, _ in DIMENSIONS
        if any(d in s for s in scored)
    }
    return Line(key, label, len(scored), scores)


def build(round_: Round, *, with_previous: bool = True) -> Report:
    """The report of a round (the caller has checked the round is closed and who may see it)."""
    keys = {q.key: q.dimension for q in round_.questionnaire.questions.all()}
    responses = list(Response.objects.filter(round=round_))
    own_response = next((r for r in responses if r.group == SELF), None)
    raters = [r for r in responses if r.group != SELF]
    counts: dict[str, int] = {}
    for r in raters:
        counts[r.group] = counts.get(r.group, 0) + 1
    decided = plan(counts)
    scored = {id(r): dimension_scores(r.answers, keys) for r in raters}
    lines: list[Line] = []
    for group in decided.shown:
        lines.append(
            _mean_line(
                group, GROUP_LABELS[group], [scored[id(r)] for r in raters if r.group == group]
            )
        )
    if decided.others_shown:
        lines.append(
            _mean_line(
                OTHERS,
                GROUP_LABELS[OTHERS],
                [scored[id(r)] for r in raters if r.group in decided.merged],
            )
        )
    if decided.all_shown:
        lines.append(_mean_line("all", GROUP_LABELS["all"], [scored[id(r)] for r in raters]))
    own = dimension_scores(own_response.answers, keys) if own_response else {}
    everyone = next((line for line in lines if line.key == "all"), None)
    labels = dict(DIMENSIONS)
    gaps = (
        sorted(
            (
                Gap(d, labels[d], own[d], everyone.scores[d])
                for d, _ in DIMENSIONS
                if d in own and d in everyone.scores
            ),
            key=lambda g: (-abs(g.size), [d for d, _ in DIMENSIONS].index(g.dimension)),
        )[:LARGEST_GAPS]
        if everyone
        else []
    )
    previous = queries.previous_round(round_) if with_previous else None
    changes: list[Change] = []
    if previous is not None:
        before = build(previous, with_previous=False)
        before_all = before.all_raters
        for d, label in DIMENSIONS:
            changes.append(
                Change(
                    d,
                    label,
                    before.own.get(d),
                    own.get(d),
                    before_all.scores.get(d) if before_all else None,
                    everyone.scores.get(d) if everyone else None,
                )
            )
    shown_comments = sorted(
        (GROUP_LABELS[r.group], r.comment.strip())
        for r in raters
        if r.group in decided.shown and r.comment.strip()
    )
    # Said whenever a group is merged or withheld, whether or not anyone in it wrote a comment,
    # so the sentence itself tells nothing about a small group.
    withheld = bool(decided.merged)
    return Report(
        round=round_,
        plan=decided,
        own=own,
        own_comment=own_response.comment if own_response else "",
        lines=lines,
        gaps=gaps,
        changes=changes,
        previous=previous,
        comments=shown_comments,
        comments_withheld=withheld,
    )


@dataclass(frozen=True)
class DotRow:
    label: str
    y: float
    own_x: float | None
    raters_x: float | None


@dataclass(frozen=True)
class DotChart:
    """Self against all raters on a 1-to-5 scale, one row a dimension (SVG geometry)."""

    width: int
    height: int
    left: int
    right: int
    rows: list[DotRow]
    ticks: list[tuple[int, float]]
    description: str


def dot_chart(report: Report, *, width: int = 640) -> DotChart:
    left, right, top, step = 170, width - 20, 24, 34
    everyone = report.all_raters

    def x(value: float | None) -> float | None:
        return None if value is None else round(left + (right - left) * (value - 1) / 4, 1)

    rows = [
        DotRow(
            label,
            top + i * step,
            x(report.own.get(d)),
            x(everyone.scores.get(d)) if everyone else None,
        )
        for i, (d, label) in enumerate(DIMENSIONS)
    ]
    biggest = report.gaps[0] if report.gaps else None
    description = (
        f"The largest gap is in {biggest.label.lower()}: {biggest.reading}"
        if biggest
        else "Rater scores are withheld or you did not rate yourself, so there are no gaps to show."
    )
    return DotChart(
        width,
        top + len(DIMENSIONS) * step + 10,
        left,
        right,
        rows,
        [(v, left + (right - left) * (v - 1) / 4) for v in range(1, 6)],
        description,
    )
