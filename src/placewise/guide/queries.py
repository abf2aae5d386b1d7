"""Reads for the resident service guide: searching an item, the gap list, and how gaps closed.
None of these is about a person: searches are counted by their words alone."""

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet, Sum

from placewise.guide import matching
from placewise.guide.models import Gap, Guide, Item
from placewise.sharing.access import permission
from placewise.sharing.models import Organisation
from placewise.sharing.permissions import Permission

# Who edits a guide: the people who run the service's improvement at its council (the gap list is
# the service's own learning loop: what residents ask shapes what the council tells them).
EDIT = Permission.REVIEW_RUN

# Words that look like someone's details (an email address, a phone number, a house number with a
# postcode) are searched but never kept: the count is of what people need, not of who they are.
_PERSONAL = re.compile(r"@|\d{4,}|\b[a-z]{1,2}\d[a-z\d]?\s*\d[a-z]{2}\b")


def editable_by(user: AbstractBaseUser | AnonymousUser) -> list[Organisation]:
    """The organisations whose guides this person may edit."""
    return list(permission(user, EDIT).organisations)


def may_edit(user: AbstractBaseUser | AnonymousUser, guide: Guide) -> bool:
    return guide.organisation in editable_by(user)


def guides_for(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Guide]:
    return Guide.objects.filter(organisation__in=editable_by(user)).select_related("organisation")


def keepable(text: str) -> bool:
    """Whether a search as typed may be counted: nothing in it like someone's details."""
    return not _PERSONAL.search(text.casefold())


@dataclass(frozen=True)
class Found:
    item: Item
    phrase: str  # the name or synonym that matched
    good: bool


def search(guide: Guide, text: str) -> list[Found]:
    """The guide's items for what a resident typed, best first: good answers, then near ones."""
    items = {item.pk: item for item in guide.items.all()}
    candidates = [
        matching.Candidate(item.pk, (item.name, *item.synonym_list)) for item in items.values()
    ]
    return [
        Found(items[match.key], match.phrase, match.score.good)
        for match in matching.search(text, candidates)
    ]


def answered(found: list[Found]) -> bool:
    return any(f.good for f in found)


def open_gaps(guide: Guide) -> QuerySet[Gap]:
    """Searches with no good answer, most frequent first."""
    return guide.gaps.filter(closed_on__isnull=True).order_by("-searches", "words")


def closed_gaps(guide: Guide) -> QuerySet[Gap]:
    return (
        guide.gaps.filter(closed_on__isnull=False)
        .select_related("answered_by")
        .order_by("-closed_on", "words")
    )


def most_searched(guide: Guide, limit: int = 10) -> list[dict[str, object]]:
    """The words searched most often, with how often they found an answer."""
    rows = (
        guide.search_counts.values("words")
        .annotate(total=Sum("searches"), missed=Sum("unanswered"))
        .order_by("-total", "words")[:limit]
    )
    return [dict(row) for row in rows]


@dataclass(frozen=True)
class Month:
    month: date
    searches: int
    unanswered: int
    opened: int  # gaps first seen this month
    closed: int  # gaps answered this month
    open_at_end: int  # gaps still open at the end of the month

    @property
    def answered_percent(self) -> int | None:
        if not self.searches:
            return None
        return round(100 * (self.searches - self.unanswered) / self.searches)


def _first_of(day: date) -> date:
    return day.replace(day=1)


def history(guide: Guide) -> list[Month]:
    """Month by month: searches, how many found no answer, gaps opened and closed, and how many
    stayed open: how the gaps closed over time."""
    searches: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for row in guide.search_counts.values("month").annotate(
        total=Sum("searches"), missed=Sum("unanswered")
    ):
        searches[row["month"]] = [row["total"], row["missed"]]
    gaps = list(guide.gaps.values_list("opened_on", "closed_on"))
    opened: dict[date, int] = defaultdict(int)
    closed: dict[date, int] = defaultdict(int)
    for opened_on, closed_on in gaps:
        opened[_first_of(opened_on)] += 1
        if closed_on is not None:
            closed[_first_of(closed_on)] += 1
    months = sorted(set(searches) | set(opened) | set(closed))
    result = []
    for month in months:
        still_open = sum(
            1
            for opened_on, closed_on in gaps
            if _first_of(opened_on) <= month and (closed_on is None or _first_of(closed_on) > month)
        )
        total, missed = searches.get(month, [0, 0])
        result.append(Month(month, total, missed, opened[month], closed[month], still_open))
    return result


def month_of(day: date) -> date:
    return _first_of(day)
