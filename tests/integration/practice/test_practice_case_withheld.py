"""A peer whose organisation's agreements do not cover a source of the case is told what is
withheld and whose it is (issue 17): the council shares with the health trust, and the trust with
the council, for safeguarding only, so at a peer review (service improvement) the trust's events
of the same child are withheld from everyone in the group, and named."""

from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse

from placewise.practice import actions
from placewise.practice.models import CaseAccess, PeerReview
from placewise.sharing.models import AuditEntry, Organisation
from placewise.sharing.permissions import Role
from placewise.store import queries as store
from placewise.store.pseudonymise import Tokeniser
from tests.factories import person
from tests.integration.practice.test_practice_reviews import held_cases

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_trusts_events_are_withheld_and_named(client, people, linked_place):
    council = Organisation.objects.get(name="Northshire Council Children's Services")
    tokens = Tokeniser(settings.PLACE_SECRET)
    north = [c for c, t in held_cases(linked_place).items() if t == "North"]
    linked = next(
        (
            c
            for c in north
            if "northshire_health"
            in {
                r["source"] for r in store.run(store.linked_records(tokens.token("council_csc", c)))
            }
        ),
        None,
    )
    assert linked is not None, "the small place has a North case the trust also holds"
    pat, quinn = (
        person("pat", (council, Role.PRACTITIONER)),
        person("quinn", (council, Role.PRACTITIONER)),
    )
    fay = person("fay", (council, Role.TEAM_MANAGER))
    for who, team in ((pat, "North"), (quinn, "South"), (fay, "Central")):
        actions.place_in_team(person=who, organisation=council, team=team, by=people["alice"])
    review = actions.set_up_review(
        organisation=council,
        held_on=date(2026, 3, 10),
        method=PeerReview.Method.CASE_FILE,
        facilitator=fay,
        presenter=pat,
        peers=[quinn],
        by=fay,
    )
    actions.choose_case(review=review, source="council_csc", reference=linked, by=pat)
    # The presenter's own read of the trust's record was refused, and so it is not kept.
    assert not CaseAccess.objects.filter(review=review, source="northshire_health").exists()
    refused = AuditEntry.objects.filter(
        actor="pat", target=f"northshire_health/council_csc/{linked} (linked)"
    ).latest("seq")
    assert refused.allowed is False and "service planning and improvement" in refused.reason
    client.force_login(quinn)
    response = client.get(reverse("practice:case", args=[review.pk]))
    assert response.status_code == 200
    withheld = {w["provider"]: w["count"] for w in response.context["withheld"]}
    assert withheld.get("Northshire NHS Foundation Trust", 0) > 0
    shown = {e["source"] for e in response.context["events"]}
    assert "council_csc" in shown and "northshire_health" not in shown
    page = response.content.decode()
    assert "from Northshire NHS Foundation Trust" in page and "not shared with you" in page
