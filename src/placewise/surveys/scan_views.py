"""Culture scan pages (issue 18, item 4): a team's scan started, answered with no name, closed,
and its result on Schneider's axes over time. Thin: find, ask surveys.visibility, call an
action, render."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from placewise.sharing.access import AccessDenied, require
from placewise.sharing.permissions import Permission
from placewise.surveys import actions, culture, queries, questionnaires
from placewise.surveys.forms import ScanAnswerForm, ScanForm, UncertaintyForm
from placewise.surveys.models import Scan
from placewise.surveys.visibility import Sight, scan_sight, scan_threshold


def _me(request: HttpRequest) -> User:
    return cast(User, request.user)


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


@login_required
def scan_new(request: HttpRequest) -> HttpResponse:
    decision = require(request.user, Permission.SUPERVISE)
    form = ScanForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            started = actions.start_scan(
                organisation=decision.organisations[0],
                team=form.cleaned_data["team"],
                participants=form.cleaned_data["participants"],
                by=_me(request),
            )
        except actions.SurveyRefused as refused:
            form.add_error(None, str(refused))
        else:
            return redirect("surveys:scan", pk=started.pk)
    return render(
        request, "surveys/scan_new.html", {"form": form}, status=400 if form.errors else 200
    )


def _scan(request: HttpRequest, pk: int) -> tuple[Scan, Sight]:
    found = get_object_or_404(Scan.objects.select_related("organisation", "questionnaire"), pk=pk)
    seen = scan_sight(request.user, found)
    if not seen.allowed:
        raise AccessDenied(seen.reason)
    return found, seen


@login_required
def scan_page(request: HttpRequest, pk: int) -> HttpResponse:
    found, seen = _scan(request, pk)
    history = [
        culture.result(s)
        for s in queries.scans_for_team(found.organisation, found.team)
        if s.closed_on
    ]
    latest = culture.result(found) if found.closed_on else None
    uncertainty = UncertaintyForm(request.GET or None)
    level = (
        uncertainty.cleaned_data.get("uncertainty") if uncertainty.is_valid() else ""
    ) or "high"
    me = found.participants.filter(person_id=request.user.pk).first()
    return render(
        request,
        "surveys/scan.html",
        {
            "scan": found,
            "seen": seen,
            "result": latest,
            "history": history,
            "plot": culture.plot(history, title=f"Culture of {found.team} over time"),
            "guidance": culture.guidance(latest.dominant, level) if latest and latest.shown else [],
            "level": dict(culture.UNCERTAINTY)[level],
            "uncertainty": uncertainty,
            "threshold": scan_threshold(),
            "asked": found.participants.count(),
            "answered": found.participants.filter(answered_on__isnull=False).count(),
            "mine": me,
            "source": questionnaires.CULTURE_SOURCE,
            "cultures": culture.LABELS,
        },
    )


@login_required
def scan_answer(request: HttpRequest, pk: int) -> HttpResponse:
    found, _ = _scan(request, pk)
    form = ScanAnswerForm(_posted(request), questions=list(found.questionnaire.questions.all()))
    if request.method == "POST" and form.is_valid():
        try:
            actions.answer_scan(scan=found, choices=form.choices(), by=_me(request))
        except actions.SurveyRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "Thank you: your answers are saved with no name on them.")
            return redirect("surveys:scan", pk=found.pk)
    return render(
        request,
        "surveys/scan_answer.html",
        {"form": form, "scan": found},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def scan_close(request: HttpRequest, pk: int) -> HttpResponse:
    found, _ = _scan(request, pk)
    try:
        actions.close_scan(scan=found, by=_me(request))
    except actions.SurveyRefused as refused:
        messages.error(request, str(refused))
    return redirect("surveys:scan", pk=found.pk)
