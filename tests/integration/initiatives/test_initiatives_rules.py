"""Initiatives (issue 19): Block's groups, placements kept apart per member, the history of moves
told in words, the strategic triangle's warnings, and who may see and edit — all worked by hand."""

from datetime import date

import pytest

from placewise.indicators import library
from placewise.initiatives import actions, blocks, queries, visibility
from placewise.initiatives.actions import InitiativeError
from placewise.initiatives.models import Initiative
from placewise.reviews.models import Action
from placewise.sharing.models import Agreement
from placewise.sources.models import Source

H, L, U = "high", "low", "unknown"
TODAY = date(2026, 6, 1)


@pytest.mark.parametrize(
    ("trust", "agreement", "group"),
    [
        (H, H, "allies"),
        (H, L, "opponents"),
        (L, H, "bedfellows"),
        (L, U, "fence_sitters"),
        (H, U, "fence_sitters"),  # agreement unknown: a fence-sitter, whatever the trust
        (L, L, "adversaries"),
        (U, H, "not_yet_known"),
        (U, L, "not_yet_known"),
        (U, U, "fence_sitters"),
    ],
)
def test_block_groups(trust: str, agreement: str, group: str) -> None:
    assert blocks.group_of(trust, agreement).key == group


def test_every_group_has_an_approach_in_our_words_and_the_source_is_named() -> None:
    assert all(g.approach for g in blocks.GROUPS)
    assert "Peter Block" in blocks.SOURCE and "1987" in blocks.SOURCE


def _initiative(people, **kw) -> Initiative:
    return actions.start(
        kind=kw.get("kind", Initiative.Kind.INITIATIVE),
        name=kw.get("name", "Joining up early help"),
        issue=kw.get("issue", ""),
        organisation=people["orgs"]["council"],
        started_on=date(2026, 1, 5),
        by=people["alice"],
    )


def _stakeholder(initiative, by, name, *, authorising=False, organisation=None):
    return actions.add_stakeholder(
        initiative=initiative,
        kind="organisation" if organisation else "person",
        name=name,
        role="",
        organisation=organisation,
        organisation_name="",
        authorising=authorising,
        authorises="Its budget" if authorising else "",
        on=date(2026, 1, 5),
        by=by,
    )


@pytest.fixture
def initiative(people) -> Initiative:
    found = _initiative(people)
    actions.add_member(
        initiative=found, user=people["bob"], on=date(2026, 1, 6), by=people["alice"]
    )
    return found


def test_placements_by_two_members_are_kept_apart_and_the_spread_shown(people, initiative):
    alice, bob = people["alice"], people["bob"]
    head = _stakeholder(initiative, alice, "Head of schools")
    actions.place(stakeholder=head, trust=H, agreement=H, on=date(2026, 2, 1), note="", by=alice)
    actions.place(stakeholder=head, trust=L, agreement=U, on=date(2026, 2, 2), note="", by=bob)
    groups, unplaced = queries.trust_map(initiative)
    by_key = {g.group.key: [e.stakeholder.name for e in g.entries] for g in groups}
    # Under both groups, not averaged into one between them.
    assert by_key["allies"] == ["Head of schools"]
    assert by_key["fence_sitters"] == ["Head of schools"]
    assert by_key["opponents"] == by_key["bedfellows"] == by_key["adversaries"] == []
    assert unplaced == []
    entry = groups[0].entries[0]
    assert entry.spread == "Placed differently: Alice Adeyemi: ally; Bob Bennett: fence-sitter."


def test_moves_are_told_as_sentences_counting_each_stakeholder_once(people, initiative):
    alice, bob = people["alice"], people["bob"]
    names = ["GP lead", "Police inspector", "Head of schools", "Councillor"]
    s = {n: _stakeholder(initiative, alice, n) for n in names}
    for n in names:
        actions.place(
            stakeholder=s[n], trust=L, agreement=U, on=date(2026, 1, 10), note="", by=alice
        )
    # Three move from fence-sitter to ally, in March and April; the GP lead is moved by both
    # members (counted once). The councillor moves to adversary in May.
    actions.place(
        stakeholder=s["GP lead"], trust=L, agreement=U, on=date(2026, 1, 11), note="", by=bob
    )
    actions.place(
        stakeholder=s["GP lead"], trust=H, agreement=H, on=date(2026, 3, 2), note="", by=alice
    )
    actions.place(
        stakeholder=s["GP lead"], trust=H, agreement=H, on=date(2026, 4, 2), note="", by=bob
    )
    actions.place(
        stakeholder=s["Police inspector"],
        trust=H,
        agreement=H,
        on=date(2026, 3, 20),
        note="",
        by=alice,
    )
    actions.place(
        stakeholder=s["Head of schools"],
        trust=H,
        agreement=H,
        on=date(2026, 4, 9),
        note="",
        by=alice,
    )
    actions.place(
        stakeholder=s["Councillor"], trust=L, agreement=L, on=date(2026, 5, 1), note="", by=alice
    )
    # The same group again is no move.
    actions.place(
        stakeholder=s["Councillor"], trust=L, agreement=L, on=date(2026, 5, 2), note="", by=alice
    )
    assert queries.move_sentences(initiative) == [
        "3 stakeholders moved from fence-sitter to ally since March 2026",
        "1 stakeholder moved from fence-sitter to adversary since May 2026",
    ]
    assert len(queries.moves(initiative)) == 5


def test_a_placement_before_the_members_last_is_refused(people, initiative):
    alice = people["alice"]
    head = _stakeholder(initiative, alice, "Head of schools")
    actions.place(stakeholder=head, trust=H, agreement=H, on=date(2026, 2, 1), note="", by=alice)
    with pytest.raises(InitiativeError, match="You last placed Head of schools on 1 February 2026"):
        actions.place(
            stakeholder=head, trust=L, agreement=L, on=date(2026, 1, 1), note="", by=alice
        )


def test_warnings_worked_by_hand(people, initiative, agreement):
    alice, bob = people["alice"], people["bob"]
    # A new initiative: nothing stated, no indicator.
    assert queries.warnings(initiative, TODAY) == [
        "No public value is stated: say what value this work creates for the public before "
        "asking anyone to authorise it or give it capacity.",
        "No indicator is tied to the public value: name one, so that whether the value is "
        "being delivered can be seen.",
    ]
    actions.describe(
        initiative=initiative,
        public_value="Fewer children referred twice",
        systems="",
        workforce="",
        leadership="",
        progress="",
        by=alice,
    )
    actions.add_measure(
        initiative=initiative,
        indicator=next(iter(library.load())),
        team="Place",
        direction="down",
        public_value=True,
        by=alice,
    )
    assert queries.warnings(initiative, TODAY) == []
    board = _stakeholder(initiative, alice, "Health board", authorising=True)
    ally = _stakeholder(initiative, alice, "Lead member", authorising=True)
    actions.place(stakeholder=board, trust=L, agreement=L, on=date(2026, 2, 1), note="", by=alice)
    actions.place(stakeholder=board, trust=L, agreement=U, on=date(2026, 2, 1), note="", by=bob)
    actions.place(stakeholder=ally, trust=H, agreement=H, on=date(2026, 2, 1), note="", by=alice)
    # An agreement that has ended, and a source with no load.
    agreement.ends_on = date(2026, 5, 31)
    agreement.save()
    source = Source.objects.create(
        name="Youth service diary", organisation=people["orgs"]["council"], registered_by_name="t"
    )
    actions.add_capacity(
        initiative=initiative,
        kind="data",
        description="Shared records",
        agreement=agreement,
        source=None,
        team="",
        by=alice,
    )
    actions.add_capacity(
        initiative=initiative,
        kind="data",
        description="Youth work contacts",
        agreement=None,
        source=source,
        team="",
        by=alice,
    )
    assert agreement.status == Agreement.Status.ACTIVE
    assert queries.warnings(initiative, TODAY) == [
        "Health board must authorise this work, and Alice Adeyemi places them as an adversary.",
        "Health board must authorise this work, and Bob Bennett places them as a fence-sitter.",
        f"Data capacity 'Shared records' depends on the agreement '{agreement}', which is not "
        "in force (Active, ends 31 May 2026).",
        "Data capacity 'Youth work contacts' depends on the source 'Youth service diary', which "
        "has no load yet.",
    ]
    # The day the agreement ends it is still in force.
    assert len(queries.warnings(initiative, date(2026, 5, 31))) == 3


def test_the_next_conversation_is_an_action_in_the_follow_up_engine(people, initiative):
    alice, bob = people["alice"], people["bob"]
    gp = _stakeholder(initiative, alice, "GP lead")
    conversation = actions.plan_conversation(
        stakeholder=gp,
        description="Ask what it would take for the practice to share its list",
        owner=bob,
        due_on=date(2026, 3, 1),
        on=date(2026, 2, 1),
        measure=None,
        by=alice,
    )
    action = Action.objects.get(pk=conversation.action.pk)
    assert action.origin == Action.Origin.INITIATIVE
    assert action.measure == Action.Measure.REFLECTION
    assert action.practitioner == bob
    assert action.organisation == people["orgs"]["council"]
    assert action.agreed_at == "Joining up early help, 1 February 2026"
    with pytest.raises(InitiativeError, match="owner must be on the team"):
        actions.plan_conversation(
            stakeholder=gp,
            description="x",
            owner=people["charlie"],
            due_on=date(2026, 3, 1),
            on=date(2026, 2, 1),
            measure=None,
            by=alice,
        )


def test_stakeholder_edges_for_the_system_map(people, initiative):
    alice, bob = people["alice"], people["bob"]
    health = people["orgs"]["health"]
    trust = _stakeholder(initiative, alice, "The trust", organisation=health)
    _stakeholder(initiative, alice, "A parent")
    actions.place(stakeholder=trust, trust=H, agreement=H, on=date(2026, 2, 1), note="", by=alice)
    actions.place(stakeholder=trust, trust=L, agreement=H, on=date(2026, 2, 1), note="", by=bob)
    edges = queries.stakeholder_edges()
    assert [(e.stakeholder, e.organisation_pk, e.group) for e in edges] == [
        ("The trust", health.pk, "mixed"),
        ("A parent", None, ""),
    ]
    assert queries.stakeholder_edges(people["charlie"]) == []


# The matrix: who may see and edit. The initiative is the council's, the trust a partner, and
# its team Alice (who started it) and, in the last column, Bob added.
MATRIX = {
    # viewer: (sees, edits) before Bob joins the team, then after
    "alice": ((True, True), (True, True)),
    "bob": ((True, False), (True, True)),
    "charlie": ((False, False), (False, False)),
    "anonymous": ((False, False), (False, False)),
}


def test_who_sees_and_edits_an_initiative(people):
    from django.contrib.auth.models import AnonymousUser

    found = _initiative(people)
    actions.add_partner(initiative=found, organisation=people["orgs"]["health"], by=people["alice"])
    viewers = {**{k: people[k] for k in ("alice", "bob", "charlie")}, "anonymous": AnonymousUser()}

    def answers(column: int) -> None:
        for name, expected in MATRIX.items():
            got = visibility.sight(viewers[name], found)
            assert (got.allowed, got.edit) == expected[column], name
            assert (found in visibility.visible(viewers[name])) == expected[column][0], name

    answers(0)
    assert visibility.sight(people["charlie"], found).reason == (
        "'Joining up early help' is seen by its team and by the people of "
        f"{people['orgs']['council']} and its partner organisations only: you are in none of them."
    )
    with pytest.raises(InitiativeError, match="Only the team of 'Joining up early help'"):
        actions.describe(
            initiative=found,
            public_value="x",
            systems="",
            workforce="",
            leadership="",
            progress="",
            by=people["bob"],
        )
    actions.add_member(
        initiative=found, user=people["bob"], on=date(2026, 2, 1), by=people["alice"]
    )
    answers(1)


def test_a_place_project_needs_its_issue(people):
    with pytest.raises(InitiativeError, match="A place project takes one issue"):
        _initiative(people, kind=Initiative.Kind.PROJECT)
