"""The public portal in a real browser (issue 20, items 4 and 5): a figure proposed by Bob is
not on the public site; Alice, a data owner, checks it and signs it off and it appears; every
public page is axe clean, at 1280 and 320 px, with screenshots; withdrawing it takes it down."""

import pytest
from playwright.sync_api import expect

from placewise.public import actions
from tests.browser.conftest import accessibility_violations, screenshot, sign_in
from tests.integration.public.test_public_portal import COUNTS, propose

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC = ["", "figures/", "open-data/", "strategy/", "methodology/", "your-data/"]


def _both_widths(page, name: str) -> None:
    assert accessibility_violations(page) == [], name
    screenshot(page, f"public-{name}")
    page.set_viewport_size({"width": 320, "height": 800})
    assert accessibility_violations(page) == [], f"{name} at 320 px"
    screenshot(page, f"public-{name}-320")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_figure_is_checked_signed_off_and_withdrawn(new_page, live_server, people):
    actions.edit_strategy(
        ambition="Every child in Northshire is safe and does well.",
        vision="Partners use data together, openly.",
        purposes="Keep children safe\nImprove services\nBe open",
        by=people["alice"],
    )
    figure = propose(people["bob"], [3, *COUNTS[1:]], team="North")
    shown = propose(people["bob"])
    public = new_page()
    public.set_viewport_size({"width": 1280, "height": 900})
    public.goto(f"{live_server.url}/public/figures/")
    expect(public.get_by_test_id("no-figures")).to_be_visible()
    assert public.goto(f"{live_server.url}/public/figures/{figure.pk}/").status == 404

    alice = new_page()
    alice.set_viewport_size({"width": 1280, "height": 900})
    sign_in(alice, live_server, "alice")
    alice.goto(f"{live_server.url}/public/manage/")
    assert accessibility_violations(alice) == []
    screenshot(alice, "public-manage")
    alice.get_by_role("link", name="Referrals to children's social care, area team North").click()
    expect(alice.get_by_test_id("withheld")).to_have_count(1)
    expect(alice.get_by_test_id("withheld-note")).to_contain_text("fewer than 10 children")
    _both_widths(alice, "check")
    alice.get_by_role("button", name="Sign off and publish").click()
    expect(alice.get_by_role("heading", level=1)).to_have_text(
        "Referrals to children's social care"
    )
    actions.sign_off(figure=shown, by=people["alice"])

    public.goto(f"{live_server.url}/public/figures/")
    expect(public.get_by_test_id("published-figure")).to_have_count(2)
    for path in PUBLIC:
        public.goto(f"{live_server.url}/public/{path}")
        _both_widths(public, path.strip("/") or "register")
    for pk, name in [(figure.pk, "figure-withheld"), (shown.pk, "figure")]:
        public.goto(f"{live_server.url}/public/figures/{pk}/")
        _both_widths(public, name)

    # Withdrawn through its page, with a reason: the page and its downloads go.
    alice.goto(f"{live_server.url}/public/manage/{figure.pk}/")
    alice.get_by_role("button", name="Withdraw").click()
    expect(alice.locator(".govuk-error-summary")).to_contain_text("Enter why it is withdrawn")
    assert accessibility_violations(alice) == []
    alice.fill("#id_reason", "The North team's boundary changed.")
    alice.get_by_role("button", name="Withdraw").click()
    assert public.goto(f"{live_server.url}/public/figures/{figure.pk}/").status == 404
    assert public.request.get(f"{live_server.url}/public/figures/{figure.pk}.csv").status == 404
    public.goto(f"{live_server.url}/public/figures/")
    expect(public.get_by_test_id("published-figure")).to_have_count(1)
