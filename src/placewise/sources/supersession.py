"""A load's part in successive returns: its events keyed, the period it covers, and what it
replaced of earlier loads, recorded on the load (docs/adr/0016-successive-returns-supersede.md).

The stores do the replacing, atomically with the load's commit (store/supersede.py); this module
prepares what they need from the file and records what they report."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from placewise.sources import natural_keys, periods
from placewise.sources.detect import Recognised
from placewise.sources.models import Load
from placewise.sources.readers.partner import load_mapping
from placewise.store import stores
from placewise.store.stores import Period

WHAT = {"events": "event", "records": "record", "identities": "identity"}


@dataclass(frozen=True)
class Prepared:
    tables: tuple[pa.Table, pa.Table, pa.Table]  # identities, records, events (keyed)
    period: Period

    @property
    def planned(self) -> dict[str, Any]:
        """The Load fields known before the commit."""
        return {"period_start": self.period.start, "period_end": self.period.end}


def prepare(
    found: Recognised,
    tables: tuple[pa.Table, pa.Table, pa.Table],
    path: Path,
    mapping_file: Path | None,
) -> Prepared:
    """Key the file's events and work out its period. FileRejected if the mapping declares a
    natural key wrongly."""
    identities, records, events = tables
    extra = natural_keys.declared(mapping_file) if found.format == "partner" else {}
    keyed = natural_keys.keyed(events, extra)
    came_from = origin(found, mapping_file)
    return Prepared(
        (_with_origin(identities, came_from), _with_origin(records, came_from), keyed),
        periods.covered(found.format, events, path),
    )


# Events' origin per format (the readers stamp it on each event); records and identities get it
# from here.
ORIGINS = {"annex_a": "annex_a", "ssda903": "ssda903", "cin_census": "cin"}


def origin(found: Recognised, mapping_file: Path | None) -> str:
    """The return a file's records and identities are superseded within: the statutory return,
    or for a partner the identity fields its mapping carries (a partner's rolling extracts
    share a mapping; its other files, carrying other fields, do not replace them)."""
    if found.format in ORIGINS:
        return ORIGINS[found.format]
    if mapping_file is None:
        return found.format
    mapping = load_mapping(mapping_file)
    fields = ["encoded"] if mapping.encoding else sorted(mapping.identity)
    return "partner:" + ",".join(fields)


def _with_origin(table: pa.Table, came_from: str) -> pa.Table:
    column = pa.array([came_from] * table.num_rows, pa.string())
    if "origin" in table.column_names:
        return table.set_column(table.schema.get_field_index("origin"), "origin", column)
    return table.append_column("origin", column)


def record(load: Load, changes: dict[str, Any]) -> None:
    """Keep what the load changed on it (written once, with its outcome)."""
    Load.objects.filter(pk=load.pk).update(changes=changes)
    load.changes = changes


def recovered(loads: list[Load]) -> None:
    """Record what loads that committed before their process died changed, from the commit."""
    found = stores.load_changes([load.pk for load in loads])
    for load in loads:
        if load.pk in found:
            record(load, found[load.pk])


def describe(changes: dict[str, Any]) -> str:
    """The replacements in words, for the load's message ("" when it replaced nothing)."""
    parts = []
    for what, noun in WHAT.items():
        change = changes.get(what) or {}
        for load, rows in (change.get("replaced_from") or {}).items():
            parts.append(f"replaced {rows:,} {_plural(noun, rows)} from load {load}")
        if change.get("unchanged"):
            rows = change["unchanged"]
            parts.append(f"{rows:,} {_plural(noun, rows)} already held unchanged")
    # Events inside the load's period that it no longer lists (store/supersede.retire_omitted).
    for load, rows in ((changes.get("omitted") or {}).get("replaced_from") or {}).items():
        parts.append(
            f"superseded {rows:,} {_plural('event', rows)} from load {load} that its period "
            "no longer lists"
        )
    return "; ".join(parts)


def _plural(noun: str, n: int) -> str:
    if n == 1:
        return noun
    return "identities" if noun == "identity" else f"{noun}s"
