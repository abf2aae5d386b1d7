"""A later load replaces what an earlier one said about the same key, and keeps what it replaced.

Run inside a store's open transaction by stores.commit_load, once per table: the incoming rows
are grouped by key (an event's natural key, a record's source and token, an identity's source and
record ID). For each key the incoming rows are compared, as a set, with the rows held:
- held and the same: nothing changes (the rows stay with the load that first said it), so loading
  a return again, or a byte-different re-export of it, changes nothing;
- held and different: the held rows move to the table's history (`replaced_events`, ...) with the
  load that replaced them (`replaced_by`), and the incoming rows go in;
- not held: the incoming rows go in.
What a load does not mention is kept, except an event inside the period the load covers
(`retire_omitted`): a return is the truth for its period. See docs/adr/0016 and 0020.
"""

from dataclasses import dataclass, field
from datetime import date

import duckdb

# An event's natural key: source, return, kind, record, start date, and the fields a partner's
# mapping adds for the kind (sources/natural_keys.py); NULL when it adds none.
KEY_TEMPLATE = (
    "md5(to_json(list_value(source, origin, kind, token, start_date::VARCHAR, {declared})))"
)
DEFAULT_KEY = KEY_TEMPLATE.format(declared="NULL::VARCHAR")


@dataclass(frozen=True)
class Table:
    """A table that successive loads supersede: its key, as SQL on its own columns."""

    name: str
    history: str
    key: str


EVENTS = Table("events", "replaced_events", "natural_key")
# Records and identities made before origins existed have none: '' is their return.
RECORDS = Table(
    "records", "replaced_records", "source || chr(31) || coalesce(origin, '') || chr(31) || token"
)
IDENTITIES = Table(
    "identities",
    "replaced_identities",
    "source || chr(31) || coalesce(origin, '') || chr(31) || record_id",
)


@dataclass
class Changed:
    """What one load did to one table, by key: rows it added, rows it said again unchanged
    (kept as they were), and the held rows it replaced, by the load that had said them."""

    added: int = 0
    unchanged: int = 0
    replaced: int = 0
    replaced_from: dict[int, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "added": self.added,
            "unchanged": self.unchanged,
            "replaced": self.replaced,
            # JSON keys are text: a load's id as a string.
            "replaced_from": {str(k): v for k, v in sorted(self.replaced_from.items())},
        }


def _columns(connection: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    rows = connection.execute(
        "SELECT column_name, data_type FROM duckdb_columns() "
        "WHERE table_name = ? AND NOT internal ORDER BY column_index",
        [table],
    ).fetchall()
    return {str(name): str(kind) for name, kind in rows}


def match_history(connection: duckdb.DuckDBPyConnection, table: Table) -> None:
    """Give the history table any column its table has gained since (a column added later to
    `identities`, say), so that what is replaced is kept whole."""
    held = _columns(connection, table.history)
    for name, kind in _columns(connection, table.name).items():
        if name not in held:
            # Names and types come from the database's own catalogue.
            connection.execute(f'ALTER TABLE {table.history} ADD COLUMN "{name}" {kind}')


def supersede(
    connection: duckdb.DuckDBPyConnection, table: Table, incoming: str, load_id: int
) -> Changed:
    """Write `incoming` (a registered relation, stamped with load_id) to the table, replacing
    what it says again differently. Call inside the store's transaction."""
    match_history(connection, table)
    name, key = table.name, table.key
    # The incoming rows in the table's own column order, so rows compare as JSON alike.
    # Table names are this module's constants; the incoming relation is the caller's name.
    connection.execute(f"CREATE OR REPLACE TEMP TABLE came AS SELECT * FROM {name} LIMIT 0")  # nosec B608
    connection.execute(f"INSERT INTO came BY NAME SELECT * FROM {incoming}")  # nosec B608
    fingerprint = "md5(to_json(t))"  # the whole row, but for the load that said it
    connection.execute(
        f"""CREATE OR REPLACE TEMP TABLE verdict AS
        WITH c AS (
            SELECT k, string_agg(h, ',' ORDER BY h) AS f, count(*) AS n FROM (
                SELECT {key} AS k, {fingerprint} AS h
                FROM (SELECT * EXCLUDE (load_id) FROM came) t)
            GROUP BY k),
        held AS (
            SELECT k, string_agg(h, ',' ORDER BY h) AS f FROM (
                SELECT {key} AS k, {fingerprint} AS h
                FROM (SELECT * EXCLUDE (load_id) FROM {name}) t
                WHERE {key} IN (SELECT k FROM c))
            GROUP BY k)
        SELECT c.k, c.n, held.k IS NOT NULL AS was_held,
               coalesce(held.f = c.f, FALSE) AS same
        FROM c LEFT JOIN held USING (k)"""  # nosec B608  # constants only
    )
    changed = "(SELECT k FROM verdict WHERE was_held AND NOT same)"
    result = Changed()
    for load, n in connection.execute(
        f"SELECT load_id, count(*) FROM {name} WHERE {key} IN {changed} GROUP BY load_id"  # nosec B608
    ).fetchall():
        result.replaced_from[int(load)] = int(n)
    result.replaced = sum(result.replaced_from.values())
    if result.replaced:
        connection.execute(
            f"INSERT INTO {table.history} BY NAME "  # nosec B608  # constants only
            f"SELECT *, ?::BIGINT AS replaced_by FROM {name} WHERE {key} IN {changed}",
            [load_id],
        )
        connection.execute(f"DELETE FROM {name} WHERE {key} IN {changed}")  # nosec B608
    row = connection.execute("SELECT coalesce(sum(n), 0) FROM verdict WHERE same").fetchone()
    result.unchanged = int(row[0]) if row else 0
    added = connection.execute(
        f"INSERT INTO {name} BY NAME SELECT * FROM came "  # nosec B608  # constants only
        f"WHERE {key} NOT IN (SELECT k FROM verdict WHERE same)"
    ).fetchone()
    result.added = int(added[0]) if added else 0
    connection.execute("DROP TABLE came")
    connection.execute("DROP TABLE verdict")
    return result


def restore(connection: duckdb.DuckDBPyConnection, table: Table, committed: str) -> int:
    """Undo loads that never committed: delete their rows and put back what they replaced.
    `committed` is SQL selecting the committed loads' ids. Call inside the store's transaction."""
    match_history(connection, table)
    name = table.name
    # Their own rows first: a row they replaced belongs to a committed load.
    connection.execute(f"DELETE FROM {name} WHERE load_id NOT IN ({committed})")  # nosec B608
    restored = connection.execute(
        f"INSERT INTO {name} BY NAME SELECT * EXCLUDE (replaced_by) FROM {table.history} "  # nosec B608
        f"WHERE replaced_by NOT IN ({committed})"
    ).fetchone()
    connection.execute(f"DELETE FROM {table.history} WHERE replaced_by NOT IN ({committed})")  # nosec B608
    return int(restored[0]) if restored else 0


def undo(connection: duckdb.DuckDBPyConnection, table: Table, load_id: int) -> None:
    """Undo one load that failed to commit, every other load being committed. Call inside the
    store's transaction."""
    match_history(connection, table)
    name = table.name
    connection.execute(f"DELETE FROM {name} WHERE load_id = ?", [load_id])  # nosec B608
    connection.execute(
        f"INSERT INTO {name} BY NAME SELECT * EXCLUDE (replaced_by) FROM {table.history} "  # nosec B608
        "WHERE replaced_by = ?",
        [load_id],
    )
    connection.execute(f"DELETE FROM {table.history} WHERE replaced_by = ?", [load_id])  # nosec B608


def retire_omitted(
    connection: duckdb.DuckDBPyConnection,
    incoming: str,
    load_id: int,
    start: date | None,
    end: date | None,
) -> Changed:
    """A return is the truth for its period: an event held from an earlier load of the same
    source, return and kind, whose start date lies in [start, end] (the period this load covers)
    and whose key this load does not mention, is superseded by it: moved to `replaced_events`
    with `replaced_by`, as a replaced event is. So an SSDA903 episode whose start date (its key)
    a later return corrects leaves no old episode behind.

    Only kinds the load carries are touched (an episodes file says nothing of reviews), and only
    events that *began* in the period: a return may list only what began in it (Annex A's
    contacts), so what began before is kept. A load with no period retires nothing. `incoming`:
    the load's events with their natural keys, registered. Call inside the store's transaction,
    after `supersede` has written them."""
    result = Changed()
    if start is None or end is None:
        return result
    match_history(connection, EVENTS)
    # The incoming relation is the caller's registered name; the rest is constant.
    omitted = f"""
        SELECT natural_key FROM events e
        WHERE e.load_id <> ? AND e.start_date BETWEEN ? AND ?
          AND (e.source, e.origin, e.kind) IN (SELECT DISTINCT source, origin, kind FROM {incoming})
          AND e.natural_key NOT IN (SELECT natural_key FROM {incoming})"""  # nosec B608
    params = [load_id, start, end]
    for load, n in connection.execute(
        f"SELECT load_id, count(*) FROM events WHERE natural_key IN ({omitted}) GROUP BY load_id",  # nosec B608
        params,
    ).fetchall():
        result.replaced_from[int(load)] = int(n)
    result.replaced = sum(result.replaced_from.values())
    if result.replaced:
        connection.execute(
            f"INSERT INTO {EVENTS.history} BY NAME "  # nosec B608
            f"SELECT *, ?::BIGINT AS replaced_by FROM events WHERE natural_key IN ({omitted})",
            [load_id, *params],
        )
        connection.execute(f"DELETE FROM events WHERE natural_key IN ({omitted})", params)  # nosec B608
    return result
