"""The worker runs its jobs at a lower CPU priority than the web server (issue 16: a load and
Splink took both cores from the pages): PLACEWISE_WORKER_NICE below where it started, before it
takes a job. Run in a child process, since niceness cannot be raised back."""

import os
import subprocess
import sys

import pytest

CHILD = """
import os, django
os.environ["DJANGO_SETTINGS_MODULE"] = "placewise.config.settings"
django.setup()
from placewise.jobs import workers
workers.call_command = lambda *a, **k: print(os.getpriority(os.PRIO_PROCESS, 0))
workers.run_worker()
"""


@pytest.mark.parametrize(("wanted", "lowered_by"), [("7", 7), ("0", 0), ("-5", 0), ("40", 19)])
def test_the_worker_lowers_its_priority_before_taking_jobs(tmp_path, wanted, lowered_by):
    base = os.getpriority(os.PRIO_PROCESS, 0)
    env = {**os.environ, "PLACEWISE_HOME": str(tmp_path), "PLACEWISE_WORKER_NICE": wanted}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, check=True
    )
    # A negative setting never raises it above the server's; the kernel stops at 19.
    assert int(done.stdout.split()[-1]) == min(19, base + lowered_by)
