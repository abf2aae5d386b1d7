"""Opening the analytic store and the enclave, and committing a load to both as one unit.

DuckDB cannot write two database files in one transaction, so a load commits in two steps: the
enclave's identities first, then the analytic rows together with a row in `loads`. That analytic
transaction is the commit point. If it fails, the enclave rows are deleted; if the process dies
between the two, `recover()` (run before every load) deletes enclave rows whose load never committed.
Readers only trust analytic rows whose load_id is in `loads`, and count only enclave rows whose
load committed. A load holds `load_lock()` from its staging record to its outcome, and recovery
takes it too, so recovery only ever removes what a dead process left. See
docs/adr/0002-atomic-loads.md.

A load supersedes what earlier loads of its source said about the same keys (store/supersede.py,
docs/adr/0016-successive-returns-supersede.md): in each store, in the same transaction as its
rows, the rows it replaces move to that store's history. Undoing a load that never committed
therefore puts back what it replaced as well as deleting what it wrote.
"""

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
from django.conf import settings

from placewise.store import snapshots, supersede
from placewise.store.schema import ANALYTIC, ENCLAVE, REPLACED_IDENTITIES

# Raised when a process that does not take the write lock holds a store open (backup names it).
StoreBusy = snapshots.StoreBusy


@contextmanager
def _open(path: Path, schema: str, read_only: bool) -> Iterator[duckdb.DuckDBPyConnection]:
    # Readers on the last committed snapshot, writers one process at a time
    # (docs/adr/0019-readers-on-the-last-committed-snapshot.md).
    with (snapshots.reading if read_only else snapshots.writing)(path, schema) as connection:
        yield connection


def analytic(read_only: bool = False) -> AbstractContextManager[duckdb.DuckDBPyConnection]:
    """The pseudonymised analytic store."""
    return _open(Path(settings.PLACEWISE_ANALYTIC_DB), ANALYTIC, read_only)


def enclave(read_only: bool = False) -> AbstractContextManager[duckdb.DuckDBPyConnection]:
    """The linkage enclave: identifiers live here and nowhere else."""
    return _open(Path(settings.PLACEWISE_ENCLAVE_DB), ENCLAVE + REPLACED_IDENTITIES, read_only)


# The exit code of a crash injected at a commit boundary (PLACEWISE_CRASH_AT).
CRASH_EXIT = 70


def _boundary(name: str) -> None:
    """Die here, at once, when PLACEWISE_CRASH_AT names this point. os._exit skips every
    `except`, `finally` and commit, as kill -9 would: the tests prove recovery from a process
    that dies at each commit boundary deterministically, not by hoping a random kill lands there."""
    if os.environ.get("PLACEWISE_CRASH_AT") == name:
        os._exit(CRASH_EXIT)


@contextmanager
def load_lock() -> Iterator[None]:
    """Held by a load from its staging record to its outcome, by recovery, and by linkage while
    it reads identities. Not re-entrant. The operating system releases it when a process dies."""
    path = Path(settings.PLACEWISE_ANALYTIC_DB).with_suffix(".loads.lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@dataclass(frozen=True)
class Recovered:
    committed: frozenset[int]  # every load whose analytic transaction committed
    identities_removed: int  # enclave rows of loads that never committed, now deleted
    identities_restored: int = 0  # rows those loads had replaced, put back


@dataclass(frozen=True)
class Period:
    """The days a load's return covers (the 903 year, the census year, an extract's dates)."""

    start: date | None
    end: date | None
    # Whether the return lists everything that began in its period, so that what it no longer
    # lists is withdrawn (ADR 0020). True of the statutory returns; a partner may split one
    # extract by district or team, so without its word an omission is not a withdrawal.
    lists_everything: bool = False


def committed_loads(store: duckdb.DuckDBPyConnection) -> list[int]:
    """The commit record: a load is in the stores exactly when its id is in `loads`."""
    return [int(row[0]) for row in store.execute("SELECT load_id FROM loads").fetchall()]


_COMMITTED = "SELECT load_id FROM committed"


def recover() -> Recovered:
    """Delete what loads that never committed left behind, and put back what they replaced.
    Call it holding load_lock()."""
    with analytic() as store:
        store.execute("BEGIN")
        # A load's analytic rows and replacements commit in one transaction with its `loads` row,
        # so a dead load left none here; this only makes sure, as the enclave must be made sure.
        store.execute("CREATE OR REPLACE TEMP VIEW committed AS SELECT load_id FROM loads")
        for table in (supersede.EVENTS, supersede.RECORDS):
            supersede.restore(store, table, _COMMITTED)
        store.execute("DELETE FROM coverage WHERE load_id NOT IN (SELECT load_id FROM loads)")
        store.execute("DELETE FROM load_changes WHERE load_id NOT IN (SELECT load_id FROM loads)")
        _key_legacy_events(store)
        committed = committed_loads(store)
        store.execute("COMMIT")
    with enclave() as vault:
        vault.register("committed", pa.table({"load_id": pa.array(committed, pa.int64())}))
        row = vault.execute(
            f"SELECT count(*) FROM identities WHERE load_id NOT IN ({_COMMITTED})"  # nosec B608
        ).fetchone()
        vault.execute("BEGIN")
        restored = supersede.restore(vault, supersede.IDENTITIES, _COMMITTED)
        vault.execute("COMMIT")
    return Recovered(frozenset(committed), int(row[0]) if row else 0, restored)


def _key_legacy_events(store: duckdb.DuckDBPyConnection) -> None:
    """Events loaded before natural keys existed get the key their kind has by default."""
    # The key is a constant expression on the table's own columns.
    key = supersede.DEFAULT_KEY
    store.execute(f"UPDATE events SET natural_key = {key} WHERE natural_key IS NULL")  # nosec B608


def commit_load(
    load_id: int,
    identities: pa.Table,
    records: pa.Table,
    events: pa.Table,
    period: Period | None = None,
) -> dict[str, Any]:
    """Write one load to both stores, all or nothing, superseding what earlier loads said about
    the same keys. `events` carry their natural key (sources/natural_keys.py). Returns what the
    load changed in each table (supersede.Changed, as a dict)."""
    period = period or Period(None, None)
    with enclave() as vault:
        vault.execute("BEGIN")
        vault.register("incoming_identities", identities)
        identities_changed = supersede.supersede(
            vault, supersede.IDENTITIES, "incoming_identities", load_id
        )
        vault.execute("COMMIT")
    _boundary("enclave-committed")
    try:
        with analytic() as store:
            store.execute("BEGIN")
            store.register("incoming_records", records)
            store.register("incoming_events", events)
            if "natural_key" not in events.column_names:  # a caller that keyed nothing
                store.execute(
                    "CREATE TEMP VIEW keyed_events AS "  # nosec B608  # a constant expression
                    f"SELECT *, {supersede.DEFAULT_KEY} AS natural_key FROM incoming_events"
                )
            _key_legacy_events(store)
            keyed = "incoming_events" if "natural_key" in events.column_names else "keyed_events"
            changes = {
                "identities": identities_changed.as_dict(),
                "records": supersede.supersede(
                    store, supersede.RECORDS, "incoming_records", load_id
                ).as_dict(),
                "events": supersede.supersede(store, supersede.EVENTS, keyed, load_id).as_dict(),
                # A return is the truth for its period (ADR 0020): what began in it and is no
                # longer listed is superseded too, so a corrected start date leaves no old event.
                "omitted": supersede.retire_omitted(
                    store, keyed, load_id, period.start, period.end
                ).as_dict()
                if period.lists_everything
                else {},
            }
            # Each kind the load carries is covered for its period, even where nothing changed.
            store.execute(
                "INSERT INTO coverage SELECT DISTINCT ?::BIGINT, source, kind, ?::DATE, ?::DATE "
                "FROM incoming_events",
                [load_id, period.start, period.end],
            )
            store.execute(
                "INSERT INTO load_changes VALUES (?, ?, ?, ?)",
                [load_id, period.start, period.end, json.dumps(changes)],
            )
            store.execute("INSERT INTO loads VALUES (?, ?)", [load_id, datetime.now(UTC)])
            store.execute("COMMIT")
    except BaseException:
        with enclave() as vault:
            vault.execute("BEGIN")
            supersede.undo(vault, supersede.IDENTITIES, load_id)
            vault.execute("COMMIT")
        raise
    _boundary("analytic-committed")
    return changes


def _has(connection: duckdb.DuckDBPyConnection, table: str) -> bool:
    row = connection.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [table]
    ).fetchone()
    return bool(row and row[0])


def load_changes(load_ids: list[int]) -> dict[int, dict[str, Any]]:
    """What each of these committed loads changed, as written with its commit."""
    if not load_ids:
        return {}
    with analytic(read_only=True) as store:
        rows = store.execute(
            "SELECT load_id, changes FROM load_changes "
            "WHERE load_id IN (SELECT unnest(?::BIGINT[])) "
            "AND load_id IN (SELECT load_id FROM loads)",
            [load_ids],
        ).fetchall()
    return {int(load): json.loads(changes) for load, changes in rows if changes}


def events_held() -> list[dict[str, Any]]:
    """Per source and kind of event: the events held now, and how many earlier ones later loads
    replaced (kept in the history)."""
    with analytic(read_only=True) as store:
        if not _has(store, "replaced_events"):
            return []
        rows = store.execute(
            """
            WITH held AS (SELECT source, kind, count(*) AS n FROM events
                          WHERE load_id IN (SELECT load_id FROM loads) GROUP BY ALL),
                 gone AS (SELECT source, kind, count(*) AS n FROM replaced_events
                          WHERE replaced_by IN (SELECT load_id FROM loads) GROUP BY ALL)
            SELECT source, kind, coalesce(held.n, 0), coalesce(gone.n, 0)
            FROM held FULL JOIN gone USING (source, kind) ORDER BY source, kind"""
        ).fetchall()
    return [
        {"source": source, "kind": kind, "events": int(n), "replaced": int(r)}
        for source, kind, n, r in rows
    ]


def counts() -> dict[str, dict[str, int]]:
    """Rows per table in each store, of committed loads only: an enclave row whose load never
    committed is not counted, even before recovery has removed it."""
    result: dict[str, dict[str, int]] = {"analytic": {}, "enclave": {}}
    with analytic(read_only=True) as store:
        committed = committed_loads(store)
        for table in ("loads", "records", "events", "replaced_records", "replaced_events"):
            if not _has(store, table):  # a store made before history, not yet opened to write
                continue
            row = store.execute(f"SELECT count(*) FROM {table}").fetchone()  # nosec B608  # fixed names
            result["analytic"][table] = int(row[0]) if row else 0
    with enclave(read_only=True) as vault:
        vault.register("committed", pa.table({"load_id": pa.array(committed, pa.int64())}))
        row = vault.execute(
            "SELECT count(*) FROM identities WHERE load_id IN (SELECT load_id FROM committed)"
        ).fetchone()
        result["enclave"]["identities"] = int(row[0]) if row else 0
        if not _has(vault, "replaced_identities"):
            return result
        row = vault.execute(
            "SELECT count(*) FROM replaced_identities "
            "WHERE replaced_by IN (SELECT load_id FROM committed)"
        ).fetchone()
        result["enclave"]["replaced_identities"] = int(row[0]) if row else 0
    return result
