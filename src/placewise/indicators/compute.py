"""Indicators computed in DuckDB from the canonical events, per month, for the place and for each
team. Each method builds its own SQL (indicators/methods/, ADR 0017); here, the events are
deduplicated once for many indicators, and a series counts only the months its returns cover.

Every series returns `period, team, numerator, denominator` with team NULL for the whole place.
"""

import csv
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import duckdb

from placewise.indicators import methods
from placewise.indicators.library import Indicator
from placewise.indicators.methods.clauses import Parameters, shared_table
from placewise.indicators.methods.definition import Pick
from placewise.store.queries import Query as Query  # as compute.Query, for callers

SHARED_TABLE = "indicator_events"

# Months some committed load of the kind covers (ADR 0016). A place whose loads predate
# coverage has none recorded for the kind, and keeps every month.
_COVERED = """
    covered AS (
        SELECT DISTINCT unnest(generate_series(date_trunc('month', period_start),
                                               date_trunc('month', period_end),
                                               INTERVAL 1 MONTH))::DATE AS month
        FROM coverage
        WHERE kind = $kind AND load_id IN (SELECT load_id FROM loads)
          AND period_start IS NOT NULL AND period_end IS NOT NULL)"""


@contextmanager
def shared_events(store: duckdb.DuckDBPyConnection, kinds: list[str]) -> Iterator[str]:
    """Deduplicate the events of these kinds once, in a temporary table on this connection, and
    give its name to pass to `series` for every indicator run on it (each would otherwise group
    the same millions of rows again)."""
    bind = Parameters()
    store.execute(shared_table(SHARED_TABLE, kinds, bind), bind.values)
    try:
        yield SHARED_TABLE
    finally:
        store.execute(f"DROP TABLE IF EXISTS {SHARED_TABLE}")


def series(
    indicator: Indicator,
    population: Mapping[int, int] | None = None,
    *,
    table: str | None = None,
    pick: Pick = None,
) -> Query | None:
    """The indicator's query — its totals per month, or with `pick` one month's members — or
    None when it needs a population the place has not given. Only months the loaded returns of
    its kind cover are counted. `table`: events deduplicated by `shared_events`, if any."""
    built = methods.get(indicator.method).sql(indicator, table, population, pick=pick)
    if built is None:
        return None
    sql, params = built
    # `covered` asks for the months the indicator's kind is covered: the method's own $kind.
    kind = str(indicator.parameters["kind"])
    if params.setdefault("kind", kind) != kind:
        raise ValueError(f"method {indicator.method} binds $kind to another value")
    if pick is not None:
        return Query(
            f"WITH {_COVERED} SELECT q.* FROM ({sql}) q "  # nosec B608  # constants and $ marks
            "WHERE NOT EXISTS (SELECT 1 FROM covered) OR $period::DATE IN (SELECT month FROM covered) "
            "ORDER BY q.who",
            params,
        )
    return Query(
        f"WITH {_COVERED} SELECT q.* FROM ({sql}) q "  # nosec B608  # constants and $ marks
        "WHERE NOT EXISTS (SELECT 1 FROM covered) OR q.period IN (SELECT month FROM covered) "
        "ORDER BY q.period, q.team NULLS FIRST",
        params,
    )


def method_query(
    method: str,
    settings: dict[str, object],
    population: Mapping[int, int] | None = None,
    *,
    pick: Pick = None,
) -> Query:
    """One method's query on the store's events for these settings (None ones left out), every
    month counted whatever the returns cover: how the hand-worked tests call a method."""
    indicator = Indicator(
        key=method,
        title=method,
        question="",
        method=method,
        numerator="",
        denominator="",
        polarity="up",
        parameters={k: v for k, v in settings.items() if v is not None},
    )
    built = methods.get(method).sql(indicator, None, population, pick=pick)
    if built is None:
        raise ValueError(f"{method} needs the place's population")
    return Query(*built)


def read_population(path: Path) -> dict[int, int]:
    """`year,children` rows; a missing file means no rates."""
    if not path.exists():
        return {}
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    found = {}
    for number, row in enumerate(rows, start=2):
        try:
            found[int(row["year"])] = int(row["children"])
        except (KeyError, TypeError, ValueError):
            raise ValueError(
                f"{path.name} row {number}: expected whole numbers in columns year and children"
            ) from None
    return found


# Each method as a function of its settings, with the names the hand-worked tests use
# (tests/integration/indicators/test_indicators.py). A definition in library.toml never comes this way.


def within_working_days(kind: str, days: int, *, pick: Pick = None) -> Query:
    return method_query("within_working_days", {"kind": kind, "days": days}, pick=pick)


def prior_within(kind: str, days: int, *, pick: Pick = None) -> Query:
    return method_query("prior_within", {"kind": kind, "days": days}, pick=pick)


def prior_ever(kind: str, attr: str | None, *, pick: Pick = None) -> Query:
    return method_query("prior_ever", {"kind": kind, "attr": attr}, pick=pick)


def lasted_at_least(kind: str, days: int, *, pick: Pick = None) -> Query:
    return method_query("lasted_at_least", {"kind": kind, "days": days}, pick=pick)


def closed_in_month(kind: str, *, pick: Pick = None) -> Query:
    return method_query("closed_in_month", {"kind": kind}, pick=pick)


def not_followed_within(kind: str, then: str, days: int, *, pick: Pick = None) -> Query:
    return method_query(
        "not_followed_within", {"kind": kind, "then": then, "days": days}, pick=pick
    )


def mean_value(kind: str, *, pick: Pick = None) -> Query:
    return method_query("mean_value", {"kind": kind}, pick=pick)


def count(kind: str, *, pick: Pick = None) -> Query:
    return method_query("count", {"kind": kind}, pick=pick)


def rate_per_10000(kind: str, population: dict[int, int], *, pick: Pick = None) -> Query:
    return method_query("rate_per_10000", {"kind": kind}, population, pick=pick)


def share_with_attr(
    kind: str,
    attr: str,
    values: list[str] | None,
    at_least: float | None,
    negate: bool,
    *,
    pick: Pick = None,
) -> Query:
    return method_query(
        "share_with_attr",
        {"kind": kind, "attr": attr, "values": values, "at_least": at_least, "negate": negate},
        pick=pick,
    )


def mean_days_between(kind: str, start: str | None, end: str, *, pick: Pick = None) -> Query:
    return method_query("mean_days_between", {"kind": kind, "to": end, "from": start}, pick=pick)


def seen_within(
    kind: str,
    others: list[str],
    days: int,
    when: str,
    other_sources: list[str] | None,
    *,
    pick: Pick = None,
) -> Query:
    return method_query(
        "seen_within",
        {
            "kind": kind,
            "others": others,
            "days": days,
            "when": when,
            "other_sources": other_sources,
        },
        pick=pick,
    )


def open_with(
    kind: str,
    others: list[str] | None = None,
    days: int | None = None,
    at_least: int = 1,
    other_sources: list[str] | None = None,
    attr: str | None = None,
    values: list[str] | None = None,
    *,
    pick: Pick = None,
) -> Query:
    return method_query(
        "open_with",
        {
            "kind": kind,
            "others": others,
            "days": days,
            "at_least": at_least,
            "other_sources": other_sources,
            "attr": attr,
            "values": values,
        },
        pick=pick,
    )


def stable_placement(
    kind: str,
    care_days: int,
    placement_days: int,
    under_age: int | None = None,
    attr: str = "rne",
    starts: list[str] | None = None,
    not_moves: list[str] | None = None,
    *,
    pick: Pick = None,
) -> Query:
    return method_query(
        "stable_placement",
        {
            "kind": kind,
            "care_days": care_days,
            "placement_days": placement_days,
            "under_age": under_age,
            "attr": attr,
            "starts": starts,
            "not_moves": not_moves,
        },
        pick=pick,
    )


def followed_within(
    kind: str,
    then: str,
    days: int,
    working_days: bool = False,
    anchor: str = "start",
    horizon: int | None = None,
    sources: list[str] | None = None,
    *,
    pick: Pick = None,
) -> Query:
    return method_query(
        "followed_within",
        {
            "kind": kind,
            "then": then,
            "days": days,
            "working_days": working_days,
            "horizon": horizon,
            "sources": sources,
            "from": anchor,
        },
        pick=pick,
    )
