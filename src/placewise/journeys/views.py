"""A person's records from one source, reached from a case reference, through the policy function.

Issue 4 turns this into the child's journey across every source; the policy and audit are the same.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from placewise.journeys.forms import FindPersonForm
from placewise.journeys.journey import across_agencies
from placewise.sharing import audit, policy
from placewise.sharing.access import AccessDenied, require
from placewise.sharing.permissions import Permission
from placewise.store import queries
from placewise.store.pseudonymise import Tokeniser


def _purpose_key(source: str, reference: str) -> str:
    return f"purpose:{source}/{reference}"


@login_required
def find_person(request: HttpRequest) -> HttpResponse:
    require(request.user, Permission.PERSON_VIEW)
    form = FindPersonForm(request.POST or None, initial=request.GET.dict())
    if request.method != "POST" or not form.is_valid():
        return render(request, "journeys/find_person.html", {"form": form})
    source, reference = form.cleaned_data["source"], form.cleaned_data["reference"]
    # Asked once per case: kept for this session only.
    request.session[_purpose_key(source, reference)] = form.cleaned_data["purpose"]
    return redirect("journeys:person", source=source, reference=reference)


@login_required
def person(request: HttpRequest, source: str, reference: str) -> HttpResponse:
    require(request.user, Permission.PERSON_VIEW)
    purpose = request.session.get(_purpose_key(source, reference))
    if not purpose:
        query = urlencode({"source": source, "reference": reference})
        return redirect(f"{reverse('journeys:find')}?{query}")
    access = policy.decide(request.user, source=source, purpose=purpose, subject=reference)
    if not access.allowed:
        # Raised, not rendered, so the refusal is logged with the policy's reason (web/refusals).
        raise AccessDenied(access.reason)
    token = Tokeniser(settings.PLACE_SECRET).token(source, reference)
    journey = across_agencies(
        request.user,
        token=token,
        source=source,
        reference=reference,
        purpose=purpose,
        access=access,
    )
    record = queries.run(queries.person_record(token, access.fields))
    if not record and not journey.events and not journey.withheld:
        # Only someone the policy has let read this source is told a reference is not there;
        # the log says so too, so a mistyped reference is not read later as data withheld.
        audit.record(
            actor=request.user.get_username(),
            action="person.not_found",
            target=f"{source}/{reference}",
            reason=f"no record with the case reference {reference} in {source}",
            detail={"purpose": purpose},
        )
        return _not_found(request, source, reference)
    return render(
        request,
        "journeys/person.html",
        {
            "source": source,
            "reference": reference,
            "access": access,
            "purpose": purpose,
            "record": record[0] if record else None,
            "events": journey.events,
            "withheld": journey.withheld,
            "linked_sources": journey.linked_sources,
        },
    )


def _not_found(request: HttpRequest, source: str, reference: str) -> HttpResponse:
    form = FindPersonForm(
        {
            "source": source,
            "reference": reference,
            "purpose": _purpose_of(request, source, reference),
        }
    )
    form.is_valid()
    form.add_error(
        "reference", f"There is no record with the case reference {reference} in {source}."
    )
    return render(request, "journeys/find_person.html", {"form": form}, status=404)


def _purpose_of(request: HttpRequest, source: str, reference: str) -> str:
    return str(request.session.get(_purpose_key(source, reference), ""))
