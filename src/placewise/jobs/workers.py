"""`placewise worker`: a supervisor that keeps one worker process running the queued jobs.

The worker (django-tasks-db's db_worker) runs each job in its own process, so a job that kills
it (out of memory, kill -9) takes nothing else down. The supervisor then settles what it left
(settle_dead: the stores recovered, the job marked failed, or done if its load had
committed) and starts a fresh worker. Jobs wait in the database, so they survive a restart of
the web server, of the worker, or of both.
"""

import atexit
import os
import signal
import socket
import subprocess  # nosec B404  # runs this package's own command with this interpreter
import sys
import time
from types import FrameType

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command

from placewise.jobs import actions
from placewise.jobs.models import Job
from placewise.sources.recovery import recover

# A worker that keeps dying at once is started again no faster than this.
RESTART_SECONDS = 2.0
# How often an idle worker looks for a new job.
POLL_SECONDS = 1.0


def lower_priority() -> int:
    """Run at PLACEWISE_WORKER_NICE below the priority this process was started at (a job's
    reader, validators and DuckDB's threads inherit it): the web server's pages come first on a
    machine whose cores a load or Splink would otherwise take (ADR 0022). Returns the niceness."""
    return os.nice(max(0, min(19, settings.PLACEWISE_WORKER_NICE)))


def run_worker() -> None:
    """Run queued jobs in this process until stopped (the supervisor's child), at a lower CPU
    priority than the web server's."""
    lower_priority()
    call_command(
        "db_worker",
        interval=POLL_SECONDS,
        startup_delay=False,
        verbosity=0,
        worker_id=f"placewise-{os.getpid()}",
    )


def supervise(*, by: User, beside: int | None = None) -> int:
    """Keep one worker running; settle the jobs of any worker that dies. Returns on SIGTERM or
    SIGINT, stopping the worker (a job it is running is settled when a worker next starts), and
    when the process `beside` (the web server that started it) has gone, however it ended."""
    stopping = False
    child: subprocess.Popen[bytes] | None = None

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        if child is not None and child.poll() is None:
            child.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for job in settle_dead(by=by):
        print(f"job {job.pk}: {job.outcome}", flush=True)
    while not stopping:
        child = subprocess.Popen(  # nosec B603  # fixed argv: this interpreter, our own command
            [sys.executable, "-m", "placewise.cli", "worker", "--no-supervisor"]
        )
        code = _wait(child, beside)
        if code is None:  # the web server has gone: so do we
            stopping = True
            child.terminate()
        if stopping:
            break
        print(f"the worker stopped (exit {code}); settling its jobs and starting another")
        for job in settle_dead(by=by):
            print(f"job {job.pk}: {job.outcome}", flush=True)
        time.sleep(RESTART_SECONDS)
    if child is not None:
        child.wait()
    return 0


def _wait(child: subprocess.Popen[bytes], beside: int | None) -> int | None:
    """The worker's exit code, or None if the server it was started beside has gone first."""
    while True:
        try:
            return child.wait(timeout=POLL_SECONDS)
        except subprocess.TimeoutExpired:
            # Orphaned: the server was killed without running its exit handlers.
            if beside is not None and os.getppid() != beside:
                return None


def settle_dead(*, by: User) -> list[Job]:
    """Jobs whose worker process on this machine has died: settle the stores first (recovery
    removes a dead load's half and marks its load failed, or loaded if it had committed), then
    record each job's end. Run when a worker starts and when one dies. Recovery runs outside any
    one transaction: each of its steps is its own (ADR 0002)."""
    here = socket.gethostname()
    dead = [
        job
        for job in Job.objects.filter(status=Job.Status.RUNNING, worker_host=here)
        if job.worker_pid is None or not _alive(job.worker_pid)
    ]
    if not dead:
        return []
    recover(by=by)
    return [actions.settle(job=job, by=by) for job in dead]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def start_beside_server() -> None:
    """A supervised worker in a process of its own, for `placewise serve`, stopped when this
    process exits."""
    server = os.getpid()
    worker = subprocess.Popen(  # noqa: S603  # nosec B603  # fixed argv: our own command
        [sys.executable, "-m", "placewise.cli", "worker", "--beside", str(server)]
    )

    def stop() -> None:
        # The web server's own workers are forks of this process and run its exit handlers
        # too: only the process that started the worker stops it.
        if os.getpid() == server:
            worker.terminate()

    atexit.register(stop)
