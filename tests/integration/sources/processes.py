"""The command line as a real `placewise` process with a home of its own, for the tests that kill
one on purpose (PLACEWISE_CRASH_AT makes it leave through os._exit at a commit boundary, skipping
every cleanup, as kill -9 would)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

TRUST = "Northshire NHS Foundation Trust"
COUNCIL = "Northshire Council Children's Services"


def placewise(home: Path, *args: str, crash_at: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "PLACEWISE_CRASH_AT"}}
    env["PLACEWISE_HOME"] = str(home)
    if crash_at:
        env["PLACEWISE_CRASH_AT"] = crash_at
    return subprocess.run(
        [sys.executable, "-m", "placewise.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


class Homes:
    """Homes made once per test session (per xdist worker) and copied for each test: a new home
    costs a process that migrates the operational database (some 7 seconds), which each crash
    test would otherwise pay two or three times. A copy is a home like any other: the files,
    the secrets, nothing that names the folder it was made in."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.made: dict[tuple[tuple[str, ...], ...], Path] = {}

    def copy(self, to: Path, *commands: tuple[str, ...]) -> Path:
        """A home at `to` as these commands, run in order in a new home, leave it."""
        if commands not in self.made:
            template = self.folder / f"home-{len(self.made)}"
            # From the longest run of the same first commands already made, if any.
            done = max((n for n in range(len(commands)) if commands[:n] in self.made), default=0)
            if done:
                shutil.copytree(self.made[commands[:done]], template)
            for command in commands[done:]:
                ran = placewise(template, *command)
                assert ran.returncode == 0, f"placewise {command}: {ran.stdout}{ran.stderr}"
            self.made[commands] = template
        shutil.copytree(self.made[commands], to)
        return to


def organisation(name: str, kind: str) -> tuple[str, ...]:
    return ("organisation", "add", "--name", name, "--kind", kind)


def ingest(*paths: Path) -> tuple[str, ...]:
    return ("ingest", "--no-dfe", "--quiet", *map(str, paths))
