"""Suspending, reinstating and ending an agreement in the app (issue 16, item 1): only a party's
data owner or an administrator may, saying why to anyone else; each change needs a reason, which
the audit log keeps; an ended agreement cannot be reinstated."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from placewise.governance import actions as governance
from placewise.sharing import actors
from placewise.sharing.access import AccessDenied
from placewise.sharing.models import Agreement, AuditEntry
from placewise.sharing.policy import aggregate_sources
from placewise.sources.actions import register_source
from tests.factories import PASSWORD
from tests.integration.governance.test_governance import summary

pytestmark = pytest.mark.django_db


def _status(agreement: Agreement) -> str:
    agreement.refresh_from_db()
    return agreement.status


def test_a_partys_data_owner_suspends_reinstates_and_ends_with_reasons(client, people, agreement):
    url = reverse("governance:agreement_status", kwargs={"pk": agreement.pk})
    client.force_login(people["alice"])  # the council's data owner, a party
    page = client.get(reverse("governance:agreement", kwargs={"pk": agreement.pk}))
    assert "Suspend, reinstate or end this agreement" in page.content.decode()
    # An active agreement can be suspended or ended, not reinstated.
    offered = client.get(url).content.decode()
    assert 'value="suspend"' in offered and 'value="end"' in offered
    assert 'value="reinstate"' not in offered

    # Bob's trust receives the council's case records under this agreement, and only under it.
    register_source(
        name="council_csc", organisation=people["orgs"]["council"], by=actors.command_line()
    )
    assert "council_csc" in aggregate_sources(people["bob"])

    suspended = client.post(url, {"change": "suspend", "reason": "Breach reported by the trust"})
    assert suspended.status_code == 302
    assert _status(agreement) == "suspended"
    assert "council_csc" not in aggregate_sources(people["bob"])  # access follows at once
    client.post(url, {"change": "reinstate", "reason": "Breach investigated and closed"})
    assert _status(agreement) == "active"
    assert "council_csc" in aggregate_sources(people["bob"])
    client.post(url, {"change": "end", "reason": "Replaced by the 2027 agreement"})
    assert _status(agreement) == "expired"

    entries = AuditEntry.objects.filter(target=agreement.title, actor="alice").order_by("pk")
    assert [(e.action, e.reason) for e in entries if e.action != "agreement.approve"][-3:] == [
        ("agreement.suspended", "Breach reported by the trust"),
        ("agreement.active", "Breach investigated and closed"),
        ("agreement.expired", "Replaced by the 2027 agreement"),
    ]
    # Once ended it stays ended: reinstating is not offered, and asking anyway is refused.
    again = client.post(url, {"change": "reinstate", "reason": "Changed our minds"})
    assert again.status_code == 400
    assert summary(again) == ["Select what to do from the list"]
    assert (
        "It has ended, so it cannot be suspended or reinstated" in client.get(url).content.decode()
    )
    assert _status(agreement) == "expired"


def test_no_choice_and_no_reason_are_refused_naming_each(client, people, agreement):
    client.force_login(people["alice"])
    url = reverse("governance:agreement_status", kwargs={"pk": agreement.pk})
    blank = client.post(url, {"change": "", "reason": "   "})
    assert blank.status_code == 400
    assert summary(blank) == ["Select what to do", "Enter the reason"]
    assert "<title>Error: " in blank.content.decode()
    assert _status(agreement) == "active"


def test_anyone_but_a_partys_data_owner_or_an_administrator_is_refused_saying_why(
    client, people, agreement
):
    url = reverse("governance:agreement_status", kwargs={"pk": agreement.pk})
    why = (
        "Only the data owner of Northshire Council Children&#x27;s Services or Northshire NHS "
        "Foundation Trust, or an administrator, can suspend, reinstate or end"
    )
    for name in ("bob", "charlie"):  # an analyst at a party; a police officer, not a party
        client.force_login(people[name])
        assert client.get(url).status_code == 403
        refused = client.post(url, {"change": "suspend", "reason": "I want to"})
        assert refused.status_code == 403
        assert why in refused.content.decode()
        page = client.get(reverse("governance:agreement", kwargs={"pk": agreement.pk}))
        assert "Suspend, reinstate or end this agreement" not in page.content.decode()
    assert _status(agreement) == "active"
    # The action refuses too, whoever calls it.
    with pytest.raises(AccessDenied, match="Only the data owner of"):
        governance.change_status(
            agreement=agreement, change="suspend", reason="x", by=people["bob"]
        )
    assert _status(agreement) == "active"


def test_an_administrator_may_and_a_place_past_its_end_date_is_not_reinstated(
    client, people, agreement
):
    governance.set_up_place(
        name="Northshire",
        council=people["orgs"]["council"].name,
        username="ada",
        full_name="Ada Administrator",
        password=PASSWORD,
        by=actors.command_line(),
    )
    client.force_login(User.objects.get(username="ada"))
    url = reverse("governance:agreement_status", kwargs={"pk": agreement.pk})
    client.post(url, {"change": "suspend", "reason": "Audit found a gap"})
    assert _status(agreement) == "suspended"
    Agreement.objects.filter(pk=agreement.pk).update(ends_on="2020-03-31")
    late = client.post(url, {"change": "reinstate", "reason": "Gap closed"})
    assert late.status_code == 400
    assert summary(late) == [
        "What to do: the agreement ended on 31 March 2020: draft a new one instead"
    ]
    assert _status(agreement) == "suspended"
