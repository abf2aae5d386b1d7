"""A consistent copy of the operational database, and putting one back (ADR 0026).

SQLite: the online backup API, page by page through Django's own connection, so the copy is of
one committed state even while the web app writes, and a restore replaces the whole database
(tables the backup does not have go too). PostgreSQL: pg_dump's custom format, taken inside one
snapshot, and pg_restore in a single transaction: the tools a database administrator already
trusts, exact to the byte for every column (the audit chain's hashes cover timestamps to the
microsecond, which a Django-level JSON dump would cut to milliseconds).
"""

import os
import sqlite3
import subprocess  # nosec B404  # pg_dump and pg_restore, with fixed arguments and no shell
from pathlib import Path
from typing import Any

from django.db import connection

SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.pgdump"


class DatabaseCopyFailed(Exception):
    """pg_dump or pg_restore failed; the message carries what they said."""


def vendor() -> str:
    """'sqlite' or 'postgresql': the operational database this home uses."""
    return str(connection.vendor)


def file_name(of_vendor: str) -> str:
    """The name of the database's copy in a backup."""
    return SQLITE_FILE if of_vendor == "sqlite" else POSTGRES_FILE


def _postgres_environment() -> dict[str, str]:
    """libpq's variables for the database Django is connected to: no password on a command line."""
    given: dict[str, Any] = connection.settings_dict
    environment = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if given.get(key):
            environment[variable] = str(given[key])
    return environment


def _run(command: list[str]) -> None:
    done = subprocess.run(  # noqa: S603  # nosec B603  # a fixed program, our own paths
        command, env=_postgres_environment(), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        said = (done.stderr or done.stdout).strip().splitlines()
        raise DatabaseCopyFailed(f"{command[0]} failed: {said[-1] if said else done.returncode}")


def dump(folder: Path) -> Path:
    """Copy the operational database into `folder`; returns the file written."""
    out = folder / file_name(vendor())
    if connection.in_atomic_block:
        # SQLite's backup would wait for ever on this connection's own write lock; pg_dump would
        # copy what was committed without what this transaction wrote. Neither is a backup.
        raise DatabaseCopyFailed("a backup cannot be taken inside a transaction")
    if vendor() == "sqlite":
        connection.ensure_connection()
        live = connection.connection
        with sqlite3.connect(out) as target:
            live.backup(target)
        target.close()
    elif vendor() == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={out}"])
    else:
        raise DatabaseCopyFailed(f"backing up a {vendor()} database is not supported")
    return out


def load(copy: Path) -> None:
    """Replace the operational database with `copy` (made by `dump` on the same vendor)."""
    if vendor() == "sqlite":
        connection.close()
        connection.ensure_connection()
        with sqlite3.connect(copy) as source:
            source.backup(connection.connection)
        source.close()
    else:
        connection.close()  # pg_restore drops tables: hold no lock on them
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                f"--dbname={_postgres_environment().get('PGDATABASE', '')}",
                str(copy),
            ]
        )
