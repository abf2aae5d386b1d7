"""Statistical process control as NHS England's "Making Data Count" describes it.

XmR charts for values (limits at the mean ± 2.66 × the mean moving range) and p-charts for
proportions (p̄ ± 3 √(p̄(1-p̄)/n), per point). Four rules flag special-cause variation:

- `outside_limits`: a point beyond a process limit;
- `run`: 7 or more points in a row on the same side of the mean (a point on the mean ends a run);
- `trend`: 6 or more points in a row each higher (or each lower) than the one before;
- `two_of_three`: 2 of 3 points in a row in the outer third on the same side (beyond 2σ).

Limits are calculated separately for each phase when a step change is recorded ("re-based"), and
may be fixed from a baseline: the first `baseline` points of each phase, so that a change after
the baseline does not pull the mean and limits towards itself and hide.
"""

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

RULES = ("outside_limits", "run", "trend", "two_of_three")
RUN, TREND = 7, 6
XMR_FACTOR, D2 = 2.66, 1.128


@dataclass
class Point:
    period: date
    value: float
    mean: float = 0.0
    lower: float = 0.0
    upper: float = 0.0
    sigma: float = 0.0
    rules: list[str] = field(default_factory=list)
    direction: int = 0  # +1 above the mean / rising, -1 below / falling, for flagged points


@dataclass(frozen=True)
class Chart:
    kind: str  # "xmr" or "p"
    points: list[Point]

    def flagged(self) -> list[Point]:
        return [p for p in self.points if p.rules]


def xmr(
    periods: Sequence[date],
    values: Sequence[float],
    *,
    steps: Sequence[date] = (),
    baseline: int | None = None,
) -> Chart:
    points = [Point(p, float(v)) for p, v in zip(periods, values, strict=True)]
    for phase in _phases(points, steps):
        base = phase[:baseline] if baseline else phase
        mean = sum(p.value for p in base) / len(base)
        ranges = [abs(b.value - a.value) for a, b in itertools.pairwise(base)]
        mr = sum(ranges) / len(ranges) if ranges else 0.0
        for p in phase:
            p.mean, p.sigma = mean, mr / D2
            p.lower, p.upper = mean - XMR_FACTOR * mr, mean + XMR_FACTOR * mr
    _apply_rules(points, steps)
    return Chart("xmr", points)


def p_chart(
    periods: Sequence[date],
    numerators: Sequence[float],
    denominators: Sequence[float],
    *,
    steps: Sequence[date] = (),
    baseline: int | None = None,
) -> Chart:
    if any(d <= 0 for d in denominators):
        raise ValueError("every denominator of a p-chart must be positive")
    points = [Point(p, n / d) for p, n, d in zip(periods, numerators, denominators, strict=True)]
    sizes = dict(zip(periods, denominators, strict=True))
    counts = dict(zip(periods, numerators, strict=True))
    for phase in _phases(points, steps):
        base = phase[:baseline] if baseline else phase
        pbar = sum(counts[p.period] for p in base) / sum(sizes[p.period] for p in base)
        for p in phase:
            p.mean = pbar
            p.sigma = math.sqrt(pbar * (1 - pbar) / sizes[p.period])
            p.lower, p.upper = max(0.0, pbar - 3 * p.sigma), min(1.0, pbar + 3 * p.sigma)
    _apply_rules(points, steps)
    return Chart("p", points)


def _phases(points: list[Point], steps: Sequence[date]) -> list[list[Point]]:
    phases: list[list[Point]] = [[]]
    starts = set(steps)
    for p in points:
        if p.period in starts and phases[-1]:
            phases.append([])
        phases[-1].append(p)
    return [ph for ph in phases if ph]


def _flag(p: Point, rule: str, direction: int) -> None:
    if rule not in p.rules:
        p.rules.append(rule)
    p.direction = p.direction or direction


def _apply_rules(points: list[Point], steps: Sequence[date]) -> None:
    # Runs, trends and windows do not cross a re-basing: each phase is its own process.
    for phase in _phases(points, steps):
        for p in phase:
            if p.value > p.upper + 1e-12:
                _flag(p, "outside_limits", +1)
            elif p.value < p.lower - 1e-12:
                _flag(p, "outside_limits", -1)
        _runs(phase)
        _trends(phase)
        _two_of_three(phase)
    for p in points:
        p.rules.sort(key=RULES.index)


def _side(p: Point) -> int:
    return (p.value > p.mean + 1e-12) - (p.value < p.mean - 1e-12)


def _runs(phase: list[Point]) -> None:
    start = 0
    for i in range(1, len(phase) + 1):
        if i == len(phase) or _side(phase[i]) != _side(phase[start]) or _side(phase[i]) == 0:
            if _side(phase[start]) != 0 and i - start >= RUN:
                for p in phase[start:i]:
                    _flag(p, "run", _side(p))
            start = i


def _trends(phase: list[Point]) -> None:
    for direction in (+1, -1):
        start = 0
        for i in range(1, len(phase) + 1):
            rising = i < len(phase) and (phase[i].value - phase[i - 1].value) * direction > 0
            if not rising:
                if i - start >= TREND:
                    for p in phase[start:i]:
                        _flag(p, "trend", direction)
                start = i


def _two_of_three(phase: list[Point]) -> None:
    for i in range(len(phase) - 2):
        window = phase[i : i + 3]
        for side in (+1, -1):
            near = [p for p in window if (p.value - p.mean) * side > 2 * p.sigma + 1e-12]
            if len(near) >= 2:
                for p in near:
                    _flag(p, "two_of_three", side)


# --- Reading a chart in plain English, as Making Data Count's icons do ---


def variation(chart: Chart, polarity: str) -> str:
    """'improvement', 'concern' or 'common cause', from the latest point."""
    latest = chart.points[-1] if chart.points else None
    if latest is None or not latest.rules:
        return "common cause"
    good = +1 if polarity == "up" else -1
    return "improvement" if latest.direction == good else "concern"


def assurance(chart: Chart, polarity: str, target: float | None) -> str:
    """Whether the process will meet the target: 'pass', 'fail' or 'hit and miss'."""
    if target is None or not chart.points:
        return "no target"
    latest = chart.points[-1]
    if polarity == "up":
        if latest.lower > target:
            return "pass"
        return "fail" if latest.upper < target else "hit and miss"
    if latest.upper < target:
        return "pass"
    return "fail" if latest.lower > target else "hit and miss"


def icons(
    variation: str | None, assurance: str | None, polarity: str
) -> tuple[str | None, str | None]:
    """Making Data Count's two icons for a series, as keys: the variation icon ('common cause',
    'improvement high', 'improvement low', 'concern high' or 'concern low') and the assurance
    icon ('passing', 'hit and miss' or 'failing'). None where there is nothing to show: a withheld
    reading, or no target. High or low is where the signal lies, which polarity fixes: an
    improvement is high when higher is better."""
    shown = None
    if variation == "common cause":
        shown = variation
    elif variation in ("improvement", "concern"):
        high = (variation == "improvement") == (polarity == "up")
        shown = f"{variation} {'high' if high else 'low'}"
    readings = (("pass", "passing"), ("hit and miss", "hit and miss"), ("fail", "failing"))
    return shown, next((key for reading, key in readings if reading == assurance), None)


def highlight(chart: Chart, polarity: str, *, title: str, where: str) -> str:
    """One sentence, e.g. 'Assessments within 45 days, Team North: special cause concern —
    7 months below the mean since March 2025'."""
    kind = variation(chart, polarity)
    if kind == "common cause":
        return f"{title}, {where}: common cause variation — no signal."
    latest = chart.points[-1]
    streak = 0
    for p in reversed(chart.points):
        if not p.rules or p.direction != latest.direction:
            break
        streak += 1
    since = chart.points[-streak].period
    if "trend" in latest.rules:
        shape = f"{streak} months {'rising' if latest.direction > 0 else 'falling'}"
    elif "run" in latest.rules:
        shape = f"{streak} months {'above' if latest.direction > 0 else 'below'} the mean"
    else:
        shape = (
            f"{'above' if latest.direction > 0 else 'below'} the "
            f"{'upper' if latest.direction > 0 else 'lower'} limit"
            if "outside_limits" in latest.rules
            else "two of the last three months near a limit"
        )
    return f"{title}, {where}: special cause {kind} — {shape} since {since:%B %Y}."


# A run that has lasted a year is a new process, not an event: Making Data Count suggests
# re-basing the limits from where it began once the change is understood, so that the chart can
# show the next change instead of reading "special cause" for years.
SUSTAINED = 12


def sustained_shift(chart: Chart) -> Point | None:
    """The first month of a run on one side of the mean that reaches the latest month and has
    lasted SUSTAINED months or more (a candidate step change), or None."""
    points = chart.points
    if not points or "run" not in points[-1].rules:
        return None
    side = _side(points[-1])
    start = len(points) - 1
    while (
        start > 0 and _side(points[start - 1]) == side and points[start - 1].mean == points[-1].mean
    ):
        start -= 1
    return points[start] if len(points) - start >= SUSTAINED else None


def flagged_since(chart: Chart) -> date | None:
    """The first month of the latest unbroken stretch of flagged months in one direction, or
    None when the latest month is not flagged: how long a signal has been standing."""
    points = chart.points
    if not points or not points[-1].rules:
        return None
    latest = points[-1]
    start = len(points) - 1
    while start > 0 and points[start - 1].rules and points[start - 1].direction == latest.direction:
        start -= 1
    return points[start].period


def sustained_side(chart: Chart) -> int:
    """+1 if the latest month is above its mean, -1 below, 0 on it."""
    return _side(chart.points[-1]) if chart.points else 0
