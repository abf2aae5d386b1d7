"""The demo's peers write in their own words (found walking the demo: every peer of every review
gave the same sentence on each criterion, so a review and the themes page read as made up)."""

from datetime import date
from itertools import pairwise

import pytest

from placewise.practice import demo_data
from placewise.practice.models import Feedback, PeerReview
from tests.factories import person

pytestmark = pytest.mark.django_db


def test_no_two_peers_of_a_review_say_the_same_and_the_reviews_differ(people, council_loaded):
    council = people["orgs"]["council"]
    demo_data.build(
        council=council,
        head=people["alice"],
        place=council_loaded,
        join=lambda username, full_name, organisation, role: person(username, (organisation, role)),
        today=date(2026, 11, 30),
    )
    reviews = list(PeerReview.objects.filter(organisation=council))
    assert len(reviews) == 12
    for review in reviews:
        by_criterion: dict[str, list[str]] = {}
        for given in Feedback.objects.filter(review=review).select_related("criterion"):
            by_criterion.setdefault(given.criterion.key, []).append(given.strengths)
        assert by_criterion, review  # two peers gave feedback on every criterion
        for key, said in by_criterion.items():
            assert len(said) == 2 and said[0] != said[1], (review, key, said)
    # Across the twelve reviews: the same criterion in different words, areas for improvement
    # too, and no two consecutive reviews with the same summary.
    strengths = Feedback.objects.filter(criterion__key="child-seen-and-heard")
    assert strengths.values("strengths").distinct().count() >= 4
    named = Feedback.objects.filter(criterion__key="risk-reviewed").exclude(improvements="")
    assert named.values("improvements").distinct().count() >= 4
    summaries = [r.summary for r in sorted(reviews, key=lambda r: (r.held_on, r.pk))]
    assert all(a != b for a, b in pairwise(summaries))
    # Peers do not all grade alike: beside the grades the rounds are about, some criteria are
    # graded Outstanding by one peer, or lower by one who says what they would do differently.
    grades = set(Feedback.objects.values_list("grade", flat=True))
    assert {"Outstanding", "Good", "Requires improvement to be good"} <= grades
