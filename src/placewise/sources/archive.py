"""Checking a workbook's zip archive from its directory, before anything in it is unpacked.

An outside tester's 2.6 MB workbook held a shared-strings part that unpacked to 1 GiB, and opening
it took the server past 4 GB. The archive's directory says how big each part unpacks to, and that
can be read without unpacking anything. The declared sizes can be trusted as a ceiling: Python's
zipfile, which openpyxl reads through, stops each part at its declared size, so a part that lies
about it is only cut short (and then fails its checksum).
"""

import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from placewise.sources.canonical import FileRejected

# The end-of-directory record: its signature, and where in it the count of parts sits.
_END = b"PK\x05\x06"
_END_SIZE = 22
_COUNT_AT = 10
_MOST_COMMENT = 65535
# A part smaller than this cannot exhaust anything however well it compresses, and small parts
# of real workbooks (an empty sheet, say) compress well for their size (Apache POI's grace, too).
_RATIO_GRACE_BYTES = 100 * 1024


@dataclass(frozen=True)
class Limits:
    uncompressed_bytes: int
    ratio: float
    members: int


def limits() -> Limits:
    return Limits(
        settings.PLACEWISE_MAX_UNCOMPRESSED_BYTES,
        settings.PLACEWISE_MAX_COMPRESSION_RATIO,
        settings.PLACEWISE_MAX_ARCHIVE_MEMBERS,
    )


def check_workbook(path: Path, bounds: Limits) -> None:
    """FileRejected, naming the limit and its setting, for an archive that would unpack past the
    bounds or is not an Excel workbook at all."""
    declared = _declared_members(path)
    if declared > bounds.members:
        raise FileRejected(_too_many(declared, bounds, at_least=declared >= 0xFFFF))
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileRejected("looks like a zip archive but is damaged") from None
    if len(parts) > bounds.members:
        raise FileRejected(_too_many(len(parts), bounds, at_least=False))
    if not any(p.filename == "xl/workbook.xml" for p in parts):
        raise FileRejected("a zip archive, but not an Excel workbook (.xlsx)")
    total = sum(p.file_size for p in parts)
    if total > bounds.uncompressed_bytes:
        raise FileRejected(
            f"the workbook would unpack to {total:,} bytes, over this place's limit of "
            f"{bounds.uncompressed_bytes:,} (PLACEWISE_MAX_UNCOMPRESSED_BYTES); nothing in it was "
            "read. Split it into smaller workbooks, or ask your administrator to raise the limit"
        )
    for part in parts:
        if part.file_size <= _RATIO_GRACE_BYTES:
            continue
        ratio = part.file_size / part.compress_size if part.compress_size else float("inf")
        if ratio > bounds.ratio:
            raise FileRejected(
                f"the workbook's part {part.filename} would unpack to {part.file_size:,} bytes "
                f"from {part.compress_size:,}, {ratio:,.0f} times its size, over this place's "
                f"limit of {bounds.ratio:g} times (PLACEWISE_MAX_COMPRESSION_RATIO): Annex A "
                "workbooks unpack to about 10 times their size, so this one was not read"
            )


def _declared_members(path: Path) -> int:
    """The count of parts the end-of-directory record declares, read before zipfile builds an
    entry for each (millions of tiny parts would take the server's memory doing that)."""
    with path.open("rb") as handle:
        handle.seek(0, 2)
        size = handle.tell()
        handle.seek(max(0, size - _END_SIZE - _MOST_COMMENT))
        tail = handle.read()
    at = tail.rfind(_END)
    if at < 0 or len(tail) - at < _END_SIZE:
        raise FileRejected("looks like a zip archive but is damaged")
    (count,) = struct.unpack_from("<H", tail, at + _COUNT_AT)
    return int(count)


def _too_many(count: int, bounds: Limits, *, at_least: bool) -> str:
    # 65,535 in the record means "this many or more" (the true count is then in a zip64 record).
    shown = f"at least {count:,}" if at_least else f"{count:,}"
    return (
        f"the workbook is made of {shown} parts, over this place's limit of {bounds.members:,} "
        "(PLACEWISE_MAX_ARCHIVE_MEMBERS); nothing in it was read"
    )


def unpacked_size(path: Path) -> int:
    """What reading the file takes in: a workbook's parts as they unpack, else the file's bytes
    (call after `check_workbook` has accepted a workbook)."""
    # As detect.py decides: by the first bytes. zipfile.is_zipfile looks for an end record
    # anywhere near the end, which a CSV can carry by chance ("PK\x05\x06" in a cell).
    with path.open("rb") as handle:
        workbook = handle.read(4) == b"PK\x03\x04"
    if workbook:
        with zipfile.ZipFile(path) as archive:
            return sum(p.file_size for p in archive.infolist())
    return path.stat().st_size
