"""A limit on how often one address may ask for the public pages, so that nobody can scrape or
flood them. Counted in the shared cache (the database: every worker sees the same count), per
client address as sign-in throttling reads it (sharing.lockout.client_address: behind a trusted
proxy, the address the proxy saw, never a header the client wrote)."""

import functools
import time
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from placewise.sharing import lockout

PER_MINUTE = 60


def limited(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Answer 429, with when to try again, past PER_MINUTE requests a minute from one address."""

    @functools.wraps(view)
    def run(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        now = int(time.time())
        minute = now // 60
        key = f"community-public:{lockout.client_address(request.META)}:{minute}"
        if cache.add(key, 1, timeout=120):
            count = 1
        else:
            try:
                count = cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, timeout=120)
                count = 1
        if count > PER_MINUTE:
            wait = 60 - now % 60
            response = HttpResponse(
                "Too many requests from your network. Please try again in a minute.",
                status=429,
                content_type="text/plain; charset=utf-8",
            )
            response["Retry-After"] = str(wait)
            return response
        return view(request, *args, **kwargs)

    return run
