"""Caches are keyed by explicit versions (sharing/versions.py), moved on by the writes that change
what pages show, and the policy answers in facts that code can branch on (issue 14, item 2)."""

from datetime import date

import pytest
from django.contrib.auth.models import User

from placewise.outcomes import actions as outcome_actions
from placewise.sharing import actions, actors, policy, versions
from placewise.sharing.models import Version

pytestmark = pytest.mark.django_db


def test_suspending_an_agreement_moves_the_access_version(people, agreement):
    before = versions.access()
    actions.set_status(
        agreement=agreement,
        status="suspended",
        reason="breach review",
        by=User.objects.get(username="dana"),
    )
    assert versions.access() == before + 1
    assert Version.objects.get(of=Version.Of.ACCESS).reason == f"agreement {agreement.pk} suspended"


def test_changing_someones_roles_moves_the_access_version(people):
    before = versions.access()
    actions.ensure_person(
        username="erin",
        password="a-long-password-1",
        full_name="Erin Day",
        roles=[],
        by=actors.command_line(),
    )
    assert versions.access() == before + 1


def test_a_step_change_moves_the_data_version_and_a_refused_one_does_not(people):
    before = versions.data()
    outcome_actions.record_step(
        indicator="re_referrals_12_months",
        team="Place",
        period=date(2024, 4, 1),
        reason="new front door",
        by=people["alice"],
    )
    assert versions.data() == before + 1
    with pytest.raises(outcome_actions.StepError):  # the same month twice: rolled back
        outcome_actions.record_step(
            indicator="re_referrals_12_months",
            team="Place",
            period=date(2024, 4, 1),
            reason="again",
            by=people["alice"],
        )
    assert versions.data() == before + 1


def test_the_policy_says_whose_data_it_is_as_a_fact(people, shared_place):
    own = policy.decide(people["alice"], source="council_csc", purpose="safeguarding", subject="C")
    assert own.allowed and own.own and own.agreements == ()
    shared = policy.decide(people["bob"], source="council_csc", purpose="safeguarding", subject="C")
    assert shared.allowed and not shared.own and shared.agreements
    assert shared.provider == own.provider != ""
    refused = policy.decide(
        people["charlie"], source="northshire_health", purpose="safeguarding", subject="R"
    )
    assert not refused.allowed and not refused.own
    assert refused.provider == "Northshire NHS Foundation Trust"


def test_a_load_moves_the_data_version_and_so_the_pages_cache_key(small_place, fresh_stores):
    from placewise.outcomes import data
    from placewise.sources.actions import ingest_many
    from placewise.sources.models import Load

    before, key = versions.data(), data.version()
    ingest_many(
        [small_place / "council" / "cin_census.xml"], by=actors.command_line(), run_dfe=False
    )
    assert Load.objects.filter(status=Load.Status.LOADED).count() == 1
    assert versions.data() == before + 1 and data.version() != key
