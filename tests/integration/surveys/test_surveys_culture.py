"""Culture scans (issue 18, item 4), worked by hand: where a team sits on Schneider's axes, its
dominant culture and spread, the plot over time, guidance that fits culture and uncertainty; a
team's result only once closed and with at least three answers; answers with no name on them."""

from datetime import date
from math import sqrt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from placewise.sharing.access import AccessDenied
from placewise.sharing.models import Organisation
from placewise.sharing.permissions import Role
from placewise.surveys import actions, culture
from placewise.surveys.models import ScanAnswer
from placewise.surveys.questionnaires import CHOICES
from tests.factories import person

pytestmark = pytest.mark.django_db
KEYS = [c.key for c in CHOICES]  # eight questions


def all_of(culture_key: str) -> dict[str, str]:
    return dict.fromkeys(KEYS, culture_key)


HALF_AND_HALF = {k: ("control" if i < 4 else "cultivation") for i, k in enumerate(KEYS)}


@pytest.fixture
def team(people):
    council = Organisation.objects.get(name="Northshire Council Children's Services")
    sam = person("sam", (council, Role.TEAM_MANAGER))
    members = [person(n, (council, Role.PRACTITIONER)) for n in ("a1", "b1", "c1", "d1")]
    return council, sam, members


def scan_with(team, answers, on):
    council, sam, members = team
    scan = actions.start_scan(
        organisation=council, team="North", participants=members, by=sam, today=on
    )
    for member, choices in zip(members, answers, strict=False):
        actions.answer_scan(scan=scan, choices=choices, by=member)
    actions.close_scan(scan=scan, by=sam, today=on)
    return scan


def test_a_teams_position_dominant_culture_and_spread(team):
    scan = scan_with(
        team, [all_of("control"), all_of("collaboration"), HALF_AND_HALF], date(2026, 3, 1)
    )
    found = culture.result(scan)
    assert found.shown and found.answers == 3
    # Choices: control 8 + 4 = 12, collaboration 8, cultivation 4, competence 0, of 24.
    assert found.shares == {
        "control": 0.5,
        "collaboration": pytest.approx(1 / 3),
        "competence": 0.0,
        "cultivation": pytest.approx(1 / 6),
    }
    assert found.dominant == ("control",)
    # Positions: (+1, +1), (-1, +1), (0, 0). Mean (0, 2/3).
    assert (found.x, found.y) == (0, pytest.approx(2 / 3))
    assert found.spread_x == pytest.approx(sqrt(2 / 3))
    assert found.spread_y == pytest.approx(sqrt(2 / 9))
    [text] = culture.guidance(found.dominant, "high")
    assert text[0] == "Control" and "small agile pilot" in text[1]
    assert "plan-driven approach fits" in culture.guidance(found.dominant, "low")[0][1]


def test_under_three_answers_nothing_is_shown(team):
    scan = scan_with(team, [all_of("control"), all_of("competence")], date(2026, 3, 1))
    found = culture.result(scan)
    assert not found.shown and found.shares == {} and found.dominant == ()


def test_the_plot_over_time_leaves_out_scans_too_small_to_show(team, client):
    first = scan_with(team, [all_of("control")] * 3, date(2026, 1, 10))
    scan_with(team, [all_of("cultivation")] * 2, date(2026, 4, 10))
    last = scan_with(team, [all_of("collaboration")] * 4, date(2026, 7, 10))
    plot = culture.plot(
        [culture.result(s) for s in (first, last)], title="North over time", size=360
    )
    # side = 360 - 2 × 28 = 304. Control (+1, +1): x = 28 + 304 = 332, y = 28. Collaboration
    # (-1, +1): x = 28, y = 28. No spread: the smallest ellipse, 4.
    assert [(m.cx, m.cy, m.rx, m.latest) for m in plot.marks] == [
        (332, 28, 4, False),
        (28, 28, 4, True),
    ]
    assert plot.path == "332.0,28.0 28.0,28.0"
    client.force_login(team[1])
    page = client.get(reverse("surveys:scan", args=[last.pk])).content.decode()
    assert "Dominant culture: Collaboration" in page
    assert "<svg" in page and "Jan 2026" in page and "Apr 2026" not in page
    assert 'class="govuk-table pw-table--stack" data-testid="history"' in page  # stacks at 320 px
    guided = client.get(reverse("surveys:scan", args=[last.pk]), {"uncertainty": "high"})
    assert "An agile approach fits well" in guided.content.decode()


def test_answers_are_private_and_given_once(team, people):
    council, sam, members = team
    scan = actions.start_scan(organisation=council, team="North", participants=members, by=sam)
    actions.answer_scan(scan=scan, choices=all_of("control"), by=members[0])
    with pytest.raises(actions.SurveyRefused, match="You answered this scan on"):
        actions.answer_scan(scan=scan, choices=all_of("control"), by=members[0])
    with pytest.raises(actions.SurveyRefused, match="You were not asked"):
        actions.answer_scan(scan=scan, choices=all_of("control"), by=people["charlie"])
    with pytest.raises(actions.SurveyRefused, match="Choose one statement for each question"):
        actions.answer_scan(scan=scan, choices={KEYS[0]: "control"}, by=members[1])
    assert not {f.name for f in ScanAnswer._meta.get_fields()} & {"person", "participant"}
    with pytest.raises(AccessDenied, match="run culture scans"):
        actions.start_scan(organisation=council, team="South", participants=members, by=members[0])


def test_the_result_waits_for_the_scan_to_close(team, client):
    council, sam, members = team
    scan = actions.start_scan(organisation=council, team="North", participants=members, by=sam)
    for m in members[:3]:
        actions.answer_scan(scan=scan, choices=all_of("competence"), by=m)
    client.force_login(sam)
    page = client.get(reverse("surveys:scan", args=[scan.pk])).content.decode()
    assert "3 of 4 asked have answered" in page and "Dominant culture" not in page
    client.post(reverse("surveys:scan_close", args=[scan.pk]))
    page = client.get(reverse("surveys:scan", args=[scan.pk])).content.decode()
    assert "Dominant culture: Competence" in page


def test_a_scan_form_refuses_bad_input_with_an_error_summary(team, client):
    council, sam, members = team
    client.force_login(sam)
    refused = client.post(reverse("surveys:scan_new"), {"team": "", "participants": "nobody"})
    body = refused.content.decode()
    assert refused.status_code == 400 and "govuk-error-summary" in body
    assert "Name the team the scan is of." in body
    assert "No one in this place has the username" in body
    scan = actions.start_scan(organisation=council, team="North", participants=members, by=sam)
    client.force_login(get_user_model().objects.get(username="a1"))
    missing = client.post(reverse("surveys:scan_answer", args=[scan.pk]), {})
    assert missing.status_code == 400 and "govuk-error-summary" in missing.content.decode()
    assert "Choose one statement for" in missing.content.decode()
