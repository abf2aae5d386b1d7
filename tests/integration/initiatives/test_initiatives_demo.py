"""The demo's initiatives (issue 19): two, one a place project; stakeholders placed by two
members; two moved from fence-sitter to ally; the project's triangle filled in with one warning."""

from datetime import date

from django.contrib.auth.models import User

from placewise.initiatives import demo_data, queries
from placewise.initiatives.models import Initiative
from placewise.reviews.models import Action

TODAY = date(2026, 6, 1)


def test_the_demo_initiatives(people, agreement):
    dana = User.objects.get(username="dana")
    demo_data.build(
        orgs=people["orgs"], alice=people["alice"], bob=people["bob"], dana=dana, today=TODAY
    )
    demo_data.build(
        orgs=people["orgs"], alice=people["alice"], bob=people["bob"], dana=dana, today=TODAY
    )
    assert Initiative.objects.count() == 2
    project = Initiative.objects.get(kind=Initiative.Kind.PROJECT)
    # Began 150 days before 1 June 2026 (2 January); the moves came 75 days later (18 March).
    assert queries.move_sentences(project) == [
        "2 stakeholders moved from fence-sitter to ally since March 2026"
    ]
    assert queries.warnings(project, TODAY) == [
        "Lead member for children must authorise this work, and Dana Okafor places them as a "
        "fence-sitter."
    ]
    assert {m.user.username for m in project.team.all()} == {"alice", "dana"}
    action = Action.objects.get(origin=Action.Origin.INITIATIVE)
    assert action.practitioner == dana and action.measure == Action.Measure.REFLECTION
    other = Initiative.objects.get(kind=Initiative.Kind.INITIATIVE)
    assert queries.warnings(other, TODAY) == [
        "Detective inspector, exploitation must authorise this work, and Bob Bennett places them "
        "as a fence-sitter."
    ]
