"""The system map out and back in: CSV, GraphML and Cytoscape JSON; an import with any fault
loads nothing and says where and why."""

import csv
import io
import json

import defusedxml.ElementTree as safe_xml
import pytest

from placewise.systemmap import actions, exchange, queries
from placewise.systemmap.models import Change, EdgeKind, NodeKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def drawn(people, agreement):
    alice, council = people["alice"], people["orgs"]["council"]
    mash = actions.put_node(label="MASH", kind=NodeKind.TEAM, notes="Front door", by=alice).key
    harm = actions.put_node(label="=Exploitation", kind=NodeKind.ISSUE, by=alice).key
    actions.put_edge(source=mash, target=f"org:{council.pk}", kind=EdgeKind.REFERS_TO, by=alice)
    actions.put_edge(source=harm, target=mash, kind=EdgeKind.SAME, sources="Ofsted 2025", by=alice)
    return {"mash": mash, "harm": harm}


def test_csv_export_has_every_node_and_edge(drawn, people):
    m = queries.whole()
    nodes = list(csv.DictReader(io.StringIO(exchange.nodes_csv(m))))
    edges = list(csv.DictReader(io.StringIO(exchange.edges_csv(m))))
    # Four organisations from the data, two drawn nodes; two drawn edges and the agreement.
    assert len(nodes) == 6 and len(edges) == 3
    by_id = {row["id"]: row for row in nodes}
    assert by_id[drawn["mash"]]["label"] == "MASH"
    # A cell a spreadsheet would run as a formula is written as text.
    assert by_id[drawn["harm"]]["label"] == "'=Exploitation"
    assert {row["from_data"] for row in edges} == {"", "agreement"}


def test_graphml_and_json_name_every_element(drawn):
    m = queries.whole()
    root = safe_xml.fromstring(exchange.graphml(m))
    ns = {"g": exchange.GRAPHML}
    assert len(root.findall("g:graph/g:node", ns)) == 6
    assert len(root.findall("g:graph/g:edge", ns)) == 3
    document = json.loads(exchange.cytoscape_json(m, queries.elements(m)))
    assert len(document["elements"]["nodes"]) == 6
    assert len(document["elements"]["edges"]) == 3


@pytest.mark.parametrize("fmt", ["csv", "graphml", "json"])
def test_an_export_imports_back_as_the_same_map(drawn, people, fmt):
    before = queries.whole()
    if fmt == "csv":
        parsed = exchange.from_csv(
            exchange.nodes_csv(before).encode(), exchange.edges_csv(before).encode()
        )
    elif fmt == "graphml":
        parsed = exchange.from_graphml(exchange.graphml(before).encode())
    else:
        parsed = exchange.from_json(
            exchange.cytoscape_json(before, queries.elements(before)).encode()
        )
    count = Change.objects.count()
    # The data's four organisations and agreement are left to the data; the drawn two of each
    # are written again as the importer's changes.
    assert actions.import_map(parsed=parsed, file_name=f"map.{fmt}", by=people["alice"]) == (2, 2)
    assert Change.objects.count() == count + 4
    after = queries.whole()
    assert after.nodes == before.nodes and after.edges == before.edges


def test_an_import_from_another_tool_adds_to_the_map(people, agreement):
    council = people["orgs"]["council"]
    nodes = b"id,label,kind\nvcs,Youth Forum,community_group\n"
    edges = f"source,target,kind,notes\nvcs,org:{council.pk},influences,Termly meeting\n".encode()
    parsed = exchange.from_csv(nodes, edges)
    assert actions.import_map(parsed=parsed, file_name="kumu.csv", by=people["alice"]) == (1, 1)
    m = queries.whole()
    assert m.nodes["vcs"].label == "Youth Forum"
    (edge,) = [e for e in m.edges.values() if e.source == "vcs"]
    assert (edge.kind, edge.notes) == (EdgeKind.INFLUENCES, "Termly meeting")


def _refused(parsed: exchange.Parsed, people) -> list[str]:
    with pytest.raises(exchange.Refused) as refused:
        actions.import_map(parsed=parsed, file_name="bad", by=people["alice"])
    assert Change.objects.count() == 0
    return [str(f) for f in refused.value.faults]


def test_a_malformed_csv_loads_nothing_and_says_where(people, agreement):
    nodes = (
        b"id,label,kind\n"
        b"a,Alpha,team\n"
        b"b,,wizard\n"  # row 3: no label, no such kind
        b"a,Again,team\n"  # row 4: id twice
        b"org:999,Ghost,organisation\n"  # row 5: the data has no such organisation
    )
    edges = b"source,target,kind\na,zzz,funds\na,a,provides\n"
    faults = _refused(exchange.from_csv(nodes, edges), people)
    assert faults == [
        "nodes row 3, column kind: “wizard” is not a kind of node: one of organisation, team, "
        "service, community_group, person, issue",
        "nodes row 3, column label: a node needs a label",
        "nodes row 4, column id: a is given twice",
        "nodes row 5, column id: org:999 is said to come from the data, which has no such node",
        "edges row 2, column target: “zzz” is no node in the file or on the map",
        "edges row 3, column kind: “provides” is not a kind of edge one may draw: one of "
        "commissions, refers_to, shares_data, funds, influences, causal_same, causal_opposite",
    ]


def test_a_csv_without_its_columns_is_refused(people):
    with pytest.raises(exchange.Refused) as refused:
        exchange.from_csv(b"name,type\nA,team\n", None)
    assert [str(f) for f in refused.value.faults] == [
        "nodes row 1 (header): no column id",
        "nodes row 1 (header): no column label",
        "nodes row 1 (header): no column kind",
    ]


def test_broken_json_and_xml_are_refused_with_line_and_column(people):
    with pytest.raises(exchange.Refused) as refused:
        exchange.from_json(b'{"elements": [\n  {"data": {"id": "a",}}]}')
    assert str(refused.value.faults[0]).startswith("line 2, column 23:")
    with pytest.raises(exchange.Refused) as refused:
        exchange.from_graphml(b"<graphml>\n<graph><node id='a'></graph></graphml>")
    # The mismatched </graph>: its name starts at column 23 (7 + 13 characters, then "</").
    assert str(refused.value.faults[0]) == "line 2, column 23: not well-formed XML"
    with pytest.raises(exchange.Refused, match="not UTF-8 text"):
        exchange.from_json(b"\xff\xfe")


def test_xml_entities_are_refused(people):
    bomb = b'<?xml version="1.0"?><!DOCTYPE g [<!ENTITY a "aaaa">]><graphml>&a;</graphml>'
    with pytest.raises(exchange.Refused, match="refused"):
        exchange.from_graphml(bomb)
