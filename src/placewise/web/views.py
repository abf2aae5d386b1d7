from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from placewise.web.navigation import SECTIONS, section_url


@login_required
def home(request: HttpRequest) -> HttpResponse:
    sections = [(s, section_url(s)) for s in SECTIONS]
    return render(request, "web/home.html", {"sections": sections})


@login_required
def coming(request: HttpRequest, section: str) -> HttpResponse:
    match = next((s for s in SECTIONS if s.slug == section and s.url_name is None), None)
    if match is None:
        raise Http404("No such section")
    return render(request, "web/coming.html", {"section": match})


def denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A refusal that says why, so nobody is left guessing."""
    reason = getattr(exception, "reason", None) or "You do not have permission to see this page."
    return render(request, "web/denied.html", {"reason": reason}, status=403)
