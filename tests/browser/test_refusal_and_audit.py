import pytest
from playwright.sync_api import expect

from tests.browser.conftest import accessibility_violations, screenshot, sign_in
from tests.conftest import first_child

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_charlie_is_refused_a_childs_record_and_the_data_owner_sees_it(
    new_page, live_server, shared_place, small_place
):
    child = first_child(small_place)
    charlie = new_page()
    sign_in(charlie, live_server, "charlie")
    charlie.goto(f"{live_server.url}/learning/people/")
    charlie.select_option("#id_source", "council_csc")
    charlie.fill("#id_reference", child)
    charlie.select_option("#id_purpose", "safeguarding")
    charlie.get_by_role("button", name="Show records").click()
    reason = charlie.get_by_test_id("refusal-reason").inner_text()
    assert "No agreement in force" in reason and "Northshire Police" in reason
    screenshot(charlie, "person-refused-charlie")

    alice = new_page()
    sign_in(alice, live_server, "alice")
    alice.goto(f"{live_server.url}/sharing/audit/?outcome=refused")
    row = alice.get_by_test_id("audit").get_by_role("row").filter(has_text="charlie").first
    text = row.inner_text()
    assert f"council_csc/{child}" in text and "Refused" in text and "safeguarding" in text
    screenshot(alice, "audit-alice")
    assert accessibility_violations(alice) == []


def test_the_public_register_reads_without_signing_in(page, live_server, agreement):
    page.goto(f"{live_server.url}/public/")
    expect(page.get_by_test_id("public-agreement").first).to_be_visible()
    screenshot(page, "public-register")
    assert accessibility_violations(page) == []
