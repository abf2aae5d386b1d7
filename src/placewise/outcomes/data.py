"""The indicator table and its signals, computed once per version of the data and kept in the
cache: pages read them, never recompute them on every request."""

from django.core.cache import cache

from placewise.indicators import export, library, signals
from placewise.indicators.library import Indicator
from placewise.store.queries import Query, run

TTL = 6 * 3600


def version() -> str:
    """Changes whenever a load is committed or removed, linkage re-runs, or an indicator is
    retired or redefined."""
    from placewise.linkage.models import LinkageRun
    from placewise.outcomes.models import IndicatorChange, StepChange

    row = run(Query("SELECT coalesce(max(load_id), 0) AS last, count(*) AS n FROM loads", []))[0]
    runs = LinkageRun.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    changes = IndicatorChange.objects.count(), StepChange.objects.count()
    return f"{row['last']}-{row['n']}-{runs}-{changes[0]}-{changes[1]}"


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
    key = f"indicators:table:{version()}"
    rows = cache.get(key)
    if rows is None:
        rows = export.table(indicators())
        cache.set(key, rows, TTL)
    return rows


def all_signals() -> list[signals.Signal]:
    from placewise.outcomes.models import StepChange

    key = f"indicators:signals:{version()}"
    found = cache.get(key)
    if found is None:
        steps: dict[tuple[str, str], list] = {}
        for s in StepChange.objects.all():
            steps.setdefault((s.indicator, s.team), []).append(s.period)
        found = signals.read(indicators(), table(), steps=steps)
        cache.set(key, found, TTL)
    return found


def sources_of_kinds() -> dict[str, set[str]]:
    """Which sources hold each kind of event (to check the viewer may see an indicator's)."""
    key = f"indicators:sources:{version()}"
    found = cache.get(key)
    if found is None:
        found = {}
        for r in run(Query("SELECT DISTINCT kind, source FROM events", [])):
            found.setdefault(r["kind"], set()).add(r["source"])
        cache.set(key, found, TTL)
    return found


def kinds_of(indicator: Indicator) -> set[str]:
    p = indicator.parameters
    return {str(p[k]) for k in ("kind", "then") if k in p}
