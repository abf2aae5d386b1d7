"""Standing concerns (issue 15, item 8): a run that has lasted a year to the latest month is
suggested as a step change, and a review agenda lists signals new since the last session first,
standing ones after. Series worked by hand."""

from datetime import date

import pytest

from placewise.indicators import spc
from placewise.indicators.export import Row
from placewise.indicators.library import Indicator
from placewise.indicators.signals import read
from placewise.reviews.agenda import agenda_from, standing_since
from placewise.sharing import publication

UP = Indicator(
    key="seen_in_time",
    title="Seen in time",
    question="",
    method="count",
    numerator="children seen in time",
    denominator="",
    polarity="up",
)
DOWN = Indicator(
    key="repeat_referrals",
    title="Repeat referrals",
    question="",
    method="count",
    numerator="referrals",
    denominator="",
    polarity="down",
)


@pytest.fixture(autouse=True)
def disclosure(settings):
    settings.PLACEWISE_DISCLOSURE_THRESHOLD = 10
    settings.PLACEWISE_DISCLOSURE_ROUND_TO = 0


def months(n: int) -> list[date]:
    return [date(2023 + m // 12, m % 12 + 1, 1) for m in range(n)]


def signal(indicator: Indicator, values: list[float]):
    rows = [
        Row(indicator.key, indicator.title, p, "Place", v, 0.0, v)
        for p, v in zip(months(len(values)), values, strict=True)
    ]
    (found,) = read({indicator.key: indicator}, rows)
    return found


# A baseline year alternating 48 and 52 (mean 50, moving range 4: limits 50 ± 2.66 × 4 = 39.4 to
# 60.6), then the values given: 30 is below the lower limit and below the mean.
BASELINE = [48.0, 52.0] * 6


def test_a_run_of_fourteen_months_to_the_latest_is_a_suggested_step():
    chart = signal(UP, BASELINE + [30.0] * 14).chart
    start = spc.sustained_shift(chart)
    assert start is not None and start.period == date(2024, 1, 1)  # month 13
    assert spc.sustained_side(chart) == -1
    assert spc.flagged_since(chart) == date(2024, 1, 1)


def test_eight_months_is_a_signal_but_not_yet_a_new_process():
    chart = signal(UP, BASELINE + [30.0] * 8).chart
    assert spc.sustained_shift(chart) is None
    assert spc.flagged_since(chart) == date(2024, 1, 1)


def test_a_series_back_to_normal_suggests_nothing():
    chart = signal(UP, BASELINE + [30.0] * 8 + [50.0]).chart
    assert spc.sustained_shift(chart) is None and spc.flagged_since(chart) is None


def test_the_agenda_lists_new_signals_first_and_standing_ones_apart():
    # Standing: below the mean since January 2024 (a concern: higher is better).
    standing = publication.series(signal(UP, BASELINE + [30.0] * 14), full=True)
    # New: one month below the lower limit, the last (February 2025).
    new = publication.series(signal(DOWN, BASELINE + [50.0] * 13 + [20.0]), full=True)
    assert standing.variation == "concern" and new.variation == "improvement"
    agenda = agenda_from([standing, new], "Place", since=date(2024, 11, 20))
    assert [(kind, s.indicator.key, began) for kind, s, began in agenda] == [
        ("improvement", "repeat_referrals", None),
        ("concern", "seen_in_time", date(2024, 1, 1)),
    ]
    # With no earlier session, "new" is the last three months: the same split.
    assert standing_since(new, None) is None
    assert standing_since(standing, None) == date(2024, 1, 1)
