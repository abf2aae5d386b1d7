"""Who may open what of the leadership surveys (issue 18): the authorisation matrix of every
surveys page as the person, their manager, a rater, an administrator, anonymous and another
person; sharing a report opens it to the one person chosen; refusals say why."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from placewise.practice.models import Supervision
from placewise.sharing import actors
from placewise.sharing.models import Organisation
from placewise.sharing.permissions import Role
from placewise.surveys import actions
from placewise.surveys.questionnaires import STATEMENTS
from tests.factories import person

pytestmark = pytest.mark.django_db
COUNCIL = "Northshire Council Children's Services"
RATINGS = {s.key: 3 for s in STATEMENTS}


@pytest.fixture
def rounds(people):
    council = Organisation.objects.get(name=COUNCIL)
    pat = person("pat", (council, Role.PRACTITIONER))
    sam = person("sam", (council, Role.TEAM_MANAGER))
    person("ada2", (council, Role.ADMINISTRATOR))
    Supervision.objects.create(
        organisation=council, supervisor=sam, supervisee=pat, since=date(2025, 1, 1)
    )
    closed = actions.start_round(by=pat, today=date(2026, 3, 1))
    actions.rate_self(round=closed, answers=RATINGS, by=pat)
    for n in range(3):
        invited = actions.invite_rater(round=closed, group="peer", name=f"Peer {n}", by=pat)
        actions.answer_as_rater(
            token=invited.token, answers=RATINGS, comment="kind words", by=actors.rater()
        )
    actions.close_round(round=closed, by=pat, today=date(2026, 3, 31))
    open_round = actions.start_round(by=pat, today=date(2026, 9, 1))
    link = actions.invite_rater(round=open_round, group="partner", name="Pip", by=pat).token
    scan = actions.start_scan(
        organisation=council, team="North", participants=[pat, people["alice"]], by=sam
    )
    return {"closed": closed, "open": open_round, "link": link, "scan": scan}


def pages(r):
    closed, open_ = r["closed"].pk, r["open"].pk
    return {
        "home": reverse("surveys:home"),
        "round": reverse("surveys:round", args=[open_]),
        "self": reverse("surveys:self_assess", args=[open_]),
        "invite": reverse("surveys:invite", args=[open_]),
        "share": reverse("surveys:share", args=[closed]),
        "report": reverse("surveys:report", args=[closed]),
        "pdf": reverse("surveys:report_pdf", args=[closed]),
        "questionnaire": reverse("surveys:questionnaire"),
        "edit": reverse("surveys:questionnaire_edit"),
        "scan_new": reverse("surveys:scan_new"),
        "scan": reverse("surveys:scan", args=[r["scan"].pk]),
        "scan_answer": reverse("surveys:scan_answer", args=[r["scan"].pk]),
    }


MATRIX = {
    #         home round self invite share report pdf  quest edit scan_new scan answer
    "pat": (200, 200, 200, 200, 200, 200, 200, 200, 403, 403, 200, 200),  # the person
    "sam": (200, 403, 403, 403, 403, 403, 403, 200, 403, 200, 200, 200),  # manager; ran the scan
    "ada2": (200, 403, 403, 403, 403, 403, 403, 200, 403, 403, 403, 403),  # administrator
    "charlie": (200, 403, 403, 403, 403, 403, 403, 200, 403, 403, 403, 403),  # another person
    "alice": (200, 403, 403, 403, 403, 403, 403, 200, 200, 200, 200, 200),  # head of service
}


@pytest.mark.parametrize("who", sorted(MATRIX))
def test_the_authorisation_matrix(client, rounds, who):
    client.force_login(get_user_model().objects.get(username=who))
    got = tuple(client.get(url).status_code for url in pages(rounds).values())
    assert got == MATRIX[who], dict(zip(pages(rounds), got, strict=True))


def test_anonymous_and_a_rater_are_sent_to_sign_in(client, rounds):
    for url in pages(rounds).values():
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")
    # A rater holding a good link reaches the answer page, and nothing else.
    opened = client.get(reverse("surveys:rate", args=[rounds["link"]]))
    assert opened["Location"] == reverse("surveys:rate", args=["answer"])
    assert client.get(opened["Location"]).status_code == 200
    for name in ("round", "report", "pdf"):
        assert client.get(pages(rounds)[name]).status_code == 302


def test_refusals_say_why(client, rounds):
    users = get_user_model().objects
    report = pages(rounds)["report"]
    client.force_login(users.get(username="sam"))
    assert "they have not shared this 360 report with you" in client.get(report).content.decode()
    client.force_login(users.get(username="ada2"))
    assert "they do not see people" in client.get(report).content.decode()
    client.force_login(users.get(username="charlie"))
    assert "only the person and those they share" in client.get(report).content.decode()


def test_a_shared_report_opens_to_the_person_chosen_only(client, rounds):
    users = get_user_model().objects
    pat, sam = users.get(username="pat"), users.get(username="sam")
    client.force_login(pat)
    refused = client.post(pages(rounds)["share"], {"username": "nobody"})
    assert refused.status_code == 400
    assert "govuk-error-summary" in refused.content.decode()
    assert "No one in this place has the username" in refused.content.decode()
    assert client.post(pages(rounds)["share"], {"username": "sam"}).status_code == 302
    client.force_login(sam)
    page = client.get(pages(rounds)["report"])
    assert page.status_code == 200 and "kind words" in page.content.decode()
    assert client.get(pages(rounds)["pdf"])["Content-Type"] == "application/pdf"
    # The report only: not the person's round, their raters, or their own note.
    closed_round = reverse("surveys:round", args=[rounds["closed"].pk])
    assert client.get(closed_round)["Location"] == pages(rounds)["report"]
    assert client.get(reverse("surveys:invite", args=[rounds["closed"].pk])).status_code == 403
    client.force_login(users.get(username="charlie"))
    assert client.get(pages(rounds)["report"]).status_code == 403


def test_the_report_waits_for_the_round_to_close(client, rounds):
    client.force_login(get_user_model().objects.get(username="pat"))
    refused = client.get(reverse("surveys:report", args=[rounds["open"].pk]))
    assert refused.status_code == 403
    assert "shows once the round is closed" in refused.content.decode()


def test_an_altered_or_expired_link_refuses_with_the_reason(client, rounds):
    from datetime import timedelta

    from django.utils import timezone

    from placewise.surveys.models import Rater

    altered = client.get(reverse("surveys:rate", args=[rounds["link"][:-3] + "abc"]))
    assert altered.status_code == 410
    assert "has been changed, or cut short" in altered.content.decode()
    Rater.objects.filter(name="Pip").update(expires_at=timezone.now() - timedelta(minutes=1))
    expired = client.get(reverse("surveys:rate", args=[rounds["link"]]))
    assert expired.status_code == 410 and "This link expired on" in expired.content.decode()
    assert client.get(reverse("surveys:rate", args=["answer"])).status_code == 410
