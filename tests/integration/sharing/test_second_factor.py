"""TOTP second factor, through the real pages: required for data owners and analysts."""

import importlib
import os
import subprocess
import sys
import time
from datetime import datetime, timedelta

import pyotp
import pytest
from django.conf import settings as settings_module
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import F
from django.test import Client
from django.urls import clear_url_caches, reverse
from django.utils import timezone

from placewise.sharing import second_factor
from placewise.sharing.models import AuditEntry, SecondFactor
from placewise.sharing.models.second_factor import FailedSignIn
from tests.conftest import AUTHENTICATOR_KEYS

pytestmark = pytest.mark.django_db


def password_only(username: str) -> Client:
    browser = Client()
    response = browser.post(
        reverse("login"), {"username": username, "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    return browser


def code_for(secret: str, steps_ahead: int = 0) -> str:
    totp = pyotp.TOTP(secret)
    return totp.at((int(time.time()) // totp.interval + steps_ahead) * totp.interval)


def test_a_password_alone_does_not_open_the_app_to_a_data_owner(people):
    alice = password_only("alice")
    response = alice.get(reverse("data:home"))
    assert response.status_code == 302 and response["Location"].startswith("/second-factor/")
    assert alice.post("/second-factor/", {"code": "000000", "next": "/data/"}).status_code == 200
    assert alice.get(reverse("data:home")).status_code == 302
    response = alice.post(
        "/second-factor/", {"code": code_for(AUTHENTICATOR_KEYS["alice"]), "next": "/data/"}
    )
    assert response.status_code == 302 and response["Location"] == "/data/"
    assert alice.get(reverse("data:home")).status_code == 200
    checks = list(
        AuditEntry.objects.filter(action="second_factor.check").values_list("allowed", flat=True)
    )
    assert checks == [False, True]


def test_what_anyone_may_read_is_not_behind_the_second_factor_but_the_services_pages_are(
    people,
):
    alice = password_only("alice")  # a data owner who has not yet entered her code
    for open_to_anyone in ("/public/", "/guide/", "/api/v1/", "/community/you-said-we-did/"):
        assert alice.get(open_to_anyone).status_code == 200, open_to_anyone
    for gated in ("/guide/service/", "/public/manage/", "/community/", "/data/"):
        response = alice.get(gated)
        assert response.status_code == 302, gated
        assert response["Location"].startswith("/second-factor/"), gated


def test_a_code_works_once_only(people):
    code = code_for(AUTHENTICATOR_KEYS["bob"])
    first, second = password_only("bob"), password_only("bob")
    assert first.post("/second-factor/", {"code": code}).status_code == 302
    assert second.post("/second-factor/", {"code": code}).status_code == 200  # refused


def test_an_analyst_without_an_authenticator_must_set_one_up(people):
    SecondFactor.objects.filter(user=people["bob"]).delete()
    bob = password_only("bob")
    response = bob.get(reverse("data:home"))
    assert response["Location"].startswith("/second-factor/setup/")
    page = bob.get("/second-factor/setup/")
    assert "Set up an authenticator" in page.content.decode()
    secret = SecondFactor.objects.get(user=people["bob"]).secret
    assert secret.replace(" ", "")[:4] in page.content.decode()
    assert bob.post("/second-factor/setup/", {"code": code_for(secret)}).status_code == 302
    assert SecondFactor.objects.get(user=people["bob"]).confirmed_at is not None
    assert bob.get(reverse("data:home")).status_code == 200


def test_charlies_role_needs_no_second_factor(people):
    charlie = password_only("charlie")
    assert charlie.get(reverse("home")).status_code == 200


def test_the_next_page_cannot_point_off_site(people):
    alice = password_only("alice")
    response = alice.post(
        "/second-factor/",
        {"code": code_for(AUTHENTICATOR_KEYS["alice"]), "next": "https://elsewhere.example/"},
    )
    assert response["Location"] == "/"


# --- Lockout: wrong codes and passwords are counted in the database, not in one worker's memory.

HERE, ELSEWHERE = "192.0.2.10", "198.51.100.7"  # documentation addresses (RFC 5737)


def wrong_code(secret: str) -> str:
    """A six-digit code that is not right for any step near now."""
    near = {code_for(secret, steps) for steps in range(-2, 3)}
    return next(f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in near)


def quarter_hour_after(moment: datetime) -> str:
    """The local time, rounded up to the minute, 15 minutes after the moment: what a person
    locked out at that moment is told to wait for."""
    until = timezone.localtime(moment + timedelta(minutes=15))
    if until.second or until.microsecond:
        until = until.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return until.strftime("%H:%M")


def second_factor_checks() -> list[tuple[bool | None, str, str]]:
    entries = AuditEntry.objects.filter(action="second_factor.check").order_by("seq")
    return [(e.allowed, e.target, e.detail.get("address", "")) for e in entries]


def test_five_wrong_codes_lock_the_person_out_and_then_even_the_right_code_is_refused(people):
    secret = AUTHENTICATOR_KEYS["alice"]
    guesser = password_only("alice")
    before = timezone.now()
    for _ in range(5):
        response = guesser.post("/second-factor/", {"code": wrong_code(secret)})
        assert "The code is not right" in response.content.decode()
    after = timezone.now()
    # Another worker, or the server restarted: nothing held in memory or in a session survives.
    cache.clear()
    alice = password_only("alice")
    response = alice.post("/second-factor/", {"code": code_for(secret), "next": "/data/"})
    assert response.status_code == 200  # the form again, not a redirect into the app
    page = response.content.decode()
    assert "Too many wrong codes" in page and "administrator" in page
    assert f"until {quarter_hour_after(before)}" in page or (
        f"until {quarter_hour_after(after)}" in page
    )
    assert second_factor.SESSION_KEY not in alice.session
    assert alice.get(reverse("data:home")).status_code == 302
    checks = second_factor_checks()
    assert checks == [(False, "alice", "127.0.0.1")] * 6
    assert "locked" in AuditEntry.objects.filter(action="second_factor.check").last().reason
    # Alice's lock is hers: Bob, at the same address, still gets in.
    bob = password_only("bob")
    assert (
        bob.post("/second-factor/", {"code": code_for(AUTHENTICATOR_KEYS["bob"])}).status_code
        == 302
    )


def test_the_lock_lifts_once_the_failures_are_15_minutes_old(people):
    secret = AUTHENTICATOR_KEYS["bob"]
    bob = password_only("bob")
    for _ in range(5):
        bob.post("/second-factor/", {"code": wrong_code(secret)})
    assert bob.post("/second-factor/", {"code": code_for(secret)}).status_code == 200
    FailedSignIn.objects.update(at=F("at") - timedelta(minutes=15, seconds=1))
    response = bob.post("/second-factor/", {"code": code_for(secret), "next": "/data/"})
    assert response.status_code == 302 and response["Location"] == "/data/"
    assert [allowed for allowed, _, _ in second_factor_checks()] == [False] * 6 + [True]


def test_twenty_wrong_codes_from_one_address_lock_that_address_only(people):
    # Five colleagues behind one office address each get four codes wrong: none of them is
    # locked as a person (that takes five), but twenty from one address is too many.
    for n in range(5):
        colleague = get_user_model().objects.create_user(username=f"analyst{n}")
        SecondFactor.objects.create(
            user=colleague, secret=pyotp.random_base32(), confirmed_at=timezone.now()
        )
        browser = Client(REMOTE_ADDR=HERE)
        browser.force_login(colleague)
        for _ in range(4):
            browser.post("/second-factor/", {"code": "000000"})
    secret = AUTHENTICATOR_KEYS["alice"]
    in_office = Client(REMOTE_ADDR=HERE)
    in_office.force_login(people["alice"])
    page = in_office.post("/second-factor/", {"code": code_for(secret)}).content.decode()
    assert "Too many wrong codes have been entered from this network" in page
    assert second_factor.SESSION_KEY not in in_office.session
    at_home = Client(REMOTE_ADDR=ELSEWHERE)
    at_home.force_login(people["alice"])
    assert at_home.post("/second-factor/", {"code": code_for(secret)}).status_code == 302
    checks = second_factor_checks()
    assert len(checks) == 22
    assert checks[20] == (False, "alice", HERE) and checks[21] == (True, "alice", ELSEWHERE)


def test_five_wrong_passwords_lock_the_username_in_every_worker(people):
    browser = Client()
    before = timezone.now()
    for _ in range(5):
        browser.post(reverse("login"), {"username": "alice", "password": "wrong-password-x"})
    after = timezone.now()
    cache.clear()  # another worker, or a restart
    browser = Client()
    response = browser.post(
        reverse("login"), {"username": "Alice", "password": "correct-horse-battery"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Too many failed attempts to sign in with this username" in page
    assert f"after {quarter_hour_after(before)}" in page or (
        f"after {quarter_hour_after(after)}" in page
    )
    assert "_auth_user_id" not in browser.session
    # Bob's username is not locked.
    assert password_only("bob").session["_auth_user_id"] == str(people["bob"].pk)


# --- The Django admin: not served unless configured, and then only after the second factor.


def _reload_urls() -> None:
    importlib.reload(importlib.import_module(settings_module.ROOT_URLCONF))
    clear_url_caches()


@pytest.fixture
def admin_mounted(settings):
    """The URLs as a server started with PLACEWISE_ADMIN_ENABLED=1 has them."""
    original = settings.PLACEWISE_ADMIN_ENABLED
    settings.PLACEWISE_ADMIN_ENABLED = True
    _reload_urls()
    yield
    settings.PLACEWISE_ADMIN_ENABLED = original
    _reload_urls()


def test_the_admin_is_not_served_unless_configured(tmp_path):
    env = {**os.environ, "PLACEWISE_HOME": str(tmp_path)}
    for name in ("PLACEWISE_ADMIN_ENABLED", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(name, None)
    script = (
        "import django; django.setup(); from django.test import Client; "
        "print(Client().get('/admin/').status_code, Client().get('/admin/login/').status_code)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={**env, "DJANGO_SETTINGS_MODULE": "placewise.config.settings"},
        check=False,
        timeout=120,
    )
    assert result.stdout.split() == ["404", "404"], result.stdout + result.stderr


def test_the_admin_needs_staff_who_have_passed_the_second_factor(admin_mounted, people, client):
    for name in ("alice", "charlie"):
        people[name].is_staff = True
        people[name].save()
    # Alice has an authenticator: with her password alone she is sent to enter a code.
    alice = Client()
    alice.force_login(people["alice"])
    response = alice.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/second-factor/")
    # Charlie has none: the admin sends him to the second factor too (and so to set one up).
    charlie = Client()
    charlie.force_login(people["charlie"])
    response = charlie.get("/admin/", follow=True)
    assert "Site administration" not in response.content.decode()
    assert response.redirect_chain[-1][0] == "/second-factor/setup/?next=%2Fadmin%2F"
    assert "Set up an authenticator" in response.content.decode()
    # With the second factor passed, staff get in.
    client.force_login(people["alice"])
    response = client.get("/admin/")
    assert response.status_code == 200 and "Site administration" in response.content.decode()


def test_the_admin_refuses_people_who_are_not_staff_and_has_no_password_form(
    admin_mounted, people, client
):
    client.force_login(people["bob"])  # second factor passed, but not staff
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert "only for placewise staff" in response.content.decode()
    # The admin's own sign-in form would be an unthrottled way to guess passwords.
    people["alice"].is_staff = True
    people["alice"].save()
    stranger = Client()
    response = stranger.post(
        "/admin/login/?next=/admin/",
        {"username": "alice", "password": "correct-horse-battery", "next": "/admin/"},
    )
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert "_auth_user_id" not in stranger.session
