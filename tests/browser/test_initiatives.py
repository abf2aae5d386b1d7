"""Initiatives in a real browser (issue 19): Alice starts an initiative (an empty form refused
with its summary), sets out its public value, adds five stakeholders and places each on Block's
two questions, moves one from fence-sitter to ally, and sees the move told on the page. Each page
is checked with axe and photographed at 1280 and 320 pixels."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from placewise.initiatives.models import Placement
from tests.browser.conftest import accessibility_violations, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _date(form, name: str, when) -> None:
    for box, typed in (("day", when.day), ("month", when.month), ("year", when.year)):
        form.locator(f'input[name="{name}-{box}"]').fill(str(typed))


def _look(page, name: str) -> None:
    assert accessibility_violations(page) == [], name
    screenshot(page, f"initiatives-{name}")
    page.set_viewport_size({"width": 320, "height": 800})
    screenshot(page, f"initiatives-{name}-320")
    page.set_viewport_size({"width": 1280, "height": 900})


STAKEHOLDERS = [
    # name, trust, agreement (labels as the radios show them)
    ("GP federation chair", "Low", "Not yet known"),
    ("Director of nursing", "High", "High"),
    ("Lead member for children", "High", "Low"),
    ("Head of special schools", "Low", "High"),
    ("Trust finance director", "Low", "Low"),
]


def test_create_an_initiative_place_five_stakeholders_move_one_and_see_the_history(
    new_page, live_server, people
):
    today = timezone.localdate()
    page = new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/initiatives/")
    _look(page, "home")
    page.get_by_role("link", name="Start an initiative").click()
    page.get_by_role("button", name="Start it").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Give the initiative a name.")
    _look(page, "start-errors")
    page.get_by_label("Place project").check()
    page.get_by_label("Name").fill("Integrating health and social care")
    page.get_by_label("The issue it takes on").fill("Children waiting in hospital")
    page.get_by_label("Led by").select_option(label=str(people["orgs"]["council"]))
    _date(page.locator("form"), "started_on", today - timedelta(days=60))
    page.get_by_role("button", name="Start it").click()
    page.wait_for_url("**/initiatives/*/")
    expect(page.get_by_test_id("warnings")).to_contain_text("No public value is stated")

    page.get_by_role("link", name="Change the public value and implementation model").click()
    page.get_by_label("Public value").fill(
        "Children go home from hospital as soon as they are well."
    )
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("public-value")).to_contain_text("go home from hospital")

    earlier = today - timedelta(days=30)
    for name, trust, agreement in STAKEHOLDERS:
        page.get_by_role("link", name="Add a stakeholder").click()
        page.get_by_label("A person").check()
        page.get_by_label("Name", exact=True).fill(name)
        page.get_by_role("button", name="Add the stakeholder").click()
        form = page.get_by_test_id("place-form")
        form.locator("fieldset").nth(0).get_by_label(trust, exact=True).check()
        form.locator("fieldset").nth(1).get_by_label(agreement, exact=True).check()
        _date(form, "placed_on", earlier)
        form.get_by_role("button", name="Save my placement").click()
        page.wait_for_url("**/initiatives/*/")
    for key, name in (
        ("fence_sitters", "GP federation chair"),
        ("allies", "Director of nursing"),
        ("opponents", "Lead member for children"),
        ("bedfellows", "Head of special schools"),
        ("adversaries", "Trust finance director"),
    ):
        expect(page.get_by_test_id(f"group-{key}")).to_contain_text(name)
    expect(page.get_by_test_id("history")).to_contain_text("No stakeholder has moved")
    _look(page, "initiative")

    # The GP federation comes round: Alice places them again, today.
    page.get_by_role("link", name="GP federation chair").click()
    form = page.get_by_test_id("place-form")
    form.get_by_role("button", name="Save my placement").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say how far you trust them.")
    _look(page, "stakeholder")
    form = page.get_by_test_id("place-form")
    form.locator("fieldset").nth(0).get_by_label("High", exact=True).check()
    form.locator("fieldset").nth(1).get_by_label("High", exact=True).check()
    _date(form, "placed_on", today)
    form.get_by_label("Why").fill("Offered to pilot the joint panel.")
    form.get_by_role("button", name="Save my placement").click()
    page.wait_for_url("**/initiatives/*/")
    expect(page.get_by_test_id("history")).to_contain_text(
        f"1 stakeholder moved from fence-sitter to ally since {today:%B %Y}"
    )
    expect(page.get_by_test_id("moves")).to_contain_text("GP federation chair")
    expect(page.get_by_test_id("group-allies")).to_contain_text("GP federation chair")
    assert Placement.objects.count() == 6
    _look(page, "initiative-moved")
