"""Deleting data past its retention period, and recording what was deleted.

A source's retention period is the longest of the agreements (approved at some point) that share
it, or PLACEWISE_DEFAULT_RETENTION_DAYS for a source no agreement covers. An event is past
retention when it ended (or, if it has no end, started) before the cut-off. An identity is then
removed from the enclave, and its coded record from the analytic store, once none of its source
record's events remain. Events with no date are kept until their source record is otherwise gone.
What later loads replaced (the history: replaced_events, replaced_records, replaced_identities) goes
by the same rules, and all of a record's history goes with its last event.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pyarrow as pa
from django.conf import settings
from django.db.models import Max

from placewise.sharing import audit, versions
from placewise.sharing.models import Agreement, SharedDataset, Version
from placewise.sources.models import Load
from placewise.store import stores


@dataclass(frozen=True)
class Purged:
    source: str
    retention_days: int
    cutoff: date
    events: int
    identities: int
    records: int
    replaced: int = 0  # history rows (what later loads replaced) deleted with them


def retention_days(source: str) -> int:
    longest = (
        SharedDataset.objects.filter(source=source)
        .exclude(agreement__status=Agreement.Status.DRAFT)
        .aggregate(days=Max("agreement__retention_days"))["days"]
    )
    return int(longest or settings.PLACEWISE_DEFAULT_RETENTION_DAYS)


def apply(
    *, today: date, by: str, on_source: Callable[[str, int, int], None] | None = None
) -> list[Purged]:
    """Delete everything past retention, source by source, and audit each deletion.
    `on_source(source, sources done, sources in all)` is told as each source begins (a job's
    progress)."""
    results = []
    sources = sorted(
        set(Load.objects.filter(status=Load.Status.LOADED).values_list("source", flat=True))
    )
    for done, source in enumerate(sources):
        if on_source is not None:
            on_source(source, done, len(sources))
        days = retention_days(source)
        cutoff = today - timedelta(days=days)
        with stores.analytic() as store:
            store.execute("BEGIN")
            events = store.execute(
                "DELETE FROM events WHERE source = ? AND coalesce(end_date, start_date) < ?",
                [source, cutoff],
            ).fetchone()
            records = store.execute(
                "DELETE FROM records WHERE source = ? "
                "AND token NOT IN (SELECT token FROM events WHERE source = ?)",
                [source, source],
            ).fetchone()
            replaced = store.execute(
                "DELETE FROM replaced_events WHERE source = ? "
                "AND (coalesce(end_date, start_date) < ? "
                "OR token NOT IN (SELECT token FROM events WHERE source = ?))",
                [source, cutoff, source],
            ).fetchone()
            replaced_records = store.execute(
                "DELETE FROM replaced_records WHERE source = ? "
                "AND token NOT IN (SELECT token FROM events WHERE source = ?)",
                [source, source],
            ).fetchone()
            remaining = [
                row[0]
                for row in store.execute(
                    "SELECT DISTINCT token FROM events WHERE source = ?", [source]
                ).fetchall()
            ]
            store.execute("COMMIT")
        with stores.enclave() as vault:
            # The enclave cannot see the analytic store: hand it the tokens that still have events.
            vault.register("remaining", pa.table({"token": pa.array(remaining, pa.string())}))
            identities = vault.execute(
                "DELETE FROM identities WHERE source = ? "
                "AND token NOT IN (SELECT token FROM remaining)",
                [source],
            ).fetchone()
            replaced_identities = vault.execute(
                "DELETE FROM replaced_identities WHERE source = ? "
                "AND token NOT IN (SELECT token FROM remaining)",
                [source],
            ).fetchone()
        purged = Purged(
            source,
            days,
            cutoff,
            int(events[0]) if events else 0,
            int(identities[0]) if identities else 0,
            int(records[0]) if records else 0,
            sum(int(r[0]) for r in (replaced, replaced_records, replaced_identities) if r),
        )
        if purged.events or purged.identities or purged.records or purged.replaced:
            versions.bump(Version.Of.DATA, reason=f"retention of {source}")
            audit.record(
                actor=by,
                action="retention.purge",
                target=source,
                reason=f"past {days} days' retention (before {cutoff:%d %B %Y})",
                detail={
                    "events": purged.events,
                    "identities": purged.identities,
                    "records": purged.records,
                    "replaced": purged.replaced,
                    "cutoff": cutoff.isoformat(),
                },
            )
        results.append(purged)
    return results
