"""Deleting data past its retention period, and recording what was deleted.

A source's retention period is the longest of the agreements (approved at some point) that share
it, or PLACEWISE_DEFAULT_RETENTION_DAYS for a source no agreement covers. An event is past
retention when it ended (or, if it has no end, started) before the cut-off. An identity is then
removed from the enclave, and its coded record from the analytic store, once none of its source
record's events remain. Events with no date are kept until their source record is otherwise gone.
What later loads replaced (the history: replaced_events, replaced_records, replaced_identities) goes
by the same rules, and all of a record's history goes with its last event.

One run deletes from both stores as one unit (stores.replace, docs/adr/0028), under the load lock
and after recovery, as a load writes: each table's rows of the sources with anything past
retention are replaced by the rows they keep. After a crash at any moment and recovery, the
stores are as before the run or as after it, and running it again finishes it. What it deleted
is noted in the stores' commit record with the deletions and audited after them, by the run or,
if it died first, by recovery (sources/purges.py).
"""

from collections.abc import Callable
from datetime import date, timedelta

import duckdb
import pyarrow as pa
from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Max

from placewise.sharing.models import Agreement, SharedDataset
from placewise.sources import purges, recovery
from placewise.sources.models import Load
from placewise.sources.purges import Purged as Purged
from placewise.store import stores


def retention_days(source: str) -> int:
    longest = (
        SharedDataset.objects.filter(source=source)
        .exclude(agreement__status=Agreement.Status.DRAFT)
        .aggregate(days=Max("agreement__retention_days"))["days"]
    )
    return int(longest or settings.PLACEWISE_DEFAULT_RETENTION_DAYS)


# An event is past retention when it ended (or, with no end, started) before the cut-off; one
# with no date is kept (NULL-safe, so that it is never counted as past).
PAST = "coalesce(coalesce(end_date, start_date) < $cutoff, FALSE)"
KEPT_EVENTS = f"SELECT * FROM events WHERE source = $source AND NOT {PAST}"  # nosec B608
# Per table, the rows of one source it keeps once its events are known (`kept_tokens`): a
# record, its history and its identities only while one of its events is kept.
KEPT_ANALYTIC = {
    "replaced_events": "SELECT * FROM replaced_events WHERE source = $source "  # nosec B608
    f"AND NOT {PAST} AND token IN (SELECT token FROM kept_tokens)",
    **{
        table: f"SELECT * FROM {table} WHERE source = $source "  # nosec B608  # fixed names
        "AND token IN (SELECT token FROM kept_tokens)"
        for table in ("records", "replaced_records")
    },
}
KEPT_ENCLAVE = {
    table: f"SELECT * FROM {table} WHERE source = $source "  # nosec B608  # fixed names
    "AND token IN (SELECT token FROM kept_tokens)"
    for table in ("identities", "replaced_identities")
}


def _kept(
    connection: duckdb.DuckDBPyConnection, table: str, query: str, params: dict[str, object]
) -> tuple[pa.Table, int]:
    """What the table keeps of the source, and how many of its rows go."""
    kept = connection.sql(query, params=params).to_arrow_table()
    # Table names are this module's constants.
    ((held,),) = connection.execute(
        f"SELECT count(*) FROM {table} WHERE source = ?",  # nosec B608
        [params["source"]],
    ).fetchall()
    return kept, int(held) - kept.num_rows


def _work_out(
    store: duckdb.DuckDBPyConnection, vault: duckdb.DuckDBPyConnection, source: str, cutoff: date
) -> tuple[dict[str, pa.Table], dict[str, int]]:
    """Per table of both stores, the source's rows kept past the cut-off, and the rows that go."""
    kept, gone = {}, {}
    kept["events"], gone["events"] = _kept(
        store, "events", KEPT_EVENTS, {"source": source, "cutoff": cutoff}
    )
    # The enclave cannot see the analytic store: it is handed the tokens still with events.
    tokens = kept["events"].select(["token"])
    for connection, queries, params in (
        (store, KEPT_ANALYTIC, {"source": source, "cutoff": cutoff}),
        (vault, KEPT_ENCLAVE, {"source": source}),
    ):
        connection.register("kept_tokens", tokens)
        for table, query in queries.items():
            # DuckDB refuses a parameter the query does not name.
            wanted = {k: v for k, v in params.items() if f"${k}" in query}
            kept[table], gone[table] = _kept(connection, table, query, wanted)
        connection.unregister("kept_tokens")
    return kept, gone


def apply(
    *, today: date, by: User, on_source: Callable[[str, int, int], None] | None = None
) -> list[Purged]:
    """Delete everything past retention from both stores as one unit, and audit each source's
    deletion. `on_source(source, sources done, sources in all)` is told as each source is
    worked out (a job's progress)."""
    sources = sorted(
        set(Load.objects.filter(status=Load.Status.LOADED).values_list("source", flat=True))
    )
    results: list[Purged] = []
    purging: list[str] = []
    kept: dict[str, list[pa.Table]] = {}
    with stores.load_lock():
        recovery.recover_locked(by=by)
        # Read from the stores open to write: under the lock, exactly what is committed.
        with stores.analytic() as store, stores.enclave() as vault:
            for done, source in enumerate(sources):
                if on_source is not None:
                    on_source(source, done, len(sources))
                days = retention_days(source)
                cutoff = today - timedelta(days=days)
                rows, gone = _work_out(store, vault, source, cutoff)
                replaced = ("replaced_events", "replaced_records", "replaced_identities")
                purged = Purged(
                    source,
                    days,
                    cutoff,
                    events=gone["events"],
                    identities=gone["identities"],
                    records=gone["records"],
                    replaced=sum(gone[table] for table in replaced),
                )
                results.append(purged)
                if any(gone.values()):
                    purging.append(source)
                    for table, held in rows.items():
                        kept.setdefault(table, []).append(held)
        if purging:
            scope = {"source": purging}
            parts = {
                table: stores.Replace(table, scope, pa.concat_tables(kept[table])) for table in kept
            }
            # The commit point: what the run deletes, noted with the deletions, so that
            # recovery can record it if this process dies before it does (sources/purges.py).
            stores.replace(
                kind=purges.KIND,
                in_enclave=[parts[table] for table in KEPT_ENCLAVE],
                in_analytic=[parts[table] for table in ("events", *KEPT_ANALYTIC)],
                note={"purged": [p.as_note() for p in results if p.source in purging]},
            )
            last = stores.last_commit(purges.KIND)
            if last is None:
                raise RuntimeError("retention's write committed but is not in the commit record")
            stores.crash_point("retention-committed")
            purges.record(purged=[p for p in results if p.source in purging], write=last[0], by=by)
    return results
