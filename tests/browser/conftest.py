"""Playwright with Debian's Chromium (never a downloaded browser), and axe-core from npm."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Error

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make around
# it are ordinary synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = Path(__file__).resolve().parents[2] / "test-results"


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail("Debian's Chromium is missing at /usr/bin/chromium: run `make setup`")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    # axe-core is injected as a script, which the Content Security Policy would rightly block;
    # test_csp.py checks the real policy separately.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)  # type: ignore[attr-defined]
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def new_page(browser: object) -> Iterator[object]:
    """Pages in separate browser contexts (separate people), all closed after the test so no
    keep-alive connection outlives the live server's database."""
    contexts = []

    def make() -> object:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)  # type: ignore[attr-defined]
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def sign_in(page: object, live_server: object, username: str) -> None:
    page.goto(f"{live_server.url}/login/")  # type: ignore[attr-defined]
    page.fill("#id_username", username)  # type: ignore[attr-defined]
    page.fill("#id_password", "correct-horse-battery")  # type: ignore[attr-defined]
    page.get_by_role("button", name="Sign in").click()  # type: ignore[attr-defined]
    page.wait_for_url(lambda url: "/login/" not in url)  # type: ignore[attr-defined]
    if "/second-factor/" in page.url:  # type: ignore[attr-defined]
        page.fill("#code", authenticator_code(username))  # type: ignore[attr-defined]
        page.get_by_role("button", name="Continue").click()  # type: ignore[attr-defined]
        page.wait_for_url(lambda url: "/second-factor/" not in url)  # type: ignore[attr-defined]


def authenticator_code(username: str) -> str:
    """What the person's authenticator app shows: the next code not yet used (codes are single-use,
    and a test may sign the same person in twice within 30 seconds)."""
    import time

    import pyotp

    from placewise.sharing.models import SecondFactor

    factor = SecondFactor.objects.get(user__username=username)
    totp = pyotp.TOTP(factor.secret)
    step = max(int(time.time()) // totp.interval, factor.last_used_step + 1)
    return totp.at(step * totp.interval)


def accessibility_violations(page: object) -> list[dict[str, object]]:
    """Serious or critical axe-core violations on the current page."""
    assert AXE.exists(), "axe-core is missing from node_modules: run `make setup`"
    page.add_script_tag(path=str(AXE))  # type: ignore[attr-defined]
    result = page.evaluate("async () => await axe.run()")  # type: ignore[attr-defined]
    return [
        {"id": v["id"], "nodes": [n["html"][:160] for n in v["nodes"][:5]]}
        for v in result["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def screenshot(page: object, name: str) -> None:
    """A full-page capture for people to look at (not an assertion). Headless Chromium now and
    then answers "Unable to capture screenshot" for a page of a test that has two open (1 run in
    about 20 of the suite, in test_guide.py): the page is brought to the front and captured again."""
    SHOTS.mkdir(exist_ok=True)
    for attempt in range(3):
        try:
            page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]
            return
        except Error as refused:
            if "Unable to capture screenshot" not in str(refused) or attempt == 2:
                raise
            page.bring_to_front()  # type: ignore[attr-defined]
            page.wait_for_timeout(250)  # type: ignore[attr-defined]
