"""A rate limit for the open data downloads and the API, which anyone may call without signing
in. Counted per client address (as sign-in lock-outs find it, `sharing.lockout.client_address`)
in the shared database cache, so every worker and every restart sees the same count; a window
is one minute."""

import functools
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, JsonResponse

from placewise.sharing.lockout import client_address

WINDOW = 60  # seconds


def per_minute() -> int:
    """Requests one address may make in a minute (PLACEWISE_PUBLIC_API_PER_MINUTE, default 60)."""
    return int(getattr(settings, "PLACEWISE_PUBLIC_API_PER_MINUTE", 60))


def allowed(request: HttpRequest) -> tuple[bool, int]:
    """Whether this request is within the limit, and the seconds until the window ends."""
    now = time.time()
    window = int(now // WINDOW)
    key = f"public-api:{client_address(request.META)}:{window}"
    cache = caches["default"]
    cache.add(key, 0, WINDOW * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: this is the first request again
        cache.set(key, 1, WINDOW * 2)
        count = 1
    return count <= per_minute(), int(WINDOW - now % WINDOW) + 1


def error(status: int, code: str, message: str) -> JsonResponse:
    """A JSON error every route answers the same way."""
    return JsonResponse(
        {"error": {"status": status, "code": code, "message": message}}, status=status
    )


def limited(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Answer 429, in JSON with Retry-After, once an address has made too many requests; and
    405 to anything but a read."""

    @functools.wraps(view)
    def run(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            response = error(405, "read_only", "This is read-only: only GET is answered.")
            response["Allow"] = "GET, HEAD"
            return response
        ok, retry = allowed(request)
        if not ok:
            response = error(
                429,
                "rate_limited",
                f"Too many requests from your address: at most {per_minute()} a minute. "
                f"Try again in {retry} seconds.",
            )
            response["Retry-After"] = str(retry)
            return response
        return view(request, *args, **kwargs)

    return run
