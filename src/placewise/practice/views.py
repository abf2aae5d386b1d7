"""Peer review pages (issue 17): the framework, reviews, the case, feedback, what the group
agreed, sharing into supervision, exports, and the service's themes. Thin: find, ask
practice.visibility, call an action, render."""

import dataclasses
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from placewise.practice import actions, exports, queries
from placewise.practice.forms import (
    AgreeForm,
    CaseForm,
    CriterionFormSet,
    FeedbackForm,
    FrameworkForm,
    ReviewForm,
)
from placewise.practice.models import Framework, PeerReview
from placewise.practice.visibility import PRESENTER, Sight, sight, visible_reviews
from placewise.sharing.access import AccessDenied, permission, require
from placewise.sharing.models import Organisation
from placewise.sharing.permissions import Permission

HOW_FEEDBACK_IS_USED = (
    "Peer review is for learning, not for judging performance. The feedback belongs to the "
    "practitioner who presented: they see all of it, each peer sees what they gave, and their "
    "supervisor sees it only once they choose to share it into supervision. Managers and leaders "
    "see only themes across at least five reviews, with no one named. A grade is about one piece "
    "of practice on one case, never a score of a person."
)


def _review(request: HttpRequest, pk: int) -> tuple[PeerReview, Sight]:
    review = get_object_or_404(
        PeerReview.objects.select_related("presenter", "facilitator", "framework"), pk=pk
    )
    seen = sight(request.user, review)
    if not seen.allowed:
        raise AccessDenied(seen.reason)
    return review, seen


def _posted(request: HttpRequest) -> Any:
    """The posted data, even when empty (an empty form is refused, not shown afresh)."""
    return request.POST if request.method == "POST" else None


def _me(request: HttpRequest) -> User:
    """The signed-in person (every page here is behind login_required)."""
    return cast(User, request.user)


def _organisation(request: HttpRequest, wanted: Permission) -> Organisation:
    return require(request.user, wanted).organisations[0]


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if not (
        permission(request.user, Permission.PRACTICE_REVIEW).allowed
        or permission(request.user, Permission.SUPERVISE).allowed
    ):
        require(request.user, Permission.PRACTICE_REVIEW)
    rows = visible_reviews(request.user)
    return render(
        request,
        "practice/home.html",
        {
            "rows": rows,
            "how": HOW_FEEDBACK_IS_USED,
            "can_set_up": permission(request.user, Permission.PRACTICE_REVIEW).allowed,
            "can_see_themes": permission(request.user, Permission.PRACTICE_THEMES).allowed,
        },
    )


# --- The framework ------------------------------------------------------------------------------


@login_required
def framework(request: HttpRequest) -> HttpResponse:
    editing = permission(request.user, Permission.PRACTICE_FRAMEWORK)
    if editing.allowed:
        organisation = editing.organisations[0]
        current: Framework | None = actions.start_framework(
            organisation=organisation, by=_me(request)
        )
    else:
        organisation = _organisation(request, Permission.PRACTICE_REVIEW)
        current = queries.current_framework(organisation)
    return render(
        request,
        "practice/framework.html",
        {
            "framework": current,
            "organisation": organisation,
            "can_edit": editing.allowed,
            "versions": Framework.objects.filter(organisation=organisation).order_by("-version"),
        },
    )


@login_required
def framework_version(request: HttpRequest, pk: int) -> HttpResponse:
    decision = require(request.user, Permission.PRACTICE_REVIEW)
    found = get_object_or_404(Framework, pk=pk, organisation__in=decision.organisations)
    return render(
        request,
        "practice/framework.html",
        {"framework": found, "organisation": found.organisation, "can_edit": False, "old": True},
    )


@login_required
def framework_edit(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request, Permission.PRACTICE_FRAMEWORK)
    current = actions.start_framework(organisation=organisation, by=_me(request))
    initial = [
        {
            "key": c.key,
            "area": c.area,
            "question": c.question,
            "what_good_looks_like": c.what_good_looks_like,
        }
        for c in current.criteria.all()
    ]
    form = FrameworkForm(_posted(request), initial={"grades": "\n".join(current.grades)})
    criteria = CriterionFormSet(_posted(request), initial=initial, prefix="c")
    if request.method == "POST" and form.is_valid() and criteria.is_valid():
        drafts = [
            actions.CriterionDraft(
                key=f.cleaned_data.get("key", ""),
                area=f.cleaned_data.get("area", ""),
                question=f.cleaned_data.get("question", ""),
                what_good_looks_like=f.cleaned_data.get("what_good_looks_like", ""),
            )
            for f in criteria
            if not f.cleaned_data.get("remove") and (f.cleaned_data.get("question") or "").strip()
        ]
        try:
            revised = actions.revise_framework(
                framework=current,
                criteria=drafts,
                grades=form.cleaned_data["grades"],
                what_changed=form.cleaned_data["what_changed"],
                by=_me(request),
            )
        except actions.PracticeError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"Saved as version {revised.version}.")
            return redirect("practice:framework")
    errors = [e for f in criteria for field in f for e in field.errors]
    return render(
        request,
        "practice/framework_edit.html",
        {"form": form, "criteria": criteria, "framework": current, "criteria_errors": errors},
    )


# --- Teams --------------------------------------------------------------------------------------


@login_required
def teams(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request, Permission.PRACTICE_FRAMEWORK)
    error = ""
    if request.method == "POST":
        person = (
            get_user_model()
            .objects.filter(
                pk=request.POST.get("person") or 0, memberships__organisation=organisation
            )
            .first()
        )
        team = request.POST.get("team", "")
        if person is None:
            error = "Choose a person in your organisation."
        elif not team.strip():
            error = "Enter the team, as your case system names it."
        else:
            actions.place_in_team(
                person=person, organisation=organisation, team=team, by=_me(request)
            )
            messages.success(request, f"{person.get_username()} is in {team.strip()}.")
            return redirect("practice:teams")
    members = (
        get_user_model()
        .objects.filter(memberships__organisation=organisation)
        .distinct()
        .order_by("username")
    )
    return render(
        request,
        "practice/teams.html",
        {
            "placed": queries.practitioners(organisation),
            "members": members,
            "error": error,
            "organisation": organisation,
        },
    )


# --- Reviews ------------------------------------------------------------------------------------


@login_required
def new_review(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request, Permission.PRACTICE_REVIEW)
    people = queries.practitioners(organisation)
    form = ReviewForm(_posted(request), people=people)
    if request.method == "POST" and form.is_valid():
        chosen = form.people
        try:
            review = actions.set_up_review(
                organisation=organisation,
                held_on=form.cleaned_data["held_on"],
                method=form.cleaned_data["method"],
                facilitator=chosen[form.cleaned_data["facilitator"]].person,
                presenter=chosen[form.cleaned_data["presenter"]].person,
                peers=[chosen[p].person for p in form.cleaned_data["peers"]],
                by=_me(request),
            )
        except actions.PracticeError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "The peer review is set up.")
            return redirect("practice:review", pk=review.pk)
    return render(
        request,
        "practice/new_review.html",
        {
            "form": form,
            "people": people,
            "organisation": organisation,
            "can_edit_teams": permission(request.user, Permission.PRACTICE_FRAMEWORK).allowed,
        },
    )


@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    found, seen = _review(request, pk)
    feedback = list(seen.feedback(found))
    criteria = list(found.framework.criteria.all())
    by_criterion = [(c, [f for f in feedback if f.criterion_id == c.pk]) for c in criteria]
    context: dict[str, Any] = {
        "review": found,
        "sight": seen,
        "how": HOW_FEEDBACK_IS_USED,
        "by_criterion": by_criterion,
        "any_feedback": bool(feedback),
        "peers": list(found.peers.select_related("person")),
        "points": [
            (p, next((c.question for c in criteria if c.key == p.criterion_key), ""))
            for p in found.learning_points.all()
        ],
        "given": found.feedback.filter(peer_id=request.user.pk).exists(),
        "peers_given": found.feedback.values("peer_id").distinct().count(),
    }
    context["next_step"] = _next_step(found, seen.as_, context["peers_given"])
    if seen.as_ == PRESENTER:
        context["supervision_actions"] = queries.open_supervision_actions(found)
        if not found.case_reference:
            context["case_form"] = CaseForm(sources=_sources(found))
    return render(request, "practice/review.html", context)


def _next_step(review: PeerReview, as_: str, peers_given: int) -> str:
    """What happens next in a review that is not agreed yet, said to whoever is looking."""
    if review.agreed_on:
        return ""
    presenter = review.presenter.get_full_name() or review.presenter.get_username()
    if not review.case_reference:
        if as_ == PRESENTER:
            return ""  # the page asks them to choose it
        return (
            f"Next: {presenter} chooses the case to present; then the peers open it and give "
            "their feedback."
        )
    if not peers_given:
        if as_ == "facilitator":
            return (
                "Next: the peers open the case and give their feedback; you then record what "
                "the group agreed."
            )
        return "Next: the peers open the case and give their feedback."
    if as_ == "facilitator":
        return "Next: when the group has talked the feedback through, record what it agreed."
    return ""


def _sources(review: PeerReview) -> list[str]:
    return sorted(review.organisation.sources.values_list("name", flat=True))


@login_required
def case(request: HttpRequest, pk: int) -> HttpResponse:
    found, seen = _review(request, pk)
    if request.method == "POST":
        if seen.as_ != PRESENTER:
            raise AccessDenied("Only the practitioner presenting chooses the case.")
        form = CaseForm(request.POST, sources=_sources(found))
        if form.is_valid():
            try:
                actions.choose_case(
                    review=found,
                    source=form.cleaned_data["source"],
                    reference=form.cleaned_data["reference"],
                    by=_me(request),
                )
            except actions.PracticeError as refused:
                form.add_error("reference", str(refused))
            else:
                messages.success(request, "The case is chosen: your group can open it.")
                return redirect("practice:review", pk=found.pk)
        return render(
            request,
            "practice/review.html",
            {
                "review": found,
                "sight": seen,
                "case_form": form,
                "how": HOW_FEEDBACK_IS_USED,
                "only_case": True,
            },
            status=400,
        )
    if not seen.case:
        raise AccessDenied("The case is opened by the review's group only.")
    if not found.case_reference:
        raise AccessDenied("The presenter has not chosen the case yet.")
    journey = queries.case_journey(request.user, found)
    if not journey.access.allowed:
        raise AccessDenied(journey.access.reason)
    return render(
        request,
        "practice/case.html",
        {
            "review": found,
            "source": found.case_source,
            "reference": found.case_reference,
            "access": dataclasses.replace(
                journey.access,
                reason=f"Opened for {found} (service planning and improvement): you see no more "
                f"of it than the practitioner presenting may. {journey.access.reason}",
            ),
            "purpose": queries.PURPOSE,
            "record": journey.record,
            "events": journey.events,
            "withheld": journey.withheld,
            "linked_sources": journey.linked_sources,
        },
    )


@login_required
def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    found, seen = _review(request, pk)
    if seen.as_ != "peer":
        raise AccessDenied("Only the peers in this review's group give feedback on it.")
    criteria = list(found.framework.criteria.all())
    initial: dict[str, str] = {}
    for f in seen.feedback(found):
        initial |= {
            f"grade_{f.criterion_id}": f.grade,
            f"strengths_{f.criterion_id}": f.strengths,
            f"improvements_{f.criterion_id}": f.improvements,
        }
    form = FeedbackForm(
        _posted(request), initial=initial, criteria=criteria, grades=found.framework.grades
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.give_feedback(
                review=found,
                gradings=[
                    actions.Grading(
                        criterion=c,
                        grade=form.cleaned_data[f"grade_{c.pk}"],
                        strengths=form.cleaned_data[f"strengths_{c.pk}"],
                        improvements=form.cleaned_data[f"improvements_{c.pk}"],
                    )
                    for c in criteria
                ],
                by=_me(request),
            )
        except actions.PracticeError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "Thank you: your feedback is saved.")
            return redirect("practice:review", pk=found.pk)
    return render(
        request,
        "practice/feedback.html",
        {"review": found, "form": form, "how": HOW_FEEDBACK_IS_USED},
        status=400 if form.errors else 200,
    )


@login_required
def agree(request: HttpRequest, pk: int) -> HttpResponse:
    found, seen = _review(request, pk)
    if seen.as_ != "facilitator":
        raise AccessDenied("The facilitator records what the group agreed.")
    criteria = list(found.framework.criteria.all())
    initial: dict[str, Any] = {"summary": found.summary}
    for n, point in enumerate(found.learning_points.all(), start=1):
        initial |= {f"point_{n}": point.text, f"criterion_{n}": point.criterion_key}
    form = AgreeForm(_posted(request), initial=initial, criteria=criteria)
    if request.method == "POST" and form.is_valid():
        try:
            actions.agree_summary(
                review=found,
                summary=form.cleaned_data["summary"],
                points=form.points(),
                on=timezone.localdate(),
                by=_me(request),
            )
        except actions.PracticeError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "What the group agreed is saved.")
            return redirect("practice:review", pk=found.pk)
    return render(
        request,
        "practice/agree.html",
        {"review": found, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def share(request: HttpRequest, pk: int) -> HttpResponse:
    found, seen = _review(request, pk)
    if seen.as_ != PRESENTER:
        raise AccessDenied(
            "Only the practitioner whose review it is can share it into supervision."
        )
    try:
        actions.share_into_supervision(review=found, by=_me(request))
    except actions.PracticeError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, "Shared into supervision: your supervisor can now see it.")
    return redirect("practice:review", pk=found.pk)


@login_required
def export(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    if kind not in ("pdf", "xlsx"):
        raise Http404("A peer review summary is a PDF or an XLSX file.")
    found, seen = _review(request, pk)
    name = f"peer-review-{found.pk}-{found.held_on:%Y-%m-%d}"
    if kind == "xlsx":
        body = exports.workbook(found, seen)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body = exports.pdf(found, seen)
        content_type = "application/pdf"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response


# --- Themes -------------------------------------------------------------------------------------


@login_required
def themes(request: HttpRequest) -> HttpResponse:
    decision = require(request.user, Permission.PRACTICE_THEMES)
    found = queries.themes(decision.organisations)
    return render(request, "practice/themes.html", {"themes": found})
