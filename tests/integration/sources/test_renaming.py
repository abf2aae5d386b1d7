"""A data owner renames a source on purpose (ADR 0034, follow-up): the name people say changes,
the code files and analysts use does not. Only the data owner of the organisation providing it,
an administrator or the operator at the command line may; every refusal says why, and a refusal
to the person is in the audit log as well as the change itself."""

import re

import pytest

from placewise.cli import main
from placewise.sharing import actors
from placewise.sharing.access import AccessDenied
from placewise.sharing.models import AuditEntry
from placewise.sharing.permissions import Role
from placewise.sources import naming
from placewise.sources.actions import register_source
from placewise.sources.models import Source
from tests.factories import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def sources(people):
    """The council's case records and the police's missing reports, as their data owners
    declared them: the police's with the name it was declared with."""
    operator = actors.command_line()
    return {
        "council": register_source(
            name="council_csc",
            organisation=people["orgs"]["council"],
            by=operator,
            title="Children's social care records",
        ),
        "police": register_source(
            name="police_missing",
            organisation=people["orgs"]["police"],
            by=operator,
            title="Police missing",
        ),
    }


def renames():
    return list(
        AuditEntry.objects.filter(action="source.rename").values_list(
            "actor", "target", "allowed", "reason", "detail"
        )
    )


def test_the_police_data_owner_renames_their_source_and_it_is_audited(people, sources):
    dora = person("dora", (people["orgs"]["police"], Role.DATA_OWNER))
    renamed = naming.rename_source(
        source=sources["police"], title="  Missing from home reports ", by=dora
    )
    assert (renamed.name, renamed.title) == ("police_missing", "Missing from home reports")
    assert Source.objects.get(name="police_missing").title == "Missing from home reports"
    assert naming.title_of("police_missing") == "Missing from home reports"
    assert renames() == [
        (
            "dora",
            "police_missing",
            True,
            "Northshire Police provides the source 'police_missing'.",
            {"from": "Police missing", "to": "Missing from home reports"},
        )
    ]


def test_an_administrator_and_the_command_line_may_rename_any_source(people, sources):
    ada = person("ada", (people["orgs"]["council"], Role.ADMINISTRATOR))
    naming.rename_source(source=sources["police"], title="Missing episodes", by=ada)
    naming.rename_source(
        source=sources["council"], title="Social care case records", by=actors.command_line()
    )
    assert naming.title_of("police_missing") == "Missing episodes"
    assert naming.title_of("council_csc") == "Social care case records"
    assert [(actor, target) for actor, target, *_ in renames()] == [
        ("ada", "police_missing"),
        (actors.command_line().get_username(), "council_csc"),
    ]


def test_anyone_else_is_refused_saying_who_may_and_the_refusal_is_audited(people, sources):
    # Alice is the council's data owner, not the police's; Bob analyses the trust's data;
    # Charlie is a police practitioner, not its data owner.
    for who in ("alice", "bob", "charlie"):
        with pytest.raises(AccessDenied) as refused:
            naming.rename_source(source=sources["police"], title="Mispers", by=people[who])
        assert refused.value.reason == (
            "Only the data owner of Northshire Police, or an administrator, can rename "
            "'Police missing'."
        )
    assert naming.title_of("police_missing") == "Police missing"
    assert renames() == [
        (
            who,
            "police_missing",
            False,
            "Only the data owner of Northshire Police, or an administrator, can rename "
            "'Police missing'.",
            {},
        )
        for who in ("alice", "bob", "charlie")
    ]


def test_a_deactivated_data_owner_is_refused(people, sources):
    dora = person("dora", (people["orgs"]["police"], Role.DATA_OWNER))
    dora.is_active = False
    dora.save(update_fields=["is_active"])
    with pytest.raises(AccessDenied):
        naming.rename_source(source=sources["police"], title="Missing episodes", by=dora)
    assert naming.title_of("police_missing") == "Police missing"


@pytest.mark.parametrize(
    ("title", "reason"),
    [
        ("", "Enter the name people use for this source"),
        ("   ", "Enter the name people use for this source"),
        ("x" * 201, "The name must be 200 characters or fewer; this one is 201"),
        # Another source's name, in any case, could not be told apart from it on a page.
        (
            "children's SOCIAL care records ",
            "'Children's social care records' is already the name of another source, from "
            "Northshire Council Children's Services: choose a name people can tell apart from it",
        ),
    ],
)
def test_a_blank_long_or_taken_name_is_refused_saying_why(people, sources, title, reason):
    with pytest.raises(naming.RenameRefused, match="^" + re.escape(reason) + "$"):
        naming.rename_source(source=sources["police"], title=title, by=actors.command_line())
    assert naming.title_of("police_missing") == "Police missing"
    assert renames() == []  # bad input is the form's to show, not the log's to keep


def test_a_source_with_no_name_yet_is_named_by_its_code_so_its_code_is_taken(people, sources):
    Source.objects.create(
        name="trust_school_nursing", organisation=people["orgs"]["health"], registered_by_name="t"
    )
    with pytest.raises(naming.RenameRefused, match="'trust_school_nursing' is already the name"):
        naming.rename_source(
            source=sources["police"], title="Trust_School_Nursing", by=actors.command_line()
        )


def test_two_hundred_characters_is_long_enough_and_the_same_name_changes_nothing(people, sources):
    operator = actors.command_line()
    naming.rename_source(source=sources["police"], title="m" * 200, by=operator)
    assert naming.title_of("police_missing") == "m" * 200
    naming.rename_source(source=sources["police"], title="m" * 200, by=operator)
    assert len(renames()) == 1  # the second changed nothing, so recorded nothing


def test_placewise_source_rename_at_the_command_line(people, sources, capsys):
    assert main(["source", "rename", "police_missing", "--title", "Missing from home reports"]) == 0
    assert capsys.readouterr().out == (
        "source 'police_missing' is now called 'Missing from home reports'\n"
    )
    assert naming.title_of("police_missing") == "Missing from home reports"
    assert main(["source", "rename", "police_missing", "--title", " "]) == 1
    assert capsys.readouterr().err == "not renamed: Enter the name people use for this source\n"
    assert main(["source", "rename", "police_mising", "--title", "Missing"]) == 1
    assert capsys.readouterr().err == "not renamed: no source has the code 'police_mising'\n"
    assert naming.title_of("police_missing") == "Missing from home reports"
    assert [detail for *_, detail in renames()] == [
        {"from": "Police missing", "to": "Missing from home reports"}
    ]
