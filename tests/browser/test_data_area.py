import pytest
from playwright.sync_api import expect

from tests.browser.conftest import accessibility_violations, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def loaded_place(council_loaded, council_template):
    """Every file of the small place loaded (the session's template): ingest's outcomes."""
    return council_template.result


def test_alice_signs_in_opens_data_and_sees_the_synthetic_loads(page, live_server, loaded_place):
    sign_in(page, live_server, "alice")
    page.get_by_role("link", name="Data", exact=True).first.click()
    table = page.get_by_test_id("loads")
    expect(table).to_be_visible()
    text = table.inner_text()
    for name in ("annex_a.xlsx", "cin_census.xml", "episodes.csv", "family_feedback.csv"):
        assert name in text
    assert "police_missing_reports.csv" not in text  # the police's load is theirs
    screenshot(page, "data-home-alice")
    assert accessibility_violations(page) == []
    page.get_by_role("link", name=str(loaded_place[0].load.pk), exact=True).click()
    expect(page.get_by_role("heading", name="annex_a.xlsx")).to_be_visible()
    screenshot(page, "load-detail")
    assert accessibility_violations(page) == []


def test_charlie_is_refused_the_data_area_with_the_reason(page, live_server, loaded_place):
    sign_in(page, live_server, "charlie")
    page.goto(f"{live_server.url}/data/")
    reason = page.get_by_test_id("refusal-reason").inner_text()
    assert "practitioner at Northshire Police" in reason
    screenshot(page, "data-refused-charlie")


def test_the_upload_page_reports_a_rejected_file_row_by_row(
    page, live_server, people, fresh_stores, tmp_path
):
    bad = tmp_path / "missing.csv"
    bad.write_text("CHILD,DOB,MISSING,MIS_START,MIS_END\nC1,01/01/2010,M,31/04/2024,\n")
    sign_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/data/upload/")
    screenshot(page, "upload")
    assert accessibility_violations(page) == []
    page.set_input_files("#id_file", str(bad))
    page.get_by_role("button", name="Check and load").click()
    # The upload's job (run at once in tests) links to its load.
    page.get_by_test_id("load-link").click()
    expect(page.get_by_text("Rejected", exact=True).first).to_be_visible()
    page.get_by_role("link", name="Errors").click()
    issues = page.get_by_test_id("issues").inner_text()
    assert "MIS_START" in issues and "not a real date" in issues
    screenshot(page, "load-rejected")
