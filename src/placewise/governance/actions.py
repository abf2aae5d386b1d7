"""Setting the place up: each step an audited action whose actor is the person who took it (or,
from the command line, the operator)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.utils import timezone

from placewise.governance.models import Invitation, Place, SourceMapping
from placewise.governance.queries import (
    InvitationRefused,
    check_mapping,
    invitation_for,
    why_not_change_status,
)
from placewise.sharing import actions as sharing
from placewise.sharing import actors, audit, links, versions, writes
from placewise.sharing.access import AccessDenied
from placewise.sharing.models import Agreement, Membership, Organisation, Party, Version
from placewise.sharing.permissions import Role
from placewise.sources.actions import SourceTaken, register_source


class SetUpRefused(Exception):
    """A set-up step that cannot be taken, with the reason a person is shown."""


@writes.action
def set_up_place(
    *, name: str, council: str, username: str, full_name: str, password: str, by: User
) -> Place:
    """The place, its council organisation and its first administrator, once."""
    if Place.objects.exists():
        raise SetUpRefused(f"the place '{Place.objects.get().name}' is already set up")
    if get_user_model().objects.filter(username=username).exists():
        raise SetUpRefused(f"someone called '{username}' already exists")
    place = Place.objects.create(name=name, set_up_by=by.get_username())
    # A home made before places were set up this way may hold its council already.
    organisation = Organisation.objects.filter(name=council).first() or add_organisation(
        name=council, kind=Organisation.Kind.COUNCIL_CHILDRENS_SERVICES, by=by
    )
    person = _create_person(username=username, full_name=full_name, password=password)
    Membership.objects.create(user=person, organisation=organisation, role=Role.ADMINISTRATOR)
    versions.bump(Version.Of.ACCESS, reason=f"place {name} set up")
    audit.record(
        actor=by.get_username(),
        action="place.set_up",
        target=name,
        detail={"council": council, "administrator": username},
    )
    return place


def _create_person(*, username: str, full_name: str, password: str) -> User:
    first, _, last = full_name.strip().partition(" ")
    person = User(username=username, first_name=first, last_name=last)
    person.set_password(password)
    person.save()
    return person


@writes.action
def add_organisation(*, name: str, kind: str, by: User) -> Organisation:
    """A new partner organisation; a name already taken is refused."""
    if kind not in Organisation.Kind.values:
        raise SetUpRefused(f"'{kind}' is not a kind of organisation placewise knows")
    if Organisation.objects.filter(name__iexact=name.strip()).exists():
        raise SetUpRefused(f"an organisation called '{name.strip()}' is already set up")
    organisation = Organisation.objects.create(name=name.strip(), kind=kind)
    audit.record(
        actor=by.get_username(),
        action="organisation.add",
        target=organisation.name,
        detail={"kind": kind},
    )
    return organisation


@writes.action
def invite(
    *,
    full_name: str,
    username: str,
    email: str,
    organisation: Organisation,
    role: Role,
    days: int,
    by: User,
) -> links.Issued[Invitation]:
    """An invitation with one role, valid for `days`; the link's token is returned once."""
    if get_user_model().objects.filter(username__iexact=username).exists():
        raise SetUpRefused(f"the username '{username}' is already someone's")
    issued = links.issue(
        links.Purpose.INVITATION,
        Invitation.objects,
        days=days,
        full_name=full_name,
        username=username,
        email=email,
        organisation=organisation,
        role=role.value,
        invited_by=by,
    )
    audit.record(
        actor=by.get_username(),
        action="person.invite",
        target=username,
        detail={"role": f"{role.value}@{organisation.name}", "days": days},
    )
    return issued


@writes.action
def withdraw_invitation(*, invitation: Invitation, by: User) -> None:
    """An invitation not yet used stops working: its link is then refused as withdrawn."""
    if invitation.used_at is not None:
        raise SetUpRefused(f"{invitation.username} has joined already: deactivate them instead")
    username, role = invitation.username, f"{invitation.role}@{invitation.organisation.name}"
    invitation.delete()
    audit.record(
        actor=by.get_username(),
        action="person.invitation_withdrawn",
        target=username,
        detail={"role": role},
    )


@writes.action
def accept_invitation(*, token: str, password: str, by: User) -> User:
    """The invited person, created with the password they chose and the role they were given."""
    used = links.use(invitation_for(token))  # locked, checked again, marked used
    invitation = used.row
    if invitation is None or not used.ok:  # a second tab got there first
        raise InvitationRefused(used.reason)
    if get_user_model().objects.filter(username__iexact=invitation.username).exists():
        raise InvitationRefused(f"The username '{invitation.username}' has been taken since.")
    person = _create_person(
        username=invitation.username, full_name=invitation.full_name, password=password
    )
    if invitation.email:
        person.email = invitation.email
        person.save(update_fields=["email"])
    Membership.objects.create(
        user=person, organisation=invitation.organisation, role=invitation.role
    )
    invitation.person = person
    invitation.save(update_fields=["person"])
    versions.bump(Version.Of.ACCESS, reason=f"{person.get_username()} joined")
    # Who joined is who acted: `by` (actors.newcomer_by_link()) had no account until now.
    audit.record(
        actor=person.get_username(),
        action="person.join",
        target=person.get_username(),
        detail={"role": f"{invitation.role}@{invitation.organisation.name}"},
    )
    return person


@writes.action
def give_role(*, person: User, organisation: Organisation, role: Role, by: User) -> Membership:
    """A role at an organisation (nothing changes if they hold it already)."""
    if actors.is_actor(person):
        raise SetUpRefused(f"'{person.get_username()}' is not a person: it cannot hold a role.")
    membership, created = Membership.objects.get_or_create(
        user=person, organisation=organisation, role=role.value
    )
    if created:
        versions.bump(Version.Of.ACCESS, reason=f"role for {person.get_username()}")
        audit.record(
            actor=by.get_username(),
            action="person.role_given",
            target=person.get_username(),
            detail={"role": f"{role.value}@{organisation.name}"},
        )
    return membership


@writes.action
def take_role(*, membership: Membership, by: User) -> None:
    """Take one role away. A data owner named on a draft agreement keeps it until another is
    named, so no draft is left with no one to approve it."""
    if (
        membership.role == Role.DATA_OWNER
        and Party.objects.filter(
            organisation=membership.organisation,
            data_owner_id=membership.user_id,
            agreement__status=Agreement.Status.DRAFT,
        ).exists()
    ):
        raise SetUpRefused(
            f"{membership.user.get_username()} is the data owner named on a draft agreement of "
            f"{membership.organisation.name}: name another data owner first"
        )
    membership.delete()
    versions.bump(Version.Of.ACCESS, reason=f"role taken from {membership.user.get_username()}")
    audit.record(
        actor=by.get_username(),
        action="person.role_taken",
        target=membership.user.get_username(),
        detail={"role": f"{membership.role}@{membership.organisation.name}"},
    )


@writes.action
def name_data_owner(*, organisation: Organisation, person: User, by: User) -> Membership:
    """Make this person the organisation's one data owner. Drafts not yet approved for the
    organisation now wait for them; approvals already given stand."""
    if not person.is_active:
        raise SetUpRefused(f"{person.get_username()} has been deactivated")
    Membership.objects.filter(organisation=organisation, role=Role.DATA_OWNER).exclude(
        user=person
    ).delete()
    membership, _ = Membership.objects.get_or_create(
        user=person, organisation=organisation, role=Role.DATA_OWNER
    )
    Party.objects.filter(
        organisation=organisation,
        approved_at__isnull=True,
        agreement__status=Agreement.Status.DRAFT,
    ).update(data_owner=person)
    versions.bump(Version.Of.ACCESS, reason=f"data owner of {organisation.name}")
    audit.record(
        actor=by.get_username(),
        action="organisation.data_owner",
        target=organisation.name,
        detail={"data_owner": person.get_username()},
    )
    return membership


@writes.action
def deactivate(*, person: User, reason: str, by: User) -> int:
    """They can no longer sign in, and every session they have ends now. Returns how many."""
    if by.pk == person.pk:
        raise SetUpRefused("you cannot deactivate yourself: ask another administrator")
    person.is_active = False
    person.save(update_fields=["is_active"])
    ended = _end_sessions(person)
    versions.bump(Version.Of.ACCESS, reason=f"{person.get_username()} deactivated")
    audit.record(
        actor=by.get_username(),
        action="person.deactivate",
        target=person.get_username(),
        reason=reason,
        detail={"sessions_ended": ended},
    )
    return ended


def _end_sessions(person: User) -> int:
    """Delete every stored session signed in as this person."""
    mine = [
        s.session_key
        for s in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if s.get_decoded().get("_auth_user_id") == str(person.pk)
    ]
    Session.objects.filter(session_key__in=mine).delete()
    return len(mine)


@writes.action
def declare_source(
    *, name: str, organisation: Organisation, file_name: str, text: bytes, by: User
) -> SourceMapping:
    """Register the source to its provider (once) and keep its checked mapping file."""
    mapping = check_mapping(text=text, file_name=file_name, source=name, organisation=organisation)
    try:
        register_source(name=name, organisation=organisation, by=by, title=mapping.title)
    except SourceTaken as taken:
        raise SetUpRefused(str(taken)) from None
    declared, _ = SourceMapping.objects.update_or_create(
        source=name,
        defaults={
            "organisation": organisation,
            "file_name": file_name,
            "text": text.decode("utf-8"),
            "event_kinds": sorted({e.kind for e in mapping.events}),
            "declared_by": by.get_username(),
        },
    )
    audit.record(
        actor=by.get_username(),
        action="source.declare",
        target=name,
        reason=f"{organisation.name} provides the source '{name}'.",
        detail={"organisation": organisation.name, "mapping": file_name},
    )
    return declared


# Suspending, reinstating and ending an agreement: what each change does, and from which statuses.
STATUS_CHANGES = {
    "suspend": (Agreement.Status.SUSPENDED, {Agreement.Status.ACTIVE}),
    "reinstate": (Agreement.Status.ACTIVE, {Agreement.Status.SUSPENDED}),
    "end": (Agreement.Status.EXPIRED, {Agreement.Status.ACTIVE, Agreement.Status.SUSPENDED}),
}


@writes.action
def change_status(*, agreement: Agreement, change: str, reason: str, by: User) -> Agreement:
    """Suspend, reinstate or end an agreement, with the reason; access follows at once."""
    refusal = why_not_change_status(by, agreement)
    if refusal:
        raise AccessDenied(refusal)
    if change not in STATUS_CHANGES:
        raise SetUpRefused(f"'{change}' is not something done to an agreement")
    status, allowed_from = STATUS_CHANGES[change]
    if agreement.status not in allowed_from:
        done = {"suspend": "suspended", "reinstate": "reinstated", "end": "ended"}[change]
        raise SetUpRefused(
            f"the agreement is {agreement.get_status_display().lower()}: it cannot be {done}"
        )
    today = timezone.localdate()
    if change == "reinstate" and agreement.ends_on is not None and agreement.ends_on < today:
        raise SetUpRefused(
            f"the agreement ended on {agreement.ends_on:%-d %B %Y}: draft a new one instead"
        )
    if not reason.strip():
        raise SetUpRefused("give the reason")
    return sharing.set_status(agreement=agreement, status=status, reason=reason.strip(), by=by)
