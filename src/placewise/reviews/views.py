"""Data review sessions: signal → agenda item → interpretations and actions → follow-up → verdict."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from placewise.governance.queries import signed_in
from placewise.indicators.export import PLACE
from placewise.indicators.signals import Signal
from placewise.jobs import actions as jobs
from placewise.jobs import tasks
from placewise.jobs.models import Job
from placewise.outcomes import data
from placewise.outcomes.charts import signal_chart
from placewise.outcomes.visibility import figure, visible
from placewise.reviews import actions, evidence, joining, pack_jobs
from placewise.reviews import pack as pack_file
from placewise.reviews.forms import (
    ActionForm,
    AddItemForm,
    DiscussionForm,
    SessionForm,
    VerdictForm,
)
from placewise.reviews.models import Action, AgendaItem, ReviewSession
from placewise.sharing.access import AccessDenied, permission, require
from placewise.sharing.permissions import Permission
from placewise.sharing.publication import PublishedSeries
from placewise.web.charts import SpcChart


def _raw_signals_for(user: Any) -> list[Signal]:
    return pack_file.signals_for(user)


def _signals_for(user: Any) -> list[PublishedSeries]:
    """The series this user may see, as the publication path lets them: a partner's agenda,
    follow-ups and charts carry nothing worked out from a withheld count."""
    views, _ = visible(user)
    partners = data.published_for_partners() if not all(v.full for v in views.values()) else {}
    return [
        data.published(s, full=views[s.indicator.key].full, partners=partners)
        for s in _raw_signals_for(user)
    ]


@login_required
def reviews(request: HttpRequest) -> HttpResponse:
    decision = permission(request.user, Permission.REVIEW_RUN)
    if not decision.allowed:
        # A partner's analyst or data owner: the sessions they may join, and nothing to start.
        require(request.user, Permission.OUTCOMES_VIEW)
        if request.method == "POST":
            raise AccessDenied(decision.reason)
        return render(
            request, "reviews/reviews_joinable.html", {"joinable": joining.joinable(request.user)}
        )
    signals = _signals_for(request.user)
    teams = sorted({s.team for s in signals}, key=lambda t: (t != PLACE, t))
    form = SessionForm(request.POST or None, teams=teams, organisations=decision.organisations)
    if request.method == "POST" and form.is_valid():
        try:
            session = actions.create_session(
                team=form.cleaned_data["team"],
                held_on=form.cleaned_data["held_on"],
                attendees=form.cleaned_data["attendees"],
                follow_up_on=form.cleaned_data["follow_up_on"],
                follows=form.cleaned_data["follows"],
                by=signed_in(request),
                signals=signals,
                organisation=form.cleaned_data.get("organisation"),
            )
        except actions.ReviewError as error:
            form.add_error(None, str(error))
        else:
            return redirect("reviews:review", pk=session.pk)
    sessions = ReviewSession.objects.filter(organisation__in=decision.organisations)
    return render(
        request,
        "reviews/reviews.html",
        {
            "form": form,
            "sessions": sessions.select_related("chair", "organisation", "follows")[:50],
            "organisations": decision.organisations,
            "joinable": joining.joinable(request.user),
        },
        status=400 if form.errors else 200,
    )


def _session(request: HttpRequest, pk: int) -> tuple[ReviewSession, joining.Attendance]:
    """The session and how the viewer is at it: chairing it (they run its organisation's
    sessions) or joined (its agenda has an indicator their agreements cover), else refused."""
    session = get_object_or_404(ReviewSession.objects.select_related("organisation"), pk=pk)
    return session, joining.attendance(request.user, session)


def _chair_only(attendance: joining.Attendance, session: ReviewSession) -> None:
    if not attendance.chairs:
        raise AccessDenied(
            f"You joined this session as a partner: you may record actions you own. The agenda, "
            f"what staff said, verdicts and the session pack stay with {session.organisation.name}: "
            f"ask the chair, {session.chair.get_full_name() or session.chair.get_username()}."
        )


@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    session, attendance = _session(request, pk)
    signals = _signals_for(request.user)
    by_key = {(s.indicator.key, s.team): s for s in signals}
    user = signed_in(request)
    errors: dict[str, Any] = {}
    if request.method == "POST":
        step = request.POST.get("step", "")
        try:
            if step != "action":
                _chair_only(attendance, session)
            done = _post(request, session, step, by_key, user, errors, attendance)
        except actions.ReviewError as error:
            errors[step] = str(error)
            done = None
        if done:
            messages.success(request, done)
            return redirect(f"{request.path}#{request.POST.get('anchor', '')}")
    items = []
    for item in session.items.prefetch_related("actions"):
        if not attendance.sees(item):
            continue  # an indicator the joiner's agreements do not cover
        items.append(
            {
                "item": item,
                "signal": by_key.get((item.indicator, item.team)),
                "discussion": errors.get(f"discussion-{item.pk}")
                or DiscussionForm(
                    initial={"interpretations": item.interpretations, "reasons": item.reasons}
                ),
                "action_form": errors.get(f"action-{item.pk}") or _action_form(attendance),
            }
        )
    follow_ups = []
    # The actions agreed at the session this one follows, and those carried to it.
    followed = Q(carried_to=session)
    if session.follows is not None:
        followed |= Q(item__session=session.follows)
    for action in Action.objects.filter(followed).select_related("item"):
        if not attendance.chairs and (action.indicator, action.team) not in attendance.covered:
            continue
        signal = by_key.get((action.indicator, action.team))
        given = action.verdicts.filter(session=session).first()
        found = evidence.for_action(action, signal)
        follow_ups.append(
            {
                "action": action,
                "signal": signal,
                "evidence": found,
                "too_early": evidence.too_early(found),
                "before": figure(signal.indicator, found["before_mean"]) if signal else "–",
                "after": figure(signal.indicator, found["after_mean"]) if signal else "–",
                "chart": _action_chart(signal, action) if signal else None,
                "verdict": given,
                "form": errors.get(f"verdict-{action.pk}") or VerdictForm(),
            }
        )
    on_agenda = {(i.indicator, i.team) for i in session.items.all()}
    addable = [
        (s.indicator.key, s.indicator.title)
        for s in signals
        if s.team == session.team and (s.indicator.key, s.team) not in on_agenda
    ]
    add_form = AddItemForm() if attendance.chairs else None
    if add_form is not None:
        add_form.fields["indicator"].choices = addable  # type: ignore[attr-defined]
    return render(
        request,
        "reviews/review.html",
        {
            "session": session,
            "items": items,
            "follow_ups": follow_ups,
            "add_form": add_form if addable else None,
            "errors": _messages(errors),
            "chairs": attendance.chairs,
            "hidden_items": session.items.count() - len(items),
        },
        status=400 if errors else 200,
    )


def _post(
    request: HttpRequest,
    session: ReviewSession,
    step: str,
    by_key: dict[tuple[str, str], PublishedSeries],
    user: User,
    errors: dict[str, Any],
    attendance: joining.Attendance,
) -> str | None:
    """Carry out one form on the session page; return the message to show, or None with the
    form (and its errors) left in `errors`."""
    target = request.POST.get("target", "")
    if step == "add_item":
        signal = by_key.get((request.POST.get("indicator", ""), session.team))
        if signal is None:
            errors[step] = "Choose an indicator that has a chart for this team."
            return None
        actions.add_item(session=session, signal=signal, by=user)
        return f"{signal.indicator.title} added to the agenda."
    if step == "discussion":
        item = get_object_or_404(AgendaItem, pk=target, session=session)
        form: forms.Form = DiscussionForm(request.POST)
        if not form.is_valid():
            errors[f"discussion-{item.pk}"] = form
            return None
        actions.record_discussion(item=item, by=user, **form.cleaned_data)
        return "Discussion saved."
    if step == "action":
        item = get_object_or_404(AgendaItem, pk=target, session=session)
        if not attendance.sees(item):
            raise AccessDenied("That agenda item counts data no agreement shares with you.")
        form = _action_form(attendance, request.POST)
        if not form.is_valid():
            errors[f"action-{item.pk}"] = form
            return None
        cleaned = {"owner": _owner(request.user), **form.cleaned_data}
        actions.add_action(item=item, by=user, **cleaned)
        return "Action agreed."
    if step == "verdict":
        action = get_object_or_404(Action, pk=target)
        form = VerdictForm(request.POST)
        if not form.is_valid():
            errors[f"verdict-{action.pk}"] = form
            return None
        signal = by_key.get((action.indicator, action.team))
        cleaned = form.cleaned_data
        actions.give_verdict(
            action=action,
            session=session,
            outcome=cleaned["outcome"],
            loop=cleaned["loop"],
            note=cleaned["note"],
            evidence=evidence.for_action(action, signal),
            by=user,
            change=cleaned["change"],
            change_settings=cleaned["change_settings"],
            change_reason=cleaned["change_reason"],
        )
        return "Verdict recorded."
    raise AccessDenied("That is not something this page can do.")


def _action_form(attendance: joining.Attendance, data: Any = None) -> ActionForm:
    """A joiner records actions they own: the owner is them, not a field."""
    form = ActionForm(data)
    if not attendance.chairs:
        del form.fields["owner"]
    return form


def _owner(user: Any) -> str:
    """A joining partner as an action's owner: their name and organisation."""
    where = ", ".join(m.organisation.name for m in user.memberships.select_related("organisation"))
    return f"{user.get_full_name() or user.get_username()}, {where}"


@login_required
def pack(request: HttpRequest, pk: int) -> HttpResponse:
    """The session pack for the board: the agenda, what was said, the actions and verdicts, and
    every number behind each item's chart, as a workbook; made by a job (reviews/pack_jobs.py)."""
    return _pack_job(request, pk, "xlsx")


def _pack_job(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Asked for (GET): a page with the button that starts it. Started (POST): its job's page,
    which follows it to the file."""
    session, attendance = _session(request, pk)
    _chair_only(attendance, session)
    if request.method != "POST":
        return render(
            request,
            "reviews/pack_start.html",
            {"session": session, "kind": kind, "described": pack_jobs.FORMATS[kind]},
        )
    job = jobs.start(
        kind=Job.Kind.PACK,
        options={"session": session.pk, "format": kind},
        by=signed_in(request),
        about=f"the pack of {session} ({kind.upper()})",
    )
    return redirect(tasks.queue(job))


def _messages(errors: dict[str, Any]) -> dict[str, str]:
    """For the error summary: anchor → message, for plain errors and for each form's fields."""
    found: dict[str, str] = {}
    for key, value in errors.items():
        if isinstance(value, str):
            found[key] = value
        else:
            for field, messages_ in value.errors.items():
                found.setdefault(key, f"{messages_[0]}" if field != "__all__" else messages_[0])
    return found


def _action_chart(signal: PublishedSeries, action: Action) -> SpcChart:
    """The indicator's SPC chart with a line where the action began."""
    return signal_chart(
        signal,
        shown=[figure(signal.indicator, m.value) for m in signal.months],
        title=f"{signal.indicator.title} before and after the action",
        description=f"{signal.highlight} The action began in {action.from_period:%B %Y}.",
        marker=action.from_period,
        marker_label="action",
    )


@login_required
def pack_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The pack for the board as a PDF with each item's chart, made by a job."""
    return _pack_job(request, pk, "pdf")
