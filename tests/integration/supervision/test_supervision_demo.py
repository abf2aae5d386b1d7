"""The demo's supervision, on the practice demo's practitioners and two rounds of peer reviews
(the loaded small place): each practitioner has a session after each round; what they will try
is followed up at the second on the grades since, so their progress shows it."""

from datetime import date

import pytest

from placewise.practice import demo_data as practice_demo
from placewise.reviews.models import Action, Verdict
from placewise.supervision import demo_data, progress, queries
from placewise.supervision.models import SupervisionSession
from tests.factories import person
from tests.integration.supervision.test_supervision_factories import _finder_registered  # noqa: F401

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 30)


def test_the_demo_supervises_after_each_round_and_follows_up_on_the_grades(people, council_loaded):
    council = people["orgs"]["council"]
    made = practice_demo.build(
        council=council,
        head=people["alice"],
        place=council_loaded,
        join=lambda username, full_name, organisation, role: person(username, (organisation, role)),
        today=TODAY,
    )
    demo_data.build(council=council, today=TODAY)
    # Six practitioners (two a team), two sessions each.
    assert SupervisionSession.objects.count() == 12
    first = Action.objects.filter(origin=Action.Origin.SUPERVISION, verdicts__isnull=False)
    # Round 1 named three criteria for improvement, each with something to try, for each of six.
    assert first.count() == 18
    # Round 2 (practice's demo): the child's voice and the plan now Good, risk review still RI.
    outcomes = {(a.measure_key, v.outcome) for a in first for v in a.verdicts.all()}
    assert outcomes == {
        ("child-seen-and-heard", Verdict.Outcome.MOVED),
        ("plan-makes-a-difference", Verdict.Outcome.MOVED),
        ("risk-reviewed", Verdict.Outcome.NO_CHANGE),
    }
    # What to try next on the risk review is open, waiting for the next review.
    assert Action.objects.filter(verdicts__isnull=True).count() == 6
    priya = made["priya"]
    shown = progress.of(queries.progress_access(priya, priya, TODAY))
    risk = next(c for c in shown.criteria if c.key == "risk-reviewed")
    assert [e.kind for e in risk.entries] == ["review", "action", "review", "follow_up", "action"]
    # Run again, it adds nothing.
    demo_data.build(council=council, today=TODAY)
    assert SupervisionSession.objects.count() == 12
