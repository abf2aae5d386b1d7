"""The Data area: what each partner has loaded, what was rejected and why, and the upload form."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from placewise.jobs import actions as jobs
from placewise.jobs import tasks
from placewise.sharing.access import AccessDenied, require
from placewise.sharing.permissions import Permission
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
    user = request.user
    if not isinstance(user, AbstractBaseUser):  # login_required has already ensured this
        raise AccessDenied("You need to sign in.")
    # The file is checked and loaded by a worker (placewise.jobs): the page returns at once, to
    # the job's page, which follows it to its result.
    job = jobs.start_ingest(
        file=form.cleaned_data["file"],
        mapping=form.cleaned_data.get("mapping") or None,
        dry_run=form.cleaned_data["dry_run"],
        skip_bad_rows=form.cleaned_data["skip_bad_rows"],
        by=user,
    )
    return redirect(tasks.queue(job))
