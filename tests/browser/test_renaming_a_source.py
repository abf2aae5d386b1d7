"""The council's data owner renames its source in the browser: from Set-up → Sources, a blank
name refused in the error summary (the page accessible with it), then the new name shown."""

import pytest
from playwright.sync_api import expect

from placewise.sharing import actors
from placewise.sources.actions import register_source
from tests.browser.conftest import accessibility_violations, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_data_owner_renames_the_council_s_source(new_page, live_server, people):
    register_source(
        name="council_csc",
        organisation=people["orgs"]["council"],
        by=actors.command_line(),
        title="Children's social care records",
    )
    alice = new_page()
    sign_in(alice, live_server, "alice")
    alice.goto(f"{live_server.url}/governance/sources/")
    alice.get_by_role("link", name="Rename Children's social care records").click()
    expect(alice.get_by_role("heading", level=1)).to_have_text(
        "Rename Children's social care records"
    )
    alice.fill("#id_title", "")
    alice.get_by_role("button", name="Rename").click()
    expect(alice.locator(".govuk-error-summary__list li")).to_have_text(
        ["Enter the name people use for this source"]
    )
    assert alice.title().startswith("Error: ")
    screenshot(alice, "rename-source-error")
    assert accessibility_violations(alice) == []
    alice.fill("#id_title", "Social care case records")
    alice.get_by_role("button", name="Rename").click()
    alice.wait_for_url(lambda url: url.endswith("/governance/sources/"))
    expect(alice.get_by_test_id("sources")).to_contain_text(
        "Social care case records (council_csc)"
    )
