"""Builders the supervision tests share: the council's practice people, and peer reviews made
through practice's own actions (set up, feedback, what the group agreed, shared into
supervision) — except the choice of case, which needs a loaded place and its case system: a
review here is given a case reference directly, as if the presenter had chosen one. Supervision's
tests so depend on practice's actions, not on its pages."""

from datetime import date
from typing import Any

import pytest

from placewise.practice import actions as practice
from placewise.practice.models import PeerReview
from placewise.reviews import evidence
from placewise.sharing.permissions import Role
from placewise.supervision import evidence as supervision_evidence
from tests import factories

RISK = "risk-understood"  # a starter criterion: "Is the risk to the child understood?"
RI = "Requires improvement to be good"
GOOD, OUTSTANDING = "Good", "Outstanding"
TEAMS = {"erin": "Team A", "ivy": "Team A", "frank": "Team A", "gita": "Team B", "hamid": "Team C"}


def council_practice(people: dict[str, Any]) -> dict[str, Any]:
    """Erin and Ivy (practitioners, Team A), Frank (their team manager, who supervises), Gita and
    Hamid (practitioners in Teams B and C, the peers), placed in their teams by Alice (the
    council's head of service)."""
    council = people["orgs"]["council"]
    made = {
        "erin": factories.person("erin", (council, Role.PRACTITIONER)),
        "ivy": factories.person("ivy", (council, Role.PRACTITIONER)),
        "frank": factories.person("frank", (council, Role.TEAM_MANAGER)),
        "gita": factories.person("gita", (council, Role.PRACTITIONER)),
        "hamid": factories.person("hamid", (council, Role.PRACTITIONER)),
    }
    for username, person in made.items():
        practice.place_in_team(
            person=person, organisation=council, team=TEAMS[username], by=people["alice"]
        )
    return {**people, **made}


def peer_review(
    people: dict[str, Any],
    *,
    held_on: date,
    grades: dict[str, str],
    presenter: str = "erin",
    improvements: str = "",
    point: str = "",
    shared_on: date | None = None,
) -> PeerReview:
    """A review of `presenter`'s case by Gita and Hamid, facilitated by Frank: each peer's grade
    on the risk criterion as `grades` says ({"gita": ..., "hamid": ...}), Good on every other."""
    council = people["orgs"]["council"]
    review = practice.set_up_review(
        organisation=council,
        held_on=held_on,
        method=PeerReview.Method.CASE_FILE,
        facilitator=people["frank"],
        presenter=people[presenter],
        peers=[people["gita"], people["hamid"]],
        by=people["alice"],
    )
    PeerReview.objects.filter(pk=review.pk).update(
        case_source="council_csc", case_reference=f"CH{review.pk:06d}"
    )
    review.refresh_from_db()
    for peer in ("gita", "hamid"):
        practice.give_feedback(
            review=review,
            gradings=[
                practice.Grading(
                    criterion=c,
                    grade=grades[peer] if c.key == RISK else GOOD,
                    strengths=f"{peer.title()}: the file is clear",
                    improvements=improvements if c.key == RISK else "",
                )
                for c in review.framework.criteria.all()
            ],
            by=people[peer],
        )
    practice.agree_summary(
        review=review,
        summary="A careful piece of work",
        points=[(point, RISK)] if point else [],
        on=held_on,
        by=people["frank"],
    )
    if shared_on is not None:
        practice.share_into_supervision(review=review, by=people[presenter], on=shared_on)
    return review


@pytest.fixture(autouse=True)
def _finder_registered():
    """The criterion finder, as SupervisionConfig.ready registers it (another test of the
    engine may have taken it away)."""
    evidence.register("criterion", supervision_evidence.criterion)


@pytest.mark.django_db
def test_a_built_review_has_each_peers_grade_and_is_shared_when_asked(people):
    everyone = council_practice(people)
    review = peer_review(
        everyone,
        held_on=date(2026, 3, 2),
        grades={"gita": RI, "hamid": GOOD},
        shared_on=date(2026, 3, 5),
    )
    risk = review.feedback.filter(criterion__key=RISK).order_by("peer__username")
    assert [(f.peer.username, f.grade) for f in risk] == [("gita", RI), ("hamid", GOOD)]
    assert review.shared_on == date(2026, 3, 5)
    assert review.feedback.count() == 2 * review.framework.criteria.count()
