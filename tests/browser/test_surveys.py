"""A 360 round in a real browser (issue 18, item 2): Alice starts a round and rates herself,
invites four raters, each answers through their link in a browser of their own with no account,
she closes the round and the report shows (three peers and one partner: the partner alone would
be "others" of one, so only all four together are shown). Then a culture scan's page."""

import pytest
from playwright.sync_api import expect

from placewise.surveys.questionnaires import STATEMENTS
from tests.browser.conftest import accessibility_violations, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _rate_all(page, index: int) -> None:
    """Choose the same rating (by its position: 0 is 1 Rarely … 4 is 5 Almost always) for every
    statement."""
    for s in STATEMENTS:
        page.click(f"label[for=id_q_{s.key}_{index}]")


def _narrow(page, name: str) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    screenshot(page, f"{name}-320")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_person_runs_a_360_with_four_raters_and_reads_the_report(new_page, live_server, people):
    alice = new_page()
    sign_in(alice, live_server, "alice")
    alice.goto(f"{live_server.url}/surveys/")
    screenshot(alice, "surveys-home")
    assert accessibility_violations(alice) == []
    alice.get_by_role("button", name="Start a 360 round").click()
    alice.get_by_role("link", name="Rate yourself").click()
    # Submitting with nothing chosen is refused with a summary of what is missing.
    alice.get_by_role("button", name="Send your answers").click()
    expect(alice.locator(".govuk-error-summary")).to_contain_text("There is a problem")
    _rate_all(alice, 4)
    screenshot(alice, "surveys-rate-yourself")
    assert accessibility_violations(alice) == []
    alice.get_by_role("button", name="Send your answers").click()
    expect(alice.get_by_test_id("self-done")).to_be_visible()
    screenshot(alice, "surveys-round")

    links = []
    for name, group in (("Pia Peer", 1), ("Pete Peer", 1), ("Paz Peer", 1), ("Pat Partner", 3)):
        alice.get_by_role("link", name="Invite a rater").first.click()
        alice.click(f"label[for=id_group_{group}]")
        alice.fill("#id_name", name)
        alice.get_by_role("button", name="Make the link").click()
        links.append(alice.get_by_test_id("rater-link").inner_text().strip())
        alice.get_by_role("link", name="Back to the round").click()
    screenshot(alice, "surveys-invited")

    for n, link in enumerate(links):
        rater = new_page()
        rater.goto(link)
        expect(rater.get_by_role("heading", level=1)).to_contain_text("Feedback for Alice Adeyemi")
        expect(rater.locator(".govuk-caption-l")).to_contain_text(
            "As one of their peers" if n < 3 else "As a partner from another organisation"
        )
        if n == 0:
            screenshot(rater, "surveys-rater-form")
            assert accessibility_violations(rater) == []
        _rate_all(rater, 2 if n < 3 else 1)
        rater.fill("#id_comment", f"Comment from rater {n}")
        rater.get_by_role("button", name="Send your answers").click()
        expect(rater.locator(".govuk-panel")).to_contain_text("Thank you")
        rater.goto(link)  # a used link is refused, saying why
        expect(rater.get_by_test_id("refusal")).to_contain_text("Feedback was given through")

    alice.reload()
    expect(alice.get_by_test_id("groups")).to_contain_text("Peers")
    alice.get_by_role("button", name="Close the round").click()
    expect(alice.get_by_role("heading", level=1)).to_contain_text("360 report")
    # All four: (3 + 3 + 3 + 2) / 4 = 2.75 → "2.8"; Alice 5.0; the largest gap 2.2 (5 - 2.75).
    expect(alice.get_by_test_id("line-all")).to_contain_text("All raters (4)")
    expect(alice.get_by_test_id("scores")).to_contain_text("2.8")
    expect(alice.get_by_test_id("gaps")).to_contain_text("You rate yourself 2.2 higher")
    expect(alice.get_by_test_id("comments-withheld")).to_be_visible()
    assert "Comment from rater" not in alice.content()
    screenshot(alice, "surveys-report")
    _narrow(alice, "surveys-report")
    assert accessibility_violations(alice) == []


def test_a_teams_culture_scan_and_the_demo_report(new_page, live_server, people):
    from datetime import date

    from placewise.sharing.models import Organisation
    from placewise.sharing.permissions import Role
    from placewise.surveys import demo_data
    from placewise.surveys.models import Round, Scan
    from tests.factories import person

    council = Organisation.objects.get(name="Northshire Council Children's Services")
    colleagues = [person(f"c{n}", (council, Role.TEAM_MANAGER)) for n in range(5)]
    demo_data.build(
        council=council, alice=people["alice"], colleagues=colleagues, today=date(2026, 12, 1)
    )
    alice = new_page()
    sign_in(alice, live_server, "alice")
    latest = Scan.objects.order_by("-started_on").first()
    alice.goto(f"{live_server.url}/surveys/culture/{latest.pk}/?uncertainty=high")
    expect(alice.get_by_test_id("dominant")).to_contain_text("Collaboration")
    expect(alice.get_by_test_id("history")).to_contain_text("December 2025")
    expect(alice.get_by_test_id("guidance")).to_contain_text("agile approach fits well")
    screenshot(alice, "surveys-culture-scan")
    _narrow(alice, "surveys-culture-scan")
    assert accessibility_violations(alice) == []
    report = Round.objects.filter(person=people["alice"]).order_by("-started_on").first()
    alice.goto(f"{live_server.url}/surveys/rounds/{report.pk}/report/")
    expect(alice.get_by_test_id("line-others")).to_contain_text("Others")
    expect(alice.get_by_test_id("changes")).to_be_visible()
    screenshot(alice, "surveys-demo-report")
    assert accessibility_violations(alice) == []
