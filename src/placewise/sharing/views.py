"""Pages for data owners (audit log) and for everyone with a role (agreements)."""

import csv
from urllib.parse import urlencode

import segno
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from placewise.sharing import lockout, second_factor
from placewise.sharing import spreadsheet_cells as cells
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
            # Targets and purposes are what people typed: never a formula (OWASP CSV injection).
            writer.writerow(
                cells.row(
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


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else "/"


def _address(request: HttpRequest) -> str:
    # The client's address as the password form's lockout counts it: through a trusted proxy,
    # the one it vouches for (ADR 0027); otherwise the connecting address.
    return lockout.client_address(request.META)


@login_required
def second_factor_verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not isinstance(user, AbstractBaseUser) or second_factor.confirmed(user) is None:
        return redirect(
            f"{reverse('second_factor_setup')}?{urlencode({'next': _safe_next(request)})}"
        )
    error = ""
    if request.method == "POST":
        result = second_factor.check(
            user=user, code=request.POST.get("code", ""), address=_address(request)
        )
        if result.ok:
            request.session[second_factor.SESSION_KEY] = True
            return redirect(_safe_next(request))
        error = (
            result.refusal
            or "The code is not right. Enter the 6 digits your authenticator shows now."
        )
    return render(
        request, "sharing/second_factor_verify.html", {"error": error, "next": _safe_next(request)}
    )


@login_required
def second_factor_setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not isinstance(user, AbstractBaseUser):
        return redirect("login")
    if second_factor.confirmed(user) is not None:
        return redirect("second_factor_verify")
    factor = second_factor.start_setup(user=user)
    error = ""
    if request.method == "POST":
        result = second_factor.check(
            user=user, code=request.POST.get("code", ""), address=_address(request)
        )
        if result.ok:
            request.session[second_factor.SESSION_KEY] = True
            return redirect(_safe_next(request))
        error = (
            result.refusal
            or "The code is not right. Check the key was entered exactly, then try a new code."
        )
    uri = second_factor.provisioning_uri(factor, user.get_username())
    qr = segno.make(uri).svg_data_uri(scale=5)
    key = " ".join(factor.secret[i : i + 4] for i in range(0, len(factor.secret), 4))
    return render(
        request,
        "sharing/second_factor_setup.html",
        {
            "error": error,
            "next": _safe_next(request),
            "qr": qr,
            "key": key,
            "required": second_factor.required_for(user),
        },
    )
