"""Agreements in the app: a data owner drafts one, says what each party shares, and each party's
named data owner approves it; the last approval puts it in force (sharing/actions.py)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from placewise.governance.actions import STATUS_CHANGES, SetUpRefused, change_status
from placewise.governance.forms import (
    SHAREABLE_FIELDS,
    AgreementForm,
    DatasetForm,
    StatusForm,
)
from placewise.governance.queries import data_owner_of, signed_in, why_not_change_status
from placewise.sharing import actions as sharing
from placewise.sharing.access import AccessDenied, permission, require
from placewise.sharing.models import Agreement, Organisation
from placewise.sharing.permissions import Permission


@login_required
def agreements(request: HttpRequest) -> HttpResponse:
    require(request.user, Permission.AGREEMENT_VIEW)
    items = Agreement.objects.prefetch_related("parties__organisation", "parties__data_owner")
    may_draft = permission(request.user, Permission.AGREEMENT_MANAGE).allowed
    return render(
        request, "governance/agreements.html", {"agreements": items, "may_draft": may_draft}
    )


@login_required
def draft(request: HttpRequest) -> HttpResponse:
    decision = require(request.user, Permission.AGREEMENT_MANAGE)
    form = AgreementForm(request.POST or None, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        parties = [(o, data_owner_of(o)) for o in data["parties"]]
        if not {o.pk for o, _ in parties} & {o.pk for o in decision.organisations}:
            form.add_error(
                "parties",
                "Parties must include "
                + " or ".join(o.name for o in decision.organisations)
                + ": you draft agreements for your own organisation",
            )
        for organisation, owner in parties:
            if owner is None:
                form.add_error(
                    "parties",
                    f"Parties: {organisation.name} has no named data owner to approve it; ask "
                    "an administrator to name one",
                )
        if not form.errors:
            agreement = sharing.draft_agreement(
                title=data["title"],
                purpose=data["purpose"],
                purpose_category=data["purpose_category"],
                article6=data["article6"],
                article9=data["article9"],
                statutes=data["statutes"],
                review_date=data["review_date"],
                retention_days=data["retention_days"],
                ends_on=data["ends_on"],
                parties=[(o, owner) for o, owner in parties if owner is not None],
                datasets=[],
                by=signed_in(request),
            )
            return redirect("governance:agreement", pk=agreement.pk)
    return render(
        request, "governance/draft.html", {"form": form}, status=400 if form.errors else 200
    )


FIELD_LABELS = {code: label.lower() for code, label in SHAREABLE_FIELDS}


def _page(
    request: HttpRequest, agreement: Agreement, status: int = 200, **extra: object
) -> HttpResponse:
    mine = [
        p
        for p in agreement.parties.select_related("organisation", "data_owner")
        if p.data_owner_id == request.user.pk and p.approved_at is None
    ]
    context = {
        "agreement": agreement,
        "parties": agreement.parties.select_related("organisation", "data_owner"),
        "datasets": [
            (d, ", ".join(FIELD_LABELS.get(f, f) for f in d.fields).capitalize())
            for d in agreement.datasets.select_related("provider", "recipient")
        ],
        "to_approve": mine if agreement.status == Agreement.Status.DRAFT else [],
        "may_add": agreement.status == Agreement.Status.DRAFT
        and not agreement.parties.filter(approved_at__isnull=False).exists(),
        "form": extra.pop("form", None) or DatasetForm(agreement=agreement),
        "may_change_status": _changes(agreement)
        and why_not_change_status(signed_in(request), agreement) is None,
        **extra,
    }
    return render(request, "governance/agreement.html", context, status=status)


@login_required
def agreement(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Permission.AGREEMENT_VIEW)
    found = get_object_or_404(Agreement, pk=pk)
    return _page(request, found)


@login_required
@require_POST
def add_dataset(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Permission.AGREEMENT_MANAGE)
    found = get_object_or_404(Agreement, pk=pk)
    form = DatasetForm(request.POST, agreement=found)
    if form.is_valid():
        data = form.cleaned_data
        try:
            sharing.add_dataset(
                agreement=found,
                source=data["source"],
                provider=data["provider"],
                recipient=data["recipient"],
                level=data["level"],
                event_kinds=data["event_kinds"],
                fields=data["fields_shared"],
                by=signed_in(request),
            )
        except sharing.AgreementError as refused:
            form.add_error("source", f"Source: {refused}")
        else:
            return redirect("governance:agreement", pk=found.pk)
    return _page(request, found, status=400, form=form)


@login_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Permission.AGREEMENT_APPROVE)
    found = get_object_or_404(Agreement, pk=pk)
    organisation = Organisation.objects.filter(pk=request.POST.get("organisation") or 0).first()
    if organisation is None or not found.parties.filter(organisation=organisation).exists():
        return _page(
            request, found, status=400, refusal="Choose a party to the agreement to approve for."
        )
    try:
        sharing.approve(agreement=found, organisation=organisation, by=signed_in(request))
    except sharing.AgreementError as refused:
        raise AccessDenied(f"Not approved: {refused}.") from None
    return redirect("governance:agreement", pk=found.pk)


def _changes(agreement: Agreement) -> list[str]:
    """What can be done to the agreement from where it stands."""
    return [
        c for c, (_, allowed_from) in STATUS_CHANGES.items() if agreement.status in allowed_from
    ]


@login_required
def status(request: HttpRequest, pk: int) -> HttpResponse:
    """Suspend, reinstate or end an agreement, saying why: a party's data owner or an
    administrator only."""
    found = get_object_or_404(Agreement, pk=pk)
    refusal = why_not_change_status(signed_in(request), found)
    if refusal:
        raise AccessDenied(refusal)
    allowed = _changes(found)
    form = StatusForm(request.POST or None, allowed=allowed)
    if request.method == "POST" and form.is_valid():
        try:
            change_status(
                agreement=found,
                change=form.cleaned_data["change"],
                reason=form.cleaned_data["reason"],
                by=signed_in(request),
            )
        except SetUpRefused as refused:
            form.add_error("change", f"What to do: {refused}")
        else:
            return redirect("governance:agreement", pk=found.pk)
    return render(
        request,
        "governance/status.html",
        {"form": form, "agreement": found, "allowed": allowed},
        status=400 if form.errors else 200,
    )
