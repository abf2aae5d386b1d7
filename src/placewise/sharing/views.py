"""Pages for data owners (audit log) and for everyone with a role (agreements)."""

import csv

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from placewise.sharing.access import require
from placewise.sharing.models import Agreement, AuditEntry
from placewise.sharing.permissions import Permission


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    require(request.user, Permission.AUDIT_VIEW)
    entries = AuditEntry.objects.order_by("-seq")
    actor, outcome = request.GET.get("actor", "").strip(), request.GET.get("outcome", "")
    if actor:
        entries = entries.filter(actor=actor)
    if outcome in {"allowed", "refused"}:
        entries = entries.filter(allowed=outcome == "allowed")
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="placewise-audit.csv"'
        writer = csv.writer(response)
        writer.writerow(["seq", "at", "actor", "action", "target", "allowed", "reason", "purpose"])
        for e in entries.iterator():
            writer.writerow(
                [
                    e.seq,
                    e.at.isoformat(),
                    e.actor,
                    e.action,
                    e.target,
                    e.allowed,
                    e.reason,
                    e.detail.get("purpose", ""),
                ]
            )
        return response
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(request, "sharing/audit.html", {"page": page, "actor": actor, "outcome": outcome})


@login_required
def agreements(request: HttpRequest) -> HttpResponse:
    require(request.user, Permission.AGREEMENT_VIEW)
    items = Agreement.objects.prefetch_related("parties__organisation", "datasets")
    return render(
        request, "sharing/agreements.html", {"agreements": items, "today": timezone.localdate()}
    )
