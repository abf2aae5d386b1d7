"""Operational and strategic reviews: the schedule and its balance → a meeting → children's
journeys → findings → process changes agreed as actions, followed up at a data review session."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from placewise.indicators.export import PLACE
from placewise.outcomes import data
from placewise.outcomes.visibility import visible
from placewise.service_reviews import actions, queries, record
from placewise.service_reviews.forms import (
    ChangeForm,
    CohortSampleForm,
    FindingForm,
    GoalForm,
    IndicatorSampleForm,
    MeetingForm,
    ReferralSampleForm,
    ScheduleForm,
)
from placewise.service_reviews.models import (
    Finding,
    ReviewMeeting,
    SampleChild,
    StrategicGoal,
)
from placewise.sharing import audit
from placewise.sharing.access import AccessDenied, permission
from placewise.sharing.permissions import Permission

Errors = list[tuple[str, str]]  # (the id of the field or form to jump to, the message)


def _errors(form: forms.Form, prefix: str = "") -> Errors:
    found = []
    for name, messages_ in form.errors.items():
        anchor = f"{prefix}id_{name}" if name != "__all__" else f"{prefix}form"
        widget = form.fields[name].widget if name in form.fields else None
        if getattr(widget, "is_govuk_date", False):
            anchor += "-day"
        elif getattr(widget, "input_type", "") == "radio":
            anchor += "_0"
        found += [(anchor, str(m)) for m in messages_]
    return found


def _try(form: forms.Form, prefix: str, do: Callable[[dict[str, Any]], Any]) -> tuple[Any, Errors]:
    """Run the action if the form is valid; the refusal, if any, joins the form's errors."""
    if not form.is_valid():
        return None, _errors(form, prefix)
    try:
        return do(form.cleaned_data), []
    except (actions.ServiceReviewError, queries.SampleError) as error:
        form.add_error(None, str(error))
        return None, _errors(form, prefix)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    runs = permission(request.user, Permission.SERVICE_REVIEW_RUN)
    if not runs.allowed:
        invited = queries.invited_to(request.user)
        if request.method == "POST" or not invited.exists():
            raise AccessDenied(
                f"{runs.reason} Nor does any operational or strategic review invite you: its "
                "chair can."
            )
        return render(request, "service_reviews/invited.html", {"meetings": invited})
    user, post = request.user, request.POST if request.method == "POST" else None
    step = request.POST.get("step", "") if post else ""
    schedules = queries.schedules_for(user)
    schedule_form = ScheduleForm(
        post if step == "schedule" else None, organisations=runs.organisations
    )
    meeting_form = MeetingForm(post if step == "meeting" else None, schedules=schedules)
    goal_form = GoalForm(post if step == "goal" else None)
    errors: Errors = []
    if step == "schedule":
        made, errors = _try(
            schedule_form,
            "schedule-",
            lambda d: actions.create_schedule(
                title=d["title"],
                kind=d["kind"],
                every=d["every"],
                areas=d["areas"],
                leaders=d["leaders"],
                invited=list(d["invited"]),
                organisation=d.get("organisation"),
                by=user,  # type: ignore[arg-type]
            ),
        )
        if made:
            messages.success(request, f"'{made}' is on the schedule.")
            return redirect("service_reviews:home")
    elif step == "meeting":
        made, errors = _try(
            meeting_form,
            "meeting-",
            lambda d: actions.hold_meeting(
                schedule=d["schedule"],
                held_on=d["held_on"],
                attendees=d["attendees"],
                purpose=d["purpose"],
                by=user,  # type: ignore[arg-type]
            ),
        )
        if made:
            return redirect("service_reviews:meeting", pk=made.pk)
    elif step == "goal":
        made, errors = _try(
            goal_form,
            "goal-",
            lambda d: actions.add_goal(
                title=d["title"],
                description=d["description"],
                by=user,  # type: ignore[arg-type]
                organisation=runs.organisations[0] if len(runs.organisations) == 1 else None,
            ),
        )
        if made:
            messages.success(request, f"'{made}' is one of the service's strategic goals.")
            return redirect("service_reviews:home")
    today = timezone.localdate()
    return render(
        request,
        "service_reviews/home.html",
        {
            "schedules": schedules,
            "meetings": ReviewMeeting.objects.filter(organisation__in=runs.organisations)
            .select_related("schedule")
            .prefetch_related("sample", "findings")[:40],
            "balance": queries.balance(queries.meetings_held(runs.organisations), today=today),
            "rule": queries,
            "goals": StrategicGoal.objects.filter(organisation__in=runs.organisations),
            "schedule_form": schedule_form,
            "meeting_form": meeting_form,
            "goal_form": goal_form,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


def _title(key: str) -> str:
    found = data.indicators().get(key)
    return found.title if found is not None else key


def _indicators(user: Any) -> list[tuple[str, str]]:
    views, _ = visible(user)
    return sorted(((k, v.indicator.title) for k, v in views.items()), key=lambda kv: kv[1])


@login_required
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(
        ReviewMeeting.objects.select_related("schedule", "organisation", "chair"), pk=pk
    )
    at = queries.attendance(request.user, found)
    user, post = request.user, request.POST if request.method == "POST" else None
    step = request.POST.get("step", "") if post else ""
    if post is not None and step != "finding" and not at.chairs:
        raise AccessDenied(
            f"You take part in this review as an invited leader: you may record findings. The "
            f"sample and the changes agreed are {found.organisation.name}'s: ask the chair, "
            f"{queries.chair_name(found)}."
        )
    indicators = _indicators(user) if at.chairs else []
    bound = {
        name: post if step == name else None
        for name in ("indicator", "cohort", "referral", "finding")
    }
    forms_ = {
        "indicator": IndicatorSampleForm(bound["indicator"], indicators=indicators),
        "cohort": CohortSampleForm(bound["cohort"]),
        "referral": ReferralSampleForm(bound["referral"], organisation=found.organisation),
        "finding": FindingForm(bound["finding"], organisation=found.organisation),
    }
    target = request.POST.get("target", "") if post else ""
    change_forms = {
        f.pk: ChangeForm(
            post if step == "change" and target == str(f.pk) else None, indicators=indicators
        )
        for f in found.findings.all()
    }
    errors: Errors = []
    done = ""
    if step in ("indicator", "cohort", "referral"):
        draw = {
            "indicator": lambda d: queries.indicator_children(
                user,
                key=d["indicator"],
                team=d["team"].strip() or PLACE,
                period=d["month"].replace(day=1),
                purpose=found.purpose,
                how_many=d["how_many"],
            ),
            "cohort": lambda d: queries.cohort_children(
                user, start=d["start"], end=d["end"], purpose=found.purpose, how_many=d["how_many"]
            ),
            "referral": lambda d: queries.referral_child(
                user, source=d["source"], reference=d["reference"].strip(), purpose=found.purpose
            ),
        }[step]

        def add(d: dict[str, Any]) -> list[SampleChild]:
            drawn_as, records = draw(d)
            return actions.add_sample(
                meeting=found,
                drawn_from=step,
                drawn_as=drawn_as,
                records=records,
                by=user,  # type: ignore[arg-type]
            )

        added, errors = _try(forms_[step], f"{step}-", add)
        done = f"{len(added)} child{'ren' if len(added) != 1 else ''} added." if added else ""
    elif step == "finding":
        made, errors = _try(
            forms_["finding"],
            "finding-",
            lambda d: actions.record_finding(
                meeting=found,
                process=d["process"],
                shows=d["shows"],
                goal=d["goal"],
                by=user,  # type: ignore[arg-type]
            ),
        )
        done = "Finding recorded." if made else ""
    elif step == "change":
        finding = get_object_or_404(Finding, pk=target, meeting=found)
        action, errors = _try(
            change_forms[finding.pk],
            f"change-{finding.pk}-",
            lambda d: actions.agree_change(
                finding=finding,
                description=d["description"],
                owner=d["owner"],
                due_on=d["due_on"],
                indicator=d["indicator"],
                team=d["team"].strip() or PLACE,
                direction=d["direction"],
                by=user,  # type: ignore[arg-type]
            ),
        )
        if action is not None:
            done = (
                f"Change agreed, and carried to {action.carried_to} to ask whether it moved."
                if action.carried_to
                else "Change agreed. Carry it to the next data review session once there is one."
            )
    elif step == "carry":
        try:
            carried = actions.carry_changes(meeting=found, by=user)  # type: ignore[arg-type]
            done = f"{carried} change{'s' if carried != 1 else ''} carried."
        except actions.ServiceReviewError as error:
            errors = [("carry", str(error))]
    if done:
        messages.success(request, done)
        return redirect(f"{request.path}#{request.POST.get('anchor', '')}")
    journeys = queries.journeys(user, found)
    summary = queries.summary(journeys, full=queries.all_own(user, journeys))
    return render(
        request,
        "service_reviews/meeting.html",
        {
            "meeting": found,
            "chairs": at.chairs,
            "journeys": journeys,
            "summary": summary,
            "findings": [
                {
                    "finding": f,
                    "changes": [
                        {"action": c.action, "indicator": _title(c.action.indicator)}
                        for c in f.changes.select_related("action__carried_to")
                    ],
                    "form": change_forms[f.pk],
                    "prefix": f"change-{f.pk}-",
                }
                for f in found.findings.select_related("goal")
            ],
            "forms": forms_,
            "waiting": any(
                c.action.carried_to_id is None
                for f in found.findings.all()
                for c in f.changes.select_related("action")
            ),
            "errors": errors,
        },
        status=400 if errors else 200,
    )


def _record(request: HttpRequest, pk: int) -> tuple[ReviewMeeting, list[queries.ChildJourney]]:
    found = get_object_or_404(ReviewMeeting.objects.select_related("schedule", "chair"), pk=pk)
    queries.attendance(request.user, found)
    return found, queries.journeys(request.user, found)


@login_required
def record_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    found, journeys = _record(request, pk)
    body = record.pdf(found, journeys, full=queries.all_own(request.user, journeys))
    return _download(request, found, body, "pdf", "application/pdf")


@login_required
def record_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    found, journeys = _record(request, pk)
    body = record.workbook(found, journeys, full=queries.all_own(request.user, journeys))
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return _download(request, found, body, "xlsx", kind)


def _download(
    request: HttpRequest, found: ReviewMeeting, body: bytes, suffix: str, kind: str
) -> HttpResponse:
    audit.record(
        actor=request.user.get_username(),
        action="service_review.record",
        target=str(found),
        detail={"format": suffix},
    )
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = (
        f'attachment; filename="review-meeting-{found.pk}-{found.held_on}.{suffix}"'
    )
    return response
