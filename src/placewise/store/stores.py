"""Opening the analytic store and the enclave, and committing a load to both as one unit.

DuckDB cannot write two database files in one transaction, so a load commits in two steps: the
enclave's identities first, then the analytic rows together with a row in `loads`. That analytic
transaction is the commit point. If it fails, the enclave rows are deleted; if the process dies
between the two, `recover()` (run before every load) deletes enclave rows whose load never committed.
Readers only trust analytic rows whose load_id is in `loads`, and count only enclave rows whose
load committed. A load holds `load_lock()` from its staging record to its outcome, and recovery
takes it too, so recovery only ever removes what a dead process left. See
docs/adr/0002-atomic-loads.md.
"""

import fcntl
import os
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
from django.conf import settings

from placewise.store.schema import ANALYTIC, ENCLAVE


class StoreBusy(Exception):
    """Another process holds the store for writing."""


@contextmanager
def _open(path: Path, schema: str, read_only: bool) -> Iterator[duckdb.DuckDBPyConnection]:
    if read_only and not path.exists():
        read_only = False  # first use: create it with its schema
    try:
        connection = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as error:
        raise StoreBusy(
            f"the store {path.name} is in use by another process; try again shortly ({error})"
        ) from None
    try:
        if not read_only:
            connection.execute(schema)
        yield connection
    finally:
        connection.close()


def analytic(read_only: bool = False) -> AbstractContextManager[duckdb.DuckDBPyConnection]:
    """The pseudonymised analytic store."""
    return _open(Path(settings.PLACEWISE_ANALYTIC_DB), ANALYTIC, read_only)


def enclave(read_only: bool = False) -> AbstractContextManager[duckdb.DuckDBPyConnection]:
    """The linkage enclave: identifiers live here and nowhere else."""
    return _open(Path(settings.PLACEWISE_ENCLAVE_DB), ENCLAVE, read_only)


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


def committed_loads(store: duckdb.DuckDBPyConnection) -> list[int]:
    """The commit record: a load is in the stores exactly when its id is in `loads`."""
    return [int(row[0]) for row in store.execute("SELECT load_id FROM loads").fetchall()]


def recover() -> Recovered:
    """Delete what loads that never committed left behind. Call it holding load_lock()."""
    with analytic() as store:
        committed = committed_loads(store)
        store.execute("DELETE FROM records WHERE load_id NOT IN (SELECT load_id FROM loads)")
        store.execute("DELETE FROM events WHERE load_id NOT IN (SELECT load_id FROM loads)")
    with enclave() as vault:
        vault.register("committed", pa.table({"load_id": pa.array(committed, pa.int64())}))
        row = vault.execute(
            "SELECT count(*) FROM identities WHERE load_id NOT IN (SELECT load_id FROM committed)"
        ).fetchone()
        vault.execute("DELETE FROM identities WHERE load_id NOT IN (SELECT load_id FROM committed)")
    return Recovered(frozenset(committed), int(row[0]) if row else 0)


def commit_load(load_id: int, identities: pa.Table, records: pa.Table, events: pa.Table) -> None:
    """Write one load to both stores, all or nothing."""
    with enclave() as vault:
        vault.execute("BEGIN")
        vault.register("incoming_identities", identities)
        vault.execute("INSERT INTO identities BY NAME SELECT * FROM incoming_identities")
        vault.execute("COMMIT")
    _boundary("enclave-committed")
    try:
        with analytic() as store:
            store.execute("BEGIN")
            store.register("incoming_records", records)
            store.register("incoming_events", events)
            store.execute("INSERT INTO records SELECT * FROM incoming_records")
            store.execute(
                "INSERT INTO events SELECT token, source, origin, kind, start_date, end_date,"
                " code, value, team, attrs::JSON, load_id FROM incoming_events"
            )
            store.execute("INSERT INTO loads VALUES (?, ?)", [load_id, datetime.now(UTC)])
            store.execute("COMMIT")
    except BaseException:
        with enclave() as vault:
            vault.execute("DELETE FROM identities WHERE load_id = ?", [load_id])
        raise
    _boundary("analytic-committed")


def counts() -> dict[str, dict[str, int]]:
    """Rows per table in each store, of committed loads only: an enclave row whose load never
    committed is not counted, even before recovery has removed it."""
    result: dict[str, dict[str, int]] = {"analytic": {}, "enclave": {}}
    with analytic(read_only=True) as store:
        committed = committed_loads(store)
        for table in ("loads", "records", "events"):
            row = store.execute(f"SELECT count(*) FROM {table}").fetchone()  # nosec B608  # fixed names
            result["analytic"][table] = int(row[0]) if row else 0
    with enclave(read_only=True) as vault:
        vault.register("committed", pa.table({"load_id": pa.array(committed, pa.int64())}))
        row = vault.execute(
            "SELECT count(*) FROM identities WHERE load_id IN (SELECT load_id FROM committed)"
        ).fetchone()
        result["enclave"]["identities"] = int(row[0]) if row else 0
    return result
