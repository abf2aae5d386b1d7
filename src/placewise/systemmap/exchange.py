"""The system map in and out: CSV (a nodes file and an edges file, as Kumu and spreadsheets
take them), GraphML (yEd, Gephi, Cytoscape desktop) and Cytoscape.js JSON. Parsing checks the
whole file first and names every fault by row (or element) and column: a file with any fault
loads nothing."""

import csv
import io
import json
import re
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring  # nosec B405: writing only

import defusedxml.ElementTree as safe_xml

from placewise.systemmap.models import DRAWN_EDGE_KINDS, DRAWN_NODE_KINDS
from placewise.systemmap.queries import Map, is_reserved

NODE_COLUMNS = ("id", "label", "kind", "notes", "sources", "from_data")
EDGE_COLUMNS = ("id", "source", "target", "kind", "notes", "sources", "from_data")
KEY = re.compile(r"^[A-Za-z0-9_.:>-]{1,120}$")
GRAPHML = "http://graphml.graphdrawing.org/xmlns"
MAX_BYTES = 5_000_000


@dataclass
class Parsed:
    nodes: list[dict[str, str]] = field(default_factory=list)
    edges: list[dict[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Fault:
    where: str  # "nodes row 3, column kind"
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


class Refused(Exception):
    def __init__(self, faults: list[Fault]) -> None:
        super().__init__("; ".join(str(f) for f in faults))
        self.faults = faults


# Out ----------------------------------------------------------------------------------------


def _csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        # A cell a spreadsheet would run as a formula is written as text.
        writer.writerow([("'" + c) if c[:1] in ("=", "+", "-", "@") else c for c in row])
    return buffer.getvalue()


def nodes_csv(m: Map) -> str:
    rows = [list(NODE_COLUMNS)]
    for n in sorted(m.nodes.values(), key=lambda n: n.key):
        rows.append([n.key, n.label, n.kind, n.notes, n.sources, n.origin])
    return _csv(rows)


def edges_csv(m: Map) -> str:
    rows = [list(EDGE_COLUMNS)]
    for e in sorted(m.edges.values(), key=lambda e: e.key):
        rows.append([e.key, e.source, e.target, e.kind, e.notes, e.sources, e.origin])
    return _csv(rows)


def graphml(m: Map) -> str:
    root = Element("graphml", xmlns=GRAPHML)
    for scope, names in (("node", NODE_COLUMNS[1:]), ("edge", EDGE_COLUMNS[3:])):
        for name in names:
            SubElement(
                root,
                "key",
                {"id": name, "for": scope, "attr.name": name, "attr.type": "string"},
            )
    graph = SubElement(root, "graph", id="system-map", edgedefault="directed")
    for n in sorted(m.nodes.values(), key=lambda n: n.key):
        node = SubElement(graph, "node", id=n.key)
        for name, value in zip(
            NODE_COLUMNS[1:], (n.label, n.kind, n.notes, n.sources, n.origin), strict=True
        ):
            SubElement(node, "data", key=name).text = value
    for e in sorted(m.edges.values(), key=lambda e: e.key):
        edge = SubElement(graph, "edge", id=e.key, source=e.source, target=e.target)
        for name, value in zip(
            EDGE_COLUMNS[3:], (e.kind, e.notes, e.sources, e.origin), strict=True
        ):
            SubElement(edge, "data", key=name).text = value
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="unicode")


def cytoscape_json(m: Map, elements: list[dict[str, Any]]) -> str:
    nodes = [{"data": e["data"]} for e in elements if e["group"] == "nodes"]
    edges = [{"data": e["data"]} for e in elements if e["group"] == "edges"]
    return json.dumps(
        {
            "format_version": "1.0",
            "generated_by": "placewise",
            "elements": {"nodes": nodes, "edges": edges},
        },
        indent=1,
        ensure_ascii=False,
    )


# In -----------------------------------------------------------------------------------------


def _text(raw: bytes, name: str) -> str:
    if len(raw) > MAX_BYTES:
        raise Refused([Fault(name, "the file is larger than 5 MB")])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as wrong:
        raise Refused([Fault(name, f"not UTF-8 text (byte {wrong.start + 1})")]) from None


def _rows(text: str, name: str, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in required if c not in header]
    if missing:
        raise Refused([Fault(f"{name} row 1 (header)", f"no column {c}") for c in missing])
    rows = []
    for number, row in enumerate(reader, start=2):
        rows.append(
            (number, {k.strip(): (v or "").strip() for k, v in row.items() if k is not None})
        )
    return rows


def _unquote(value: str) -> str:
    """Undo the export's guard on formula-like cells."""
    return value[1:] if value[:2] in ("'=", "'+", "'-", "'@") else value


def from_csv(nodes: bytes, edges: bytes | None) -> Parsed:
    parsed = Parsed()
    for number, row in _rows(_text(nodes, "nodes"), "nodes", ("id", "label", "kind")):
        parsed.nodes.append(
            {"where": f"nodes row {number}", **{k: _unquote(v) for k, v in row.items()}}
        )
    if edges:
        for number, row in _rows(_text(edges, "edges"), "edges", ("source", "target", "kind")):
            parsed.edges.append(
                {"where": f"edges row {number}", **{k: _unquote(v) for k, v in row.items()}}
            )
    return parsed


def from_json(raw: bytes) -> Parsed:
    try:
        document = json.loads(_text(raw, "file"))
    except json.JSONDecodeError as wrong:
        raise Refused([Fault(f"line {wrong.lineno}, column {wrong.colno}", wrong.msg)]) from None
    items = document.get("elements") if isinstance(document, dict) else document
    if isinstance(items, dict):
        items = [
            *(dict(i, group="nodes") for i in items.get("nodes") or [] if isinstance(i, dict)),
            *(dict(i, group="edges") for i in items.get("edges") or [] if isinstance(i, dict)),
        ]
    if not isinstance(items, list):
        raise Refused([Fault("file", 'no elements: expected Cytoscape JSON ({"elements": …})')])
    parsed = Parsed()
    for number, item in enumerate(items, start=1):
        data = item.get("data") if isinstance(item, dict) else None
        if not isinstance(data, dict):
            raise Refused([Fault(f"element {number}", "has no data object")])
        row = {k: "" if v is None else str(v) for k, v in data.items()}
        is_edge = item.get("group") == "edges" or ("source" in data and "target" in data)
        (parsed.edges if is_edge else parsed.nodes).append(
            {"where": f"{'edge' if is_edge else 'node'} element {number}", **row}
        )
    return parsed


def from_graphml(raw: bytes) -> Parsed:
    try:
        root = safe_xml.fromstring(_text(raw, "file"))
    except safe_xml.ParseError as wrong:
        line, column = getattr(wrong, "position", (0, 0))
        raise Refused([Fault(f"line {line}, column {column + 1}", "not well-formed XML")]) from None
    except Exception as wrong:  # defusedxml refuses entities and DTDs
        raise Refused([Fault("file", f"refused: {type(wrong).__name__}")]) from None
    ns = {"g": GRAPHML}
    names = {k.get("id"): k.get("attr.name") or k.get("id") for k in root.iterfind("g:key", ns)}
    graph = root.find("g:graph", ns)
    if graph is None:
        raise Refused([Fault("file", "no <graph> element in the GraphML namespace")])
    parsed = Parsed()

    def values(element: Any) -> dict[str, str]:
        return {
            str(names.get(d.get("key"), d.get("key"))): (d.text or "").strip()
            for d in element.iterfind("g:data", ns)
        }

    for number, node in enumerate(graph.iterfind("g:node", ns), start=1):
        parsed.nodes.append({"where": f"node {number}", "id": node.get("id") or "", **values(node)})
    for number, edge in enumerate(graph.iterfind("g:edge", ns), start=1):
        parsed.edges.append(
            {
                "where": f"edge {number}",
                "id": edge.get("id") or "",
                "source": edge.get("source") or "",
                "target": edge.get("target") or "",
                **values(edge),
            }
        )
    return parsed


def check(parsed: Parsed, current: Map) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The drawn nodes and edges to load, or Refused with every fault. What came from the data
    (an id the data uses, or marked from_data) is left out when the map has it, and is a fault
    when it does not (the data does not say so)."""
    faults: list[Fault] = []
    nodes: list[dict[str, str]] = []
    ids: set[str] = set()
    for row in parsed.nodes:
        where, key = row["where"], row.get("id", "")
        if not KEY.match(key):
            faults.append(
                Fault(f"{where}, column id", "an id is 1 to 120 letters, digits and _ . : > -")
            )
            continue
        if key in ids:
            faults.append(Fault(f"{where}, column id", f"{key} is given twice"))
            continue
        ids.add(key)
        if is_reserved(key) or row.get("from_data"):
            if key not in current.nodes or current.nodes[key].drawn:
                faults.append(
                    Fault(
                        f"{where}, column id",
                        f"{key} is said to come from the data, which has no such node",
                    )
                )
            continue
        if row.get("kind", "") not in DRAWN_NODE_KINDS:
            faults.append(
                Fault(
                    f"{where}, column kind",
                    f"“{row.get('kind', '')}” is not a kind of node: one of {', '.join(DRAWN_NODE_KINDS)}",
                )
            )
        if not row.get("label"):
            faults.append(Fault(f"{where}, column label", "a node needs a label"))
        nodes.append(row)
    known = ids | set(current.nodes)
    edges: list[dict[str, str]] = []
    for number, row in enumerate(parsed.edges, start=1):
        where = row["where"]
        key = row.get("id") or f"e-imported-{number}"
        if not KEY.match(key):
            faults.append(
                Fault(f"{where}, column id", "an id is 1 to 120 letters, digits and _ . : > -")
            )
            continue
        if is_reserved(key) or row.get("from_data"):
            if key not in current.edges or current.edges[key].drawn:
                faults.append(
                    Fault(
                        f"{where}, column id",
                        f"{key} is said to come from the data, which has no such edge",
                    )
                )
            continue
        for end in ("source", "target"):
            if row.get(end, "") not in known:
                faults.append(
                    Fault(
                        f"{where}, column {end}",
                        f"“{row.get(end, '')}” is no node in the file or on the map",
                    )
                )
        if row.get("kind", "") not in DRAWN_EDGE_KINDS:
            faults.append(
                Fault(
                    f"{where}, column kind",
                    f"“{row.get('kind', '')}” is not a kind of edge one may draw: one of {', '.join(DRAWN_EDGE_KINDS)}",
                )
            )
        edges.append({**row, "id": key})
    if faults:
        raise Refused(faults)
    return nodes, edges
