"""Where code and its tests live (issue 14, items 6 and 7): a test file is found from the module
it tests — the tests of src/placewise/<app>/ are in tests/unit/<app>/ and
tests/integration/<app>/, and only tests of the project as a whole sit at the top of those
folders — and no module is so long that it is hard to change."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "placewise"
LONGEST = 500

# Tests of the whole project rather than of one app: they stay at the top of their folder.
PROJECT_WIDE = {
    "unit": {"test_layers.py", "test_action_shape.py", "test_layout.py"},
    "integration": {"test_authorisation_matrix.py", "test_bad_input_properties.py", "test_cli.py"},
}


def test_every_test_folder_is_named_for_an_app_in_src() -> None:
    apps = {p.name for p in SRC.iterdir() if p.is_dir() and any(p.glob("*.py"))}
    misplaced = [
        str(folder.relative_to(ROOT))
        for kind in ("unit", "integration")
        for folder in (ROOT / "tests" / kind).iterdir()
        if folder.is_dir() and folder.name != "__pycache__" and folder.name not in apps
    ]
    assert not misplaced, f"test folders with no app of that name in src/placewise: {misplaced}"


def test_only_project_wide_tests_sit_at_the_top() -> None:
    loose = [
        f"tests/{kind}/{path.name}"
        for kind, allowed in PROJECT_WIDE.items()
        for path in (ROOT / "tests" / kind).glob("test_*.py")
        if path.name not in allowed
    ]
    assert not loose, f"move these into the folder of the app they test: {loose}"


def test_every_test_folder_is_a_package() -> None:
    # Two apps may each have a test_demo.py; without __init__.py pytest would take them for one.
    bare = [
        str(folder.relative_to(ROOT))
        for kind in ("unit", "integration")
        for folder in (ROOT / "tests" / kind).iterdir()
        if folder.is_dir()
        and folder.name != "__pycache__"
        and not (folder / "__init__.py").exists()
    ]
    assert not bare, f"test folders without __init__.py: {bare}"


def test_no_module_is_over_500_lines() -> None:
    # Migrations are written by Django, not read by people changing the code.
    long = sorted(
        f"{path.relative_to(ROOT)}: {lines} lines"
        for path in SRC.rglob("*.py")
        if "migrations" not in path.parts
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > LONGEST
    )
    assert not long, f"split these by what they do: {long}"
