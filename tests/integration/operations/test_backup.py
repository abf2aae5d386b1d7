"""`placewise backup` and `placewise restore` (issue 16, item 5): a backup restored into an empty
home is the same place — the same `placewise status --json`, the same indicator numbers, an audit
chain that still verifies — and a damaged, incomplete or misdirected backup is refused, naming
why, with nothing changed. On SQLite and PostgreSQL alike (pg_dump sees only what is committed,
hence the transactional tests)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.management import call_command

from placewise.cli import main
from placewise.sharing.models import AuditEntry
from placewise.store import stores


def _status(capsys) -> dict:
    capsys.readouterr()
    assert main(["status", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def _indicators(out: Path, capsys) -> str:
    assert main(["indicators", "--out", str(out), "--audience", "own"]) == 0
    capsys.readouterr()
    return out.read_text()


def _empty_home(settings, folder: Path) -> None:
    """A new home: no stores, no secrets, and an operational database with no rows."""
    folder.mkdir()
    settings.PLACEWISE_HOME = folder
    settings.PLACEWISE_ANALYTIC_DB = folder / "analytic.duckdb"
    settings.PLACEWISE_ENCLAVE_DB = folder / "enclave.duckdb"
    settings.PLACEWISE_LINKAGE_SECRET_FILE = folder / "secrets" / "linkage-bloom.key"
    call_command("flush", interactive=False, verbosity=0)
    for cache in caches.all():
        cache.clear()  # a restored place must compute its figures again, not find ours


@pytest.mark.slow  # a loaded place backed up and restored into a new home: 8 to 9 seconds
@pytest.mark.postgres  # its subject is the operational database too: run on PostgreSQL
@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_an_empty_home_is_the_same_place(
    linked_place, settings, tmp_path, capsys
):
    settings.PLACEWISE_HOME = tmp_path / "home"
    settings.PLACEWISE_HOME.mkdir()
    status = _status(capsys)
    assert status["loads"] and status["stores"]["enclave"]["identities"] > 0
    indicators = _indicators(tmp_path / "before.csv", capsys)
    assert len(indicators.splitlines()) > 100
    backup = tmp_path / "backup"
    assert main(["backup", str(backup)]) == 0
    manifest = json.loads((backup / "manifest.json").read_text())
    assert {
        "analytic.duckdb",
        "enclave.duckdb",
        "secrets/place_secret",
        "secrets/audit_key",
    } <= set(manifest["files"])
    assert (backup / "secrets" / "place_secret").read_text() == settings.PLACE_SECRET

    _empty_home(settings, tmp_path / "empty")
    assert AuditEntry.objects.count() == 0
    assert main(["restore", str(backup)]) == 0
    for cache in caches.all():
        cache.clear()

    assert _status(capsys) == status
    assert _indicators(tmp_path / "after.csv", capsys) == indicators
    assert (tmp_path / "empty" / "secrets" / "place_secret").read_text() == settings.PLACE_SECRET
    assert main(["audit", "verify"]) == 0
    assert AuditEntry.objects.filter(action="backup.restore").count() == 1


@pytest.fixture
def backup(people, fresh_stores, settings, tmp_path) -> Path:
    settings.PLACEWISE_HOME = tmp_path / "home"
    settings.PLACEWISE_HOME.mkdir()
    folder = tmp_path / "backup"
    assert main(["backup", str(folder)]) == 0
    return folder


@pytest.mark.django_db(transaction=True)
def test_a_damaged_backup_is_refused_naming_the_file(backup, settings, tmp_path, capsys):
    enclave = backup / "enclave.duckdb"
    enclave.write_bytes(enclave.read_bytes() + b"x")
    _empty_home(settings, tmp_path / "empty")
    capsys.readouterr()
    assert main(["restore", str(backup)]) == 1
    said = capsys.readouterr().err
    assert "enclave.duckdb does not match its checksum" in said
    assert not (tmp_path / "empty" / "enclave.duckdb").exists()
    assert not (tmp_path / "empty" / "secrets").exists()


@pytest.mark.django_db(transaction=True)
def test_a_backup_missing_a_file_or_its_manifest_is_refused(backup, settings, tmp_path, capsys):
    (backup / "secrets" / "audit_key").unlink()
    _empty_home(settings, tmp_path / "empty")
    capsys.readouterr()
    assert main(["restore", str(backup)]) == 1
    assert "secrets/audit_key is missing from the backup" in capsys.readouterr().err
    (backup / "manifest.json").unlink()
    assert main(["restore", str(backup)]) == 1
    assert "has no manifest.json: it is not a backup, or a backup that did not finish" in (
        capsys.readouterr().err
    )


@pytest.mark.django_db(transaction=True)
def test_a_home_that_holds_a_place_is_not_overwritten_unless_told(backup, capsys):
    capsys.readouterr()
    assert main(["restore", str(backup)]) == 1
    said = capsys.readouterr().err
    # The people fixture's organisations and three people (hand-counted: alice, bob, charlie).
    assert "this home already holds a place (" in said
    assert "3 people" in said
    assert "add --replace to overwrite it" in said
    assert main(["restore", "--replace", str(backup)]) == 0


@pytest.mark.django_db(transaction=True)
def test_a_backup_goes_only_into_a_new_folder(backup, capsys):
    capsys.readouterr()
    assert main(["backup", str(backup)]) == 1
    assert "is not empty: give a new folder for each backup" in capsys.readouterr().err


# Someone's own DuckDB session on a store: it takes no write lock, so nothing tells it to finish.
_HOLD_OPEN = (
    "import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('open', flush=True); input()"
)


@pytest.mark.django_db(transaction=True)
def test_a_store_held_open_outside_the_write_lock_is_refused_at_once(
    people, fresh_stores, settings, tmp_path, capsys
):
    settings.PLACEWISE_HOME = tmp_path / "home"
    settings.PLACEWISE_HOME.mkdir()
    with stores.analytic():
        pass  # the store exists, as in any place that has loaded something
    holder = subprocess.Popen(  # this interpreter, a fixed script
        [sys.executable, "-c", _HOLD_OPEN, str(settings.PLACEWISE_ANALYTIC_DB)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "open\n"
        capsys.readouterr()
        assert main(["backup", str(tmp_path / "backup")]) == 1
    finally:
        holder.communicate("\n", timeout=30)
    said = capsys.readouterr().err
    assert "not backed up: the store analytic.duckdb is in use by another process" in said
    assert not (tmp_path / "backup" / "manifest.json").exists()
    assert not (tmp_path / "backup" / "analytic.duckdb").exists()
    # Once that session is closed, the same folder (left empty) takes the backup.
    assert main(["backup", str(tmp_path / "backup")]) == 0
    assert (tmp_path / "backup" / "manifest.json").exists()
