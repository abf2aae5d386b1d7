"""Setting a place up in the app (issue 16, item 1): each page refuses bad input naming the
field; invitation links used twice, expired or altered are refused saying why; deactivating a
person ends their session at once; only a party's named data owner approves for it."""

import html as html_text
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from placewise.cli import main
from placewise.governance import actions as governance
from placewise.governance import queries
from placewise.governance.models import Invitation, Place, SourceMapping
from placewise.sharing import actors
from placewise.sharing.models import Agreement, AuditEntry, Membership, Organisation
from placewise.sources.actions import register_source
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
STRONG = "a-long-unusual-passphrase-42"


@pytest.fixture
def ada(people):
    """The place's administrator, set up as `placewise init` sets one up."""
    governance.set_up_place(
        name="Northshire",
        council=people["orgs"]["council"].name,
        username="ada",
        full_name="Ada Administrator",
        password=PASSWORD,
        by=actors.command_line(),
    )
    return User.objects.get(username="ada")


def summary(response) -> list[str]:
    """The error summary's messages, as a person reads them."""
    html = response.content.decode()
    assert "govuk-error-summary" in html
    body = html.split("govuk-error-summary__list", 1)[1].split("</ul>", 1)[0]
    return [
        html_text.unescape(re.sub(r"<[^>]+>", "", m)).strip()
        for m in re.findall(r"<li>(.*?)</li>", body)
    ]


def test_set_up_place_once_and_refuses_again(people):
    governance.set_up_place(
        name="Northshire",
        council="Northshire Council Children's Services",
        username="ada",
        full_name="Ada Administrator",
        password=PASSWORD,
        by=actors.command_line(),
    )
    ada = User.objects.get(username="ada")
    assert list(Membership.objects.filter(user=ada).values_list("role", flat=True)) == [
        "administrator"
    ]
    with pytest.raises(governance.SetUpRefused, match="already set up"):
        governance.set_up_place(
            name="Elsewhere",
            council="Elsewhere Council",
            username="zed",
            full_name="Zed",
            password=PASSWORD,
            by=actors.command_line(),
        )
    assert AuditEntry.objects.filter(action="place.set_up", target="Northshire").count() == 1


def test_init_from_a_file_then_refuses(db, tmp_path: Path, capsys):
    (tmp_path / "first.password").write_text(STRONG + "\n")
    place = tmp_path / "place.toml"
    place.write_text(
        '[place]\nname = "Southshire"\n[council]\nname = "Southshire Council"\n'
        '[administrator]\nusername = "sam"\nfull_name = "Sam Shah"\npassword_file = "first.password"\n'
    )
    assert main(["init", "--from", str(place)]) == 0
    sam = User.objects.get(username="sam")
    assert sam.check_password(STRONG) and sam.first_name == "Sam"
    assert Place.objects.get().name == "Southshire"
    assert Organisation.objects.get(name="Southshire Council").kind == "council_childrens_services"
    assert main(["init", "--from", str(place)]) == 1
    assert "the place 'Southshire' is already set up" in capsys.readouterr().err


def test_init_names_what_the_file_lacks(db, tmp_path: Path, capsys):
    place = tmp_path / "place.toml"
    place.write_text('[place]\nname = "Southshire"\n[administrator]\nusername = "sam"\n')
    assert main(["init", "--from", str(place)]) == 1
    err = capsys.readouterr().err
    assert "[council] name" in err and "[administrator] full_name" in err
    assert not Place.objects.exists()


def test_organisations_page_adds_and_refuses_bad_input(client, ada):
    client.force_login(ada)
    url = reverse("governance:organisations")
    bad = client.post(url, {"name": "", "kind": "bakery"})
    assert bad.status_code == 400
    assert summary(bad) == ["Enter organisation name", "Select kind of organisation from the list"]
    assert "<title>Error: " in bad.content.decode()
    taken = client.post(url, {"name": "northshire police", "kind": "police"})
    assert summary(taken) == ["Organisation name: 'northshire police' is already set up"]
    assert client.post(url, {"name": "Northshire ICB", "kind": "icb"}).status_code == 302
    assert Organisation.objects.get(name="Northshire ICB").get_kind_display() == (
        "Integrated care board"
    )


def _invite(client, ada, **overrides) -> str:
    client.force_login(ada)
    health = Organisation.objects.get(name="Northshire NHS Foundation Trust")
    form = {
        "full_name": "Erin Evans",
        "username": "erin",
        "email": "",
        "days": "7",
        "organisation": str(health.pk),
        "role": "analyst",
        **overrides,
    }
    response = client.post(reverse("governance:invite"), form)
    assert response.status_code == 200, response.content.decode()[:2000]
    link = re.search(r'data-testid="invitation-link"[^>]*>([^<]+)<', response.content.decode())
    client.logout()
    return link.group(1).replace("http://testserver", "")


def test_invitation_refuses_bad_input(client, ada):
    client.force_login(ada)
    bad = client.post(
        reverse("governance:invite"),
        {
            "full_name": "",
            "username": "Erin Evans!",
            "email": "not-an-address",
            "organisation": "",
            "role": "queen",
            "days": "90",
        },
    )
    assert bad.status_code == 400
    assert summary(bad) == [
        "Enter full name",
        "Username must be 2 to 40 lower-case letters, digits, dots, hyphens or underscores",
        "Email address must be like name@example.org",
        "Select organisation",
        "Select role from the list",
        "Days the link works must be 30 or fewer",
    ]
    taken = client.post(
        reverse("governance:invite"),
        {"full_name": "B", "username": "bob", "organisation": "1", "role": "analyst", "days": "7"},
    )
    assert "Username: 'bob' is already someone's" in summary(taken)
    assert not Invitation.objects.exists()


def test_invitation_link_works_once(client, ada):
    link = _invite(client, ada)
    page = client.get(link, follow=True)
    assert page.status_code == 200 and "Welcome, Erin Evans" in page.content.decode()
    # The form is on an address without the link's secret (it is kept in the session), so a
    # refused form, which the server logs with its address, does not log a working link.
    form_url = reverse("governance:join", kwargs={"token": "set-password"})
    assert page.redirect_chain == [(form_url, 302)]
    weak = client.post(form_url, {"password1": "short", "password2": "other"})
    assert weak.status_code == 400
    assert summary(weak) == [
        "Password: This password is too short. It must contain at least 12 characters.",
        "Password again: the two passwords are not the same",
    ]
    assert not User.objects.filter(username="erin").exists()
    joined = client.post(form_url, {"password1": STRONG, "password2": STRONG})
    assert joined.status_code == 302
    erin = User.objects.get(username="erin")
    assert erin.check_password(STRONG)
    assert [(m.organisation.name, m.role) for m in erin.memberships.all()] == [
        ("Northshire NHS Foundation Trust", "analyst")
    ]
    # An analyst needs a second factor: the next page is setting one up, as for anyone.
    assert client.get("/").url.startswith("/second-factor/setup/")
    client.logout()
    again = client.get(link)
    assert again.status_code == 410
    assert "This invitation was used on" in again.content.decode()
    assert client.post(link, {"password1": STRONG, "password2": STRONG}).status_code == 410
    # Without the link opened first, the form's own address says to open the link.
    alone = client.post(form_url, {"password1": STRONG, "password2": STRONG})
    assert alone.status_code == 410
    assert "open the link again" in alone.content.decode()


def test_an_expired_link_is_refused(client, ada):
    link = _invite(client, ada, days="1")
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.get(link)
    assert response.status_code == 410
    assert "This invitation expired on" in response.content.decode()


def test_a_withdrawn_invitation_is_refused_saying_so(client, ada, people):
    link = _invite(client, ada)
    invitation = Invitation.objects.get(username="erin")
    withdraw = reverse("governance:withdraw", kwargs={"pk": invitation.pk})
    client.force_login(people["alice"])  # a data owner, not an administrator
    assert client.post(withdraw).status_code == 403
    client.force_login(ada)
    assert client.post(withdraw).status_code == 302
    client.logout()
    refused = client.get(link)
    assert refused.status_code == 410
    assert "This invitation has been withdrawn" in refused.content.decode()
    entry = AuditEntry.objects.get(action="person.invitation_withdrawn")
    assert (entry.actor, entry.target) == ("ada", "erin")
    # A used invitation is not withdrawn (the person is deactivated instead).
    client.force_login(ada)
    used = Invitation.objects.get(pk=_invited_and_joined(client, ada))
    assert client.post(reverse("governance:withdraw", kwargs={"pk": used.pk})).status_code == 404


def _invited_and_joined(client, ada) -> int:
    link = _invite(client, ada, username="fay", full_name="Fay Fox")
    client.get(link)
    client.post(
        reverse("governance:join", kwargs={"token": "set-password"}),
        {"password1": STRONG, "password2": STRONG},
    )
    client.force_login(ada)
    return Invitation.objects.get(username="fay").pk


def test_an_altered_link_is_refused(client, ada):
    link = _invite(client, ada)
    token = link.rstrip("/").rsplit("/", 1)[1]
    first, _, signature = token.partition(":")
    forged = "9" + first[1:] if not first.startswith("9") else "8" + first[1:]
    for changed in (f"{forged}:{signature}", token[:-3]):
        response = client.get(reverse("governance:join", kwargs={"token": changed}))
        assert response.status_code == 410
        assert "This link is not one placewise made" in response.content.decode()


def test_deactivating_ends_a_signed_in_session_at_once(client, people, ada):
    bob = people["bob"]
    client.force_login(bob)
    assert client.get(reverse("data:home")).status_code == 200
    ended = governance.deactivate(person=bob, reason="left the trust", by=ada)
    assert ended == 1
    assert not Session.objects.exists()
    refused = client.get(reverse("data:home"))
    assert refused.status_code == 302 and refused.url.startswith("/login/")
    entry = AuditEntry.objects.get(action="person.deactivate")
    assert (entry.actor, entry.target, entry.reason) == ("ada", "bob", "left the trust")


def test_deactivate_page_needs_a_reason_and_refuses_oneself(client, people, ada):
    client.force_login(ada)
    url = reverse("governance:deactivate", kwargs={"pk": people["bob"].pk})
    bad = client.post(url, {"reason": ""})
    assert bad.status_code == 400 and summary(bad) == ["Enter reason"]
    assert User.objects.get(username="bob").is_active
    own = client.post(reverse("governance:deactivate", kwargs={"pk": ada.pk}), {"reason": "x"})
    assert own.status_code == 409 and "cannot deactivate yourself" in own.content.decode()


def test_roles_and_data_owner_pages(client, people, ada):
    client.force_login(ada)
    police = people["orgs"]["police"]
    charlie = people["charlie"]
    bad = client.post(
        reverse("governance:person", kwargs={"pk": charlie.pk}), {"organisation": "", "role": ""}
    )
    assert summary(bad) == ["Select organisation", "Select role"]
    client.post(
        reverse("governance:person", kwargs={"pk": charlie.pk}),
        {"organisation": str(police.pk), "role": "team_manager"},
    )
    assert set(charlie.memberships.values_list("role", flat=True)) == {
        "practitioner",
        "team_manager",
    }
    url = reverse("governance:organisation", kwargs={"pk": police.pk})
    assert summary(client.post(url, {"person": ""})) == ["Select data owner"]
    assert client.post(url, {"person": str(charlie.pk)}).status_code == 302
    assert queries.data_owner_of(police) == charlie


MAPPING = """[source]
name = "police_missing"
organisation = "Northshire Police"
[identity]
record_id = "Ref"
[[events]]
kind = "missing_episode"
start = "ReportDate"
"""


def _upload(text: str, name: str = "police.toml"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, text.encode(), content_type="application/toml")


def test_declaring_a_source_checks_its_mapping(client, people, ada):
    client.force_login(ada)
    police = people["orgs"]["police"]
    url = reverse("governance:sources")
    empty = client.post(url, {"name": "", "organisation": ""})
    assert summary(empty) == [
        "Enter source name",
        "Select organisation providing it",
        "Choose a mapping file",
    ]
    broken = client.post(
        url,
        {
            "name": "police_missing",
            "organisation": str(police.pk),
            "mapping": _upload(MAPPING.replace('record_id = "Ref"', "")),
        },
    )
    assert summary(broken) == [
        "Mapping file police.toml: [identity] needs 'record_id', the partner's own record key"
    ]
    wrong = client.post(
        url, {"name": "police_reports", "organisation": str(police.pk), "mapping": _upload(MAPPING)}
    )
    assert summary(wrong) == [
        "Mapping file police.toml: [source] name is 'police_missing', not 'police_reports'"
    ]
    assert not SourceMapping.objects.exists()
    ok = client.post(
        url, {"name": "police_missing", "organisation": str(police.pk), "mapping": _upload(MAPPING)}
    )
    assert ok.status_code == 302
    declared = SourceMapping.objects.get()
    assert (declared.organisation, declared.event_kinds) == (police, ["missing_episode"])


DRAFT = {
    "title": "Missing children",
    "purpose": "Police and council share missing episodes.",
    "purpose_category": "safeguarding",
    "article6": "6(1)(e)",
    "article9": "",
    "statutes": "Children Act 2004 s11",
    "retention_days": "2555",
    "review_date": "2099-01-31",
    "ends_on": "",
}


def test_draft_form_refuses_incomplete_and_malformed(client, people, agreement):
    client.force_login(people["alice"])
    url = reverse("governance:draft")
    bad = client.post(
        url,
        {
            "retention_days": "seven",
            # GOV.UK's three boxes: there is no 31 February; the end date lacks its month.
            "review_date-day": "31",
            "review_date-month": "2",
            "review_date-year": "2027",
            "ends_on-day": "1",
            "ends_on-year": "2028",
            "article6": "6(1)(z)",
        },
    )
    assert bad.status_code == 400
    assert summary(bad) == [
        "Enter title",
        "Enter purpose",
        "Select category of purpose",
        "Select lawful basis (Article 6) from the list",
        "Enter statute",
        "Select at least two parties",
        "Retention in days must be a whole number",
        "Review date must be a real date.",
        "End date must include a month.",
    ]
    orgs = people["orgs"]
    # The police have no named data owner yet, and Alice cannot draft for others alone.
    no_owner = client.post(url, {**DRAFT, "parties": [orgs["police"].pk, orgs["schools"].pk]})
    assert summary(no_owner) == [
        "Parties must include Northshire Council Children's Services: you draft agreements "
        "for your own organisation",
        "Parties: Northshire Police has no named data owner to approve it; ask an administrator "
        "to name one",
        "Parties: Northshire Schools Partnership has no named data owner to approve it; ask an "
        "administrator to name one",
    ]
    assert Agreement.objects.count() == 1


def test_only_each_partys_data_owner_approves(client, people, agreement):
    orgs = people["orgs"]
    council, health = orgs["council"], orgs["health"]
    dana = User.objects.get(username="dana")
    register_source(name="council_csc", organisation=council, by=actors.command_line())
    client.force_login(people["alice"])
    made = client.post(reverse("governance:draft"), {**DRAFT, "parties": [council.pk, health.pk]})
    assert made.status_code == 302
    drafted = Agreement.objects.get(title="Missing children")
    dataset = client.post(
        reverse("governance:add_dataset", kwargs={"pk": drafted.pk}),
        {
            "source": "council_csc",
            "recipient": str(health.pk),
            "level": "person",
            "event_kinds": ["missing_episode"],
            "fields_shared": ["sex"],
        },
    )
    assert dataset.status_code == 302
    assert list(drafted.datasets.values_list("source", "level")) == [("council_csc", "person")]
    approve = reverse("governance:approve", kwargs={"pk": drafted.pk})
    # (who, for which organisation) -> status: only the named data owner, for their own.
    matrix = [
        (people["bob"], health, 403),  # an analyst holds no permission to approve
        (people["charlie"], council, 403),
        (people["alice"], health, 403),  # a data owner, but not the trust's
        (dana, council, 403),  # the trust's data owner, not the council's
        (dana, health, 302),
        (people["alice"], council, 302),
    ]
    for who, organisation, expected in matrix:
        client.force_login(who)
        got = client.post(approve, {"organisation": str(organisation.pk)})
        assert got.status_code == expected, (who.username, organisation.name)
        if expected == 403 and who.username in ("alice", "dana"):
            assert "named data owner can approve for it" in got.content.decode()
    drafted.refresh_from_db()
    assert drafted.status == Agreement.Status.ACTIVE
    approvals = AuditEntry.objects.filter(action="agreement.approve", target="Missing children")
    assert sorted(approvals.values_list("actor", flat=True)) == ["alice", "dana"]
