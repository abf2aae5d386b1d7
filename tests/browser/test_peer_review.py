"""A peer review in a real browser (issue 17): the facilitator sets it up, the presenter chooses
a case their team holds, a peer gives feedback (strengths first), and the presenter sees it and
shares it into supervision."""

import pytest
from playwright.sync_api import expect

from placewise.practice import actions
from placewise.sharing import actors
from placewise.sharing.models import Organisation
from placewise.sharing.permissions import Role
from placewise.sources.actions import ingest_many
from tests.browser.conftest import accessibility_violations, screenshot, sign_in
from tests.factories import person
from tests.integration.practice.test_practice_reviews import held_cases

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def place(small_place, fresh_stores, people, agreement):
    ingest_many([small_place / "council" / "annex_a.xlsx"], by=actors.command_line(), run_dfe=False)
    council = Organisation.objects.get(name="Northshire Council Children's Services")
    made = {n: person(n, (council, Role.PRACTITIONER)) for n in ("pat", "quinn", "rae")}
    made["fay"] = person("fay", (council, Role.TEAM_MANAGER))
    for who, team in (("pat", "North"), ("quinn", "South"), ("rae", "East"), ("fay", "Central")):
        actions.place_in_team(person=made[who], organisation=council, team=team, by=people["alice"])
    return next(c for c, t in held_cases(small_place).items() if t == "North")


def test_a_peer_review_from_set_up_to_supervision(new_page, live_server, place):
    fay = new_page()
    sign_in(fay, live_server, "fay")
    fay.goto(f"{live_server.url}/practice/")
    fay.get_by_role("link", name="Set up a peer review").click()
    for box, typed in (("day", "10"), ("month", "3"), ("year", "2026")):
        fay.fill(f"#id_held_on-{box}", typed)
    fay.get_by_label("Reflective discussion").check()
    fay.select_option("#id_presenter", label="Pat Test (North)")
    fay.select_option("#id_facilitator", label="Fay Test (Central)")
    fay.get_by_label("Quinn Test (South)").check()
    fay.get_by_label("Rae Test (East)").check()
    screenshot(fay, "practice-set-up")
    assert accessibility_violations(fay) == []
    fay.get_by_role("button", name="Set up the peer review").click()
    fay.wait_for_url("**/practice/reviews/*/")
    review_url = fay.url

    pat = new_page()
    sign_in(pat, live_server, "pat")
    pat.goto(review_url)
    pat.fill("#id_reference", place)
    pat.get_by_role("button", name="Choose this case").click()
    expect(pat.get_by_test_id("case")).to_contain_text(place)

    quinn = new_page()
    sign_in(quinn, live_server, "quinn")
    quinn.goto(review_url)
    quinn.get_by_role("link", name=place).click()
    expect(quinn.get_by_test_id("events")).to_be_visible()
    screenshot(quinn, "practice-case")
    quinn.goto(review_url)
    quinn.get_by_role("link", name="Give your feedback").click()
    expect(quinn.get_by_test_id("how-feedback-is-used")).to_contain_text(
        "not for judging performance"
    )
    boxes = quinn.locator("textarea[name^=strengths_]")
    for n in range(boxes.count()):
        boxes.nth(n).fill(f"Strength {n + 1}: the child's words are on the file.")
    for radio in quinn.locator("input[type=radio][value='Good']").all():
        radio.check()
    quinn.locator("textarea[name^=improvements_]").first.fill("Date every action in the plan.")
    screenshot(quinn, "practice-feedback")
    assert accessibility_violations(quinn) == []
    quinn.get_by_role("button", name="Save your feedback").click()
    expect(quinn.get_by_test_id("feedback").first).to_contain_text("Strength 1")

    pat.goto(review_url)
    expect(pat.get_by_test_id("feedback").first).to_contain_text("Date every action in the plan.")
    pat.get_by_role("button", name="Share into supervision").click()
    expect(pat.get_by_test_id("shared")).to_contain_text("Shared into supervision on")
    screenshot(pat, "practice-review-presenter")
    assert accessibility_violations(pat) == []
