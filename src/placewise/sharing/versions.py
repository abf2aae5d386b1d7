"""Explicit versions for caches: a counter bumped, inside the same transaction, by every write that
changes what pages show — a load committed or replaced, a linkage run, retention's deletes, an
indicator retired, redefined or re-based (`data`); an agreement or someone's roles changed
(`access`). Pages key their caches by these numbers, never by counting rows or audit entries."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from placewise.sharing.models import Version


def current(of: Version.Of) -> int:
    """The counter's value now (0 before anything bumped it)."""
    return Version.objects.filter(of=of).values_list("number", flat=True).first() or 0


def bump(of: Version.Of, *, reason: str) -> None:
    """Move the counter on; called inside the write it stands for, so it rolls back with it."""
    with transaction.atomic():
        Version.objects.get_or_create(of=of)
        Version.objects.filter(of=of).update(
            number=F("number") + 1, reason=reason[:200], changed_at=timezone.now()
        )


def data() -> int:
    return current(Version.Of.DATA)


def access() -> int:
    return current(Version.Of.ACCESS)
