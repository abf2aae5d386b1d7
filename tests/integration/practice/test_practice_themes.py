"""Themes across peer reviews (issue 17, items 3 and 5), worked by hand: nothing over fewer than
five reviews, nor a figure from which such a count could be worked out; no one named."""

from datetime import UTC, date, datetime, time

import pytest
from django.urls import reverse

from placewise.practice import actions, queries
from placewise.practice.models import Feedback, PeerReview
from placewise.sharing.models import Organisation
from placewise.sharing.permissions import Role
from tests.factories import person

pytestmark = pytest.mark.django_db

GOOD, RI, INADEQUATE = "Good", "Requires improvement to be good", "Inadequate"


@pytest.fixture
def council(people):
    return Organisation.objects.get(name="Northshire Council Children's Services")


@pytest.fixture
def cast(people, council):
    made = {n: person(n, (council, Role.PRACTITIONER)) for n in ("pat", "quinn")}
    made["fay"] = person("fay", (council, Role.TEAM_MANAGER))
    for who, team in (("pat", "North"), ("quinn", "South"), ("fay", "Central")):
        actions.place_in_team(person=made[who], organisation=council, team=team, by=people["alice"])
    return made


def held(cast, council, on, timely, point=""):
    """A review on `on` where Quinn grades timely-response `timely` and everything else Good."""
    review = actions.set_up_review(
        organisation=council,
        held_on=on,
        method=PeerReview.Method.CASE_FILE,
        facilitator=cast["fay"],
        presenter=cast["pat"],
        peers=[cast["quinn"]],
        by=cast["fay"],
    )
    review.case_source, review.case_reference = "council_csc", "X"
    review.save()
    actions.give_feedback(
        review=review,
        gradings=[
            actions.Grading(
                criterion=c,
                grade=timely if c.key == "timely-response" else GOOD,
                strengths="Strong.",
                improvements="",
            )
            for c in review.framework.criteria.all()
        ],
        by=cast["quinn"],
    )
    # The feedback was given on the day (themes count what was recorded before a quarter ended).
    Feedback.objects.filter(review=review).update(
        given_at=datetime.combine(on, time(12), tzinfo=UTC)
    )
    if point:
        actions.agree_summary(
            review=review, summary="Agreed.", points=[("A point.", point)], on=on, by=cast["fay"]
        )
    return review


def test_the_threshold_is_five_reviews_worked_by_hand(client, cast, council):
    first_quarter = [INADEQUATE, INADEQUATE, RI, GOOD, GOOD]
    for day, grade in zip((6, 13, 20, 27), first_quarter, strict=False):
        held(cast, council, date(2026, 1, day), grade, point="child-seen-and-heard")
    # Four reviews: nothing is shown.
    found = queries.themes([council])
    assert found.reviews == 4 and found.needing_improvement == [] and found.learning_points == []
    assert found.over_time["timely-response"][0].reviews is None
    client.force_login(cast["fay"])
    assert (
        "There are not yet 5 peer reviews"
        in client.get(reverse("practice:themes")).content.decode()
    )

    # The fifth: every criterion has 5 reviews in Jan–Mar 2026.
    held(cast, council, date(2026, 2, 3), first_quarter[4], point="child-seen-and-heard")
    found = queries.themes([council])
    assert found.quarters == ["Jan–Mar 2026"]
    cell = found.over_time["timely-response"][0]
    assert cell.reviews == 5 and dict(cell.grades) == {INADEQUATE: 2, RI: 1, GOOD: 2}
    # Timely response: 3 of its 5 peer grades in the lower half (60%); every other criterion 0.
    top = found.needing_improvement[0]
    assert (top["key"], top["reviews"], top["grades"], top["lower"], top["percent"]) == (
        "timely-response",
        5,
        5,
        3,
        60,
    )
    assert all(n["lower"] == 0 for n in found.needing_improvement[1:])
    assert len(found.needing_improvement) == 9
    assert found.learning_points == [
        {
            "key": "child-seen-and-heard",
            "question": "Was the child seen, and is their voice on the file?",
            "reviews": 5,
            "points": 5,
        }
    ]
    page = client.get(reverse("practice:themes")).content.decode()
    assert "Over 5 peer reviews with feedback." in page and "Pat Test" not in page


def test_a_quarter_of_four_reviews_hides_the_quarter_beside_it_too(cast, council):
    for day in (6, 13, 20, 27, 28):
        held(cast, council, date(2026, 1, day), GOOD)
    for day in (6, 13, 20, 27):
        held(cast, council, date(2026, 4, day), RI, point="risk-understood")
    found = queries.themes([council])
    assert found.quarters == ["Jan–Mar 2026", "Apr–Jun 2026"]
    # Apr–Jun has 4 reviews: hidden. Each criterion's 9 reviews in all are shown (the table of
    # which criteria need improvement), so Jan–Mar's 5 would give 9 - 5 = 4 away: hidden too.
    assert [c.reviews for c in found.over_time["timely-response"]] == [None, None]
    assert all(c.reviews is None for cells in found.over_time.values() for c in cells)
    timely = next(n for n in found.needing_improvement if n["key"] == "timely-response")
    assert (timely["reviews"], timely["lower"], timely["percent"]) == (9, 4, 44)
    # Four reviews name risk-understood in a learning point: not shown.
    assert found.learning_points == []
    assert found.withheld == 18 + 1


def test_the_threshold_is_a_setting(settings, cast, council):
    settings.PLACEWISE_PRACTICE_THEMES_MIN_REVIEWS = 6
    for day in (6, 13, 20, 27, 28):
        held(cast, council, date(2026, 1, day), GOOD)
    found = queries.themes([council])
    assert found.minimum == 6 and found.needing_improvement == []


def test_a_quarter_is_shown_once_it_has_ended_and_never_changes_after(cast, council):
    """Comparing the page before and after one more review must not give its grades away: a
    quarter shows only once it has ended, with what was recorded before it ended."""
    for day in (6, 13, 20, 27, 28):
        held(cast, council, date(2026, 1, day), GOOD)
    # Before 1 April, January to March has not ended: nothing to show yet.
    assert queries.themes([council], today=date(2026, 3, 31)).quarters == []
    shown = queries.themes([council], today=date(2026, 4, 1))
    assert shown.over_time["timely-response"][0].reviews == 5
    # A sixth January review recorded in April (late) does not change January to March.
    late = held(cast, council, date(2026, 1, 29), INADEQUATE)
    Feedback.objects.filter(review=late).update(given_at=datetime(2026, 4, 2, 9, tzinfo=UTC))
    again = queries.themes([council], today=date(2026, 4, 3))
    cell = again.over_time["timely-response"][0]
    assert (cell.reviews, dict(cell.grades)) == (5, {GOOD: 5})
