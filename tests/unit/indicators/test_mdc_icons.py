"""Making Data Count's icons (issue 15, item 7): which icon each series gets, worked by hand.

The series: 10, 12, 10, 12, 10, 12, 10, 12 as the baseline. Mean 11, mean moving range 2, so the
limits are 11 ± 2.66 × 2 = 5.68 to 16.32. A ninth month of 30 is above the upper limit, of 0
below the lower; a ninth month of 11 is common cause.
"""

from datetime import date
from types import SimpleNamespace

import pytest
from django.template import Context, Template

from placewise.indicators import spc

BASE = [10, 12, 10, 12, 10, 12, 10, 12]
MONTHS = [date(2025, m, 1) for m in range(1, 10)]


def icons_for(last: float, polarity: str, target: float | None = None):
    chart = spc.xmr(MONTHS, [*BASE, last], baseline=8)
    assert (chart.points[-1].lower, chart.points[-1].upper) == pytest.approx((5.68, 16.32))
    return spc.icons(
        spc.variation(chart, polarity), spc.assurance(chart, polarity, target), polarity
    )


@pytest.mark.parametrize(
    ("last", "polarity", "variation"),
    [
        (11, "up", "common cause"),
        (11, "down", "common cause"),
        (30, "up", "improvement high"),  # above the limits, and higher is better
        (30, "down", "concern high"),  # above the limits, and lower is better
        (0, "up", "concern low"),
        (0, "down", "improvement low"),
    ],
)
def test_variation_icon(last, polarity, variation):
    assert icons_for(last, polarity) == (variation, None)  # no target: no assurance icon


@pytest.mark.parametrize(
    ("polarity", "target", "assurance"),
    [
        ("up", 4, "passing"),  # the lower limit 5.68 is above the target: always met
        ("up", 11, "hit and miss"),  # the target lies between the limits
        ("up", 20, "failing"),  # the upper limit 16.32 is below it: never met
        ("down", 20, "passing"),  # lower is better, and the upper limit is below the target
        ("down", 11, "hit and miss"),
        ("down", 4, "failing"),
    ],
)
def test_assurance_icon(polarity, target, assurance):
    assert icons_for(11, polarity, target) == ("common cause", assurance)


def test_a_withheld_reading_gets_no_icon():
    assert spc.icons(None, None, "up") == (None, None)
    assert spc.icons("common cause", "no target", "up") == ("common cause", None)


def render(series: object, explain: bool) -> str:
    text = "{% load icons %}{% mdc_icons series explain=explain %}"
    return Template(text).render(Context({"series": series, "explain": explain}))


def test_the_page_draws_each_icon_with_its_meaning_as_text():
    series = SimpleNamespace(
        variation="concern", assurance="fail", indicator=SimpleNamespace(polarity="up")
    )
    html = render(series, explain=True)
    assert 'data-icon="concern low"' in html and 'data-icon="failing"' in html
    assert (
        'role="img" aria-label="Special cause concern: unusually low, and higher is better"' in html
    )
    assert "<strong>Failing the target:</strong> no month within" in html
    withheld = SimpleNamespace(
        variation=None, assurance=None, indicator=SimpleNamespace(polarity="up")
    )
    assert render(withheld, explain=False) == ""
