"""A section is in a person's menu only when one of its pages is of use to them (found walking the
demo: Charlie, a police officer, was offered Practice, where every page was empty or refused).
What each person should see is worked out by hand from their roles and the place's facts."""

from datetime import date

import pytest
from django.urls import reverse

from placewise.practice import actions as practice
from placewise.service_reviews import actions as service_reviews
from placewise.sharing.permissions import Role
from placewise.web.navigation import menu
from tests import factories

pytestmark = pytest.mark.django_db


def _practice(user) -> list[str]:
    """The titles of the Practice pages in the person's menu (empty: no Practice section)."""
    return [p.title for i in menu(user) if i.section.slug == "practice" for p, _ in i.pages]


def test_charlie_has_no_practice_section(people):
    # A police practitioner: his role allows peer review, but the police have no practice
    # teams, no reviews, and no operational review invites him.
    assert _practice(people["charlie"]) == []
    # What he can use is still there.
    titles = {i.section.title for i in menu(people["charlie"])}
    assert {"Learning", "Leadership", "Public"} <= titles


def test_a_practitioner_in_a_team_sees_peer_review_supervision_and_progress(client, people):
    council = people["orgs"]["council"]
    priya = factories.person("priya", (council, Role.PRACTITIONER))
    practice.place_in_team(person=priya, organisation=council, team="North", by=people["alice"])
    # Peer reviews, supervision and her progress: not the framework (a head of service edits
    # it), not themes (managers), not operational reviews (she does not run them).
    assert _practice(priya) == ["Peer reviews", "Supervision", "Your progress"]
    (item,) = [i for i in menu(priya) if i.section.slug == "practice"]
    assert item.url == reverse("practice:home")
    client.force_login(priya)
    for _, url in item.pages:
        assert client.get(url).status_code == 200, url


def test_once_a_team_is_placed_the_organisations_other_practitioners_see_it_too(people):
    council = people["orgs"]["council"]
    paula = factories.person("paula", (council, Role.PRACTITIONER))
    assert _practice(paula) == []  # no one at the council is in a team yet
    priya = factories.person("priya", (council, Role.PRACTITIONER))
    practice.place_in_team(person=priya, organisation=council, team="North", by=people["alice"])
    # Paula is not in a team yet, but her service runs peer review: she can read the reviews
    # she is asked to and be placed.
    assert _practice(paula) == ["Peer reviews", "Supervision", "Your progress"]


def test_a_police_team_manager_sees_only_the_reviews_he_may_run(people):
    # His role would allow peer review, supervision and themes, but the police have no teams;
    # he may run operational and strategic reviews for the police.
    manager = factories.person("mo", (people["orgs"]["police"], Role.TEAM_MANAGER))
    assert _practice(manager) == ["Operational and strategic reviews"]


def test_charlie_invited_to_a_review_sees_that_page_alone(client, people):
    schedule = service_reviews.create_schedule(
        title="Front door operational review",
        kind="operational",
        every="fortnight",
        areas=["social_care", "police"],
        leaders="Head of children's social care\nDetective inspector, MASH",
        invited=[people["charlie"]],
        by=people["alice"],
    )
    service_reviews.hold_meeting(
        schedule=schedule,
        held_on=date(2026, 3, 12),
        attendees="Alice\nCharlie",
        purpose="safeguarding",
        by=people["alice"],
    )
    assert _practice(people["charlie"]) == ["Operational and strategic reviews"]
    (item,) = [i for i in menu(people["charlie"]) if i.section.slug == "practice"]
    client.force_login(people["charlie"])
    page = client.get(item.url)
    assert page.status_code == 200 and "Front door operational review" in page.content.decode()
