"""Opening CSV text the way councils' and partners' exports actually come: UTF-8 with or without a
byte-order mark, or Windows-1252 from older systems."""

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from placewise.sources.canonical import FileRejected
from placewise.sources.readers.limits import Limits, current

# The csv module's own cap on a field, under the cell limit each row is checked against: it stops
# a field's growth mid-row, before the row is whole and the cell's column can be named.
FIELD_BACKSTOP = 1024 * 1024


def open_text(path: Path) -> io.TextIOWrapper:
    with path.open("rb") as probe:
        head = probe.read(64 * 1024)
    if b"\x00" in head:
        raise FileRejected("this is a binary file, not CSV text")
    try:
        head.decode("utf-8-sig")
        encoding = "utf-8-sig"
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the probe's edge is still UTF-8.
        encoding = "utf-8-sig" if error.start > len(head) - 4 else "cp1252"
    return open(path, encoding=encoding, newline="", errors="strict")


def read_header(path: Path) -> list[str]:
    limits = current()
    with open_text(path) as handle:
        lines = _Lines(handle, limits.header_chars, what="header row")
        _cap_fields(limits)
        reader = csv.reader(lines)
        try:
            header = next(reader)
        except StopIteration:
            raise FileRejected("the file has no header row") from None
        except (csv.Error, UnicodeDecodeError) as error:
            raise _unreadable(error, reader.line_num, lines.row, limits) from None
    limits.check_text_row(1, header, header)
    return header


def rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(row number as a person counts it, cells) for every row after the header.

    The file is refused whole at the first row past a limit (readers/limits.py); no row is held
    longer than the limits allow a row to be, however the file is laid out.
    """
    limits = current()
    with open_text(path) as handle:
        lines = _Lines(handle, limits.row_chars, what="row")
        _cap_fields(limits)
        reader = csv.reader(lines)
        try:
            header: list[str] = next(reader, [])
            lines.next_row()
            for row, cells in enumerate(reader, start=2):
                limits.check_count(row - 1, row)
                limits.check_text_row(row, cells, header)
                yield row, cells
                lines.next_row()
        except (csv.Error, UnicodeDecodeError) as error:
            raise _unreadable(error, reader.line_num, lines.row, limits) from None


class _Lines:
    """A file's lines for csv.reader, refusing the file once one row's lines run past `most`
    characters: csv.reader holds a whole row before it yields it, so a row of millions of commas,
    or a quote never closed, would otherwise be held whole before any limit could be checked."""

    def __init__(self, handle: io.TextIOWrapper, most: int, *, what: str) -> None:
        self.handle = handle
        self.most = most
        self.what = what
        self.used = 0
        self.row = 1

    def __iter__(self) -> "_Lines":
        return self

    def __next__(self) -> str:
        # Never more than one character past what the row may still take.
        line = self.handle.readline(self.most - self.used + 1)
        if not line:
            raise StopIteration
        self.used += len(line)
        if self.used > self.most:
            raise FileRejected(
                f"the {self.what} is longer than {self.most:,} characters, longer than any "
                "within this place's limits of fields in a row (PLACEWISE_MAX_FIELDS) and "
                "characters in a cell (PLACEWISE_MAX_CELL_CHARS) can be; nothing was loaded",
                row=self.row,
            )
        return line

    def next_row(self) -> None:
        self.used = 0
        self.row += 1


def _cap_fields(limits: Limits) -> None:
    csv.field_size_limit(_field_cap(limits))


def _field_cap(limits: Limits) -> int:
    """Characters the csv module lets a field reach: never below the cell limit, so a cell just
    over it is still read whole, and refused with its column."""
    return max(FIELD_BACKSTOP, limits.cell_chars + 1)


def _unreadable(error: Exception, line: int, row: int, limits: Limits) -> FileRejected:
    """The csv module's complaint as a refusal: at the line where it broke, or the row whose cell
    ran past the csv module's own cap."""
    if "field larger than field limit" in str(error):
        return FileRejected(
            f"a cell is longer than {_field_cap(limits):,} "
            f"characters, over this place's limit of {limits.cell_chars:,} "
            "(PLACEWISE_MAX_CELL_CHARS), the most Excel itself allows in a cell; nothing was "
            "loaded",
            row=row,
        )
    return FileRejected(f"not readable as CSV: {error}", row=line)
