"""`placewise backup`, `restore`, `rekey` and `secret-key`: what an operator runs to keep a place
safe (docs/operating.md). Each write is an audited action (operations/actions.py)."""

import argparse
import csv
import os
import sys
from functools import partial
from pathlib import Path
from typing import Any

from placewise.place_commands import run_after

# Imported without Django: the parser is built before Django is set up.


def _django_without_migrating() -> None:
    """Restore puts a whole database back, then migrates it: migrating the empty one first would
    only be undone."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "placewise.config.settings")
    import django

    django.setup()


def cmd_backup(args: argparse.Namespace) -> int:
    from placewise.operations import actions, backup, rekey
    from placewise.operations.database import DatabaseCopyFailed
    from placewise.sharing import actors

    if rekey.journal().exists():
        print(f"re-keying interrupted earlier: {rekey.settle()}")
    try:
        made = backup.make(Path(args.dir))
    except (backup.BackupRefused, DatabaseCopyFailed) as error:
        print(f"not backed up: {error}", file=sys.stderr)
        return 1
    actions.backup_made(folder=made.folder, files=made.files, by=actors.command_line())
    size = sum(f["bytes"] for f in made.files.values())
    print(
        f"backed up to {made.folder}: {len(made.files)} files, {size / 2**20:,.1f} MiB, "
        f"checksums in {backup.MANIFEST}. It holds the place secret and the enclave's "
        "identifiers: keep it encrypted and as safe as the server."
    )
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from placewise.operations import actions
    from placewise.operations.database import DatabaseCopyFailed
    from placewise.operations.restore import RestoreRefused, restore
    from placewise.sharing import actors

    folder = Path(args.dir)
    try:
        done = restore(folder, replace=args.replace)
    except (RestoreRefused, DatabaseCopyFailed) as error:
        print(f"not restored: {error}", file=sys.stderr)
        return 1
    actions.restored(folder=folder, manifest=done.manifest, by=actors.command_line())
    print(f"restored the backup made at {done.manifest['made_at']} from {folder}")
    for warning in done.warnings:
        print(f"  warning: {warning}")
    return 0


def _references(path: str | None) -> list[tuple[str, str]]:
    if path is None:
        return []
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    found = []
    for number, row in enumerate(rows, start=1):
        if number == 1 and [c.strip().lower() for c in row] == ["source", "reference"]:
            continue
        if len(row) != 2 or not all(c.strip() for c in row):
            raise ValueError(f"{path}, row {number}: expected two columns, source and reference")
        found.append((row[0].strip(), row[1].strip()))
    return found


def cmd_rekey(args: argparse.Namespace) -> int:
    from placewise.operations import actions, rekey
    from placewise.sharing import actors

    if settled := rekey.settle():
        print(f"a re-keying interrupted earlier was {settled}")
    try:
        references = _references(args.references)
        done = actions.rekey(opt_out_references=references, by=actors.command_line())
    except FileNotFoundError as error:
        print(f"not re-keyed: {error.filename} does not exist", file=sys.stderr)
        return 2
    except (ValueError, rekey.RekeyRefused) as error:
        print(f"not re-keyed: {error}", file=sys.stderr)
        return 1
    finally:
        rekey.settle()  # after a commit: clears the journal; after a failure: undoes the stores
    print(
        f"re-keyed: {done.tokens:,} tokens and {done.person_keys:,} person keys recomputed; "
        f"place secret {done.old} retired, {done.new} in use. Start the web app and workers "
        "again, and take a new backup: older backups hold the old secret."
    )
    return 0


def cmd_secret_key(args: argparse.Namespace) -> int:
    from placewise.operations import actions
    from placewise.operations.secret_key import SecretKeyRefused
    from placewise.sharing import actors

    try:
        if args.step == "rotate":
            kept = actions.rotate_secret_key(by=actors.command_line())
            print(
                f"new Django secret key in use after a restart; {kept} older key(s) still "
                "accepted (SECRET_KEY_FALLBACKS) until `placewise secret-key retire-old`"
            )
        else:
            dropped = actions.retire_old_secret_keys(by=actors.command_line())
            print(f"{dropped} older Django secret key(s) no longer accepted after a restart")
    except SecretKeyRefused as error:
        print(f"not changed: {error}", file=sys.stderr)
        return 1
    return 0


def add_parsers(sub: Any, django: Any) -> None:
    """Add the commands to the `placewise` parser; `django` sets Django up before each runs."""
    after_setup = partial(run_after, django)

    b = sub.add_parser("backup", help="copy the database, both stores and the secrets to DIR")
    b.add_argument("dir", help="a new (or empty) folder for this backup")
    b.set_defaults(run=after_setup(cmd_backup))

    r = sub.add_parser("restore", help="put a backup back (checksums checked first)")
    r.add_argument("dir", help="a folder `placewise backup` wrote")
    r.add_argument(
        "--replace", action="store_true", help="overwrite the place this home holds already"
    )
    r.set_defaults(run=run_after(_django_without_migrating, cmd_restore))

    k = sub.add_parser(
        "rekey", help="recompute every token under a new place secret and retire the old one"
    )
    k.add_argument(
        "--references",
        "--opt-outs",
        dest="references",
        metavar="FILE",
        help="CSV of source,reference for tokens the enclave cannot recompute: opt-outs, and "
        "records loaded with no identity (rekey names them)",
    )
    k.set_defaults(run=after_setup(cmd_rekey))

    s = sub.add_parser("secret-key", help="rotate the Django secret key (signs sessions)")
    s_sub = s.add_subparsers(dest="step", required=True)
    s_sub.add_parser("rotate", help="a new key; the old one still accepted until retired")
    s_sub.add_parser("retire-old", help="stop accepting the keys rotated out")
    s.set_defaults(run=after_setup(cmd_secret_key))
