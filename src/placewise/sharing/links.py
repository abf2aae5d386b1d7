"""A link that works without an account: signed, for one purpose, expiring, used once (ADR 0025's
way, and now the one way: governance's invitations to join, surveys' rater links and the place
survey's links all use it, ADR 0031).

The token is `<row id>.<secret>` signed with Django's `Signer` under the purpose's own salt (the
salts the three links were first made with, so links already sent keep working). The secret is
24 random bytes; only its SHA-256 is kept in the row, so a copy of the database holds no working
link, and it is compared in constant time. A link for one purpose fails the signature of every
other: a rater's link is never an invitation to join.

`check` says whether a link may be used, and if not why, in words for a person; the row comes
back whenever the link is one placewise made for this purpose and not withdrawn, so a caller
can say when it was used or expired. `use` is called inside the caller's own `atomic()` write:
it locks the row, checks again, and marks it used, so two tabs submitting at once use it once.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum, StrEnum
from typing import Generic, TypeVar

from django.core import signing
from django.db import models, transaction
from django.utils import timezone


class Purpose(StrEnum):
    """What a link is for; its value is the signing salt (kept as first released)."""

    INVITATION = "placewise.governance.invitation"  # to join the place with a role
    RATER = "placewise.surveys.rater"  # to rate someone in a 360 round
    PLACE_SURVEY = "placewise.approaches.place_survey"  # to answer a round of the place survey


class Refusal(Enum):
    """Why a link cannot be used, in words for the person who followed it."""

    NOT_VALID = "This link is not valid."  # altered, cut short, or made for something else
    WITHDRAWN = "This link has been withdrawn."  # its row is gone, or the secret does not match
    USED = "This link has already been used."
    JUST_USED = "This link has just been used."  # by another tab, while this one was open
    EXPIRED = "This link has expired."


class OnceLink(models.Model):
    """A row a link names: the hash of its secret and when it expires. Each kind of row says how
    it records being used (an invitation the moment it was accepted, a rater the day they
    answered), as it shows that to people."""

    nonce_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField()

    class Meta:
        abstract = True

    @property
    def link_used(self) -> bool:
        raise NotImplementedError

    def mark_link_used(self, moment: datetime) -> None:
        """Record that the link was used at `moment` (saved)."""
        raise NotImplementedError


class AnsweredLink(OnceLink):
    """A link to answer something once (a 360 rating, the place survey), used on the local day
    it was answered: only the day is kept, as the answers themselves carry no time."""

    answered_on = models.DateField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def link_used(self) -> bool:
        return self.answered_on is not None

    def mark_link_used(self, moment: datetime) -> None:
        self.answered_on = timezone.localdate(moment)
        self.save(update_fields=["answered_on"])


Row = TypeVar("Row", bound=OnceLink)


@dataclass(frozen=True)
class Issued(Generic[Row]):
    row: Row
    token: str  # goes in the link; never stored


@dataclass(frozen=True)
class Checked(Generic[Row]):
    """A link checked: `refusal` None when it may be used. `row` is None only when the link is
    not valid or withdrawn (there is nothing of the person's to say more about)."""

    row: Row | None
    refusal: Refusal | None = None

    @property
    def ok(self) -> bool:
        return self.refusal is None

    @property
    def reason(self) -> str:
        """Why it cannot be used, in words ("" when it can)."""
        return self.refusal.value if self.refusal else ""


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue(
    purpose: Purpose,
    rows: "models.Manager[Row]",
    *,
    days: int,
    now: datetime | None = None,
    **fields: object,
) -> Issued[Row]:
    """Create the row with `fields` and a new secret's hash, expiring `days` from now, and the
    token for its link (returned this once)."""
    secret = secrets.token_urlsafe(24)
    row = rows.create(
        **fields,
        nonce_hash=_digest(secret),
        expires_at=(now or timezone.now()) + timedelta(days=days),
    )
    return Issued(row, signing.Signer(salt=purpose.value).sign(f"{row.pk}.{secret}"))


def check(
    token: str,
    purpose: Purpose,
    rows: "models.QuerySet[Row]",
    *,
    now: datetime | None = None,
) -> Checked[Row]:
    """Whether the link may be used for `purpose`, looking its row up in `rows` (which may
    select related rows the caller will show): signature, secret, used, expiry, in that order."""
    try:
        value = signing.Signer(salt=purpose.value).unsign(token)
    except signing.BadSignature:
        return Checked(None, Refusal.NOT_VALID)
    pk, _, secret = value.partition(".")
    row = rows.filter(pk=int(pk)).first() if pk.isdigit() else None
    if row is None or not hmac.compare_digest(row.nonce_hash, _digest(secret)):
        return Checked(None, Refusal.WITHDRAWN)
    return _state(row, now or timezone.now())


def _state(row: Row, now: datetime) -> Checked[Row]:
    if row.link_used:
        return Checked(row, Refusal.USED)
    if row.expires_at <= now:
        return Checked(row, Refusal.EXPIRED)
    return Checked(row)


def use(row: Row, *, now: datetime | None = None) -> Checked[Row]:
    """Inside the caller's write, for a row `check` let through: lock it, check again that it is
    unused and unexpired, and mark it used. The caller's later refusal rolls the marking back
    with everything else. A row a second tab used meanwhile is refused as JUST_USED."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("a link is used inside the write that acts on it (atomic)")
    now = now or timezone.now()
    # Lock only the row itself, not what the caller's query selected with it.
    locked = type(row)._default_manager.select_for_update().get(pk=row.pk)
    checked = _state(locked, now)
    if checked.refusal is Refusal.USED:
        return Checked(locked, Refusal.JUST_USED)
    if checked.ok:
        locked.mark_link_used(now)
    return checked
