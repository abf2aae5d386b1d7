"""The demo's peer reviews are made through the actions on the loaded small place: every team's
reviews have a case their team holds, feedback, learning points, and enough for themes."""

from datetime import date

import pytest

from placewise.practice import demo_data, queries
from placewise.practice.models import PeerReview
from tests.factories import person

pytestmark = pytest.mark.django_db


def test_the_demo_has_two_rounds_of_reviews_and_themes_to_show(people, council_loaded):
    council = people["orgs"]["council"]
    made = demo_data.build(
        council=council,
        head=people["alice"],
        place=council_loaded,
        join=lambda username, full_name, organisation, role: person(username, (organisation, role)),
        today=date(2026, 11, 30),
    )
    assert len(made) == 9
    reviews = PeerReview.objects.filter(organisation=council)
    assert reviews.count() == 12
    assert all(r.case_reference and r.agreed_on and r.shared_on for r in reviews)
    for review in reviews:
        teams = set(review.peers.values_list("team", flat=True))
        assert review.presenter_team not in teams and len(teams) == 2
    # Themes count quarters that have ended: on 30 November the first round (August) shows, the
    # second (November) waits for its quarter to end.
    found = queries.themes([council], today=date(2026, 11, 30))
    assert found.reviews == 6 and found.needing_improvement and found.learning_points
    assert queries.themes([council], today=date(2027, 1, 1)).reviews == 12
    assert all(c.reviews for cells in found.over_time.values() for c in cells)
    # Run again, it adds nothing.
    demo_data.build(
        council=council,
        head=people["alice"],
        place=council_loaded,
        join=lambda username, full_name, organisation, role: person(username, (organisation, role)),
        today=date(2026, 11, 30),
    )
    assert PeerReview.objects.filter(organisation=council).count() == 12
