"""The Data area: what each partner has loaded, what was rejected and why, and the upload form."""

import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from placewise.sharing.access import AccessDenied, require
from placewise.sharing.permissions import Permission
from placewise.sources import actions
from placewise.sources.forms import UploadForm
from placewise.sources.models import Load
from placewise.sources.queries import loads_for, sources_for


@login_required
def data_home(request: HttpRequest) -> HttpResponse:
    decision = require(request.user, Permission.DATA_VIEW_LOADS)
    loads = loads_for(decision.organisations)
    page = Paginator(loads, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "sources/data_home.html",
        {"page": page, "decision": decision, "sources": sources_for(decision.organisations)},
    )


@login_required
def load_detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = require(request.user, Permission.DATA_VIEW_LOADS)
    load = get_object_or_404(Load, pk=pk)
    if load.organisation not in decision.organisations:
        raise AccessDenied(
            f"Load {pk} belongs to {load.organisation or 'no organisation'}, "
            "which is not one of yours."
        )
    severity = request.GET.get("severity", "")
    issues = load.issues.all()
    if severity in {"error", "warning", "query"}:
        issues = issues.filter(severity=severity)
    page = Paginator(issues, 100).get_page(request.GET.get("page"))
    return render(
        request, "sources/load_detail.html", {"load": load, "page": page, "severity": severity}
    )


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    require(request.user, Permission.DATA_UPLOAD)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return render(request, "sources/upload.html", {"form": form})
    with tempfile.TemporaryDirectory(prefix="placewise-upload-") as folder:
        upload = form.cleaned_data["file"]
        # Keep only the base name: the uploaded name is the user's to choose.
        path = Path(folder) / Path(upload.name).name
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        mapping = None
        if form.cleaned_data.get("mapping"):
            mapping = Path(folder) / "mapping.toml"
            mapping.write_bytes(form.cleaned_data["mapping"].read())
        user = request.user
        if not isinstance(user, AbstractBaseUser):  # login_required has already ensured this
            raise AccessDenied("You need to sign in.")
        outcome = actions.ingest(
            path,
            by=user,
            mapping=mapping,
            dry_run=form.cleaned_data["dry_run"],
            skip_bad_rows=form.cleaned_data["skip_bad_rows"],
        )
    if outcome.status == "validated":
        messages.success(request, f"{upload.name}: {outcome.message}")
        return render(request, "sources/upload.html", {"form": UploadForm(), "outcome": outcome})
    level = messages.SUCCESS if outcome.ok else messages.ERROR
    messages.add_message(request, level, f"{upload.name}: {outcome.message}")
    if outcome.load is not None:
        return redirect(outcome.load)
    return render(request, "sources/upload.html", {"form": form, "outcome": outcome})
