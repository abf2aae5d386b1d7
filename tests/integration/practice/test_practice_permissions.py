"""Who sees what of a peer review (issue 17, item 3): the authorisation matrix of every practice
page as practitioner (presenting), peer, supervisor, manager, partner and anonymous, and what
each is shown: feedback is the practitioner's; a peer sees what they gave; the supervisor sees it
once shared; a manager sees themes only, never a practitioner named."""

from datetime import date

import pytest
from django.urls import reverse

from placewise.practice import actions
from placewise.practice.models import PeerReview, Supervision
from placewise.sharing.models import Organisation
from placewise.sharing.permissions import Role
from tests.factories import person
from tests.integration.practice.test_practice_reviews import held_cases

pytestmark = pytest.mark.django_db

QUINN_SAYS, RAE_SAYS = "Quinn: the chronology is clear.", "Rae: the plan is specific."


@pytest.fixture
def review(people, council_loaded):
    council = Organisation.objects.get(name="Northshire Council Children's Services")
    pat = person("pat", (council, Role.PRACTITIONER))
    quinn = person("quinn", (council, Role.PRACTITIONER))
    rae = person("rae", (council, Role.PRACTITIONER))
    fay = person("fay", (council, Role.TEAM_MANAGER))
    sam = person("sam", (council, Role.TEAM_MANAGER))
    person("mia", (council, Role.HEAD_OF_SERVICE))
    for who, team in (
        (pat, "North"),
        (quinn, "South"),
        (rae, "East"),
        (fay, "Central"),
        (sam, "North"),
    ):
        actions.place_in_team(person=who, organisation=council, team=team, by=people["alice"])
    Supervision.objects.create(
        organisation=council, supervisor=sam, supervisee=pat, since=date(2025, 1, 1)
    )
    found = actions.set_up_review(
        organisation=council,
        held_on=date(2026, 3, 10),
        method=PeerReview.Method.REFLECTIVE,
        facilitator=fay,
        presenter=pat,
        peers=[quinn, rae],
        by=fay,
    )
    north = next(c for c, t in held_cases(council_loaded).items() if t == "North")
    actions.choose_case(review=found, source="council_csc", reference=north, by=pat)
    for peer, says in ((quinn, QUINN_SAYS), (rae, RAE_SAYS)):
        actions.give_feedback(
            review=found,
            gradings=[
                actions.Grading(criterion=c, grade="Good", strengths=says, improvements="")
                for c in found.framework.criteria.all()
            ],
            by=peer,
        )
    actions.agree_summary(
        review=found,
        summary="The group agreed: a strong plan.",
        points=[],
        on=date(2026, 3, 10),
        by=fay,
    )
    return found


def pages(review):
    pk = review.pk
    return {
        "review": reverse("practice:review", args=[pk]),
        "case": reverse("practice:case", args=[pk]),
        "feedback": reverse("practice:feedback", args=[pk]),
        "agree": reverse("practice:agree", args=[pk]),
        "pdf": reverse("practice:export", args=[pk, "pdf"]),
        "xlsx": reverse("practice:export", args=[pk, "xlsx"]),
        "themes": reverse("practice:themes"),
        "home": reverse("practice:home"),
        "framework": reverse("practice:framework"),
    }


MATRIX = {
    #            review case feedback agree pdf  xlsx themes home framework
    "pat": (200, 200, 403, 403, 200, 200, 403, 200, 200),
    "quinn": (200, 200, 200, 403, 200, 200, 403, 200, 200),
    "sam": (403, 403, 403, 403, 403, 403, 200, 200, 200),  # before sharing
    "mia": (403, 403, 403, 403, 403, 403, 200, 200, 200),
    "bob": (403, 403, 403, 403, 403, 403, 403, 403, 403),
    # A police practitioner takes part in peer reviews, of their own organisation's only.
    "charlie": (403, 403, 403, 403, 403, 403, 403, 200, 200),
}


@pytest.mark.parametrize("who", sorted(MATRIX))
def test_the_authorisation_matrix(client, people, review, who):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username=who))
    got = tuple(client.get(url).status_code for url in pages(review).values())
    assert got == MATRIX[who], dict(zip(pages(review), got, strict=True))


def test_anonymous_is_sent_to_sign_in_everywhere(client, review):
    for url in pages(review).values():
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_the_presenter_sees_all_feedback_and_a_peer_only_their_own(client, review):
    client.force_login(review.presenter)
    page = client.get(reverse("practice:review", args=[review.pk])).content.decode()
    assert QUINN_SAYS in page and RAE_SAYS in page
    client.force_login(review.peers.get(team="South").person)
    page = client.get(reverse("practice:review", args=[review.pk])).content.decode()
    assert QUINN_SAYS in page and RAE_SAYS not in page
    assert "The group agreed: a strong plan." in page
    # The peer's download holds what their page does, no more.
    pdf = client.get(reverse("practice:export", args=[review.pk, "xlsx"]))
    assert pdf.status_code == 200


def test_the_supervisor_sees_it_once_the_practitioner_shares_it(client, review):
    from django.contrib.auth import get_user_model

    sam = get_user_model().objects.get(username="sam")
    client.force_login(sam)
    refused = client.get(reverse("practice:review", args=[review.pk]))
    assert refused.status_code == 403
    assert "they have not shared this review into supervision" in refused.content.decode()
    actions.share_into_supervision(review=review, by=review.presenter, on=date(2026, 3, 12))
    page = client.get(reverse("practice:review", args=[review.pk])).content.decode()
    assert QUINN_SAYS in page and RAE_SAYS in page and "12 March 2026" in page
    # Not the case: that is the review group's.
    assert client.get(reverse("practice:case", args=[review.pk])).status_code == 403
    listed = client.get(reverse("practice:home")).content.decode()
    assert reverse("practice:review", args=[review.pk]) in listed


def test_a_past_supervisor_sees_nothing(client, review):
    Supervision.objects.filter(supervisee=review.presenter).update(until=date(2025, 12, 31))
    actions.share_into_supervision(review=review, by=review.presenter)
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="sam"))
    assert client.get(reverse("practice:review", args=[review.pk])).status_code == 403


def test_a_manager_is_told_why_and_no_manager_view_names_a_practitioner(client, review):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="mia"))
    refused = client.get(reverse("practice:review", args=[review.pk])).content.decode()
    assert "Managers and leaders see themes across peer reviews" in refused
    themes = client.get(reverse("practice:themes")).content.decode()
    home = client.get(reverse("practice:home")).content.decode()
    for name in ("Pat Test", "Quinn Test", "Rae Test", "Fay Test"):
        assert name not in themes and name not in home
    assert "not yet 5 peer reviews" in themes


def test_the_exports_hold_what_the_page_does_and_run_no_formula(client, review):
    import io

    import openpyxl

    from placewise.practice.models import Feedback

    peer = review.peers.get(team="South").person
    formula = '=HYPERLINK("http://example.invalid","x")'
    Feedback.objects.filter(review=review, peer=peer).update(improvements=formula)
    client.force_login(peer)
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("practice:export", args=[review.pk, "xlsx"])).content)
    )
    rows = list(book["Feedback"].iter_rows(min_row=2, values_only=True))
    assert {r[3] for r in rows} == {QUINN_SAYS}
    assert {r[4] for r in rows} == {"'" + formula}  # text, not a formula
    client.force_login(review.presenter)
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("practice:export", args=[review.pk, "xlsx"])).content)
    )
    said = {row[3] for row in book["Feedback"].iter_rows(min_row=2, values_only=True)}
    assert said == {QUINN_SAYS, RAE_SAYS}
    pdf = client.get(reverse("practice:export", args=[review.pk, "pdf"]))
    assert pdf.content.startswith(b"%PDF") and pdf["Content-Type"] == "application/pdf"
