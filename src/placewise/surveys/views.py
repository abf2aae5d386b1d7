"""Leadership survey pages (issue 18, items 2 and 4)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse


@login_required
def round_page(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404("Still being built.")
