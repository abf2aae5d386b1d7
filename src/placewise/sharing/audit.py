"""Writing to and checking the keyed, hash-chained audit log, and anchoring it outside the database.

Each entry's hash is an HMAC-SHA256, keyed with the place's audit key (`settings.AUDIT_KEY`, kept
in the place's secrets, never in the operational database), of the entry's fields and the previous
entry's hash. Someone who can write to the database but has not read the key cannot recompute the
chain to hide an edit. What the chain alone cannot show is a log cut back to an earlier entry with
the head row moved to match, or a log rewritten by someone who holds the key as well: an anchor
(`anchor()`, `placewise audit anchor`) is the newest entry's number and hash, signed and kept
outside the database, and `verify()` checks that the anchored entry is still there, unchanged, with
the record of the anchoring after it.

Chains written before the key (plain SHA-256) do not verify: placewise had not been released then,
so there are none to carry over.
"""

import hashlib
import hmac
import json
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import DatabaseError, models, transaction
from django.utils import timezone

from placewise.sharing.models import AuditEntry, AuditHead

GENESIS = "0" * 64
ANCHORS_FOLDER = "audit-anchors"


def _key() -> bytes:
    return str(settings.AUDIT_KEY).encode()


def _column(name: str) -> int:
    column = AuditEntry._meta.get_field(name)
    assert isinstance(column, models.CharField) and column.max_length, name
    return column.max_length


# What the columns hold, read from the model so the two cannot drift apart.
ACTOR, ACTION, TARGET = (_column(name) for name in ("actor", "action", "target"))


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
    return hmac.new(_key(), body.encode(), hashlib.sha256).hexdigest()


log = logging.getLogger(__name__)
# The refusals recorded inside the action running on this thread (sharing/writes.py).
_refusals = threading.local()


@contextmanager
def refusals_kept() -> Iterator[None]:
    """Around an action's transaction: if it fails, the refusals it recorded were rolled back with
    it, so they are written again after the rollback. Nested actions leave it to the outermost."""
    outermost = not hasattr(_refusals, "entries")
    if outermost:
        _refusals.entries = []
    try:
        yield
    except BaseException:
        if outermost:
            kept, _refusals.entries = _refusals.entries, None
            for entry in kept:
                try:
                    record(**entry)
                except DatabaseError:  # the failure may be the database itself: say so, go on
                    log.exception("refusal could not be recorded after a rollback: %s", entry)
        raise
    finally:
        if outermost:
            del _refusals.entries


def record(
    *,
    actor: str,
    action: str,
    target: str = "",
    allowed: bool | None = None,
    reason: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry, in a transaction of its own (a savepoint inside an action's). A refusal
    recorded inside an action is written again if the action fails (`refusals_kept`)."""
    kept = getattr(_refusals, "entries", None)
    if allowed is False and kept is not None:
        kept.append(
            {
                "actor": actor,
                "action": action,
                "target": target,
                "allowed": allowed,
                "reason": reason,
                "detail": detail,
            }
        )
    # Hash exactly what is stored: a request can make a target longer than its column, and an
    # entry hashed in full but stored cut short would read as altered for ever.
    actor, action, target = actor[:ACTOR], action[:ACTION], target[:TARGET]
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
            target=target,
            allowed=allowed,
            reason=reason,
            detail=detail,
            prev_hash=head.hash,
            hash=digest,
        )
        AuditHead.objects.filter(pk=1).update(seq=seq, hash=digest)
    return entry


class AnchorRejected(ValueError):
    """An anchor file that cannot be trusted, with the reason."""


@dataclass(frozen=True)
class Anchor:
    """The newest entry when the anchor was taken (`seq` 0 and the genesis hash: an empty log)."""

    seq: int
    hash: str
    at: str  # when the anchor was taken (ISO 8601)
    place: str
    path: Path | None = None

    def _signature(self) -> str:
        body = json.dumps(
            {"seq": self.seq, "hash": self.hash, "at": self.at, "place": self.place},
            sort_keys=True,
            separators=(",", ":"),
        )
        # Labelled, so an anchor's signature can never stand for an entry's hash or the reverse.
        return hmac.new(
            _key(), b"placewise audit anchor\n" + body.encode(), hashlib.sha256
        ).hexdigest()

    def as_json(self) -> str:
        """The anchor as the signed JSON a data owner keeps."""
        document = {"seq": self.seq, "hash": self.hash, "at": self.at, "place": self.place}
        return json.dumps({**document, "signature": self._signature()}, indent=2) + "\n"


def anchors_folder() -> Path:
    """Where the place keeps a copy of every anchor taken."""
    return Path(settings.PLACEWISE_HOME) / ANCHORS_FOLDER


def anchor(*, by: User, out: Path | None = None) -> Anchor:
    """Anchor the newest entry: write it, signed, to `out` (if given) and to the place's anchors
    folder, and record the anchoring as an entry after it. Nothing is recorded if a file cannot
    be written."""
    folder = anchors_folder()
    folder.mkdir(parents=True, exist_ok=True)
    with transaction.atomic():
        # Held until the anchoring is recorded, so that is the very next entry.
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        now = timezone.now()
        taken = Anchor(
            seq=head.seq,
            hash=head.hash,
            at=now.isoformat(timespec="seconds"),
            place=settings.PLACEWISE_COUNCIL_ORGANISATION,
        )
        copy = folder / f"{taken.seq:012d}-{now:%Y%m%dT%H%M%S%f}.json"
        record(
            actor=by.get_username(),
            action="audit.anchor",
            target=f"entry {taken.seq}",
            detail={"hash": taken.hash, "kept_at": str(out) if out else "", "copy": str(copy)},
        )
        # The place's copy never overwrites an earlier anchor ("x"); the data owner's file may.
        targets = [(copy, "x")] + ([(out, "w")] if out is not None else [])
        written: list[Path] = []
        try:
            for path, mode in targets:
                with path.open(mode) as file:
                    file.write(taken.as_json())
                written.append(path)
        except OSError:
            # The anchoring is rolled back with the exception: leave no anchor it doesn't record.
            for path in written:
                path.unlink(missing_ok=True)
            raise
    return taken


def read_anchor(path: Path) -> Anchor:
    """An anchor file, checked against this place's audit key. OSError if it cannot be read."""
    try:
        document = json.loads(path.read_text())
        found = Anchor(
            seq=int(document["seq"]),
            hash=str(document["hash"]),
            at=str(document["at"]),
            place=str(document["place"]),
            path=path,
        )
        signature = str(document["signature"])
    except (ValueError, TypeError, KeyError):
        raise AnchorRejected(
            f"{path} is not an audit anchor made by `placewise audit anchor`"
        ) from None
    if not hmac.compare_digest(signature, found._signature()):
        raise AnchorRejected(
            f"the anchor {path} is not signed with this place's audit key: it was altered, "
            "or it belongs to another place"
        )
    return found


def newest_anchor() -> Path | None:
    """The newest anchor in the place's anchors folder, if there is one."""
    # Names start with the zero-padded entry number, then the time: the last name is the newest.
    found = sorted(anchors_folder().glob("*.json"))
    return found[-1] if found else None


@dataclass(frozen=True)
class Verification:
    """What `verify()` found: every problem, in the order of the log, and the anchor checked."""

    entries: int
    problems: tuple[str, ...] = ()
    anchor: Anchor | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def problem(self) -> str:
        """The first problem, or "" when the log is intact."""
        return self.problems[0] if self.problems else ""


@dataclass
class _Walk:
    """Checks entries one after another, naming every bad one and carrying on after it."""

    watch: int | None  # the anchored entry's number, whose hash is kept
    problems: list[str] = field(default_factory=list)
    entries: int = 0
    last: int = 0
    prev: str = GENESIS
    watched: str | None = None

    def check(self, entry: AuditEntry) -> None:
        self.entries += 1
        expected = self.last + 1
        # One problem per entry; the walk then goes on from this entry as it stands, so a single
        # edit is named once and a second tampering further on is still found.
        if entry.seq != expected:
            self.problems.append(
                f"entry {entry.seq}: expected entry {expected} here; "
                "an entry was deleted, inserted or renumbered"
            )
        elif entry.prev_hash != self.prev:
            self.problems.append(
                f"entry {entry.seq}: does not follow the entry before it; "
                "entries were deleted, inserted or reordered"
            )
        elif entry.hash != _digest(
            entry.seq,
            entry.at,
            entry.actor,
            entry.action,
            entry.target,
            entry.allowed,
            entry.reason,
            entry.detail,
            entry.prev_hash,
        ):
            self.problems.append(f"entry {entry.seq}: its contents were altered")
        if entry.seq == self.watch:
            self.watched = entry.hash
        self.last, self.prev = entry.seq, entry.hash


def _load(anchor: Path | None) -> tuple[Anchor | None, str]:
    path = anchor if anchor is not None else newest_anchor()
    if path is None:
        return None, ""
    try:
        return read_anchor(path), ""
    except AnchorRejected as rejected:
        return None, str(rejected)


def verify(anchor: Path | None = None) -> Verification:
    """Walk the chain and name every entry that was altered, deleted, inserted or moved; check it
    against an anchor (this file, or by default the newest in the place's anchors folder).
    OSError if a given anchor file cannot be read."""
    trusted, rejected = _load(anchor)
    walk = _Walk(watch=trusted.seq if trusted else None)
    for entry in AuditEntry.objects.order_by("seq", "id").iterator():
        walk.check(entry)
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and head.seq > walk.last:
        # Appended while we walked (an entry and the head are written in one transaction, so
        # entries up to this head are there to read now), or removed: read on to find out.
        for entry in AuditEntry.objects.filter(seq__gt=walk.last, seq__lte=head.seq).order_by(
            "seq", "id"
        ):
            walk.check(entry)
    problems = walk.problems
    if head is None:
        if walk.entries:
            problems.append(
                "the head row that marks the newest entry is missing: it was deleted outside "
                "placewise"
            )
    elif head.seq > walk.last:
        problems.append(
            f"the newest entries were removed: the log should end at entry {head.seq} "
            f"but ends at entry {walk.last}"
        )
    elif head.seq < walk.last:
        problems.append(
            f"entries after entry {head.seq} were added outside placewise: the log should end "
            f"at entry {head.seq} but ends at entry {walk.last}"
        )
    elif head.hash != walk.prev:
        problems.append(f"entry {walk.last}: is not the newest entry placewise wrote")
    if rejected:
        problems.append(rejected)
    elif trusted is not None:
        problems.extend(_against(trusted, walk))
    return Verification(walk.entries, tuple(problems), trusted)


def _against(trusted: Anchor, walk: _Walk) -> list[str]:
    # The anchoring is recorded as the entry after the anchored one, so an intact log always
    # goes past it: a log that stops at or before the anchored entry was cut back.
    if walk.last < trusted.seq:
        return [
            f"the log ends at entry {walk.last}, but entry {trusted.seq} was anchored after it: "
            "the newest entries were removed"
        ]
    if walk.last == trusted.seq:
        return [
            f"the log ends at entry {walk.last}, the anchored entry, but the anchoring was "
            "recorded after it: the newest entries were removed"
        ]
    anchored = GENESIS if trusted.seq == 0 else walk.watched
    if anchored is None:
        return [f"entry {trusted.seq}, which was anchored, is missing from the log"]
    if anchored != trusted.hash:
        return [
            f"entry {trusted.seq} is not the entry that was anchored: the log was rewritten "
            "after the anchor"
        ]
    return []
