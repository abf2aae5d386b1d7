"""Factories for what tests make by hand again and again, each through the product's own action
(so a made person has exactly what `ensure_person` gives one, audit entry included). The demo
people, their organisations and the agreement come from conftest's fixtures, loaded once."""

from datetime import date

from django.contrib.auth.models import AbstractBaseUser

from placewise.reviews import actions as reviews
from placewise.reviews.models import Action, AgendaItem, ReviewSession
from placewise.sharing import actions as sharing
from placewise.sharing import actors
from placewise.sharing.models import Organisation
from placewise.sharing.permissions import Role

PASSWORD = "correct-horse-battery"


def person(username: str, *roles: tuple[Organisation, Role]) -> AbstractBaseUser:
    """Someone holding these roles, named after their username ("erin" is Erin Test)."""
    return sharing.ensure_person(
        username=username,
        password=PASSWORD,
        full_name=f"{username.title()} Test",
        roles=list(roles),
        by=actors.command_line(),
    )


def review_session(
    chair: AbstractBaseUser,
    *,
    team: str = "Place",
    held_on: date = date(2026, 1, 15),
    follows: ReviewSession | None = None,
    organisation: Organisation | None = None,
) -> ReviewSession:
    """A data review session with no signals on its agenda, chaired by `chair`."""
    options = {"organisation": organisation} if organisation is not None else {}
    return reviews.create_session(
        team=team,
        held_on=held_on,
        attendees="Team managers",
        follow_up_on=None,
        follows=follows,
        by=chair,
        signals=[],
        **options,
    )


# A trust's school nursing extract: the mapping the upload tests send beside their small CSVs
# (a header Ref,Forename,Surname,DOB,Seen; dates as the trust writes them).
SCHOOL_NURSING_MAPPING = b"""[source]
name = "trust_school_nursing"
organisation = "Northshire NHS Foundation Trust"
[identity]
record_id = "Ref"
given_name = "Forename"
family_name = "Surname"
date_of_birth = "DOB"
date_format = "%d/%m/%Y"
[[events]]
kind = "school_nurse_contact"
start = "Seen"
"""


def session_action(item: AgendaItem, **fields: object) -> Action:
    """An action agreed at the item's review session, stored as the session's actions are, with
    what a test gives (a `from_period` of its choosing, say) in place of the defaults."""
    session = item.session
    made: dict[str, object] = {
        "origin": Action.Origin.REVIEW_SESSION,
        "organisation": session.organisation,
        "agreed_at": str(session),
        "agreed_on": session.held_on,
        "indicator": item.indicator,
        "team": item.team,
        "created_by": "alice",
    }
    made.update(fields)
    return Action.objects.create(item=item, **made)
