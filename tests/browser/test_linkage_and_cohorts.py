import pytest
from playwright.sync_api import expect

from placewise.linkage.models import PairReview
from placewise.sharing.models import AuditEntry
from tests.browser.conftest import accessibility_violations, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_alice_reviews_an_uncertain_pair_from_the_linkage_page(page, live_server, linked_place):
    sign_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/data/")
    page.get_by_role("link", name="Linkage", exact=True).click()
    expect(page.get_by_test_id("run-summary")).to_be_visible()
    assert page.locator("svg[role=img]").count() == 1
    screenshot(page, "linkage-home")
    assert accessibility_violations(page) == []

    page.get_by_role("link", name="Review uncertain pairs").click()
    page.select_option("#purpose", "safeguarding")
    page.get_by_role("button", name="Use this purpose").click()
    screenshot(page, "linkage-queue")
    assert accessibility_violations(page) == []
    # A pair of the council's own records: Alice's organisation provided both.
    own = PairReview.objects.filter(
        decision="pending", source_l="council_csc", source_r="council_csc"
    ).first() or PairReview.objects.create(
        token_l="a" * 40,
        token_r="b" * 40,
        source_l="council_csc",
        source_r="council_csc",
        match_probability=0.9,
        match_weight=3.0,
        comparison={"postcode": "same sector"},
    )
    page.goto(f"{live_server.url}/data/linkage/review/{own.pk}/")
    expect(page.get_by_test_id("comparison")).to_be_visible()
    page.get_by_role("button", name="Save decision").click()
    expect(
        page.get_by_text("Say whether the two records are the same child.").first
    ).to_be_visible()
    screenshot(page, "linkage-pair-error")
    page.get_by_label("No, different children").check()
    page.fill("#id_note", "Different dates of birth on the birth certificate")
    page.get_by_role("button", name="Save decision").click()
    page.wait_for_url(lambda url: f"/review/{own.pk}/" not in url)
    decided = PairReview.objects.get(pk=own.pk)
    assert decided.decision == "different" and decided.decided_by == "alice"
    assert AuditEntry.objects.filter(action="linkage.review", actor="alice").count() == 1


def test_bob_sees_a_disclosure_controlled_cohort_journey(page, live_server, linked_place):
    sign_in(page, live_server, "bob")
    page.goto(f"{live_server.url}/learning/cohorts/?start=2020-01-01&end=2030-12-31")
    table = page.get_by_test_id("cohort")
    expect(table).to_be_visible()
    assert "[c]" in table.inner_text()
    screenshot(page, "cohort-journey")
    assert accessibility_violations(page) == []
