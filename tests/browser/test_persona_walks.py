"""Each demo person (alice, bob, charlie, dana, ada) walks every page in their menu in a real
browser (issue 15, item 6): no page refuses them, and axe finds no serious or critical violation
at 1280 and at 320 CSS pixels. One test per person, the whole walk in it, one browser: the suite
stays lean."""

import pytest
from django.utils import timezone

from placewise.reviews.models import AgendaItem
from placewise.sharing.models import SecondFactor
from placewise.sharing.permissions import Role
from placewise.web.navigation import menu
from tests import factories
from tests.browser.conftest import accessibility_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = (1280, 320)


def _walk(page, live_server, user, extra: tuple[str, ...] = ()) -> dict[str, list[object]]:
    """Every page the person's menu leads to (and `extra` pages), each at both widths: what
    refused them, and what axe found."""
    urls = list(
        dict.fromkeys(
            [u for item in menu(user) for u in (item.url, *(p for _, p in item.pages))]
            + list(extra)
        )
    )
    assert urls
    found: dict[str, list[object]] = {"refused": [], "violations": []}
    for url in urls:
        response = page.goto(f"{live_server.url}{url}")
        if response.status != 200 or page.get_by_test_id("refusal-reason").count():
            found["refused"].append((url, response.status))
        for width in WIDTHS:
            # No screenshot here: full-page captures at 320 px doubled the walk's time, and the
            # pages were looked at when they were built.
            page.set_viewport_size({"width": width, "height": 900})
            if problems := accessibility_violations(page):
                found["violations"].append((url, width, problems))
        page.set_viewport_size({"width": 1280, "height": 900})
    return found


def test_alice_council_head_of_service(page, live_server, shared_place, people):
    sign_in(page, live_server, "alice")
    session = factories.review_session(people["alice"])
    walked = _walk(
        page,
        live_server,
        people["alice"],
        ("/outcomes/indicators/referrals/", f"/learning/reviews/{session.pk}/"),
    )
    assert walked == {"refused": [], "violations": []}


def test_bob_health_analyst_joins_the_councils_session(page, live_server, shared_place, people):
    session = factories.review_session(people["alice"])
    AgendaItem.objects.create(
        session=session, indicator="referrals", team="Place", origin="chair", highlight="-"
    )
    sign_in(page, live_server, "bob")
    walked = _walk(
        page,
        live_server,
        people["bob"],
        ("/outcomes/indicators/referrals/", f"/learning/reviews/{session.pk}/"),
    )
    assert walked == {"refused": [], "violations": []}


def test_charlie_police_practitioner(page, live_server, shared_place, people):
    sign_in(page, live_server, "charlie")
    assert _walk(page, live_server, people["charlie"]) == {"refused": [], "violations": []}


def test_dana_health_data_owner(page, live_server, shared_place, people):
    dana = factories.person("dana", (people["orgs"]["health"], Role.DATA_OWNER))
    SecondFactor.objects.create(
        user=dana, secret="MFRGGZDFMZTWQ2LKMFRGGZDFMZTWQ2LK", confirmed_at=timezone.now()
    )
    sign_in(page, live_server, "dana")
    assert _walk(page, live_server, dana) == {"refused": [], "violations": []}


def test_ada_administrator(page, live_server, shared_place, people):
    ada = factories.person("ada", (people["orgs"]["council"], Role.ADMINISTRATOR))
    SecondFactor.objects.create(
        user=ada, secret="ONSWG4TFOQYWC3DBMRQWIZLSONSWG4TF", confirmed_at=timezone.now()
    )
    sign_in(page, live_server, "ada")
    assert _walk(page, live_server, ada) == {"refused": [], "violations": []}
