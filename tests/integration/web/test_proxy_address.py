"""Sign-in lock-outs behind a reverse proxy (PLACEWISE_TRUSTED_PROXIES): the address a request is
counted under is the client's, read from X-Forwarded-For only when the request came from a
trusted proxy. Without that, one person's failures behind nginx lock everyone out; with the
header believed from anyone, a guesser names a new address for every guess."""

import ipaddress

import pytest
from django.test import Client
from django.urls import reverse

from placewise.sharing.lockout import client_address
from placewise.sharing.models.second_factor import FailedSignIn

pytestmark = pytest.mark.django_db
PROXY = "127.0.0.1"
# Documentation addresses (RFC 5737): two people behind the proxy, and a machine facing the net.
OFFICE, HOME_WORKER, OUTSIDER = "203.0.113.7", "198.51.100.9", "192.0.2.50"


@pytest.fixture
def behind_nginx(settings):
    settings.PLACEWISE_TRUSTED_PROXIES = (
        ipaddress.ip_network("127.0.0.1/32"),
        ipaddress.ip_network("10.1.0.0/16"),
    )


def test_the_header_is_believed_only_from_a_trusted_proxy(settings, behind_nginx):
    via_proxy = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": OFFICE}
    assert client_address(via_proxy) == OFFICE
    # Through two proxies (a load balancer at 10.1.2.3, then nginx): the first untrusted hop
    # from the right. What the client wrote at the left is passed over.
    chain = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"6.6.6.6, {OFFICE}, 10.1.2.3"}
    assert client_address(chain) == OFFICE
    # From anyone else the header is the sender's own claim, and ignored.
    spoofed = {"REMOTE_ADDR": OUTSIDER, "HTTP_X_FORWARDED_FOR": OFFICE}
    assert client_address(spoofed) == OUTSIDER
    # A proxy that sent no header, or garbage where an address should be: the last address
    # a trusted proxy vouched for.
    assert client_address({"REMOTE_ADDR": PROXY}) == PROXY
    assert client_address({"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "unknown"}) == PROXY
    # With no proxies named (the default) the header is never read.
    settings.PLACEWISE_TRUSTED_PROXIES = ()
    assert client_address(via_proxy) == PROXY


def _fail(browser: Client, username: str, times: int) -> None:
    for _ in range(times):
        browser.post(reverse("login"), {"username": username, "password": "wrong-password-x"})


def test_twenty_failures_behind_the_proxy_lock_that_client_only(people, behind_nginx):
    # Five names tried four times each from one office: no name reaches its own limit of five,
    # but twenty failures from one address lock that address (sharing/lockout.py).
    office = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=OFFICE)
    for n in range(5):
        _fail(office, f"nobody{n}", 4)
    assert set(FailedSignIn.objects.values_list("address", flat=True)) == {OFFICE}

    right = {"username": "alice", "password": "correct-horse-battery"}
    page = office.post(reverse("login"), right)
    assert page.status_code == 200
    assert "Too many failed attempts to sign in from this network" in page.content.decode()
    # Someone else reaching the same proxy is not held up by the office's failures.
    elsewhere = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=HOME_WORKER)
    assert elsewhere.post(reverse("login"), right).status_code == 302


def test_a_forwarded_header_from_a_machine_that_is_no_proxy_is_ignored(people, behind_nginx):
    # Each guess claims a new address; all twenty are counted against the sender's own.
    for n in range(20):
        spoofing = Client(REMOTE_ADDR=OUTSIDER, HTTP_X_FORWARDED_FOR=f"203.0.113.{n + 1}")
        _fail(spoofing, f"nobody{n % 5}", 1)
    assert set(FailedSignIn.objects.values_list("address", flat=True)) == {OUTSIDER}
    fresh_claim = Client(REMOTE_ADDR=OUTSIDER, HTTP_X_FORWARDED_FOR=HOME_WORKER)
    page = fresh_claim.post(
        reverse("login"), {"username": "bob", "password": "correct-horse-battery"}
    )
    assert "Too many failed attempts to sign in from this network" in page.content.decode()


def test_wrong_second_factor_codes_behind_the_proxy_count_against_the_client(people, behind_nginx):
    # Alice gets a code wrong from the office, through nginx: the failure is the office's, not
    # the proxy's, so twenty of them would hold up the office and nobody else.
    office = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=OFFICE)
    office.force_login(people["alice"])  # the password, not the second factor
    assert office.post("/second-factor/", {"code": "000000"}).status_code == 200
    assert set(FailedSignIn.objects.values_list("address", flat=True)) == {OFFICE}
