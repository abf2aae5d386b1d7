"""Who may open each supervision page (issue 17): the practitioner (Erin), a peer in her reviews
(Gita), her supervisor (Frank), another practitioner (Ivy), a manager (Alice, the council's head
of service, who supervises no one here), a partner (Bob, the health trust's analyst) and anyone
not signed in. Only the supervisor and supervisee see a supervision; the practitioner sees all
her progress, her supervisor the reviews she shared; a refusal says why."""

from datetime import date

import pytest
from django.urls import reverse

from placewise.supervision import actions
from placewise.supervision import urls as supervision_urls
from tests.integration.supervision.test_supervision_factories import (  # noqa: F401 (a fixture)
    GOOD,
    RI,
    _finder_registered,
    council_practice,
    peer_review,
)

pytestmark = pytest.mark.django_db

ANON = "anonymous"
WHO = ("erin", "gita", "frank", "ivy", "alice", "bob", ANON)


def _row(**given: int) -> dict[str, int]:
    """Everyone refused (403) and anonymous sent to sign in (302), but for those given."""
    return {**dict.fromkeys(WHO, 403), ANON: 302, **given}


EXPECTED = {
    # Anyone who takes part in peer reviews has a supervision page (their supervisor, and whom
    # they supervise); a partner's analyst does not.
    "supervision:home": _row(erin=200, gita=200, frank=200, ivy=200, alice=200),
    "supervision:my_progress": _row(erin=200, gita=200, frank=200, ivy=200, alice=200),
    # Recording who supervises whom: those who supervise (team managers, heads of service).
    "supervision:supervisees": _row(frank=200, alice=200),
    # Ending Frank's supervision of Erin: Frank, or the head of service.
    "supervision:end": _row(frank=200, alice=200),
    # A supervision, its new session page and a session: the two people in it, no one else.
    "supervision:supervision": _row(erin=200, frank=200),
    "supervision:new_session": _row(erin=200, frank=200),
    "supervision:session": _row(erin=200, frank=200),
    # Erin's progress and its record: Erin, and Frank (her supervisor: shared reviews).
    "supervision:progress": _row(erin=200, frank=200),
    "supervision:progress_pdf": _row(erin=200, frank=200),
    "supervision:progress_xlsx": _row(erin=200, frank=200),
}
REASONS = {
    "supervision:session": "seen only by the two people in it: Frank Test and Erin Test",
    "supervision:progress": "seen only by them and, for the reviews they share into supervision",
}


@pytest.fixture
def place(people):
    everyone = council_practice(people)
    supervision = actions.start_supervision(
        supervisor=everyone["frank"],
        supervisee=everyone["erin"],
        since=date(2026, 1, 1),
        by=everyone["frank"],
    )
    shared = peer_review(
        everyone,
        held_on=date(2026, 3, 2),
        grades={"gita": RI, "hamid": RI},
        improvements="Analyse before planning",
        shared_on=date(2026, 3, 5),
    )
    peer_review(
        everyone,
        held_on=date(2026, 4, 20),
        grades={"gita": GOOD, "hamid": GOOD},
        improvements="Not yet shared with anyone",
    )
    session = actions.record_session(
        supervision=supervision,
        held_on=date(2026, 3, 12),
        reviews=[shared],
        reflections="What Erin and Frank made of it",
        by=everyone["frank"],
    )
    return {**everyone, "supervision": supervision, "session": session}


def _url(name: str, place) -> str:
    if name in ("supervision:home", "supervision:my_progress", "supervision:supervisees"):
        return reverse(name)
    if name == "supervision:session":
        return reverse(name, kwargs={"pk": place["session"].pk})
    if name.startswith("supervision:progress"):
        return reverse(name, kwargs={"pk": place["erin"].pk})
    return reverse(name, kwargs={"pk": place["supervision"].pk})


def test_every_supervision_page_has_an_expected_status_for_each_person(client, place):
    names = {f"supervision:{p.name}" for p in supervision_urls.urlpatterns}
    assert names == set(EXPECTED), "a supervision page with no expected access"
    wrong = []
    for name, expected in EXPECTED.items():
        url = _url(name, place)
        for who, status in expected.items():
            client.logout()
            if who != ANON:
                client.force_login(place[who])
            got = client.get(url)
            if got.status_code != status:
                wrong.append(f"{name} as {who}: {got.status_code}, expected {status}")
            elif status == 403 and REASONS.get(name, "") not in got.content.decode():
                wrong.append(f"{name} as {who}: refused without the reason")
    assert wrong == [], "\n".join(wrong)


def test_the_supervisor_sees_only_the_shared_review_and_the_practitioner_both(client, place):
    client.force_login(place["frank"])
    page = client.get(reverse("supervision:progress", kwargs={"pk": place["erin"].pk}))
    text = page.content.decode()
    assert "Analyse before planning" in text
    assert "Not yet shared with anyone" not in text
    assert "1 peer review," in text
    client.force_login(place["erin"])
    text = client.get(reverse("supervision:my_progress")).content.decode()
    assert "Analyse before planning" in text and "Not yet shared with anyone" in text
    assert "2 peer reviews," in text


def test_a_manager_is_refused_a_practitioners_progress_and_told_about_themes(client, place):
    client.force_login(place["alice"])
    page = client.get(reverse("supervision:progress", kwargs={"pk": place["erin"].pk}))
    assert page.status_code == 403
    assert "managers see themes across many reviews, with no practitioner named" in (
        page.content.decode()
    )
    for kind in ("pdf", "xlsx"):
        url = reverse(f"supervision:progress_{kind}", kwargs={"pk": place["erin"].pk})
        assert client.get(url).status_code == 403


def test_once_ended_a_supervision_is_the_supervisees_only(client, place):
    actions.end_supervision(
        supervision=place["supervision"], until=date(2026, 6, 30), by=place["frank"]
    )
    url = reverse("supervision:session", kwargs={"pk": place["session"].pk})
    client.force_login(place["frank"])
    page = client.get(url)
    assert page.status_code == 403
    assert "ended on 30 June 2026" in page.content.decode()
    progress = reverse("supervision:progress", kwargs={"pk": place["erin"].pk})
    assert client.get(progress).status_code == 403
    client.force_login(place["erin"])
    assert client.get(url).status_code == 200


def test_a_session_is_refused_to_the_manager_with_the_reason(client, place):
    client.force_login(place["alice"])
    page = client.get(reverse("supervision:session", kwargs={"pk": place["session"].pk}))
    assert page.status_code == 403
    assert "What is said in supervision is theirs" in page.content.decode()
    assert "What Erin and Frank made of it" not in page.content.decode()
