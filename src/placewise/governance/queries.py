"""What set-up pages and actions ask without writing: who is signed in, who an organisation's
data owner is, whether an invitation link may be used, whether a mapping file reads, who may
change an agreement's status."""

import tempfile
from datetime import datetime
from pathlib import Path

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone

from placewise.governance.models import Invitation
from placewise.sharing import links
from placewise.sharing.models import Agreement, Membership, Organisation
from placewise.sharing.permissions import Role
from placewise.sources.canonical import FileRejected
from placewise.sources.readers.partner import Mapping, load_mapping


def signed_in(request: HttpRequest) -> User:
    """The person a page's request is from (pages ask only after login_required)."""
    if not isinstance(request.user, User):
        raise PermissionDenied("You need to sign in.")
    return request.user


class InvitationRefused(Exception):
    """An invitation link that cannot be used, with why."""


def invitation_for(token: str) -> Invitation:
    """The invitation a link names, or InvitationRefused saying why it cannot be used."""
    checked = links.check(
        token, links.Purpose.INVITATION, Invitation.objects.select_related("organisation")
    )
    invitation = checked.row
    if invitation is None:
        raise InvitationRefused(
            "This link is not one placewise made: it has been changed, or cut short when it was "
            "copied. Copy the whole link from the invitation, or ask your administrator for a new "
            "one."
            if checked.refusal is links.Refusal.NOT_VALID
            else "This invitation has been withdrawn. Ask your administrator for a new one."
        )
    if checked.refusal is links.Refusal.USED and invitation.used_at:
        raise InvitationRefused(
            f"This invitation was used on {_when(invitation.used_at)}. Sign in with the password chosen then, or ask your administrator for help."
        )
    if checked.refusal is links.Refusal.EXPIRED:
        raise InvitationRefused(
            f"This invitation expired on {_when(invitation.expires_at)}. Ask your administrator for a new one."
        )
    if not checked.ok:  # a refusal with no words of its own here
        raise InvitationRefused(checked.reason)
    return invitation


def _when(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%d %B %Y at %H:%M}"


def data_owner_of(organisation: Organisation) -> User | None:
    """The organisation's named data owner, if it has one."""
    membership = (
        Membership.objects.filter(
            organisation=organisation, role=Role.DATA_OWNER, user__is_active=True
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


def check_mapping(
    *, text: bytes, file_name: str, source: str, organisation: Organisation
) -> Mapping:
    """Read an uploaded mapping file with the same reader a load uses; FileRejected says why."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / (Path(file_name).name or "mapping.toml")
        path.write_bytes(text)
        mapping = load_mapping(path)
    if mapping.source != source:
        raise FileRejected(
            f"mapping file {file_name}: [source] name is '{mapping.source}', not '{source}'"
        )
    if mapping.organisation != organisation.name:
        raise FileRejected(
            f"mapping file {file_name}: [source] organisation is '{mapping.organisation}', not "
            f"'{organisation.name}'"
        )
    return mapping


def why_not_change_status(person: User, agreement: Agreement) -> str | None:
    """None if this person may suspend, reinstate or end the agreement, otherwise why not: only
    a party's data owner (whoever holds the role now) or an administrator may."""
    held = Membership.objects.filter(user=person, user__is_active=True)
    if held.filter(role=Role.ADMINISTRATOR).exists():
        return None
    parties = agreement.parties.values_list("organisation_id", flat=True)
    if held.filter(role=Role.DATA_OWNER, organisation_id__in=parties).exists():
        return None
    names = " or ".join(
        p.organisation.name for p in agreement.parties.select_related("organisation")
    )
    return (
        f"Only the data owner of {names}, or an administrator, can suspend, reinstate or end "
        f"'{agreement.title}'."
    )
