"""Renaming a source under Set-up → Sources: offered to the data owner of the organisation
providing it (and to administrators), refused to everyone else with the reason; bad input is
shown in the GOV.UK error summary, naming the field."""

import re

import pytest
from django.urls import reverse

from placewise.sharing import actors
from placewise.sharing.models import AuditEntry
from placewise.sharing.permissions import Role
from placewise.sources.actions import register_source
from placewise.sources.models import Source
from tests.factories import person
from tests.integration.governance.test_governance import summary

pytestmark = pytest.mark.django_db
COUNCIL = reverse("governance:rename_source", kwargs={"source": "council_csc"})
POLICE = reverse("governance:rename_source", kwargs={"source": "police_missing"})


@pytest.fixture
def sources(people):
    operator = actors.command_line()
    register_source(
        name="council_csc",
        organisation=people["orgs"]["council"],
        by=operator,
        title="Children's social care records",
    )
    register_source(
        name="police_missing",
        organisation=people["orgs"]["police"],
        by=operator,
        title="Police missing",
    )


def rename_links(response) -> list[str]:
    return re.findall(r'href="(/governance/sources/[^"]+/rename/)"', response.content.decode())


def test_the_data_owner_is_offered_their_own_source_and_renames_it(client, people, sources):
    client.force_login(people["alice"])  # the council's data owner
    listed = client.get(reverse("governance:sources"))
    assert rename_links(listed) == [COUNCIL]  # not the police's source
    page = client.get(COUNCIL)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Rename Children&#x27;s social care records" in text
    assert 'value="Children&#x27;s social care records"' in text  # the name it has now
    done = client.post(COUNCIL, {"title": "Social care case records"})
    assert (done.status_code, done["Location"]) == (302, reverse("governance:sources"))
    assert Source.objects.get(name="council_csc").title == "Social care case records"
    assert "Social care case records" in client.get(reverse("governance:sources")).content.decode()
    entry = AuditEntry.objects.get(action="source.rename")
    assert (entry.actor, entry.target, entry.allowed, entry.detail) == (
        "alice",
        "council_csc",
        True,
        {"from": "Children's social care records", "to": "Social care case records"},
    )


def test_an_administrator_is_offered_every_source(client, people, sources):
    ada = person("ada", (people["orgs"]["council"], Role.ADMINISTRATOR))
    client.force_login(ada)
    assert rename_links(client.get(reverse("governance:sources"))) == [COUNCIL, POLICE]
    assert client.post(POLICE, {"title": "Missing from home reports"}).status_code == 302
    assert Source.objects.get(name="police_missing").title == "Missing from home reports"


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("", "Enter the name people use for this source"),
        ("m" * 201, "The name must be 200 characters or fewer; this one is 201"),
        (
            "police MISSING",
            "'Police missing' is already the name of another source, from Northshire Police: "
            "choose a name people can tell apart from it",
        ),
    ],
)
def test_bad_input_is_shown_in_the_error_summary(client, people, sources, title, message):
    client.force_login(people["alice"])
    refused = client.post(COUNCIL, {"title": title})
    assert refused.status_code == 400
    assert summary(refused) == [message]
    assert 'href="#id_title"' in refused.content.decode()  # the summary leads to the field
    assert Source.objects.get(name="council_csc").title == "Children's social care records"


def test_another_partner_s_data_owner_is_refused_and_their_attempt_audited(client, people, sources):
    dora = person("dora", (people["orgs"]["police"], Role.DATA_OWNER))
    client.force_login(dora)
    assert rename_links(client.get(reverse("governance:sources"))) == [POLICE]
    reason = (
        "Only the data owner of Northshire Council Children&#x27;s Services, or an "
        "administrator, can rename &#x27;Children&#x27;s social care records&#x27;."
    )
    page = client.get(COUNCIL)
    assert page.status_code == 403 and reason in page.content.decode()
    assert not AuditEntry.objects.filter(action="source.rename").exists()  # looking is not trying
    tried = client.post(COUNCIL, {"title": "Council records"})
    assert tried.status_code == 403 and reason in tried.content.decode()
    assert Source.objects.get(name="council_csc").title == "Children's social care records"
    entry = AuditEntry.objects.get(action="source.rename")
    assert (entry.actor, entry.target, entry.allowed) == ("dora", "council_csc", False)


def test_people_who_do_not_declare_sources_are_refused_and_an_unknown_code_is_not_found(
    client, people, sources
):
    for who in ("bob", "charlie"):
        client.force_login(people[who])
        assert client.get(COUNCIL).status_code == 403
        assert client.post(COUNCIL, {"title": "Council records"}).status_code == 403
    assert Source.objects.get(name="council_csc").title == "Children's social care records"
    client.force_login(people["alice"])
    missing = reverse("governance:rename_source", kwargs={"source": "no_such_source"})
    assert client.get(missing).status_code == 404
