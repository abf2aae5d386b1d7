"""System map pages (issue 19): the map with its text equivalent, a node and an edge with their
history, forms to draw, the history of changes, export and import. Thin: check
(systemmap.visibility), read (queries), call an action, render."""

from datetime import date
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from placewise.systemmap import actions, exchange, queries, visibility
from placewise.systemmap.forms import EdgeForm, ImportForm, NodeForm, OnForm, RemoveForm
from placewise.systemmap.models import DRAWN_NODE_KINDS, Change, EdgeKind, NodeKind


def _me(request: HttpRequest) -> User:
    return cast(User, request.user)


def _on(request: HttpRequest) -> tuple[OnForm, date | None]:
    form = OnForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data.get("on")
    return form, None


def _node_choices(m: queries.Map) -> list[tuple[str, str]]:
    return [
        (n.key, f"{n.label} ({n.kind_label.lower()})")
        for n in sorted(m.nodes.values(), key=lambda n: (n.label.lower(), n.key))
    ]


def _steps(whole: queries.Map, loop: queries.Loop) -> str:
    """A loop in words, from its first node by name: A → (+) B → (−) C → (+) A."""
    start = min(range(len(loop.nodes)), key=lambda i: whole.label(loop.nodes[i]).lower())
    words = [whole.label(loop.nodes[start])]
    for key in loop.edges[start:] + loop.edges[:start]:
        edge = whole.edges[key]
        sign = "−" if edge.kind == EdgeKind.OPPOSITE else "+"
        words.append(f"→ ({sign}) {whole.label(edge.target)}")
    return " ".join(words)


@login_required
def map_page(request: HttpRequest) -> HttpResponse:
    visibility.require_see(request.user)
    on_form, on = _on(request)
    today = timezone.localdate()
    if on is not None and on > today:
        on_form.add_error("on", "The date to show the map on must be today or in the past.")
        on = None
    whole = queries.whole(on, request.user)
    kinds = [k for k in request.GET.getlist("kind") if k in NodeKind.values]
    q = request.GET.get("q", "").strip()[:100]
    shown = queries.filtered(whole, kinds=kinds, q=q)
    loops = queries.loops(whole)
    edit = visibility.may_edit(request.user).allowed and on is None
    nodes = sorted(shown.nodes.values(), key=lambda n: (n.label.lower(), n.key))
    edges = sorted(
        shown.edges.values(),
        key=lambda e: (shown.label(e.source).lower(), e.kind, shown.label(e.target).lower()),
    )
    return render(
        request,
        "systemmap/map.html",
        {
            "form": on_form,
            "on": on,
            "today": today,
            "map": shown,
            "nodes": nodes,
            "edges": edges,
            "rows": [(e, whole.label(e.source), whole.label(e.target)) for e in edges],
            "loops": [(loop, _steps(whole, loop)) for loop in loops],
            "elements": queries.elements(shown),
            "kinds": [(k.value, k.label, k.value in kinds) for k in NodeKind],
            "q": q,
            "filtered": bool(kinds or q),
            "total": (len(whole.nodes), len(whole.edges)),
            "edit": edit,
            "on_query": f"?on={on.isoformat()}" if on else "",
        },
        status=400 if on_form.errors else 200,
    )


@login_required
def node_page(request: HttpRequest, key: str) -> HttpResponse:
    visibility.require_see(request.user)
    whole = queries.whole(viewer=request.user)
    node = whole.nodes.get(key)
    if node is None:
        raise Http404("No such node on the map.")
    may_edit = visibility.may_edit(request.user).allowed and node.drawn
    form = NodeForm(
        request.POST if request.method == "POST" and "label" in request.POST else None,
        initial={
            "label": node.label,
            "kind": node.kind,
            "notes": node.notes,
            "sources": node.sources,
        },
    )
    remove = RemoveForm(
        request.POST if request.method == "POST" and "remove" in request.POST else None
    )
    if request.method == "POST":
        visibility.require_edit(request.user)
        if not node.drawn:
            form.add_error(
                None, "This node is drawn from the data: it changes only when the data does."
            )
        elif form.is_bound and form.is_valid():
            try:
                actions.put_node(key=key, by=_me(request), **form.cleaned_data)
            except actions.MapError as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, f"{form.cleaned_data['label']} saved.")
                return redirect("systemmap:node", key=key)
        elif remove.is_bound and remove.is_valid():
            try:
                actions.remove_node(key=key, why=remove.cleaned_data["why"], by=_me(request))
            except actions.MapError as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(
                    request, f"{node.label} removed from the map; its history is kept."
                )
                return redirect("systemmap:map")
    edges = sorted(
        whole.edges_of(key),
        key=lambda e: (e.source != key, whole.label(e.target if e.source == key else e.source)),
    )
    return render(
        request,
        "systemmap/node.html",
        {
            "node": node,
            "form": form,
            "remove": remove,
            "may_edit": may_edit,
            "edges": [
                (e, e.source == key, whole.label(e.target if e.source == key else e.source))
                for e in edges
            ],
            "history": queries.element_history(Change.Element.NODE, key),
        },
        status=400 if form.errors else 200,
    )


@login_required
def edge_page(request: HttpRequest, key: str) -> HttpResponse:
    visibility.require_see(request.user)
    whole = queries.whole(viewer=request.user)
    edge = whole.edges.get(key)
    if edge is None:
        raise Http404("No such relationship on the map.")
    may_edit = visibility.may_edit(request.user).allowed and edge.drawn
    data = request.POST if request.method == "POST" and "kind" in request.POST else None
    form = EdgeForm(
        data,
        nodes=_node_choices(whole),
        initial={
            "source": edge.source,
            "target": edge.target,
            "kind": edge.kind,
            "notes": edge.notes,
            "sources": edge.sources,
        },
    )
    remove = RemoveForm(
        request.POST if request.method == "POST" and "remove" in request.POST else None
    )
    if request.method == "POST":
        visibility.require_edit(request.user)
        if not edge.drawn:
            form.add_error(
                None,
                "This relationship is drawn from the data: it changes only when the data does.",
            )
        elif form.is_bound and form.is_valid():
            try:
                actions.put_edge(key=key, by=_me(request), **form.cleaned_data)
            except actions.MapError as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, "Relationship saved.")
                return redirect("systemmap:edge", key=key)
        elif remove.is_bound and remove.is_valid():
            try:
                actions.remove_edge(key=key, why=remove.cleaned_data["why"], by=_me(request))
            except actions.MapError as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, "Relationship removed from the map; its history is kept.")
                return redirect("systemmap:node", key=edge.source)
    return render(
        request,
        "systemmap/edge.html",
        {
            "edge": edge,
            "source": whole.nodes[edge.source],
            "target": whole.nodes[edge.target],
            "form": form,
            "remove": remove,
            "may_edit": may_edit,
            "history": queries.element_history(Change.Element.EDGE, key),
        },
        status=400 if form.errors else 200,
    )


@login_required
def new_node(request: HttpRequest) -> HttpResponse:
    visibility.require_edit(request.user)
    form = NodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            change = actions.put_node(by=_me(request), **form.cleaned_data)
        except actions.MapError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"{form.cleaned_data['label']} added to the map.")
            return redirect("systemmap:node", key=change.key)
    return render(
        request,
        "systemmap/form.html",
        {"form": form, "title": "Add a node", "button": "Add the node", "kinds": DRAWN_NODE_KINDS},
        status=400 if form.errors else 200,
    )


@login_required
def new_edge(request: HttpRequest) -> HttpResponse:
    visibility.require_edit(request.user)
    whole = queries.whole(viewer=request.user)
    form = EdgeForm(
        request.POST if request.method == "POST" else None,
        nodes=_node_choices(whole),
        initial={"source": request.GET.get("from", "")},
    )
    if form.is_valid():
        try:
            change = actions.put_edge(by=_me(request), **form.cleaned_data)
        except actions.MapError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "Relationship added to the map.")
            return redirect("systemmap:edge", key=change.key)
    return render(
        request,
        "systemmap/form.html",
        {"form": form, "title": "Add a relationship", "button": "Add the relationship"},
        status=400 if form.errors else 200,
    )


@login_required
def history(request: HttpRequest) -> HttpResponse:
    visibility.require_see(request.user)
    changes = queries.history()
    labels: dict[str, str] = {}
    for change in reversed(queries.history(limit=10_000)):
        if change.element == Change.Element.NODE and change.data.get("label"):
            labels[change.key] = change.data["label"]
    labels.update({k: n.label for k, n in queries.derived(viewer=request.user).nodes.items()})
    return render(request, "systemmap/history.html", {"changes": changes, "labels": labels})


EXPORTS = {
    "nodes.csv": "text/csv; charset=utf-8",
    "edges.csv": "text/csv; charset=utf-8",
    "map.graphml": "application/graphml+xml; charset=utf-8",
    "map.json": "application/json; charset=utf-8",
}


@login_required
def export(request: HttpRequest, name: str) -> HttpResponse:
    visibility.require_see(request.user)
    if name not in EXPORTS:
        raise Http404("No such export.")
    _, on = _on(request)
    whole = queries.whole(on, request.user)
    body: Any
    if name == "nodes.csv":
        body = exchange.nodes_csv(whole)
    elif name == "edges.csv":
        body = exchange.edges_csv(whole)
    elif name == "map.graphml":
        body = exchange.graphml(whole)
    else:
        body = exchange.cytoscape_json(whole, queries.elements(whole))
    response = HttpResponse(body, content_type=EXPORTS[name])
    stamp = (on or timezone.localdate()).isoformat()
    response["Content-Disposition"] = f'attachment; filename="system-map-{stamp}-{name}"'
    return response


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    visibility.require_edit(request.user)
    form = ImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    faults: list[exchange.Fault] = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        raw = upload.read()
        try:
            fmt = form.cleaned_data["format"]
            if fmt == "csv":
                edges = form.cleaned_data.get("edges")
                parsed = exchange.from_csv(raw, edges.read() if edges else None)
            elif fmt == "graphml":
                parsed = exchange.from_graphml(raw)
            else:
                parsed = exchange.from_json(raw)
            counts = actions.import_map(
                parsed=parsed, file_name=upload.name or "upload", by=_me(request)
            )
        except exchange.Refused as refused:
            faults = refused.faults
            form.add_error(
                "file",
                f"The file was not imported: nothing was loaded. {len(faults)} "
                f"problem{'s' if len(faults) != 1 else ''} listed below.",
            )
        except actions.MapError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                f"Imported {counts[0]} node{'s' if counts[0] != 1 else ''} and "
                f"{counts[1]} relationship{'s' if counts[1] != 1 else ''}.",
            )
            return redirect(reverse("systemmap:map"))
    return render(
        request,
        "systemmap/import.html",
        {"form": form, "faults": faults[:100], "more": max(0, len(faults) - 100)},
        status=400 if form.errors else 200,
    )
