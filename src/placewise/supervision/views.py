"""Supervision's pages: who supervises whom, supervision sessions with what the practitioner will
try and its follow-up, and a practitioner's progress across peer reviews. Thin: find, check,
call an action, render."""

from datetime import date
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from placewise.practice.models import Supervision
from placewise.reviews import evidence
from placewise.sharing.access import AccessDenied, permission, require
from placewise.sharing.models import Organisation
from placewise.sharing.permissions import Permission
from placewise.supervision import actions, progress, queries
from placewise.supervision.forms import (
    CloseForm,
    EndForm,
    FollowUpForm,
    SessionForm,
    SupervisesForm,
    WillTryForm,
)
from placewise.supervision.models import SupervisionSession


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Your supervisor and your sessions; the people you supervise."""
    require(request.user, Permission.PRACTICE_REVIEW)
    today = timezone.localdate()
    supervises = permission(request.user, Permission.SUPERVISE).allowed
    return render(
        request,
        "supervision/home.html",
        {
            "mine": queries.supervisor_of(request.user, today),  # type: ignore[arg-type]
            "supervising": queries.supervising(request.user, today) if supervises else [],  # type: ignore[arg-type]
            "ended": queries.ended(request.user, today),  # type: ignore[arg-type]
            "supervises": supervises,
        },
    )


def _holders(wanted: Permission, organisations: tuple[Organisation, ...]) -> QuerySet[User]:
    """People whose roles grant the permission at any of the organisations."""
    found = {p.pk for o in organisations for p in queries.holders(wanted, o)}
    return User.objects.filter(pk__in=found).order_by("first_name", "last_name", "username")


@login_required
def supervisees(request: HttpRequest) -> HttpResponse:
    """Record that you supervise a practitioner of your organisation (a head of service: that
    anyone there does), and see who supervises whom."""
    decision = require(request.user, Permission.SUPERVISE)
    today = timezone.localdate()
    heads = [o for o in decision.organisations if queries.is_head_of_service(request.user, o)]
    people = _holders(Permission.PRACTICE_REVIEW, decision.organisations)
    supervisors = _holders(Permission.SUPERVISE, tuple(heads)) if heads else None
    if not heads:
        people = people.exclude(pk=cast(int, request.user.pk))
    form = SupervisesForm(
        request.POST if request.method == "POST" else None,
        people=people,
        supervisors=supervisors,
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            made = actions.start_supervision(
                supervisor=data.get("supervisor") or cast(User, request.user),
                supervisee=data["supervisee"],
                since=data["since"],
                by=request.user,  # type: ignore[arg-type]
            )
        except actions.SupervisionError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                f"{queries.name(made.supervisor)} supervises {queries.name(made.supervisee)} "
                f"from {made.since:%-d %B %Y}.",
            )
            return redirect("supervision:supervisees")
    listed = queries.supervising(request.user, today)  # type: ignore[arg-type]
    for organisation in heads:
        listed += [
            s for s in queries.organisation_supervisions(organisation, today) if s not in listed
        ]
    return render(
        request,
        "supervision/supervisees.html",
        {"form": form, "listed": listed, "head": bool(heads), "end_form": EndForm()},
        status=400 if form.errors else 200,
    )


@login_required
def end(request: HttpRequest, pk: int) -> HttpResponse:
    """End a supervision: its supervisor, or a head of service at its organisation."""
    require(request.user, Permission.SUPERVISE)
    supervision = get_object_or_404(
        Supervision.objects.select_related("supervisor", "supervisee", "organisation"), pk=pk
    )
    queries.end_access(request.user, supervision)
    form = EndForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            actions.end_supervision(
                supervision=supervision,
                until=form.cleaned_data["until"],
                by=request.user,  # type: ignore[arg-type]
            )
        except actions.SupervisionError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request, f"Supervision of {queries.name(supervision.supervisee)} ended."
            )
            return redirect("supervision:supervisees")
    return render(
        request,
        "supervision/end.html",
        {"form": form, "supervision": supervision},
        status=400 if form.errors else 200,
    )


@login_required
def supervision_page(request: HttpRequest, pk: int) -> HttpResponse:
    supervision = get_object_or_404(
        Supervision.objects.select_related("supervisor", "supervisee", "organisation"), pk=pk
    )
    queries.supervision_access(request.user, supervision)
    today = timezone.localdate()
    return render(
        request,
        "supervision/supervision.html",
        {
            "supervision": supervision,
            "sessions": supervision.sessions.prefetch_related("actions", "reviews"),
            "is_current": supervision.until is None or supervision.until >= today,
            "shared": queries.shared_reviews(supervision, today),
        },
    )


@login_required
def new_session(request: HttpRequest, pk: int) -> HttpResponse:
    supervision = get_object_or_404(
        Supervision.objects.select_related("supervisor", "supervisee", "organisation"), pk=pk
    )
    queries.supervision_access(request.user, supervision)
    shared = queries.shared_reviews(supervision, timezone.localdate())
    form = SessionForm(request.POST if request.method == "POST" else None, shared=shared)
    if form.is_valid():
        data = form.cleaned_data
        try:
            session = actions.record_session(
                supervision=supervision,
                held_on=data["held_on"],
                reviews=list(data["reviews"]),
                reflections=data["reflections"],
                by=request.user,  # type: ignore[arg-type]
            )
        except actions.SupervisionError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"{session} recorded.")
            return redirect("supervision:session", pk=session.pk)
    return render(
        request,
        "supervision/new_session.html",
        {"form": form, "supervision": supervision, "shared": shared},
        status=400 if form.errors else 200,
    )


@login_required
def session_page(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(
        SupervisionSession.objects.select_related(
            "supervision__supervisor", "supervision__supervisee", "supervision__organisation"
        ),
        pk=pk,
    )
    queries.session_access(request.user, session)
    step = request.POST.get("step", "") if request.method == "POST" else ""
    will_try = WillTryForm(
        request.POST if step == "will_try" else None, criteria=queries.criteria_for(session)
    )
    questions = queries.questions(session.supervision.organisation)
    follow_ups: list[dict[str, Any]] = []
    for action in queries.open_actions_to_follow_up(session):
        mine = step == f"follow_up-{action.pk}"
        found = evidence.of(action, request.user)
        follow_ups.append(
            {
                "action": action,
                "question": questions.get(action.measure_key, action.measure_key),
                "evidence": found,
                "rows": [
                    (date.fromisoformat(r["held_on"]), when, r["grades"])
                    for when, key in (("Before", "before"), ("Since", "after"))
                    for r in found.get(key, [])
                ],
                "given": [v for v in session.follow_ups.all() if v.action_id == action.pk],
                "form": FollowUpForm(request.POST if mine else None, prefix=f"f{action.pk}"),
                "posted": mine,
                "close": CloseForm(
                    request.POST if step == f"close-{action.pk}" else None, prefix=f"c{action.pk}"
                ),
                "closing": step == f"close-{action.pk}",
            }
        )
    done = ""
    failed: Any = None
    if step == "will_try" and will_try.is_valid():
        data = will_try.cleaned_data
        try:
            actions.agree_will_try(
                session=session,
                description=data["description"],
                criterion_key=data["criterion"],
                due_on=data["due_on"],
                by=request.user,  # type: ignore[arg-type]
            )
            done = "What the practitioner will try is recorded."
        except actions.SupervisionError as refused:
            will_try.add_error(None, str(refused))
    for row in follow_ups:
        if row["posted"] and row["form"].is_valid():
            data = row["form"].cleaned_data
            try:
                actions.follow_up(
                    session=session,
                    action=row["action"],
                    by=request.user,  # type: ignore[arg-type]
                    **data,
                )
                done = "Follow-up recorded."
            except actions.SupervisionError as refused:
                row["form"].add_error(None, str(refused))
        if row["posted"] and row["form"].errors:
            failed = row["form"]
        if row["closing"] and row["close"].is_valid():
            try:
                actions.close_will_try(
                    session=session,
                    action=row["action"],
                    note=row["close"].cleaned_data["note"],
                    by=request.user,  # type: ignore[arg-type]
                )
                done = "Closed: later sessions will not ask about it again."
            except actions.SupervisionError as refused:
                row["close"].add_error(None, str(refused))
        if row["closing"] and row["close"].errors:
            failed = row["close"]
    if done:
        messages.success(request, done)
        return redirect("supervision:session", pk=session.pk)
    return render(
        request,
        "supervision/session.html",
        {
            "session": session,
            "supervision": session.supervision,
            "reviews": [
                {"review": r, "feedback": progress.review_feedback(r)}
                for r in session.reviews.select_related("framework").order_by("held_on")
            ],
            "agreed": [
                {"action": a, "question": questions.get(a.measure_key, a.measure_key)}
                for a in session.actions.all()
            ],
            "will_try": will_try,
            "follow_ups": follow_ups,
            "form": failed or will_try,  # for the title's "Error:"
        },
        status=400 if step and (will_try.errors or failed is not None) else 200,
    )


def _practitioner(pk: int) -> Any:
    return get_object_or_404(get_user_model(), pk=pk, is_active=True)


@login_required
def my_progress(request: HttpRequest) -> HttpResponse:
    return _progress(request, request.user)


@login_required
def progress_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _progress(request, _practitioner(pk))


def _progress(request: HttpRequest, practitioner: Any) -> HttpResponse:
    view = queries.progress_access(request.user, practitioner, timezone.localdate())
    return render(
        request, "supervision/progress.html", {"progress": progress.of(view), "view": view}
    )


@login_required
def progress_record(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The progress record as PDF or XLSX, for the practitioner's portfolio: the same view."""
    from placewise.supervision import record

    practitioner = _practitioner(pk)
    view = queries.progress_access(request.user, practitioner, timezone.localdate())
    if kind not in record.KINDS:
        raise AccessDenied("A progress record is a PDF or an XLSX workbook.")
    made, content_type, filename = record.make(progress.of(view), kind, by=request.user)
    response = HttpResponse(made, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
