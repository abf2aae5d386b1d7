"""The portal's staff pages: propose a figure, check and sign off someone else's, withdraw one,
edit the data strategy. Thin: find, check, call one action, render."""

from typing import cast

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from placewise.outcomes import data
from placewise.public import actions, queries
from placewise.public.charts import chart_of
from placewise.public.forms import ProposeForm, StrategyForm, WithdrawForm
from placewise.public.models import PublishedFigure
from placewise.sharing.access import AccessDenied, require
from placewise.sharing.permissions import Permission


def _me(request: HttpRequest) -> User:
    return cast(User, request.user)  # every page here requires a signed-in person


def _data_owner(request: HttpRequest) -> None:
    if not queries.is_data_owner(request.user):
        raise AccessDenied("Only a data owner can do this.")


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    """What is waiting for a second person's sign-off, and what is published."""
    require(request.user, Permission.OUTCOMES_VIEW)
    return render(
        request,
        "public/manage.html",
        {
            "awaiting": queries.awaiting(),
            "published": queries.published(),
            "owner": queries.is_data_owner(request.user),
        },
    )


def _series() -> list[tuple[str, str]]:
    return [
        (
            f"{s.indicator.key}|{s.team}",
            f"{s.indicator.title}: {'the whole place' if s.team == 'Place' else 'area ' + s.team}",
        )
        for s in data.all_signals()
    ]


@login_required
def propose(request: HttpRequest) -> HttpResponse:
    """Propose a figure: its table is frozen now, as the public would see it."""
    require(request.user, Permission.OUTCOMES_VIEW)
    choices = _series()
    form = ProposeForm(request.POST if request.method == "POST" else None, series=choices)
    if request.method != "POST" or not form.is_valid():
        return render(request, "public/propose.html", {"form": form})
    key, team = form.cleaned_data["series"].split("|", 1)
    signal = next(s for s in data.all_signals() if (s.indicator.key, s.team) == (key, team))
    try:
        figure = actions.propose(
            signal=signal,
            meaning=form.cleaned_data["meaning"],
            counting=form.cleaned_data["counting"],
            source=form.cleaned_data["source"],
            agreement=form.cleaned_data["agreement"],
            next_update=form.cleaned_data["next_update"],
            by=_me(request),
        )
    except actions.Refused as refused:
        form.add_error(None, str(refused))
        return render(request, "public/propose.html", {"form": form})
    return redirect("public:check", pk=figure.pk)


@login_required
def check(request: HttpRequest, pk: int) -> HttpResponse:
    """A proposed (or published) figure exactly as it would appear, to sign off or withdraw."""
    require(request.user, Permission.OUTCOMES_VIEW)
    figure = get_object_or_404(PublishedFigure, pk=pk)
    return _check_page(request, figure, WithdrawForm(), "")


def _check_page(
    request: HttpRequest, figure: PublishedFigure, form: WithdrawForm, refused: str
) -> HttpResponse:
    return render(
        request,
        "public/check.html",
        {
            "figure": figure,
            "months": queries.months(figure),
            "columns": queries.columns(figure),
            "chart": chart_of(figure),
            "form": form,
            "refused": refused,
            "owner": queries.is_data_owner(request.user),
            "own": figure.proposed_by_id == request.user.pk,
        },
        status=400 if refused or form.errors else 200,
    )


@login_required
def sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    figure = get_object_or_404(PublishedFigure, pk=pk)
    if request.method != "POST":
        return redirect("public:check", pk=pk)
    try:
        actions.sign_off(figure=figure, by=_me(request))
    except actions.Refused as refused:
        return _check_page(request, figure, WithdrawForm(), str(refused))
    return redirect("public:figure", pk=pk)


@login_required
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    figure = get_object_or_404(PublishedFigure, pk=pk)
    _data_owner(request)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method != "POST" or not form.is_valid():
        return _check_page(request, figure, form, "")
    try:
        actions.withdraw(figure=figure, reason=form.cleaned_data["reason"], by=_me(request))
    except actions.Refused as refused:
        return _check_page(request, figure, form, str(refused))
    return redirect("public:manage")


@login_required
def edit_strategy(request: HttpRequest) -> HttpResponse:
    _data_owner(request)
    current = queries.strategy()
    initial = (
        {"ambition": current.ambition, "vision": current.vision, "purposes": current.purposes}
        if current
        else None
    )
    form = StrategyForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method != "POST" or not form.is_valid():
        return render(request, "public/strategy_edit.html", {"form": form})
    try:
        actions.edit_strategy(**form.cleaned_data, by=_me(request))
    except actions.Refused as refused:
        form.add_error(None, str(refused))
        return render(request, "public/strategy_edit.html", {"form": form})
    return redirect("public:strategy")
