"""`placewise backup DIR`: one consistent copy of a place — the operational database, both DuckDB
stores and the secrets — with a manifest of SHA-256 checksums (ADR 0026).

The stores are copied holding the load lock (store/stores.py), so no load is half-written in the
copy, through one read-only DuckDB connection to both files at once: while it is open no other
process can write either, so the two copies are of the same moment. The manifest is written last:
a folder without one is a backup that did not finish, and restore says so.
"""

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import duckdb
from django.conf import settings
from django.db.migrations.recorder import MigrationRecorder

from placewise.operations import database
from placewise.sharing import audit
from placewise.store import stores

MANIFEST = "manifest.json"
FORMAT = 1
STORES = {"analytic.duckdb": "PLACEWISE_ANALYTIC_DB", "enclave.duckdb": "PLACEWISE_ENCLAVE_DB"}
# The secrets a place cannot run without, by the setting that holds each and its variable.
SECRETS = {
    "django_secret_key": ("SECRET_KEY", "PLACEWISE_SECRET_KEY"),
    "place_secret": ("PLACE_SECRET", "PLACEWISE_PLACE_SECRET"),
    "audit_key": ("AUDIT_KEY", "PLACEWISE_AUDIT_KEY"),
}
# Files beside them in the home, by the setting naming each (copied when present).
HOME_FILES = {
    "secrets/linkage-bloom.key": "PLACEWISE_LINKAGE_SECRET_FILE",
    "home/indicators.toml": "PLACEWISE_INDICATORS_FILE",
    "home/population.csv": "PLACEWISE_POPULATION_FILE",
}


class BackupRefused(Exception):
    """A backup that cannot be made, with the reason."""


@dataclass(frozen=True)
class Made:
    folder: Path
    files: dict[str, dict[str, Any]]
    database: str


def checksum(path: Path) -> str:
    """SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _copy_into(store: duckdb.DuckDBPyConnection, target: Path) -> None:
    row = store.execute("SELECT current_database()").fetchone()
    name = str(row[0]) if row else ""
    if not name.isidentifier():
        raise BackupRefused(f"the store's database is named {name!r}, not an identifier")
    store.execute("ATTACH ? AS backup_copy", [str(target)])
    try:
        store.execute(f"COPY FROM DATABASE {name} TO backup_copy")
    finally:
        store.execute("DETACH backup_copy")


def _copy_stores(folder: Path) -> list[str]:
    """Both stores, each opened as its writers open it (waiting, as they do, for a writer in
    another process to finish: store/snapshots.py), and both held at once, so the two copies
    are of one moment. A store not made yet is made empty, as any first use makes it."""
    try:
        with stores.analytic() as store, stores.enclave() as vault:
            for name, connection in (("analytic.duckdb", store), ("enclave.duckdb", vault)):
                _copy_into(connection, folder / name)
    except stores.StoreBusy as error:
        # Only a process that bypasses the write lock (someone's own DuckDB session on the
        # file) holds a store open this way: there is nothing to wait for.
        for name in STORES:
            (folder / name).unlink(missing_ok=True)
        raise BackupRefused(str(error)) from None
    return list(STORES)


def _copy_secrets(folder: Path) -> list[str]:
    (folder / "secrets").mkdir(mode=0o700)
    from_environment = []
    for name, (setting, variable) in SECRETS.items():
        path = folder / "secrets" / name
        path.write_text(str(getattr(settings, setting)))
        path.chmod(0o600)
        if os.environ.get(variable):
            from_environment.append(variable)
    fallbacks = list(getattr(settings, "SECRET_KEY_FALLBACKS", []))
    if fallbacks:
        path = folder / "secrets" / "django_secret_key_fallbacks"
        path.write_text("\n".join(fallbacks) + "\n")
        path.chmod(0o600)
    return from_environment


def _copy_home_files(folder: Path) -> None:
    for name, setting in HOME_FILES.items():
        source = Path(getattr(settings, setting))
        if source.is_file():
            (folder / name).parent.mkdir(mode=0o700, exist_ok=True)
            shutil.copyfile(source, folder / name)
    anchors = audit.anchors_folder()
    if anchors.is_dir():
        shutil.copytree(anchors, folder / "home" / anchors.name)


def _migrations() -> dict[str, str]:
    """The newest migration applied per app: what a restore's code must be at least."""
    newest: dict[str, str] = {}
    for app, name in MigrationRecorder.Migration.objects.order_by("id").values_list("app", "name"):
        newest[app] = name
    return newest


def make(folder: Path) -> Made:
    """Write a backup into `folder`, which must be new or empty. Call `actions.backup_made` after,
    to audit it."""
    if folder.exists() and any(folder.iterdir()):
        raise BackupRefused(f"{folder} is not empty: give a new folder for each backup")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    with stores.load_lock():
        # A load holds the lock from its row in the database to its outcome: holding it across
        # both copies, no load is between the two.
        copied = _copy_stores(folder)
        database.dump(folder)
    from_environment = _copy_secrets(folder)
    _copy_home_files(folder)
    for path in folder.rglob("*"):
        path.chmod(0o700 if path.is_dir() else 0o600)  # it holds the secrets and identifiers
    files = {
        str(path.relative_to(folder)): {"sha256": checksum(path), "bytes": path.stat().st_size}
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
    manifest = {
        "format": FORMAT,
        "made_at": datetime.now(UTC).isoformat(),
        "placewise": metadata.version("placewise"),
        "database": database.vendor(),
        "stores": copied,
        "migrations": _migrations(),
        "secrets_from_environment": from_environment,
        "files": files,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    (folder / MANIFEST).chmod(0o600)
    return Made(folder, files, database.vendor())
