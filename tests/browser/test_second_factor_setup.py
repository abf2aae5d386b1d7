import pyotp
import pytest
from playwright.sync_api import expect

from placewise.sharing.models import SecondFactor
from tests.browser.conftest import accessibility_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_analyst_sets_up_an_authenticator_at_first_sign_in(page, live_server, people):
    SecondFactor.objects.filter(user=people["bob"]).delete()
    page.goto(f"{live_server.url}/data/")
    page.fill("#id_username", "bob")
    page.fill("#id_password", "correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/second-factor/setup/" in url)
    screenshot(page, "second-factor-setup")
    assert accessibility_violations(page) == []
    key = page.get_by_test_id("totp-key").inner_text().replace(" ", "")
    page.fill("#code", pyotp.TOTP(key).now())
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(lambda url: url.endswith("/data/"))
    expect(page.get_by_role("heading", name="Data", exact=True)).to_be_visible()
