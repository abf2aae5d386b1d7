"""The attacker's view of what a partner is shown of an indicator (issue 14).

A withheld count is safe only if nothing shown depends on it. So the property tested is
indistinguishability: take any series, and change the hidden counts of one withheld month to any
other counts that would be withheld just the same (the same cells shown as `[c]`, the same total
where a total is shown). Everything a partner sees — the published object, the chart's SVG (its
points, axis ticks, lines and text), the page's data table and the sentence that reads the chart —
must come out byte for byte the same. If any of it differed, an attacker comparing outputs could
tell the two apart, so it would carry information about the hidden count: a bound, or the value.
"""

import re
from datetime import date

import pytest
from django.template.loader import render_to_string
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from placewise.indicators.export import Row
from placewise.indicators.library import Indicator
from placewise.indicators.signals import MIN_POINTS, read
from placewise.outcomes.charts import signal_chart
from placewise.outcomes.views import _row
from placewise.sharing import publication

THRESHOLD = 10

SHARE = Indicator(
    key="assessed_in_time",
    title="Assessed in time",
    question="",
    method="within_working_days",
    numerator="assessed within 45 working days",
    denominator="assessments",
    polarity="up",
    target=0.85,
)
COUNT = Indicator(
    key="referrals",
    title="Referrals",
    question="",
    method="count",
    numerator="referrals",
    denominator="",
    polarity="down",
)
RATE = Indicator(
    key="referral_rate",
    title="Referrals per 10,000",
    question="",
    method="rate_per_10000",
    numerator="referrals",
    denominator="children",
    polarity="down",
)
MEAN = Indicator(
    key="days_to_plan",
    title="Days to a plan",
    question="",
    method="mean_days_between",
    numerator="days",
    denominator="children",
    polarity="down",
)


@pytest.fixture(autouse=True)
def disclosure(settings):
    settings.PLACEWISE_DISCLOSURE_THRESHOLD = THRESHOLD
    settings.PLACEWISE_DISCLOSURE_ROUND_TO = 0


def _months(n: int) -> list[date]:
    return [date(2023 + m // 12, m % 12 + 1, 1) for m in range(n)]


def _value(indicator: Indicator, n: float, d: float) -> float | None:
    if indicator.method == "count":
        return n
    if not d:
        return None
    return 10000 * n / d if indicator.method == "rate_per_10000" else n / d


def _signal(indicator: Indicator, counts: list[tuple[float, float]]):
    rows = [
        Row(indicator.key, indicator.title, p, "Place", n, d, _value(indicator, n, d))
        for p, (n, d) in zip(_months(len(counts)), counts, strict=True)
    ]
    found = read({indicator.key: indicator}, rows)
    return found[0] if found else None


def _shown(indicator: Indicator, counts: list[tuple[float, float]]) -> str:
    """Everything a partner is shown of this series, as one text: chart SVG, table, sentence."""
    signal = _signal(indicator, counts)
    if signal is None:  # too few months to chart: a partner is told only how many months
        return f"not charted: {sum(1 for n, d in counts if _value(indicator, n, d) is not None)}"
    published = publication.series(signal, full=False)
    rows = [_row(indicator, month) for month in published.months]
    chart = signal_chart(
        published,
        shown=[str(r["value"]) for r in rows],
        title=indicator.title,
        description=published.highlight,
    )
    svg = render_to_string("web/_spc_chart.html", {"chart": chart, "chart_id": "c"})
    table = "\n".join(
        "|".join(str(r[k]) for k in ("numerator", "denominator", "value", "mean", "lower", "upper"))
        + f"|{r['rules']}|{r['withheld']}"
        for r in rows
    )
    return "\n".join((svg, table, published.highlight, published.limits_withheld))


def _published_cells(indicator: Indicator, n: float, d: float) -> tuple[object, ...]:
    """What the publication shows of one month on its own: which counts are withheld, and the
    total where one is shown."""
    shown = publication.month(indicator, n, d)
    return (shown.numerator, shown.denominator, shown.value, bool(shown.withheld))


def _counts(indicator: Indicator) -> st.SearchStrategy[tuple[float, float]]:
    """A month's (numerator, denominator): often small, so that months are withheld."""
    size = st.one_of(st.integers(0, 12), st.integers(10, 90))
    if indicator.is_proportion:
        return size.flatmap(lambda d: st.tuples(st.integers(0, d), st.just(d))).map(
            lambda nd: (float(nd[0]), float(nd[1]))
        )
    if indicator.method == "count":
        return size.map(lambda n: (float(n), 0.0))
    if indicator.method == "rate_per_10000":
        return size.map(lambda n: (float(n), 24000.0))  # the population is public
    # A mean: a sum of days over a number of children.
    return size.flatmap(
        lambda d: st.tuples(st.integers(0, 60 * d), st.just(d)).map(
            lambda sd: (float(sd[0]), float(sd[1]))
        )
    )


@st.composite
def series_and_twin(draw, indicator: Indicator):
    """A series with a withheld month, and its twin in which that month's hidden counts differ
    but are withheld just the same."""
    counts = draw(st.lists(_counts(indicator), min_size=MIN_POINTS, max_size=MIN_POINTS + 6))
    at = draw(st.integers(0, len(counts) - 1))
    other = draw(_counts(indicator))
    n, d = counts[at]
    assume(other != (n, d))
    before, after = _published_cells(indicator, n, d), _published_cells(indicator, *other)
    assume(before[-1] and before == after)  # withheld, and shown the same way
    twin = list(counts)
    twin[at] = other
    return counts, twin


@pytest.mark.slow  # a property test: a minute and more on this machine
@pytest.mark.parametrize("indicator", [SHARE, COUNT, RATE, MEAN], ids=lambda i: i.method)
def test_nothing_shown_tells_a_withheld_month_from_its_twin(indicator):
    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
    )
    @given(series_and_twin(indicator))
    def check(pair):
        counts, twin = pair
        assert _shown(indicator, counts) == _shown(indicator, twin)

    check()


def test_the_twin_check_would_catch_limits_worked_out_from_a_withheld_month():
    """The property can fail: the owner's view (nothing withheld) of the same twins differs,
    in the limits as well as in the month itself."""
    steady = [(40.0 + (m * 7) % 15, 70.0 + (m * 11) % 21) for m in range(18)]
    first, second = list(steady), list(steady)
    first[5], second[5] = (1.0, 4.0), (2.0, 7.0)
    assert None in _published_cells(SHARE, 1, 4) and _published_cells(
        SHARE, 1, 4
    ) == _published_cells(SHARE, 2, 7)
    own = [publication.series(_signal(SHARE, c), full=True) for c in (first, second)]
    assert own[0].months[0].lower != own[1].months[0].lower  # the mean moved with month 6
    assert _shown(SHARE, first) == _shown(SHARE, second)
    # And what the partner is shown still says something: the other months' figures.
    assert re.search(r"\b\d+%", _shown(SHARE, first))
