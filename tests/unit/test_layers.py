"""The code's layers (issue 14, item 5): each layer imports only from itself and the layers below,
at the top of a module or inside a function alike, so there is no import cycle to hide.

    store → sharing → sources → indicators → linkage → synth, jobs → web (pages) → entry points

A package's pages (views, forms, urls) belong to the web layer whatever package they sit in; a
page does not import another app's pages. Imports under `if TYPE_CHECKING:` are for the type
checker only and are not counted: they make no cycle at run time.
"""

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "placewise"
LAYERS = {
    "store": 0,
    "sharing": 1,
    "sources": 2,
    "indicators": 3,
    "governance": 3,
    "linkage": 4,
    "synth": 5,
    "operations": 5,
    "jobs": 5,
    "web": 6,
    "outcomes": 6,
    "journeys": 6,
    "reviews": 6,
    "practice": 6,
    "supervision": 6,
    "service_reviews": 6,
    "leadership": 6,
    "initiatives": 6,
    "surveys": 6,
    "approaches": 6,
    "systemmap": 6,
    "public": 6,
    "guide": 6,
    "community": 6,
    "demo": 7,
    "place_commands": 7,
    "governance_commands": 7,
    "operations_commands": 7,
    "linkage_commands": 7,
    "cli": 7,
    "config": 7,
}
WEB = 6
PAGES = ("views", "forms", "urls")


def _is_page(parts: tuple[str, ...]) -> bool:
    last = parts[-1]
    return any(last == p or last.endswith(f"_{p}") for p in PAGES)


def layer(module: str) -> int:
    """The layer of a module named like `placewise.sources.views`."""
    parts = tuple(module.split(".")[1:])
    if len(parts) > 1 and _is_page(parts):
        return WEB
    return LAYERS[parts[0].removesuffix(".py")]


def _type_checking_only(tree: ast.Module) -> set[int]:
    """Line numbers of imports under `if TYPE_CHECKING:`."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            for inner in ast.walk(node):
                if isinstance(inner, (ast.Import, ast.ImportFrom)):
                    lines.add(inner.lineno)
    return lines


def imports() -> list[tuple[str, int, str]]:
    """(importing module, line, imported module) for every import of placewise code."""
    found = []
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        module = ".".join(("placewise", *path.relative_to(SRC).with_suffix("").parts))
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _type_checking_only(tree)
        for node in ast.walk(tree):
            if node.__class__ not in (ast.Import, ast.ImportFrom) or node.lineno in skip:
                continue
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
                # `from placewise.sources import views` imports the pages module itself.
                names += [f"{node.module}.{a.name}" for a in node.names if a.name in PAGES]
            else:
                names = [a.name for a in node.names]
            found += [(module, node.lineno, n) for n in names if n.startswith("placewise.")]
    return found


def test_the_scan_sees_the_imports_it_judges():
    seen = {(a.split(".")[1], b.split(".")[1]) for a, _, b in imports()}
    assert ("sources", "sharing") in seen and ("outcomes", "indicators") in seen


def test_no_layer_imports_from_a_layer_above_it():
    upward = [
        f"{a}:{line} imports {b}"
        for a, line, b in imports()
        if a.split(".")[1] != b.split(".")[1] and layer(b) > layer(a)
    ]
    assert not upward, "\n".join(upward)


def test_no_page_imports_another_apps_pages():
    crossing = [
        f"{a}:{line} imports {b}"
        for a, line, b in imports()
        if a.split(".")[1] != b.split(".")[1]
        and _is_page(tuple(b.split(".")))
        and not a.endswith(".urls")
        and a.split(".")[1] != "config"
    ]
    assert not crossing, "\n".join(crossing)


def test_the_rule_would_catch_an_upward_import():
    assert layer("placewise.sharing.policy") < layer("placewise.sources.models")
    assert layer("placewise.sources.views") == WEB > layer("placewise.linkage.run")
