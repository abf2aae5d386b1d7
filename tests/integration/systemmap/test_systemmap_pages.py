"""The system map's pages: the map and its text equivalent, search, the map on a date, drawing
through forms (bad input refused with a GOV.UK error summary), export and import."""

import html

import pytest
from django.urls import reverse

from placewise.systemmap import actions
from placewise.systemmap.models import Change, EdgeKind, NodeKind

pytestmark = pytest.mark.django_db


def test_the_map_shows_the_agreement_in_its_tables_and_graph_data(client, people, agreement):
    client.force_login(people["bob"])
    page = client.get(reverse("systemmap:map"))
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="system-map-elements" type="application/json"' in text
    assert "An agreement in force" in text
    assert "shares data with" in text
    # A reader is offered no way to change it.
    assert reverse("systemmap:new_node") not in text
    # Scripts come from our own static files only (the CSP allows no inline script).
    assert "/static/cytoscape/cytoscape.min.js" in text and "<script>" not in text


def test_search_finds_a_partner_and_its_neighbours(client, people, agreement):
    client.force_login(people["charlie"])
    page = client.get(reverse("systemmap:map"), {"q": "NHS"})
    nodes = page.context["nodes"]
    assert [n.label for n in nodes] == [
        "Northshire Council Children's Services",
        "Northshire NHS Foundation Trust",
    ]
    page = client.get(reverse("systemmap:map"), {"q": "nothing like it"})
    assert "No node matches." in page.content.decode()


def test_a_future_date_is_refused_with_an_error_summary(client, people):
    client.force_login(people["alice"])
    page = client.get(reverse("systemmap:map"), {"on-day": "1", "on-month": "1", "on-year": "2099"})
    assert page.status_code == 400
    assert "There is a problem" in page.content.decode()
    assert "must be today or in the past" in page.content.decode()


def test_drawing_a_node_and_an_edge_through_the_forms(client, people, agreement):
    client.force_login(people["alice"])
    refused = client.post(reverse("systemmap:new_node"), {"label": "", "kind": ""})
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "There is a problem" in text
    assert "Enter the node&#x27;s name." in text and "Choose what kind of node it is." in text
    made = client.post(reverse("systemmap:new_node"), {"label": "MASH", "kind": "team"})
    key = Change.objects.get().key
    assert made.url == reverse("systemmap:node", kwargs={"key": key})
    council = people["orgs"]["council"]
    same = client.post(
        reverse("systemmap:new_edge"), {"source": key, "target": key, "kind": "refers_to"}
    )
    assert same.status_code == 400 and "two different nodes" in same.content.decode()
    client.post(
        reverse("systemmap:new_edge"),
        {"source": key, "target": f"org:{council.pk}", "kind": "refers_to", "notes": "Daily"},
    )
    node = html.unescape(
        client.get(reverse("systemmap:node", kwargs={"key": key})).content.decode()
    )
    assert "MASH" in node and "refers to" in node and council.name in node
    assert "Alice Adeyemi" in node  # the history


def test_a_reader_cannot_post_changes(client, people):
    key = actions.put_node(label="MASH", kind=NodeKind.TEAM, by=people["alice"]).key
    client.force_login(people["bob"])
    page = client.post(
        reverse("systemmap:node", kwargs={"key": key}), {"label": "Changed", "kind": "team"}
    )
    assert page.status_code == 403
    assert "changing it is for enablers" in page.content.decode()
    assert Change.objects.count() == 1


def test_exports_download_with_the_date_in_their_names(client, people, agreement):
    client.force_login(people["charlie"])
    for name, kind in (
        ("export_nodes", "text/csv"),
        ("export_edges", "text/csv"),
        ("export_graphml", "application/graphml+xml"),
        ("export_json", "application/json"),
    ):
        response = client.get(reverse(f"systemmap:{name}"))
        assert response["Content-Type"].startswith(kind)
        assert response["Content-Disposition"].startswith('attachment; filename="system-map-')


def test_an_import_with_faults_lists_them_and_loads_nothing(client, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(people["alice"])
    page = client.post(
        reverse("systemmap:import"),
        {
            "format": "csv",
            "file": SimpleUploadedFile("nodes.csv", b"id,label,kind\na,A,wizard\n"),
        },
    )
    assert page.status_code == 400
    text = page.content.decode()
    assert "There is a problem" in text and "nothing was loaded" in text
    assert "nodes row 2, column kind" in text
    assert Change.objects.count() == 0
    page = client.post(
        reverse("systemmap:import"),
        {
            "format": "csv",
            "file": SimpleUploadedFile("nodes.csv", b"id,label,kind\na,A,team\nb,B,issue\n"),
            "edges": SimpleUploadedFile("edges.csv", b"source,target,kind\na,b,causal_same\n"),
        },
    )
    assert page.status_code == 302
    assert Change.objects.count() == 3


def test_the_loops_show_on_the_page(client, people):
    alice = people["alice"]
    a = actions.put_node(label="Demand", kind=NodeKind.ISSUE, by=alice).key
    b = actions.put_node(label="Waiting times", kind=NodeKind.ISSUE, by=alice).key
    actions.put_edge(source=a, target=b, kind=EdgeKind.SAME, by=alice)
    actions.put_edge(source=b, target=a, kind=EdgeKind.OPPOSITE, by=alice)
    client.force_login(people["bob"])
    text = client.get(reverse("systemmap:map")).content.decode()
    assert "Balancing</strong> Demand → (+) Waiting times → (−) Demand" in text
