"""An operational review in a real browser: it starts from children's journeys, records what
they show against a strategic goal, and ends in a process change that the next data review
session follows up."""

import pytest
from playwright.sync_api import expect

from placewise.reviews.models import Action
from tests import factories
from tests.browser.conftest import accessibility_violations, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _date(page, field, day, month, year):
    for box, typed in (("day", day), ("month", month), ("year", year)):
        page.fill(f"#{field}-{box}", typed)


def test_an_operational_review_from_a_childs_journey_to_a_followed_up_action(
    page, live_server, linked_place, people
):
    sign_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/service-reviews/")
    expect(page.get_by_role("heading", name="Operational and strategic reviews")).to_be_visible()

    # A goal, then a review on the schedule: one area only is refused, GOV.UK style.
    page.get_by_text("Add a strategic goal").click()
    page.fill("#goal-id_title", "Children safe at home")
    page.get_by_role("button", name="Add the goal").click()
    expect(page.get_by_test_id("goals")).to_contain_text("Children safe at home")
    page.get_by_text("Add a review to the schedule").click()
    page.fill("#schedule-id_title", "Front door operational review")
    page.check("#schedule-id_kind_0")  # operational
    page.select_option("#schedule-id_every", "fortnight")
    page.check("#schedule-id_areas")  # children's social care only
    page.fill("#schedule-id_leaders", "Head of children's social care\nHead of early help")
    page.get_by_role("button", name="Add to the schedule").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose at least 2 areas of the service")
    assert accessibility_violations(page) == []
    page.check("#schedule-id_areas-2")  # early help
    page.get_by_role("button", name="Add to the schedule").click()
    expect(page.get_by_test_id("schedules")).to_contain_text("Front door operational review")

    # A meeting, which starts from children's journeys.
    page.select_option("#meeting-id_schedule", label="Front door operational review")
    _date(page, "meeting-id_held_on", "12", "3", "2026")
    page.fill("#meeting-id_attendees", "Alice Adeyemi\nHead of early help")
    page.select_option("#meeting-id_purpose", "safeguarding")
    page.get_by_role("button", name="Start the meeting").click()
    page.wait_for_url("**/service-reviews/meetings/*/")
    expect(page.get_by_test_id("no-sample")).to_be_visible()
    _date(page, "cohort-id_start", "1", "1", "2000")
    _date(page, "cohort-id_end", "1", "1", "2100")
    page.fill("#cohort-id_how_many", "2")
    page.get_by_role("button", name="Draw from the cohort").click()
    journey = page.get_by_test_id("journey").first
    expect(journey).to_be_visible()
    assert journey.get_by_test_id("events").locator("tbody tr").count() >= 1
    assert page.get_by_test_id("journey").count() == 2

    # What the journeys show, and the change agreed, tied to the indicator it should move.
    page.fill("#finding-id_process", "Step-down from social care to early help")
    page.fill("#finding-id_shows", "Both children came back to the front door after closure.")
    page.select_option("#finding-id_goal", label="Children safe at home")
    page.get_by_role("button", name="Record the finding").click()
    finding = page.get_by_test_id("finding").first
    expect(finding).to_contain_text("Goal: Children safe at home")
    finding.get_by_text("Agree a process change").click()
    prefix = finding.locator("form").get_attribute("id").removesuffix("form")
    page.fill(f"#{prefix}id_description", "A step-down conversation before every closure")
    page.fill(f"#{prefix}id_owner", "Head of early help")
    _date(page, f"{prefix}id_due_on", "30", "6", "2026")
    page.select_option(f"#{prefix}id_indicator", "re_referrals_12_months")
    page.check(f"#{prefix}id_direction_1")  # down
    finding.get_by_role("button", name="Agree the change").click()
    expect(page.get_by_test_id("changes")).to_contain_text("Waiting for the next data review")
    screenshot(page, "service-review-meeting")
    assert accessibility_violations(page) == []
    page.set_viewport_size({"width": 320, "height": 900})
    screenshot(page, "service-review-meeting-320")
    page.set_viewport_size({"width": 1280, "height": 900})

    # The next data review session is held: the change is carried to it, which asks whether
    # re-referrals moved.
    from datetime import date

    session = factories.review_session(people["alice"], held_on=date(2026, 4, 15))
    page.get_by_role("button", name="Carry the changes to the next data review session").click()
    page.get_by_test_id("changes").get_by_role("link").click()
    page.wait_for_url(f"**/learning/reviews/{session.pk}/")
    follow_up = page.get_by_test_id("follow-up").first
    expect(follow_up).to_contain_text("A step-down conversation before every closure")
    action = Action.objects.get()
    assert (action.origin, action.indicator, action.carried_to_id) == (
        Action.Origin.REVIEW_MEETING,
        "re_referrals_12_months",
        session.pk,
    )
