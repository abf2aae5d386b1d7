"""Leadership pages: My leadership, the 4C plan and its experiments, sharing and the person's
downloads (GROW coaching's pages are in coaching_views.py). Thin: find, check
(leadership.visibility), call an action, render."""

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from placewise.leadership import actions, exports, queries, starter, visibility
from placewise.leadership.forms import (
    CapabilityForm,
    DatedReflectionForm,
    ExperimentForm,
    PlanForm,
    ShareForm,
)
from placewise.leadership.models import Capability, Entry, Experiment, Plan


def _me(request: HttpRequest) -> User:
    return cast(User, request.user)


def _post(request: HttpRequest, step: str) -> Any:
    return request.POST if request.method == "POST" and request.POST.get("step") == step else None


def _others() -> Any:
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .order_by("first_name", "last_name", "username")
    )


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """My leadership: what the person would otherwise keep in four documents."""
    me = _me(request)
    today = timezone.localdate()
    plan = queries.plan_of(me)
    return render(
        request,
        "leadership/home.html",
        {
            "plan": plan,
            "gaps": queries.missing(plan) if plan else [],
            "due": queries.due_experiments(me, today),
            "today": today,
            "commitments": queries.commitments(me),
            "coachings": queries.coachings(me),
            "history_360": queries.history_360(me),
            "chaired": queries.chaired_sessions(me),
            "meetings": queries.chaired_meetings(me),
            "peer_reviews": queries.peer_reviews(me),
            "shared_with_me": queries.shared_with_me(me),
        },
    )


@login_required
def my_plan(request: HttpRequest) -> HttpResponse:
    """Your plan, or the form that starts it."""
    me = _me(request)
    plan = queries.plan_of(me)
    if plan is not None:
        return redirect("leadership:plan", pk=plan.pk)
    form = PlanForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            plan = actions.start_plan(
                level=form.cleaned_data["level"], started_on=timezone.localdate(), by=me
            )
        except actions.LeadershipError as refused:
            form.add_error(None, str(refused))
        else:
            return redirect("leadership:plan", pk=plan.pk)
    return render(
        request,
        "leadership/start.html",
        {"form": form, "starter": starter},
        status=400 if form.errors else 200,
    )


@login_required
def plan_page(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.select_related("person"), pk=pk)
    sight = visibility.require_plan(request.user, plan)
    today = timezone.localdate()
    forms: dict[str, CapabilityForm] = {}
    bad = None
    for capability in Capability.values:
        written = queries.current(plan)[capability]
        stand, why = written[Entry.Kind.STAND], written[Entry.Kind.WHY]
        data = _post(request, f"capability-{capability}")
        forms[capability] = CapabilityForm(
            data,
            prefix=capability,
            initial={"stand": stand.text if stand else "", "why": why.text if why else ""},
        )
        if data is None:
            continue
        visibility.require_plan(request.user, plan, write=True)
        form = forms[capability]
        if form.is_valid():
            try:
                actions.write_capability(
                    plan=plan,
                    capability=capability,
                    stand=form.cleaned_data["stand"],
                    why=form.cleaned_data["why"],
                    on=today,
                    by=request.user,  # type: ignore[arg-type]
                )
            except actions.LeadershipError as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, f"{Capability(capability).label} saved.")
                return redirect(f"{plan_url(plan)}#{capability}")
        bad = form
    level = PlanForm(_post(request, "level"), initial={"level": plan.level}, prefix="level")
    if _post(request, "level") is not None:
        visibility.require_plan(request.user, plan, write=True)
        if level.is_valid():
            try:
                actions.change_level(
                    plan=plan,
                    level=level.cleaned_data["level"],
                    on=today,
                    by=request.user,  # type: ignore[arg-type]
                )
            except actions.LeadershipError as refused:
                level.add_error(None, str(refused))
            else:
                return redirect(plan_url(plan))
    rows = queries.experiments(plan, own=sight.own)
    sections = [
        {
            "key": c,
            "label": Capability(c).label,
            "guidance": starter.GUIDANCE[c],
            "written": queries.current(plan)[c],
            "form": forms[c],
            "experiments": [r for r in rows if r.experiment.capability == c],
        }
        for c in Capability.values
    ]
    errors = bool(bad and bad.errors) or bool(level.errors)
    return render(
        request,
        "leadership/plan.html",
        {
            "plan": plan,
            "own": sight.own,
            "sections": sections,
            "gaps": queries.missing(plan),
            "level_form": level,
            "audience": starter.LEVEL_AUDIENCE[plan.level],
            "starter": starter,
            "timeline": queries.timeline(plan),
        },
        status=400 if errors else 200,
    )


def plan_url(plan: Plan) -> str:
    from django.urls import reverse

    return reverse("leadership:plan", kwargs={"pk": plan.pk})


@login_required
def new_experiment(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(Plan, pk=pk)
    visibility.require_plan(request.user, plan, write=True)
    chosen = starter.BY_KEY.get(request.GET.get("activity", ""))
    initial = (
        {"activity": chosen.key, "capability": chosen.capability, "scope": chosen.scope}
        if chosen
        else {"capability": request.GET.get("capability", "")}
    )
    form = ExperimentForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.add_experiment(
                plan=plan,
                capability=data["capability"],
                scope=data["scope"],
                activity=data["activity"],
                what=data["what"],
                when_where=data["when_where"],
                starts_on=data["starts_on"],
                review_on=data["review_on"],
                by=request.user,  # type: ignore[arg-type]
            )
        except actions.LeadershipError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                f"Experiment added. It is followed up on its review date, "
                f"{data['review_on']:%-d %B %Y}.",
            )
            return redirect(f"{plan_url(plan)}#{data['capability']}")
    return render(
        request,
        "leadership/new_experiment.html",
        {"form": form, "plan": plan, "chosen": chosen, "starter": starter},
        status=400 if form.errors else 200,
    )


@login_required
def experiment_page(request: HttpRequest, pk: int) -> HttpResponse:
    experiment = get_object_or_404(Experiment.objects.select_related("plan", "action"), pk=pk)
    sight = visibility.require_plan(request.user, experiment.plan)
    form = DatedReflectionForm(
        request.POST if request.method == "POST" else None,
        initial={"written_on": timezone.localdate()},
    )
    if request.method == "POST":
        visibility.require_plan(request.user, experiment.plan, write=True)
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.reflect(
                    experiment=experiment,
                    written_on=data["written_on"],
                    what_happened=data["what_happened"],
                    learned=data["learned"],
                    effect=data["effect"],
                    loop=data["loop"],
                    by=request.user,  # type: ignore[arg-type]
                )
            except actions.LeadershipError as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, "Reflection saved.")
                return redirect("leadership:experiment", pk=experiment.pk)
    row = next(
        r for r in queries.experiments(experiment.plan, own=sight.own) if r.experiment == experiment
    )
    return render(
        request,
        "leadership/experiment.html",
        {
            "row": row,
            "experiment": experiment,
            "plan": experiment.plan,
            "own": sight.own,
            "form": form,
            "activity": starter.BY_KEY.get(experiment.activity),
        },
        status=400 if form.errors else 200,
    )


@login_required
def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.select_related("person"), pk=pk)
    visibility.require_plan(request.user, plan)
    response = HttpResponse(exports.plan_pdf(plan, by=request.user), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="4c-plan-{plan.person.get_username()}.pdf"'
    )
    return response


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    """All your leadership data as JSON: yours to take away."""
    response = HttpResponse(exports.my_data_json(request.user), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="my-leadership-data.json"'
    return response


@login_required
def sharing(request: HttpRequest) -> HttpResponse:
    """Whom you share your plan with (a coach, a supervisor), and stopping it."""
    me = _me(request)
    form = ShareForm(_post(request, "share"), people=_others().exclude(pk=me.pk))
    if form.is_valid():
        try:
            actions.share(viewer=form.cleaned_data["viewer"], by=me)
        except actions.LeadershipError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request, f"You share your plan with {queries.name(form.cleaned_data['viewer'])}."
            )
            return redirect("leadership:sharing")
    if _post(request, "unshare") is not None:
        viewer = get_user_model().objects.filter(pk=request.POST.get("viewer") or 0).first()
        if viewer is None:
            raise Http404("No such person.")
        try:
            actions.unshare(viewer=viewer, by=me)
        except actions.LeadershipError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"You no longer share your plan with {queries.name(viewer)}.")
            return redirect("leadership:sharing")
    return render(
        request,
        "leadership/sharing.html",
        {"form": form, "shares": queries.shares(me)},
        status=400 if form.errors else 200,
    )
