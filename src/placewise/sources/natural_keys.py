"""What makes two statements about an event the same event: each kind's natural key.

A council sends a new Annex A, SSDA903 and CIN census every year (or month), overlapping the
last, and partners send rolling extracts. A later load of a source replaces what an earlier one
said about the same key (docs/adr/0016-successive-returns-supersede.md). Every key is the source,
the return it came from (the event's origin), the kind of event, the record (its token: the same
record in the same source always has the same token) and the date that starts the event, as the
return names it below. An event a return gives no start date (an SSDA903 outcome, a care leaver's
status) is keyed by the record alone: the latest return's is the child's.

A partner's mapping file may add fields to a kind's key, for events that can happen more than once
on a day to one record (two attendances, one per department):

    [natural_key]
    attendance = ["code"]

The fields a mapping may name are the event's own: `end`, `code`, `value` and `team`.
"""

import tomllib
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from placewise.sources.canonical import FileRejected
from placewise.sources.readers import ssda903
from placewise.sources.readers.spec import LISTS
from placewise.store.supersede import KEY_TEMPLATE

# A mapping's names for the event fields a key may add, and the event columns they are.
FIELDS = {"end": "end_date", "code": "code", "value": "value", "team": "team"}


@dataclass(frozen=True)
class NaturalKey:
    """The key of one kind of event from one return, beyond source, origin, kind and record."""

    origin: str
    kind: str
    start: str | None  # the column (as the return names it) that dates the event, if any
    extra: tuple[str, ...] = ()  # event fields (FIELDS' values) that tell apart same-day events


def _statutory() -> dict[tuple[str, str], NaturalKey]:
    keys: dict[tuple[str, str], NaturalKey] = {}
    for spec in ssda903.TABLES.values():
        if spec.event_kind:
            start = next((c.header for c in spec.columns if c.key == spec.start), None)
            keys[("ssda903", spec.event_kind)] = NaturalKey("ssda903", spec.event_kind, start)
    for spec in LISTS.values():
        start = next((c.header for c in spec.columns if c.key == spec.start), None)
        keys[("annex_a", spec.event_kind)] = NaturalKey("annex_a", spec.event_kind, start)
    for kind, start in (
        ("referral", "CINreferralDate"),
        ("cin_episode", "CINreferralDate"),
        ("assessment", "AssessmentActualStartDate"),
        ("cin_plan", "CINPlanStartDate"),
        ("section_47", "S47ActualStartDate"),
        ("cp_plan", "CPPstartDate"),
    ):
        keys[("cin", kind)] = NaturalKey("cin", kind, start)
    return keys


# Every statutory return's kinds: SSDA903 episodes by child and DECOM, reviews by REVIEW, missing
# episodes by MIS_START, CIN referrals by CINreferralDate, each Annex A list by its own date.
STATUTORY = _statutory()


def declared(mapping_file: Path | None) -> dict[str, tuple[str, ...]]:
    """The extra key fields a partner's mapping declares per kind (event columns), if any."""
    if mapping_file is None:
        return {}
    try:
        data = tomllib.loads(mapping_file.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return {}  # the mapping was read already: a broken one never gets this far
    table = data.get("natural_key", {})
    if not isinstance(table, dict):
        raise FileRejected(
            f"mapping file {mapping_file.name}: [natural_key] names, for a kind of event, "
            f"the fields beyond record and start that tell its events apart ({', '.join(FIELDS)})"
        )
    found: dict[str, tuple[str, ...]] = {}
    for kind, names in table.items():
        if not isinstance(names, list) or any(n not in FIELDS for n in names):
            raise FileRejected(
                f"mapping file {mapping_file.name}: [natural_key] {kind} must be a list of "
                f"{', '.join(FIELDS)}"
            )
        found[str(kind)] = tuple(FIELDS[n] for n in names)
    return found


def key_of(origin: str, kind: str, extra: dict[str, tuple[str, ...]]) -> NaturalKey:
    """The key of a kind of event from a return (a partner's from its mapping)."""
    known = STATUTORY.get((origin, kind))
    if known is not None:
        return known
    return NaturalKey(origin, kind, "start", extra.get(kind, ()))


def keyed(events: pa.Table, extra: dict[str, tuple[str, ...]]) -> pa.Table:
    """The events with their natural key: an md5 of source, origin, kind, token, start date and
    any extra fields the mapping declares for the kind (a null start is part of the key)."""
    parts = []
    params: list[object] = []
    for kind, columns in sorted(extra.items()):
        fields = ", ".join(f"{c}::VARCHAR" for c in columns if c in FIELDS.values())
        # Column names come only from FIELDS; the kind is bound.
        parts.append(f"WHEN kind = ? THEN to_json(list_value({fields}))::VARCHAR")
        params.append(kind)
    declared_sql = f"CASE {' '.join(parts)} END" if parts else "NULL::VARCHAR"
    with duckdb.connect() as scratch:
        scratch.register("incoming", _without_key(events))
        return scratch.sql(
            f"SELECT *, {KEY_TEMPLATE.format(declared=declared_sql)} AS natural_key "  # nosec B608  # names from FIELDS
            "FROM incoming",
            params=params,
        ).to_arrow_table()


def _without_key(events: pa.Table) -> pa.Table:
    if "natural_key" in events.column_names:
        return events.drop(["natural_key"])
    return events
