import pytest

from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pages_run_under_the_real_content_security_policy(browser, live_server, people):
    context = browser.new_context()
    try:
        page = context.new_page()
        messages = []
        page.on("console", lambda message: messages.append(message.text))
        sign_in(page, live_server, "alice")
        for path in ("/", "/data/", "/data/upload/", "/public/"):
            page.goto(f"{live_server.url}{path}")
            # GOV.UK Frontend ran: it marks the body once its script has loaded.
            assert "govuk-frontend-supported" in (page.get_attribute("body", "class") or "")
        assert not [m for m in messages if "Content Security Policy" in m]
    finally:
        context.close()
