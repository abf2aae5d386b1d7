"""An operator's writes: re-keying the place secret, and the audit entries for backups and
restores. Each is an action (sharing/writes.py): keyword-only, with its actor, atomic, audited."""

import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User

from placewise.operations import rekey as rekeying
from placewise.operations import secret_key
from placewise.sharing import audit, versions, writes
from placewise.sharing.models import Version
from placewise.sources import recovery
from placewise.store import stores
from placewise.store.pseudonymise import fingerprint


@dataclass(frozen=True)
class Rekeyed:
    tokens: int
    person_keys: int
    old: str  # fingerprints, never the secrets
    new: str


@writes.action
def rekey(*, opt_out_references: Sequence[tuple[str, str]] = (), by: User) -> Rekeyed:
    """Recompute every token and person key under a new place secret and retire the old one,
    all or nothing. Run `rekeying.settle()` first, and remove the journal after this commits. The
    stores are recovered first, under the same lock (a dead load or linkage run is settled)."""
    if os.environ.get(rekeying.VARIABLE):
        raise rekeying.RekeyRefused(
            f"the place secret comes from {rekeying.VARIABLE}, which this command cannot change: "
            "unset it (the home's secrets/place_secret is then used) and run it again"
        )
    if rekeying.journal().exists():
        raise rekeying.RekeyRefused("a re-keying was interrupted: settle it first")
    old = str(settings.PLACE_SECRET)
    new = secrets.token_hex(32)
    with stores.load_lock():
        # Settle the stores first: a write of both stores left in the journal, or a dead load's
        # rows, would otherwise keep tokens under the old secret (ADR 0028).
        recovery.recover_locked(by=by)
        maps = rekeying.plan(new, opt_out_references)
        rekeying.start(new, maps)
        audit.record(
            actor=by.get_username(),
            action="place_secret.rekey",
            target="place secret",
            reason="every token and person key recomputed; the old secret retired",
            detail={
                "tokens": maps.tokens.num_rows,
                "person_keys": maps.person_keys.num_rows,
                "old": fingerprint(old),
                "new": fingerprint(new),
            },
        )
        versions.bump(Version.Of.DATA, reason="the place secret was re-keyed")
        rekeying.apply(maps)
    settings.PLACE_SECRET = new
    return Rekeyed(
        maps.tokens.num_rows, maps.person_keys.num_rows, fingerprint(old), fingerprint(new)
    )


@writes.action
def backup_made(*, folder: Path, files: dict[str, Any], by: User) -> None:
    """Audit a backup: where it went and how much it holds (never what)."""
    audit.record(
        actor=by.get_username(),
        action="backup.make",
        target=str(folder)[:200],
        detail={"files": len(files), "bytes": sum(f["bytes"] for f in files.values())},
    )


@writes.action
def restored(*, folder: Path, manifest: dict[str, Any], by: User) -> None:
    """Audit a restore, in the restored log: which backup, made when."""
    audit.record(
        actor=by.get_username(),
        action="backup.restore",
        target=str(folder)[:200],
        detail={"made_at": manifest["made_at"], "placewise": manifest["placewise"]},
    )


@writes.action
def rotate_secret_key(*, by: User) -> int:
    """A new Django secret key, the old one kept as a fallback; audited."""
    kept = secret_key.rotate()
    audit.record(actor=by.get_username(), action="secret_key.rotate", target="Django secret key")
    return kept


@writes.action
def retire_old_secret_keys(*, by: User) -> int:
    """Stop accepting the keys rotated out; audited."""
    dropped = secret_key.retire_old()
    audit.record(
        actor=by.get_username(),
        action="secret_key.retire",
        target="Django secret key",
        detail={"keys": dropped},
    )
    return dropped
