"""Reads of the system map: the drawn part as it stood on a date (replaying the append-only
changes), the part drawn from the data on every request, the two together, search and filters,
and causal loops."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from placewise.sharing.models import Agreement, Organisation
from placewise.sources.models import Load, Source
from placewise.systemmap.models import CAUSAL, Change, EdgeKind, NodeKind
from placewise.systemmap.visibility import Viewer

# Keys the data's nodes and edges use: nobody draws or imports an element under them.
RESERVED_PREFIXES = ("org:", "source:", "agreement:", "stakeholder:", "initiative:")
MAX_LOOPS = 200


@dataclass(frozen=True)
class Node:
    key: str
    label: str
    kind: str
    notes: str = ""
    sources: str = ""
    origin: str = ""  # empty: drawn by someone; otherwise where in the data it comes from

    @property
    def drawn(self) -> bool:
        return not self.origin

    @property
    def kind_label(self) -> str:
        return str(NodeKind(self.kind).label) if self.kind in NodeKind.values else self.kind


@dataclass(frozen=True)
class Edge:
    key: str
    source: str
    target: str
    kind: str
    notes: str = ""
    sources: str = ""
    origin: str = ""

    @property
    def drawn(self) -> bool:
        return not self.origin

    @property
    def kind_label(self) -> str:
        return str(EdgeKind(self.kind).label) if self.kind in EdgeKind.values else self.kind


@dataclass
class Map:
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: dict[str, Edge] = field(default_factory=dict)

    def label(self, key: str) -> str:
        node = self.nodes.get(key)
        return node.label if node else key

    def edges_of(self, key: str) -> list[Edge]:
        return [e for e in self.edges.values() if key in (e.source, e.target)]


@dataclass(frozen=True)
class Loop:
    """A cycle of causal links: reinforcing when it has an even number of (−) links."""

    nodes: tuple[str, ...]
    edges: tuple[str, ...]
    negatives: int

    @property
    def reinforcing(self) -> bool:
        return self.negatives % 2 == 0

    @property
    def label(self) -> str:
        return "Reinforcing" if self.reinforcing else "Balancing"


def end_of(day: date) -> datetime:
    """The first moment after the day, in the place's time zone."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def is_reserved(key: str) -> bool:
    return key.startswith(RESERVED_PREFIXES)


def drawn(on: date | None = None) -> Map:
    """The drawn map as it stood at the end of `on` (now, without a date): each element's latest
    change then, less those removed."""
    changes = Change.objects.all()
    if on is not None:
        changes = changes.filter(at__lt=end_of(on))
    latest: dict[tuple[str, str], Change] = {}
    for change in changes.order_by("at", "id"):
        latest[(change.element, change.key)] = change
    result = Map()
    for (element, key), change in latest.items():
        if change.removed:
            continue
        d = change.data
        if element == Change.Element.NODE:
            result.nodes[key] = Node(
                key,
                d.get("label", key),
                d.get("kind", ""),
                d.get("notes", ""),
                d.get("sources", ""),
            )
        else:
            result.edges[key] = Edge(
                key,
                d.get("source", ""),
                d.get("target", ""),
                d.get("kind", ""),
                d.get("notes", ""),
                d.get("sources", ""),
            )
    return result


def _agreement_edges(day: date) -> Iterable[Edge]:
    """Every agreement in force on the day: a 'shares data with' edge between each two of its
    parties. Suspended, expired, draft or past its end date: no edge."""
    agreements = Agreement.objects.filter(status=Agreement.Status.ACTIVE).prefetch_related(
        "parties"
    )
    for agreement in agreements:
        if not agreement.in_force(day):
            continue
        parties = sorted(p.organisation_id for p in agreement.parties.all())
        for i, a in enumerate(parties):
            for b in parties[i + 1 :]:
                yield Edge(
                    f"agreement:{agreement.pk}:{a}-{b}",
                    f"org:{a}",
                    f"org:{b}",
                    EdgeKind.SHARES_DATA,
                    notes=agreement.title,
                    sources=f"Data sharing agreement “{agreement.title}”, in force",
                    origin="agreement",
                )


def _stakeholder_edges(result: Map, viewer: Viewer | None) -> None:
    """Each initiative (those the viewer may see) and its stakeholders: an organisation the
    place has set up is its organisation's node; anyone else a node of their own. Where the team
    placed them on the trust and agreement map is the initiative's own: it is not shown here."""
    from placewise.initiatives import queries as initiatives

    for s in initiatives.stakeholder_edges(viewer):
        hub = f"initiative:{s.initiative_pk}"
        if hub not in result.nodes:
            result.nodes[hub] = Node(hub, s.initiative, NodeKind.INITIATIVE, origin="initiative")
        if s.kind == "organisation" and s.organisation_pk is not None:
            end = f"org:{s.organisation_pk}"
        else:
            end = f"stakeholder:{s.stakeholder_pk}"
            kind = NodeKind.ORGANISATION if s.kind == "organisation" else NodeKind.PERSON
            notes = ", ".join(x for x in (s.role, s.organisation) if x)
            result.nodes[end] = Node(end, s.stakeholder, kind, notes=notes, origin="initiative")
        words = [s.role] if s.role else []
        if s.authorising:
            words.append("must authorise it")
        key = f"stakeholder:{s.stakeholder_pk}>{hub}"
        result.edges[key] = Edge(
            key,
            end,
            hub,
            EdgeKind.STAKEHOLDER,
            notes="; ".join(words),
            sources=f"Initiative “{s.initiative}”",
            origin="initiative",
        )


def derived(on: date | None = None, viewer: Viewer | None = None) -> Map:
    """What the data says, worked out now: organisations, agreements in force on the day (today
    without one), sources with a load finished by then, initiatives' stakeholders."""
    day = on or timezone.localdate()
    result = Map()
    for org in Organisation.objects.all():
        result.nodes[f"org:{org.pk}"] = Node(
            f"org:{org.pk}",
            org.name,
            NodeKind.ORGANISATION,
            notes=org.get_kind_display(),
            origin="organisation",
        )
    for edge in _agreement_edges(day):
        result.edges[edge.key] = edge
    loaded = Load.objects.filter(status=Load.Status.LOADED, finished_at__lt=end_of(day))
    names = set(loaded.values_list("source", flat=True))
    for source in Source.objects.filter(name__in=names).select_related("organisation"):
        key = f"source:{source.name}"
        result.nodes[key] = Node(
            key, source.name, NodeKind.SOURCE, notes="Files loaded", origin="source"
        )
        result.edges[f"{key}:provides"] = Edge(
            f"{key}:provides",
            f"org:{source.organisation_id}",
            key,
            EdgeKind.PROVIDES,
            sources=f"Source {source.name}, registered to {source.organisation.name}",
            origin="source",
        )
    _stakeholder_edges(result, viewer)
    return result


def whole(on: date | None = None, viewer: Viewer | None = None) -> Map:
    """The map as shown: the data's part and the drawn part; an edge whose end is not on the map
    (its node removed) is left out. With a viewer, only the initiatives they may see."""
    result = derived(on, viewer)
    mine = drawn(on)
    result.nodes.update(mine.nodes)
    for key, edge in mine.edges.items():
        result.edges[key] = edge
    result.edges = {
        k: e
        for k, e in result.edges.items()
        if e.source in result.nodes and e.target in result.nodes
    }
    return result


def filtered(m: Map, *, kinds: Iterable[str] = (), q: str = "") -> Map:
    """The nodes of the chosen kinds (all without any) whose label or notes contain q, and the
    edges between them."""
    wanted = set(kinds)
    needle = q.strip().lower()
    nodes = {
        k: n
        for k, n in m.nodes.items()
        if (not wanted or n.kind in wanted)
        and (not needle or needle in n.label.lower() or needle in n.notes.lower())
    }
    if needle:
        # A search shows what was found and its neighbours, so its edges can be followed.
        found = set(nodes)
        for e in m.edges.values():
            if e.source in found and (not wanted or m.nodes[e.target].kind in wanted):
                nodes[e.target] = m.nodes[e.target]
            if e.target in found and (not wanted or m.nodes[e.source].kind in wanted):
                nodes[e.source] = m.nodes[e.source]
    edges = {k: e for k, e in m.edges.items() if e.source in nodes and e.target in nodes}
    return Map(nodes, edges)


def loops(m: Map) -> list[Loop]:
    """Every simple cycle of causal links, each once (starting from its smallest node key), with
    its type. Parallel links make separate loops."""
    out: dict[str, list[Edge]] = {}
    for edge in m.edges.values():
        if edge.kind in CAUSAL:
            out.setdefault(edge.source, []).append(edge)
    for edges in out.values():
        edges.sort(key=lambda e: (e.target, e.key))
    found: list[Loop] = []

    def walk(start: str, at: str, path: list[Edge], seen: set[str]) -> None:
        for edge in out.get(at, []):
            if len(found) >= MAX_LOOPS:
                return
            if edge.target == start:
                chain = [*path, edge]
                found.append(
                    Loop(
                        tuple(e.source for e in chain),
                        tuple(e.key for e in chain),
                        sum(1 for e in chain if e.kind == EdgeKind.OPPOSITE),
                    )
                )
            elif edge.target > start and edge.target not in seen:
                walk(start, edge.target, [*path, edge], seen | {edge.target})

    for start in sorted(out):
        walk(start, start, [], {start})
    return found


def history(limit: int = 200) -> list[Change]:
    return list(Change.objects.order_by("-at", "-id")[:limit])


def element_history(element: str, key: str) -> list[Change]:
    return list(Change.objects.filter(element=element, key=key).order_by("-at", "-id"))


def elements(m: Map) -> list[dict[str, Any]]:
    """The map as Cytoscape.js elements (and our JSON export)."""
    items: list[dict[str, Any]] = []
    for n in sorted(m.nodes.values(), key=lambda n: (n.label.lower(), n.key)):
        items.append(
            {
                "group": "nodes",
                "data": {
                    "id": n.key,
                    "label": n.label,
                    "kind": n.kind,
                    "notes": n.notes,
                    "sources": n.sources,
                    "from_data": n.origin,
                },
            }
        )
    for e in sorted(m.edges.values(), key=lambda e: e.key):
        items.append(
            {
                "group": "edges",
                "data": {
                    "id": e.key,
                    "source": e.source,
                    "target": e.target,
                    "kind": e.kind,
                    "label": e.kind_label,
                    "notes": e.notes,
                    "sources": e.sources,
                    "from_data": e.origin,
                },
            }
        )
    return items
