"""When published figures are next updated: at most monthly."""

import calendar
from datetime import date


def one_month_after(day: date) -> date:
    """The same day next month (the last day, if next month is shorter)."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
