"""Who may see and change the approaches library and the place survey (approaches/visibility.py),
as a matrix: Alice (council head of service), Bob (health analyst), Charlie (police
practitioner), Erin (an enabler), Olga (signed in, in no organisation) and anonymous; each rule,
then each page with real objects behind it."""

import pytest
from django.contrib.auth.models import AnonymousUser

from placewise.approaches import actions, visibility
from placewise.approaches.models import Approach
from placewise.sharing import actors
from placewise.sharing.permissions import Role
from tests import factories

pytestmark = pytest.mark.django_db

USERS = ("alice", "bob", "charlie", "erin", "olga", "anonymous")
# (read the library, curate and run the survey, answer signed in, see results)
RULES = {
    "alice": (True, True, True, True),  # head of service: leadership.enable, outcomes.view
    "bob": (True, False, True, True),  # analyst: sees outcomes
    "charlie": (True, False, True, False),  # practitioner: a partner, no outcomes view
    "erin": (True, True, True, True),  # enabler
    "olga": (True, False, False, False),  # signed in, in no organisation
    "anonymous": (False, False, False, False),
}


@pytest.fixture
def users(people):
    found = {name: people[name] for name in ("alice", "bob", "charlie")}
    found["erin"] = factories.person("erin", (people["orgs"]["health"], Role.ENABLER))
    found["olga"] = factories.person("olga")
    found["anonymous"] = AnonymousUser()
    return found


@pytest.mark.parametrize("name", USERS)
def test_each_rule_for_each_person(users, name):
    user = users[name]
    got = (
        visibility.read_library(user).allowed,
        visibility.enable(user).allowed,
        visibility.answer(user).allowed,
        visibility.results(user).allowed,
    )
    assert got == RULES[name]


def test_each_refusal_says_why(users):
    assert visibility.read_library(users["anonymous"]).reason == "You need to sign in."
    assert "Only an enabler" in visibility.enable(users["bob"]).reason
    assert visibility.answer(users["olga"]).reason == (
        "The place survey is answered by the place's partners."
    )
    assert "partners who see outcomes" in visibility.results(users["charlie"]).reason


PAGES = {
    # page: {user: status}; the round has enough answers to show.
    "/approaches/": {"alice": 200, "bob": 200, "charlie": 200, "erin": 200, "anonymous": 302},
    "/approaches/grow/": {"alice": 200, "bob": 200, "charlie": 200, "erin": 200, "anonymous": 302},
    "/approaches/grow/history/": {
        "alice": 200,
        "bob": 200,
        "charlie": 200,
        "erin": 200,
        "anonymous": 302,
    },
    "/approaches/new/": {"alice": 200, "bob": 403, "charlie": 403, "erin": 200, "anonymous": 302},
    "/approaches/grow/edit/": {
        "alice": 200,
        "bob": 403,
        "charlie": 403,
        "erin": 200,
        "anonymous": 302,
    },
    "/approaches/grow/uses/new/": {
        "alice": 200,
        "bob": 403,
        "charlie": 403,
        "erin": 200,
        "anonymous": 302,
    },
    "/approaches/survey/": {
        "alice": 200,
        "bob": 200,
        "charlie": 200,
        "erin": 200,
        "anonymous": 302,
    },
    "/approaches/survey/rounds/new/": {
        "alice": 200,
        "bob": 403,
        "charlie": 403,
        "erin": 200,
        "anonymous": 302,
    },
    "round": {"alice": 200, "bob": 200, "charlie": 403, "erin": 200, "anonymous": 302},
    "round/answer/": {"alice": 200, "bob": 200, "charlie": 200, "erin": 200, "anonymous": 302},
    "round/link/": {"alice": 200, "bob": 403, "charlie": 403, "erin": 200, "anonymous": 302},
    "round/themes/": {"alice": 200, "bob": 403, "charlie": 403, "erin": 200, "anonymous": 302},
}


def test_each_page_for_each_person(client, users, settings):
    settings.PLACEWISE_PLACE_SURVEY_THRESHOLD = 3
    actions.load_starter_library(by=users["erin"])
    assert Approach.objects.filter(slug="grow").exists()
    round_ = actions.open_round(title="2026", by=users["erin"])
    for _ in range(3):
        link = actions.make_link(round=round_, organisation_name="P", by=users["erin"])
        actions.answer_by_link(
            token=link.token,
            ratings={"trust": 3, "board": 3, "sharing": 3},
            texts={"advice": "Go."},
            by=actors.partner_by_link(),
        )
    wrong = []
    for page, expected in PAGES.items():
        url = page
        if page.startswith("round"):
            url = f"/approaches/survey/rounds/{round_.pk}/" + page.removeprefix("round").lstrip("/")
        for name, status in expected.items():
            client.logout()
            if name != "anonymous":
                client.force_login(users[name])
            got = client.get(url).status_code
            if got != status:
                wrong.append(f"{url} as {name}: {got}, expected {status}")
    assert wrong == []
