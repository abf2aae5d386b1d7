"""GROW coaching pages (issue 18, item 3): your coaching as coach or coachee, a coaching
relationship and its conversations with their Wills followed up, and an organisation's counts by
ended quarter. Thin: find, check (leadership.visibility), call an action, render."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from placewise.leadership import actions, queries, visibility
from placewise.leadership.forms import (
    CoachingForm,
    ConversationForm,
    EndForm,
    ReflectionForm,
    StagesForm,
    WillForm,
)
from placewise.leadership.models import Coaching, Conversation

# The same request helpers as the plan's pages: one copy, in views.py.
from placewise.leadership.views import _me, _others, _post
from placewise.sharing import quarters
from placewise.sharing.access import permission, require
from placewise.sharing.permissions import Permission


@login_required
def coaching_home(request: HttpRequest) -> HttpResponse:
    """Your coaching, as coach or coachee, and starting a new one."""
    me = _me(request)
    form = CoachingForm(
        request.POST if request.method == "POST" else None,
        people=_others().exclude(pk=me.pk),
        initial={"since": timezone.localdate()},
    )
    if form.is_valid():
        data = form.cleaned_data
        coach, coachee = (me, data["other"]) if data["role"] == "coach" else (data["other"], me)
        try:
            made = actions.start_coaching(coach=coach, coachee=coachee, since=data["since"], by=me)
        except actions.LeadershipError as refused:
            form.add_error(None, str(refused))
        else:
            return redirect("leadership:coaching", pk=made.pk)
    return render(
        request,
        "leadership/coaching_home.html",
        {
            "form": form,
            "coachings": queries.coachings(me),
            "sees_numbers": permission(me, Permission.PRACTICE_THEMES).allowed,
        },
        status=400 if form.errors else 200,
    )


@login_required
def coaching_page(request: HttpRequest, pk: int) -> HttpResponse:
    coaching = get_object_or_404(Coaching.objects.select_related("coach", "coachee"), pk=pk)
    visibility.require_coaching(request.user, coaching)
    end = EndForm(_post(request, "end"), initial={"until": timezone.localdate()})
    if end.is_valid():
        try:
            actions.end_coaching(
                coaching=coaching,
                until=end.cleaned_data["until"],
                by=request.user,  # type: ignore[arg-type]
            )
        except actions.LeadershipError as refused:
            end.add_error(None, str(refused))
        else:
            messages.success(request, "The coaching has ended. Its conversations are kept.")
            return redirect("leadership:coaching", pk=coaching.pk)
    form = ConversationForm(
        request.POST if request.method == "POST" and "step" not in request.POST else None,
        initial={"held_on": timezone.localdate()},
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            conversation = actions.record_conversation(
                coaching=coaching,
                held_on=data["held_on"],
                goal=data["goal"],
                reality=data["reality"],
                options=data["options"],
                recorded=data["recorded"],
                by=request.user,  # type: ignore[arg-type]
            )
            if data["will"].strip():
                actions.commit(
                    conversation=conversation,
                    what=data["will"],
                    review_on=data["will_review_on"],
                    by=request.user,  # type: ignore[arg-type]
                )
        except actions.LeadershipError as refused:
            form.add_error(None, str(refused))
        else:
            return redirect("leadership:conversation", pk=conversation.pk)
    return render(
        request,
        "leadership/coaching.html",
        {
            "coaching": coaching,
            "conversations": coaching.conversations.prefetch_related("commitments"),
            "form": form,
            "other": coaching.coachee if request.user.pk == coaching.coach_id else coaching.coach,
            "end": end,
        },
        status=400 if form.errors or end.errors else 200,
    )


@login_required
def conversation_page(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = get_object_or_404(
        Conversation.objects.select_related("coaching__coach", "coaching__coachee"), pk=pk
    )
    coaching = conversation.coaching
    visibility.require_coaching(request.user, coaching)
    by = request.user
    stages = StagesForm(
        _post(request, "stages"),
        initial={
            "goal": conversation.goal,
            "reality": conversation.reality,
            "options": conversation.options,
        },
    )
    if stages.is_valid():
        actions.revise_conversation(conversation=conversation, by=by, **stages.cleaned_data)  # type: ignore[arg-type]
        messages.success(request, "Conversation saved.")
        return redirect("leadership:conversation", pk=conversation.pk)
    will = WillForm(_post(request, "will"))
    if will.is_valid():
        try:
            actions.commit(
                conversation=conversation,
                what=will.cleaned_data["what"],
                review_on=will.cleaned_data["review_on"],
                by=by,  # type: ignore[arg-type]
            )
        except actions.LeadershipError as refused:
            will.add_error(None, str(refused))
        else:
            messages.success(
                request, "Commitment added: it is followed up at the next conversation."
            )
            return redirect("leadership:conversation", pk=conversation.pk)
    followed = {v.action_id: v for v in conversation.follow_ups.all()}
    opening: list[dict[str, Any]] = []
    for action in queries.to_follow_up(conversation):
        step = f"follow_up-{action.pk}"
        form = ReflectionForm(_post(request, step), prefix=f"a{action.pk}")
        if form.is_valid():
            try:
                actions.follow_up_commitment(
                    conversation=conversation,
                    action=action,
                    what_happened=form.cleaned_data["what_happened"],
                    learned=form.cleaned_data["learned"],
                    effect=form.cleaned_data["effect"],
                    loop=form.cleaned_data["loop"],
                    by=by,  # type: ignore[arg-type]
                )
            except actions.LeadershipError as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, "Follow-up recorded.")
                return redirect("leadership:conversation", pk=conversation.pk)
        given = followed.get(action.pk)
        said = queries.reflections(action).last() if given is not None else None
        opening.append({"action": action, "form": form, "given": given, "said": said})
    bad = stages.errors or will.errors or any(o["form"].errors for o in opening)
    return render(
        request,
        "leadership/conversation.html",
        {
            "conversation": conversation,
            "coaching": coaching,
            "stages": stages,
            "will": will,
            "opening": opening,
            "commitments": list(conversation.commitments.prefetch_related("verdicts")),
        },
        status=400 if bad else 200,
    )


@login_required
def numbers(request: HttpRequest) -> HttpResponse:
    """How much coaching an organisation's people have: counts only, above a threshold. Those who
    see practice themes (heads of service, team managers) see their organisation's."""
    decision = require(request.user, Permission.PRACTICE_THEMES)
    today = timezone.localdate()
    return render(
        request,
        "leadership/numbers.html",
        {
            "counts": [(o, queries.coaching_counts(o, today)) for o in decision.organisations],
            "threshold": queries.COUNT_THRESHOLD,
            "running": quarters.of(today),
        },
    )
