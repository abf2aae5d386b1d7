"""The system map in a real browser (issue 19): Bob opens the demo's map, finds the health trust
by search, follows its relationships from the keyboard alone (Select, then each relationship's
button moves to the other end), and exports the map as Cytoscape JSON. The graph is drawn by
Cytoscape.js under the real Content Security Policy; each view is checked with axe and
photographed at 1280 and 320 pixels."""

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from placewise.systemmap import demo_data
from tests.browser.conftest import accessibility_violations, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TRUST = "Northshire NHS Foundation Trust"
COUNCIL = "Northshire Council Children's Services"


def _look(page, name: str) -> None:
    assert accessibility_violations(page) == [], name
    screenshot(page, f"systemmap-{name}")
    page.set_viewport_size({"width": 320, "height": 800})
    screenshot(page, f"systemmap-{name}-320")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_find_a_partner_follow_its_edges_by_keyboard_and_export(
    new_page, live_server, people, agreement
):
    demo_data.build(organisations=people["orgs"], by=people["alice"])
    page = new_page()
    sign_in(page, live_server, "bob")
    page.goto(f"{live_server.url}/system-map/")
    expect(page.locator("#system-map-graph canvas").first).to_be_attached()
    expect(page.get_by_test_id("loops")).to_contain_text("Balancing")
    _look(page, "map")

    # Search from the keyboard: type, then Enter submits the form.
    page.get_by_label("Search by name or notes").fill("NHS")
    page.get_by_label("Search by name or notes").press("Enter")
    page.wait_for_url("**/system-map/?q=NHS*")
    nodes = page.get_by_test_id("nodes")
    expect(nodes).to_contain_text(TRUST)
    expect(nodes).to_contain_text("CAMHS")  # a neighbour, so its edges can be followed

    select = page.get_by_role("button", name=f"Select {TRUST}")
    select.focus()
    page.keyboard.press("Enter")
    selected = page.get_by_test_id("selected")
    expect(selected.get_by_role("heading")).to_have_text(TRUST)
    expect(page.locator("#system-map-selected-heading")).to_be_focused()
    follow = selected.get_by_role("button", name=f"{COUNCIL} shares data with {TRUST}")
    expect(follow).to_be_visible()
    expect(selected.get_by_role("button", name=f"{TRUST} commissions CAMHS")).to_be_visible()
    # Tab from the heading to the first relationship, and on until the agreement's.
    page.keyboard.press("Tab")
    for _ in range(10):
        if page.evaluate("document.activeElement.textContent").startswith(COUNCIL):
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(selected.get_by_role("heading")).to_have_text(COUNCIL)
    expect(page.locator("#system-map-selected-heading")).to_be_focused()
    _look(page, "followed")

    with page.expect_download() as download:
        page.get_by_role("link", name="Cytoscape JSON").click()
    document = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    labels = {n["data"]["label"] for n in document["elements"]["nodes"]}
    assert {TRUST, COUNCIL, "CAMHS", "Social work caseloads"} <= labels


def test_the_map_draws_under_the_real_content_security_policy(
    browser, live_server, people, agreement
):
    demo_data.build(organisations=people["orgs"], by=people["alice"])
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        sign_in(page, live_server, "bob")
        page.goto(f"{live_server.url}/system-map/")
        expect(page.locator("#system-map-graph canvas").first).to_be_attached()
        expect(page.get_by_test_id("graph-panel")).to_be_visible()
        assert problems == []
    finally:
        context.close()


def test_alice_draws_a_node_and_a_relationship_and_an_import_is_refused(
    new_page, live_server, people, agreement, tmp_path
):
    page = new_page()
    sign_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/system-map/")
    page.get_by_role("link", name="Add a node").click()
    page.get_by_role("button", name="Add the node").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the node's name.")
    _look(page, "new-node-refused")
    page.get_by_label("Name").fill("Youth offending team")
    page.get_by_label("Team").check()
    page.get_by_role("button", name="Add the node").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Youth offending team")
    page.get_by_role("link", name="Add a relationship from Youth offending team").click()
    page.get_by_label("Relationship").select_option(label="refers to")
    page.get_by_label("To", exact=True).select_option(label="Northshire Police (organisation)")
    page.get_by_role("button", name="Add the relationship").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("refers to")
    page.get_by_role("link", name="Youth offending team").first.click()
    expect(page.get_by_test_id("node-edges")).to_contain_text("Northshire Police")
    expect(page.get_by_test_id("history")).to_contain_text("Alice Adeyemi")
    _look(page, "node")
    page.goto(f"{live_server.url}/system-map/history/")
    expect(page.get_by_test_id("changes")).to_contain_text("Youth offending team")
    _look(page, "history")

    bad = tmp_path / "nodes.csv"
    bad.write_text("id,label,kind\nyot,YOT,wizard\n", encoding="utf-8")
    page.goto(f"{live_server.url}/system-map/import/")
    page.get_by_label("CSV: a nodes file").check()
    page.get_by_label("The file (the nodes file for CSV)").set_input_files(str(bad))
    page.get_by_role("button", name="Import").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("nothing was loaded")
    expect(page.get_by_test_id("faults")).to_contain_text("nodes row 2, column kind")
    _look(page, "import-refused")
