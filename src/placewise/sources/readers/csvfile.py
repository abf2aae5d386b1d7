"""Opening CSV text the way councils' and partners' exports actually come: UTF-8 with or without a
byte-order mark, or Windows-1252 from older systems.

The encoding is decided by the bytes present in the whole file, not its first part: a file with any
UTF-8 character beyond ASCII is UTF-8, and a byte in it that is not UTF-8 (one accented letter
pasted from an older Windows program) is read as Windows-1252 in its own cell only, with a warning
naming its row and column. Re-reading the whole file as Windows-1252 would turn every other
accented name into mojibake ("Zoë" into "ZoÃ«") without a word. Only a file with no UTF-8 beyond
ASCII at all is read as Windows-1252 throughout.
"""

import codecs
import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from openpyxl.utils import get_column_letter

from placewise.sources.canonical import FileRejected, Issue
from placewise.sources.readers.limits import Limits, current

# The csv module's own cap on a field, under the cell limit each row is checked against: it stops
# a field's growth mid-row, before the row is whole and the cell's column can be named.
FIELD_BACKSTOP = 1024 * 1024


# Bytes that are not UTF-8 come through decoding as lone surrogates (errors="surrogateescape").
_STRAY = re.compile("[\udc80-\udcff]")
_BEYOND_ASCII = re.compile("[^\x00-\x7f\udc80-\udcff]")
_SCAN_CHUNK = 1024 * 1024


class Cells(list[str]):
    """One row's cells, with the warnings reading them raised (a byte that is not UTF-8)."""

    def __init__(self, cells: Iterable[str], found: Iterable[Issue] = ()) -> None:
        super().__init__(cells)
        self.found = list(found)


def findings(cells: Sequence[object]) -> list[Issue]:
    """The warnings reading this row's cells raised, if they came from a CSV file."""
    return list(cells.found) if isinstance(cells, Cells) else []


def letter(position: int) -> str:
    """A column's letter as a spreadsheet shows it (0 is A), with its position past Excel's last."""
    return get_column_letter(position + 1) if position < 16384 else f"field {position + 1:,}"


def open_text(path: Path) -> io.TextIOWrapper:
    encoding = _encoding(path)
    errors = "surrogateescape" if encoding == "utf-8-sig" else "strict"
    return open(path, encoding=encoding, newline="", errors=errors)


def _encoding(path: Path) -> str:
    """UTF-8 unless the file has bytes that are not UTF-8 and no UTF-8 character beyond ASCII."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="surrogateescape")
    stray = False
    with path.open("rb") as handle:
        head = handle.read(64 * 1024)
        if b"\x00" in head:
            raise FileRejected("this is a binary file, not CSV text")
        chunk = head
        while chunk:
            pending = decoder.getstate()[0]
            if not pending and chunk.isascii():  # most of most files: nothing to decide
                chunk = handle.read(_SCAN_CHUNK)
                continue
            decoded = decoder.decode(chunk)
            if not decoded.isascii():
                if _BEYOND_ASCII.search(decoded):
                    return "utf-8-sig"
                stray = True
            chunk = handle.read(_SCAN_CHUNK)
        stray = stray or bool(_STRAY.search(decoder.decode(b"", final=True)))
    return "cp1252" if stray else "utf-8-sig"


def read_header(path: Path) -> list[str]:
    limits = current()
    with open_text(path) as handle:
        lines = _Lines(handle, limits.header_chars, what="header row")
        _cap_fields(limits)
        reader = csv.reader(lines)
        try:
            header = _mended(next(reader), 1, [], lines)
        except StopIteration:
            raise FileRejected("the file has no header row") from None
        except (csv.Error, UnicodeDecodeError) as error:
            raise _unreadable(error, reader.line_num, lines.row, limits) from None
    limits.check_text_row(1, header, header)
    return header


def rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(row number as a person counts it, cells) for every row after the header; the cells are
    `Cells`, carrying any warning about a byte that is not UTF-8 (see `findings`).

    The file is refused whole at the first row past a limit (readers/limits.py); no row is held
    longer than the limits allow a row to be, however the file is laid out.
    """
    limits = current()
    with open_text(path) as handle:
        lines = _Lines(handle, limits.row_chars, what="row")
        _cap_fields(limits)
        reader = csv.reader(lines)
        try:
            header: list[str] = _mended(next(reader, []), 1, [], lines)
            lines.next_row()
            for row, cells in enumerate(reader, start=2):
                limits.check_count(row - 1, row)
                limits.check_text_row(row, cells, header)
                yield row, _mended(cells, row, header, lines)
                lines.next_row()
        except (csv.Error, UnicodeDecodeError) as error:
            raise _unreadable(error, reader.line_num, lines.row, limits) from None


def _mended(cells: list[str], row: int, header: Sequence[str], lines: "_Lines") -> list[str]:
    """The row's cells with each byte that is not UTF-8 read as Windows-1252, as `Cells` with a
    warning for each cell that had one."""
    if not lines.stray:
        return cells
    found = []
    mended = []
    for position, cell in enumerate(cells):
        if _STRAY.search(cell):
            cell = _STRAY.sub(_as_cp1252, cell)
            name = header[position].strip() if position < len(header) else ""
            found.append(
                Issue(
                    "a character here is not UTF-8 like the rest of the file; read as "
                    "Windows-1252, check it is right",
                    row,
                    name or letter(position),
                    "warning",
                    "encoding",
                )
            )
        mended.append(cell)
    return Cells(mended, found)


def _as_cp1252(match: re.Match[str]) -> str:
    byte = bytes([ord(match.group()) - 0xDC00])
    # Five bytes mean nothing in Windows-1252 either: the replacement character says so.
    return byte.decode("cp1252", errors="replace")


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
        self.stray = False  # a line of this row has a byte that is not UTF-8

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
        if not self.stray and not line.isascii() and _STRAY.search(line):
            self.stray = True
        return line

    def next_row(self) -> None:
        self.used = 0
        self.row += 1
        self.stray = False


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
