"""The period a load's return covers: the 903 year, the census year, the Annex A window, a
partner extract's dates.

Indicators count only months some loaded return covers, so an episode or plan that began before
the data begins is known (a return lists what was open during its period, whenever it began)
rather than taken for the start of the data. A return does not always say its period; where it
does not, it is read from what a return holds: everything in it was open during the period, so
whatever ended, ended within it. A file that is several years of one return at once (the
synthetic place writes those) covers every collection year it shows something ending in.
"""

from datetime import date, timedelta
from pathlib import Path
from xml.etree.ElementTree import ParseError  # nosec B405  # types only; defusedxml parses

import pyarrow as pa
import pyarrow.compute as pc
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from placewise.store.stores import Period

# Annex A lists that hold only what began in the window (contacts, referrals, assessments,
# enquiries); the others list what was open in it, whenever it began.
ANNEX_A_BEGUN_IN_WINDOW = (
    "contact",
    "early_help_assessment",
    "referral",
    "assessment",
    "section_47",
)
# SSDA903 tables whose dated rows all fall in the year (reviews held in it).
SSDA903_IN_YEAR = ("cla_review",)


def year_start(day: date) -> date:
    """1 April of the collection year (April to March) the day falls in."""
    return date(day.year if day.month >= 4 else day.year - 1, 4, 1)


def year_end(day: date) -> date:
    """31 March ending the collection year the day falls in."""
    return date(day.year + 1 if day.month >= 4 else day.year, 3, 31)


def covered(file_format: str, events: pa.Table, path: Path | None = None) -> Period:
    """The period the file's events cover, by its format's rule."""
    starts = _dates(events, "start_date")
    ends = _dates(events, "end_date")
    every = starts + ends
    if not every:
        return Period(None, None)
    latest = max(every)
    if file_format == "ssda903":
        evidence = ends + _dates(events, "start_date", kinds=SSDA903_IN_YEAR)
        end = year_end(latest)
        return Period(year_start(min([*evidence, end])), end, lists_everything=True)
    if file_format == "cin_census":
        reference = census_reference_date(path) if path is not None else None
        end = reference or year_end(latest)
        ended = [year_start(min(ends))] if ends else []
        return Period(min([_census_year_start(end), *ended]), end, lists_everything=True)
    if file_format == "annex_a":
        evidence = ends + _dates(events, "start_date", kinds=ANNEX_A_BEGUN_IN_WINDOW)
        return Period(min([*evidence, latest]), latest, lists_everything=True)
    # A partner's extract: its events' own dates. Whether it lists everything that began in
    # them is the partner's to say, which no mapping yet does (stores.Period).
    return Period(min(starts) if starts else min(every), latest)


def _census_year_start(reference: date) -> date:
    """The day after the same date a year before the reference date."""
    try:
        return reference.replace(year=reference.year - 1) + timedelta(days=1)
    except ValueError:  # 29 February
        return date(reference.year - 1, 3, 1)


def _dates(events: pa.Table, column: str, kinds: tuple[str, ...] | None = None) -> list[date]:
    if events.num_rows == 0 or column not in events.column_names:
        return []
    values = events.column(column)
    if kinds is not None:
        values = pc.filter(values, pc.is_in(events.column("kind"), pa.array(kinds)))
    found = pc.drop_null(values)
    if len(found) == 0:
        return []
    low, high = pc.min(found).as_py(), pc.max(found).as_py()
    return [low, high] if low != high else [low]


def census_reference_date(path: Path) -> date | None:
    """The census's own reference date, from its header (read until the children begin)."""
    try:
        for event, element in iterparse(str(path), events=("start", "end"), forbid_dtd=True):
            name = element.tag.rsplit("}", 1)[-1]
            if event == "start" and name == "Children":
                return None
            if event == "end" and name == "ReferenceDate" and element.text:
                return date.fromisoformat(element.text.strip()[:10])
    except (ParseError, DefusedXmlException, ValueError, OSError):
        return None  # the reader has already refused a file it cannot read
    return None
