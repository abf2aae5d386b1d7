"""The 360 pages as a person and a rater use them (issue 18, item 2): forms refuse bad input
with a GOV.UK error summary; a rater answers through their link once, with no account; the
report page and its PDF show what the group plan allows."""

import pytest
from django.urls import reverse

from placewise.sharing import actors
from placewise.surveys import actions
from placewise.surveys.models import Response, Round
from placewise.surveys.questionnaires import STATEMENTS

pytestmark = pytest.mark.django_db


def all_rated(value: str = "3") -> dict[str, str]:
    return {f"q_{s.key}": value for s in STATEMENTS}


@pytest.fixture
def started(client, people):
    client.force_login(people["alice"])
    response = client.post(reverse("surveys:start"))
    return Round.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def test_rating_oneself_refuses_missing_and_all_not_seen(client, started):
    url = reverse("surveys:self_assess", args=[started.pk])
    missing = client.post(url, {"comment": "x"})
    body = missing.content.decode()
    assert missing.status_code == 400 and "govuk-error-summary" in body
    assert "Rate “Explains the values behind their decisions.”, or choose “Not seen”." in body
    not_seen = all_rated()
    for s in STATEMENTS:
        if s.dimension == "relating":
            not_seen[f"q_{s.key}"] = "0"
    refused = client.post(url, not_seen)
    assert refused.status_code == 400
    assert "Ways of relating: rate at least one statement" in refused.content.decode()
    assert client.post(url, all_rated("4")).status_code == 302
    started.refresh_from_db()
    assert started.self_answered_at is not None


def test_inviting_refuses_bad_input(client, started):
    url = reverse("surveys:invite", args=[started.pk])
    refused = client.post(url, {"group": "boss", "name": "", "days": "90"})
    body = refused.content.decode()
    assert refused.status_code == 400 and "govuk-error-summary" in body
    assert "Give the rater&#x27;s name." in body
    assert "A link works for at most 60 days." in body
    assert "Select a valid choice" in body or "Choose which group" in body


def test_a_rater_answers_once_through_their_link_with_no_account(client, people, started):
    made = client.post(
        reverse("surveys:invite", args=[started.pk]),
        {
            "group": "partner",
            "name": "Pip Partner",
            "organisation_name": "Northshire Police",
            "days": "21",
        },
    )
    assert made.status_code == 200
    link = made.context["link"]
    token = link.rstrip("/").split("/")[-1]
    client.logout()
    opened = client.get(reverse("surveys:rate", args=[token]))
    assert opened["Location"] == reverse("surveys:rate", args=["answer"])
    form = client.get(opened["Location"])
    assert "Feedback for Alice Adeyemi" in form.content.decode()
    refused = client.post(opened["Location"], {"comment": "x"})
    assert refused.status_code == 400 and "govuk-error-summary" in refused.content.decode()
    done = client.post(opened["Location"], {**all_rated("5"), "comment": "Great partner"})
    assert done.status_code == 200 and "Thank you" in done.content.decode()
    [answer] = Response.objects.filter(round=started)
    assert answer.group == "partner" and answer.comment == "Great partner"
    again = client.get(reverse("surveys:rate", args=[token]))
    assert again.status_code == 410
    assert "Feedback was given through this link on" in again.content.decode()


def test_the_report_page_and_pdf_show_only_what_the_plan_allows(client, people, started):
    alice = people["alice"]
    actions.rate_self(round=started, answers={s.key: 4 for s in STATEMENTS}, by=alice)
    for n in range(3):
        invited = actions.invite_rater(round=started, group="peer", name=f"P{n}", by=alice)
        actions.answer_as_rater(
            token=invited.token,
            answers={s.key: 2 for s in STATEMENTS},
            comment=f"peer {n} says",
            by=actors.rater(),
        )
    lonely = actions.invite_rater(round=started, group="manager", name="M", by=alice)
    actions.answer_as_rater(
        token=lonely.token,
        answers={s.key: 5 for s in STATEMENTS},
        comment="manager says",
        by=actors.rater(),
    )
    close = client.post(reverse("surveys:close", args=[started.pk]))
    assert close["Location"] == reverse("surveys:report", args=[started.pk])
    page = client.get(close["Location"]).content.decode()
    # Peers 3 shown; the manager alone would be "others" of 1: peers join → only all raters 4.
    assert 'data-testid="line-all"' in page and 'data-testid="line-peer"' not in page
    assert "All raters (4)" in page
    # (2 + 2 + 2 + 5) / 4 = 2.75, shown to one decimal: 2.8; self 4.0; the gap 1.25.
    assert "2.8" in page and "You rate yourself 1.2 higher than your raters do." in page
    assert "manager says" not in page and "peer 0 says" not in page
    assert "are not shown word for word" in page
    pdf = client.get(reverse("surveys:report_pdf", args=[started.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_the_report_names_each_comments_group_and_its_scores_stack_on_a_phone(
    client, people, started
):
    alice = people["alice"]
    actions.rate_self(round=started, answers={s.key: 4 for s in STATEMENTS}, by=alice)
    for n in range(3):
        invited = actions.invite_rater(round=started, group="peer", name=f"P{n}", by=alice)
        actions.answer_as_rater(
            token=invited.token,
            answers={s.key: 2 for s in STATEMENTS},
            comment=f"peer {n} says",
            by=actors.rater(),
        )
    client.post(reverse("surveys:close", args=[started.pk]))
    page = client.get(reverse("surveys:report", args=[started.pk])).content.decode()
    # Three peers answered: their comments show, each after its group's name and a colon (the
    # name ran into the comment before: "Peerspeer 0 says").
    assert "<strong>Peers:</strong> peer 0 says" in page
    # Each score says which column it is when the table stacks at narrow widths.
    assert 'class="govuk-table pw-table--stack" data-testid="scores"' in page
    assert 'data-label="You">4.0<' in page and 'data-label="Peers (3)">2.0<' in page
    assert 'class="govuk-table pw-table--stack" data-testid="changes"' not in page  # first round


def test_editing_the_questionnaire_refuses_an_empty_dimension(client, people):
    client.force_login(people["alice"])
    url = reverse("surveys:questionnaire_edit")
    page = client.get(url)
    assert page.status_code == 200
    data = {
        f"d_{d}": "A statement" for d in ("feeling", "perceiving", "thinking", "relating", "being")
    }
    refused = client.post(url, {**data, "d_doing": "", "what_changed": ""})
    body = refused.content.decode()
    assert refused.status_code == 400 and "govuk-error-summary" in body
    assert "Ways of doing needs at least one statement." in body
    assert "Say what changed in this version." in body
    saved = client.post(url, {**data, "d_doing": "Tells the story", "what_changed": "Shorter"})
    assert saved.status_code == 302
    assert "Version 2" in client.get(reverse("surveys:questionnaire")).content.decode()
