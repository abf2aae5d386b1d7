"""Initiative pages: the list, starting one, its page (the strategic triangle and its warnings, the
trust and agreement map, the history of moves, and for a place project its charts and actions),
and the forms that change it. Thin: find, check (initiatives.visibility), call an action, render."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from placewise.initiatives import actions, blocks, charts, queries, visibility
from placewise.initiatives.forms import (
    CapacityForm,
    ConversationForm,
    DescribeForm,
    FollowUpForm,
    MeasureForm,
    MemberForm,
    MilestoneForm,
    PartnerForm,
    PlacementForm,
    StakeholderForm,
    StartForm,
)
from placewise.initiatives.models import Conversation, Initiative, Milestone, Stakeholder
from placewise.reviews.models import Verdict
from placewise.sharing.access import AccessDenied


def _post(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


@login_required
def home(request: HttpRequest) -> HttpResponse:
    may, why, _ = visibility.may_start(request.user)
    found = visibility.visible(request.user).select_related("organisation", "enabler")
    return render(
        request,
        "initiatives/home.html",
        {"initiatives": found, "may_start": may, "why_not": why},
    )


@login_required
def start(request: HttpRequest) -> HttpResponse:
    may, why, organisations = visibility.may_start(request.user)
    if not may:
        raise AccessDenied(why)
    form = StartForm(_post(request), organisations=organisations)
    if form.is_bound and form.is_valid():
        try:
            initiative = actions.start(by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except actions.InitiativeError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"'{initiative}' started: you are its enabler.")
            return redirect(initiative)
    return render(request, "initiatives/start.html", {"form": form}, status=_status(form))


def _status(form: forms.Form) -> int:
    return 400 if form.is_bound and form.errors else 200


def _initiative(request: HttpRequest, pk: int, *, edit: bool = False) -> Initiative:
    initiative = get_object_or_404(Initiative, pk=pk)
    visibility.require(request.user, initiative, edit=edit)
    return initiative


@login_required
def initiative_page(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _initiative(request, pk)
    today = timezone.localdate()
    groups, unplaced = queries.trust_map(initiative)
    conversations = (
        Conversation.objects.filter(stakeholder__initiative=initiative)
        .select_related("stakeholder", "action")
        .order_by("action__due_on", "pk")
    )
    verdicts = Verdict.objects.filter(action__in=[c.action for c in conversations]).order_by(
        "decided_at"
    )
    return render(
        request,
        "initiatives/initiative.html",
        {
            "initiative": initiative,
            "sight": visibility.sight(request.user, initiative),
            "warnings": queries.warnings(initiative, today),
            "groups": groups,
            "unplaced": unplaced,
            "authorising": queries.authorising(initiative),
            "sentences": queries.move_sentences(initiative),
            "moves": list(reversed(queries.moves(initiative))),
            "source": blocks.SOURCE,
            "team": initiative.team.select_related("user"),
            "partners": initiative.partners.all(),
            "capacities": initiative.capacities.select_related("agreement", "source"),
            "measures": initiative.measures.all(),
            "milestones": initiative.milestones.all(),
            "conversations": conversations,
            "verdicts": verdicts,
            "charts": charts.project_charts(initiative, request.user)
            if initiative.kind == Initiative.Kind.PROJECT
            else [],
            "today": today,
        },
    )


@login_required
def describe(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _initiative(request, pk, edit=True)
    initial = {f: getattr(initiative, f) for f in DescribeForm.base_fields}
    form = DescribeForm(_post(request), initial=initial)
    if form.is_bound and form.is_valid():
        actions.describe(initiative=initiative, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        messages.success(request, "The strategic triangle and implementation model are saved.")
        return redirect(initiative)
    return render(
        request,
        "initiatives/form.html",
        _form(initiative, form, "Public value and implementation model", "Save"),
    )


def _form(initiative: Initiative, form: forms.Form, title: str, button: str) -> dict[str, Any]:
    return {"initiative": initiative, "form": form, "title": title, "button": button}


@login_required
def new_stakeholder(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _initiative(request, pk, edit=True)
    form = StakeholderForm(_post(request))
    if form.is_bound and form.is_valid():
        try:
            stakeholder = actions.add_stakeholder(
                initiative=initiative,
                on=timezone.localdate(),
                by=request.user,  # type: ignore[arg-type]
                **form.cleaned_data,
            )
        except actions.InitiativeError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"{stakeholder} added: now place them.")
            return redirect("initiatives:stakeholder", pk=stakeholder.pk)
    return render(
        request,
        "initiatives/form.html",
        _form(initiative, form, "Add a stakeholder", "Add the stakeholder"),
        status=_status(form),
    )


ADD = {
    "member": (MemberForm, "Add someone to the team", "Add to the team"),
    "partner": (PartnerForm, "Add a partner organisation", "Add the partner"),
    "capacity": (CapacityForm, "Add operating capacity", "Add the capacity"),
    "indicator": (MeasureForm, "Add an indicator it should move", "Add the indicator"),
    "milestone": (MilestoneForm, "Add a milestone", "Add the milestone"),
}


@login_required
def add(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    if what not in ADD:
        raise Http404("Nothing of that kind is added to an initiative.")
    initiative = _initiative(request, pk, edit=True)
    form_class, title, button = ADD[what]
    form = form_class(_post(request))
    if form.is_bound and form.is_valid():
        data, by, today = form.cleaned_data, request.user, timezone.localdate()
        try:
            if what == "member":
                actions.add_member(initiative=initiative, user=data["user"], on=today, by=by)  # type: ignore[arg-type]
            elif what == "partner":
                actions.add_partner(initiative=initiative, by=by, **data)  # type: ignore[arg-type]
            elif what == "capacity":
                actions.add_capacity(initiative=initiative, by=by, **data)  # type: ignore[arg-type]
            elif what == "indicator":
                actions.add_measure(initiative=initiative, by=by, **data)  # type: ignore[arg-type]
            else:
                actions.add_milestone(initiative=initiative, by=by, **data)  # type: ignore[arg-type]
        except actions.InitiativeError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "Added.")
            return redirect(initiative)
    return render(
        request,
        "initiatives/form.html",
        _form(initiative, form, title, button),
        status=_status(form),
    )


@login_required
def stakeholder_page(request: HttpRequest, pk: int) -> HttpResponse:
    stakeholder = get_object_or_404(Stakeholder.objects.select_related("initiative"), pk=pk)
    initiative = stakeholder.initiative
    sight = visibility.require(request.user, initiative)
    step = request.POST.get("step") if request.method == "POST" else None
    if step is not None and not sight.edit:
        visibility.require(request.user, initiative, edit=True)
    today = timezone.localdate()
    place_form = PlacementForm(
        request.POST if step == "place" else None, initial={"placed_on": today}
    )
    talk_form = ConversationForm(request.POST if step == "talk" else None, initiative=initiative)
    mine = stakeholder.conversations.filter(
        action__practitioner_id=request.user.pk, action__measure="reflection"
    ).select_related("action")
    follow_form = FollowUpForm(
        request.POST if step == "follow" else None,
        conversations=mine,
        initial={"written_on": today},
    )
    if step == "follow" and follow_form.is_valid():
        data = follow_form.cleaned_data
        try:
            actions.follow_up_conversation(by=request.user, **data)  # type: ignore[arg-type]
        except actions.InitiativeError as refused:
            follow_form.add_error(None, str(refused))
        else:
            messages.success(
                request, f"Your follow-up of the conversation with {stakeholder} is saved."
            )
            return redirect("initiatives:stakeholder", pk=stakeholder.pk)
    if step == "place" and place_form.is_valid():
        data = place_form.cleaned_data
        try:
            actions.place(
                stakeholder=stakeholder,
                trust=data["trust"],
                agreement=data["agreement"],
                on=data["placed_on"],
                note=data["note"],
                by=request.user,  # type: ignore[arg-type]
            )
        except actions.InitiativeError as refused:
            place_form.add_error(None, str(refused))
        else:
            messages.success(request, f"Your placement of {stakeholder} is saved.")
            return redirect(initiative)
    if step == "talk" and talk_form.is_valid():
        data = talk_form.cleaned_data
        try:
            actions.plan_conversation(
                stakeholder=stakeholder,
                description=data["description"],
                owner=data["owner"],
                due_on=data["due_on"],
                on=today,
                measure=data["measure"],
                by=request.user,  # type: ignore[arg-type]
            )
        except actions.InitiativeError as refused:
            talk_form.add_error(None, str(refused))
        else:
            messages.success(request, f"The next conversation with {stakeholder} is planned.")
            return redirect(initiative)
    placements = stakeholder.placements.select_related("placed_by").order_by("-placed_on", "-pk")
    entry = queries.MapEntry(stakeholder, queries.current(stakeholder))
    posted = {"place": place_form, "talk": talk_form, "follow": follow_form}.get(step or "")
    bad = posted is not None and bool(posted.errors)
    return render(
        request,
        "initiatives/stakeholder.html",
        {
            "initiative": initiative,
            "stakeholder": stakeholder,
            "sight": sight,
            "entry": entry,
            "placements": [(p, blocks.group_of(p.trust, p.agreement)) for p in placements],
            "place_form": place_form,
            "talk_form": talk_form,
            "follow_form": follow_form if mine.exists() else None,
            "conversations": stakeholder.conversations.select_related("action").prefetch_related(
                "action__verdicts"
            ),
            "source": blocks.SOURCE,
        },
        status=400 if bad else 200,
    )


@login_required
@require_POST
def reach_milestone(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = get_object_or_404(Milestone.objects.select_related("initiative"), pk=pk)
    visibility.require(request.user, milestone.initiative, edit=True)
    try:
        actions.reach_milestone(milestone=milestone, on=timezone.localdate(), by=request.user)  # type: ignore[arg-type]
    except actions.InitiativeError as refused:
        messages.error(request, str(refused))
    return redirect(milestone.initiative)
