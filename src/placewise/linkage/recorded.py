"""A linkage run's report, when its process died after its links committed.

A run writes its links to both stores as one unit (stores.replace, the commit point), then its
report above the stores: the `LinkageRun` summary, the queue of pairs for review and the audit
entry (actions.record_run). The two cannot commit together, so the run notes the report's
contents with its links, in the stores' commit record, in the transaction that writes them; the
audit entry names the write's number. Recovery (before every load, linkage run and serve, and as
`placewise recover`) records the report of the last run whose audit entry is missing, from that
note: a run's links are never in use without the report that says how they were made (ADR 0028,
follow-up). Once the report is recorded the note is dropped: its pairs are named by token, and
an opt-out or a re-keying must find no token kept there.
"""

import math
from datetime import datetime
from typing import Any

import pyarrow as pa
from django.contrib.auth.models import User

from placewise.linkage import actions
from placewise.linkage.models import LinkageRun
from placewise.sharing.models import AuditEntry
from placewise.store import stores

KIND = "link"  # the write's kind in the stores' commit record


def note(summary: dict[str, Any]) -> dict[str, Any]:
    """actions.record_run's arguments as JSON the analytic store keeps: no identifier is among
    them (pairs are named by token, as in the review queue)."""
    return _plain(
        {
            **summary,
            "started_at": summary["started_at"].isoformat(),
            "uncertain": summary["uncertain"].to_pylist(),
        }
    )


def _plain(value: Any) -> Any:
    """JSON has no NaN or infinity: a weight of either is kept as null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def record(summary: dict[str, Any], *, write: int, by: User, recovered: bool = False) -> LinkageRun:
    """The run's report (actions.record_run), then its note dropped. Call holding the load
    lock."""
    run = actions.record_run(**summary, write=write, recovered=recovered, by=by)
    stores.drop_note(KIND, write)
    return run


def record_unrecorded(*, by: User) -> LinkageRun | None:
    """Record the last linkage run's report if its process died before it did. Call holding
    the load lock (recovery does)."""
    last = stores.last_commit(KIND)
    if last is None:
        return None
    write, noted = last
    if noted is None:  # recorded, or a run from before runs noted their report
        return None
    if AuditEntry.objects.filter(action="linkage.run", detail__write=write).exists():
        stores.drop_note(KIND, write)  # the process died after the report, before the drop
        return None
    summary = {
        **noted,
        "started_at": datetime.fromisoformat(noted["started_at"]),
        "uncertain": pa.Table.from_pylist(noted["uncertain"]),
    }
    return record(summary, write=write, by=by, recovered=True)


def settle(*, by: User, **_: Any) -> str | None:
    """sources.recovery's `settled` signal: record an unrecorded run's report, in words."""
    run = record_unrecorded(by=by)
    if run is None:
        return None
    return (
        f"a linkage run stopped after its links committed: its report (run {run.pk}, "
        f"{run.people:,} people from {run.records:,} records) is now recorded"
    )
