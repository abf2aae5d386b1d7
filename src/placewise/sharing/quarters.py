"""Quarters for figures about people (ADR 0030): a count of what people said, did or were given is
shown for a quarter only once the quarter has ended, and counts only what was recorded before it
ended. Once shown it never changes, so two looks a day apart cannot be differenced to give away
the one conversation, session or review recorded in between."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import timezone


@dataclass(frozen=True, order=True)
class Quarter:
    """A calendar quarter: its first day and the first day after it."""

    starts: date
    ends: date

    @property
    def label(self) -> str:
        """'Jul–Sep 2026'."""
        last = date(2000, self.starts.month + 2, 1)
        return f"{self.starts:%b}–{last:%b} {self.starts.year}"

    @property
    def last_day(self) -> date:
        return date.fromordinal(self.ends.toordinal() - 1)

    @property
    def closed_at(self) -> datetime:
        """The moment it ended, midnight on the place's calendar: for filtering what was
        recorded before it (`recorded_at__lt`)."""
        return timezone.make_aware(datetime.combine(self.ends, time()))

    def holds(self, day: date) -> bool:
        return self.starts <= day < self.ends

    def in_time(self, recorded: datetime | date) -> bool:
        """Whether something recorded then counts in this quarter: recorded before it ended (a
        moment is taken on the place's own calendar)."""
        day = timezone.localdate(recorded) if isinstance(recorded, datetime) else recorded
        return day < self.ends

    def __str__(self) -> str:
        return self.label


def of(day: date) -> Quarter:
    """The quarter a day is in."""
    first = (day.month - 1) // 3 * 3 + 1
    after = date(day.year + 1, 1, 1) if first == 10 else date(day.year, first + 3, 1)
    return Quarter(date(day.year, first, 1), after)


def ended(since: date, today: date) -> list[Quarter]:
    """Every quarter from the one `since` is in to the last that has ended by `today` (a quarter
    ends at the start of its last day's next day), newest first; none if none has ended."""
    found = []
    quarter = of(since)
    while quarter.ends <= today:
        found.append(quarter)
        quarter = of(quarter.ends)
    return list(reversed(found))


def last_ended(today: date) -> Quarter:
    """The newest quarter that has ended by `today`."""
    return of(date.fromordinal(of(today).starts.toordinal() - 1))
