"""Indicators computed in DuckDB from the canonical events, per month, for the place and for each
team, as functions that build SQL with bound parameters. Annex A, SSDA903 and the CIN census all
feed the same definitions: the same event from several returns is counted once (one child, source,
kind and start date: the latest end, code and team any return gives).

Every query returns `period, team, numerator, denominator` with team NULL for the whole place.
"""

import csv
from datetime import date
from pathlib import Path

from placewise.indicators.library import Indicator
from placewise.indicators.working_days import bank_holidays
from placewise.store.queries import Query

CALENDAR = (date(1990, 1, 1), date(2045, 12, 31))

_EVENTS = """
    ev AS (
        SELECT token AS who, kind, start_date, max(end_date) AS end_date, max(code) AS code,
               max(value) AS value, max(team) AS team, max(attrs) AS attrs
        FROM events
        WHERE load_id IN (SELECT load_id FROM loads) AND kind IN ({kinds})
        GROUP BY token, source, kind, start_date)"""

_TOTALS = """
    SELECT period, team, sum(n) AS numerator, sum(d) AS denominator
    FROM x GROUP BY GROUPING SETS ((period), (period, team))
    ORDER BY period, team NULLS FIRST"""


def _with_events(kinds: list[str], body: str, *, totals: bool = True) -> str:
    """The deduplicated events CTE, the method's own CTEs, and (for most methods) the totals per
    month for the place and each team."""
    head = "WITH" + _EVENTS.format(kinds=", ".join("?" for _ in kinds)) + ",\n"
    return head + body + (_TOTALS if totals else "")


def within_working_days(kind: str, days: int) -> Query:
    holidays = [d for y in range(CALENDAR[0].year, CALENDAR[1].year + 1) for d in bank_holidays(y)]
    # Working days after the start, up to and including the end: the difference of a running
    # count of working days over a calendar (weekends and England's bank holidays excluded).
    body = """
    cal AS (
        SELECT d::DATE AS day,
               sum(CASE WHEN isodow(d) >= 6 OR d::DATE IN (SELECT unnest(?::DATE[])) THEN 0
                        ELSE 1 END) OVER (ORDER BY d) AS wd
        FROM generate_series(?::DATE, ?::DATE, INTERVAL 1 DAY) t(d)),
    x AS (
        SELECT date_trunc('month', e.end_date)::DATE AS period, e.team,
               CASE WHEN ce.wd - cs.wd <= ? THEN 1 ELSE 0 END AS n, 1 AS d
        FROM ev e JOIN cal cs ON cs.day = e.start_date JOIN cal ce ON ce.day = e.end_date
        WHERE e.end_date IS NOT NULL AND e.end_date >= e.start_date)"""
    return Query(_with_events([kind], body), [kind, holidays, *CALENDAR, days])


def prior_within(kind: str, days: int) -> Query:
    body = """
    ordered AS (
        SELECT *, lag(start_date) OVER (PARTITION BY who ORDER BY start_date) AS previous
        FROM ev WHERE start_date IS NOT NULL),
    x AS (
        SELECT date_trunc('month', start_date)::DATE AS period, team,
               CASE WHEN previous IS NOT NULL AND start_date - previous <= ? THEN 1 ELSE 0 END
                   AS n,
               1 AS d
        FROM ordered
        -- Until the data holds a whole look-back period, earlier events cannot be seen: those
        -- months would show too few (a false improvement), so they are left out.
        WHERE start_date >= (SELECT min(start_date) FROM ev) + ?)"""
    return Query(_with_events([kind], body), [kind, days, days])


def prior_ever(kind: str, attr: str | None) -> Query:
    body = """
    ordered AS (
        SELECT *, row_number() OVER (PARTITION BY who ORDER BY start_date) AS nth
        FROM ev WHERE start_date IS NOT NULL),
    x AS (
        SELECT date_trunc('month', start_date)::DATE AS period, team,
               CASE WHEN nth > 1
                      OR coalesce(TRY_CAST(json_extract_string(attrs, ?) AS DOUBLE), 0) >= 1
                    THEN 1 ELSE 0 END AS n,
               1 AS d
        FROM ordered)"""
    # A missing attribute path matches nothing, so `attr` is optional.
    return Query(_with_events([kind], body), [kind, f"$.{attr or '__none__'}"])


def lasted_at_least(kind: str, days: int) -> Query:
    body = """
    x AS (
        SELECT date_trunc('month', end_date)::DATE AS period, team,
               CASE WHEN end_date - start_date >= ? THEN 1 ELSE 0 END AS n, 1 AS d
        FROM ev WHERE end_date IS NOT NULL AND start_date IS NOT NULL
        -- Before the data is `days` long, nothing in it can have lasted that long: left out.
          AND end_date >= (SELECT min(start_date) FROM ev) + ?)"""
    return Query(_with_events([kind], body), [kind, days, days])


def closed_in_month(kind: str) -> Query:
    body = """
    bounds AS (SELECT min(start_date) AS first, max(coalesce(end_date, start_date)) AS last
               FROM ev),
    months AS (
        SELECT unnest(generate_series(date_trunc('month', first), date_trunc('month', last),
                                      INTERVAL 1 MONTH))::DATE AS period FROM bounds),
    x AS (
        SELECT m.period, e.team,
               CASE WHEN e.end_date < m.period + INTERVAL 1 MONTH THEN 1 ELSE 0 END AS n,
               1 AS d
        FROM months m JOIN ev e
          ON e.start_date < m.period AND (e.end_date IS NULL OR e.end_date >= m.period))"""
    return Query(_with_events([kind], body), [kind])


def not_followed_within(kind: str, then: str, days: int) -> Query:
    body = """
    closed AS (SELECT * FROM ev WHERE kind = ? AND end_date IS NOT NULL),
    later AS (SELECT who, start_date FROM ev WHERE kind = ?),
    data_end AS (SELECT max(start_date) AS last FROM events
                 WHERE load_id IN (SELECT load_id FROM loads)),
    x AS (
        SELECT date_trunc('month', c.end_date)::DATE AS period, c.team,
               CASE WHEN l.start_date IS NULL OR l.start_date - c.end_date > ? THEN 1 ELSE 0 END
                   AS n,
               1 AS d
        FROM closed c ASOF LEFT JOIN later l ON c.who = l.who AND l.start_date > c.end_date
        -- Too early to tell until the whole follow-up period is in the data.
        WHERE c.end_date + ? <= (SELECT last FROM data_end))"""
    return Query(_with_events([kind, then], body), [kind, then, kind, then, days, days])


def mean_value(kind: str) -> Query:
    body = """
    x AS (
        SELECT date_trunc('month', start_date)::DATE AS period, team, value AS n, 1 AS d
        FROM ev WHERE value IS NOT NULL AND start_date IS NOT NULL)"""
    return Query(_with_events([kind], body), [kind])


def count(kind: str) -> Query:
    """How many events start in the month (denominator 1, so the value is the count)."""
    body = """
    x AS (
        SELECT date_trunc('month', start_date)::DATE AS period, team, 1 AS n, 0 AS d
        FROM ev WHERE start_date IS NOT NULL)
    SELECT period, team, sum(n) AS numerator, 1 AS denominator
    FROM x GROUP BY GROUPING SETS ((period), (period, team))
    ORDER BY period, team NULLS FIRST"""
    return Query(_with_events([kind], body, totals=False), [kind])


def share_with_attr(
    kind: str, attr: str, values: list[str] | None, at_least: float | None, negate: bool
) -> Query:
    """Share of `kind` events starting in the month whose attribute is one of `values` (or at
    least `at_least`); `negate` counts the rest instead (e.g. not NEET)."""
    if values is not None:
        test = f"json_extract_string(attrs, ?) IN ({', '.join('?' for _ in values)})"
        test_params: list[object] = [f"$.{attr}", *values]
    else:
        test = "TRY_CAST(json_extract_string(attrs, ?) AS DOUBLE) >= ?"
        test_params = [f"$.{attr}", at_least]
    hit = f"NOT coalesce({test}, FALSE)" if negate else f"coalesce({test}, FALSE)"
    body = f"""
    x AS (
        SELECT date_trunc('month', start_date)::DATE AS period, team,
               CASE WHEN {hit} THEN 1 ELSE 0 END AS n, 1 AS d
        FROM ev WHERE start_date IS NOT NULL AND json_extract_string(attrs, ?) IS NOT NULL)"""
    return Query(_with_events([kind], body), [kind, *test_params, f"$.{attr}"])


def mean_days_between(kind: str, start: str | None, end: str) -> Query:
    """Mean days from a date (the event's start, or a dated attribute) to a dated attribute, in the
    month the second date falls (e.g. adoption A1: entering care to moving in with the family)."""
    first = "start_date" if not start else "TRY_CAST(json_extract_string(attrs, ?) AS DATE)"
    body = f"""
    dated AS (
        SELECT team, {first} AS a, TRY_CAST(json_extract_string(attrs, ?) AS DATE) AS b FROM ev),
    x AS (
        SELECT date_trunc('month', b)::DATE AS period, team, b - a AS n, 1 AS d
        FROM dated WHERE a IS NOT NULL AND b IS NOT NULL AND b >= a)"""
    params: list[object] = [kind, *([f"$.{start}"] if start else []), f"$.{end}"]
    return Query(_with_events([kind], body), params)


def seen_within(
    kind: str, others: list[str], days: int, when: str, other_sources: list[str] | None
) -> Query:
    """Share of children starting `kind` in the month (help began, say) whom another service saw
    (`others` events) in the `days` before or after, linked across sources by person key."""
    if when not in ("before", "after"):
        raise ValueError("when must be 'before' or 'after'")
    window = (
        "o.start_date >= s.start_date - ? AND o.start_date < s.start_date"
        if when == "before"
        else "o.start_date >= s.start_date AND o.start_date < s.start_date + ?"
    )
    sources = other_sources or []
    in_sources = f"AND source IN ({', '.join('?' for _ in sources)})" if sources else ""
    body = f"""
    starts AS (
        SELECT coalesce(l.person_key, e.who) AS person, e.start_date, e.team
        FROM ev e LEFT JOIN person_links l ON l.token = e.who
        WHERE e.kind = ? AND e.start_date IS NOT NULL),
    seen AS (
        SELECT coalesce(l.person_key, o.token) AS person, o.start_date
        FROM events o LEFT JOIN person_links l ON l.token = o.token
        WHERE o.load_id IN (SELECT load_id FROM loads)
          AND o.kind IN ({", ".join("?" for _ in others)}) {in_sources}),
    data_end AS (SELECT max(start_date) AS last FROM events
                 WHERE load_id IN (SELECT load_id FROM loads)),
    x AS (
        SELECT date_trunc('month', s.start_date)::DATE AS period, s.team,
               CASE WHEN EXISTS (SELECT 1 FROM seen o WHERE o.person = s.person AND {window})
                    THEN 1 ELSE 0 END AS n,
               1 AS d
        FROM starts s
        -- After: only once the whole window is in the data.
        WHERE ? = 'before' OR s.start_date + ? <= (SELECT last FROM data_end))"""
    params: list[object] = [kind, kind, *others, *sources, days, when, days]
    return Query(_with_events([kind], body), params)


def rate_per_10000(kind: str, population: dict[int, int]) -> Query:
    """Events per 10,000 children; a place-wide rate only (teams have no population)."""
    years, children = list(population), [population[y] for y in population]
    body = """
    pop AS (SELECT unnest(?::INTEGER[]) AS year, unnest(?::BIGINT[]) AS children),
    counted AS (
        SELECT date_trunc('month', start_date)::DATE AS period, count(*) AS n
        FROM ev WHERE start_date IS NOT NULL GROUP BY ALL)
    SELECT c.period, NULL::VARCHAR AS team, c.n AS numerator, p.children / 10000.0 AS denominator
    FROM counted c JOIN pop p ON p.year = year(c.period)
    ORDER BY c.period"""
    return Query(_with_events([kind], body, totals=False), [kind, years, children])


def series(indicator: Indicator, population: dict[int, int] | None = None) -> Query | None:
    """The indicator's query, or None when it needs a population the place has not given."""
    p = indicator.parameters
    kind = str(p["kind"])
    match indicator.method:
        case "within_working_days":
            return within_working_days(kind, int(p["days"]))  # type: ignore[call-overload]
        case "prior_within":
            return prior_within(kind, int(p["days"]))  # type: ignore[call-overload]
        case "prior_ever":
            return prior_ever(kind, str(p["attr"]) if "attr" in p else None)
        case "lasted_at_least":
            return lasted_at_least(kind, int(p["days"]))  # type: ignore[call-overload]
        case "closed_in_month":
            return closed_in_month(kind)
        case "not_followed_within":
            return not_followed_within(kind, str(p["then"]), int(p["days"]))  # type: ignore[call-overload]
        case "mean_value":
            return mean_value(kind)
        case "count":
            return count(kind)
        case "share_with_attr":
            values = p.get("values")
            at_least = p.get("at_least")
            return share_with_attr(
                kind,
                str(p["attr"]),
                [str(v) for v in values] if isinstance(values, list) else None,
                float(at_least) if isinstance(at_least, int | float) else None,
                bool(p.get("negate", False)),
            )
        case "mean_days_between":
            return mean_days_between(kind, str(p["from"]) if "from" in p else None, str(p["to"]))
        case "seen_within":
            others = p["others"]
            sources = p.get("other_sources")
            return seen_within(
                kind,
                [str(o) for o in others] if isinstance(others, list) else [str(others)],
                int(p["days"]),  # type: ignore[call-overload]
                str(p["when"]),
                [str(x) for x in sources] if isinstance(sources, list) else None,
            )
        case "rate_per_10000":
            return rate_per_10000(kind, population) if population else None
    raise ValueError(f"unknown method {indicator.method}")


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
