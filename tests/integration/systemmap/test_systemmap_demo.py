"""The demo's system map: drawn through the actions, with the demo agreement drawn in by the
data and the three loops the demo means to show."""

import pytest

from placewise.systemmap import demo_data, queries
from placewise.systemmap.models import EdgeKind

pytestmark = pytest.mark.django_db


def test_the_demo_map_has_its_nodes_the_agreement_and_three_loops(people, agreement):
    demo_data.build(organisations=people["orgs"], by=people["alice"])
    demo_data.build(organisations=people["orgs"], by=people["alice"])  # idempotent
    m = queries.whole()
    assert len(queries.drawn().nodes) == len(demo_data.NODES)
    assert len(queries.drawn().edges) == len(demo_data.EDGES)
    shares = [e for e in m.edges.values() if e.kind == EdgeKind.SHARES_DATA]
    assert [(m.label(e.source), m.label(e.target)) for e in shares] == [
        ("Northshire Council Children's Services", "Northshire NHS Foundation Trust")
    ]
    labels = sorted((loop.label, len(loop.nodes)) for loop in queries.loops(m))
    assert labels == [("Balancing", 2), ("Reinforcing", 2), ("Reinforcing", 6)]
