"""Writes to organisations and memberships: atomic, with an actor."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from placewise.sharing.models import Membership, Organisation
from placewise.sharing.permissions import Role


@transaction.atomic
def ensure_organisation(*, name: str, kind: str, by: str) -> Organisation:
    """The organisation, created if new, with its kind kept up to date."""
    organisation, created = Organisation.objects.get_or_create(name=name, defaults={"kind": kind})
    if not created and organisation.kind != kind:
        organisation.kind = kind
        organisation.save(update_fields=["kind"])
    return organisation


@transaction.atomic
def ensure_person(
    *, username: str, password: str, full_name: str, roles: list[tuple[Organisation, Role]], by: str
) -> AbstractBaseUser:
    """A user with exactly these roles; the password is (re)set."""
    user_model = get_user_model()
    first, _, last = full_name.partition(" ")
    user, _ = user_model.objects.get_or_create(username=username)
    user.first_name, user.last_name = first, last
    user.set_password(password)
    user.save()
    Membership.objects.filter(user=user).delete()
    Membership.objects.bulk_create(
        [Membership(user=user, organisation=o, role=r.value) for o, r in roles]
    )
    return user
