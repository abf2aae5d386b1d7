"""Who did it, when no one signed in to the app did: the one place such actors are named.

Every write names a user as its actor (`by=`, issue 14 item 3). Work nobody does through a page
(a command typed at the server, the jobs' worker, someone answering through a link, the demo's
builder) is done by a user record too, named as the audit log has always named it, so an entry
written before these records existed reads the same as one written after. None of them is a
person: each is inactive with an unusable password, so it can never sign in, and belongs to the
`NOT_A_PERSON` group, which every list of people leaves out (`people()`).
"""

import getpass

from django.contrib.auth.models import AbstractBaseUser, Group, User
from django.db import transaction
from django.db.models import QuerySet

from placewise.sharing import audit

NOT_A_PERSON = "placewise: not a person"
COMMAND_LINE = "cli:"
# The names the audit log already used for these actors before they were user records.
WORKER_FOR = "worker for "
DEMO = "demo"
RATER = "a rater (by link)"
PARTNER_BY_LINK = "a partner (by link)"
NEWCOMER_BY_LINK = "a newcomer (by link)"
PUBLIC = "a member of the public"


class NotAnActor(ValueError):
    """A person already holds the name an actor would take."""


def command_line() -> User:
    """The person at the command line, named by their account on the server: "cli:<os user>"."""
    return _actor(f"{COMMAND_LINE}{getpass.getuser()}")


def worker_for(username: str) -> User:
    """The jobs' worker doing a job someone started: "worker for <their username>"."""
    return _actor(f"{WORKER_FOR}{username}")


def demo_builder() -> User:
    """`placewise demo`, setting up the demo place as its administrator would."""
    return _actor(DEMO)


def rater() -> User:
    """Someone rating a colleague through a 360 review's link: who they are is not recorded."""
    return _actor(RATER)


def partner_by_link() -> User:
    """A partner answering the approaches survey through their organisation's link."""
    return _actor(PARTNER_BY_LINK)


def newcomer_by_link() -> User:
    """Someone accepting an invitation through its link, before they have an account."""
    return _actor(NEWCOMER_BY_LINK)


def member_of_the_public() -> User:
    """Someone using a public page (the residents' guide's search), who is never identified."""
    return _actor(PUBLIC)


def is_actor(user: AbstractBaseUser) -> bool:
    """Whether this user record stands for software or a link, not a person."""
    return User.objects.filter(pk=user.pk, groups__name=NOT_A_PERSON).exists()


def is_command_line(user: AbstractBaseUser) -> bool:
    """Whether this is someone at the command line, who holds the place's secrets already."""
    return user.get_username().startswith(COMMAND_LINE) and is_actor(user)


def people() -> "QuerySet[User]":
    """Every user record that is a person: where people are listed or chosen, start here."""
    return User.objects.exclude(groups__name=NOT_A_PERSON)


def _actor(username: str) -> User:
    found = User.objects.filter(username=username).first()
    if found is None:
        found = _create(username)
    if not is_actor(found):
        # A person's account must never be written as software's (or take its actions).
        raise NotAnActor(f"'{username}' is a person's account, not one the software acts as.")
    return found


def _create(username: str) -> User:
    # Created on first use and audited like any other account; concurrent first uses (two
    # commands at once) meet in get_or_create, and only the one that made it records it.
    with audit.refusals_kept(), transaction.atomic():
        user, made = User.objects.get_or_create(username=username, defaults={"is_active": False})
        if made:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            group, _ = Group.objects.get_or_create(name=NOT_A_PERSON)
            user.groups.add(group)
            audit.record(
                actor=username,
                action="actor.create",
                target=username,
                reason="An account the software acts as; it cannot sign in.",
            )
    return user
