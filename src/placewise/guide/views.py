"""The resident service guide's pages. Public (no sign-in): the list of guides and each guide's
search. The service's (sign-in, its council's REVIEW_RUN): its guides, items with their history,
the gap list with its one-step answer, and how gaps closed. Thin: find, check, call, render."""

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from placewise.guide import actions, queries, throttle
from placewise.guide.forms import GapAnswerForm, GuideForm, ItemForm, SearchForm
from placewise.guide.models import Gap, Guide, Item
from placewise.sharing import actors
from placewise.sharing.access import AccessDenied, permission
from placewise.web.charts import bar_chart

WHO = (
    "Resident service guides are edited by the people who run a council's services (its heads "
    "of service and team managers)."
)


def _me(request: HttpRequest) -> User:
    return cast(User, request.user)


# Public pages ------------------------------------------------------------------------------


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    guides = Guide.objects.select_related("organisation")
    return render(request, "guide/index.html", {"guides": guides})


@require_GET
def guide_page(request: HttpRequest, key: str) -> HttpResponse:
    """Search one guide. Every search is counted by its words (never who); a search with no good
    answer is a gap for the service. Over-long searches and too many from one address are
    refused with a message saying what to do."""
    guide = get_object_or_404(Guide.objects.select_related("organisation"), key=key)
    form = SearchForm(request.GET)
    context: dict[str, Any] = {"guide": guide, "form": form, "searched": False}
    if not form.is_valid():
        return render(request, "guide/guide.html", context, status=400)
    text = form.cleaned_data["q"]
    if text:
        if not throttle.allow(request.META):
            response = render(request, "guide/busy.html", {"guide": guide}, status=429)
            response["Retry-After"] = "60"
            return response
        found = queries.search(guide, text)
        good = [f for f in found if f.good]
        actions.count_search(
            guide=guide, text=text, answered=bool(good), by=actors.member_of_the_public()
        )
        context.update(
            searched=True, text=text, good=good, near=[f for f in found if not f.good][:5]
        )
    else:
        context["added"] = queries.closed_gaps(guide)[:5]
    return render(request, "guide/guide.html", context)


# The service's pages -----------------------------------------------------------------------


def _status(request: HttpRequest) -> int:
    # A POST that comes back to its page was refused: the form says why.
    return 400 if request.method == "POST" else 200


def _editable(request: HttpRequest, guide: Guide) -> None:
    if not queries.may_edit(request.user, guide):
        decision = permission(request.user, queries.EDIT)
        reason = (
            f"{guide.organisation.name}'s guides are edited by the people who run its services "
            "there (a head of service or team manager)."
        )
        raise AccessDenied(reason if decision.allowed else f"{WHO} {decision.reason}")


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    """The guides this person's councils publish, and a new one."""
    organisations = queries.editable_by(request.user)
    if not organisations:
        raise AccessDenied(f"{WHO} {permission(request.user, queries.EDIT).reason}")
    form = GuideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            guide = actions.create_guide(
                organisation=organisations[0], by=_me(request), **form.cleaned_data
            )
        except actions.GuideError as refused:
            form.add_error("key", str(refused))
        else:
            messages.success(request, f"{guide.title} ({guide.area}) is published, empty.")
            return redirect("guide:service", key=guide.key)
    return render(
        request,
        "guide/manage.html",
        {
            "guides": queries.guides_for(request.user),
            "form": form,
            "organisation": organisations[0],
        },
        status=_status(request),
    )


@login_required
def service(request: HttpRequest, key: str) -> HttpResponse:
    """One guide for its service: gaps most frequent first, adding an item, most searched, and
    how gaps closed over time."""
    guide = get_object_or_404(Guide.objects.select_related("organisation"), key=key)
    _editable(request, guide)
    form = ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = actions.add_item(guide=guide, by=_me(request), **form.cleaned_data)
        except actions.GuideError as refused:
            form.add_error("name", str(refused))
        else:
            messages.success(request, f"{item.name} is in the guide.")
            return redirect("guide:service", key=guide.key)
    history = queries.history(guide)
    return render(
        request,
        "guide/service.html",
        {
            "guide": guide,
            "form": form,
            "gaps": queries.open_gaps(guide)[:50],
            "closed": queries.closed_gaps(guide)[:20],
            "items": guide.items.all(),
            "most_searched": queries.most_searched(guide),
            "history": history,
            "chart": bar_chart(
                [(f"{m.month:%b %Y}", m.open_at_end) for m in history],
                title="Gaps open at the end of each month",
                description=(
                    "How many different searches had no good answer at the end of each month: "
                    "falling bars are gaps being closed."
                ),
                x_label="Month",
                y_label="Open gaps",
            )
            if history
            else None,
        },
        status=_status(request),
    )


@login_required
def item_page(request: HttpRequest, key: str, pk: int) -> HttpResponse:
    """An item: change it, and its history."""
    guide = get_object_or_404(Guide.objects.select_related("organisation"), key=key)
    _editable(request, guide)
    item = get_object_or_404(Item, pk=pk, guide=guide)
    initial = {
        "name": item.name,
        "answer": item.answer,
        "detail": item.detail,
        "synonyms": item.synonyms,
    }
    form = ItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_item(item=item, by=_me(request), **form.cleaned_data)
        except actions.GuideError as refused:
            form.add_error("name", str(refused))
        else:
            messages.success(request, f"{item.name} is changed.")
            return redirect("guide:item", key=guide.key, pk=item.pk)
    revisions = item.revisions.select_related("by")
    return render(
        request,
        "guide/item.html",
        {"guide": guide, "item": item, "form": form, "revisions": revisions},
        status=_status(request),
    )


@login_required
def gap_answer(request: HttpRequest, key: str, pk: int) -> HttpResponse:
    """Answer a gap in one step: add its words to an item, or write a new item."""
    guide = get_object_or_404(Guide.objects.select_related("organisation"), key=key)
    _editable(request, guide)
    gap = get_object_or_404(Gap, pk=pk, guide=guide)
    form = GapAnswerForm(
        request.POST or None, guide=guide, initial={"name": gap.words.capitalize()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = actions.answer_gap(
                gap=gap,
                item=data["item"],
                name=data["name"],
                answer=data["answer"],
                detail=data["detail"],
                by=_me(request),
            )
        except actions.GuideError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request, f"Residents searching for '{gap.words}' now find {item.name}."
            )
            return redirect("guide:service", key=guide.key)
    return render(
        request,
        "guide/gap.html",
        {"guide": guide, "gap": gap, "form": form, "first_field_id": "id_item"},
        status=_status(request),
    )
