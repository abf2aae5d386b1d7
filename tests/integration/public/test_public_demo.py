"""The demo's public portal, built through the portal's actions on the 6,000-child place."""

from datetime import date

import pytest
from django.urls import reverse

from placewise.public import demo_data, queries
from placewise.public.models import PublishedFigure

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_demo_publishes_figures_signed_off_by_a_second_person(
    client, outcome_loaded, people, agreement
):
    published = demo_data.build(
        analyst=people["bob"],
        data_owner=people["alice"],
        agreement=agreement,
        today=date(2026, 12, 7),
    )
    assert len(published) >= 4
    for figure in PublishedFigure.objects.filter(pk__in=published):
        assert figure.status == PublishedFigure.Status.PUBLISHED
        assert (figure.proposed_by, figure.signed_off_by) == (people["bob"], people["alice"])
        assert figure.next_update == date(2027, 1, 7)
    assert PublishedFigure.objects.filter(team__in=["Place"]).count() >= 4
    assert PublishedFigure.objects.exclude(team="Place").exists()  # one indicator by area
    assert queries.awaiting().count() == 1
    strategy = queries.strategy()
    assert strategy is not None and len(strategy.purpose_list) == 3
    client.logout()
    for pk in published:
        assert client.get(reverse("public:figure", args=[pk])).status_code == 200
    assert client.get(reverse("api:figures")).json()["count"] == len(published)
