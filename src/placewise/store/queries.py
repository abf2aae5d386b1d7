"""Reads from the analytic store, as functions that return SQL with bound parameters."""

from dataclasses import dataclass
from typing import Any

import duckdb

from placewise.store import stores

# Only these record columns can ever be selected; the caller's field list is checked against it.
RECORD_COLUMNS = ("month_of_birth", "sex", "ethnicity", "postcode_sector")


@dataclass(frozen=True)
class Query:
    sql: str
    params: list[Any] | dict[str, Any]  # `?` marks in order, or `$name` marks by name


def linked_records(token: str) -> Query:
    """Every (token, source) the linkage put with this token's person, itself included."""
    return Query(
        "SELECT DISTINCT l2.token, e.source FROM person_links l1 "
        "JOIN person_links l2 ON l2.person_key = l1.person_key "
        "JOIN events e ON e.token = l2.token WHERE l1.token = ? ORDER BY e.source",
        [token],
    )


def event_count(tokens: list[str]) -> Query:
    """How many committed events these records have (to say how many are withheld)."""
    return Query(
        f"SELECT count(*) AS n FROM events WHERE token IN ({', '.join('?' for _ in tokens)}) "  # nosec B608  # placeholders only
        "AND load_id IN (SELECT load_id FROM loads)",
        list(tokens),
    )


def event_count_of_kinds(tokens: list[str], kinds: frozenset[str] | None) -> Query:
    """How many of these records' committed events are of the given kinds (None: all)."""
    query = event_count(tokens)
    if kinds is None:
        return query
    if not kinds:
        return Query("SELECT 0 AS n", [])
    return Query(
        query.sql + f" AND kind IN ({', '.join('?' for _ in kinds)})",
        [*query.params, *sorted(kinds)],
    )


def person_events(token: str | list[str], kinds: frozenset[str] | None) -> Query:
    """A person's committed events, oldest first; only the given kinds (None: all).

    The council's returns overlap (a referral is in Annex A and in the CIN census): the same event
    from several returns is one row, with the returns it was recorded in.
    """
    tokens = [token] if isinstance(token, str) else list(token)
    # Placeholders only are formatted in; every value is bound.
    sql = (
        "SELECT kind, start_date, end_date, code, max(value) AS value, max(team) AS team, "  # nosec B608
        "string_agg(DISTINCT origin, ', ' ORDER BY origin) AS recorded_in, source FROM events "
        f"WHERE token IN ({', '.join('?' for _ in tokens)}) "
        "AND load_id IN (SELECT load_id FROM loads)"
    )
    params: list[Any] = list(tokens)
    if kinds is not None:
        if not kinds:
            return Query("SELECT NULL WHERE FALSE", [])
        sql += f" AND kind IN ({', '.join('?' for _ in kinds)})"
        params.extend(sorted(kinds))
    sql += " GROUP BY kind, start_date, end_date, code, source"
    return Query(sql + " ORDER BY start_date NULLS LAST, kind", params)


def person_record(token: str, fields: frozenset[str]) -> Query:
    """The latest known values of the allowed record fields for a person."""
    columns = [c for c in RECORD_COLUMNS if c in fields]
    if not columns:
        return Query("SELECT NULL WHERE FALSE", [])
    return Query(
        # Column names come only from RECORD_COLUMNS above; the token is bound.
        f"SELECT {', '.join(columns)} FROM records WHERE token = ? "  # nosec B608  # whitelisted
        "AND load_id IN (SELECT load_id FROM loads) ORDER BY load_id DESC LIMIT 1",
        [token],
    )


def run(query: Query) -> list[dict[str, Any]]:
    """Execute a query on the analytic store (read-only) and return rows as dicts."""
    with stores.analytic(read_only=True) as store:
        return fetch(store, query)


def fetch(store: duckdb.DuckDBPyConnection, query: Query) -> list[dict[str, Any]]:
    """Execute a query on an open connection and return rows as dicts."""
    cursor = store.execute(query.sql, query.params)
    names = [d[0] for d in cursor.description or []]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
