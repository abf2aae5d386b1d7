"""My leadership lists the operational and strategic reviews the person chaired, with the process
changes agreed at each that are still open (found walking the demo: the page listed data review
sessions and peer reviews, and not the service reviews the person chairs)."""

from datetime import date

import pytest
from django.urls import reverse

from placewise.leadership import queries
from placewise.reviews import actions as reviews
from placewise.service_reviews import actions
from placewise.sharing.permissions import Role
from tests import factories

pytestmark = pytest.mark.django_db


def _meeting(alice, title: str, kind: str, held_on: date):
    schedule = actions.create_schedule(
        title=title,
        kind=kind,
        every="month",
        areas=["social_care", "early_help"],
        leaders="Head of children's social care\nHead of early help",
        invited=[],
        by=alice,
    )
    meeting = actions.hold_meeting(
        schedule=schedule, held_on=held_on, attendees="Alice", purpose="safeguarding", by=alice
    )
    actions.add_sample(
        meeting=meeting,
        drawn_from="cohort",
        drawn_as="Referred in March 2026",
        records=[("council_csc", "CH100001")],
        by=alice,
    )
    return meeting


def _change(alice, meeting, goal, description: str, due_on: date):
    finding = actions.record_finding(
        meeting=meeting,
        process="Step-down to early help",
        shows="Children came back to the front door within months.",
        goal=goal,
        by=alice,
    )
    return actions.agree_change(
        finding=finding,
        description=description,
        owner="Head of early help",
        due_on=due_on,
        indicator="re_referrals_12_months",
        team="Place",
        direction="down",
        by=alice,
    )


def test_the_meetings_she_chaired_with_their_open_actions(client, people):
    alice = people["alice"]
    goal = actions.add_goal(title="Children safe at home", description="", by=alice)
    front_door = _meeting(alice, "Front door review", "operational", date(2026, 3, 12))
    board = _meeting(alice, "Partnership board", "strategic", date(2026, 4, 2))
    _change(alice, front_door, goal, "A step-down conversation before closure", date(2026, 6, 1))
    done = _change(alice, front_door, goal, "Name an early help worker", date(2026, 5, 1))
    reviews.close_action(
        action=done, note="Done in April", on=date(2026, 4, 30), by=people["alice"]
    )
    # Someone else's meeting is not hers.
    tom = factories.person("tom", (people["orgs"]["council"], Role.TEAM_MANAGER))
    _meeting(tom, "Tom's review", "operational", date(2026, 3, 20))

    found = queries.chaired_meetings(alice)
    # Newest first; the closed change is not open; the board agreed nothing.
    assert [(m.meeting.schedule.title, [a.description for a in m.open_actions]) for m in found] == [
        ("Partnership board", []),
        ("Front door review", ["A step-down conversation before closure"]),
    ]

    client.force_login(alice)
    page = client.get(reverse("leadership:home")).content.decode()
    assert "Operational and strategic reviews you chaired" in page
    assert reverse("service_reviews:meeting", kwargs={"pk": front_door.pk}) in page
    assert reverse("service_reviews:meeting", kwargs={"pk": board.pk}) in page
    assert "A step-down conversation before closure" in page
    assert "Name an early help worker" not in page and "Tom&#x27;s review" not in page


def test_someone_who_chaired_none_is_told_so(client, people):
    client.force_login(people["bob"])
    page = client.get(reverse("leadership:home")).content.decode()
    assert "You have not chaired an operational or strategic review." in page
