"""Settling what a load that died left behind, and recording each load's outcome.

Recovery runs before every ingest, link and serve (and as `placewise recover`), under the load
lock that a load holds from its staging record to its outcome, so it only ever settles what a
dead process left: the stores' part is stores.recover(), which also puts back what such a load
had replaced (ADR 0002, ADR 0016) and undoes a linkage run or an opt-out's removal that died
between the stores (ADR 0028); this module marks each load left in progress loaded or failed,
audits what was undone, finishes the removal of an opt-out whose register entry committed
(sharing/opt_outs.py), audits a retention run's deletions that committed unaudited
(sources/purges.py), and lets the apps above settle theirs (sources/signals.py: a linkage run's report).
"""

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from placewise.sharing import audit, opt_outs, versions
from placewise.sharing.models import Version
from placewise.sources import purges, signals, supersession
from placewise.sources.models import Load
from placewise.store import pseudonymise, stores
from placewise.store.stores import Recovered


def recover(*, by: User) -> Recovered:
    """Settle what a load that died left behind: enclave identities that no committed load owns
    are deleted, and each load left 'in progress' is marked loaded (its analytic transaction had
    committed) or failed (it had not). Run before every ingest, link and serve, and as
    `placewise recover`. Audited when it finds anything."""
    with stores.load_lock():
        return recover_locked(by=by)


@contextmanager
def only_committed_loads(*, by: User) -> Iterator[Recovered]:
    """Recover, then hold the load lock: what is read inside is exactly the committed loads
    (linkage reads the enclave's identities this way)."""
    with stores.load_lock():
        yield recover_locked(by=by)


# What recovery did to a write through stores.replace that never committed, by its kind.
UNDONE = {
    "link": "a linkage run that stopped before it committed was undone: the links of the run "
    "before it stand in both stores; run the linkage again",
    "forget": "an opt-out's removal from the stores that stopped before it committed was "
    "undone: the record's rows stand in both stores as they were before it, until the "
    "opt-out's removal is finished",
    "retention": "a retention run that stopped before it committed was undone: both stores hold "
    "what they held before it; run retention again",
}


def describe_undone(kinds: tuple[str, ...]) -> list[str]:
    """In words, each write through stores.replace that recovery undid."""
    return [
        UNDONE.get(
            kind, f"a write of both stores ({kind}) that stopped before it committed was undone"
        )
        for kind in kinds
    ]


def recover_locked(*, by: User) -> Recovered:
    """recover(), for a caller that holds the load lock already. Refused (SecretChanged) in a
    process that outlived a re-keying: every load and linkage run comes through here, under the
    lock, before it writes anything."""
    pseudonymise.check_still_in_use()
    recovered = stores.recover()
    staging = list(Load.objects.filter(status=Load.Status.STAGING))
    supersession.recovered([load for load in staging if load.pk in recovered.committed])
    for load in staging:
        if load.pk in recovered.committed:
            status, message = (
                Load.Status.LOADED,
                f"loaded {load.rows_loaded:,} rows ({load.identities:,} identities to the "
                f"enclave, {load.events:,} events to the analytic store); the process stopped "
                "after the load committed, and recovery recorded it",
            )
            if supersession.describe(load.changes):
                message += f"; {supersession.describe(load.changes)}"
        else:
            status, message = (
                Load.Status.FAILED,
                "failed, nothing loaded: the process stopped before the load committed, and "
                "recovery removed what it had written and put back what it had replaced",
            )
            Load.objects.filter(pk=load.pk).update(rows_loaded=0, identities=0, events=0)
        finish(load, status, message, by.get_username(), action="load.recover")
    if recovered.identities_removed:
        audit.record(
            actor=by.get_username(),
            action="load.recover",
            target="enclave",
            reason=f"removed {recovered.identities_removed:,} identities that no committed "
            f"load owns, and put back {recovered.identities_restored:,} they had replaced",
            detail={
                "identities_removed": recovered.identities_removed,
                "identities_restored": recovered.identities_restored,
            },
        )
    for kind, words in zip(
        recovered.writes_undone, describe_undone(recovered.writes_undone), strict=True
    ):
        audit.record(
            actor=by.get_username(),
            action="store.recover",
            target="enclave",
            reason=words,
            detail={"write": kind},
        )
    if recovered.writes_undone:
        # Readers may have cached what the undone write had put in the enclave.
        versions.bump(Version.Of.DATA, reason="recovery undid an interrupted write")
    # After the stores are settled: an opt-out whose register entry committed is finished, its
    # record's rows removed again from stores as before or as after its removal (ADR 0028).
    finished = opt_outs.finish_interrupted(by=by)
    # A retention run that died after its deletions committed: its audit entries, from its note.
    recorded = purges.record_unrecorded(by=by)
    above = tuple(words for _, words in signals.settled.send(sender=Recovered, by=by) if words)
    return dataclasses.replace(
        recovered,
        opt_outs_finished=len(finished),
        retention_recorded=tuple(purged.source for purged in recorded),
        above=above,
    )


@transaction.atomic
def finish(load: Load, status: str, message: str, actor: str, action: str = "") -> None:
    """Record a load's outcome, and audit it."""
    Load.objects.filter(pk=load.pk).update(
        status=status, finished_at=timezone.now(), message=message
    )
    load.refresh_from_db()
    # Every outcome, not only a load that committed: recovery may have taken back rows that a
    # page had already read (and cached) while the load was in progress.
    versions.bump(Version.Of.DATA, reason=f"load {load.pk} {status}")
    audit_load(load, actor, action or f"load.{status}")


def audit_load(load: Load, actor: str, action: str, reason: str = "") -> None:
    """Audit a step of a load, with what the file was."""
    audit.record(
        actor=actor,
        action=action,
        target=f"load {load.pk}: {load.file_name}",
        allowed={"load.refused": False, "load.loaded": True}.get(action),
        reason=reason or load.message,
        detail={
            "status": load.status,
            "source": load.source,
            "organisation": load.organisation.name if load.organisation else "",
            "format": load.format,
            "sha256": load.file_sha256,
        },
    )
