"""The learning loop in a real browser: signal → agenda item → action → follow-up → verdict."""

import pytest
from playwright.sync_api import expect

from placewise.outcomes import data
from placewise.reviews.models import Verdict
from placewise.sharing import actors
from placewise.sources.actions import ingest_many
from tests.browser.conftest import accessibility_violations, screenshot, sign_in
from tests.conftest import outcome_files

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def place(outcome_place, fresh_stores, people, agreement):
    return ingest_many(outcome_files(outcome_place), by=actors.command_line(), run_dfe=False)


def test_alice_runs_a_review_and_its_follow_up(page, live_server, place):
    sign_in(page, live_server, "alice")
    page.get_by_role("link", name="Outcomes", exact=True).first.click()
    expect(page.get_by_role("heading", name="Outcomes", exact=True)).to_be_visible()
    screenshot(page, "outcomes-overview")
    assert accessibility_violations(page) == []

    signal = next(s for s in data.all_signals() if s.team == "Place")
    page.goto(f"{live_server.url}/outcomes/indicators/{signal.indicator.key}/?team=Place")
    expect(page.get_by_test_id("highlight")).to_be_visible()
    assert page.locator("svg[role=img] .pw-chart__point").count() == len(signal.chart.points)
    screenshot(page, "outcomes-indicator")
    assert accessibility_violations(page) == []
    # The children behind the latest month: say why, then see who was counted.
    latest = signal.chart.points[-1].period
    page.get_by_role("link", name=f"the children behind {latest:%B %Y}").click()
    page.select_option("#purpose", "safeguarding")
    page.get_by_role("button", name="Use this purpose").click()
    summary = page.get_by_test_id("cohort-summary").inner_text()
    assert summary.split()[0].isdigit()
    assert page.get_by_test_id("children").locator("a").count() >= 1
    screenshot(page, "outcomes-children")
    assert accessibility_violations(page) == []
    page.goto(f"{live_server.url}/outcomes/indicators/assessments_within_45_days/teams/")
    screenshot(page, "outcomes-teams")
    assert accessibility_violations(page) == []

    page.get_by_role("link", name="Learning", exact=True).first.click()
    page.select_option("#id_team", "Place")
    for box, typed in (("day", "15"), ("month", "1"), ("year", "2026")):
        page.fill(f"#id_held_on-{box}", typed)  # the GOV.UK date input's three boxes
    page.fill("#id_attendees", "Alice Adeyemi\nTeam managers")
    page.get_by_role("button", name="Start the session").click()
    page.wait_for_url("**/learning/reviews/*/")
    page.get_by_role("heading", name="Agenda", exact=True).wait_for()
    if page.get_by_test_id("agenda-item").count() == 0:
        page.select_option("#id_indicator", signal.indicator.key)
        page.get_by_role("button", name="Add to the agenda").click()
    item = page.get_by_test_id("agenda-item").first
    item.get_by_label("What staff make of it, in their own words").fill("Fewer staff in the spring")
    item.get_by_role("button", name="Save what was said").click()
    item = page.get_by_test_id("agenda-item").first
    item.get_by_text("Agree an action").click()
    item.get_by_label("Action", exact=True).fill("Weekly huddle on overdue assessments")
    item.get_by_label("Owner").fill("Team manager, North")
    for box, typed in (("day", "1"), ("month", "3"), ("year", "2026")):
        item.locator(f'input[name="due_on-{box}"]').fill(typed)
    item.get_by_role("button", name="Agree the action").click()
    assert "Weekly huddle" in page.get_by_test_id("actions").first.inner_text()
    screenshot(page, "review-session")
    assert accessibility_violations(page) == []

    page.goto(f"{live_server.url}/learning/reviews/")
    page.select_option("#id_team", "Place")
    for box, typed in (("day", "15"), ("month", "4"), ("year", "2026")):
        page.fill(f"#id_held_on-{box}", typed)
    page.fill("#id_attendees", "Alice Adeyemi")
    page.select_option("#id_follows", index=1)
    page.get_by_role("button", name="Start the session").click()
    page.wait_for_url("**/learning/reviews/*/")
    follow_up = page.get_by_test_id("follow-up").first
    follow_up.wait_for()
    expect(follow_up).to_be_visible()
    expect(page.get_by_test_id("evidence").first).to_be_visible()
    follow_up.get_by_label("No change").check()
    follow_up.get_by_label("Single loop: do it better").check()
    follow_up.get_by_label("Note").fill("Huddles happened; the measure has not moved yet")
    follow_up.get_by_role("button", name="Record the verdict").click()
    assert "No change" in page.get_by_test_id("verdict").first.inner_text()
    screenshot(page, "review-follow-up")
    assert accessibility_violations(page) == []
    verdict = Verdict.objects.get()
    assert (verdict.outcome, verdict.loop, verdict.decided_by) == ("no_change", "single", "alice")
