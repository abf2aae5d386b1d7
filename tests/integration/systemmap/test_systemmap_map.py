"""The system map (issue 19, item 2): edges drawn from the data on every request, the drawn map
kept as append-only changes and shown as it stood on a date, causal loops labelled by hand-worked
sign counts, and who may change it."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from placewise.sharing import actions as sharing
from placewise.sharing.models import Agreement, AuditEntry
from placewise.sharing.permissions import Role
from placewise.systemmap import actions, queries
from placewise.systemmap.models import Change, EdgeKind, NodeKind
from tests.factories import person

pytestmark = pytest.mark.django_db


def _police_agreement(people, *, ends_on: date | None = None) -> Agreement:
    council, police = people["orgs"]["council"], people["orgs"]["police"]
    owner = person("percy", (police, Role.DATA_OWNER))
    agreement = sharing.draft_agreement(
        title="Missing children: council and police",
        purpose="Return interviews follow every missing episode.",
        purpose_category=Agreement.Purpose.SAFEGUARDING,
        article6=Agreement.Article6.PUBLIC_TASK,
        article9="",
        statutes="Children Act 2004 s11",
        review_date=date(2030, 1, 1),
        retention_days=365,
        parties=[(council, people["alice"]), (police, owner)],
        datasets=[],
        by=people["alice"],
        ends_on=ends_on,
    )
    agreement.owner = owner  # type: ignore[attr-defined]
    return agreement


def _shares(m: queries.Map) -> set[frozenset[str]]:
    return {
        frozenset((m.label(e.source), m.label(e.target)))
        for e in m.edges.values()
        if e.kind == EdgeKind.SHARES_DATA and not e.drawn
    }


def test_an_approved_agreement_is_an_edge_until_it_expires(people, agreement):
    council, police = people["orgs"]["council"], people["orgs"]["police"]
    health = people["orgs"]["health"]
    # The demo agreement (council and trust) is in force: one edge.
    assert _shares(queries.whole()) == {frozenset((council.name, health.name))}
    draft = _police_agreement(people)
    # A draft is not in force: no edge yet.
    assert frozenset((council.name, police.name)) not in _shares(queries.whole())
    sharing.approve(agreement=draft, organisation=council, by=people["alice"])
    # Half approved: still a draft.
    assert frozenset((council.name, police.name)) not in _shares(queries.whole())
    sharing.approve(agreement=draft, organisation=police, by=draft.owner)  # type: ignore[attr-defined]
    assert frozenset((council.name, police.name)) in _shares(queries.whole())
    sharing.set_status(
        agreement=draft, status=Agreement.Status.EXPIRED, reason="ended", by=people["alice"]
    )
    # The next request no longer draws it; nothing was copied, so nothing is left behind.
    assert _shares(queries.whole()) == {frozenset((council.name, health.name))}
    sharing.set_status(
        agreement=agreement, status=Agreement.Status.SUSPENDED, reason="x", by=people["alice"]
    )
    assert _shares(queries.whole()) == set()


def test_an_agreement_past_its_end_date_is_no_edge_though_still_marked_active(people, agreement):
    yesterday = timezone.localdate() - timedelta(days=1)
    draft = _police_agreement(people, ends_on=yesterday)
    sharing.approve(agreement=draft, organisation=people["orgs"]["council"], by=people["alice"])
    sharing.approve(agreement=draft, organisation=people["orgs"]["police"], by=draft.owner)  # type: ignore[attr-defined]
    assert Agreement.objects.get(pk=draft.pk).status == Agreement.Status.ACTIVE
    police = people["orgs"]["police"].name
    assert not any(police in pair for pair in _shares(queries.whole()))
    # On its last day it was in force.
    assert any(police in pair for pair in _shares(queries.whole(yesterday)))


def test_a_source_with_a_load_is_a_node_tied_to_its_provider(shared_place, people):
    m = queries.whole()
    health = people["orgs"]["health"]
    assert m.nodes["source:northshire_health"].kind == NodeKind.SOURCE
    provides = m.edges["source:northshire_health:provides"]
    assert (provides.source, provides.kind) == (f"org:{health.pk}", EdgeKind.PROVIDES)


def test_a_registered_source_with_no_load_is_not_drawn(people):
    from placewise.sources.models import Source

    Source.objects.create(
        name="schools_attendance", organisation=people["orgs"]["schools"], registered_by_name="t"
    )
    assert "source:schools_attendance" not in queries.whole().nodes


def _draw(by, *names: str) -> dict[str, str]:
    return {n: actions.put_node(label=n, kind=NodeKind.ISSUE, by=by).key for n in names}


def _link(by, k: dict[str, str], a: str, b: str, sign: str) -> None:
    kind = EdgeKind.SAME if sign == "+" else EdgeKind.OPPOSITE
    actions.put_edge(source=k[a], target=k[b], kind=kind, by=by)


def test_loops_on_a_hand_drawn_map_are_labelled(people):
    alice = people["alice"]
    k = _draw(
        alice, "Caseloads", "Staff leaving", "Agency staff", "Cost", "Referrals", "Early help"
    )
    # Loop 1 (reinforcing, no − link): caseloads → staff leaving → caseloads.
    _link(alice, k, "Caseloads", "Staff leaving", "+")
    _link(alice, k, "Staff leaving", "Caseloads", "+")
    # Loop 2 (reinforcing, two − links): caseloads → (+) staff leaving → (+) agency staff
    # → (+) cost → (−) early help → (−) referrals → (+) caseloads.
    _link(alice, k, "Staff leaving", "Agency staff", "+")
    _link(alice, k, "Agency staff", "Cost", "+")
    _link(alice, k, "Cost", "Early help", "-")
    _link(alice, k, "Early help", "Referrals", "-")
    _link(alice, k, "Referrals", "Caseloads", "+")
    # Loop 3 (balancing, one − link): referrals → (+) early help → (−) referrals.
    _link(alice, k, "Referrals", "Early help", "+")
    # A non-causal edge on a cycle makes no loop.
    actions.put_edge(source=k["Cost"], target=k["Caseloads"], kind=EdgeKind.INFLUENCES, by=alice)
    m = queries.whole()
    found = {
        frozenset(m.label(n) for n in loop.nodes): (loop.label, loop.negatives)
        for loop in queries.loops(m)
    }
    assert found == {
        frozenset({"Caseloads", "Staff leaving"}): ("Reinforcing", 0),
        frozenset(
            {"Caseloads", "Staff leaving", "Agency staff", "Cost", "Early help", "Referrals"}
        ): ("Reinforcing", 2),
        frozenset({"Referrals", "Early help"}): ("Balancing", 1),
    }


def test_the_map_as_it_stood_on_a_date(people):
    alice = people["alice"]
    k = _draw(alice, "Food poverty", "Food bank")
    edge = actions.put_edge(
        source=k["Food bank"], target=k["Food poverty"], kind=EdgeKind.INFLUENCES, by=alice
    )
    # Move the history back: the first drawing was in March, a change in May, removal in June.
    march, may, june = (timezone.make_aware(timezone.datetime(2026, m, 10, 12)) for m in (3, 5, 6))
    Change.objects.filter(pk__lte=edge.pk).update(at=march)
    actions.put_node(
        key=k["Food bank"], label="Community pantry", kind=NodeKind.COMMUNITY_GROUP, by=alice
    )
    Change.objects.filter(pk__gt=edge.pk).update(at=may)
    last = Change.objects.order_by("-pk").first()
    assert last is not None
    actions.remove_node(key=k["Food poverty"], why="merged", by=alice)
    Change.objects.filter(pk__gt=last.pk).update(at=june)

    def drawn(day: date) -> tuple[set[str], int]:
        m = queries.drawn(day)
        return {n.label for n in m.nodes.values()}, len(m.edges)

    assert drawn(date(2026, 3, 9)) == (set(), 0)
    assert drawn(date(2026, 3, 10)) == ({"Food poverty", "Food bank"}, 1)
    assert drawn(date(2026, 5, 10)) == ({"Food poverty", "Community pantry"}, 1)
    # Removing a node removed its edge too, both kept in the history.
    assert drawn(date(2026, 6, 10)) == ({"Community pantry"}, 0)
    assert Change.objects.count() == 6
    assert [c.by_name for c in queries.element_history("node", k["Food bank"])] == [
        "Alice Adeyemi",
        "Alice Adeyemi",
    ]


def test_changes_are_never_updated_or_deleted(people):
    change = actions.put_node(label="Youth club", kind=NodeKind.COMMUNITY_GROUP, by=people["alice"])
    change.data = {"label": "Changed"}
    with pytest.raises(ValueError, match="add another"):
        change.save()
    with pytest.raises(ValueError, match="kept as they were made"):
        change.delete()


def test_who_may_change_the_map_and_why_not(people):
    # Bob (analyst) and Charlie (practitioner) read; Alice (head of service) changes it.
    for who in ("bob", "charlie"):
        with pytest.raises(actions.MapError, match="enablers, partner leads, heads of service"):
            actions.put_node(label="X", kind=NodeKind.TEAM, by=people[who])
    refused = AuditEntry.objects.filter(action="systemmap.node_set", allowed=False)
    assert sorted(refused.values_list("actor", flat=True)) == ["bob", "charlie"]
    assert Change.objects.count() == 0


def test_what_the_data_draws_cannot_be_changed_by_hand(people, agreement):
    alice, council = people["alice"], people["orgs"]["council"]
    with pytest.raises(actions.MapError, match="drawn from the data"):
        actions.put_node(key=f"org:{council.pk}", label="X", kind=NodeKind.TEAM, by=alice)
    with pytest.raises(actions.MapError, match="drawn from the data"):
        actions.remove_node(key=f"org:{council.pk}", by=alice)
    edge = next(k for k in queries.whole().edges if k.startswith("agreement:"))
    with pytest.raises(actions.MapError, match="drawn from the data"):
        actions.remove_edge(key=edge, by=alice)
    # But a drawn edge may join a node the data draws.
    team = actions.put_node(label="MASH", kind=NodeKind.TEAM, by=alice)
    actions.put_edge(source=team.key, target=f"org:{council.pk}", kind=EdgeKind.REFERS_TO, by=alice)
    assert any(e.drawn and e.target == f"org:{council.pk}" for e in queries.whole().edges.values())


def test_bad_drawings_are_refused_with_reasons(people):
    alice = people["alice"]
    with pytest.raises(actions.MapError, match="Give the node a label"):
        actions.put_node(label="  ", kind=NodeKind.TEAM, by=alice)
    with pytest.raises(actions.MapError, match="what kind of node"):
        actions.put_node(label="X", kind=NodeKind.SOURCE, by=alice)
    k = _draw(alice, "A")
    with pytest.raises(actions.MapError, match="goes to"):
        actions.put_edge(source=k["A"], target="nowhere", kind=EdgeKind.FUNDS, by=alice)
    with pytest.raises(actions.MapError, match="two different nodes"):
        actions.put_edge(source=k["A"], target=k["A"], kind=EdgeKind.FUNDS, by=alice)
    with pytest.raises(actions.MapError, match="kind of relationship"):
        actions.put_edge(source=k["A"], target=k["A"], kind=EdgeKind.PROVIDES, by=alice)


def test_search_and_filter_keep_a_found_node_s_neighbours(people, agreement):
    alice = people["alice"]
    k = _draw(alice, "Knife crime")
    police = people["orgs"]["police"]
    actions.put_edge(
        source=f"org:{police.pk}", target=k["Knife crime"], kind=EdgeKind.INFLUENCES, by=alice
    )
    found = queries.filtered(queries.whole(), q="police")
    assert {n.label for n in found.nodes.values()} == {"Northshire Police", "Knife crime"}
    assert len(found.edges) == 1
    issues = queries.filtered(queries.whole(), kinds=[NodeKind.ISSUE])
    assert {n.label for n in issues.nodes.values()} == {"Knife crime"}
    assert issues.edges == {}


def test_an_initiative_s_stakeholders_are_drawn_for_those_who_may_see_it(people):
    from placewise.initiatives import actions as initiatives
    from placewise.initiatives.models import Initiative, Stakeholder

    alice, council, police = people["alice"], people["orgs"]["council"], people["orgs"]["police"]
    today = timezone.localdate()
    initiative = initiatives.start(
        kind=Initiative.Kind.values[0],
        name="Food poverty",
        issue="Children go hungry in the holidays",
        organisation=council,
        started_on=today,
        by=alice,
    )
    for kind, name, org in (
        (Stakeholder.Kind.ORGANISATION, "Northshire Police", police),
        (Stakeholder.Kind.PERSON, "Pat Food Bank", None),
    ):
        initiatives.add_stakeholder(
            initiative=initiative,
            kind=kind,
            name=name,
            role="Partner",
            organisation=org,
            organisation_name="" if org else "Northshire Food Bank",
            authorising=org is not None,
            authorises="Data on missing episodes" if org else "",
            on=today,
            by=alice,
        )
    m = queries.whole(viewer=alice)
    hub = f"initiative:{initiative.pk}"
    assert m.nodes[hub].label == "Food poverty"
    ends = {m.label(e.source): e.notes for e in m.edges.values() if e.target == hub}
    assert ends == {
        "Northshire Police": "Partner; must authorise it",
        "Pat Food Bank": "Partner",
    }
    # Charlie (police, not on the initiative's team nor at a partner of it) does not see it.
    assert hub not in queries.whole(viewer=people["charlie"]).nodes
