"""While a load or linkage holds the analytic store for writing, pages that read it say so.

DuckDB lets one process write a database file and nobody else open it meanwhile
(placewise.store.stores raises StoreBusy). That is a wait of a minute or so, not a fault: people
are told the data is being updated and when to try again, instead of "Server Error (500)".
"""

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from placewise.store.stores import StoreBusy

logger = logging.getLogger(__name__)

# Seconds: a load of a partner's file usually commits within a minute.
RETRY_AFTER = 60


class StoreBusyPage:
    """Answers 503 with a `Retry-After` header when a view finds the store busy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, StoreBusy):
            return None  # every other error is a fault, and Django reports it as one
        logger.warning(
            "Store busy for %s: %s",
            request.path.encode("unicode_escape").decode("ascii"),
            exception,
        )
        response = render(request, "web/store_busy.html", {"retry_after": RETRY_AFTER}, status=503)
        response["Retry-After"] = str(RETRY_AFTER)
        return response
