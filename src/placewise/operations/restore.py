"""`placewise restore DIR`: put a backup back, after checking every file against its checksum.

It refuses, changing nothing, when the backup is incomplete or damaged (naming the file), when it
was made on another kind of operational database, and when the home already holds a place (unless
told to replace it). The database is put back first, then the stores, then the secrets; then
migrations bring a backup from an older version up to this code's.
"""

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection

from placewise.operations import database
from placewise.operations.backup import FORMAT, HOME_FILES, MANIFEST, SECRETS, STORES, checksum
from placewise.sharing import actors, audit
from placewise.sharing.models import AuditEntry, Organisation
from placewise.sources.models import Load
from placewise.store import stores


class RestoreRefused(Exception):
    """A backup that cannot be put back here, with the reason; nothing was changed."""


@dataclass(frozen=True)
class Restored:
    manifest: dict[str, Any]
    warnings: list[str] = field(default_factory=list)


def checked(folder: Path) -> dict[str, Any]:
    """The backup's manifest, once every file in it matches its checksum."""
    path = folder / MANIFEST
    if not path.is_file():
        raise RestoreRefused(
            f"{folder} has no {MANIFEST}: it is not a backup, or a backup that did not finish"
        )
    try:
        manifest = json.loads(path.read_text())
    except json.JSONDecodeError as error:
        raise RestoreRefused(f"{MANIFEST} is not readable JSON ({error})") from None
    if manifest.get("format") != FORMAT:
        raise RestoreRefused(
            f"{MANIFEST} is in backup format {manifest.get('format')!r}; this version reads "
            f"format {FORMAT}"
        )
    for name, expected in manifest["files"].items():
        file = folder / name
        if not file.is_file():
            raise RestoreRefused(f"{name} is missing from the backup")
        if checksum(file) != expected["sha256"]:
            raise RestoreRefused(
                f"{name} does not match its checksum in {MANIFEST}: the backup is damaged or "
                "was changed since it was made"
            )
    here = database.vendor()
    if manifest["database"] != here:
        raise RestoreRefused(
            f"the backup's operational database is {manifest['database']}; this home uses "
            f"{here} (DATABASE_URL): restore it into a home on {manifest['database']}"
        )
    return manifest


def occupied() -> list[str]:
    """What this home holds already: a place a restore would replace."""
    held = []
    tables = set(connection.introspection.table_names())
    # People, not the accounts the command line and the worker act through (sharing/actors.py).
    for model, found, what in (
        (Organisation, Organisation._base_manager.all, "organisations"),
        (get_user_model(), actors.people, "people"),
        (Load, Load._base_manager.all, "loads"),
        (AuditEntry, AuditEntry._base_manager.all, "audit log entries"),
    ):
        if model._meta.db_table in tables and (count := found().count()):
            held.append(f"{count:,} {what}")
    counts = stores.counts() if Path(settings.PLACEWISE_ANALYTIC_DB).exists() else {}
    if loaded := counts.get("analytic", {}).get("loads", 0):
        held.append(f"{loaded:,} loads in the analytic store")
    if Path(settings.PLACEWISE_ENCLAVE_DB).exists() and not counts:
        held.append("an enclave")
    return held


def _put(source: Path, target: Path, mode: int = 0o600) -> None:
    """Write `target` whole or not at all: copied beside it, then renamed over it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.restoring")
    shutil.copyfile(source, partial)
    partial.chmod(mode)
    os.replace(partial, target)


def _secrets(folder: Path) -> list[str]:
    warnings = []
    home_secrets = Path(settings.PLACEWISE_HOME) / "secrets"
    home_secrets.mkdir(mode=0o700, exist_ok=True)
    for name, (setting, variable) in SECRETS.items():
        value = (folder / "secrets" / name).read_text().strip()
        _put(folder / "secrets" / name, home_secrets / name)
        if os.environ.get(variable) and os.environ[variable] != value:
            warnings.append(
                f"{variable} is set in the environment to another value, which wins: set it to "
                f"the backup's (now in {home_secrets / name}) or unset it"
            )
        # This process goes on to write the audit entry for the restore, with the restored key.
        setattr(settings, setting, value)
    fallbacks = folder / "secrets" / "django_secret_key_fallbacks"
    if fallbacks.is_file():
        _put(fallbacks, home_secrets / fallbacks.name)
    return warnings


def _home_files(folder: Path) -> None:
    for name, setting in HOME_FILES.items():
        if (folder / name).is_file():
            _put(folder / name, Path(getattr(settings, setting)))
    anchors = folder / "home" / audit.ANCHORS_FOLDER
    if anchors.is_dir():
        shutil.copytree(anchors, audit.anchors_folder(), dirs_exist_ok=True)


def restore(folder: Path, *, replace: bool = False) -> Restored:
    """Put the backup in `folder` back into this home. Call `actions.restored` after, to audit
    it (with the restored audit key, which this sets)."""
    manifest = checked(folder)
    held = occupied()
    if held and not replace:
        raise RestoreRefused(
            "this home already holds a place (" + ", ".join(held) + "): restore into an empty "
            "home, or add --replace to overwrite it"
        )
    with stores.load_lock():
        database.load(folder / database.file_name(manifest["database"]))
        for name, setting in STORES.items():
            target = Path(getattr(settings, setting))
            Path(f"{target}.wal").unlink(missing_ok=True)
            if name in manifest["stores"]:
                _put(folder / name, target, mode=0o640)
            else:
                target.unlink(missing_ok=True)
        # Opened once to write, as a load would: readers' snapshots are then of the restored files.
        for open_store in (stores.analytic, stores.enclave):
            with open_store():
                pass
    warnings = _secrets(folder)
    _home_files(folder)
    call_command("migrate", verbosity=0, interactive=False)
    return Restored(manifest, warnings)
