"""Turning cell values into typed values by rule, recording why when a value cannot be used.

Real returns carry '#N/A', formulas, free text where codes are expected and dates in several
layouts. Each function returns the clean value (or None) and appends an Issue when it had to
decide something a person should know about.
"""

import re
from collections.abc import Iterable
from datetime import date, datetime

from placewise.sources.canonical import Issue

_BLANKS = {"", "#n/a", "n/a", "na", "null", "none", "-", "#value!", "#ref!"}
_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y", "%Y/%m/%d")
_PREFIX = re.compile(r"^\s*[a-z]{1,2}\)\s*", re.IGNORECASE)
EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 1, 1)


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip().lower() in _BLANKS)


def text(value: object) -> str | None:
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_date(
    value: object,
    *,
    row: int,
    column: str,
    issues: list[Issue],
    fmt: str | None = None,
    sensitive: bool = False,
) -> date | None:
    """A date from a cell, or None. Impossible or unreadable dates are errors."""
    if is_blank(value):
        return None
    shown = "" if sensitive else f" '{value}'"
    if isinstance(value, datetime):
        result = value.date()
    elif isinstance(value, date):
        result = value
    elif isinstance(value, str) and value.strip().startswith("="):
        issues.append(
            Issue(
                f"formula{shown} where a date is expected; not evaluated, left blank",
                row,
                column,
                "warning",
                "formula",
            )
        )
        return None
    else:
        raw = str(value).strip()
        # Some systems export datetimes: keep the date part.
        raw = raw.split(" ")[0].split("T")[0]
        formats = (fmt,) if fmt else _DATE_FORMATS
        parsed = None
        for candidate in formats:
            try:
                parsed = datetime.strptime(raw, candidate).date()
                break
            except ValueError:
                continue
        if parsed is None:
            issues.append(Issue(f"not a real date{shown}", row, column, "error", "date"))
            return None
        result = parsed
    if not EARLIEST <= result < LATEST:
        issues.append(
            Issue(f"impossible date{shown}: outside 1900–2099", row, column, "error", "date")
        )
        return None
    return result


def parse_code(
    value: object,
    allowed: Iterable[str],
    *,
    row: int,
    column: str,
    issues: list[Issue],
) -> str | None:
    """A code from a list, tolerating Annex A's 'a) ' prefixes and trailing descriptions.

    Free text that is not a code is kept out (None) with a warning: the row still loads.
    """
    raw = text(value)
    if raw is None:
        return None
    if raw.startswith("="):
        issues.append(
            Issue(
                f"formula '{raw}' where a code is expected; left blank",
                row,
                column,
                "warning",
                "formula",
            )
        )
        return None
    allowed_set = {a.upper() for a in allowed}
    candidate = _PREFIX.sub("", raw).strip()
    head = re.split(r"[\s:\-–]+", candidate, maxsplit=1)[0].upper()
    for option in (candidate.upper(), head):
        if option in allowed_set:
            return option
    issues.append(
        Issue(
            f"'{raw}' is not one of the codes for this column; left blank",
            row,
            column,
            "warning",
            "code",
        )
    )
    return None


def parse_yes_no(value: object, *, row: int, column: str, issues: list[Issue]) -> bool | None:
    raw = text(value)
    if raw is None:
        return None
    key = _PREFIX.sub("", raw).strip().lower()
    if key in {"y", "yes", "true", "1"}:
        return True
    if key in {"n", "no", "false", "0"}:
        return False
    issues.append(Issue(f"'{raw}' is not yes or no; left blank", row, column, "warning", "yes_no"))
    return None


def parse_number(value: object, *, row: int, column: str, issues: list[Issue]) -> float | None:
    raw = text(value)
    if raw is None:
        return None
    try:
        return float(raw)
    except ValueError:
        issues.append(Issue(f"'{raw}' is not a number", row, column, "error", "number"))
        return None


def parse_sex(value: object) -> str | None:
    """M, F or U from the many ways returns record sex and gender."""
    raw = text(value)
    if raw is None:
        return None
    key = _PREFIX.sub("", raw).strip().lower()
    if key in {"1", "m", "male", "boy"}:
        return "M"
    if key in {"2", "f", "female", "girl"}:
        return "F"
    return "U"


def normalise_header(name: object) -> str:
    """Header text with case, quotes, brackets and spacing folded, for tolerant matching."""
    raw = "" if name is None else str(name)
    raw = (
        raw.replace("\u2018", "'")
        .replace("\u2019", "'")
        .replace("\u201c", '"')
        .replace("\u201d", '"')
    )
    return re.sub(r"[^a-z0-9]+", " ", raw.lower()).strip()


_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$")


def normalise_postcode(value: str | None) -> str | None:
    """A UK postcode in its standard spacing ('NS4 7AB'), or None when it is not one."""
    if not value:
        return None
    compact = re.sub(r"\s+", "", value.upper())
    if not _POSTCODE.match(compact):
        return None
    return f"{compact[:-3]} {compact[-3:]}"


def postcode_sector(value: str | None) -> str | None:
    """The postcode sector ('NS4 7'): what leaves the enclave instead of a full postcode."""
    full = normalise_postcode(value)
    return full[:-2] if full else None
