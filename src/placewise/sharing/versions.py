"""Explicit versions for caches: a counter bumped, inside the same transaction, by every write that
changes what pages show — a load committed or replaced, a linkage run, retention's deletes, an
indicator retired, redefined or re-based (`data`); an agreement or someone's roles changed
(`access`). Pages key their caches by these numbers, never by counting rows or audit entries.

Within one request (`pinned`, web/caching.py) each counter is read once: a page asks for its
figures, its signals and what partners see of them, each keyed by the version, and a page read at
one version throughout is both cheaper and never a mixture of two."""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from placewise.sharing.models import Version

T = TypeVar("T")
_request = threading.local()  # what this thread's request has read: {key: value}, or None


@contextmanager
def pinned() -> Iterator[None]:
    """Read each counter once until the end of the block (one request), and keep what `once`
    works out as long."""
    if getattr(_request, "found", None) is not None:  # already inside one
        yield
        return
    _request.found = {}
    try:
        yield
    finally:
        _request.found = None


def once(key: str, compute: Callable[[], T]) -> T:
    """`compute()` once in the pinned block, so a value a request reads many times is read once
    (outside one, every time). Forgotten when this thread bumps a counter."""
    found: dict[str, Any] | None = getattr(_request, "found", None)
    if found is None:
        return compute()
    if key not in found:
        found[key] = compute()
    value: T = found[key]
    return value


def current(of: Version.Of) -> int:
    """The counter's value now (0 before anything bumped it)."""
    return once(
        f"version:{of}",
        lambda: Version.objects.filter(of=of).values_list("number", flat=True).first() or 0,
    )


def bump(of: Version.Of, *, reason: str) -> None:
    """Move the counter on; called inside the write it stands for, so it rolls back with it."""
    with transaction.atomic():
        Version.objects.get_or_create(of=of)
        Version.objects.filter(of=of).update(
            number=F("number") + 1, reason=reason[:200], changed_at=timezone.now()
        )
    # What this request read before its own write is out of date: read it again.
    if getattr(_request, "found", None) is not None:
        _request.found = {}


def data() -> int:
    return current(Version.Of.DATA)


def access() -> int:
    return current(Version.Of.ACCESS)
