"""Opening CSV text the way councils' and partners' exports actually come: UTF-8 with or without a
byte-order mark, or Windows-1252 from older systems."""

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from placewise.sources.canonical import FileRejected

csv.field_size_limit(1024 * 1024)


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
    with open_text(path) as handle:
        try:
            return next(csv.reader(handle))
        except StopIteration:
            raise FileRejected("the file has no header row") from None
        except (csv.Error, UnicodeDecodeError) as error:
            raise FileRejected(f"not readable as CSV: {error}", row=1) from None


def rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(row number as a person counts it, cells) for every row after the header."""
    with open_text(path) as handle:
        reader = csv.reader(handle)
        try:
            next(reader)
            yield from enumerate(reader, start=2)
        except (csv.Error, UnicodeDecodeError) as error:
            raise FileRejected(f"not readable as CSV: {error}", row=reader.line_num) from None
