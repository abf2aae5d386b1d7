"""`placewise serve`: the app under gunicorn (docs/adr/0022-a-production-web-server.md).

The app is loaded once, in the master, before the workers fork (`preload_app`): what the master
computed on start (the indicators, in its own copy of the cache) is shared with every worker
page for page until one writes to it, instead of each worker importing Django, DuckDB and SciPy
and working the indicators out again.
"""

import atexit
import os
from typing import Any

from gunicorn.app.base import BaseApplication

# Threads per worker: a page spends much of its time waiting on the database or DuckDB (both
# release the GIL), so a few threads keep a core busy without another copy of the app.
THREADS = 4
# Seconds a request may take before its worker is replaced: an upload still read in the request
# (until jobs take it) must fit.
TIMEOUT = 300
# Requests a worker serves before it is replaced (docs/operating.md).
MAX_REQUESTS = 50_000


def default_workers() -> int:
    """One worker per core, at least two (so one busy or restarting worker is not the server)."""
    return max(2, os.cpu_count() or 1)


def _post_fork(server: Any, worker: Any) -> None:
    # A worker inherits the master's exit handlers (the job runner's stop, for one); gunicorn's
    # workers leave by sys.exit, which would run them. They are the master's to run.
    atexit._clear()


def _worker_exit(server: Any, worker: Any) -> None:
    # The worker's DuckDB readers are closed while it is still whole: left to the interpreter's
    # exit, an instance's threads outlived it and the worker died of SIGABRT ("terminate called
    # without an active exception") instead of leaving quietly.
    from placewise.store import snapshots

    snapshots.close_readers()


class Server(BaseApplication):
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from placewise.config.wsgi import application

        return application


def run(*, host: str, port: str, workers: int, threads: int) -> None:
    """Serve until stopped (SIGINT or SIGTERM)."""
    from django.db import connections

    from placewise.outcomes import data
    from placewise.sharing import versions
    from placewise.store import snapshots

    # Pages are served the last version of the figures worked out in full while a new one is
    # worked out in the background. The figures of this version were computed on start (the
    # warm-up in cmd_serve): serve them.
    data.BACKGROUND = True
    data.IN_A_PROCESS = True
    try:
        data.work_out(versions.data())
    except Exception as error:  # the app still serves without them, as on start
        print(f"indicators not worked out ({error})")

    # Each worker opens its own; neither a database connection nor a DuckDB instance (whose
    # threads stay behind in the master) may cross a fork.
    connections.close_all()
    snapshots.close_readers()
    Server(
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread" if threads > 1 else "sync",
            "preload_app": True,
            "timeout": TIMEOUT,
            "graceful_timeout": 30,
            # A worker is replaced after this many requests, so slow growth in memory is shed:
            # rarely, since a new worker starts with none of the figures, readers or menus the
            # old one held (at 5,000, fifty people replaced each worker every ten minutes, in
            # the middle of a load). The jitter keeps two workers from going at once.
            "max_requests": MAX_REQUESTS,
            "max_requests_jitter": MAX_REQUESTS // 10,
            "post_fork": _post_fork,
            "worker_exit": _worker_exit,
            "errorlog": "-",
            "proc_name": "placewise",
            # Gunicorn's control socket is one path per user: two places served by one account
            # would share it. Nothing here uses it.
            "control_socket_disable": True,
        }
    ).run()
