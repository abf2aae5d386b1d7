"""Writing to and checking the hash-chained audit log."""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from placewise.sharing.models import AuditEntry, AuditHead

GENESIS = "0" * 64


def _digest(
    seq: int,
    at: datetime,
    actor: str,
    action: str,
    target: str,
    allowed: bool | None,
    reason: str,
    detail: dict[str, Any],
    prev_hash: str,
) -> str:
    body = json.dumps(
        [
            seq,
            at.isoformat(timespec="microseconds"),
            actor,
            action,
            target,
            allowed,
            reason,
            detail,
            prev_hash,
        ],
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(body.encode()).hexdigest()


def record(
    *,
    actor: str,
    action: str,
    target: str = "",
    allowed: bool | None = None,
    reason: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry. Runs in its own transaction so a refusal is recorded even when the
    request that caused it goes on to fail."""
    detail = json.loads(json.dumps(detail or {}, default=str))
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        seq = head.seq + 1
        at = timezone.now()
        digest = _digest(seq, at, actor, action, target, allowed, reason, detail, head.hash)
        entry = AuditEntry.objects.create(
            seq=seq,
            at=at,
            actor=actor,
            action=action,
            target=target[:300],
            allowed=allowed,
            reason=reason,
            detail=detail,
            prev_hash=head.hash,
            hash=digest,
        )
        AuditHead.objects.filter(pk=1).update(seq=seq, hash=digest)
    return entry


@dataclass(frozen=True)
class Verification:
    ok: bool
    entries: int
    problem: str = ""


def verify() -> Verification:
    """Walk the chain; name the first entry that was altered, deleted, inserted or moved."""
    expected_seq, prev = 1, GENESIS
    count = 0
    for entry in AuditEntry.objects.order_by("seq", "id").iterator():
        count += 1
        if entry.seq != expected_seq:
            return Verification(
                False,
                count,
                f"entry {entry.seq}: expected entry {expected_seq} "
                "here; an entry was deleted, inserted or renumbered",
            )
        if entry.prev_hash != prev:
            return Verification(
                False,
                count,
                f"entry {entry.seq}: does not follow the entry "
                "before it; entries were deleted, inserted or reordered",
            )
        digest = _digest(
            entry.seq,
            entry.at,
            entry.actor,
            entry.action,
            entry.target,
            entry.allowed,
            entry.reason,
            entry.detail,
            entry.prev_hash,
        )
        if digest != entry.hash:
            return Verification(False, count, f"entry {entry.seq}: its contents were altered")
        prev, expected_seq = entry.hash, expected_seq + 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.seq != expected_seq - 1 or head.hash != prev):
        return Verification(
            False,
            count,
            f"the newest entries were removed: the log should end at "
            f"entry {head.seq} but ends at entry {expected_seq - 1}",
        )
    return Verification(True, count)
