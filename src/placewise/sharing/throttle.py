"""One count of requests per client address per minute, for everything anyone may use without
signing in: the public API and downloads, the public pages, the residents' guide's searches. Each
caller names its own budget (`scope`), so using up one never holds up another.

The address is found as the sign-in lock-outs find it (`lockout.client_address`, through trusted
proxies only) and kept in the cache only as a keyed hash, for the two minutes its window lasts, so
the cache never holds who asked. A count shared by every worker and every restart lives in the
database cache ("default"); one that must write nothing to the database per request (the public
pages) in each worker's memory ("local"), at the price of a budget that holds per worker. The
cache's increment is a read then a write, so parallel requests can undercount by a few: a limit on
abuse, not an exact meter.
"""

import hashlib
import hmac
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import caches

from placewise.sharing.lockout import client_address

WINDOW = 60  # seconds


@dataclass(frozen=True)
class Counted:
    allowed: bool  # within the budget for this window
    retry_after: int  # seconds until the window ends (for Retry-After)


def _key(scope: str, address: str, window: int) -> str:
    digest = hmac.new(str(settings.SECRET_KEY).encode(), address.encode(), hashlib.sha256)
    return f"{scope}:{digest.hexdigest()[:32]}:{window}"


def count(
    meta: Mapping[str, Any],
    *,
    scope: str,
    limit: int,
    cache: str = "default",
    now: float | None = None,
) -> Counted:
    """Count one request from this request's address (`request.META`) in `scope`: whether it
    is within `limit` a minute, and the seconds until the minute ends."""
    now = time.time() if now is None else now
    window = int(now // WINDOW)
    key = _key(scope, client_address(meta), window)
    store = caches[cache]
    if store.add(key, 1, timeout=WINDOW * 2):
        counted = 1
    else:
        try:
            counted = int(store.incr(key))
        except ValueError:  # expired between add and incr: the first of a new count
            store.set(key, 1, timeout=WINDOW * 2)
            counted = 1
    return Counted(counted <= limit, int(WINDOW - now % WINDOW) + 1)
