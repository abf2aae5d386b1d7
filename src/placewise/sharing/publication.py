"""The one path by which an indicator's figures leave the organisation that provided them.

Every page, pack, chart and list that shows an indicator to someone reads a `PublishedSeries`
made here, never the signal itself. For a viewer whose own organisation provided every source
the indicator counts, nothing is withheld: the data has not left its organisation. For anyone
else (a partner seeing figures shared under an agreement), each month's counts of people pass
`disclosure.protect` at the place's threshold, and everything derived from a withheld count is
withheld with it:

- the month's value (a proportion, a rate or a mean is its counts divided);
- the mean and the process limits of every month, and the special-cause rules: a p-chart's
  limits are a function of each month's denominator and of the mean, the mean of every month in
  the baseline, and a run or trend flag bounds a point between its neighbours, so any of them
  could give a hidden count back (issue 14: a withheld denominator of 3 to 9 printed a lower
  limit from which it could be read). They are withheld for the whole series, with the reason;
- the sentence that reads the chart, and whether the series meets its target.

Rounding (PLACEWISE_DISCLOSURE_ROUND_TO) rounds the published counts; the value is then worked
from the rounded counts, and the mean and limits, worked from exact ones, are withheld.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings

from placewise.sharing.disclosure import Protected, protect

if TYPE_CHECKING:  # indicators sit above sharing: this module only reads what they made
    from placewise.indicators.library import Indicator
    from placewise.indicators.signals import Signal

# The team name of the whole place's series, everywhere a series names its team (one definition).
PLACE = "Place"


def threshold() -> int:
    """The smallest count of people published to another organisation (PLACEWISE_DISCLOSURE_THRESHOLD)."""
    return int(settings.PLACEWISE_DISCLOSURE_THRESHOLD)


def round_to() -> int | None:
    """The base published counts are rounded to, if any (PLACEWISE_DISCLOSURE_ROUND_TO)."""
    return int(settings.PLACEWISE_DISCLOSURE_ROUND_TO) or None


@dataclass(frozen=True)
class Month:
    """One month of an indicator as a viewer may see it: None where withheld."""

    period: date
    numerator: float | None
    denominator: float | None
    value: float | None
    mean: float | None
    lower: float | None
    upper: float | None
    rules: tuple[str, ...]
    state: str  # "" common cause, "improvement" or "concern"; "" when the rules are withheld
    direction: int  # a flagged month: +1 above the mean or rising, -1 below or falling; else 0
    withheld: str  # why this month's figure is withheld; "" when it is published


@dataclass(frozen=True)
class PublishedSeries:
    """An indicator's series for one team (or the place) as one viewer may see it."""

    indicator: Indicator
    team: str
    months: list[Month]
    full: bool  # the viewer's own organisation provided every source: nothing withheld
    limits_withheld: str  # why the mean, limits and rules are withheld; "" when shown
    highlight: str
    variation: str | None  # improvement | concern | common cause; None when withheld
    assurance: str | None

    @property
    def latest(self) -> Month:
        return self.months[-1]

    @property
    def withheld_months(self) -> int:
        return sum(1 for m in self.months if m.withheld)


def _states(signal: Signal) -> list[str]:
    good = +1 if signal.indicator.polarity == "up" else -1
    return [
        ("" if not p.rules else "improvement" if p.direction == good else "concern")
        for p in signal.chart.points
    ]


def people_counts(indicator: Indicator, numerator: float, denominator: float) -> list[int]:
    """The counts of people behind one month's figure, as a one-row table for `protect`.

    A proportion's children are those counted and those not (a complement of 2 is as small as a
    count of 2); a count or rate counts children in its numerator (its denominator, the
    population, is public); a mean is over the children in its denominator (its numerator is a
    sum of days or scores, not people)."""
    if indicator.is_proportion:
        return [int(numerator), int(denominator - numerator)]
    if indicator.method in ("mean_value", "mean_days_between"):
        return [int(denominator)]
    return [int(numerator)]


def _month(
    indicator: Indicator, numerator: float, denominator: float, limit: int, rounding: int | None
) -> tuple[float | None, float | None, float | None, str]:
    """(numerator, denominator, value, why withheld) for one month shown to a partner."""
    counts = people_counts(indicator, numerator, denominator)
    # Only the month's cells and its total are ever shown, never a "column" sum.
    safe = protect([counts], threshold=limit, round_to=rounding, column_totals=False)
    if any(c is None for c in safe.cells[0]):
        reason = f"fewer than {limit} children, or worked out from such a count"
        if indicator.is_proportion:
            shown_d = float(safe.total) if safe.total is not None else None
            return None, shown_d, None, reason
        if indicator.method in ("mean_value", "mean_days_between"):
            return None, None, None, reason
        shown = denominator if indicator.method == "rate_per_10000" else None
        return None, shown, None, reason
    if not rounding:
        return numerator, denominator, _value(indicator, numerator, denominator), ""
    n, d = _rounded(indicator, numerator, denominator, safe.cells[0], safe.total)
    return n, d, _value(indicator, n, d) if n is not None and d is not None else None, ""


@dataclass(frozen=True)
class Figure:
    """One month's figure on its own, as a partner may see it: None where withheld."""

    numerator: float | None
    denominator: float | None
    value: float | None
    withheld: str


def month(indicator: Indicator, numerator: float, denominator: float) -> Figure:
    """One month's counts and value as a partner may see them, outside a chart (an export row)."""
    return Figure(*_month(indicator, numerator, denominator, threshold(), round_to()))


def published_denominator(
    indicator: Indicator, numerator: float, denominator: float
) -> float | None:
    """The denominator a partner is shown for one month (rounded, if set), or None if withheld."""
    return _month(indicator, numerator, denominator, threshold(), round_to())[1]


def _rounded(
    indicator: Indicator,
    numerator: float,
    denominator: float,
    cells: list[int | None],
    total: int | None,
) -> tuple[float | None, float | None]:
    if indicator.is_proportion:
        return float(cells[0] or 0), float(total) if total is not None else None
    if indicator.method in ("mean_value", "mean_days_between"):
        return None, float(cells[0] or 0)  # a sum of days or scores is not rounded: not shown
    return float(cells[0] or 0), denominator


def _value(indicator: Indicator, numerator: float, denominator: float) -> float | None:
    if not denominator:
        return None
    if indicator.method == "rate_per_10000":
        return 10000 * numerator / denominator
    if indicator.method == "count":
        return numerator
    return numerator / denominator


def series(signal: Signal, *, full: bool) -> PublishedSeries:
    """What a viewer may see of this signal. `full`: every source is their organisation's own."""
    points, states = signal.chart.points, _states(signal)
    limit, rounding = threshold(), round_to()
    shown: list[tuple[float | None, float | None, float | None, str]]
    if full:
        rounding = None
        shown = [
            (n, d, p.value, "")
            for p, n, d in zip(points, signal.numerators, signal.denominators, strict=True)
        ]
    else:
        shown = [
            _month(signal.indicator, n, d, limit, rounding)
            for n, d in zip(signal.numerators, signal.denominators, strict=True)
        ]
    # Withheld for the whole series (see the module's docstring for why not month by month).
    if any(why for *_, why in shown):
        limits_withheld = (
            "The mean, process limits and signals are not shown: they are worked out from "
            f"months whose counts are withheld (fewer than {limit} children)."
        )
    elif rounding:
        limits_withheld = (
            "The mean, process limits and signals are not shown: they are worked out from exact "
            f"counts, and counts shown to partners are rounded to the nearest {rounding}."
        )
    else:
        limits_withheld = ""
    hide = bool(limits_withheld)
    where = "the place" if signal.team == PLACE else f"Team {signal.team}"
    withheld_sentence = f"{limits_withheld[:1].lower()}{limits_withheld[1:]}"
    return PublishedSeries(
        indicator=signal.indicator,
        team=signal.team,
        months=[
            Month(
                p.period,
                n,
                d,
                value if rounding or why else p.value,
                None if hide else p.mean,
                None if hide else p.lower,
                None if hide else p.upper,
                () if hide else tuple(p.rules),
                "" if hide else state,
                0 if hide or not p.rules else p.direction,
                why,
            )
            for p, state, (n, d, value, why) in zip(points, states, shown, strict=True)
        ],
        full=full,
        limits_withheld=limits_withheld,
        highlight=f"{signal.indicator.title}, {where}: {withheld_sentence}"
        if hide
        else signal.highlight,
        variation=None if hide else signal.variation,
        assurance=None if hide else signal.assurance,
    )


def splits(counts: list[tuple[int, int]], *, full: bool) -> Protected:
    """Yes/no splits of one group of people (children referred: how many went on to each step),
    as a viewer may see them. Each split is protected on its own, with the group's size as its
    total: the page shows each row's count and the group's size, never a column's sum, so a
    small count in one row is no reason to hide another row (a whole table through `table`
    spread suppression until even the group's size went: issue 15). Column totals are not
    published."""
    if not counts:
        raise ValueError("splits need at least one row")
    group = {yes + no for yes, no in counts}
    if len(group) != 1:
        raise ValueError("every split is of the same group of people")
    limit, rounding = (0, None) if full else (threshold(), round_to())
    rows = [
        protect([[yes, no]], threshold=limit, round_to=rounding, column_totals=False)
        for yes, no in counts
    ]
    total = protect([[group.pop()]], threshold=limit, round_to=rounding).total
    hidden: list[int | None] = [None, None]
    cells = [row.cells[0] if total is not None else list(hidden) for row in rows]
    return Protected(
        cells=cells,
        row_totals=[total] * len(cells),
        column_totals=[None, None],
        total=total,
        threshold=limit,
    )


def table(counts: list[list[int]], *, full: bool) -> Protected:
    """A table of counts of people as a viewer may see it: as it is when every source is their
    own organisation's, else through primary and secondary suppression (and rounding, if set)."""
    if full:
        return protect(counts, threshold=0)
    return protect(counts, threshold=threshold(), round_to=round_to())
