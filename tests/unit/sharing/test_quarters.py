"""Quarters for figures about people (ADR 0030), worked by hand on the calendar."""

from datetime import UTC, date, datetime

from placewise.sharing import quarters


def test_a_day_is_in_its_calendar_quarter_which_ends_the_day_after_its_last():
    autumn = quarters.of(date(2026, 11, 30))
    assert (autumn.starts, autumn.ends) == (date(2026, 10, 1), date(2027, 1, 1))
    assert autumn.label == "Oct–Dec 2026" and autumn.last_day == date(2026, 12, 31)
    assert quarters.of(date(2026, 3, 31)).label == "Jan–Mar 2026"
    assert quarters.of(date(2026, 4, 1)).label == "Apr–Jun 2026"


def test_only_quarters_that_have_ended_are_listed_newest_first():
    # On 7 December 2026 the October quarter is still running: July–September is the newest.
    listed = quarters.ended(date(2026, 2, 14), date(2026, 12, 7))
    assert [q.label for q in listed] == ["Jul–Sep 2026", "Apr–Jun 2026", "Jan–Mar 2026"]
    # On 1 October the July quarter has just ended (its last day was 30 September).
    assert quarters.ended(date(2026, 7, 1), date(2026, 10, 1))[0].label == "Jul–Sep 2026"
    assert quarters.ended(date(2026, 7, 1), date(2026, 9, 30)) == []
    assert quarters.last_ended(date(2027, 1, 1)).label == "Oct–Dec 2026"
    assert quarters.last_ended(date(2026, 12, 31)).label == "Jul–Sep 2026"


def test_what_is_recorded_after_a_quarter_ends_never_counts_in_it():
    summer = quarters.of(date(2026, 8, 1))
    assert summer.in_time(date(2026, 9, 30))
    assert not summer.in_time(date(2026, 10, 1))
    # A moment on the place's calendar (Europe/London: 30 September 23:30 UTC is 00:30 on
    # 1 October in London, in British Summer Time).
    assert summer.in_time(datetime(2026, 9, 30, 22, 30, tzinfo=UTC))
    assert not summer.in_time(datetime(2026, 9, 30, 23, 30, tzinfo=UTC))
    # The moment it closed: midnight in London on 1 October, 23:00 UTC the day before.
    assert summer.closed_at == datetime(2026, 9, 30, 23, tzinfo=UTC)
