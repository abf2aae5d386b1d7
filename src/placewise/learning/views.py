"""A person's records from one source, reached from a case reference, through the policy function.

Issue 4 turns this into the child's journey across every source; the policy and audit are the same.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from placewise.learning.forms import FindPersonForm
from placewise.sharing import policy
from placewise.sharing.access import require
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
        return render(request, "learning/find_person.html", {"form": form})
    source, reference = form.cleaned_data["source"], form.cleaned_data["reference"]
    # Asked once per case: kept for this session only.
    request.session[_purpose_key(source, reference)] = form.cleaned_data["purpose"]
    return redirect("learning:person", source=source, reference=reference)


@login_required
def person(request: HttpRequest, source: str, reference: str) -> HttpResponse:
    require(request.user, Permission.PERSON_VIEW)
    purpose = request.session.get(_purpose_key(source, reference))
    if not purpose:
        return redirect(f"{reverse('learning:find')}?source={source}&reference={reference}")
    access = policy.decide(request.user, source=source, purpose=purpose, subject=reference)
    if not access.allowed:
        return render(request, "web/denied.html", {"reason": access.reason}, status=403)
    token = Tokeniser(settings.PLACE_SECRET).token(source, reference)
    events = queries.run(queries.person_events(token, access.kinds))
    record = queries.run(queries.person_record(token, access.fields))
    return render(
        request,
        "learning/person.html",
        {
            "source": source,
            "reference": reference,
            "access": access,
            "events": events,
            "record": record[0] if record else None,
            "purpose": purpose,
        },
    )
