"""A limit on searches from one address, so that the public guide stands up to the internet.

Counted in the shared database cache (CACHES["default"]), as every worker and every restart must
see the same count (sign-in lock-outs count in the database for the same reason). The address is
kept only as a keyed hash, only for the minute it counts in, and never beside the words searched.
Behind a reverse proxy the client's address is read as the lock-outs read it
(sharing.lockout.client_address). The cache's increment is a read then a write, so parallel
requests can undercount by a few: a limit on abuse, not an exact meter.
"""

import hashlib
import hmac
import time
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.cache import caches

from placewise.sharing.lockout import client_address

SEARCHES_PER_MINUTE = 30


def _key(address: str, minute: int) -> str:
    digest = hmac.new(str(settings.SECRET_KEY).encode(), address.encode(), hashlib.sha256)
    return f"guide-searches:{digest.hexdigest()[:32]}:{minute}"


def allow(meta: Mapping[str, Any], now: float | None = None) -> bool:
    """Count one search from this request's address; False once over the limit this minute."""
    minute = int((now if now is not None else time.time()) // 60)
    key = _key(client_address(meta), minute)
    cache = caches["default"]
    if cache.add(key, 1, timeout=120):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: this is the first of a new count
        cache.add(key, 1, timeout=120)
        return True
    return int(count) <= SEARCHES_PER_MINUTE
