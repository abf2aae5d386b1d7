"""`placewise worker`: a supervisor that keeps one worker process running the queued jobs.

The worker (django-tasks-db's db_worker) runs each job in its own process, so a job that kills
it (out of memory, kill -9) takes nothing else down. The supervisor then settles what it left
(jobs.actions.settle_dead: the stores recovered, the job marked failed, or done if its load had
committed) and starts a fresh worker. Jobs wait in the database, so they survive a restart of
the web server, of the worker, or of both.
"""

import os
import signal
import subprocess  # nosec B404  # runs this package's own command with this interpreter
import sys
import time
from types import FrameType

from django.core.management import call_command

from placewise.jobs import actions

# A worker that keeps dying at once is started again no faster than this.
RESTART_SECONDS = 2.0
# How often an idle worker looks for a new job.
POLL_SECONDS = 1.0


def run_worker() -> None:
    """Run queued jobs in this process until stopped (the supervisor's child)."""
    call_command(
        "db_worker",
        interval=POLL_SECONDS,
        startup_delay=False,
        verbosity=0,
        worker_id=f"placewise-{os.getpid()}",
    )


def supervise(*, by: str) -> int:
    """Keep one worker running; settle the jobs of any worker that dies. Returns on SIGTERM or
    SIGINT, stopping the worker (a job it is running is settled when a worker next starts)."""
    stopping = False
    child: subprocess.Popen[bytes] | None = None

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        if child is not None and child.poll() is None:
            child.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for job in actions.settle_dead(by=by):
        print(f"job {job.pk}: {job.outcome}", flush=True)
    while not stopping:
        child = subprocess.Popen(  # nosec B603  # fixed argv: this interpreter, our own command
            [sys.executable, "-m", "placewise.cli", "worker", "--no-supervisor"]
        )
        code = child.wait()
        if stopping:
            break
        print(f"the worker stopped (exit {code}); settling its jobs and starting another")
        for job in actions.settle_dead(by=by):
            print(f"job {job.pk}: {job.outcome}", flush=True)
        time.sleep(RESTART_SECONDS)
    if child is not None:
        child.wait()
    return 0


def start_beside_server() -> subprocess.Popen[bytes]:
    """A supervised worker in a process of its own, for `placewise serve` (stopped with it)."""
    return subprocess.Popen([sys.executable, "-m", "placewise.cli", "worker"])  # nosec B603
