"""The SPC chart as people read it: limits only as far as a measure can go, proportions as
percentages, and a withheld month kept in its place without a dot."""

import pytest

from placewise.indicators.library import Indicator
from placewise.outcomes.charts import possible
from placewise.web.charts import spc_chart

REFERRALS = Indicator("referrals", "Referrals", "", "count", "referrals", "", "down")
IN_TIME = Indicator(
    "in_time", "Assessed in time", "", "within_working_days", "in time", "assessed", "up"
)


def test_a_limit_goes_no_further_than_the_measure_can():
    assert possible(REFERRALS, -4.0) == 0.0  # an XmR lower limit of -4 referrals
    assert possible(REFERRALS, 14.3) == 14.3
    assert possible(IN_TIME, 1.05) == 1.0  # a p-chart's upper limit of 105%
    assert possible(IN_TIME, -0.02) == 0.0
    assert possible(IN_TIME, None) is None


def chart(values, *, percent):
    n = len(values)
    return spc_chart(
        [f"m{i}" for i in range(n)],
        values,
        None,
        None,
        None,
        [""] * n,
        title="t",
        description="d",
        shown=[""] * n,
        percent=percent,
    )


def test_a_proportions_axis_reads_in_percent_and_a_counts_in_whole_numbers():
    # Values 0.2 to 0.6: the axis is padded by 5% of the range each side, 0.18 to 0.62.
    shares = chart([0.2, 0.6], percent=True)
    assert [t.label for t in shares.ticks] == ["18%", "29%", "40%", "51%", "62%"]
    # Counts 0 to 100: padded to 105 above, but not below 0 (no count is negative); ticks at
    # 0, 26.25, 52.5, 78.75 and 105.
    counts = chart([0.0, 100.0], percent=False)
    assert [t.label for t in counts.ticks] == ["0", "26", "52", "79", "105"]


def test_a_withheld_month_keeps_its_place_with_no_dot_and_breaks_the_line():
    drawn = chart([0.2, None, 0.4, 0.5], percent=True)
    assert [m.label for m in drawn.marks] == ["m0", "m2", "m3"]
    assert len(drawn.line) == 2  # m0 alone, then m2 to m3
    assert [label for _, label in drawn.months] == ["m0", "m1", "m2", "m3"]
    xs = [m.x for m in drawn.marks]
    assert xs[1] - xs[0] == pytest.approx(2 * (xs[2] - xs[1]))  # the gap keeps a month's width


def test_a_signal_is_told_by_shape_as_well_as_colour():
    """Issue 15: improvement a diamond, concern a square, common cause a circle."""
    from placewise.web.charts import SpcMark

    assert SpcMark(10, 20, "Jan", "5", "").shape == ""
    # A diamond: top, right, bottom, left, 6 px from the centre (10, 20).
    assert (
        SpcMark(10, 20, "Jan", "5", "improvement").shape == "10.0,14.0 16.0,20.0 10.0,26.0 4.0,20.0"
    )
    # A square of side 10 around it.
    assert SpcMark(10, 20, "Jan", "5", "concern").shape == "5.0,15.0 15.0,15.0 15.0,25.0 5.0,25.0"


def test_the_value_axis_never_goes_below_nothing_or_above_all():
    """Counts from 0 to 30 with a lower limit clamped at 0: no tick below 0; proportions up to
    100%: no tick above 100%."""
    from placewise.web.charts import spc_chart

    months = [f"m{i}" for i in range(10)]
    counts = spc_chart(
        months,
        [0.0, 30.0] * 5,
        [15.0] * 10,
        [0.0] * 10,
        [30.0] * 10,
        [""] * 10,
        title="t",
        description="d",
        shown=[""] * 10,
    )
    assert min(t.value for t in counts.ticks) >= 0
    shares = spc_chart(
        months,
        [0.5, 1.0] * 5,
        [0.75] * 10,
        [0.5] * 10,
        [1.0] * 10,
        [""] * 10,
        title="t",
        description="d",
        shown=[""] * 10,
        percent=True,
    )
    assert max(t.value for t in shares.ticks) <= 1.0
