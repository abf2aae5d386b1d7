"""Pages of the approaches library and the place survey (issue 19, items 5 and 6). Thin: find,
ask approaches.visibility, call an action, render."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from placewise.approaches import actions, queries, questionnaire, visibility
from placewise.approaches.forms import (
    AnswerForm,
    ApproachForm,
    LinkForm,
    RoundForm,
    TagForm,
    UseForm,
)
from placewise.approaches.models import Answer, Approach, Question, SurveyRound
from placewise.sharing import actors
from placewise.sharing.access import AccessDenied

LINK_IN_SESSION = "placewise.approaches.link"
FORM_PAGE = "answer"
HOW_ANSWERS_ARE_KEPT = (
    "Your answers are kept with no name on them, and your words are shown only as quotes with "
    "no name. A round's results show only once it has closed with at least {n} answers."
)


def _me(request: HttpRequest) -> User:
    return cast(User, request.user)


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _must(seen: visibility.Sight) -> None:
    if not seen.allowed:
        raise AccessDenied(seen.reason)


# --- The library ---------------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Questions a leader faces, each leading to approaches; and a search."""
    words = request.GET.get("q", "").strip()
    return render(
        request,
        "approaches/home.html",
        {
            "questions": queries.questions(),
            "words": words,
            "found": queries.search(words) if words else None,
            "can_enable": visibility.enable(request.user).allowed,
            "count": Approach.objects.count(),
        },
    )


@login_required
def question(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Question, pk=pk)
    return render(
        request,
        "approaches/question.html",
        {"question": found, "approaches": found.approaches.order_by("name")},
    )


@login_required
def approach(request: HttpRequest, key: str) -> HttpResponse:
    found = get_object_or_404(Approach, slug=key)
    return render(
        request,
        "approaches/approach.html",
        {
            "approach": found,
            "where_done": queries.where_done(found),
            "can_enable": visibility.enable(request.user).allowed,
        },
    )


@login_required
def history(request: HttpRequest, key: str) -> HttpResponse:
    found = get_object_or_404(Approach, slug=key)
    return render(
        request,
        "approaches/history.html",
        {"approach": found, "revisions": found.revisions.all()},
    )


def _draft(cleaned: dict[str, Any]) -> actions.Draft:
    return actions.Draft(
        name=cleaned["name"],
        originator=cleaned["originator"],
        helps_understand=cleaned["helps_understand"],
        key_elements=cleaned["key_elements"],
        when_to_use=cleaned["when_to_use"],
        further_reading=cleaned.get("further_reading", ""),
        url_name=cleaned.get("url_name", ""),
        questions=cleaned["all_questions"],
        connected=tuple(cleaned.get("connected") or ()),
    )


@login_required
def new(request: HttpRequest) -> HttpResponse:
    _must(visibility.enable(request.user))
    form = ApproachForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            made = actions.add_approach(draft=_draft(form.cleaned_data), by=_me(request))
        except actions.Refused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"“{made.name}” is in the library.")
            return redirect(made)
    return render(
        request,
        "approaches/edit.html",
        {"form": form, "heading": "Add an approach"},
        status=400 if form.errors else 200,
    )


@login_required
def edit(request: HttpRequest, key: str) -> HttpResponse:
    found = get_object_or_404(Approach, slug=key)
    _must(visibility.enable(request.user))
    initial = {
        "name": found.name,
        "originator": found.originator,
        "helps_understand": found.helps_understand,
        "key_elements": found.key_elements,
        "when_to_use": found.when_to_use,
        "further_reading": found.further_reading,
        "url_name": found.url_name,
        "questions": [q.text for q in found.questions.all()],
        "connected": [a.slug for a in found.connected.all()],
    }
    form = ApproachForm(_posted(request), initial=initial, editing=found)
    if request.method == "POST" and form.is_valid():
        try:
            actions.edit_approach(
                approach=found,
                draft=_draft(form.cleaned_data),
                what_changed=form.cleaned_data["what_changed"],
                by=_me(request),
            )
        except actions.Refused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"“{found.name}” is now version {found.version}.")
            return redirect(found)
    return render(
        request,
        "approaches/edit.html",
        {"form": form, "heading": f"Edit {found.name}", "approach": found},
        status=400 if form.errors else 200,
    )


@login_required
def use(request: HttpRequest, key: str) -> HttpResponse:
    found = get_object_or_404(Approach, slug=key)
    _must(visibility.enable(request.user))
    form = UseForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_use(
                approach=found,
                where=form.cleaned_data["where"],
                used_on=form.cleaned_data["used_on"],
                learned=form.cleaned_data["learned"],
                by=_me(request),
            )
        except actions.Refused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "The use is recorded.")
            return redirect(found)
    return render(
        request,
        "approaches/use.html",
        {"form": form, "approach": found},
        status=400 if form.errors else 200,
    )


# --- The place survey ----------------------------------------------------------------------------


@login_required
def survey(request: HttpRequest) -> HttpResponse:
    """Rounds of the place survey: open ones to answer, results round by round."""
    me = _me(request)
    rounds = list(SurveyRound.objects.all())
    answered = set(SurveyRound.objects.filter(respondents__person=me).values_list("pk", flat=True))
    results = visibility.results(me)
    return render(
        request,
        "approaches/survey.html",
        {
            "open": [r for r in rounds if not r.is_closed],
            "answered": answered,
            "can_answer": visibility.answer(me).allowed,
            "can_enable": visibility.enable(me).allowed,
            "results": queries.compare(rounds) if results.allowed else None,
            "results_reason": results.reason,
            "threshold": visibility.threshold(),
            "questions": questionnaire.RATINGS,
        },
    )


@login_required
def round_new(request: HttpRequest) -> HttpResponse:
    _must(visibility.enable(request.user))
    form = RoundForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        made = actions.open_round(title=form.cleaned_data["title"], by=_me(request))
        messages.success(request, f"“{made.title}” is open for answers.")
        return redirect("approaches:round", pk=made.pk)
    return render(
        request, "approaches/round_new.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
def round_page(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(SurveyRound, pk=pk)
    me = _me(request)
    enabler = visibility.enable(me).allowed
    if not enabler:
        _must(visibility.results(me))
    answers = found.answers.count()
    return render(
        request,
        "approaches/round.html",
        {
            "round": found,
            "published": visibility.published(answers) if found.is_closed else None,
            "themes": queries.by_theme(found),
            "can_enable": enabler,
            "links": found.invitations.all() if enabler else (),
            "threshold": visibility.threshold(),
            "link_form": LinkForm(),
        },
    )


@login_required
def link(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(SurveyRound, pk=pk)
    _must(visibility.enable(request.user))
    form = LinkForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            made = actions.make_link(
                round=found,
                organisation_name=form.cleaned_data["organisation_name"],
                days=form.cleaned_data["days"],
                by=_me(request),
            )
        except actions.Refused as refused:
            form.add_error(None, str(refused))
        else:
            url = request.build_absolute_uri(f"/approaches/survey/respond/{made.token}/")
            return render(
                request,
                "approaches/link_made.html",
                {"round": found, "invitation": made.row, "link": url},
            )
    return render(
        request,
        "approaches/link.html",
        {"form": form, "round": found},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(SurveyRound, pk=pk)
    _must(visibility.enable(request.user))
    try:
        actions.close_round(round=found, by=_me(request))
    except actions.Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"“{found.title}” is closed.")
    return redirect("approaches:round", pk=found.pk)


@login_required
def tag(request: HttpRequest, pk: int) -> HttpResponse:
    """The facilitator puts quotes under themes (quotes only once the round is shown)."""
    found = get_object_or_404(SurveyRound, pk=pk)
    _must(visibility.enable(request.user))
    form = TagForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        answer = get_object_or_404(Answer, pk=form.cleaned_data["answer"], round=found)
        if found.is_closed and visibility.shown(found.answers.count()):
            try:
                actions.tag_quote(
                    answer=answer,
                    text_key=form.cleaned_data["text_key"],
                    theme_name=form.cleaned_data["theme"],
                    by=_me(request),
                )
            except actions.Refused as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, f"Quote put under “{form.cleaned_data['theme']}”.")
                return redirect("approaches:tag", pk=found.pk)
    return render(
        request,
        "approaches/tag.html",
        {
            "round": found,
            "form": form,
            "quotes": queries.quotes(found),
            "themes": found.themes.all(),
            "threshold": visibility.threshold(),
        },
        status=400 if form.errors else 200,
    )


def _answer_page(
    request: HttpRequest, form: AnswerForm, round_: SurveyRound, caption: str
) -> HttpResponse:
    return render(
        request,
        "approaches/answer.html",
        {
            "form": form,
            "round": round_,
            "caption": caption,
            "how": HOW_ANSWERS_ARE_KEPT.format(n=visibility.threshold()),
            "ratings": [form[f"r_{i.key}"] for i in questionnaire.RATINGS],
            "texts": [form[f"t_{i.key}"] for i in questionnaire.TEXTS],
        },
        status=400 if form.errors else 200,
    )


@login_required
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    """A signed-in partner answers an open round, once."""
    found = get_object_or_404(SurveyRound, pk=pk)
    _must(visibility.answer(request.user))
    form = AnswerForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.answer_signed_in(
                round=found, ratings=form.ratings(), texts=form.texts(), by=_me(request)
            )
        except actions.Refused as refused:
            form.add_error(None, str(refused))
        else:
            return render(request, "approaches/answered.html", {"round": found})
    return _answer_page(request, form, found, found.title)


def _refused(request: HttpRequest, reason: str) -> HttpResponse:
    return render(request, "approaches/link_refused.html", {"reason": reason}, status=410)


def respond(request: HttpRequest, token: str) -> HttpResponse:
    """A partner's page by link: open to anyone holding a good link, and to no one else."""
    if token != FORM_PAGE:
        try:
            queries.invitation_for(token)
        except queries.LinkRefused as refused:
            return _refused(request, str(refused))
        # As with invitations (ADR 0025): the secret leaves the address before anything is typed.
        request.session[LINK_IN_SESSION] = token
        return redirect("approaches:respond", token=FORM_PAGE)
    token = request.session.get(LINK_IN_SESSION, "")
    if not token:
        return _refused(
            request,
            "This page works only straight after opening the link you were sent: open it again.",
        )
    try:
        invitation = queries.invitation_for(token)
    except queries.LinkRefused as refused:
        return _refused(request, str(refused))
    form = AnswerForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.answer_by_link(
                token=token,
                ratings=form.ratings(),
                texts=form.texts(),
                by=actors.partner_by_link(),
            )
        except queries.LinkRefused as refused:
            return _refused(request, str(refused))
        except actions.Refused as refused:
            form.add_error(None, str(refused))
        else:
            request.session.pop(LINK_IN_SESSION, None)
            return render(request, "approaches/answered.html", {"round": invitation.round})
    return _answer_page(request, form, invitation.round, f"For {invitation.organisation_name}")
