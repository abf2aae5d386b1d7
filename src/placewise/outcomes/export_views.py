"""Exporting every indicator the viewer may see: a page saying what the viewer's export holds, whose button starts a
job (outcomes/figure_jobs.py) that makes the file for them to download from the job's page."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from placewise.jobs import actions as jobs
from placewise.jobs import tasks
from placewise.jobs.models import Job
from placewise.outcomes.figure_jobs import FORMATS, audience_for
from placewise.sharing.access import AccessDenied, require
from placewise.sharing.permissions import Permission


@login_required
def export(request: HttpRequest) -> HttpResponse:
    require(request.user, Permission.OUTCOMES_VIEW)
    audience, shown, reason = audience_for(request.user)
    if reason:
        raise AccessDenied(reason)
    error = ""
    if request.method == "POST":
        kind = request.POST.get("format", "")
        user = request.user
        if kind in FORMATS and isinstance(user, AbstractBaseUser):
            job = jobs.start(
                kind=Job.Kind.EXPORT,
                options={"format": kind},
                by=user,
                about=f"every indicator's figures for {audience} ({kind.upper()})",
            )
            return redirect(tasks.queue(job))
        error = "Choose the kind of file: a workbook (XLSX) or CSV."
    return render(
        request,
        "outcomes/export.html",
        {"audience": audience, "indicators": len(shown), "error": error},
        status=400 if error else 200,
    )
