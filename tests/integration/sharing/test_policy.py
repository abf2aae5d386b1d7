"""The one policy function decides every person-level read, and every decision is audited."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User

from placewise.sharing import actions, actors, policy
from placewise.sharing.models import Agreement, AuditEntry

pytestmark = pytest.mark.django_db


def test_the_provider_sees_its_own_data(people, shared_place):
    access = policy.decide(
        people["alice"], source="council_csc", purpose="safeguarding", subject="CH1"
    )
    assert access.allowed and access.kinds is None


def test_a_partner_sees_only_what_the_agreement_shares(people, shared_place):
    access = policy.decide(
        people["bob"], source="council_csc", purpose="safeguarding", subject="CH1"
    )
    assert access.allowed
    assert "contact" not in access.kinds and "referral" in access.kinds
    assert access.fields == {"month_of_birth", "sex"}


def test_a_different_purpose_is_refused(people, shared_place):
    access = policy.decide(
        people["bob"], source="council_csc", purpose="public_health", subject="CH1"
    )
    assert not access.allowed and "public health" in access.reason


def test_charlie_has_no_agreement_and_is_told_so(people, shared_place):
    access = policy.decide(
        people["charlie"], source="northshire_health", purpose="safeguarding", subject="RX1"
    )
    assert not access.allowed
    assert "Northshire NHS Foundation Trust" in access.reason
    assert "Northshire Police" in access.reason


def test_an_expired_agreement_stops_access_on_the_next_request(people, shared_place, agreement):
    today = date.today()
    assert policy.decide(
        people["bob"], source="council_csc", purpose="safeguarding", subject="CH1", today=today
    ).allowed
    Agreement.objects.filter(pk=agreement.pk).update(ends_on=today - timedelta(days=1))
    access = policy.decide(
        people["bob"], source="council_csc", purpose="safeguarding", subject="CH1", today=today
    )
    assert not access.allowed and "not in force" in access.reason


def test_a_suspended_agreement_stops_access(people, shared_place, agreement):
    actions.set_status(
        agreement=agreement,
        status="suspended",
        reason="breach review",
        by=User.objects.get(username="dana"),
    )
    access = policy.decide(
        people["bob"], source="council_csc", purpose="safeguarding", subject="CH1"
    )
    assert not access.allowed and "suspended" in access.reason


def test_every_decision_is_audited_allowed_or_not(people, shared_place):
    before = AuditEntry.objects.filter(action="person.read").count()
    policy.decide(people["bob"], source="council_csc", purpose="safeguarding", subject="CH7")
    policy.decide(people["charlie"], source="council_csc", purpose="safeguarding", subject="CH7")
    entries = list(AuditEntry.objects.filter(action="person.read").order_by("seq"))[before:]
    assert [(e.actor, e.allowed, e.target) for e in entries] == [
        ("bob", True, "council_csc/CH7"),
        ("charlie", False, "council_csc/CH7"),
    ]
    assert entries[1].detail["purpose"] == "safeguarding"


def test_only_the_named_data_owner_approves(people, agreement):
    draft = actions.draft_agreement(
        title="Draft",
        purpose="p",
        purpose_category="safeguarding",
        article6="6(1)(e)",
        article9="",
        statutes="s",
        review_date=date.today(),
        retention_days=30,
        parties=[(people["orgs"]["council"], people["alice"])],
        datasets=[],
        by=actors.command_line(),
    )
    with pytest.raises(actions.AgreementError, match="named data owner"):
        actions.approve(agreement=draft, organisation=people["orgs"]["council"], by=people["bob"])
    actions.approve(agreement=draft, organisation=people["orgs"]["council"], by=people["alice"])
    draft.refresh_from_db()
    assert draft.status == "active"


def test_a_dataset_cannot_be_shared_with_a_non_party(people):
    with pytest.raises(actions.AgreementError, match="parties"):
        actions.draft_agreement(
            title="Bad",
            purpose="p",
            purpose_category="safeguarding",
            article6="6(1)(e)",
            article9="",
            statutes="s",
            review_date=date.today(),
            retention_days=30,
            parties=[(people["orgs"]["council"], people["alice"])],
            datasets=[
                {
                    "source": "council_csc",
                    "provider": people["orgs"]["council"],
                    "recipient": people["orgs"]["police"],
                    "level": "person",
                }
            ],
            by=actors.command_line(),
        )
