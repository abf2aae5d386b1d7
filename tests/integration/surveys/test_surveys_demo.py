"""The demo's surveys (issue 18): Alice's finished 360 with groups shown, merged and withheld
as the threshold says, the change since her earlier round, and her team's two culture scans."""

from datetime import date

import pytest

from placewise.sharing.models import Organisation
from placewise.sharing.permissions import Role
from placewise.surveys import culture, demo_data, queries, report
from placewise.surveys.models import Scan
from tests.factories import person

pytestmark = pytest.mark.django_db


def test_the_demo_gives_alice_a_finished_round_and_her_team_scans(people):
    council = Organisation.objects.get(name="Northshire Council Children's Services")
    colleagues = [person(f"c{n}", (council, Role.TEAM_MANAGER)) for n in range(5)]
    demo_data.build(
        council=council, alice=people["alice"], colleagues=colleagues, today=date(2026, 12, 1)
    )
    demo_data.build(  # a second run changes nothing
        council=council, alice=people["alice"], colleagues=colleagues, today=date(2026, 12, 1)
    )
    latest, earlier = queries.rounds_of(people["alice"])
    assert (latest.invited, latest.answered, earlier.answered) == (10, 10, 3)
    built = report.build(latest.round)
    assert [(line.key, line.raters) for line in built.lines] == [
        ("peer", 4),
        ("report", 3),
        ("others", 3),
        ("all", 10),
    ]
    assert built.plan.merged == ("manager", "partner")
    assert built.previous == earlier.round and built.changes
    assert "Ready for a wider system role." not in [text for _, text in built.comments]
    then, now = (culture.result(s) for s in Scan.objects.order_by("started_on"))
    assert then.shown and now.shown and then.answers == now.answers == 4
    assert then.dominant == ("control",) and now.dominant == ("collaboration",)
