"""The publication path (sharing/publication.py) on hand-worked series: what a partner sees of an
indicator, and that nothing shown gives a withheld count back."""

from datetime import date

import pytest

from placewise.indicators.export import Row
from placewise.indicators.library import Indicator
from placewise.indicators.signals import read
from placewise.sharing import publication

SHARE = Indicator(
    key="assessed_in_time",
    title="Assessed in time",
    question="",
    method="within_working_days",
    numerator="assessed within 45 working days",
    denominator="assessments",
    polarity="up",
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
MEAN = Indicator(
    key="days_to_plan",
    title="Days to a plan",
    question="",
    method="mean_days_between",
    numerator="days",
    denominator="children",
    polarity="down",
)


def months(n: int) -> list[date]:
    return [date(2024 + (m // 12), m % 12 + 1, 1) for m in range(n)]


def signal(indicator: Indicator, counts: list[tuple[float, float]]):
    rows = [
        Row(indicator.key, indicator.title, p, "Place", n, d, _value(indicator, n, d))
        for p, (n, d) in zip(months(len(counts)), counts, strict=True)
    ]
    (found,) = read({indicator.key: indicator}, rows)
    return found


def _value(indicator: Indicator, n: float, d: float) -> float:
    return n if indicator.method == "count" else n / d


@pytest.fixture(autouse=True)
def threshold(settings):
    settings.PLACEWISE_DISCLOSURE_THRESHOLD = 10
    settings.PLACEWISE_DISCLOSURE_ROUND_TO = 0


# 24 months of 70 to 90 assessments, 40 to 54 of them in time: nothing small (at least 16 not).
STEADY = [(40 + (m * 7) % 15, 70 + (m * 11) % 21) for m in range(24)]


def test_a_series_with_no_small_count_is_published_whole():
    found = signal(SHARE, STEADY)
    shown = publication.series(found, full=False)
    assert not shown.limits_withheld and shown.highlight == found.highlight
    for month, point, (n, d) in zip(shown.months, found.chart.points, STEADY, strict=True):
        assert (month.numerator, month.denominator) == (n, d)
        assert month.value == pytest.approx(n / d)
        assert (month.mean, month.lower, month.upper) == (point.mean, point.lower, point.upper)
        assert month.withheld == ""


@pytest.mark.parametrize("hidden", [3, 4, 5, 6, 7, 8, 9])
def test_a_withheld_denominator_cannot_be_read_back_from_the_limits(hidden):
    """Issue 14's leak: a month with 3 to 9 assessments printed a p-chart lower limit from which
    its denominator could be read. Now the month, and the mean and limits of every month (the
    mean is worked out from that month too), are withheld for a partner."""
    counts = list(STEADY)
    counts[5] = (1, hidden)
    found = signal(SHARE, counts)
    shown = publication.series(found, full=False)
    sixth = shown.months[5]
    assert sixth.numerator is None and sixth.value is None and sixth.withheld
    assert sixth.denominator is None  # a row total under 10 is itself withheld
    for month in shown.months:
        assert (month.mean, month.lower, month.upper, month.rules, month.state) == (
            None,
            None,
            None,
            (),
            "",
        )
    assert shown.variation is None and shown.assurance is None
    assert "withheld" in shown.limits_withheld and "withheld" in shown.highlight
    # The viewer whose own organisation provided the data sees it all.
    own = publication.series(found, full=True)
    assert own.months[5].denominator == hidden and own.months[5].lower is not None


def test_a_small_complement_withholds_the_count_but_not_the_total():
    """95 of 98 in time: the 3 not in time are a small count too, so 95 is withheld with them
    (98 - 95 = 3); the 98 assessments are published."""
    counts = list(STEADY)
    counts[10] = (95, 98)
    shown = publication.series(signal(SHARE, counts), full=False)
    month = shown.months[10]
    assert (month.numerator, month.denominator, month.value) == (None, 98, None)
    assert shown.limits_withheld


def test_a_zero_is_published():
    counts = list(STEADY)
    counts[3] = (0, 75)
    month = publication.series(signal(SHARE, counts), full=False).months[3]
    assert (month.numerator, month.denominator, month.value) == (0, 75, 0)


def test_a_count_of_people_under_the_threshold_is_withheld():
    counts = [(20.0 + m % 5, 1.0) for m in range(24)]
    counts[7] = (6.0, 1.0)
    shown = publication.series(signal(COUNT, counts), full=False)
    assert shown.months[7].numerator is None and shown.months[7].value is None
    assert shown.months[8].value == counts[8][0]
    assert all(m.mean is None for m in shown.months)


def test_a_mean_over_few_children_is_withheld():
    """A mean of days is over the children in its denominator: 4 children's 120 days is withheld,
    and so is the sum of their days."""
    counts = [(30.0 * (20 + m % 3), 20.0 + m % 3) for m in range(24)]
    counts[2] = (120.0, 4.0)
    month = publication.series(signal(MEAN, counts), full=False).months[2]
    assert (month.numerator, month.denominator, month.value) == (None, None, None)


def test_the_threshold_is_a_setting(settings):
    counts = list(STEADY)
    counts[4] = (12, 70)  # 12 in time: published at 10, withheld at 15
    assert publication.series(signal(SHARE, counts), full=False).months[4].numerator == 12
    settings.PLACEWISE_DISCLOSURE_THRESHOLD = 15
    assert publication.series(signal(SHARE, counts), full=False).months[4].numerator is None


def test_rounding_rounds_counts_and_withholds_the_limits(settings):
    settings.PLACEWISE_DISCLOSURE_ROUND_TO = 5
    shown = publication.series(signal(SHARE, STEADY), full=False)
    first = shown.months[0]
    assert STEADY[0] == (40, 70) and (first.numerator, first.denominator) == (40, 70)
    second = shown.months[1]  # 47 of 81: rounded to 45 of 80, the value from those
    assert STEADY[1] == (47, 81) and (second.numerator, second.denominator) == (45, 80)
    assert second.value == pytest.approx(45 / 80)
    assert shown.limits_withheld and all(m.upper is None for m in shown.months)


def test_a_table_is_protected_for_partners_only():
    counts = [[3, 40], [25, 30]]
    assert publication.table(counts, full=True).cells == counts
    partner = publication.table(counts, full=False)
    assert partner.cells[0][0] is None and partner.cells[0][1] is None  # 3, and 40 = 43 - 3
