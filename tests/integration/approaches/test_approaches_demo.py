"""The demo's approaches library and place survey (approaches/demo_data.py), worked by hand."""

from datetime import date

import pytest

from placewise.approaches import demo_data, queries
from placewise.approaches.models import Approach, SurveyRound, Use

pytestmark = pytest.mark.django_db


def test_the_demo_has_the_library_and_two_rounds_that_show(people, settings):
    settings.PLACEWISE_PLACE_SURVEY_THRESHOLD = 5
    settings.PLACEWISE_DISCLOSURE_ROUND_TO = 0
    demo_data.build(enabler=people["alice"], today=date(2026, 6, 1))
    assert Approach.objects.count() == 12
    assert Use.objects.count() == 2
    first, second = SurveyRound.objects.order_by("opened_on")
    assert first.title == "Place survey June 2025" and second.title == "Place survey June 2026"
    assert first.is_closed and second.is_closed
    a, b = queries.compare([first, second])
    # First round, six answers: trust 2+2+3+2+3+1 = 13/6 = 2.17 -> 2.2; board 2+1+2+2+3+2 =
    # 12/6 = 2.0; sharing 2+3+2+3+2+2 = 14/6 = 2.33 -> 2.3.
    assert a.answers == 6
    assert [s.mean for s in a.scores] == [2.2, 2.0, 2.3]
    # Second, seven: trust 3+4+3+4+3+4+3 = 24/7 = 3.43 -> 3.4 (up 1.2); board 3+3+4+3+3+4+3 =
    # 23/7 = 3.29 -> 3.3 (up 1.3); sharing 3+4+3+3+4+3+3 = 23/7 -> 3.3 (up 1.0).
    assert b.answers == 7
    assert [(s.mean, s.change) for s in b.scores] == [(3.4, 1.2), (3.3, 1.3), (3.3, 1.0)]
    groups, _untagged = queries.by_theme(second)
    assert "Board-level involvement" in {g.name for g in groups}
