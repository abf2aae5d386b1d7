"""Pages for setting the place up: each finds its object, checks the permission, calls one
action and renders."""

from typing import Any

from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from placewise.governance import actions, queries
from placewise.governance.forms import (
    DataOwnerForm,
    DeactivateForm,
    InvitationForm,
    OrganisationForm,
    PasswordForm,
    RoleForm,
    SourceForm,
    SourceTitleForm,
)
from placewise.governance.models import Invitation, Place, SourceMapping
from placewise.governance.queries import signed_in
from placewise.sharing import actors
from placewise.sharing.access import AccessDenied, require
from placewise.sharing.models import Membership, Organisation
from placewise.sharing.permissions import Permission, Role
from placewise.sources import naming
from placewise.sources.canonical import FileRejected
from placewise.sources.models import Source


def _place() -> str:
    place = Place.objects.first()
    return place.name if place else "this place"


@login_required
def organisations(request: HttpRequest) -> HttpResponse:
    require(request.user, Permission.PLACE_MANAGE)
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.add_organisation(
            name=form.cleaned_data["name"], kind=form.cleaned_data["kind"], by=signed_in(request)
        )
        return redirect("governance:organisations")
    owners = {
        m.organisation_id: m.user
        for m in Membership.objects.filter(role=Role.DATA_OWNER).select_related("user")
    }
    rows = [(o, owners.get(o.pk)) for o in Organisation.objects.all()]
    return render(
        request,
        "governance/organisations.html",
        {"form": form, "rows": rows, "place": _place()},
        status=400 if form.errors else 200,
    )


@login_required
def organisation(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Permission.PLACE_MANAGE)
    found = get_object_or_404(Organisation, pk=pk)
    form = DataOwnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.name_data_owner(
                organisation=found, person=form.cleaned_data["person"], by=signed_in(request)
            )
        except actions.SetUpRefused as refused:
            form.add_error("person", f"Data owner: {refused}")
        else:
            return redirect("governance:organisations")
    return render(
        request,
        "governance/organisation.html",
        {"form": form, "organisation": found, "owner": queries.data_owner_of(found)},
        status=400 if form.errors else 200,
    )


@login_required
def people(request: HttpRequest) -> HttpResponse:
    require(request.user, Permission.PLACE_MANAGE)
    # The accounts the software acts as (the command line, the worker, links) are not people.
    users = actors.people().prefetch_related("memberships__organisation")
    users = users.order_by("-is_active", "username")
    waiting = Invitation.objects.filter(used_at__isnull=True, expires_at__gt=timezone.now())
    return render(
        request,
        "governance/people.html",
        {"people": users, "waiting": waiting.select_related("organisation")},
    )


@login_required
def invite(request: HttpRequest) -> HttpResponse:
    require(request.user, Permission.PLACE_MANAGE)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        invited = actions.invite(
            full_name=data["full_name"],
            username=data["username"],
            email=data["email"],
            organisation=data["organisation"],
            role=Role(data["role"]),
            days=data["days"],
            by=signed_in(request),
        )
        link = request.build_absolute_uri(
            reverse("governance:join", kwargs={"token": invited.token})
        )
        return render(request, "governance/invited.html", {"invitation": invited.row, "link": link})
    return render(
        request, "governance/invite.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
def person(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Permission.PLACE_MANAGE)
    found = get_object_or_404(actors.people(), pk=pk)
    form = RoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.give_role(
            person=found,
            organisation=form.cleaned_data["organisation"],
            role=Role(form.cleaned_data["role"]),
            by=signed_in(request),
        )
        return redirect("governance:person", pk=found.pk)
    return _person_page(request, found, form=form, status=400 if form.errors else 200)


def _person_page(request: HttpRequest, found: Any, status: int = 200, **forms: Any) -> HttpResponse:
    context = {
        "person": found,
        "memberships": found.memberships.select_related("organisation"),
        "form": forms.get("form") or RoleForm(),
        "deactivate_form": forms.get("deactivate_form") or DeactivateForm(),
        "refusal": forms.get("refusal", ""),
        "deactivate_url": reverse("governance:deactivate", kwargs={"pk": found.pk}),
    }
    return render(request, "governance/person.html", context, status=status)


@login_required
@require_POST
def take_role(request: HttpRequest, pk: int, membership: int) -> HttpResponse:
    require(request.user, Permission.PLACE_MANAGE)
    found = get_object_or_404(actors.people(), pk=pk)
    held = get_object_or_404(Membership, pk=membership, user=found)
    try:
        actions.take_role(membership=held, by=signed_in(request))
    except actions.SetUpRefused as refused:
        return _person_page(request, found, status=409, refusal=str(refused))
    return redirect("governance:person", pk=found.pk)


@login_required
@require_POST
def deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Permission.PLACE_MANAGE)
    found = get_object_or_404(actors.people(), pk=pk)
    form = DeactivateForm(request.POST)
    if not form.is_valid():
        return _person_page(request, found, status=400, deactivate_form=form)
    try:
        actions.deactivate(person=found, reason=form.cleaned_data["reason"], by=signed_in(request))
    except actions.SetUpRefused as refused:
        return _person_page(request, found, status=409, refusal=str(refused))
    return redirect("governance:person", pk=found.pk)


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Permission.PLACE_MANAGE)
    invitation = get_object_or_404(Invitation, pk=pk, used_at__isnull=True)
    actions.withdraw_invitation(invitation=invitation, by=signed_in(request))
    return redirect("governance:people")


# The join page's own address once the link has been opened: the secret is then kept in the
# session, as Django's password reset keeps its token (ADR 0025).
FORM_PAGE = "set-password"
INVITATION_IN_SESSION = "placewise.invitation"


def _refused(request: HttpRequest, reason: str) -> HttpResponse:
    return render(request, "governance/join_refused.html", {"reason": reason}, status=410)


def join(request: HttpRequest, token: str) -> HttpResponse:
    """The invited person's page: open to anyone holding a good link, and to no one else."""
    if token != FORM_PAGE:
        try:
            queries.invitation_for(token)
        except queries.InvitationRefused as refused:
            return _refused(request, str(refused))
        # The secret leaves the address before anything is typed, so a refused form (logged
        # with its address) or a Referer header never carries a link that still works.
        request.session[INVITATION_IN_SESSION] = token
        return redirect("governance:join", token=FORM_PAGE)
    token = request.session.get(INVITATION_IN_SESSION, "")
    if not token:
        return _refused(
            request,
            "This page works only straight after opening the link in your invitation: open "
            "the link again.",
        )
    try:
        invitation = queries.invitation_for(token)
    except queries.InvitationRefused as refused:
        return _refused(request, str(refused))
    form = PasswordForm(request.POST or None, username=invitation.username)
    if request.method == "POST" and form.is_valid():
        try:
            joined = actions.accept_invitation(
                token=token,
                password=form.cleaned_data["password1"],
                by=actors.newcomer_by_link(),
            )
        except queries.InvitationRefused as refused:
            return _refused(request, str(refused))
        request.session.pop(INVITATION_IN_SESSION, None)
        login(request, joined, backend="django.contrib.auth.backends.ModelBackend")
        # The second-factor gate now asks them to set up an authenticator if their role needs one.
        return redirect("home")
    return render(
        request,
        "governance/join.html",
        {"form": form, "invitation": invitation, "place": _place()},
        status=400 if form.errors else 200,
    )


def _declared() -> list[tuple[Source, SourceMapping | None]]:
    """Every registered source (a load registers its own) with the mapping file declared for it."""
    mappings = {m.source: m for m in SourceMapping.objects.all()}
    return [(s, mappings.get(s.name)) for s in Source.objects.select_related("organisation")]


@login_required
def sources(request: HttpRequest) -> HttpResponse:
    decision = require(request.user, Permission.SOURCE_DECLARE)
    held = {m.role for m in Membership.objects.filter(user=signed_in(request))}
    # Administrators declare for any organisation; a data owner for their own.
    allowed = (
        list(Organisation.objects.all())
        if Role.ADMINISTRATOR in held
        else [o for o in decision.organisations]
    )
    form = SourceForm(request.POST or None, request.FILES or None, organisations=allowed)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["mapping"]
        try:
            actions.declare_source(
                name=form.cleaned_data["name"],
                organisation=form.cleaned_data["organisation"],
                file_name=upload.name,
                text=upload.read(),
                by=signed_in(request),
            )
        except FileRejected as rejected:
            message = str(rejected)
            form.add_error("mapping", message[:1].upper() + message[1:])
        except UnicodeDecodeError:
            form.add_error("mapping", "Mapping file: the file is not UTF-8 text")
        except actions.SetUpRefused as refused:
            form.add_error("name", f"Source name: {refused}")
        else:
            return redirect("governance:sources")
    declared = _declared()
    # Renaming is offered only where it would be allowed: the data owner's own sources, or all
    # of them to an administrator.
    person = signed_in(request)
    renamable = {s.pk for s, _ in declared if naming.why_not_rename(person, s) is None}
    return render(
        request,
        "governance/sources.html",
        {"form": form, "declared": declared, "renamable": renamable},
        status=400 if form.errors else 200,
    )


@login_required
def rename_source(request: HttpRequest, source: str) -> HttpResponse:
    require(request.user, Permission.SOURCE_DECLARE)
    found = get_object_or_404(Source.objects.select_related("organisation"), name=source)
    person = signed_in(request)
    refusal = naming.why_not_rename(person, found)
    if refusal:
        if request.method == "POST":
            # Refused by the action itself, so the attempt is in the audit log.
            naming.rename_source(source=found, title=request.POST.get("title", ""), by=person)
        raise AccessDenied(refusal)
    form = SourceTitleForm(request.POST or None, initial={"title": found.title})
    if request.method == "POST" and form.is_valid():
        try:
            naming.rename_source(source=found, title=form.cleaned_data["title"], by=person)
        except naming.RenameRefused as refused:
            form.add_error("title", str(refused))
        else:
            return redirect("governance:sources")
    return render(
        request,
        "governance/rename_source.html",
        {"form": form, "source": found},
        status=400 if form.errors else 200,
    )
