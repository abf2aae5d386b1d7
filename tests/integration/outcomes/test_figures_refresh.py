"""Under `placewise serve` a new version of the figures is worked out in a process of its own at
a lower priority, not in a thread of the web worker that noticed it (outcomes/data.py, ADR 0035):
the process works the version out, says it is ready, and lets go of the refresh."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

# As a web worker under serve: it notices version 3 and starts its refresh.
NOTICED = """
import django
django.setup()
from placewise import cli
cli._django()  # migrates, and makes the cache's table, as every command does
import os
from django.core.cache import caches
from placewise.outcomes import data

data.BACKGROUND = data.IN_A_PROCESS = True
waiter = data.refresh_in_background(3)
print("a second refresh while one runs:", data.refresh_in_background(3))
waiter.join(600)
shared = caches["default"]
print("ready:", shared.get(data.READY), "refreshing:", shared.get(data.REFRESHING))
"""


@pytest.mark.slow
def test_a_version_is_worked_out_in_a_process_of_its_own(tmp_path: Path):
    env = {
        **os.environ,
        "PLACEWISE_HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "placewise.config.settings",
    }
    env.pop("DATABASE_URL", None)  # the home's own SQLite file, shared by the two processes
    done = subprocess.run(
        [sys.executable, "-c", NOTICED], env=env, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, done.stderr
    said = done.stdout.strip().splitlines()
    assert said[-2] == "a second refresh while one runs: None"
    # The web worker never worked anything out: version 3 is ready because the process did it.
    assert said[-1] == "ready: 3 refreshing: None"
