"""Leadership in a real browser (issue 18): Alice starts her 4C action plan, writes where she
stands on a capability, adds three experiments (for herself, her service and the wider system,
one from a starting point), records a GROW conversation with her coach whose Will becomes an
action in the follow-up engine, and sees both on My leadership. Each page is checked with axe
and photographed at 1280 and 320 pixels."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from placewise.reviews.models import Action
from placewise.sharing.permissions import Role
from tests.browser.conftest import accessibility_violations, screenshot, sign_in
from tests.factories import person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _date(form, name: str, when) -> None:
    for box, typed in (("day", when.day), ("month", when.month), ("year", when.year)):
        form.locator(f'input[name="{name}-{box}"]').fill(str(typed))


def _look(page, name: str) -> None:
    assert accessibility_violations(page) == [], name
    screenshot(page, f"leadership-{name}")
    page.set_viewport_size({"width": 320, "height": 800})
    screenshot(page, f"leadership-{name}-320")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_plan_with_three_experiments_and_a_grow_will_show_on_my_leadership(
    new_page, live_server, people
):
    person("cora", (people["orgs"]["council"], Role.TEAM_MANAGER))
    today = timezone.localdate()
    page = new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/leadership/")
    expect(page.get_by_test_id("plan-summary")).to_contain_text("You have no plan yet")
    _look(page, "home-empty")
    page.get_by_role("link", name="Start your 4C action plan").click()
    page.get_by_role("button", name="Start your plan").click()  # no level chosen
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose your level.")
    page.get_by_label("Head of service").check()
    page.get_by_role("button", name="Start your plan").click()
    page.wait_for_url("**/leadership/plan/*/")
    expect(page.get_by_test_id("gaps")).to_contain_text("An experiment for yourself")

    page.get_by_text("Write about maintaining curiosity").click()
    page.get_by_label("Where I stand now").first.fill("I ask before I decide, mostly.")
    page.get_by_label("Why it matters for me").first.fill("Families tell us we decide too fast.")
    page.get_by_role("button", name="Save maintaining curiosity").click()
    expect(page.get_by_test_id("capability-curiosity")).to_contain_text("I ask before I decide")
    _look(page, "plan")

    experiments = [
        ("data_reviews", None, None, "Chair a monthly data review with my team leads"),
        ("", "Managing complexity", "Yourself", "Lead the cross-team discharge project"),
        ("co_design", None, None, "Meet the parents' forum to co-design the front door"),
    ]
    plan_url = page.url.split("#")[0]
    for activity, capability, scope, what in experiments:
        if activity:
            page.goto(f"{plan_url}experiments/new/?activity={activity}")
        else:
            page.goto(f"{plan_url}experiments/new/")
            page.get_by_label(capability).check()
            page.get_by_label(scope, exact=True).check()
        if activity == "data_reviews":
            expect(page.get_by_test_id("chosen")).to_contain_text("Hold regular data review")
            _look(page, "new-experiment")
        page.get_by_label("What you will try").fill(what)
        page.get_by_label("When and where").fill("At the monthly leadership meeting")
        _date(page, "starts_on", today - timedelta(days=7))
        _date(page, "review_on", today + timedelta(days=14))
        page.get_by_role("button", name="Add the experiment").click()
        page.wait_for_url("**/leadership/plan/*/**")
    expect(page.get_by_test_id("gaps")).not_to_contain_text("An experiment for")
    assert Action.objects.filter(origin=Action.Origin.EXPERIMENT).count() == 3

    page.goto(f"{live_server.url}/leadership/coaching/")
    page.get_by_label("The coachee").check()
    page.get_by_label("The other person").select_option(label="Cora Test")
    page.get_by_role("button", name="Record the coaching").click()
    page.wait_for_url("**/leadership/coaching/*/")
    page.get_by_label("Together, both of us").check()
    page.get_by_label("Goal").fill("Lead the data review without doing all the talking")
    page.get_by_label("Will (optional)", exact=True).fill("Ask the team to read the charts first")
    _date(page, "will_review_on", today + timedelta(days=21))
    _look(page, "coaching")
    page.get_by_role("button", name="Record the conversation").click()
    page.wait_for_url("**/leadership/coaching/conversations/*/")
    expect(page.get_by_test_id("will")).to_contain_text("Ask the team to read the charts first")
    _look(page, "conversation")
    will = Action.objects.get(origin=Action.Origin.COACHING)
    assert will.due_on == today + timedelta(days=21)

    page.goto(f"{live_server.url}/leadership/")
    due = page.get_by_test_id("due")
    for _, _, _, what in experiments:
        expect(due).to_contain_text(what)
    expect(page.get_by_test_id("commitments")).to_contain_text(
        "Ask the team to read the charts first"
    )
    _look(page, "home")
