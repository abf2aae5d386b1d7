"""What a file is before it is read: its fingerprint, its mapping file, about how many rows it
holds, and which statutory return it looks like. Cheap looks at the bytes, kept apart from the
load itself (sources/actions.py)."""

import hashlib
from pathlib import Path

from placewise.sources import archive
from placewise.sources.canonical import FileRejected
from placewise.sources.readers import csvfile, ssda903


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def find_mapping_file(path: Path, given: Path | None) -> Path | None:
    """The mapping file given, or one beside the file with the same name and .toml."""
    if given is not None:
        return given
    beside = path.with_suffix(".toml")
    return beside if beside.exists() else None


def expected_rows(path: Path, format: str) -> int | None:
    """About how many rows a file holds, before it is read: a CSV's lines less its header
    (a quoted field may hold a line break, so this is an estimate). Other formats do not say."""
    if format not in {"ssda903", "partner"} or archive.unpacked_size(path) != path.stat().st_size:
        return None
    with path.open("rb") as handle:
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
    return max(lines - 1, 0)


def is_xml(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(512).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")
    except OSError:
        return False


def ssda903_table(path: Path) -> str | None:
    try:
        spec = ssda903.recognise(csvfile.read_header(path)) if path.is_file() else None
    except FileRejected:
        return None
    return spec.name if spec else None
