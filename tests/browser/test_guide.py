"""The resident service guide in a real browser (issue 20, item 6): a resident with no account
searches with a typo and finds the item, then searches for something the guide has no answer for;
the gap appears for the service (Alice, through the menu's Community section), which answers it in
one step after an empty answer is refused; the resident then finds it. axe at 1280 and 320 px."""

import pytest
from playwright.sync_api import expect

from placewise.guide import actions
from tests.browser.conftest import accessibility_violations, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _both_widths(page, name: str) -> None:
    """axe clean at 1280 and at 320 CSS pixels, with a screenshot at each."""
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 800})
        screenshot(page, f"{name}-{width}")
        assert accessibility_violations(page) == [], (name, width)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_resident_searches_and_the_service_answers_the_gap(new_page, live_server, people):
    alice_user = people["alice"]
    guide = actions.create_guide(
        organisation=people["orgs"]["council"],
        key="recycling",
        title="Which bin does this go in?",
        area="Northshire",
        introduction="Search for something you want to throw away.",
        by=alice_user,
    )
    for name, answer, synonyms in (
        ("Plastic bottle", "Blue recycling bin", ["drinks bottle"]),
        ("Plastic bag", "General waste bin", []),
        ("Glass jar", "Glass box", ["jam jar"]),
    ):
        actions.add_item(guide=guide, name=name, answer=answer, synonyms=synonyms, by=alice_user)

    resident = new_page()
    resident.goto(f"{live_server.url}/guide/")
    resident.get_by_role("link", name="Which bin does this go in?").click()
    _both_widths(resident, "guide-search")
    resident.get_by_label("Search for an item").fill("plastik botle")
    resident.get_by_role("button", name="Search").click()
    expect(resident.get_by_test_id("results-heading")).to_have_text("1 answer for ‘plastik botle’")
    expect(resident.get_by_test_id("answers")).to_contain_text("Blue recycling bin")
    _both_widths(resident, "guide-found")
    resident.get_by_label("Search for an item").fill("nappies")
    resident.get_by_role("button", name="Search").click()
    expect(resident.get_by_test_id("results-heading")).to_have_text("No answer for ‘nappies’ yet")
    _both_widths(resident, "guide-no-answer")
    # Too long: refused with the GOV.UK error summary, its link going to the search box.
    resident.goto(f"{live_server.url}/guide/recycling/?q={'x' * 101}")
    expect(resident.locator(".govuk-error-summary")).to_contain_text(
        "Search for 100 characters or fewer"
    )
    _both_widths(resident, "guide-too-long")

    alice = new_page()
    sign_in(alice, live_server, "alice")
    alice.get_by_role("link", name="Community").first.click()
    alice.goto(f"{live_server.url}/guide/service/")
    alice.get_by_role("link", name="Which bin does this go in?").click()
    expect(alice.get_by_test_id("gaps")).to_contain_text("nappies")
    _both_widths(alice, "guide-service")
    alice.get_by_role("link", name="Answer ‘nappies’").click()
    alice.get_by_role("button", name="Answer it").click()
    expect(alice.locator(".govuk-error-summary")).to_contain_text(
        "Choose an item the guide has, or enter the new item's answer"
    )
    _both_widths(alice, "guide-gap-refused")
    alice.get_by_label("New item (optional)").fill("Nappies")
    alice.get_by_label("Answer (optional)").fill("General waste bin")
    alice.get_by_role("button", name="Answer it").click()
    expect(alice.locator(".govuk-notification-banner")).to_contain_text(
        "Residents searching for 'nappies' now find Nappies."
    )
    expect(alice.get_by_test_id("no-gaps")).to_be_visible()
    expect(alice.get_by_test_id("closed")).to_contain_text("‘nappies’ (1 search), answered")
    _both_widths(alice, "guide-service-answered")

    resident.goto(f"{live_server.url}/guide/recycling/?q=nappy")
    expect(resident.get_by_test_id("answers")).to_contain_text("General waste bin")


def test_the_demo_guides_service_page_with_its_chart(page, live_server, people):
    from datetime import date

    from placewise.guide import demo_data

    demo_data.build(council=people["orgs"]["council"], editor=people["alice"], today=date.today())
    sign_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/guide/service/recycling/")
    expect(page.get_by_test_id("gaps")).to_contain_text("nappies")
    _both_widths(page, "guide-demo-service")
    page.goto(f"{live_server.url}/guide/recycling/")
    expect(page.get_by_test_id("added")).to_contain_text("Coffee cup")
    _both_widths(page, "guide-demo-public")
