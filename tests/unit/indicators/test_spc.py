"""SPC on hand-worked series (the arithmetic is in each docstring)."""

from datetime import date

import pytest

from placewise.indicators import spc
from placewise.indicators.series_file import as_csv, chart, read
from placewise.sources.canonical import FileRejected


def months(n, start=(2024, 1)):
    y, m = start
    out = []
    for _ in range(n):
        out.append(date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def test_xmr_limits_by_hand():
    """10, 12, 11, 13, 12: mean 11.6; moving ranges 2, 1, 2, 1, mean 1.5; limits
    11.6 ± 2.66 × 1.5 = 7.61 and 15.59. Nothing flagged."""
    c = spc.xmr(months(5), [10, 12, 11, 13, 12])
    p = c.points[0]
    assert p.mean == pytest.approx(11.6)
    assert (p.lower, p.upper) == (pytest.approx(7.61), pytest.approx(15.59))
    assert c.flagged() == []
    assert spc.variation(c, "up") == "common cause"


def test_a_point_beyond_the_limit_and_a_run_of_nine_below_the_mean():
    """Nine 10s then a 20: mean 11; moving ranges eight 0s and a 10, mean 10/9; upper limit
    11 + 2.66 × 1.111 = 13.96, so 20 is outside; the nine 10s are a run below the mean."""
    c = spc.xmr(months(10), [10] * 9 + [20])
    assert c.points[-1].rules == ["outside_limits"]
    assert all(p.rules == ["run"] for p in c.points[:9])
    assert spc.variation(c, "up") == "improvement"
    assert spc.variation(c, "down") == "concern"


def test_six_rising_is_a_trend_and_five_is_not():
    c = spc.xmr(months(8), [3, 1, 2, 3, 4, 5, 6, 2])
    assert [("trend" in p.rules) for p in c.points] == [False] + [True] * 6 + [False]
    c = spc.xmr(months(7), [3, 1, 2, 3, 4, 5, 1])
    assert not any("trend" in p.rules for p in c.points)


def test_two_of_three_near_the_upper_limit():
    """Ten pairs of 7, 8, then 10, 10, 7, 8: mean 185/24 = 7.708; moving ranges 19 ones, 2, 0,
    3, 1 = 25 over 23, mean 1.087; σ = 1.087 / 1.128 = 0.964; 2σ above the mean is 9.64 and the
    upper limit 7.708 + 2.66 × 1.087 = 10.60. The two 10s are in the outer third, inside the
    limit: two of three, and nothing else is flagged (the 7s and 8s alternate about the mean)."""
    c = spc.xmr(months(24), [7, 8] * 10 + [10, 10, 7, 8])
    assert [p.rules for p in c.points[20:22]] == [["two_of_three"], ["two_of_three"]]
    assert sum(bool(p.rules) for p in c.points) == 2


def test_p_chart_limits_vary_with_the_denominator():
    """10/100 and 20/100: p̄ = 30/200 = 0.15; σ = √(0.15 × 0.85 / 100) = 0.0357; limits 0.0429
    and 0.2571. With 400 in the second month p̄ = 30/500 = 0.06 and its σ = √(0.06×0.94/400)."""
    c = spc.p_chart(months(2), [10, 20], [100, 100])
    assert c.points[0].mean == pytest.approx(0.15)
    assert c.points[0].lower == pytest.approx(0.15 - 3 * 0.0357071, abs=1e-6)
    assert c.points[0].upper == pytest.approx(0.15 + 3 * 0.0357071, abs=1e-6)
    c = spc.p_chart(months(2), [10, 20], [100, 400])
    assert c.points[1].sigma == pytest.approx((0.06 * 0.94 / 400) ** 0.5)
    assert c.points[0].sigma == pytest.approx((0.06 * 0.94 / 100) ** 0.5)


def test_limits_are_rebased_at_a_recorded_step_change():
    values = [10, 11, 10, 11, 10, 20, 21, 20, 21, 20]
    whole = spc.xmr(months(10), values)
    assert any(p.rules for p in whole.points)  # one process: the step is special cause
    split = spc.xmr(months(10), values, steps=[months(10)[5]])
    assert [p.mean for p in split.points] == [10.4] * 5 + [20.4] * 5
    assert split.flagged() == []


def test_assurance_against_a_target():
    c = spc.xmr(months(5), [90, 91, 90, 91, 90])  # limits about 87.8 to 93.0
    assert spc.assurance(c, "up", 85) == "pass"
    assert spc.assurance(c, "up", 95) == "fail"
    assert spc.assurance(c, "up", 90) == "hit and miss"
    assert spc.assurance(c, "down", 95) == "pass"


def test_highlight_in_plain_english():
    c = spc.xmr(months(10, (2025, 1)), [80, 82, 81, 83, 82, 70, 69, 70, 71, 70])
    text = spc.highlight(c, "up", title="Assessments within 45 days", where="Team North")
    assert text.startswith("Assessments within 45 days, Team North: special cause concern")


def test_the_spc_file_round_trip(tmp_path):
    path = tmp_path / "series.csv"
    path.write_text("period,value\n2024-01,10\n2024-02,12\n2024-03,11\n2024-04,13\n2024-05,12\n")
    series = read(path)
    out = as_csv(series, chart(series, [])).splitlines()
    assert out[0] == "period,value,mean,lower,upper,rules"
    assert out[1] == "2024-01,10,11.6,7.61,15.59,"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("when,value\n2024-01,1\n", "the header must be"),
        ("period,value\n2024-01,1\n2024-13,2\n", "row 3, column 'period'"),
        ("period,value\n2024-01,1\n2024-02,abc\n", "row 3, column 'value': 'abc' is not a number"),
        ("period,numerator,denominator\n2024-01,5,4\n2024-02,1,2\n", "row 2, column 'numerator'"),
        ("period,value\n2024-02,1\n2024-01,2\n", "periods must be in order"),
        ("period,value\n2024-01,1\n", "at least 2 periods"),
    ],
)
def test_bad_series_files_are_refused_with_row_and_column(tmp_path, text, message):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(FileRejected) as raised:
        read(path)
    assert message in str(raised.value)
