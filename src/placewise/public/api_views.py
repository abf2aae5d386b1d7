"""The read-only open data API, version 1: published figures only, as JSON, paged, rate-limited.

Nothing person-level is reachable: the API reads nothing but the frozen tables of signed-off
figures (`public.queries`), which `sharing.publication` made from monthly counts. Every
parameter is checked for its length and form; an unknown one is refused, not ignored, so a
caller learns at once that no route takes a person's reference."""

import re
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse

from placewise.public import openapi, queries
from placewise.public.throttle import error, limited

PER_PAGE = 20
MAX_PER_PAGE = 100
MAX_PARAMETER = 100  # characters
NUMBER = re.compile(r"[0-9]{1,6}")
KEY = re.compile(r"[A-Za-z0-9_ .-]{1,100}")
PARAMETERS = {"figures": {"page", "per_page", "indicator", "area"}, "figure": set(), "index": set()}


class BadParameter(ValueError):
    """A parameter the API refuses, with the message it answers."""


def _checked(request: HttpRequest, route: str) -> dict[str, str]:
    unknown = sorted(set(request.GET) - PARAMETERS[route])
    if unknown:
        known = ", ".join(sorted(PARAMETERS[route])) or "none"
        raise BadParameter(
            f"Unknown parameter {unknown[0][:MAX_PARAMETER]!r}: this route takes {known}."
        )
    found = {}
    for name in request.GET:
        values = request.GET.getlist(name)
        if len(values) > 1:
            raise BadParameter(f"Give {name} once.")
        if len(values[0]) > MAX_PARAMETER:
            raise BadParameter(f"{name} is longer than {MAX_PARAMETER} characters.")
        found[name] = values[0]
    return found


def _number(found: dict[str, str], name: str, default: int, most: int | None) -> int:
    text = found.get(name)
    if text is None:
        return default
    if not NUMBER.fullmatch(text) or int(text) < 1:
        raise BadParameter(f"{name} must be a whole number from 1.")
    if most is not None and int(text) > most:
        raise BadParameter(f"{name} must be at most {most}.")
    return int(text)


def _summary(request: HttpRequest, figure: Any) -> dict[str, Any]:
    return {
        "id": figure.pk,
        "indicator": figure.indicator,
        "title": figure.title,
        "area": figure.team,
        "units": figure.units,
        "revision": figure.revision,
        "next_update": figure.next_update.isoformat(),
        "url": request.build_absolute_uri(reverse("api:figure", args=[figure.pk])),
    }


@limited
def index(request: HttpRequest) -> HttpResponse:
    """What version 1 offers."""
    try:
        _checked(request, "index")
    except BadParameter as bad:
        return error(400, "bad_parameter", str(bad))
    return JsonResponse(
        {
            "version": "1",
            "figures": request.build_absolute_uri(reverse("api:figures")),
            "openapi": request.build_absolute_uri(reverse("api:openapi")),
        }
    )


@limited
def figures(request: HttpRequest) -> HttpResponse:
    """Published figures, a page at a time (page, per_page), optionally of one indicator or area."""
    try:
        found = _checked(request, "figures")
        page = _number(found, "page", 1, None)
        per_page = _number(found, "per_page", PER_PAGE, MAX_PER_PAGE)
        for name in ("indicator", "area"):
            if name in found and not KEY.fullmatch(found[name]):
                raise BadParameter(f"{name} has characters no indicator or area name has.")
    except BadParameter as bad:
        return error(400, "bad_parameter", str(bad))
    chosen = queries.published().order_by("pk")
    if "indicator" in found:
        chosen = chosen.filter(indicator=found["indicator"])
    if "area" in found:
        chosen = chosen.filter(team=found["area"])
    total = chosen.count()
    pages = max(1, -(-total // per_page))
    if page > pages:
        return error(404, "no_such_page", f"There are {pages} pages of {per_page}.")
    shown = chosen[(page - 1) * per_page : page * per_page]

    def link(number: int) -> str:
        query = request.GET.copy()
        query["page"] = str(number)
        return request.build_absolute_uri(f"{reverse('api:figures')}?{query.urlencode()}")

    return JsonResponse(
        {
            "count": total,
            "page": page,
            "pages": pages,
            "per_page": per_page,
            "next": link(page + 1) if page < pages else None,
            "previous": link(page - 1) if page > 1 else None,
            "results": [_summary(request, f) for f in shown],
        }
    )


@limited
def figure(request: HttpRequest, pk: int) -> HttpResponse:
    """One published figure: its metadata and its months."""
    try:
        _checked(request, "figure")
    except BadParameter as bad:
        return error(400, "bad_parameter", str(bad))
    found = queries.published_figure(pk)
    if found is None:
        return error(404, "not_found", "No published figure has this id.")
    return JsonResponse({"metadata": queries.metadata(found), "months": queries.rows(found)})


@limited
def description(request: HttpRequest) -> HttpResponse:
    """The OpenAPI description of version 1."""
    return JsonResponse(openapi.document(request.build_absolute_uri("/api/v1")))


def not_found(request: HttpRequest, path: str = "") -> HttpResponse:
    """Any other address under /api/: a JSON answer, not a web page."""
    return error(404, "not_found", "No such route. See /api/v1/openapi.json.")
