"""Pages with person-level data, or behind sign-in, are never kept by a browser or a proxy.

A shared computer's back button or a caching proxy must not show one worker's view of a child to
the next person. The rule is deliberately broad: every response to a signed-in user, and the
person-level pages whatever the response (a redirect to sign in names the case it was for).
Static files are served by WhiteNoise before this runs, so they stay cacheable.
"""

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

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
