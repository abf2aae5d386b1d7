"""Rate limits for what anyone may read without signing in: the open data downloads and the API
(answered in JSON), and the public pages (answered with an HTML page), each with its own budget.
Counted per client address by `sharing.throttle.count`; a window is one minute. The API's count
is kept in the shared database cache, so every worker and every restart sees the same count. The
pages' count is kept in each web worker's memory: a page view writes nothing to the database (on
SQLite every write takes the one write lock, and the pages are what the public reads most), at the
price of a budget that holds per worker."""

import functools
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import render

from placewise.sharing import throttle

API = "public-api"  # the API and the downloads
PAGES = "public-pages"  # the public HTML pages


def per_minute() -> int:
    """Requests one address may make in a minute (PLACEWISE_PUBLIC_API_PER_MINUTE, default 60)."""
    return int(getattr(settings, "PLACEWISE_PUBLIC_API_PER_MINUTE", 60))


def pages_per_minute() -> int:
    """Public pages one address may read in a minute (PLACEWISE_PUBLIC_PAGES_PER_MINUTE, default
    300): larger than the API's, as a person reading the portal opens a page at a time."""
    return int(getattr(settings, "PLACEWISE_PUBLIC_PAGES_PER_MINUTE", 300))


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
        counted = throttle.count(request.META, scope=API, limit=per_minute())
        retry = counted.retry_after
        if not counted.allowed:
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


def page_limited(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For a public HTML page: answer 429 with a page saying when to try again (and Retry-After)
    once an address has read more than its budget of pages this minute; and 405 to anything but
    a read."""

    @functools.wraps(view)
    def run(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        limit = pages_per_minute()
        # Counted in this worker's memory: a page view writes nothing to the database.
        counted = throttle.count(request.META, scope=PAGES, limit=limit, cache="local")
        retry = counted.retry_after
        if not counted.allowed:
            response = render(
                request,
                "public/too_many.html",
                {"per_minute": limit, "retry": retry},
                status=429,
            )
            response["Retry-After"] = str(retry)
            return response
        return view(request, *args, **kwargs)

    return run
