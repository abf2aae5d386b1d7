"""The balance of operational and strategic meetings, worked out by hand. The rule: of at least 3
meetings held in a period, each kind should be at least one in three; the last quarter is the 91
days up to and including today, the last year the 365."""

from datetime import date

import pytest

from placewise.service_reviews.queries import _spread, balance

OP, ST = "operational", "strategic"
TODAY = date(2026, 6, 30)


def test_an_even_mix_raises_no_warning():
    held = [(date(2026, 6, 1), OP), (date(2026, 6, 8), ST), (date(2026, 5, 4), OP)]
    quarter, year = balance(held, today=TODAY)
    # 2 operational, 1 strategic: 1 * 3 = 3 is not fewer than 3 meetings, so it is one in three.
    assert (quarter.operational, quarter.strategic, quarter.total) == (2, 1, 3)
    assert quarter.crowded_out == "" and quarter.warning == ""
    assert (year.operational, year.strategic) == (2, 1)


def test_one_kind_under_a_third_is_crowded_out_with_the_counts_in_words():
    held = [(date(2026, 6, d), OP) for d in (1, 8, 15)] + [(date(2026, 6, 22), ST)]
    quarter, _ = balance(held, today=TODAY)
    # 1 strategic of 4: 1 * 3 = 3 < 4, fewer than one in three.
    assert quarter.crowded_out == ST
    assert quarter.warning == (
        "Operational meetings are crowding out strategic ones: 1 of the 4 meetings held in the "
        "last quarter was strategic, fewer than one in 3."
    )


def test_none_of_a_kind_among_three_is_crowded_out():
    held = [(date(2026, 6, d), ST) for d in (2, 9, 16)]
    quarter, _ = balance(held, today=TODAY)
    assert quarter.crowded_out == OP
    assert "0 of the 3 meetings held in the last quarter were operational" in quarter.warning


def test_fewer_than_three_meetings_are_too_few_to_judge():
    quarter, _ = balance([(date(2026, 6, 2), ST), (date(2026, 6, 9), ST)], today=TODAY)
    assert not quarter.judged and quarter.crowded_out == "" and quarter.warning == ""


def test_the_periods_edges_and_a_balanced_year_behind_a_lopsided_quarter():
    # The quarter's first day is 1 April 2026 (30 June less 90 days: 30 to 31 May, 31 to 30
    # April, 29 to 1 April); the year's 1 July 2025 (less 364 days).
    held = [
        (date(2026, 4, 1), OP),  # in the quarter: its first day
        (date(2026, 3, 31), ST),  # the day before: in the year only
        (date(2026, 5, 1), OP),
        (date(2026, 6, 30), OP),  # today counts
        (date(2026, 7, 1), ST),  # after today: not held yet
        (date(2025, 7, 1), ST),  # the year's first day
        (date(2025, 6, 30), ST),  # a day too early for the year
    ]
    quarter, year = balance(held, today=TODAY)
    assert quarter.since == date(2026, 4, 1) and year.since == date(2025, 7, 1)
    assert (quarter.operational, quarter.strategic) == (3, 0)
    assert quarter.crowded_out == ST
    # The year: 3 operational, 2 strategic; 2 * 3 = 6 is not fewer than 5.
    assert (year.operational, year.strategic) == (3, 2)
    assert year.crowded_out == ""


@pytest.mark.parametrize(
    ("n", "how_many", "picked"),
    [
        (10, 3, [0, 3, 6]),  # steps of 10/3: 0, 3.33, 6.67
        (4, 5, [0, 1, 2, 3]),  # fewer than asked: all of them
        (12, 4, [0, 3, 6, 9]),
    ],
)
def test_a_sample_is_spread_across_the_cohort_from_first_referred(n, how_many, picked):
    assert _spread(list(range(n)), how_many) == picked
