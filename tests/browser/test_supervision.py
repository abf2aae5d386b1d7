"""Supervision in a real browser (issue 17): the supervisor records a supervision on a review the
practitioner shared, adds what she will try, and her progress page shows it beside the grades.
The peer review is built with practice's actions (tests/integration/supervision/test_supervision_factories),
not through practice's pages, so this journey depends on supervision's pages only."""

from datetime import date

import pytest
from playwright.sync_api import expect

from placewise.supervision import actions
from tests.browser.conftest import accessibility_violations, screenshot, sign_in
from tests.integration.supervision.test_supervision_factories import (  # noqa: F401 (a fixture)
    RI,
    _finder_registered,
    council_practice,
    peer_review,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def place(people):
    everyone = council_practice(people)
    actions.start_supervision(
        supervisor=everyone["frank"],
        supervisee=everyone["erin"],
        since=date(2026, 1, 1),
        by=everyone["frank"],
    )
    peer_review(
        everyone,
        held_on=date(2026, 3, 2),
        grades={"gita": RI, "hamid": RI},
        improvements="The risk analysis follows the plan instead of leading it",
        point="Analyse the risk before planning",
        shared_on=date(2026, 3, 5),
    )
    return everyone


def _narrow(page, name: str) -> None:
    """The page as a phone shows it, 320 pixels wide."""
    page.set_viewport_size({"width": 320, "height": 800})
    screenshot(page, f"{name}-320")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_supervision_on_a_shared_review_and_what_she_will_try_show_in_her_progress(
    new_page, live_server, place
):
    frank = new_page()
    sign_in(frank, live_server, "frank")
    frank.goto(f"{live_server.url}/supervision/")
    expect(frank.get_by_test_id("supervising")).to_contain_text("Erin Test")
    screenshot(frank, "supervision-home")
    assert accessibility_violations(frank) == []
    frank.get_by_role("link", name="Sessions with Erin Test").click()
    frank.get_by_role("link", name="Record a supervision session").click()
    for box, typed in (("day", "12"), ("month", "3"), ("year", "2026")):
        frank.fill(f"#id_held_on-{box}", typed)
    frank.get_by_label("Peer review of 2 March 2026").check()
    frank.get_by_label("Reflections on the feedback").fill(
        "Erin sees that her plans come before her analysis of the risk."
    )
    screenshot(frank, "supervision-new-session")
    assert accessibility_violations(frank) == []
    frank.get_by_role("button", name="Record the session").click()
    frank.wait_for_url("**/supervision/sessions/*/")
    expect(frank.get_by_test_id("review")).to_contain_text("Analyse the risk before planning")

    form = frank.get_by_test_id("will-try")
    form.get_by_label("What the practitioner will try").fill(
        "Write the risk analysis before the plan"
    )
    form.get_by_label("The criterion it should improve").select_option("risk-understood")
    for box, typed in (("day", "1"), ("month", "6"), ("year", "2026")):
        form.locator(f'input[name="due_on-{box}"]').fill(typed)
    form.get_by_role("button", name="Record what they will try").click()
    expect(frank.get_by_test_id("agreed")).to_contain_text("Write the risk analysis before")
    screenshot(frank, "supervision-session")
    assert accessibility_violations(frank) == []
    _narrow(frank, "supervision-session")

    erin = new_page()
    sign_in(erin, live_server, "erin")
    erin.goto(f"{live_server.url}/supervision/progress/")
    risk = erin.locator("#criterion-risk-understood")
    timeline = risk.get_by_test_id("timeline")
    expect(timeline).to_contain_text("Peer review: Requires improvement to be good (2 peers)")
    expect(timeline).to_contain_text("Agreed in supervision: will try “Write the risk analysis")
    expect(risk.get_by_test_id("grades")).to_contain_text("2 Mar 2026")
    screenshot(erin, "supervision-progress")
    assert accessibility_violations(erin) == []
    _narrow(erin, "supervision-progress")
