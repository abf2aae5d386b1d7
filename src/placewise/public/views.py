"""Pages anyone can read without signing in: what is shared, why, by whom, and how to opt out."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from placewise.sharing.models import Agreement, Party


def register(request: HttpRequest) -> HttpResponse:
    agreements = Agreement.objects.filter(status=Agreement.Status.ACTIVE).prefetch_related(
        "parties__organisation", "datasets__provider", "datasets__recipient"
    )
    owners = (
        Party.objects.filter(agreement__status=Agreement.Status.ACTIVE)
        .select_related("organisation", "data_owner")
        .order_by("organisation__name")
    )
    named = {
        p.organisation.name: p.data_owner.get_full_name() or p.data_owner.get_username()
        for p in owners
    }
    return render(
        request, "public/register.html", {"agreements": agreements, "owners": sorted(named.items())}
    )
