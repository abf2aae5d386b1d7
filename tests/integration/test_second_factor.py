"""TOTP second factor, through the real pages: required for data owners and analysts."""

import time

import pyotp
import pytest
from django.test import Client
from django.urls import reverse

from placewise.sharing.models import AuditEntry, SecondFactor
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
