"""How many rows a file may have, fields a row, and characters a cell, before it is refused whole.

Each bound is checked as the rows go by, in the one pass the reader makes anyway, so a file past one
is refused at the first row over it, with its row and column, and nothing from it is loaded.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from openpyxl.utils import get_column_letter

from placewise.sources.canonical import FileRejected

# No header names a column in more characters than this: a header row longer than this many per
# column allowed is not a header, and it is read in the server's own process, before the bounded
# child (sources/worker.py), so it is cut off there.
HEADER_CHARS_PER_FIELD = 256


@dataclass(frozen=True)
class Limits:
    rows: int
    fields: int
    cell_chars: int

    @property
    def row_chars(self) -> int:
        """The most characters a CSV row within the limits can take: every field at its longest,
        every character a doubled quote, between quotes and with its delimiter."""
        return self.fields * (2 * self.cell_chars + 3)

    @property
    def header_chars(self) -> int:
        return self.fields * HEADER_CHARS_PER_FIELD

    def check_count(self, counted: int, row: int) -> None:
        """Refuse the file at the first row past the limit (`counted` rows after the header)."""
        if counted > self.rows:
            raise FileRejected(
                f"the file has more than this place's limit of {self.rows:,} rows "
                "(PLACEWISE_MAX_ROWS); nothing was loaded. Split it into smaller files, or ask "
                "your administrator to raise the limit",
                row=row,
            )

    def check_text_row(self, row: int, cells: list[str], header: Sequence[object]) -> None:
        """Fields and cell lengths of a CSV row (every cell a string)."""
        if len(cells) > self.fields:
            self._too_wide(row, _last_filled(cells))
        if cells and max(map(len, cells)) > self.cell_chars:
            position = next(i for i, c in enumerate(cells) if len(c) > self.cell_chars)
            self._too_long(row, len(cells[position]), _column(header, position))

    def check_sheet_row(self, row: int, cells: Sequence[object], header: Sequence[object]) -> None:
        """Fields and cell lengths of a worksheet row (numbers, dates and text)."""
        if len(cells) > self.fields:
            self._too_wide(row, _last_filled(cells))
        for position, cell in enumerate(cells):
            if isinstance(cell, str) and len(cell) > self.cell_chars:
                self._too_long(row, len(cell), _column(header, position))

    def _too_wide(self, row: int, count: int) -> None:
        # openpyxl pads a sheet's rows to its widest, and exports leave trailing commas: only
        # fields up to the last one filled in count.
        if count > self.fields:
            raise FileRejected(
                f"the row has {count:,} fields, over this place's limit of {self.fields:,} "
                "(PLACEWISE_MAX_FIELDS): a row with that many is a malformed file; nothing was "
                "loaded",
                row=row,
            )

    def _too_long(self, row: int, length: int, column: str) -> None:
        raise FileRejected(
            f"the cell is {length:,} characters long, over this place's limit of "
            f"{self.cell_chars:,} (PLACEWISE_MAX_CELL_CHARS), the most Excel itself allows in a "
            "cell; nothing was loaded",
            row=row,
            column=column,
        )


def current() -> Limits:
    return Limits(
        settings.PLACEWISE_MAX_ROWS,
        settings.PLACEWISE_MAX_FIELDS,
        settings.PLACEWISE_MAX_CELL_CHARS,
    )


def _last_filled(cells: Sequence[object]) -> int:
    for position in range(len(cells) - 1, -1, -1):
        if cells[position] is not None and cells[position] != "":
            return position + 1
    return 0


def _column(header: Sequence[object], position: int) -> str:
    """The column's name in the header, or its letter as a spreadsheet shows it."""
    raw = header[position] if position < len(header) else None
    name = "" if raw is None else str(raw).strip()
    if name:
        return name if len(name) <= 80 else name[:79] + "…"
    # Past column XFD, Excel's last, there is no letter to give.
    return get_column_letter(position + 1) if position < 16384 else f"field {position + 1:,}"
