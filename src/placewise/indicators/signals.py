"""Each indicator's series for the place and for each team, charted and read: the signals the
overview, the indicator pages and the review sessions' agendas are built from."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from placewise.indicators import spc
from placewise.indicators.export import PLACE, Row
from placewise.indicators.library import Indicator
from placewise.sharing import publication

# Limits are fixed from the first year of each phase, so that a change after it stands out
# instead of dragging the mean and limits towards itself. Limits from every point were measured
# too (bench/signals.py): their flags in the months after an injected change were almost all the
# tail of the old process's run on the far side of a mean the change had moved, never a signal
# of the change itself.
BASELINE: int | None = 12
# Too few points for limits to mean anything.
MIN_POINTS = 8
# A p-chart of a handful of cases a month is all noise: its points sit at 0% or 100%, and the
# run rule fires on them by chance about half the time (bench/signals.py measured it). Such
# series are shown as numbers, not read as signals.
MIN_MEDIAN_DENOMINATOR = 10


@dataclass(frozen=True)
class Signal:
    indicator: Indicator
    team: str
    chart: spc.Chart
    numerators: list[float]
    denominators: list[float]
    variation: str  # improvement | concern | common cause
    assurance: str
    highlight: str

    @property
    def latest(self) -> spc.Point:
        return self.chart.points[-1]


def read(
    indicators: dict[str, Indicator],
    rows: list[Row],
    *,
    steps: dict[tuple[str, str], list[date]] | None = None,
    baseline: int | None = BASELINE,
) -> list[Signal]:
    """Chart every (indicator, team) series with enough points. `steps`: recorded step changes
    by (indicator, team), where limits are re-based."""
    steps = steps or {}
    series: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for row in rows:
        if row.value is not None:
            series[(row.indicator, row.team)].append(row)
    found = []
    for (key, team), points in sorted(
        series.items(), key=lambda kv: (kv[0][0], kv[0][1] != PLACE, kv[0][1])
    ):
        indicator = indicators.get(key)
        if indicator is None or len(points) < MIN_POINTS:
            continue
        if (
            indicator.is_proportion
            and _typical_denominator(indicator, points) < MIN_MEDIAN_DENOMINATOR
        ):
            continue
        points.sort(key=lambda r: r.period)
        periods = [r.period for r in points]
        changes = steps.get((key, team), [])
        if indicator.is_proportion:
            chart = spc.p_chart(
                periods,
                [r.numerator for r in points],
                [r.denominator for r in points],
                steps=changes,
                baseline=baseline,
            )
        else:
            chart = spc.xmr(
                periods, [r.value or 0.0 for r in points], steps=changes, baseline=baseline
            )
        where = "the place" if team == PLACE else f"Team {team}"
        found.append(
            Signal(
                indicator=indicator,
                team=team,
                chart=chart,
                numerators=[r.numerator for r in points],
                denominators=[r.denominator for r in points],
                variation=spc.variation(chart, indicator.polarity),
                assurance=spc.assurance(chart, indicator.polarity, indicator.target),
                highlight=spc.highlight(
                    chart, indicator.polarity, title=indicator.title, where=where
                ),
            )
        )
    return found


def _typical_denominator(indicator: Indicator, points: list[Row]) -> float:
    """The median month's denominator, as a partner would be shown it: a month whose
    denominator is withheld counts as none. Whether a series is charted at all is seen by
    everyone, so it must not turn on a withheld count (a month of 1 in 11 withholds its 11, and
    the true median would tell 11 from 2: tests/unit/sharing/test_publication_attacker.py)."""
    exact = _median([r.denominator for r in points])
    if exact < MIN_MEDIAN_DENOMINATOR:
        return exact  # withholding only lowers it: no need to ask about each month
    return _median(
        [
            publication.published_denominator(indicator, r.numerator, r.denominator) or 0.0
            for r in points
        ]
    )


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
