"""The indicator table and its signals, computed once per version of the data and kept in the
cache: pages read them, never recompute them on every request."""

import subprocess  # nosec B404  # runs this package's own module with this interpreter
import sys
import threading
from collections.abc import Callable
from datetime import date
from typing import TypeVar

from django.conf import settings
from django.core.cache import caches
from django.db import connection

from placewise.indicators import export, library, signals
from placewise.indicators.library import Indicator
from placewise.sharing import publication, versions
from placewise.sharing.publication import PublishedSeries
from placewise.store.queries import Query, run

TTL = 6 * 3600
T = TypeVar("T")


# Under `placewise serve` (config/server.py), a new version of the data is worked out in the
# background while pages go on being served the last version worked out in full; elsewhere (the
# commands, the tests) every read works out the current version at once.
BACKGROUND = False
READY = "indicators:ready"  # the newest version whose figures are all worked out
REFRESHING = "indicators:refreshing"  # held by the one process working the next one out
_worked_out = threading.local()


def version() -> str:
    """The data version pages are served at (sharing/versions.py: bumped by every load's
    outcome, linkage run, retention's deletes, step change and indicator retired or
    redefined). One row of the operational database: opening the analytic store costs more
    than a page may.

    A load of a large return bumps it, and working the figures out again takes seconds to
    minutes; with BACKGROUND, one thread in one process does that while every page is served
    the last version worked out in full: the figures, their signals, what partners may see of
    them and which sources hold what all of one version, never a mixture."""
    own = getattr(_worked_out, "version", None)
    if own is not None:
        return str(own)
    # Once per request (sharing/versions.py): a page reads a cached figure several times.
    return versions.once("indicators:served", _served)


def _served() -> str:
    current = versions.data()
    if not BACKGROUND:
        return str(current)
    ready = caches["default"].get(READY)
    if ready is None:  # nothing worked out yet in this place: work it out now
        work_out(current)
        return str(current)
    if int(ready) < current:
        refresh_in_background(current)
    return str(ready)


def work_out(number: int) -> None:
    """Work out the figures of this version of the data, then serve it."""
    _worked_out.version = number
    try:
        table()
        all_signals()
        published_for_partners()
        months_charted()
        sources_of_kinds()
    finally:
        _worked_out.version = None
    caches["default"].set(READY, number, None)


def refresh_in_background(number: int) -> threading.Thread | None:
    """Start working out this version, unless some process is: in a process of its own under
    `placewise serve` (IN_A_PROCESS), elsewhere in a thread of this process. Returns the thread
    that works it out or waits for the process."""
    if not caches["default"].add(REFRESHING, number, REFRESH_SECONDS):
        return None
    if IN_A_PROCESS:
        return _refresh_in_a_process(number)

    def refresh() -> None:
        try:
            work_out(number)
        finally:
            caches["default"].delete(REFRESHING)
            connection.close()  # this thread's own

    thread = threading.Thread(target=refresh, name="placewise-figures", daemon=True)
    thread.start()
    return thread


# A process that died working a version out holds nobody up for longer than this.
REFRESH_SECONDS = 15 * 60

# Working a version out takes tens of seconds of CPU (29 s for the 5,000-child demo), most of it
# holding the GIL: in a thread of a web worker it slowed every page that worker served meanwhile,
# and a large ingest bumps the version again and again. Under `placewise serve`, a process of its
# own does it, at the jobs worker's lower priority (outcomes/refresh.py).
IN_A_PROCESS = False


def _refresh_in_a_process(number: int) -> threading.Thread:
    child = subprocess.Popen(  # noqa: S603  # nosec B603  # this interpreter, our own module
        [
            sys.executable,
            "-m",
            "placewise.outcomes.refresh",
            str(number),
            str(settings.PLACEWISE_WORKER_NICE),
        ]
    )

    def wait() -> None:
        try:
            if child.wait() != 0:  # it died before letting go: let the next page start another
                caches["default"].delete(REFRESHING)
        finally:
            connection.close()  # this thread's own

    waiter = threading.Thread(target=wait, name="placewise-figures-process", daemon=True)
    waiter.start()
    return waiter


def cached(name: str, compute: Callable[[], T]) -> T:
    """`compute()` once per version of the data, for every worker: the shared cache holds it,
    and each process keeps its own copy of what it read there (the key names the version, so a
    copy cannot go stale)."""
    key = f"indicators:{name}:{version()}"
    local = caches["local"]
    found = local.get(key)
    if found is None:
        found = caches["default"].get(key)
        if found is None:
            found = compute()
            caches["default"].set(key, found, TTL)
        local.set(key, found, TTL)
    return found


def indicators() -> dict[str, Indicator]:
    """The library with retired indicators left out and redefinitions applied."""
    from placewise.outcomes.models import IndicatorChange

    found = library.load()
    for change in IndicatorChange.objects.order_by("made_at"):
        if change.change == IndicatorChange.Change.RETIRE:
            found.pop(change.indicator, None)
        elif change.change == IndicatorChange.Change.REDEFINE and change.indicator in found:
            found[change.indicator] = library.redefine(found[change.indicator], change.settings)
    return found


def table() -> list[export.Row]:
    return cached("table", lambda: export.table(indicators()))


def all_signals() -> list[signals.Signal]:
    from placewise.outcomes.models import StepChange

    def compute() -> list[signals.Signal]:
        steps: dict[tuple[str, str], list[date]] = {}
        for s in StepChange.objects.all():
            steps.setdefault((s.indicator, s.team), []).append(s.period)
        return signals.read(indicators(), table(), steps=steps)

    return cached("signals", compute)


def sources_of_kinds() -> dict[str, set[str]]:
    """Which sources hold each kind of event (to check the viewer may see an indicator's)."""

    def compute() -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for r in run(Query("SELECT DISTINCT kind, source FROM events", [])):
            found.setdefault(r["kind"], set()).add(r["source"])
        return found

    return cached("sources", compute)


def sources_of(indicator: Indicator) -> set[str]:
    """The sources an indicator counts: the holders of its kinds of event, less any its
    definition leaves out (`sources` for its own kind, `other_sources` for the others)."""
    holders = sources_of_kinds()
    p = indicator.parameters

    def held(kinds: object, only: object) -> set[str]:
        names = kinds if isinstance(kinds, list) else [kinds] if kinds else []
        found = set().union(*(holders.get(str(k), set()) for k in names))
        return found & {str(o) for o in only} if isinstance(only, list) else found

    return (
        held(p.get("kind"), p.get("sources"))
        | held(p.get("then"), None)
        | held(p.get("others"), p.get("other_sources"))
    )


def published_for_partners() -> dict[tuple[str, str], PublishedSeries]:
    """What partners see of every series, by (indicator, team): worked out once per version of
    the data (disclosure control solves small linear programmes for each withheld month) and
    kept as one entry, so a page asks for it once."""
    name = f"published:{publication.threshold()}:{publication.round_to()}"
    return cached(
        name,
        lambda: {
            (s.indicator.key, s.team): publication.series(s, full=False) for s in all_signals()
        },
    )


def published(
    signal: signals.Signal,
    *,
    full: bool,
    partners: dict[tuple[str, str], PublishedSeries] | None = None,
) -> PublishedSeries:
    """The series as `sharing.publication` lets a viewer see it (`partners`: what
    `published_for_partners` gave, when a page shows many series)."""
    if full:  # nothing to work out: the viewer's own data
        return publication.series(signal, full=True)
    every = partners if partners is not None else published_for_partners()
    found = every.get((signal.indicator.key, signal.team))
    # A signal from elsewhere (a test's own, say) is published as it is asked for.
    return found if found is not None else publication.series(signal, full=False)


def months_charted() -> dict[tuple[str, str], int]:
    """How many months of each (indicator, team) series have a value, once per data version."""

    def count() -> dict[tuple[str, str], int]:
        found: dict[tuple[str, str], int] = {}
        for row in table():
            if row.value is not None:
                found[(row.indicator, row.team)] = found.get((row.indicator, row.team), 0) + 1
        return found

    return cached("months", count)
