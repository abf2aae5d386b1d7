"""The demo place's co-design, written through the actions: reach gaps counted by hand from
demo_data's tables, three answered proposals, and the public page."""

from datetime import date

import pytest
from django.urls import reverse

from placewise.community import demo_data, queries
from placewise.reviews.models import Action

pytestmark = pytest.mark.django_db


def test_the_demo_engagement_has_two_sessions_gaps_and_an_adopted_proposal(client, people):
    engagement = demo_data.build(
        council=people["orgs"]["council"], alice=people["alice"], today=date(2026, 12, 7)
    )
    assert engagement.sessions.count() == 2 and queries.took_part(engagement) == 56
    gaps = {
        d.dimension: [g.group for g in d.under_represented] for d in queries.reach_of(engagement)
    }
    # Ethnic group, of 53 known: Black 2 (3.8%) under 4/5 of 7.2%; Other 0 under 4/5 of 2.6%.
    # Sex: 17 men of 56 (30.4%) under 4/5 of 51.2%. Age: 4 of 54 aged 16 to 17 (7.4%) under
    # 4/5 of 14.7%.
    assert gaps == {
        "ethnicity": ["Black", "Other"],
        "sex": ["Male"],
        "age_band": ["16 to 17"],
    }
    responses = sorted(
        (p.response, p.action is not None)
        for p in queries.outcomes(engagement)
        for p in [p.proposal]
    )
    assert responses == [("adapted", True), ("adopted", True), ("not_taken", False)]
    assert Action.objects.filter(origin="co_design").count() == 2
    page = client.get(reverse("community:you_said_we_did", kwargs={"slug": engagement.slug}))
    assert page.status_code == 200
    assert "parent@example.org" not in page.content.decode()
