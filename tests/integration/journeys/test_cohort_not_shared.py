"""A partner row of the cohort journey that no agreement shares with the viewer says "not
shared", never 0 (issue 15, item 3): zero children would be a finding; not shared is not."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_rows_from_partners_who_do_not_share_say_so(client, people, shared_place):
    client.force_login(people["alice"])
    page = client.get(reverse("journeys:cohort"))
    assert page.status_code == 200
    rows = {r["label"]: r for r in page.context["rows"]}
    # The police's missing reports are loaded, but no agreement shares them with the council.
    police = [r for label, r in rows.items() if label.startswith("Police")]
    assert police and all(not r["shared"] for r in police)
    assert "not shared with you" in page.content.decode()
    # The council's own steps are always counted.
    assert rows["Assessed"]["shared"]
