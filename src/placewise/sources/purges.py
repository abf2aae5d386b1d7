"""What a retention run deleted, in the audit log: one entry per source, written once the stores'
deletions have committed, and written by recovery when the run died between the two.

The run notes what it deletes in the stores' commit record (stores.replace's `note`), in the
transaction that deletes it, and each entry names that write's number. Recovery (run before every
load, linkage run, serve and retention run, and as `placewise recover`) records the last run
whose entries are missing from its note, so a run's deletions are in the audit log once they are
in the stores, whenever the process died (docs/adr/0028, follow-up).
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from placewise.sharing import audit, versions
from placewise.sharing.models import AuditEntry, Version
from placewise.store import stores

KIND = "retention"  # the write's kind in the stores' commit record


@dataclass(frozen=True)
class Purged:
    source: str
    retention_days: int
    cutoff: date
    events: int
    identities: int
    records: int
    replaced: int = 0  # history rows (what later loads replaced) deleted with them

    def as_note(self) -> dict[str, Any]:
        return {**self.__dict__, "cutoff": self.cutoff.isoformat()}

    @classmethod
    def from_note(cls, note: dict[str, Any]) -> "Purged":
        return cls(**{**note, "cutoff": date.fromisoformat(note["cutoff"])})


def record(*, purged: list[Purged], write: int, by: User, recovered: bool = False) -> None:
    """Audit each source's deletion by the write numbered `write`, in one transaction."""
    with transaction.atomic():
        if purged:
            sources = ", ".join(p.source for p in purged)
            versions.bump(Version.Of.DATA, reason=f"retention of {sources}")
        for p in purged:
            reason = f"past {p.retention_days} days' retention (before {p.cutoff:%d %B %Y})"
            if recovered:
                reason += (
                    "; the run stopped after its deletions committed, and recovery recorded them"
                )
            audit.record(
                actor=by.get_username(),
                action="retention.purge",
                target=p.source,
                reason=reason,
                detail={
                    "events": p.events,
                    "identities": p.identities,
                    "records": p.records,
                    "replaced": p.replaced,
                    "cutoff": p.cutoff.isoformat(),
                    "write": write,
                },
            )


def record_unrecorded(*, by: User) -> list[Purged]:
    """Audit the last retention run's deletions if its process died before it did: what it
    noted in the stores' commit record. Call holding the load lock."""
    last = stores.last_commit(KIND)
    if last is None:
        return []
    write, note = last
    if (
        note is None
        or AuditEntry.objects.filter(action="retention.purge", detail__write=write).exists()
    ):
        return []
    purged = [Purged.from_note(entry) for entry in note["purged"]]
    record(purged=purged, write=write, by=by, recovered=True)
    return purged
