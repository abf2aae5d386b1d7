"""Cells for the CSV and XLSX files placewise writes, made safe to open in a spreadsheet.

Text that came from a file or a form (a team's name, a reason, what was said in a review) can
begin with `=`, `+`, `-` or `@`, which Excel and LibreOffice run as a formula when the file is
opened (`=HYPERLINK(...)` sends data away, `=cmd|...` once ran programs). Following OWASP's advice
on CSV injection, such text is written with a leading apostrophe, which spreadsheets show as text
and never evaluate; a tab or carriage return at the start is treated the same, since some
spreadsheets skip it and read the formula after it. Numbers, and text that is just a number
(`-3`, `-0.25`), are left alone: a negative count or change must stay a number.
"""

import re
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def cell(value: object) -> object:
    """The value as a spreadsheet should receive it: formula-like text neutralised."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.match(value):
        return "'" + value
    return value


def row(values: Iterable[object]) -> list[object]:
    """A row of cells, each through `cell`."""
    return [cell(v) for v in values]
