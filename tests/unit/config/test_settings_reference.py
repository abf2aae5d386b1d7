"""docs/settings.md lists every environment variable the code reads, and nothing it does not."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
# os.environ.get("X"), os.environ["X"], os.getenv("X"), and secret("name", "X") in config/home.py.
READS = re.compile(
    r"""(?:environ\.get\(\s*|environ\[\s*|getenv\(\s*|secret\(\s*"[a-z_]+",\s*)"([A-Z][A-Z0-9_]+)\""""
)
# Read by a library on our behalf: dj-database-url reads DATABASE_URL.
READ_BY_LIBRARIES = {"DATABASE_URL"}
# Not settings of the place: who ran a command (the audit log's actor) and Django's own module.
NOT_SETTINGS = {"USER", "DJANGO_SETTINGS_MODULE"}


def read_by_the_code() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "src" / "placewise").rglob("*.py"):
        found |= set(READS.findall(path.read_text(encoding="utf-8")))
    return (found | READ_BY_LIBRARIES) - NOT_SETTINGS


def documented() -> set[str]:
    text = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    return set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", text, flags=re.MULTILINE))


def test_the_pattern_finds_what_the_settings_read():
    # The scan itself could miss everything and pass: it must see settings we know are read.
    assert {"PLACEWISE_HOME", "PLACEWISE_DISCLOSURE_THRESHOLD", "PLACEWISE_AUDIT_KEY"} <= (
        read_by_the_code()
    )


def test_every_setting_the_code_reads_is_documented():
    missing = read_by_the_code() - documented()
    assert not missing, f"read by the code but not in docs/settings.md: {sorted(missing)}"


def test_every_documented_setting_is_read():
    stale = documented() - read_by_the_code()
    assert not stale, f"in docs/settings.md but read nowhere: {sorted(stale)}"
