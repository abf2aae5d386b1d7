"""Peer reviews (issue 17): setting one up, the case, feedback, what the group agreed, sharing
into supervision; forms refuse incomplete input with GOV.UK error summaries."""

from datetime import date
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse
from django.utils.html import escape

from placewise.practice import actions
from placewise.practice.models import CaseAccess, Feedback, PeerReview, Supervision
from placewise.reviews import actions as follow_up
from placewise.reviews.models import Action
from placewise.sharing.access import AccessDenied
from placewise.sharing.models import AuditEntry, Organisation
from placewise.sharing.permissions import Role
from tests.factories import person

pytestmark = pytest.mark.django_db


def held_cases(place: Path) -> dict[str, str]:
    """Children whose every Annex A row names one and the same Allocated Team, with that team
    (read from the file, not from our code)."""
    book = openpyxl.load_workbook(place / "council" / "annex_a.xlsx", read_only=True)
    teams: dict[str, set[str]] = {}
    for sheet in book.worksheets:
        rows = sheet.iter_rows(values_only=True)
        header = [str(h or "") for h in next(rows, ())]
        if "Allocated Team" not in header or "Child Unique ID" not in header:
            continue
        child, team = header.index("Child Unique ID"), header.index("Allocated Team")
        for row in rows:
            if row[child]:
                teams.setdefault(str(row[child]), set()).add(str(row[team] or ""))
    return {c: next(iter(t)) for c, t in sorted(teams.items()) if len(t) == 1 and "" not in t}


@pytest.fixture
def council(people):
    return Organisation.objects.get(name="Northshire Council Children's Services")


@pytest.fixture
def group(people, council):
    """Pat presents (team North), Quinn and Rae are peers (South, East), Fay facilitates
    (Central), Sam supervises Pat; Alice (head of service) places them in their teams."""
    made = {
        name: person(name, (council, Role.PRACTITIONER)) for name in ("pat", "quinn", "rae", "una")
    }
    made["fay"] = person("fay", (council, Role.TEAM_MANAGER))
    made["sam"] = person("sam", (council, Role.TEAM_MANAGER))
    made["alice"] = people["alice"]
    for name, team in {
        "pat": "North",
        "una": "North",
        "quinn": "South",
        "rae": "East",
        "fay": "Central",
        "sam": "North",
    }.items():
        actions.place_in_team(
            person=made[name], organisation=council, team=team, by=people["alice"]
        )
    Supervision.objects.create(
        organisation=council, supervisor=made["sam"], supervisee=made["pat"], since=date(2025, 1, 1)
    )
    return made


def set_up(group, council, **changes):
    fields = {
        "organisation": council,
        "held_on": date(2026, 3, 10),
        "method": PeerReview.Method.CASE_FILE,
        "facilitator": group["fay"],
        "presenter": group["pat"],
        "peers": [group["quinn"], group["rae"]],
        "by": group["fay"],
    } | changes
    return actions.set_up_review(**fields)


def feedback_for(review, grade="Good", strengths="Clear chronology."):
    return [
        actions.Grading(
            criterion=c, grade=grade, strengths=strengths, improvements="Voice of the child."
        )
        for c in review.framework.criteria.all()
    ]


def test_a_practitioner_cannot_review_their_own_case(group, council):
    with pytest.raises(actions.PracticeError, match="cannot review their own case"):
        set_up(group, council, peers=[group["quinn"], group["pat"]])
    assert not PeerReview.objects.exists()


def test_a_peer_from_the_presenters_own_team_is_refused(group, council):
    with pytest.raises(
        actions.PracticeError, match="Una Test works in North, the presenter's own team"
    ):
        set_up(group, council, peers=[group["una"]])


def test_the_facilitator_cannot_present(group, council):
    with pytest.raises(actions.PracticeError, match="facilitator cannot be the practitioner"):
        set_up(group, council, facilitator=group["pat"])


def test_the_facilitator_is_not_also_a_peer(group, council):
    # A facilitator-peer would see every peer's feedback before giving their own, and the review
    # page offered them no way to give it: set-up refuses, and says why.
    with pytest.raises(
        actions.PracticeError, match="Fay Test facilitates: the facilitator helps the group agree"
    ):
        set_up(group, council, peers=[group["quinn"], group["fay"]])
    assert not PeerReview.objects.exists()


def test_the_form_refuses_own_case_and_same_team_with_an_error_summary(client, group, council):
    client.force_login(group["fay"])
    response = client.post(
        reverse("practice:new_review"),
        {
            "held_on-day": "10",
            "held_on-month": "3",
            "held_on-year": "2026",
            "method": "case_file",
            "presenter": group["pat"].pk,
            "facilitator": group["fay"].pk,
            "peers": [group["pat"].pk, group["una"].pk],
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in page
    assert "a practitioner cannot review their own case" in page
    assert (
        "Peers come from other teams than the presenter&#x27;s (North): Una Test (North) is in it."
        in page
    )
    assert not PeerReview.objects.exists()


def test_an_empty_form_says_what_is_missing(client, group, council):
    client.force_login(group["fay"])
    page = client.post(reverse("practice:new_review"), {}).content.decode()
    for message in (
        "Enter the date of the peer review.",
        "Choose how the case will be reviewed.",
        "Choose the practitioner presenting a case.",
        "Choose the facilitator.",
        "Choose at least one peer.",
    ):
        assert message in page
    assert "govuk-error-summary" in page


def test_the_form_sets_up_a_review(client, group, council):
    client.force_login(group["fay"])
    response = client.post(
        reverse("practice:new_review"),
        {
            "held_on-day": "10",
            "held_on-month": "3",
            "held_on-year": "2026",
            "method": "observation",
            "presenter": group["pat"].pk,
            "facilitator": group["fay"].pk,
            "peers": [group["quinn"].pk, group["rae"].pk],
        },
    )
    review = PeerReview.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "practice:review", args=[review.pk]
    )
    assert review.presenter_team == "North" and review.method == "observation"
    assert sorted(review.peers.values_list("team", flat=True)) == ["East", "South"]
    assert review.framework.version == 1 and review.framework.criteria.count() == 9


def test_feedback_needs_strengths_and_a_grade_for_every_criterion(client, group, council):
    review = set_up(group, council)
    review.case_source, review.case_reference = "council_csc", "X"
    review.save()
    client.force_login(group["quinn"])
    criteria = list(review.framework.criteria.all())
    data = {f"grade_{c.pk}": "Good" for c in criteria} | {
        f"strengths_{c.pk}": "Well recorded." for c in criteria
    }
    first = criteria[0]
    del data[f"strengths_{first.pk}"]
    del data[f"grade_{criteria[1].pk}"]
    response = client.post(reverse("practice:feedback", args=[review.pk]), data)
    page = response.content.decode()
    assert response.status_code == 400 and "govuk-error-summary" in page
    assert "Say what was strong for: Did the child and family get help when they needed it?" in page
    assert "Choose a grade for: Was the child seen, and is their voice on the file?" in page
    # The peer can open the case from the form they are filling in.
    assert f'href="{reverse("practice:case", args=[review.pk])}"' in page
    assert not Feedback.objects.exists()


def test_a_grade_outside_the_scale_is_refused(group, council):
    review = set_up(group, council)
    review.case_source, review.case_reference = "council_csc", "X"
    review.save()
    with pytest.raises(actions.PracticeError, match="'Excellent' is not a grade"):
        actions.give_feedback(
            review=review, gradings=feedback_for(review, grade="Excellent"), by=group["quinn"]
        )


def test_only_a_peer_gives_feedback_and_not_before_the_case_is_chosen(group, council):
    review = set_up(group, council)
    with pytest.raises(actions.PracticeError, match="not chosen the case"):
        actions.give_feedback(review=review, gradings=feedback_for(review), by=group["quinn"])
    review.case_source, review.case_reference = "council_csc", "X"
    review.save()
    with pytest.raises(AccessDenied, match="Only the peers"):
        actions.give_feedback(review=review, gradings=feedback_for(review), by=group["pat"])


def test_the_summary_needs_text_and_at_most_three_learning_points(client, group, council):
    review = set_up(group, council)
    review.case_source, review.case_reference = "council_csc", "X"
    review.save()
    actions.give_feedback(review=review, gradings=feedback_for(review), by=group["quinn"])
    client.force_login(group["fay"])
    key = review.framework.criteria.first().key
    response = client.post(reverse("practice:agree", args=[review.pk]), {"criterion_1": key})
    page = response.content.decode()
    assert response.status_code == 400 and "govuk-error-summary" in page
    assert "Write the summary the group agreed." in page
    assert "Write learning point 1, or choose no criterion." in page
    with pytest.raises(actions.PracticeError, match="at most 3 learning points"):
        actions.agree_summary(
            review=review,
            summary="s",
            points=[("a", "")] * 4,
            on=date(2026, 3, 10),
            by=group["fay"],
        )
    with pytest.raises(AccessDenied, match="The facilitator records"):
        actions.agree_summary(
            review=review, summary="s", points=[], on=date(2026, 3, 10), by=group["quinn"]
        )


def test_choosing_a_case_the_team_holds_opens_it_through_the_policy(group, council, council_loaded):
    cases = held_cases(council_loaded)
    north = next(c for c, t in cases.items() if t == "North")
    south = next(c for c, t in cases.items() if t == "South")
    review = set_up(group, council)
    with pytest.raises(
        actions.PracticeError,
        match=f"The case {south} is allocated to South, not to your team \\(North\\)",
    ):
        actions.choose_case(review=review, source="council_csc", reference=south, by=group["pat"])
    with pytest.raises(AccessDenied, match="Only the practitioner presenting"):
        actions.choose_case(review=review, source="council_csc", reference=north, by=group["fay"])
    actions.choose_case(review=review, source="council_csc", reference=north, by=group["pat"])
    review.refresh_from_db()
    assert (review.case_source, review.case_reference) == ("council_csc", north)
    read = AuditEntry.objects.filter(
        actor="pat", action="person.read", target=f"council_csc/{north}"
    ).latest("seq")
    assert read.allowed is True and read.detail["purpose"] == "service_improvement"
    # The council's own data: the presenter may see every kind of it.
    assert CaseAccess.objects.get(review=review, source="council_csc").kinds is None


def test_a_peer_opens_the_case_as_their_agreements_allow_and_it_is_audited(
    client, group, council, council_loaded
):
    north = next(c for c, t in held_cases(council_loaded).items() if t == "North")
    review = set_up(group, council)
    actions.choose_case(review=review, source="council_csc", reference=north, by=group["pat"])
    client.force_login(group["quinn"])
    response = client.get(reverse("practice:case", args=[review.pk]))
    assert response.status_code == 200
    # The one journey page, with a way back to the review it was opened for.
    assert [t.name for t in response.templates[:2]] == [
        "practice/case.html",
        "journeys/person.html",
    ]
    back = reverse("practice:review", args=[review.pk])
    assert f'href="{back}" class="govuk-back-link"' in response.content.decode()
    assert response.context["events"] and north in response.content.decode()
    read = AuditEntry.objects.filter(actor="quinn", action="person.read").latest("seq")
    assert read.allowed is True and read.target == f"council_csc/{north}"


def test_the_peer_sees_no_more_than_the_presenter_could(client, group, council, council_loaded):
    north = next(c for c, t in held_cases(council_loaded).items() if t == "North")
    review = set_up(group, council)
    actions.choose_case(review=review, source="council_csc", reference=north, by=group["pat"])
    # Say the presenter could only see referrals of this source: the peer, who may see every
    # kind, is shown referrals only, and told how many events were left out and whose.
    CaseAccess.objects.filter(review=review).update(kinds=["referral"], fields=["sex"])
    client.force_login(group["quinn"])
    response = client.get(reverse("practice:case", args=[review.pk]))
    kinds = {e["kind"] for e in response.context["events"]}
    assert kinds == {"referral"}
    assert set(response.context["record"]) == {"sex"}
    withheld = response.context["withheld"]
    assert withheld and withheld[0]["provider"] == "Northshire Council Children's Services"
    assert "not shared with you" in response.content.decode()


def test_the_presenter_shares_into_supervision_and_sees_their_supervision_actions(
    client, group, council
):
    review = set_up(group, council)
    review.case_source, review.case_reference = "council_csc", "X"
    review.save()
    actions.give_feedback(review=review, gradings=feedback_for(review), by=group["quinn"])
    criterion = review.framework.criteria.first()
    key = criterion.key
    follow_up.agree_action(
        origin=Action.Origin.SUPERVISION,
        organisation=council,
        agreed_at="Supervision, 1 February 2026",
        agreed_on=date(2026, 2, 1),
        description="Record the child's words at every visit",
        owner="pat",
        due_on=date(2026, 5, 1),
        direction="up",
        measure=Action.Measure.CRITERION,
        measure_key=key,
        practitioner=group["pat"],
        by=group["sam"],
    )
    # Agreed after this review (10 March 2026), and closed before it: neither belongs on it.
    for agreed_on, description in ((date(2026, 3, 20), "Later"), (date(2026, 1, 5), "Done")):
        follow_up.agree_action(
            origin=Action.Origin.SUPERVISION,
            organisation=council,
            agreed_at=f"Supervision, {agreed_on}",
            agreed_on=agreed_on,
            description=f"{description} thing to try",
            owner="pat",
            due_on=date(2026, 6, 1),
            direction="up",
            measure=Action.Measure.CRITERION,
            measure_key=key,
            practitioner=group["pat"],
            by=group["sam"],
        )
    Action.objects.filter(description="Done thing to try").update(closed_on=date(2026, 2, 1))
    client.force_login(group["pat"])
    page = client.get(reverse("practice:review", args=[review.pk])).content.decode()
    assert (
        "Record the child&#x27;s words at every visit" in page and "Share into supervision" in page
    )
    assert "Later thing to try" not in page and "Done thing to try" not in page
    # The criterion it should improve is named by its question, not by its key.
    assert f"on: {escape(criterion.question)}" in page and f"; {key})" not in page
    with pytest.raises(AccessDenied, match="Only the practitioner whose review"):
        actions.share_into_supervision(review=review, by=group["quinn"])
    response = client.post(reverse("practice:share", args=[review.pk]))
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.shared_on is not None
    assert AuditEntry.objects.filter(actor="pat", action="practice.share").exists()


def test_a_new_review_says_what_happens_next_and_shows_no_empty_feedback(client, group, council):
    review = set_up(group, council)
    client.force_login(group["fay"])
    page = client.get(reverse("practice:review", args=[review.pk])).content.decode()
    assert "Next: Pat Test chooses the case to present" in page
    assert '<h2 class="govuk-heading-m">Feedback</h2>' not in page
    review.case_source, review.case_reference = "council_csc", "X"
    review.save()
    page = client.get(reverse("practice:review", args=[review.pk])).content.decode()
    assert "you then record what the group agreed" in page
    actions.give_feedback(review=review, gradings=feedback_for(review), by=group["quinn"])
    page = client.get(reverse("practice:review", args=[review.pk])).content.decode()
    assert "Next: when the group has talked the feedback through" in page
    assert '<h2 class="govuk-heading-m">Feedback</h2>' in page
    assert "Record what the group agreed" in page
    actions.agree_summary(
        review=review, summary="Agreed.", points=[], on=date(2026, 3, 10), by=group["fay"]
    )
    page = client.get(reverse("practice:review", args=[review.pk])).content.decode()
    assert "Next:" not in page
    assert "Change what the group agreed" in page and "Record what the group agreed" not in page


def test_with_no_one_in_a_team_the_set_up_page_says_so_and_offers_no_empty_form(client, people):
    # Charlie, a police practitioner, takes part in peer reviews, but no one at the police is
    # placed in a team: a form of empty lists would be a dead end.
    client.force_login(people["charlie"])
    page = client.get(reverse("practice:new_review")).content.decode()
    assert "No one at Northshire Police is in a team yet, so a peer review cannot be set up" in page
    assert "a head of service says who works in which team first" in page
    assert "Set up the peer review</button>" not in page
    assert reverse("practice:teams") not in page  # a page he could not open
