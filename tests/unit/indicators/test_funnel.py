"""The funnel plot's limits and outlier rule (indicators/funnel.py), on hand-worked numbers."""

import math

import pytest

from placewise.indicators import funnel

# Three teams: 30 of 100, 10 of 100, 60 of 200. The place: (30 + 10 + 60) / 400 = 0.25.
TEAMS = [
    funnel.Team("North", 30, 100),
    funnel.Team("South", 10, 100),
    funnel.Team("East", 60, 200),
]


def test_the_centre_is_every_numerator_over_every_denominator():
    assert funnel.centre(TEAMS) == pytest.approx(0.25)
    assert funnel.centre([]) == 0.0


def test_limits_by_hand():
    # At 100 cases: standard error √(0.25 × 0.75 / 100) = √0.001875 = 0.0433013.
    # 99.8%: 0.25 ± 3.09 × 0.0433013 = 0.25 ± 0.1338 → 0.1162 and 0.3838.
    # 95%:   0.25 ± 1.96 × 0.0433013 = 0.25 ± 0.0849 → 0.1651 and 0.3349.
    assert funnel.limit(0.25, 100, 3.09) == pytest.approx(0.38380, abs=1e-4)
    assert funnel.limit(0.25, 100, -3.09) == pytest.approx(0.11620, abs=1e-4)
    assert funnel.limit(0.25, 100, 1.96) == pytest.approx(0.33487, abs=1e-4)
    # At 400 cases the standard error halves: 0.25 ± 0.0669.
    assert funnel.limit(0.25, 400, 3.09) == pytest.approx(0.25 + 3.09 * math.sqrt(0.1875) / 20)


def test_limits_stay_within_nought_and_one():
    # A small volume at a low centre: 0.02 − 3.09 × √(0.02 × 0.98 / 5) < 0.
    assert funnel.limit(0.02, 5, -3.09) == 0.0
    assert funnel.limit(0.98, 5, 3.09) == 1.0


def test_a_team_outside_the_outer_limit_at_its_own_volume():
    centre = funnel.centre(TEAMS)
    # South: 10% of 100, under the lower 99.8% limit of 11.62% at 100 cases.
    assert funnel.outlier(TEAMS[1], centre) == "below"
    # North: 30% of 100, inside 11.62%–38.38%.
    assert funnel.outlier(TEAMS[0], centre) == ""
    # East: 30% of 200; at 200 the upper limit is 0.25 + 3.09 × 0.0306186 = 34.46%: inside.
    assert funnel.outlier(TEAMS[2], centre) == ""
    # The same 30% at 2,000 cases is outside: 0.25 + 3.09 × 0.0096825 = 27.99%.
    assert funnel.outlier(funnel.Team("Big", 600, 2000), centre) == "above"


def test_a_team_with_no_cases_is_no_outlier():
    assert funnel.outlier(funnel.Team("Empty", 0, 0), 0.25) == ""
