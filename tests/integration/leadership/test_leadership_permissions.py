"""Who may open each leadership page (issue 18): the person (Alice, the council's head of
service), her manager (Mia, a head of service above her, who supervises no one here and has no
share), her coach (Cora), someone she shares her plan with (Sam), an administrator (Ada), another
person (Bob, the health trust's analyst) and anyone not signed in. A plan is seen by its person
and those she shares it with; a coaching conversation by its coach and coachee only; pages of
one's own (My leadership, coaching, sharing, my data) by everyone signed in, each showing only
their own; counts of coaching by those who see practice themes. A refusal says why."""

import json
from datetime import date

import pytest
from django.urls import reverse

from placewise.leadership import actions
from placewise.leadership import urls as leadership_urls
from placewise.sharing.permissions import Role
from tests.factories import person

pytestmark = pytest.mark.django_db

ANON = "anonymous"
WHO = ("alice", "mia", "cora", "sam", "ada", "bob", ANON)


def _row(**given: int) -> dict[str, int]:
    """Everyone refused (403) and anonymous sent to sign in (302), but for those given."""
    return {**dict.fromkeys(WHO, 403), ANON: 302, **given}


EVERYONE = {w: 200 for w in WHO if w != ANON}
EXPECTED = {
    "leadership:home": _row(**EVERYONE),
    # Alice has a plan: her own address leads to it; the others are asked to start one.
    "leadership:my_plan": _row(**{**EVERYONE, "alice": 302}),
    "leadership:sharing": _row(**EVERYONE),
    "leadership:my_data": _row(**EVERYONE),
    "leadership:coaching_home": _row(**EVERYONE),
    "leadership:plan": _row(alice=200, sam=200),
    "leadership:plan_pdf": _row(alice=200, sam=200),
    "leadership:experiment": _row(alice=200, sam=200),
    # Writing the plan: Alice only; Sam reads.
    "leadership:new_experiment": _row(alice=200),
    "leadership:coaching": _row(alice=200, cora=200),
    "leadership:conversation": _row(alice=200, cora=200),
    # Counts only, for those who see practice themes (heads of service, team managers).
    "leadership:numbers": _row(alice=200, mia=200, cora=200),
}
REASONS = {
    "leadership:plan": "seen only by its person (Alice Adeyemi) and those they share it with",
    "leadership:experiment": "seen only by its person (Alice Adeyemi)",
    "leadership:coaching": "private to the two people in them: Cora Test and Alice Adeyemi",
    "leadership:conversation": "private to the two people in them",
}


@pytest.fixture
def place(people):
    council = people["orgs"]["council"]
    everyone = {
        "alice": people["alice"],
        "bob": people["bob"],
        "mia": person("mia", (council, Role.HEAD_OF_SERVICE)),
        "cora": person("cora", (council, Role.TEAM_MANAGER)),
        "sam": person("sam", (council, Role.PRACTITIONER)),
        "ada": person("ada", (council, Role.ADMINISTRATOR)),
    }
    alice = everyone["alice"]
    plan = actions.start_plan(level="head_of_service", started_on=date(2026, 1, 5), by=alice)
    experiment = actions.add_experiment(
        plan=plan,
        capability="clarity",
        scope="self",
        activity="",
        what="A private experiment",
        when_where="Mondays",
        starts_on=date(2026, 1, 12),
        review_on=date(2026, 3, 1),
        by=alice,
    )
    actions.share(viewer=everyone["sam"], by=alice)
    coaching = actions.start_coaching(
        coach=everyone["cora"], coachee=alice, since=date(2026, 1, 1), by=alice
    )
    conversation = actions.record_conversation(
        coaching=coaching,
        held_on=date(2026, 1, 20),
        goal="A private goal",
        reality="",
        options="",
        recorded="together",
        by=alice,
    )
    return {
        **everyone,
        "plan": plan,
        "experiment": experiment,
        "coaching": coaching,
        "conversation": conversation,
    }


def _url(name: str, place) -> str:
    key = {
        "leadership:plan": "plan",
        "leadership:plan_pdf": "plan",
        "leadership:new_experiment": "plan",
        "leadership:experiment": "experiment",
        "leadership:coaching": "coaching",
        "leadership:conversation": "conversation",
    }.get(name)
    return reverse(name, kwargs={"pk": place[key].pk}) if key else reverse(name)


def test_every_leadership_page_has_an_expected_status_for_each_person(client, place):
    names = {f"leadership:{p.name}" for p in leadership_urls.urlpatterns}
    assert names == set(EXPECTED), "a leadership page with no expected access"
    wrong = []
    for name, expected in EXPECTED.items():
        url = _url(name, place)
        for who, status in expected.items():
            client.logout()
            if who != ANON:
                client.force_login(place[who])
            got = client.get(url)
            if got.status_code != status:
                wrong.append(f"{name} as {who}: {got.status_code}, expected {status}")
            elif status == 403 and REASONS.get(name, "") not in got.content.decode():
                wrong.append(f"{name} as {who}: refused without the reason")
    assert wrong == [], "\n".join(wrong)


def test_a_reader_cannot_write_the_plan(client, place):
    client.force_login(place["sam"])
    url = reverse("leadership:plan", kwargs={"pk": place["plan"].pk})
    page = client.post(url, {"step": "capability-clarity", "clarity-stand": "Sam's words"})
    assert page.status_code == 403
    assert "Only Alice Adeyemi writes their plan" in page.content.decode()
    assert not place["plan"].entries.filter(capability="clarity").exists()
    page = client.post(
        reverse("leadership:experiment", kwargs={"pk": place["experiment"].pk}),
        {"what_happened": "x", "effect": "as hoped", "loop": "single"},
    )
    assert page.status_code == 403


def test_nothing_personal_leaks_onto_other_peoples_own_pages(client, place):
    for who in ("mia", "cora", "sam", "ada", "bob"):
        client.force_login(place[who])
        for name in ("leadership:home", "leadership:coaching_home", "leadership:sharing"):
            text = client.get(reverse(name)).content.decode()
            assert "A private experiment" not in text, (who, name)
            assert "A private goal" not in text, (who, name)
        found = json.loads(client.get(reverse("leadership:my_data")).content)
        assert found["plan"] is None
        if who != "cora":
            assert "A private goal" not in json.dumps(found)
    # Cora's own data holds the coaching she is in: her conversations are hers too.
    client.force_login(place["cora"])
    found = json.loads(client.get(reverse("leadership:my_data")).content)
    assert found["coaching"][0]["conversations"][0]["goal"] == "A private goal"


def test_stopping_a_share_takes_the_plan_away_from_the_reader(client, place):
    url = reverse("leadership:plan", kwargs={"pk": place["plan"].pk})
    client.force_login(place["alice"])
    client.post(reverse("leadership:sharing"), {"step": "unshare", "viewer": place["sam"].pk})
    client.force_login(place["sam"])
    assert client.get(url).status_code == 403


def test_an_experiment_is_not_opened_through_the_organisations_action_register(client, place):
    # Mia runs data review sessions at Alice's council: the organisation's register neither lists
    # Alice's experiment nor opens it.
    client.force_login(place["mia"])
    action = place["experiment"].action
    assert "A private experiment" not in client.get(reverse("reviews:actions")).content.decode()
    assert client.get(reverse("reviews:action", kwargs={"pk": action.pk})).status_code == 404
