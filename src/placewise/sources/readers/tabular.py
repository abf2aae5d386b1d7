"""Reading rows of a statutory table (Annex A list, SSDA903 table) into canonical records.

The same engine serves xlsx and CSV: a reader supplies the header and the rows as lists of cells.
"""

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from placewise.sources import codes
from placewise.sources.canonical import Event, FileRejected, IdentityRecord, Issue, Parsed
from placewise.sources.identity_checks import IdentityChecks
from placewise.sources.readers import csvfile
from placewise.sources.readers.spec import Column, Kind, TableSpec
from placewise.sources.values import (
    normalise_header,
    parse_code,
    parse_date,
    parse_number,
    parse_sex,
    parse_yes_no,
    postcode_sector,
    text,
)

# Columns whose values identify a person: never echoed back in an issue message.
SENSITIVE_KEYS = {
    "dob",
    "child_id",
    "upn",
    "adopter_id",
    "postcode",
    "placement_postcode",
    "home_post",
    "pl_post",
}
# Postcodes outside the enclave are cut to the sector; worker and adviser names are not analytic.
POSTCODE_KEYS = {"placement_postcode", "home_post", "pl_post"}
DROPPED_KEYS = {"worker", "advisor"}


def header_index(spec: TableSpec, header: Sequence[object]) -> dict[str, int]:
    """Map each spec column key to its position in the header, tolerating drift."""
    wanted: dict[str, Column] = {}
    for column in spec.columns:
        for name in (column.header, *column.aliases):
            wanted.setdefault(normalise_header(name), column)
    index: dict[str, int] = {}
    for position, cell in enumerate(header):
        found = wanted.get(normalise_header(cell))
        if found is not None and found.key not in index:
            index[found.key] = position
    return index


def match_score(spec: TableSpec, header: Sequence[object]) -> float:
    """Share of the spec's columns found in the header (used to recognise a table)."""
    found = header_index(spec, header)
    required = [c.key for c in spec.columns if c.required]
    if any(key not in found for key in required):
        return 0.0
    return len(found) / len(spec.columns)


def check_header(spec: TableSpec, header: Sequence[object]) -> tuple[dict[str, int], list[Issue]]:
    """The column index, or FileRejected naming the required columns that are missing, or two
    columns that both read as one of the table's (either could be the one meant)."""
    index = header_index(spec, header)
    for position, cell in enumerate(header):
        column = _column_of(spec, cell)
        if column is not None and index.get(column.key, position) != position:
            first = index[column.key]
            raise FileRejected(
                f"{spec.name}: columns {csvfile.letter(first)} ('{header[first]}') and "
                f"{csvfile.letter(position)} ('{cell}') both read as '{column.header}': which "
                "is meant cannot be told; remove or rename one",
                row=1,
            )
    missing = [c.header for c in spec.columns if c.required and c.key not in index]
    if missing:
        raise FileRejected(f"{spec.name}: required column(s) missing: {', '.join(missing)}", row=1)
    known = set(index.values())
    issues = [
        Issue(
            f"column '{cell}' is not part of {spec.name}; ignored",
            1,
            str(cell),
            "warning",
            "column",
        )
        for position, cell in enumerate(header)
        if position not in known and text(cell) is not None
    ]
    return index, issues


def parse_rows(
    spec: TableSpec,
    source: str,
    index: dict[str, int],
    rows: Iterable[tuple[int, Sequence[Any]]],
    width: int,
    *,
    strict_width: bool,
    origin: str,
) -> Iterator[Parsed]:
    """Canonical records for each row. Rows of the wrong width are errors when strict_width."""
    by_key = {c.key: c for c in spec.columns}
    checks = IdentityChecks()
    for row_number, cells in rows:
        if all(text(c) is None for c in cells):
            continue
        issues: list[Issue] = csvfile.findings(cells)
        if strict_width and len(cells) != width:
            issues.append(
                Issue(
                    f"row has {len(cells)} fields but the header has {width}",
                    row_number,
                    None,
                    "error",
                    "width",
                )
            )
            yield Parsed(row_number, issues=issues)
            continue
        values = {
            key: _cell(by_key[key], cells, position, row_number, issues)
            for key, position in index.items()
            if key != "dob"
        }
        parsed = _records(spec, source, values, row_number, issues, origin)
        child = values.get(spec.child_id)
        if child is not None:
            _check_identity(spec, parsed, str(child), cells, index, checks)
        yield parsed


def _check_identity(
    spec: TableSpec,
    parsed: Parsed,
    record_id: str,
    cells: Sequence[Any],
    index: dict[str, int],
    checks: IdentityChecks,
) -> None:
    """The date of birth as identity evidence: one that is not a real date is kept as written with
    a warning, not an error; one in the future, or two under one child, is a warning too. Work
    before birth is real in these returns (unborn children), so the events are not compared."""
    identity = parsed.identity
    label = _header(spec, "dob")
    if "dob" in index:
        raw = cells[index["dob"]] if index["dob"] < len(cells) else None
        born, as_written = checks.birth_date(
            raw, record_id=record_id, row=parsed.row, column=label, issues=parsed.issues
        )
        if identity is not None:
            identity.date_of_birth, identity.date_of_birth_as_written = born, as_written
    if identity is not None:
        checks.whole(
            identity, (), row=parsed.row, columns={"date_of_birth": label}, issues=parsed.issues
        )


def _column_of(spec: TableSpec, cell: object) -> Column | None:
    name = normalise_header(cell)
    return next(
        (c for c in spec.columns if name in {normalise_header(h) for h in (c.header, *c.aliases)}),
        None,
    )


def _cell(
    column: Column, cells: Sequence[Any], position: int, row: int, issues: list[Issue]
) -> Any:
    raw = cells[position] if position < len(cells) else None
    key = column.key
    label = column.header
    if column.kind == Kind.DATE:
        return parse_date(
            raw, row=row, column=label, issues=issues, sensitive=key in SENSITIVE_KEYS
        )
    if column.kind == Kind.CODE:
        if column.codes == codes.CATEGORY_OF_ABUSE and text(raw):
            word = str(text(raw)).split(")")[-1].strip().upper()
            raw = codes.CATEGORY_OF_ABUSE_WORDS.get(word, raw)
        return parse_code(raw, column.codes, row=row, column=label, issues=issues)
    if column.kind == Kind.YES_NO:
        return parse_yes_no(raw, row=row, column=label, issues=issues)
    if column.kind == Kind.NUMBER:
        return parse_number(raw, row=row, column=label, issues=issues)
    if column.kind == Kind.SEX:
        return parse_sex(raw)
    value = text(raw)
    if value is not None and value.startswith("="):
        issues.append(
            Issue(
                f"formula '{value}' where text is expected; left blank",
                row,
                label,
                "warning",
                "formula",
            )
        )
        return None
    return value


def _records(
    spec: TableSpec, source: str, values: dict[str, Any], row: int, issues: list[Issue], origin: str
) -> Parsed:
    record_id = values.get(spec.child_id)
    if record_id is None:
        issues.append(Issue("no record identifier", row, spec.child_id, "error", "required"))
        return Parsed(row, issues=issues)
    record_id = str(record_id)
    parsed = Parsed(row, issues=issues)
    if spec.identity and spec.person_is_child:
        parsed.identity = IdentityRecord(
            source=source,
            record_id=record_id,
            date_of_birth=values.get("dob"),
            sex=values.get("gender"),
            upn=values.get("upn"),
            ethnicity=values.get("ethnicity"),
        )
    if not spec.event_kind:
        return parsed
    start = values.get(spec.start) if spec.start else None
    if spec.start and start is None and _required(spec, spec.start):
        column = _header(spec, spec.start)
        if not any(i.column == column for i in issues):  # an unreadable date is already reported
            issues.append(
                Issue("the date this row records is missing", row, column, "error", "required")
            )
        return parsed
    end = values.get(spec.end) if spec.end else None
    if start is not None and end is not None and end < start:
        issues.append(
            Issue(
                f"ends ({end:%d/%m/%Y}) before it starts ({start:%d/%m/%Y})",
                row,
                _header(spec, spec.end or ""),
                "error",
                "order",
            )
        )
        return parsed
    skip = {
        spec.child_id,
        "dob",
        "gender",
        "ethnicity",
        "age",
        "team",
        "upn",
        spec.start,
        spec.end,
        spec.code,
        *DROPPED_KEYS,
    }
    attrs: dict[str, Any] = {}
    for key, value in values.items():
        if key in skip or value is None:
            continue
        if key in POSTCODE_KEYS:
            value = postcode_sector(str(value))
        attrs[key] = value.isoformat() if hasattr(value, "isoformat") else value
    parsed.events.append(
        Event(
            source=source,
            record_id=record_id,
            kind=spec.event_kind,
            start=start,
            end=end,
            code=values.get(spec.code) if spec.code else None,
            team=values.get("team"),
            attrs={"origin": origin, **attrs},
        )
    )
    return parsed


def _required(spec: TableSpec, key: str) -> bool:
    return any(c.key == key and c.required for c in spec.columns)


def _header(spec: TableSpec, key: str) -> str:
    return next((c.header for c in spec.columns if c.key == key), key)
