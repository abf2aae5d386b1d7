"""The approaches library and the place survey in a real browser (issue 19, items 5 and 6):
Charlie finds an approach by the question he faces and by a search, then answers the place
survey signed in (an empty form refused with its summary); a partner answers by link with no
account; Alice, who runs the survey, sees the round's results and quotes. Axe and screenshots at
1280 and 320 px."""

import pytest
from playwright.sync_api import expect

from placewise.approaches import actions
from tests.browser.conftest import accessibility_violations, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _both(page, name: str) -> None:
    screenshot(page, name)
    assert accessibility_violations(page) == []
    page.set_viewport_size({"width": 320, "height": 800})
    screenshot(page, f"{name}-320")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_find_an_approach_by_a_question_and_answer_the_place_survey(
    new_page, live_server, people, settings
):
    settings.PLACEWISE_PLACE_SURVEY_THRESHOLD = 2
    actions.load_starter_library(by=people["alice"])
    round_ = actions.open_round(title="Place survey 2026", by=people["alice"])
    link = actions.make_link(
        round=round_, organisation_name="Northshire Police", by=people["alice"]
    )

    charlie = new_page()
    sign_in(charlie, live_server, "charlie")
    charlie.get_by_role("link", name="Leadership").first.click()
    charlie.goto(f"{live_server.url}/approaches/")
    _both(charlie, "approaches-home")
    charlie.get_by_role("link", name="Who must say yes?").click()
    expect(charlie.get_by_role("heading", level=1)).to_have_text("Who must say yes?")
    charlie.get_by_role("link", name="The strategic triangle (public value)").click()
    expect(charlie.get_by_role("heading", name="Key elements")).to_be_visible()
    expect(charlie.locator("main")).to_contain_text("Authorising environment")
    _both(charlie, "approaches-approach")
    charlie.goto(f"{live_server.url}/approaches/")
    charlie.fill("#q", "coaching")
    charlie.get_by_role("button", name="Search").click()
    charlie.get_by_test_id("found").get_by_role("link", name="GROW coaching conversations").click()
    expect(charlie.get_by_test_id("where-done")).to_have_attribute("href", "/leadership/coaching/")

    charlie.goto(f"{live_server.url}/approaches/survey/")
    charlie.get_by_role("link", name="answer the survey for Place survey 2026").click()
    charlie.get_by_role("button", name="Send your answers").click()
    expect(charlie.locator(".govuk-error-summary")).to_contain_text("There is a problem")
    _both(charlie, "approaches-answer")
    for key, index in (("trust", 1), ("board", 0), ("sharing", 2)):
        charlie.click(f"label[for=id_r_{key}_{index}]")
    charlie.fill("#id_t_challenges", "Board members rarely come to the partnership.")
    charlie.get_by_role("button", name="Send your answers").click()
    expect(charlie.locator(".govuk-panel")).to_contain_text("Thank you")

    partner = new_page()
    partner.goto(f"{live_server.url}/approaches/survey/respond/{link.token}/")
    expect(partner.locator(".govuk-caption-l")).to_have_text("For Northshire Police")
    for key in ("trust", "board", "sharing"):
        partner.click(f"label[for=id_r_{key}_3]")
    partner.fill("#id_t_advice", "Never try to fix issues alone.")
    partner.get_by_role("button", name="Send your answers").click()
    expect(partner.locator(".govuk-panel")).to_contain_text("Thank you")

    alice = new_page()
    sign_in(alice, live_server, "alice")
    alice.goto(f"{live_server.url}/approaches/survey/")
    expect(alice.get_by_test_id("comparison")).to_contain_text("Shown once the round closes")
    alice.get_by_role("link", name="manage Place survey 2026").click()
    alice.get_by_role("button", name="Close the round").click()
    alice.get_by_role("link", name="The place survey").first.click()
    # trust (2 + 4) / 2 = 3.0; board (1 + 4) / 2 = 2.5; sharing (3 + 4) / 2 = 3.5
    expect(alice.get_by_test_id("comparison")).to_contain_text("3.0")
    expect(alice.get_by_test_id("comparison")).to_contain_text("2.5")
    expect(alice.get_by_test_id("comparison")).to_contain_text("3.5")
    _both(alice, "approaches-survey")
    alice.get_by_test_id("comparison").get_by_role("link", name="Place survey 2026").click()
    expect(alice.get_by_test_id("untagged")).to_contain_text("Never try to fix issues alone.")
    _both(alice, "approaches-round")
    # The facilitator puts a quote under a theme; the round then shows it there.
    alice.get_by_role("link", name="Group quotes by theme").click()
    card = alice.locator(".govuk-summary-card", has_text="Never try to fix issues alone.")
    card.locator("input[name=theme]").fill("Working as one system")
    card.get_by_role("button").click()
    _both(alice, "approaches-tag")
    alice.get_by_role("link", name="Place survey 2026").first.click()
    expect(alice.get_by_test_id("theme")).to_contain_text("Never try to fix issues alone.")
    expect(alice.locator("main")).to_contain_text("Working as one system")
    # And the library's history of an approach.
    alice.goto(f"{live_server.url}/approaches/grow/edit/")
    _both(alice, "approaches-edit")
