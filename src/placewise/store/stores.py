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

Other writes of both stores (a linkage run's `person_links`, an opt-out's removal, retention's
deletions) go through the same two steps and the same recovery (`replace`, docs/adr/0028): they
replace the rows of a scope (store/scopes.py) in each store. The enclave keeps what it replaced
(its before image, in `undo_<table>`) and a journal row naming the write, in the transaction that
replaces them; the analytic transaction records the write in `commits`, its commit point. Once it
has committed the before image is dropped; if it never committed, recovery (or the next such
write) puts the before image back.
"""

import fcntl
import json
import logging
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pyarrow as pa
from django.conf import settings

from placewise.store import snapshots, supersede
from placewise.store.schema import ANALYTIC, ENCLAVE, REPLACED_IDENTITIES
from placewise.store.scopes import Replace as Replace
from placewise.store.scopes import scope, swap

# Raised when a process that does not take the write lock holds a store open (backup names it).
StoreBusy = snapshots.StoreBusy


@contextmanager
def _open(path: Path, schema: str, read_only: bool) -> Iterator[duckdb.DuckDBPyConnection]:
    # Readers on the last committed snapshot, writers one process at a time
    # (docs/adr/0019-readers-on-the-last-committed-snapshot.md).
    with (snapshots.reading if read_only else snapshots.writing)(path, schema) as connection:
        yield connection


# The enclave tables a write through `replace` may change, each kept whole in its before image
# until the write commits: an identity and its history (an opt-out), a person's links.
UNDOABLE = ("identities", "replaced_identities", "person_links")

# The commit record of writes through `replace`: the last write of each kind that committed
# (one row a kind, so that the record does not grow with every linkage run), with what the
# writer noted of it for recovery to record above the stores if the writer died (retention).
COMMITS = """
CREATE TABLE IF NOT EXISTS commits (
    kind VARCHAR NOT NULL,
    commit_id BIGINT NOT NULL,
    committed_at TIMESTAMP NOT NULL
);
ALTER TABLE commits ADD COLUMN IF NOT EXISTS note JSON;
"""

# The enclave's side of a write through `replace` that may not have committed yet: one journal
# row per table it changed, with the scope it replaced there, and the rows that scope held.
JOURNAL = """
CREATE TABLE IF NOT EXISTS commit_journal (
    commit_id BIGINT NOT NULL,
    kind VARCHAR NOT NULL,
    table_name VARCHAR NOT NULL,
    scope JSON NOT NULL
);
""" + "".join(
    f"CREATE TABLE IF NOT EXISTS undo_{table} AS "  # nosec B608  # UNDOABLE's names only
    f"SELECT *, NULL::BIGINT AS commit_id FROM {table} WHERE FALSE;\n"
    for table in UNDOABLE
)


def analytic(read_only: bool = False) -> AbstractContextManager[duckdb.DuckDBPyConnection]:
    """The pseudonymised analytic store."""
    return _open(Path(settings.PLACEWISE_ANALYTIC_DB), ANALYTIC + COMMITS, read_only)


def enclave(read_only: bool = False) -> AbstractContextManager[duckdb.DuckDBPyConnection]:
    """The linkage enclave: identifiers live here and nowhere else."""
    return _open(
        Path(settings.PLACEWISE_ENCLAVE_DB), ENCLAVE + REPLACED_IDENTITIES + JOURNAL, read_only
    )


# The exit code of a crash injected at a commit boundary (PLACEWISE_CRASH_AT).
CRASH_EXIT = 70


def _boundary(name: str) -> None:
    """Die here, at once, when PLACEWISE_CRASH_AT names this point. os._exit skips every
    `except`, `finally` and commit, as kill -9 would: the tests prove recovery from a process
    that dies at each commit boundary deterministically, not by hoping a random kill lands there."""
    if os.environ.get("PLACEWISE_CRASH_AT") == name:
        os._exit(CRASH_EXIT)


def crash_point(name: str) -> None:
    """A commit boundary above the stores (an opt-out's register entry), as _boundary."""
    _boundary(name)


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
    # Writes through `replace` that never committed, undone in the enclave: their kinds.
    writes_undone: tuple[str, ...] = field(default_factory=tuple)
    # Set above the stores, by sources/recovery.py: opt-outs it finished, retention audited.
    opt_outs_finished: int = 0
    retention_recorded: tuple[str, ...] = ()  # the sources whose deletions it audited
    above: tuple[str, ...] = ()  # what the apps above the sources settled, in words


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
        writes = _committed_writes(store)
        store.execute("COMMIT")
    with enclave() as vault:
        # Writes through `replace` first: none starts while a load is left unsettled (every load
        # and linkage run recovers first), so one in the journal is later than any dead load,
        # and its before image may hold that load's rows, which the load's undo then removes.
        vault.execute("BEGIN")
        undone = _settle_journal(vault, writes)
        vault.execute("COMMIT")
        vault.register("committed", pa.table({"load_id": pa.array(committed, pa.int64())}))
        row = vault.execute(
            f"SELECT count(*) FROM identities WHERE load_id NOT IN ({_COMMITTED})"  # nosec B608
        ).fetchone()
        vault.execute("BEGIN")
        restored = supersede.restore(vault, supersede.IDENTITIES, _COMMITTED)
        vault.execute("COMMIT")
    return Recovered(frozenset(committed), int(row[0]) if row else 0, restored, undone)


def _key_legacy_events(store: duckdb.DuckDBPyConnection) -> None:
    """Events loaded before natural keys existed get the key their kind has by default."""
    # The key is a constant expression on the table's own columns.
    key = supersede.DEFAULT_KEY
    store.execute(f"UPDATE events SET natural_key = {key} WHERE natural_key IS NULL")  # nosec B608


T = TypeVar("T")


def _in_two_steps(
    in_enclave: Callable[[duckdb.DuckDBPyConnection], None],
    in_analytic: Callable[[duckdb.DuckDBPyConnection], T],
    undo: Callable[[duckdb.DuckDBPyConnection], None],
) -> T:
    """Write both stores as one unit, each part in its store's transaction: the enclave's first,
    written so that it can be undone, then the analytic store's, which records the write (the
    commit point: a load's row in `loads`, a replacement's in `commits`). If the analytic
    transaction fails, `undo` takes back the enclave's; if the process dies between the two,
    `recover` does. Call holding load_lock(), with nothing left to recover."""
    with enclave() as vault:
        vault.execute("BEGIN")
        in_enclave(vault)
        vault.execute("COMMIT")
    _boundary("enclave-committed")
    try:
        with analytic() as store:
            store.execute("BEGIN")
            result = in_analytic(store)
            store.execute("COMMIT")
    except BaseException:
        with enclave() as vault:
            vault.execute("BEGIN")
            undo(vault)
            vault.execute("COMMIT")
        raise
    _boundary("analytic-committed")
    return result


def last_commit(kind: str) -> tuple[int, dict[str, Any] | None] | None:
    """The number and note of the last write of this kind that committed, if any. Call holding
    load_lock()."""
    with analytic() as store:  # under the load lock: what committed, not the last snapshot
        row = store.execute("SELECT commit_id, note FROM commits WHERE kind = ?", [kind]).fetchone()
    return (int(row[0]), json.loads(row[1]) if row[1] else None) if row else None


def drop_note(kind: str, write: int) -> None:
    """Forget what the write numbered `write` noted for recovery, once what it noted is recorded
    above the stores: a linkage run's review queue names tokens, which an opt-out or a
    re-keying must not find kept here. Call holding load_lock()."""
    with analytic() as store:
        store.execute(
            "UPDATE commits SET note = NULL WHERE kind = ? AND commit_id = ?", [kind, write]
        )


def _committed_writes(store: duckdb.DuckDBPyConnection) -> set[tuple[str, int]]:
    """The commit record of writes through `replace`: the last of each kind that committed."""
    return {
        (str(k), int(i)) for k, i in store.execute("SELECT kind, commit_id FROM commits").fetchall()
    }


def _settle_journal(
    vault: duckdb.DuckDBPyConnection, committed: set[tuple[str, int]]
) -> tuple[str, ...]:
    """Put back the before image of every write in the journal that never committed, then drop
    the journal and every before image. Returns the kinds of the writes undone. Inside the
    enclave's transaction, holding load_lock()."""
    journal = vault.execute(
        "SELECT commit_id, kind, table_name, scope FROM commit_journal "
        "ORDER BY commit_id DESC, rowid DESC"
    ).fetchall()
    undone: set[str] = set()
    for commit_id, kind, table, where in journal:
        if (str(kind), int(commit_id)) in committed:
            continue
        if table not in UNDOABLE:
            raise ValueError(f"the commit journal names {table}, which no write may change")
        part = Replace(str(table), json.loads(where))
        swap(vault, part, *scope(vault, part))
        supersede.match_history(vault, supersede.Table(part.table, f"undo_{part.table}", ""))
        vault.execute(
            f"INSERT INTO {part.table} BY NAME "  # nosec B608  # UNDOABLE's names only
            f"SELECT * EXCLUDE (commit_id) FROM undo_{part.table} WHERE commit_id = ?",
            [commit_id],
        )
        undone.add(str(kind))
    if journal:
        for table in UNDOABLE:
            vault.execute(f"DELETE FROM undo_{table}")  # nosec B608  # UNDOABLE's names only
        vault.execute("DELETE FROM commit_journal")
    return tuple(sorted(undone))


def replace(
    *,
    kind: str,
    in_enclave: Sequence[Replace],
    in_analytic: Sequence[Replace],
    note: Mapping[str, Any] | None = None,
) -> dict[str, int]:
    """Replace rows in both stores as one unit, all or nothing: after a crash at any moment the
    stores are as before or as after once `recover` has run (docs/adr/0028). `kind` names the
    write in the commit record ("link", "forget", "retention"), with `note` (last_commit). The
    enclave's parts may change only the UNDOABLE tables, each once. Returns the rows removed,
    per store and table ("enclave.person_links"). Call holding load_lock()."""
    tables = [part.table for part in in_enclave]
    if not set(tables) <= set(UNDOABLE) or len(set(tables)) < len(tables):
        raise ValueError(f"the enclave's parts may change only {UNDOABLE}, each at most once")
    with analytic() as store:
        committed = _committed_writes(store)
    commit_id = max((i for k, i in committed if k == kind), default=0) + 1
    removed: dict[str, int] = {}

    def enclave_part(vault: duckdb.DuckDBPyConnection) -> None:
        # Recovery runs before every write, but a forget may follow a forget that died.
        if undone := _settle_journal(vault, committed):
            logging.getLogger(__name__).warning("undid a %s that never committed", undone)
        for part in in_enclave:
            where, params = scope(vault, part)
            vault.execute(
                "INSERT INTO commit_journal VALUES (?, ?, ?, ?)",
                [commit_id, kind, part.table, json.dumps(dict(part.where))],
            )
            supersede.match_history(vault, supersede.Table(part.table, f"undo_{part.table}", ""))
            vault.execute(
                f"INSERT INTO undo_{part.table} BY NAME "  # nosec B608  # UNDOABLE, checked above
                f"SELECT *, ?::BIGINT AS commit_id FROM {part.table} WHERE {where}",
                [commit_id, *params],
            )
            removed[f"enclave.{part.table}"] = swap(vault, part, where, params)

    def analytic_part(store: duckdb.DuckDBPyConnection) -> dict[str, int]:
        for part in in_analytic:
            removed[f"analytic.{part.table}"] = swap(store, part, *scope(store, part))
        store.execute("DELETE FROM commits WHERE kind = ?", [kind])
        store.execute(
            "INSERT INTO commits BY NAME SELECT ? AS kind, ? AS commit_id, ? AS committed_at, "
            "?::JSON AS note",
            [kind, commit_id, datetime.now(UTC), json.dumps(note) if note is not None else None],
        )
        return removed

    def undo(vault: duckdb.DuckDBPyConnection) -> None:
        _settle_journal(vault, committed)

    result = _in_two_steps(enclave_part, analytic_part, undo)
    # Committed: the before image is no longer needed (an opt-out's held identifiers).
    with enclave() as vault:
        vault.execute("BEGIN")
        _settle_journal(vault, committed | {(kind, commit_id)})
        vault.execute("COMMIT")
    return result


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
    identities_changed = supersede.Changed()

    def in_enclave(vault: duckdb.DuckDBPyConnection) -> None:
        nonlocal identities_changed
        vault.register("incoming_identities", identities)
        identities_changed = supersede.supersede(
            vault, supersede.IDENTITIES, "incoming_identities", load_id
        )

    def in_analytic(store: duckdb.DuckDBPyConnection) -> dict[str, Any]:
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
        return changes

    def undo(vault: duckdb.DuckDBPyConnection) -> None:
        supersede.undo(vault, supersede.IDENTITIES, load_id)

    return _in_two_steps(in_enclave, in_analytic, undo)


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
