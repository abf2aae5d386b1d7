"""Partner CSVs (schools, health, police, surveys) described by a TOML mapping file.

The mapping names, for each canonical identity field, the partner's column; and for each kind of
event, the columns that date it. Example in docs/mapping-files.md.
"""

import json
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from placewise.sources.canonical import (
    IDENTITY_FIELDS,
    Event,
    FileRejected,
    IdentityRecord,
    Issue,
    Parsed,
)
from placewise.sources.identity_checks import IdentityChecks
from placewise.sources.readers import csvfile
from placewise.sources.values import (
    is_blank,
    normalise_header,
    parse_date,
    parse_number,
    parse_sex,
    text,
)

# Columns `placewise encode` writes in place of identifiers (see linkage/encode.py).
ENCODED_COLUMNS = ("sex", "month_of_birth", "postcode_sector", "encoded")
ENCODINGS = ("bloom-v1",)
EVENT_KEYS = {"kind", "start", "end", "code", "value", "team", "date_format", "when_present"}


@dataclass(frozen=True)
class EventMapping:
    kind: str
    start: str
    end: str | None = None
    code: str | None = None
    value: str | None = None
    team: str | None = None
    date_format: str | None = None
    when_present: str | None = None  # emit only when this column has a value (e.g. a count > 0)


@dataclass(frozen=True)
class Mapping:
    source: str
    organisation: str
    record_id: str
    identity: dict[str, str]
    date_format: str | None
    events: tuple[EventMapping, ...] = field(default_factory=tuple)
    encoding: str | None = None  # set when the agency encoded its identifiers itself
    title: str = ""  # the source's name as people say it ([source] title; sources.naming)

    def columns(self) -> set[str]:
        named = {self.record_id, *self.identity.values()}
        if self.encoding:
            named.update(ENCODED_COLUMNS)
        for e in self.events:
            named.update(c for c in (e.start, e.end, e.code, e.value, e.team, e.when_present) if c)
        return named


def load_mapping(path: Path) -> Mapping:
    """Read and check a mapping file; a mistake is a clear error naming the key."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise FileRejected(f"mapping file {path.name} is not valid TOML: {error}") from None
    source = data.get("source", {})
    identity = dict(data.get("identity", {}))
    for key in ("name", "organisation"):
        if not isinstance(source.get(key), str) or not source[key].strip():
            raise FileRejected(f"mapping file {path.name}: [source] needs '{key}'")
    record_id = identity.pop("record_id", None)
    if not isinstance(record_id, str):
        raise FileRejected(
            f"mapping file {path.name}: [identity] needs 'record_id', the partner's own record key"
        )
    date_format = identity.pop("date_format", None)
    encoding = source.get("encoding")
    title = source.get("title", "")
    if not isinstance(title, str):
        raise FileRejected(f"mapping file {path.name}: [source] title must be text")
    if encoding is not None and encoding not in ENCODINGS:
        raise FileRejected(
            f"mapping file {path.name}: encoding '{encoding}' is not one placewise reads "
            f"({', '.join(ENCODINGS)})"
        )
    if encoding and identity:
        raise FileRejected(
            f"mapping file {path.name}: an encoded file carries no clear identifiers, so "
            f"[identity] may only name record_id (found {', '.join(sorted(identity))})"
        )
    unknown = set(identity) - set(IDENTITY_FIELDS)
    if unknown:
        raise FileRejected(
            f"mapping file {path.name}: unknown identity field(s) "
            f"{', '.join(sorted(unknown))}; the fields are {', '.join(IDENTITY_FIELDS)}"
        )
    events = []
    for number, raw in enumerate(data.get("events", []), start=1):
        extra = set(raw) - EVENT_KEYS
        if extra or "kind" not in raw or "start" not in raw:
            raise FileRejected(
                f"mapping file {path.name}: event {number} needs 'kind' and 'start'"
                + (f"; unknown key(s) {', '.join(sorted(extra))}" if extra else "")
            )
        events.append(EventMapping(**raw))
    return Mapping(
        source["name"],
        source["organisation"],
        record_id,
        identity,
        date_format,
        tuple(events),
        encoding,
        title,
    )


def matches(mapping: Mapping, header: list[str]) -> bool:
    present = {normalise_header(h) for h in header}
    return normalise_header(mapping.record_id) in present


def read(path: Path, mapping: Mapping) -> Iterator[Parsed]:
    header = csvfile.read_header(path)
    position = _positions(header, mapping.columns())
    missing = sorted(c for c in mapping.columns() if normalise_header(c) not in position)
    if missing:
        raise FileRejected(
            f"column(s) named in the mapping are missing from the file: {', '.join(missing)}", row=1
        )
    unmapped = [h for h in header if h not in mapping.columns() and text(h)]
    found = csvfile.findings(header) + [
        Issue(f"column '{h}' is not in the mapping; ignored", 1, h, "warning", "column")
        for h in unmapped
    ]
    if found:
        yield Parsed(1, issues=found, is_row=False)

    # Each named column's position, worked out once rather than on every cell of every row.
    index = {column: position[normalise_header(column)] for column in mapping.columns()}

    def at(cells: list[str], column: str | None) -> str | None:
        return cells[index[column]] if column else None

    checks = IdentityChecks()
    # The file's own name for each identity field, for findings about the field as a whole.
    columns = {name: column for name, column in mapping.identity.items()}
    for row, cells in csvfile.rows(path):
        if not any(c.strip() for c in cells):
            continue
        issues: list[Issue] = list(csvfile.findings(cells))
        if len(cells) != len(header):
            issues.append(
                Issue(
                    f"row has {len(cells)} fields but the header has {len(header)}",
                    row,
                    None,
                    "error",
                    "width",
                )
            )
            yield Parsed(row, issues=issues)
            continue
        record_id = text(at(cells, mapping.record_id))
        if record_id is None:
            issues.append(
                Issue("no record identifier", row, mapping.record_id, "error", "required")
            )
            # The row is lost either way, but its other problems are listed too, so that the
            # person fixing the file fixes the row once (issue 15).
            _check_event_dates(mapping, row, partial(at, cells), issues)
            yield Parsed(row, issues=issues)
            continue
        if mapping.encoding:
            identity = _encoded_identity(mapping, record_id, row, cells, position, issues)
        else:
            identity = _identity(mapping, record_id, row, partial(at, cells), checks, issues)
        parsed = Parsed(row, identity, issues=issues)
        for spec in mapping.events:
            if spec.when_present and not _present(at(cells, spec.when_present)):
                continue
            fmt = spec.date_format or mapping.date_format
            start = parse_date(
                at(cells, spec.start), row=row, column=spec.start, issues=issues, fmt=fmt
            )
            end = parse_date(
                at(cells, spec.end), row=row, column=spec.end or "", issues=issues, fmt=fmt
            )
            if start is None:
                if is_blank(at(cells, spec.start)):  # an unreadable date is already reported
                    issues.append(
                        Issue(
                            f"{spec.kind.replace('_', ' ')} has no date",
                            row,
                            spec.start,
                            "error",
                            "required",
                        )
                    )
                continue
            if end is not None and end < start:
                issues.append(Issue("ends before it starts", row, spec.end, "error", "order"))
                continue
            value = parse_number(
                at(cells, spec.value), row=row, column=spec.value or "", issues=issues
            )
            parsed.events.append(
                Event(
                    mapping.source,
                    record_id,
                    spec.kind,
                    start,
                    end,
                    text(at(cells, spec.code)),
                    value,
                    text(at(cells, spec.team)),
                    {"origin": "partner"},
                )
            )
        if not mapping.encoding:
            checks.whole(identity, parsed.events, row=row, columns=columns, issues=issues)
        yield parsed


def _positions(header: list[str], named: set[str]) -> dict[str, int]:
    """Each header's position by its normalised name; refused when a column the mapping names
    appears twice, since either could be the one meant."""
    position: dict[str, int] = {}
    wanted = {normalise_header(c) for c in named}
    for i, h in enumerate(header):
        key = normalise_header(h)
        if key in position and key in wanted:
            raise FileRejected(
                f"columns {csvfile.letter(position[key])} ('{header[position[key]]}') and "
                f"{csvfile.letter(i)} ('{h}') both read as '{key}': the mapping cannot tell "
                "which is meant; remove or rename one",
                row=1,
            )
        position.setdefault(key, i)
    return position


def _identity(
    mapping: Mapping,
    record_id: str,
    row: int,
    at: Callable[[str | None], str | None],
    checks: IdentityChecks,
    issues: list[Issue],
) -> IdentityRecord:
    """A row's clear identity: values that fail their checks are kept as written, with a
    warning (identity_checks.py)."""
    ident = mapping.identity

    def column(name: str) -> str:
        return ident.get(name, "")

    born, as_written = checks.birth_date(
        at(ident.get("date_of_birth")),
        record_id=record_id,
        row=row,
        column=column("date_of_birth"),
        issues=issues,
        fmt=mapping.date_format,
    )
    checked = {
        name: check(
            at(ident.get(name)), record_id=record_id, row=row, column=column(name), issues=issues
        )
        for name, check in (
            ("postcode", checks.postcode),
            ("nhs_number", checks.nhs_number),
            ("upn", checks.upn),
        )
    }
    return IdentityRecord(
        mapping.source,
        record_id,
        given_name=text(at(ident.get("given_name"))),
        family_name=text(at(ident.get("family_name"))),
        date_of_birth=born,
        date_of_birth_as_written=as_written,
        sex=parse_sex(at(ident.get("sex"))),
        postcode=checked["postcode"],
        address=text(at(ident.get("address"))),
        nhs_number=checked["nhs_number"],
        upn=checked["upn"],
    )


def _encoded_identity(
    mapping: Mapping,
    record_id: str,
    row: int,
    cells: list[str],
    position: dict[str, int],
    issues: list[Issue],
) -> IdentityRecord:
    def at(column: str) -> str | None:
        return cells[position[normalise_header(column)]]

    encoded = text(at("encoded"))
    if encoded is not None:
        try:
            version = json.loads(encoded).get("v")
        except (ValueError, AttributeError):
            version = None
        if version != mapping.encoding:
            issues.append(
                Issue(
                    f"not an encoding made by placewise encode ({mapping.encoding})",
                    row,
                    "encoded",
                    "error",
                    "encoding",
                )
            )
    month = parse_date(at("month_of_birth"), row=row, column="month_of_birth", issues=issues)
    return IdentityRecord(
        mapping.source,
        record_id,
        sex=parse_sex(at("sex")),
        encoded=encoded,
        month_of_birth=month.replace(day=1) if month else None,
        postcode_sector=text(at("postcode_sector")),
    )


def _present(value: str | None) -> bool:
    raw = text(value)
    return raw is not None and raw not in {"0", "0.0", "N", "No", "FALSE", "false"}


def _check_event_dates(
    mapping: Mapping, row: int, cell: Callable[[str | None], str | None], issues: list[Issue]
) -> None:
    """Report the row's unreadable event dates (parse_date records each), keeping nothing."""
    for spec in mapping.events:
        fmt = spec.date_format or mapping.date_format
        parse_date(cell(spec.start), row=row, column=spec.start, issues=issues, fmt=fmt)
        parse_date(cell(spec.end), row=row, column=spec.end or "", issues=issues, fmt=fmt)
