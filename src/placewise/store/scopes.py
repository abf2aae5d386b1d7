"""The rows of a table that a write of both stores replaces (stores.replace, docs/adr/0028): a
scope, given by column values, and what replaces it."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa


@dataclass(frozen=True)
class Replace:
    """The rows of one table that a write replaces, those whose columns equal `where` (every row
    when it is empty; a list of values: any of them), and what replaces them (`rows`; nothing
    when None)."""

    table: str
    where: Mapping[str, str | Sequence[str]] = field(default_factory=dict)
    rows: pa.Table | None = None


def scope(connection: duckdb.DuckDBPyConnection, part: Replace) -> tuple[str, list[object]]:
    """The part's scope as SQL with its parameters; its table and columns must exist."""
    columns = {
        str(row[0])
        for row in connection.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = ?", [part.table]
        ).fetchall()
    }
    if not columns or not set(part.where) <= columns:
        raise ValueError(f"no table {part.table} with columns {sorted(part.where)}")
    # Column names checked against the catalogue above; values are parameters.
    clauses: list[str] = []
    params: list[object] = []
    for column, value in part.where.items():
        if isinstance(value, str):
            clauses.append(f'"{column}" = ?')
            params.append(value)
        else:
            clauses.append(f'list_contains(?::VARCHAR[], "{column}")')
            params.append(list(value))
    return " AND ".join(clauses) or "TRUE", params


def swap(
    connection: duckdb.DuckDBPyConnection, part: Replace, where: str, params: list[object]
) -> int:
    """Delete the part's scope and insert its rows; the rows deleted. Inside a transaction."""
    # The table is checked by scope(); the scope is built there.
    done = connection.execute(f"DELETE FROM {part.table} WHERE {where}", params).fetchone()  # nosec B608
    if part.rows is not None:
        connection.register("replacing_rows", part.rows)
        connection.execute(f"INSERT INTO {part.table} BY NAME SELECT * FROM replacing_rows")  # nosec B608
        connection.unregister("replacing_rows")
    return int(done[0]) if done else 0
