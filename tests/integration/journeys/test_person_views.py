import pytest
from django.urls import reverse

from placewise.sharing import actors
from placewise.sharing.models import AuditEntry
from tests.conftest import first_child

pytestmark = pytest.mark.django_db


def ask(client, source, reference, purpose="safeguarding"):
    return client.post(
        reverse("journeys:find"),
        {"source": source, "reference": reference, "purpose": purpose},
        follow=True,
    )


def test_purpose_is_asked_before_anything_is_shown(client, people, shared_place, small_place):
    client.force_login(people["alice"])
    child = first_child(small_place)
    response = client.get(reverse("journeys:person", args=["council_csc", child]))
    assert response.status_code == 302 and "reference=" + child in response["Location"]


def test_alice_sees_her_councils_child(client, people, shared_place, small_place):
    client.force_login(people["alice"])
    response = ask(client, "council_csc", first_child(small_place))
    assert response.status_code == 200
    assert "Referral" in response.content.decode()  # the plain-English name, not the code


def test_bob_sees_the_shared_kinds_only(client, people, shared_place, small_place):
    client.force_login(people["bob"])
    response = ask(client, "council_csc", first_child(small_place))
    assert response.status_code == 200
    events = response.context["events"]
    assert events and {e["kind"] for e in events} <= {
        "referral",
        "assessment",
        "section_47",
        "cp_plan",
        "cin_episode",
        "cla_period",
        "cla_episode",
        "missing_episode",
    }
    assert set(response.context["record"]) == {"month_of_birth", "sex"}


def test_charlie_is_refused_with_the_reason_and_it_is_audited(
    client, people, shared_place, small_place
):
    client.force_login(people["charlie"])
    response = ask(client, "council_csc", first_child(small_place))
    assert response.status_code == 403
    assert "No agreement in force" in response.content.decode()
    entry = AuditEntry.objects.filter(actor="charlie").latest("seq")
    assert entry.allowed is False and entry.target.startswith("council_csc/")


def test_the_audit_page_is_for_data_owners(client, people, shared_place, small_place):
    client.force_login(people["charlie"])
    ask(client, "council_csc", first_child(small_place))
    assert client.get(reverse("sharing:audit")).status_code == 403
    client.force_login(people["alice"])
    page = client.get(reverse("sharing:audit") + "?outcome=refused").content.decode()
    assert "charlie" in page and "Refused" in page
    export = client.get(reverse("sharing:audit") + "?actor=charlie&format=csv").content.decode()
    assert export.splitlines()[0].startswith("seq,at,actor") and "charlie" in export


def test_the_public_register_needs_no_login_and_shows_only_agreements_in_force(client, agreement):
    page = client.get(reverse("public:register")).content.decode()
    assert agreement.title in page and "Dana Okafor" in page and "How to opt out" in page
    agreement.status = "suspended"
    agreement.save()
    assert agreement.title not in client.get(reverse("public:register")).content.decode()


def test_an_event_in_two_council_returns_is_shown_once(
    client, people, small_place, fresh_stores, agreement
):
    from placewise.sources.actions import ingest_many

    ingest_many(
        [small_place / "council" / "annex_a.xlsx", small_place / "council" / "cin_census.xml"],
        by=actors.command_line(),
        run_dfe=False,
    )
    client.force_login(people["alice"])
    events = ask(client, "council_csc", first_child(small_place)).context["events"]
    referrals = [e for e in events if e["kind"] == "referral"]
    assert referrals and len({e["start_date"] for e in referrals}) == len(referrals)
    assert all(e["recorded_in"] == "annex_a, cin" for e in referrals)


def test_a_request_without_a_reason_is_sent_back_and_nothing_is_read(client, people, shared_place):
    client.force_login(people["bob"])
    before = AuditEntry.objects.filter(action="person.read").count()
    response = client.post(
        reverse("journeys:find"), {"source": "council_csc", "reference": "CH100001", "purpose": ""}
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert AuditEntry.objects.filter(action="person.read").count() == before
