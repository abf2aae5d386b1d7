"""Reads from the analytic store, as functions that return SQL with bound parameters."""

from dataclasses import dataclass
from typing import Any

from placewise.store import stores

# Only these record columns can ever be selected; the caller's field list is checked against it.
RECORD_COLUMNS = ("month_of_birth", "sex", "ethnicity", "postcode_sector")


@dataclass(frozen=True)
class Query:
    sql: str
    params: list[Any]


def person_events(token: str, kinds: frozenset[str] | None) -> Query:
    """A person's committed events, oldest first; only the given kinds (None: all).

    The council's returns overlap (a referral is in Annex A and in the CIN census): the same event
    from several returns is one row, with the returns it was recorded in.
    """
    sql = (
        "SELECT kind, start_date, end_date, code, max(value) AS value, max(team) AS team, "
        "string_agg(DISTINCT origin, ', ' ORDER BY origin) AS recorded_in, source FROM events "
        "WHERE token = ? AND load_id IN (SELECT load_id FROM loads)"
    )
    params: list[Any] = [token]
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
        cursor = store.execute(query.sql, query.params)
        names = [d[0] for d in cursor.description or []]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
