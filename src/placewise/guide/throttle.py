"""A limit on searches from one address, so that the public guide stands up to the internet:
counted by sharing.throttle in the shared database cache, as every worker and every restart must
see the same count (sign-in lock-outs count in the database for the same reason)."""

from collections.abc import Mapping
from typing import Any

from placewise.sharing import throttle

SEARCHES_PER_MINUTE = 30


def allow(meta: Mapping[str, Any], now: float | None = None) -> bool:
    """Count one search from this request's address; False once over the limit this minute."""
    return throttle.count(meta, scope="guide-searches", limit=SEARCHES_PER_MINUTE, now=now).allowed
