from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from placewise.sharing.access import AccessDenied
from placewise.sharing.models import Membership
from placewise.sharing.permissions import Role
from placewise.web.navigation import SECTIONS, menu


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The sections this person may use, with the pages in each."""
    return render(request, "web/home.html", {"items": menu(request.user)})


@login_required
def section_start(request: HttpRequest, section: str) -> HttpResponse:
    """A section's own address (/governance/, /learning/): the first of its pages this person
    may use, as the menu links it; or why they have none, rather than a page not found."""
    match = next((s for s in SECTIONS if s.slug == section), None)
    if match is None:
        raise Http404("No such section")
    mine = next((item for item in menu(request.user) if item.section.slug == section), None)
    if mine is None:
        raise AccessDenied(
            f"None of the {match.title} pages is open to your roles: {match.summary[0].lower()}"
            f"{match.summary[1:]} Ask your administrator if you need one."
        )
    return redirect(mine.url)


@login_required
def coming(request: HttpRequest, section: str) -> HttpResponse:
    match = next((s for s in SECTIONS if s.slug == section and not s.pages), None)
    if match is None:
        raise Http404("No such section")
    return render(request, "web/coming.html", {"section": match})


def denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A refusal that says why, so nobody is left guessing."""
    reason = getattr(exception, "reason", None) or "You do not have permission to see this page."
    return render(
        request,
        "web/denied.html",
        {"reason": reason, "data_owners": data_owners(request.user)},
        status=403,
    )


def data_owners(user: AbstractBaseUser | AnonymousUser) -> list[dict[str, str]]:
    """Who can grant this person access: the data owners of their own organisations."""
    if not user.is_authenticated:
        return []
    mine = Membership.objects.filter(user_id=user.pk).values("organisation")
    owners = (
        Membership.objects.filter(organisation__in=mine, role=Role.DATA_OWNER)
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__username")
    )
    return [
        {
            "name": m.user.get_full_name() or m.user.get_username(),
            "organisation": m.organisation.name,
        }
        for m in owners
    ]


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The site's own 404: what was asked for is not here, and where to go instead."""
    return render(request, "web/not_found.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """The site's own 500, without the request context (it may be what failed)."""
    from django.template import loader

    return HttpResponse(loader.get_template("web/server_error.html").render(), status=500)
