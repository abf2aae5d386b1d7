"""The accounts the software acts as (sharing/actors.py): the person at the command line, the
jobs' worker, link holders and the demo's builder are user records named as the audit log has
always named them, which can never sign in and are never listed or chosen as people."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from placewise.cli import main
from placewise.governance import actions as governance
from placewise.governance.forms import DataOwnerForm
from placewise.initiatives.forms import MemberForm
from placewise.sharing import actors
from placewise.sharing.models import AuditEntry, Membership
from placewise.sharing.permissions import Role
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

# Every name the audit log gave these actors before they were records (hand-copied from it).
EVERY_ACTOR = {
    "cli:dev-ops": lambda: actors.command_line(),
    "worker for alice": lambda: actors.worker_for("alice"),
    "demo": actors.demo_builder,
    "a rater (by link)": actors.rater,
    "a partner (by link)": actors.partner_by_link,
    "a newcomer (by link)": actors.newcomer_by_link,
    "a member of the public": actors.member_of_the_public,
}


@pytest.fixture(autouse=True)
def at_the_command_line(monkeypatch):
    # getpass reads LOGNAME first: the operator's account on the server is "dev-ops".
    monkeypatch.setenv("LOGNAME", "dev-ops")


def test_the_command_line_is_one_record_named_cli_and_the_os_user():
    first = actors.command_line()
    again = actors.command_line()
    assert first.pk == again.pk
    assert first.get_username() == "cli:dev-ops"
    assert not first.is_active and not first.has_usable_password()
    made = AuditEntry.objects.filter(action="actor.create")
    assert [(e.actor, e.target) for e in made] == [("cli:dev-ops", "cli:dev-ops")]


def test_each_actor_keeps_the_name_old_audit_entries_use():
    made = {name: make() for name, make in EVERY_ACTOR.items()}
    assert {name: user.get_username() for name, user in made.items()} == {
        name: name for name in EVERY_ACTOR
    }
    assert all(actors.is_actor(user) for user in made.values())
    assert [u.get_username() for u in made.values() if actors.is_command_line(u)] == ["cli:dev-ops"]


def test_a_cli_commands_audit_entries_name_the_person_at_the_command_line(
    small_place, fresh_stores
):
    path = small_place / "partners" / "police_domestic_abuse.csv"
    assert main(["ingest", "--no-dfe", "--quiet", str(path)]) == 0
    loaded = AuditEntry.objects.filter(action__startswith="load.").order_by("seq")
    assert loaded.exists(), "the load was not audited: nothing to check"
    assert {e.actor for e in loaded} == {"cli:dev-ops"}
    recorded = User.objects.get(username="cli:dev-ops")
    assert actors.is_command_line(recorded)


@pytest.mark.parametrize("password", ["", PASSWORD])
def test_the_command_line_cannot_sign_in(client, password):
    operator = actors.command_line()
    if password:  # even with a password set on it by hand, the account is inactive
        operator.set_password(password)
        operator.save()
    response = client.post(
        reverse("login"), {"username": "cli:dev-ops", "password": password or "anything-at-all"}
    )
    assert response.status_code != 302
    assert "_auth_user_id" not in client.session


def test_a_persons_account_is_never_taken_as_an_actor(people):
    governance.set_up_place(
        name="Northshire",
        council=people["orgs"]["council"].name,
        username="demo",  # a real person the place invited as "demo"
        full_name="Demo Person",
        password=PASSWORD,
        by=actors.command_line(),
    )
    with pytest.raises(actors.NotAnActor, match="'demo' is a person's account"):
        actors.demo_builder()


def test_actors_are_not_listed_or_chosen_as_people(client, people):
    governance.set_up_place(
        name="Northshire",
        council=people["orgs"]["council"].name,
        username="ada",
        full_name="Ada Administrator",
        password=PASSWORD,
        by=actors.command_line(),
    )
    made = {make().pk for make in EVERY_ACTOR.values()}
    client.force_login(User.objects.get(username="ada"))
    listed = client.get(reverse("governance:people")).context["people"]
    assert {p.get_username() for p in listed} == {"alice", "bob", "charlie", "ada"}
    operator = actors.command_line()
    assert client.get(reverse("governance:person", kwargs={"pk": operator.pk})).status_code == 404
    assert set(actors.people().values_list("username", flat=True)) == {
        "alice",
        "bob",
        "charlie",
        "ada",
    }
    owners = {int(value) for value, _ in DataOwnerForm().fields["person"].choices if value}
    members = {u.pk for u in MemberForm().fields["user"].queryset}
    alice = User.objects.get(username="alice").pk
    assert alice in owners and alice in members  # the pickers do offer people
    assert not made & owners and not made & members


def test_an_actor_cannot_be_given_a_role(people):
    operator = actors.command_line()
    with pytest.raises(governance.SetUpRefused, match="not a person"):
        governance.give_role(
            person=operator,
            organisation=people["orgs"]["council"],
            role=Role.ADMINISTRATOR,
            by=people["alice"],
        )
    assert not Membership.objects.filter(user=operator).exists()
