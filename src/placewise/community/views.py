"""Community pages for the service: engagements, sessions and reach, voices, themes, proposals
and responses, contact details. Thin: find, check, call an action, render. The public
"you said, we did" pages are in public_views.py."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from placewise.community import actions, queries, reach
from placewise.community.forms import (
    ContactForm,
    EngagementForm,
    PlaceVoiceForm,
    PopulationForm,
    ProposalForm,
    ResponseForm,
    ServiceUsersForm,
    SessionForm,
    ThemeForm,
    VoiceForm,
)
from placewise.community.models import (
    Contact,
    Engagement,
    PopulationTable,
    Proposal,
    Theme,
    Voice,
)
from placewise.community.population import PopulationFileError
from placewise.governance.queries import signed_in
from placewise.initiatives.models import Initiative
from placewise.outcomes import data
from placewise.sharing.access import AccessDenied, require
from placewise.sharing.permissions import Permission
from placewise.sources.models import Source


def _engagement(request: HttpRequest, pk: int) -> Engagement:
    engagement = get_object_or_404(Engagement.objects.select_related("organisation"), pk=pk)
    if not queries.runs(request.user, engagement):
        raise AccessDenied(
            f"Only people who run engagements at {engagement.organisation.name} may see this one."
        )
    return engagement


def _refused(form: Any, error: Exception) -> None:
    form.add_error(None, str(error))


@login_required
def home(request: HttpRequest) -> HttpResponse:
    decision = require(request.user, Permission.REVIEW_RUN)
    return render(
        request,
        "community/home.html",
        {
            "engagements": queries.engagements_for(request.user),
            "tables": PopulationTable.objects.filter(
                organisation__in=[o.pk for o in decision.organisations]
            ),
        },
    )


@login_required
def service_population(request: HttpRequest) -> HttpResponse:
    """The people an engagement means to hear, taken from the service's own records."""
    decision = require(request.user, Permission.REVIEW_RUN)
    organisation = decision.organisations[0]
    sources = sorted(
        Source.objects.filter(organisation=organisation).values_list("name", flat=True)
    )
    form = ServiceUsersForm(request.POST if request.method == "POST" else None, sources=sources)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.population_from_service(
                organisation=organisation,
                title=data["title"],
                source=data["source"],
                kinds=[data["kind"]],
                since=data["since"],
                until=data["until"],
                by=signed_in(request),
            )
        except actions.CommunityError as refused:
            _refused(form, refused)
        else:
            messages.success(request, "Population table made from the service's records.")
            return redirect("community:home")
    return render(
        request,
        "community/service_population.html",
        {"form": form, "organisation": organisation},
        status=400 if form.errors else 200,
    )


@login_required
def population(request: HttpRequest) -> HttpResponse:
    decision = require(request.user, Permission.REVIEW_RUN)
    form = PopulationForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    faults: list[str] = []
    if form.is_valid():
        try:
            actions.load_population(
                organisation=decision.organisations[0],
                title=form.cleaned_data["title"],
                source=form.cleaned_data["source"],
                text=form.cleaned_data["file"],
                by=signed_in(request),
            )
        except PopulationFileError as refused:
            faults = [str(f) for f in refused.faults]
            form.add_error("file", "The file was not loaded: " + faults[0])
        except actions.CommunityError as refused:
            _refused(form, refused)
        else:
            messages.success(request, "Population table loaded.")
            return redirect("community:home")
    return render(
        request,
        "community/population.html",
        {"form": form, "faults": faults},
        status=400 if form.errors else 200,
    )


@login_required
def new_engagement(request: HttpRequest) -> HttpResponse:
    decision = require(request.user, Permission.REVIEW_RUN)
    organisation = decision.organisations[0]
    form = EngagementForm(
        request.POST if request.method == "POST" else None,
        indicators={k: i.title for k, i in data.indicators().items()},
        tables=PopulationTable.objects.filter(organisation=organisation),
        initiatives=Initiative.objects.filter(organisation=organisation),
    )
    if form.is_valid():
        try:
            engagement = actions.start_engagement(
                organisation=organisation,
                title=form.cleaned_data["title"],
                question=form.cleaned_data["question"],
                started_on=form.cleaned_data["started_on"],
                indicator=form.cleaned_data["indicator"],
                population=form.cleaned_data["population"],
                initiative=form.cleaned_data["initiative"],
                by=signed_in(request),
            )
        except actions.CommunityError as refused:
            _refused(form, refused)
        else:
            return redirect("community:engagement", pk=engagement.pk)
    return render(request, "community/new.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def engagement_page(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = _engagement(request, pk)
    return render(
        request,
        "community/engagement.html",
        {
            "engagement": engagement,
            "sessions": engagement.sessions.all(),
            "took_part": queries.took_part(engagement),
            "reach": queries.reach_of(engagement),
            "rule": reach.RULE,
            "themes": engagement.themes.prefetch_related("voices", "proposals"),
            "outcomes": queries.outcomes(engagement),
            "contacts": engagement.contacts.count(),
            "indicator": data.indicators().get(engagement.indicator),
        },
    )


@login_required
def new_session(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = _engagement(request, pk)
    form = SessionForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        d = form.cleaned_data
        try:
            actions.add_session(
                engagement=engagement,
                held_on=d["held_on"],
                mode=d["mode"],
                venue=d["venue"],
                groups=d["groups"],
                facilitators=d["facilitators"],
                accessibility=d["accessibility"],
                languages=d["languages"],
                participants=d["participants"],
                counts=d["counts"],
                by=signed_in(request),
            )
        except actions.CommunityError as refused:
            _refused(form, refused)
        else:
            messages.success(request, "Session recorded.")
            return redirect("community:engagement", pk=engagement.pk)
    return render(
        request,
        "community/new_session.html",
        {"form": form, "engagement": engagement, "groups": queries.population(engagement)},
        status=400 if form.errors else 200,
    )


@login_required
def voices(request: HttpRequest, pk: int) -> HttpResponse:
    """What people said, the themes facilitators drew from it, and proposals from each theme."""
    engagement = _engagement(request, pk)
    step = request.POST.get("step") if request.method == "POST" else None
    voice_form = VoiceForm(
        request.POST if step == "voice" else None, sessions=engagement.sessions.all()
    )
    theme_form = ThemeForm(request.POST if step == "theme" else None, prefix="theme")
    themes = engagement.themes.all()
    place_form = PlaceVoiceForm(request.POST if step == "place" else None, themes=themes)
    proposal_form = ProposalForm(request.POST if step == "proposal" else None, prefix="proposal")
    done = None
    try:
        if step == "voice" and voice_form.is_valid():
            actions.record_voice(
                engagement=engagement,
                words=voice_form.cleaned_data["words"],
                session=voice_form.cleaned_data["session"],
                by=signed_in(request),
            )
            done = "What they said is recorded."
        elif step == "theme" and theme_form.is_valid():
            actions.add_theme(
                engagement=engagement,
                title=theme_form.cleaned_data["title"],
                summary=theme_form.cleaned_data["summary"],
                by=signed_in(request),
            )
            done = "Theme added."
        elif step == "place" and place_form.is_valid():
            voice = get_object_or_404(Voice, pk=request.POST.get("voice"), engagement=engagement)
            actions.place_voice(
                voice=voice, theme=place_form.cleaned_data["theme"], by=signed_in(request)
            )
            done = "Voice placed under the theme."
        elif step == "proposal" and proposal_form.is_valid():
            theme = get_object_or_404(Theme, pk=request.POST.get("theme"), engagement=engagement)
            actions.propose(
                theme=theme, text=proposal_form.cleaned_data["text"], by=signed_in(request)
            )
            done = "Proposal added."
    except actions.CommunityError as refused:
        {"voice": voice_form, "theme": theme_form, "place": place_form}.get(
            step or "", proposal_form
        ).add_error(None, str(refused))
    if done:
        messages.success(request, done)
        return redirect("community:voices", pk=engagement.pk)
    forms = (voice_form, theme_form, place_form, proposal_form)
    bad = next((f for f in forms if f.errors), None)
    return render(
        request,
        "community/voices.html",
        {
            "engagement": engagement,
            "voice_form": voice_form,
            "theme_form": theme_form,
            "place_form": place_form,
            "proposal_form": proposal_form,
            "form": bad,
            "unplaced": engagement.voices.filter(theme__isnull=True),
            "themes": themes.prefetch_related("voices", "proposals"),
        },
        status=400 if bad else 200,
    )


@login_required
def respond(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(Proposal.objects.select_related("theme__engagement"), pk=pk)
    engagement = _engagement(request, proposal.theme.engagement_id)
    form = ResponseForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        d = form.cleaned_data
        try:
            actions.respond(
                proposal=proposal,
                response=d["response"],
                reason=d["reason"],
                description=d["description"],
                owner=d["owner"],
                due_on=d["due_on"],
                direction=d["direction"],
                on=timezone.localdate(),
                by=signed_in(request),
            )
        except actions.CommunityError as refused:
            _refused(form, refused)
        else:
            messages.success(request, "Response recorded.")
            return redirect("community:engagement", pk=engagement.pk)
    return render(
        request,
        "community/respond.html",
        {
            "form": form,
            "proposal": proposal,
            "engagement": engagement,
            "indicator": data.indicators().get(engagement.indicator),
        },
        status=400 if form.errors else 200,
    )


@login_required
def contacts(request: HttpRequest, pk: int) -> HttpResponse:
    """Contact details participants chose to leave: kept apart, each with its deletion date."""
    engagement = _engagement(request, pk)
    form = ContactForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        d = form.cleaned_data
        try:
            actions.record_contact(
                engagement=engagement,
                name=d["name"],
                how=d["how"],
                consent=d["consent"],
                delete_on=d["delete_on"],
                by=signed_in(request),
            )
        except actions.CommunityError as refused:
            _refused(form, refused)
        else:
            messages.success(request, "Contact details recorded.")
            return redirect("community:contacts", pk=engagement.pk)
    return render(
        request,
        "community/contacts.html",
        {"form": form, "engagement": engagement, "contacts": engagement.contacts.all()},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def forget_contact(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(Contact.objects.select_related("engagement"), pk=pk)
    engagement = _engagement(request, contact.engagement_id)
    actions.forget_contact(contact=contact, by=signed_in(request))
    messages.success(request, "Contact details deleted.")
    return redirect("community:contacts", pk=engagement.pk)


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = _engagement(request, pk)
    try:
        actions.publish(engagement=engagement, on=timezone.localdate(), by=signed_in(request))
    except actions.CommunityError as refused:
        messages.error(request, str(refused))
        return redirect("community:engagement", pk=engagement.pk)
    messages.success(request, "The you said, we did page is published.")
    return redirect(reverse("community:you_said_we_did", kwargs={"slug": engagement.slug}))
