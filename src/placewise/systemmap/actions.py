"""Writes to the system map (issue 19): every one appends a Change (who, when, the new state)
and is audited; nothing is updated or deleted. Keyword-only, with the actor (sharing/writes.py).
Who may write is systemmap.visibility's rule."""

import uuid
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from placewise.sharing import audit, writes
from placewise.systemmap import exchange, queries, visibility
from placewise.systemmap.models import DRAWN_EDGE_KINDS, DRAWN_NODE_KINDS, Change


class MapError(Exception):
    """A change that is not allowed, with the reason."""


def _name(by: User) -> str:
    full = getattr(by, "get_full_name", lambda: "")()
    return str(full or getattr(by, "username", ""))


def _editor(by: User, what: str, target: str) -> None:
    sight = visibility.may_edit(by)
    if not sight.allowed:
        audit.record(
            actor=getattr(by, "username", ""),
            action=f"systemmap.{what}",
            target=target,
            allowed=False,
            reason=sight.reason,
        )
        raise MapError(sight.reason)


def _append(
    *, element: str, key: str, data: dict[str, Any], removed: bool, by: User, why: str
) -> Change:
    return Change.objects.create(
        element=element,
        key=key,
        data=data,
        removed=removed,
        at=timezone.now(),
        by=by,
        by_name=_name(by),
        why=why[:200],
    )


def _text(value: str, limit: int) -> str:
    return (value or "").strip()[:limit]


@writes.action
def put_node(
    *,
    label: str,
    kind: str,
    by: User,
    key: str = "",
    notes: str = "",
    sources: str = "",
) -> Change:
    """Add a node (without a key) or change a drawn one (its key)."""
    _editor(by, "node_set", key)
    label = _text(label, 200)
    if not label:
        raise MapError("Give the node a label.")
    if kind not in DRAWN_NODE_KINDS:
        raise MapError("Choose what kind of node it is.")
    current = queries.drawn()
    if key:
        if key not in current.nodes:
            if queries.is_reserved(key):
                raise MapError(f"{key} is drawn from the data: it changes only when the data does.")
            raise MapError(f"There is no node {key} on the map.")
    else:
        key = f"n-{uuid.uuid4().hex[:10]}"
    data = {
        "label": label,
        "kind": kind,
        "notes": _text(notes, 2000),
        "sources": _text(sources, 1000),
    }
    change = _append(element="node", key=key, data=data, removed=False, by=by, why="")
    audit.record(
        actor=getattr(by, "username", ""),
        action="systemmap.node_set",
        target=key,
        allowed=True,
        detail={"kind": kind},
    )
    return change


@writes.action
def remove_node(*, key: str, by: User, why: str = "") -> Change:
    """Remove a drawn node and the drawn edges to and from it (kept in the history)."""
    _editor(by, "node_removed", key)
    current = queries.drawn()
    if key not in current.nodes:
        if queries.is_reserved(key):
            raise MapError(f"{key} is drawn from the data: it changes only when the data does.")
        raise MapError(f"There is no node {key} on the map.")
    for edge in current.edges_of(key):
        _append(
            element="edge",
            key=edge.key,
            data={},
            removed=True,
            by=by,
            why=f"its node {key} was removed",
        )
    change = _append(element="node", key=key, data={}, removed=True, by=by, why=why)
    audit.record(
        actor=getattr(by, "username", ""),
        action="systemmap.node_removed",
        target=key,
        allowed=True,
    )
    return change


@writes.action
def put_edge(
    *,
    source: str,
    target: str,
    kind: str,
    by: User,
    key: str = "",
    notes: str = "",
    sources: str = "",
) -> Change:
    """Add an edge (without a key) or change a drawn one, between two nodes on the map."""
    _editor(by, "edge_set", key)
    if kind not in DRAWN_EDGE_KINDS:
        raise MapError("Choose what kind of relationship it is.")
    on_map = queries.whole()
    for end, name in ((source, "from"), (target, "to")):
        if end not in on_map.nodes:
            raise MapError(f"Choose the node the relationship goes {name}.")
    if source == target:
        raise MapError("A relationship joins two different nodes.")
    if key:
        if key not in queries.drawn().edges:
            if queries.is_reserved(key) or key in on_map.edges:
                raise MapError(f"{key} is drawn from the data: it changes only when the data does.")
            raise MapError(f"There is no edge {key} on the map.")
    else:
        key = f"e-{uuid.uuid4().hex[:10]}"
    data = {
        "source": source,
        "target": target,
        "kind": kind,
        "notes": _text(notes, 2000),
        "sources": _text(sources, 1000),
    }
    change = _append(element="edge", key=key, data=data, removed=False, by=by, why="")
    audit.record(
        actor=getattr(by, "username", ""),
        action="systemmap.edge_set",
        target=key,
        allowed=True,
        detail={"kind": kind},
    )
    return change


@writes.action
def remove_edge(*, key: str, by: User, why: str = "") -> Change:
    _editor(by, "edge_removed", key)
    if key not in queries.drawn().edges:
        if queries.is_reserved(key):
            raise MapError(f"{key} is drawn from the data: it changes only when the data does.")
        raise MapError(f"There is no edge {key} on the map.")
    change = _append(element="edge", key=key, data={}, removed=True, by=by, why=why)
    audit.record(
        actor=getattr(by, "username", ""),
        action="systemmap.edge_removed",
        target=key,
        allowed=True,
    )
    return change


@writes.action
def import_map(*, parsed: exchange.Parsed, file_name: str, by: User) -> tuple[int, int]:
    """Load a parsed file's drawn nodes and edges (each a change by `by`), or nothing: raises
    exchange.Refused with every fault. An id already on the map is changed to the file's."""
    _editor(by, "imported", file_name)
    nodes, edges = exchange.check(parsed, queries.whole())
    why = f"imported from {file_name}"[:200]
    for row in nodes:
        data = {
            "label": _text(row.get("label", ""), 200),
            "kind": row["kind"],
            "notes": _text(row.get("notes", ""), 2000),
            "sources": _text(row.get("sources", ""), 1000),
        }
        _append(element="node", key=row["id"], data=data, removed=False, by=by, why=why)
    for row in edges:
        data = {
            "source": row["source"],
            "target": row["target"],
            "kind": row["kind"],
            "notes": _text(row.get("notes", ""), 2000),
            "sources": _text(row.get("sources", ""), 1000),
        }
        _append(element="edge", key=row["id"], data=data, removed=False, by=by, why=why)
    audit.record(
        actor=getattr(by, "username", ""),
        action="systemmap.imported",
        target=file_name[:100],
        allowed=True,
        detail={"nodes": len(nodes), "edges": len(edges)},
    )
    return len(nodes), len(edges)
