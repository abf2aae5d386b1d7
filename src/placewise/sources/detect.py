"""Recognising a file by its content: never by its name or extension."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from placewise.sources import archive
from placewise.sources.canonical import FileRejected, Parsed
from placewise.sources.readers import annex_a, cin_census, csvfile, partner, ssda903
from placewise.sources.readers.spec import COUNCIL_TITLE


@dataclass(frozen=True)
class Recognised:
    format: str  # annex_a | ssda903 | cin_census | partner
    detail: str  # e.g. "List 3", "episodes", the partner source name
    source: str
    organisation: str | None
    read: Callable[[], Iterator[Parsed]]
    title: str = ""  # the source's name as people say it, if the file says (sources.naming)


def recognise(
    path: Path,
    *,
    council_source: str,
    council_organisation: str,
    mapping: partner.Mapping | None,
    max_bytes: int,
) -> Recognised:
    size = path.stat().st_size
    if size == 0:
        raise FileRejected("the file is empty (0 bytes)")
    if size > max_bytes:
        raise FileRejected(
            f"the file is {size:,} bytes, over this place's limit of {max_bytes:,} "
            "(PLACEWISE_MAX_UPLOAD_BYTES)"
        )
    with path.open("rb") as handle:
        head = handle.read(4096)
    if head.startswith(b"PK\x03\x04"):
        # Before openpyxl opens it: a workbook that unpacks to gigabytes is refused from its
        # directory alone.
        archive.check_workbook(path, archive.limits())
        return Recognised(
            "annex_a",
            "workbook",
            council_source,
            council_organisation,
            lambda: annex_a.read_xlsx(path, council_source),
            COUNCIL_TITLE,
        )
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRejected("an old-style .xls workbook: save it as .xlsx and load it again")
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"<"):
        return Recognised(
            "cin_census",
            "census",
            council_source,
            council_organisation,
            lambda: cin_census.read(path, council_source),
            COUNCIL_TITLE,
        )
    header = csvfile.read_header(path)
    table = ssda903.recognise(header)
    if table is not None:
        return Recognised(
            "ssda903",
            table.name,
            council_source,
            council_organisation,
            lambda: ssda903.read(path, council_source, table),
            COUNCIL_TITLE,
        )
    if mapping is not None and partner.matches(mapping, header):
        return Recognised(
            "partner",
            mapping.source,
            mapping.source,
            mapping.organisation,
            lambda: partner.read(path, mapping),
            mapping.title,
        )
    listed = annex_a.recognise(header)
    if listed is not None:
        return Recognised(
            "annex_a",
            listed.name,
            council_source,
            council_organisation,
            lambda: annex_a.read_csv(path, council_source, listed),
            COUNCIL_TITLE,
        )
    shown = ", ".join(header[:8]) + (" …" if len(header) > 8 else "")
    hint = (
        f"its record-id column '{mapping.record_id}' is not in it"
        if mapping
        else "no mapping file was given"
    )
    raise FileRejected(
        f"not a recognised format: the header ({shown}) matches no SSDA903 table or "
        f"Annex A list, and as a partner file {hint}",
        row=1,
    )
