"""Working days in England: weekdays that are not bank holidays.

Bank holidays are computed from their rules (Easter by the Gregorian computus, substitute days when
a fixed holiday falls at a weekend), plus the one-off changes made by proclamation since 2012.
"""

from datetime import date, timedelta
from functools import cache

import numpy as np

# Moved or added by royal proclamation: (removed, added)
_ONE_OFF: dict[int, tuple[tuple[date, ...], tuple[date, ...]]] = {
    2012: ((date(2012, 5, 28),), (date(2012, 6, 4), date(2012, 6, 5))),
    2020: ((date(2020, 5, 4),), (date(2020, 5, 8),)),
    2022: ((date(2022, 5, 30),), (date(2022, 6, 2), date(2022, 6, 3), date(2022, 9, 19))),
    2023: ((), (date(2023, 5, 8),)),
}


def easter_sunday(year: int) -> date:
    """Gregorian Easter (anonymous algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _first_monday(year: int, month: int) -> date:
    day = date(year, month, 1)
    return day + timedelta(days=(7 - day.weekday()) % 7)


def _last_monday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=day.weekday())


@cache
def bank_holidays(year: int) -> tuple[date, ...]:
    """England and Wales bank holidays in a year."""
    new_year = date(year, 1, 1)
    if new_year.weekday() >= 5:
        new_year += timedelta(days=7 - new_year.weekday())
    easter = easter_sunday(year)
    christmas, boxing = date(year, 12, 25), date(year, 12, 26)
    if christmas.weekday() == 5:  # Saturday: both move to Monday and Tuesday
        christmas, boxing = date(year, 12, 27), date(year, 12, 28)
    elif christmas.weekday() == 6:  # Sunday: Boxing Day stays Monday, Christmas to Tuesday
        christmas = date(year, 12, 27)
    elif boxing.weekday() == 5:
        boxing = date(year, 12, 28)
    days = {
        new_year,
        easter - timedelta(days=2),
        easter + timedelta(days=1),
        _first_monday(year, 5),
        _last_monday(year, 5),
        _last_monday(year, 8),
        christmas,
        boxing,
    }
    removed, added = _ONE_OFF.get(year, ((), ()))
    days.difference_update(removed)
    days.update(added)
    return tuple(sorted(days))


def holidays_between(first_year: int, last_year: int) -> np.ndarray:
    return np.array(
        [d for y in range(first_year, last_year + 1) for d in bank_holidays(y)],
        dtype="datetime64[D]",
    )


def working_days_between(start: date, end: date) -> int:
    """Working days after start up to and including end (0 when end is the same day)."""
    holidays = holidays_between(start.year, end.year)
    return int(
        np.busday_count(start + timedelta(days=1), end + timedelta(days=1), holidays=holidays)
    )


def add_working_days(start: date, days: int) -> date:
    """The date that is `days` working days after start."""
    holidays = holidays_between(start.year, start.year + 2 + days // 200)
    result = np.busday_offset(np.datetime64(start, "D"), days, roll="forward", holidays=holidays)
    return date.fromisoformat(str(result))
