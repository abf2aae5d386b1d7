"""The actions register: every action agreed in an organisation's review sessions, what is
open, overdue and waiting for evidence; and one action's page, to change, reassign, close or
carry it to a later session. Thin: find, check, call an action, render."""

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from placewise.governance.queries import signed_in
from placewise.reviews import actions
from placewise.reviews.forms import CarryActionForm, ChangeActionForm, CloseActionForm
from placewise.reviews.models import Action, Verdict
from placewise.sharing.access import AccessDenied, require
from placewise.sharing.permissions import Permission

STATES = {
    "open": "Open",
    "overdue": "Overdue",
    "waiting": "Waiting for evidence",
    "closed": "Closed",
}


def state_of(action: Action, today: date) -> str:
    """Closed; overdue (open, past its due date); waiting for evidence (open, and no follow-up
    has yet found the measure moved or not: no verdict, or only 'too early to tell'); or open."""
    if not action.is_open:
        return "closed"
    if action.due_on < today:
        return "overdue"
    verdicts = [v.outcome for v in action.verdicts.all()]
    if not verdicts or all(v == Verdict.Outcome.TOO_EARLY for v in verdicts):
        return "waiting"
    return "open"


@login_required
def register(request: HttpRequest) -> HttpResponse:
    decision = require(request.user, Permission.REVIEW_RUN)
    today = date.today()
    found = (
        # An action about one person's practice is theirs and their supervisor's, not the
        # organisation's: it is listed where its owning app shows it (supervision).
        Action.objects.filter(organisation__in=decision.organisations, practitioner__isnull=True)
        .select_related("item__session__organisation", "organisation", "carried_to")
        .prefetch_related("verdicts")
        .order_by("due_on", "pk")
    )
    wanted = request.GET.get("state", "")
    rows: list[dict[str, Any]] = []
    counts = dict.fromkeys(STATES, 0)
    for action in found:
        state = state_of(action, today)
        counts[state] += 1
        if wanted in STATES and state != wanted:
            continue
        rows.append({"action": action, "state": state, "label": STATES[state]})
    return render(
        request,
        "reviews/actions.html",
        {"rows": rows, "counts": counts, "states": STATES, "wanted": wanted},
    )


@login_required
def action_page(request: HttpRequest, pk: int) -> HttpResponse:
    decision = require(request.user, Permission.REVIEW_RUN)
    action = get_object_or_404(
        Action.objects.select_related("organisation"), pk=pk, practitioner=None
    )
    organisation = action.organisation
    if organisation is None or organisation not in decision.organisations:
        raise AccessDenied(
            f"This action was agreed at {action.agreed_at} of "
            f"{organisation.name if organisation else 'another organisation'}; your roles let "
            "you run review sessions only for "
            f"{' and '.join(o.name for o in decision.organisations)}."
        )
    by = signed_in(request)
    step = request.POST.get("step", "") if request.method == "POST" else ""
    change = ChangeActionForm(
        request.POST if step == "change" else None,
        initial={"description": action.description, "owner": action.owner, "due_on": action.due_on},
    )
    close = CloseActionForm(request.POST if step == "close" else None)
    carry = CarryActionForm(request.POST if step == "carry" else None, action=action)
    forms = {"change": change, "close": close, "carry": carry}
    form = forms.get(step)
    if form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            if step == "change":
                actions.change_action(action=action, by=by, **data)
                done = "Action changed."
            elif step == "close":
                actions.close_action(action=action, note=data["note"], on=date.today(), by=by)
                done = "Action closed."
            else:
                actions.carry_action(action=action, to=data["to"], by=by)
                done = f"Action carried to {data['to']}."
        except actions.ReviewError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, done)
            return redirect("reviews:action", pk=action.pk)
    return render(
        request,
        "reviews/action.html",
        {
            "action": action,
            "state": STATES[state_of(action, date.today())],
            "verdicts": action.verdicts.select_related("session"),
            "change": change,
            "close": close,
            "carry": carry,
        },
        status=400 if form is not None and form.errors else 200,
    )
