"""Pages with person-level data, or behind sign-in, are never kept by a browser or a proxy.

A shared computer's back button or a caching proxy must not show one worker's view of a child to
the next person. The rule is deliberately broad: every response to a signed-in user, and the
person-level pages whatever the response (a redirect to sign in names the case it was for).
Static files are served by WhiteNoise before this runs, so they stay cacheable.
"""

import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.http import HttpRequest, HttpResponse

from placewise.sharing import versions

# Pages that show a person, a pair of records or the children behind a figure.
PERSON_LEVEL = re.compile(
    r"^/(?:learning/people/|data/linkage/review/|outcomes/indicators/[^/]+/children/)"
)


def holds_person_level_data(request: HttpRequest) -> bool:
    """Whether the response to this request may show person-level data or a signed-in page."""
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated) or bool(
        PERSON_LEVEL.match(request.path)
    )


class NoStoreForPersonalPages:
    """Sends `Cache-Control: no-store` (and `Pragma: no-cache` for HTTP/1.0 caches)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if holds_person_level_data(request):
            # Replaces whatever a view set: nothing on these pages may be stored anywhere.
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response


class OneVersionPerRequest:
    """Reads the data and access versions once per request (sharing/versions.py `pinned`): a
    page's cached figures, signals and what partners see of them are each keyed by the version,
    and each read of it was a query or two of its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with versions.pinned():
            return self.get_response(request)


class ProcessMemoryCache(BaseCache):
    """This process's own copy of what it read from the shared cache (`caches["local"]`).

    Django's LocMemCache pickles every value it stores and unpickles it on every read: for the
    indicator table and its signals, read several times by every page, that was much of a page's
    time. Values are kept as they are instead, so whoever reads one must not change it (the
    figures are read, never changed, by the pages). Oldest entries are dropped past MAX_ENTRIES.
    """

    def __init__(self, name: str, params: dict[str, Any]) -> None:
        super().__init__(params)
        self._entries: OrderedDict[str, tuple[float | None, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def _live(self, key: str) -> bool:
        entry = self._entries.get(key)
        if entry is None:
            return False
        if entry[0] is not None and entry[0] <= time.time():
            del self._entries[key]
            return False
        return True

    def _put(self, key: str, value: Any, timeout: Any) -> None:
        self._entries[key] = (self.get_backend_timeout(timeout), value)
        self._entries.move_to_end(key)
        while len(self._entries) > self._max_entries:
            self._entries.popitem(last=False)

    def add(
        self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            if self._live(key):
                return False
            self._put(key, value, timeout)
            return True

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            if not self._live(key):
                return default
            self._entries.move_to_end(key)
            return self._entries[key][1]

    def set(
        self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            self._put(key, value, timeout)

    def touch(self, key: str, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            if not self._live(key):
                return False
            self._put(key, self._entries[key][1], timeout)
            return True

    def delete(self, key: str, version: int | None = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            return self._entries.pop(key, None) is not None

    def has_key(self, key: str, version: int | None = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            return self._live(key)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
