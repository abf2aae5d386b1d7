"""Leadership survey pages (issue 18, items 2 and 4): the six-dimension self-assessment and 360,
its report (page and PDF), raters' link pages, the questionnaire, and culture scans (their pages in scan_views.py). Thin: find,
ask surveys.visibility, call an action, render."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from placewise.sharing import actors
from placewise.sharing.access import AccessDenied, permission, require
from placewise.sharing.permissions import Permission
from placewise.surveys import actions, queries, questionnaires, report
from placewise.surveys.forms import (
    InviteForm,
    QuestionnaireForm,
    RatingForm,
    ShareForm,
)
from placewise.surveys.models import DIMENSIONS, Questionnaire, Rater, Round, Scan
from placewise.surveys.pdf import report_pdf
from placewise.surveys.visibility import (
    Sight,
    group_threshold,
    round_sight,
    scan_sight,
)

RATER_IN_SESSION = "placewise.surveys.rater"
FORM_PAGE = "answer"
HOW_ANSWERS_ARE_USED = (
    "Raters' answers are anonymous. A group's scores show only when at least {n} of its raters "
    "answered; smaller groups are merged with others, or withheld if too few answered "
    "altogether, and their comments are never shown word for word. The report shows once you "
    "close the round, and only you and the people you share it with see it."
)


HOW_RATERS_ARE_KEPT_ANONYMOUS = (
    "Your answers are kept with no name on them. {name} sees them only combined with those of "
    "other raters: a group's scores show only when at least {n} of its raters answered, and "
    "comments from a smaller group are never shown word for word."
)
AS_GROUP = {
    "manager": "As their manager",
    "peer": "As one of their peers",
    "report": "As someone who reports to them",
    "partner": "As a partner from another organisation",
}


def _me(request: HttpRequest) -> User:
    return cast(User, request.user)


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _round(request: HttpRequest, pk: int, *, manage: bool = False) -> tuple[Round, Sight]:
    """The round and what this user may see of it; `manage`: only its person may go on."""
    found = get_object_or_404(
        Round.objects.select_related("person", "questionnaire", "organisation"), pk=pk
    )
    seen = round_sight(request.user, found)
    if not seen.allowed:
        raise AccessDenied(seen.reason)
    if manage and not seen.manage:
        raise AccessDenied("Only the person whose 360 round it is may do this.")
    return found, seen


def _threshold_note() -> str:
    return HOW_ANSWERS_ARE_USED.format(n=group_threshold())


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Your 360 rounds, rounds shared with you, culture scans you may see."""
    me = _me(request)
    shared = Round.objects.filter(shares__person=me).select_related("person")
    scans = [
        s
        for s in Scan.objects.select_related("organisation").order_by("-started_on")
        if scan_sight(me, s).allowed
    ]
    return render(
        request,
        "surveys/home.html",
        {
            "rounds": queries.rounds_of(me),
            "shared": shared,
            "scans": scans,
            "how": _threshold_note(),
            "can_edit": permission(me, Permission.PRACTICE_FRAMEWORK).allowed,
            "can_scan": permission(me, Permission.SUPERVISE).allowed,
            "asked": Scan.objects.filter(
                participants__person=me,
                participants__answered_on__isnull=True,
                closed_on__isnull=True,
            ),
        },
    )


@login_required
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    try:
        started = actions.start_round(by=_me(request))
    except actions.SurveyRefused as refused:
        raise AccessDenied(str(refused)) from None
    messages.success(request, "Your 360 round has started: rate yourself, then invite raters.")
    return redirect("surveys:round", pk=started.pk)


@login_required
def round_page(request: HttpRequest, pk: int) -> HttpResponse:
    found, seen = _round(request, pk)
    if not seen.manage:
        return redirect("surveys:report", pk=found.pk)
    raters = list(found.raters.all())
    groups = [
        (
            label,
            sum(1 for r in raters if r.group == g),
            sum(1 for r in raters if r.group == g and r.answered_on),
        )
        for g, label in Rater.Group.choices
    ]
    return render(
        request,
        "surveys/round.html",
        {
            "round": found,
            "raters": raters,
            "groups": groups,
            "how": _threshold_note(),
            "shares": found.shares.select_related("person"),
        },
    )


@login_required
def self_assess(request: HttpRequest, pk: int) -> HttpResponse:
    found, _ = _round(request, pk, manage=True)
    questions = list(found.questionnaire.questions.all())
    form = RatingForm(
        _posted(request),
        questions=questions,
        comment_label="Anything you want to note about your own leadership (only you see this)",
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.rate_self(
                round=found,
                answers=form.answers(),
                comment=form.cleaned_data["comment"],
                by=_me(request),
            )
        except actions.SurveyRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "Your own ratings are saved.")
            return redirect("surveys:round", pk=found.pk)
    return render(
        request,
        "surveys/rate.html",
        {
            "form": form,
            "heading": "Rate yourself",
            "caption": str(found),
            "back": found,
            "about": questionnaires.ABOUT,
        },
        status=400 if form.errors else 200,
    )


@login_required
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    found, _ = _round(request, pk, manage=True)
    from django.conf import settings

    form = InviteForm(_posted(request), initial={"days": settings.PLACEWISE_RATER_LINK_DAYS})
    if request.method == "POST" and form.is_valid():
        try:
            invited = actions.invite_rater(
                round=found,
                group=form.cleaned_data["group"],
                name=form.cleaned_data["name"],
                organisation_name=form.cleaned_data["organisation_name"],
                days=form.cleaned_data["days"],
                by=_me(request),
            )
        except actions.SurveyRefused as refused:
            form.add_error(None, str(refused))
        else:
            link = request.build_absolute_uri(f"/surveys/rate/{invited.token}/")
            return render(
                request,
                "surveys/invited.html",
                {"round": found, "rater": invited.row, "link": link},
            )
    return render(
        request,
        "surveys/invite.html",
        {"form": form, "round": found},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    found, _ = _round(request, pk, manage=True)
    try:
        actions.close_round(round=found, by=_me(request))
    except actions.SurveyRefused as refused:
        messages.error(request, str(refused))
        return redirect("surveys:round", pk=found.pk)
    return redirect("surveys:report", pk=found.pk)


@login_required
def share(request: HttpRequest, pk: int) -> HttpResponse:
    found, _ = _round(request, pk, manage=True)
    form = ShareForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.share_round(round=found, person=form.cleaned_data["username"], by=_me(request))
        except actions.SurveyRefused as refused:
            form.add_error("username", str(refused))
        else:
            messages.success(
                request, f"Shared with {form.cleaned_data['username'].get_username()}."
            )
            return redirect("surveys:round", pk=found.pk)
    return render(
        request,
        "surveys/share.html",
        {"form": form, "round": found},
        status=400 if form.errors else 200,
    )


def _report(request: HttpRequest, pk: int) -> tuple[Round, report.Report]:
    found, seen = _round(request, pk)
    if not seen.report:
        raise AccessDenied(seen.reason)
    if not found.is_closed:
        raise AccessDenied(
            "The report shows once the round is closed, so no one rater's answers can be told "
            "from the difference between two looks at it."
        )
    return found, report.build(found)


@login_required
def report_page(request: HttpRequest, pk: int) -> HttpResponse:
    found, built = _report(request, pk)
    rows = [
        (label, built.own.get(d), [(line.scores.get(d), line) for line in built.lines])
        for d, label in DIMENSIONS
    ]
    return render(
        request,
        "surveys/report.html",
        {
            "round": found,
            "report": built,
            "rows": rows,
            "report_chart": report.dot_chart(built),
            "how": _threshold_note(),
            "own": found.person_id == request.user.pk,
        },
    )


@login_required
def report_download(request: HttpRequest, pk: int) -> HttpResponse:
    found, built = _report(request, pk)
    person = found.person.get_full_name() or found.person.get_username()
    response = HttpResponse(
        report_pdf(built, person, own=found.person_id == request.user.pk),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="360-report-{found.started_on:%Y-%m}.pdf"'
    )
    return response


# --- Raters' link pages (no account needed) -------------------------------------------------------


def _refused(request: HttpRequest, reason: str) -> HttpResponse:
    return render(request, "surveys/rate_refused.html", {"reason": reason}, status=410)


def rate(request: HttpRequest, token: str) -> HttpResponse:
    """A rater's page: open to anyone holding a good link, and to no one else."""
    if token != FORM_PAGE:
        try:
            queries.rater_for(token)
        except queries.LinkRefused as refused:
            return _refused(request, str(refused))
        # As with invitations (ADR 0025): the secret leaves the address before anything is typed.
        request.session[RATER_IN_SESSION] = token
        return redirect("surveys:rate", token=FORM_PAGE)
    token = request.session.get(RATER_IN_SESSION, "")
    if not token:
        return _refused(
            request,
            "This page works only straight after opening the link you were sent: open it again.",
        )
    try:
        rater = queries.rater_for(token)
    except queries.LinkRefused as refused:
        return _refused(request, str(refused))
    person = rater.round.person
    name = person.get_full_name() or person.get_username()
    form = RatingForm(
        _posted(request),
        questions=list(rater.round.questionnaire.questions.all()),
        comment_label=f"What should {name} keep doing, or do more of?",
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.answer_as_rater(
                token=token,
                answers=form.answers(),
                comment=form.cleaned_data["comment"],
                by=actors.rater(),
            )
        except queries.LinkRefused as refused:
            return _refused(request, str(refused))
        except actions.SurveyRefused as refused:
            form.add_error(None, str(refused))
        else:
            request.session.pop(RATER_IN_SESSION, None)
            return render(request, "surveys/rated.html", {"name": name})
    return render(
        request,
        "surveys/rate.html",
        {
            "form": form,
            "heading": f"Feedback for {name}",
            "caption": AS_GROUP[rater.group],
            "rater": rater,
            "about": questionnaires.ABOUT,
            "how": HOW_RATERS_ARE_KEPT_ANONYMOUS.format(name=name, n=group_threshold()),
        },
        status=400 if form.errors else 200,
    )


# --- The questionnaire ------------------------------------------------------------------------------


@login_required
def questionnaire(request: HttpRequest) -> HttpResponse:
    decision = permission(request.user, Permission.PRACTICE_FRAMEWORK)
    organisation = queries.organisation_of(_me(request))
    if organisation is None:
        raise AccessDenied("You are not a member of any organisation in this place.")
    if decision.allowed:
        organisation = decision.organisations[0]
        current: Questionnaire | None = actions.start_questionnaire(
            organisation=organisation, kind=Questionnaire.Kind.SIX_DIMENSIONS, by=_me(request)
        )
    else:
        current = queries.current_questionnaire(organisation, Questionnaire.Kind.SIX_DIMENSIONS)
    return render(
        request,
        "surveys/questionnaire.html",
        {
            "questionnaire": current,
            "organisation": organisation,
            "can_edit": decision.allowed,
            "source": questionnaires.SIX_DIMENSIONS_SOURCE,
            "about": questionnaires.ABOUT,
            "dimensions": DIMENSIONS,
            "versions": Questionnaire.objects.filter(
                organisation=organisation, kind=Questionnaire.Kind.SIX_DIMENSIONS
            ),
        },
    )


@login_required
def questionnaire_edit(request: HttpRequest) -> HttpResponse:
    decision = require(request.user, Permission.PRACTICE_FRAMEWORK)
    current = actions.start_questionnaire(
        organisation=decision.organisations[0],
        kind=Questionnaire.Kind.SIX_DIMENSIONS,
        by=_me(request),
    )
    form = QuestionnaireForm(_posted(request), questions=list(current.questions.all()))
    if request.method == "POST" and form.is_valid():
        try:
            revised = actions.revise_questionnaire(
                questionnaire=current,
                drafts=[
                    actions.QuestionDraft(key=key, text=text, dimension=d)
                    for key, d, text in form.drafts()
                ],
                what_changed=form.cleaned_data["what_changed"],
                by=_me(request),
            )
        except actions.SurveyRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request, f"Saved as version {revised.version}. Past answers keep theirs."
            )
            return redirect("surveys:questionnaire")
    return render(
        request,
        "surveys/questionnaire_edit.html",
        {"form": form, "questionnaire": current},
        status=400 if form.errors else 200,
    )
