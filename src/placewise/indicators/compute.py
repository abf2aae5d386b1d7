"""Indicators computed in DuckDB from the canonical events, per month, for the place and for each
team, as functions that build SQL with bound parameters. Annex A, SSDA903 and the CIN census all
feed the same definitions: the same event from several returns is counted once (one child, source,
kind and start date: the latest end, code and team any return gives).

Every query returns `period, team, numerator, denominator` with team NULL for the whole place.
The SQL is f-strings of constants and `?` marks only; every value is a bound parameter (hence
each `nosec B608`).
"""

import csv
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from pathlib import Path

import duckdb

from placewise.indicators.library import Indicator
from placewise.indicators.working_days import bank_holidays
from placewise.store.queries import Query

CALENDAR = (date(1990, 1, 1), date(2045, 12, 31))

_DEDUPLICATED = """
        SELECT token AS who, source, kind, start_date, max(end_date) AS end_date, max(code) AS code,
               max(value) AS value, max(team) AS team, max(attrs) AS attrs
        FROM events
        WHERE load_id IN (SELECT load_id FROM loads) AND kind IN ({kinds})
        GROUP BY token, source, kind, start_date"""
_EVENTS = "\n    ev AS (" + _DEDUPLICATED + ")"

# The first day the data can be trusted to hold everything: the later of the first day the loaded
# returns cover (for these kinds) and the first event. A return lists what was open in its
# period, so an episode that began before it is known, and does not make the data begin earlier.
_DATA_START = """,
    data_start AS (
        SELECT greatest(
            (SELECT min(start_date) FROM ev),
            coalesce((SELECT min(period_start) FROM coverage
                      WHERE kind IN ({kinds}) AND load_id IN (SELECT load_id FROM loads)),
                     DATE '0001-01-01')) AS first)"""

# Months some committed load of the kind covers (ADR 0016). A place whose loads predate
# coverage has none recorded for the kind, and keeps every month.
_COVERED = """
    covered AS (
        SELECT DISTINCT unnest(generate_series(date_trunc('month', period_start),
                                               date_trunc('month', period_end),
                                               INTERVAL 1 MONTH))::DATE AS month
        FROM coverage
        WHERE kind = ? AND load_id IN (SELECT load_id FROM loads)
          AND period_start IS NOT NULL AND period_end IS NOT NULL)"""

_TOTALS = """
    SELECT period, team, sum(n) AS numerator, sum(d) AS denominator
    FROM x GROUP BY GROUPING SETS ((period), (period, team))
    -- Events no team holds count for the place only (else they would make a second place row).
    HAVING grouping(team) = 1 OR team IS NOT NULL
    ORDER BY period, team NULLS FIRST"""

# The cohort behind one month's figure: who is counted, and whether in the numerator.
_MEMBERS = """
    SELECT who, sum(n) AS n, sum(d) AS d FROM x
    WHERE period = ? AND (?::VARCHAR IS NULL OR team = ?)
    GROUP BY who ORDER BY who"""

# The last day the data reaches: follow-up windows must end by then to be judged.
_DATA_END = """
    data_end AS (SELECT max(start_date) AS last FROM events
                 WHERE load_id IN (SELECT load_id FROM loads))"""

# A month (its first day) and a team, or None for the whole place.
Pick = tuple[date, str | None] | None


# Set while `shared_events` holds every indicator's events, deduplicated once, on a connection.
_SHARED: ContextVar[bool] = ContextVar("shared_events", default=False)
SHARED_TABLE = "indicator_events"


@contextmanager
def shared_events(store: duckdb.DuckDBPyConnection, kinds: list[str]) -> Iterator[None]:
    """Deduplicate the events of these kinds once, in a temporary table on this connection, for
    every indicator run on it (each would otherwise group the same millions of rows again)."""
    store.execute(
        f"CREATE OR REPLACE TEMP TABLE {SHARED_TABLE} AS"  # nosec B608  # constants only
        + _DEDUPLICATED.format(kinds=", ".join("?" for _ in kinds))
        # In order of kind, so each indicator's scan skips the row groups of other kinds.
        + "\n        ORDER BY kind",
        kinds,
    )
    marker = _SHARED.set(True)
    try:
        yield
    finally:
        _SHARED.reset(marker)
        store.execute(f"DROP TABLE IF EXISTS {SHARED_TABLE}")


def _with_events(kinds: list[str], body: str) -> str:
    """The deduplicated events CTE, when the data begins (`data_start`), and the method's own
    CTEs, ending in `x`: one row per thing counted with its period, team, who (a token or person
    key), numerator n and denominator d. Its parameters begin with `_head_params(kinds)`."""
    marks = ", ".join("?" for _ in kinds)
    if _SHARED.get():
        # Not materialised: each use is a scan of the shared table that skips other kinds.
        shared = f"SELECT * FROM {SHARED_TABLE} WHERE kind IN ({marks})"  # nosec B608
        head = f"\n    ev AS NOT MATERIALIZED ({shared})"
    else:
        head = _EVENTS.format(kinds=marks)
    return "WITH" + head + _DATA_START.format(kinds=marks) + ",\n" + body


def _head_params(kinds: list[str]) -> list[object]:
    return [*kinds, *kinds]


def _finish(
    kinds: list[str], body: str, params: list[object], pick: Pick, tail: str = _TOTALS
) -> Query:
    """The totals per month for the place and each team or, with `pick`, that month's members."""
    if pick is not None:
        period, team = pick
        return Query(
            _with_events(kinds, body) + _MEMBERS,
            [*_head_params(kinds), *params, period, team, team],
        )
    return Query(_with_events(kinds, body) + tail, [*_head_params(kinds), *params])


# Working days after a start, up to and including an end: the difference of a running count of
# working days over a calendar (weekends and England's bank holidays excluded).
_CALENDAR_CTE = """
    cal AS (
        SELECT d::DATE AS day,
               sum(CASE WHEN isodow(d) >= 6 OR d::DATE IN (SELECT unnest(?::DATE[])) THEN 0
                        ELSE 1 END) OVER (ORDER BY d) AS wd
        FROM generate_series(?::DATE, ?::DATE, INTERVAL 1 DAY) t(d))"""


def _calendar_params() -> list[object]:
    holidays = [d for y in range(CALENDAR[0].year, CALENDAR[1].year + 1) for d in bank_holidays(y)]
    return [holidays, *CALENDAR]


def within_working_days(kind: str, days: int, *, pick: Pick = None) -> Query:
    body = f"""{_CALENDAR_CTE},
    x AS (
        SELECT date_trunc('month', e.end_date)::DATE AS period, e.team, e.who,
               CASE WHEN ce.wd - cs.wd <= ? THEN 1 ELSE 0 END AS n, 1 AS d
        FROM ev e JOIN cal cs ON cs.day = e.start_date JOIN cal ce ON ce.day = e.end_date
        WHERE e.end_date IS NOT NULL AND e.end_date >= e.start_date)"""  # nosec B608  # ? marks and constants
    return _finish([kind], body, [*_calendar_params(), days], pick)


def prior_within(kind: str, days: int, *, pick: Pick = None) -> Query:
    body = """
    ordered AS (
        SELECT *, lag(start_date) OVER (PARTITION BY who ORDER BY start_date) AS previous
        FROM ev WHERE start_date IS NOT NULL),
    x AS (
        SELECT date_trunc('month', start_date)::DATE AS period, team, who,
               CASE WHEN previous IS NOT NULL AND start_date - previous <= ? THEN 1 ELSE 0 END
                   AS n,
               1 AS d
        FROM ordered
        -- Until the data holds a whole look-back period, earlier events cannot be seen: those
        -- months would show too few (a false improvement), so they are left out.
        WHERE start_date >= (SELECT first FROM data_start) + ?)"""
    return _finish([kind], body, [days, days], pick)


def prior_ever(kind: str, attr: str | None, *, pick: Pick = None) -> Query:
    body = """
    ordered AS (
        SELECT *, row_number() OVER (PARTITION BY who ORDER BY start_date) AS nth
        FROM ev WHERE start_date IS NOT NULL),
    x AS (
        SELECT date_trunc('month', start_date)::DATE AS period, team, who,
               CASE WHEN nth > 1
                      OR coalesce(TRY_CAST(json_extract_string(attrs, ?) AS DOUBLE), 0) >= 1
                    THEN 1 ELSE 0 END AS n,
               1 AS d
        FROM ordered)"""
    # A missing attribute path matches nothing, so `attr` is optional.
    return _finish([kind], body, [f"$.{attr or '__none__'}"], pick)


def lasted_at_least(kind: str, days: int, *, pick: Pick = None) -> Query:
    body = """
    x AS (
        SELECT date_trunc('month', end_date)::DATE AS period, team, who,
               CASE WHEN end_date - start_date >= ? THEN 1 ELSE 0 END AS n, 1 AS d
        FROM ev WHERE end_date IS NOT NULL AND start_date IS NOT NULL
        -- Before the data is `days` long, nothing in it can have lasted that long: left out.
          AND end_date >= (SELECT first FROM data_start) + ?)"""
    return _finish([kind], body, [days, days], pick)


def closed_in_month(kind: str, *, pick: Pick = None) -> Query:
    body = """
    bounds AS (SELECT min(start_date) AS first, max(coalesce(end_date, start_date)) AS last
               FROM ev),
    months AS (
        SELECT period::DATE AS period, (period + INTERVAL 1 MONTH)::DATE AS next
        FROM (SELECT unnest(generate_series(date_trunc('month', first), date_trunc('month', last),
                                            INTERVAL 1 MONTH)) AS period FROM bounds)),
    x AS (
        -- Dates compared with dates: this join is an episode per month it is open.
        SELECT m.period, e.team, e.who, coalesce(e.end_date < m.next, FALSE)::INTEGER AS n,
               1 AS d
        FROM months m JOIN ev e
          ON e.start_date < m.period AND coalesce(e.end_date, DATE '9999-12-31') >= m.period)"""
    return _finish([kind], body, [], pick)


def not_followed_within(kind: str, then: str, days: int, *, pick: Pick = None) -> Query:
    body = f"""
    closed AS (SELECT * FROM ev WHERE kind = ? AND end_date IS NOT NULL),
    later AS (SELECT who, start_date FROM ev WHERE kind = ?),{_DATA_END},
    x AS (
        SELECT date_trunc('month', c.end_date)::DATE AS period, c.team, c.who,
               CASE WHEN l.start_date IS NULL OR l.start_date - c.end_date > ? THEN 1 ELSE 0 END
                   AS n,
               1 AS d
        FROM closed c ASOF LEFT JOIN later l ON c.who = l.who AND l.start_date > c.end_date
        -- Too early to tell until the whole follow-up period is in the data.
        WHERE c.end_date + ? <= (SELECT last FROM data_end))"""  # nosec B608  # ? marks and constants
    return _finish([kind, then], body, [kind, then, days, days], pick)


def mean_value(kind: str, *, pick: Pick = None) -> Query:
    body = """
    x AS (
        SELECT date_trunc('month', start_date)::DATE AS period, team, who, value AS n, 1 AS d
        FROM ev WHERE value IS NOT NULL AND start_date IS NOT NULL)"""
    return _finish([kind], body, [], pick)


def count(kind: str, *, pick: Pick = None) -> Query:
    """How many events start in the month (denominator 1, so the value is the count)."""
    body = """
    x AS (
        SELECT date_trunc('month', start_date)::DATE AS period, team, who, 1 AS n, 0 AS d
        FROM ev WHERE start_date IS NOT NULL)"""
    tail = """
    SELECT period, team, sum(n) AS numerator, 1 AS denominator
    FROM x GROUP BY GROUPING SETS ((period), (period, team))
    HAVING grouping(team) = 1 OR team IS NOT NULL
    ORDER BY period, team NULLS FIRST"""
    return _finish([kind], body, [], pick, tail)


def share_with_attr(
    kind: str,
    attr: str,
    values: list[str] | None,
    at_least: float | None,
    negate: bool,
    *,
    pick: Pick = None,
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
        SELECT date_trunc('month', start_date)::DATE AS period, team, who,
               CASE WHEN {hit} THEN 1 ELSE 0 END AS n, 1 AS d
        FROM ev WHERE start_date IS NOT NULL AND json_extract_string(attrs, ?) IS NOT NULL)"""  # nosec B608  # ? marks and constants
    return _finish([kind], body, [*test_params, f"$.{attr}"], pick)


def mean_days_between(kind: str, start: str | None, end: str, *, pick: Pick = None) -> Query:
    """Mean days from a date (the event's start, or a dated attribute) to a dated attribute, in the
    month the second date falls (e.g. adoption A1: entering care to moving in with the family)."""
    first = "start_date" if not start else "TRY_CAST(json_extract_string(attrs, ?) AS DATE)"
    body = f"""
    dated AS (
        SELECT team, who, {first} AS a, TRY_CAST(json_extract_string(attrs, ?) AS DATE) AS b FROM ev),
    x AS (
        SELECT date_trunc('month', b)::DATE AS period, team, who, b - a AS n, 1 AS d
        FROM dated WHERE a IS NOT NULL AND b IS NOT NULL AND b >= a)"""  # nosec B608  # ? marks and constants
    params: list[object] = [*([f"$.{start}"] if start else []), f"$.{end}"]
    return _finish([kind], body, params, pick)


def seen_within(
    kind: str,
    others: list[str],
    days: int,
    when: str,
    other_sources: list[str] | None,
    *,
    pick: Pick = None,
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
    in_sources = f"AND o.source IN ({', '.join('?' for _ in sources)})" if sources else ""
    body = f"""
    starts AS (
        SELECT coalesce(l.person_key, e.who) AS person, e.start_date, e.team
        FROM ev e LEFT JOIN person_links l ON l.token = e.who
        WHERE e.kind = ? AND e.start_date IS NOT NULL),
    seen AS (
        SELECT coalesce(l.person_key, o.who) AS person, o.start_date
        FROM ev o LEFT JOIN person_links l ON l.token = o.who
        WHERE o.kind IN ({", ".join("?" for _ in others)}) {in_sources}),{_DATA_END},
    x AS (
        SELECT date_trunc('month', s.start_date)::DATE AS period, s.team, s.person AS who,
               CASE WHEN EXISTS (SELECT 1 FROM seen o WHERE o.person = s.person AND {window})
                    THEN 1 ELSE 0 END AS n,
               1 AS d
        FROM starts s
        -- After: only once the whole window is in the data.
        WHERE ? = 'before' OR s.start_date + ? <= (SELECT last FROM data_end))"""  # nosec B608  # ? marks and constants
    params: list[object] = [kind, *others, *sources, days, when, days]
    return _finish(sorted({kind, *others}), body, params, pick)


def _in(column: str, values: list[str]) -> str:
    return f"{column} IN ({', '.join('?' for _ in values)})"


# Every month's last day, from the first month the kind is seen to the last the data reaches.
_MONTH_ENDS = """
    month_ends AS (
        SELECT m::DATE AS period, (m + INTERVAL 1 MONTH - INTERVAL 1 DAY)::DATE AS day
        FROM (SELECT unnest(generate_series(date_trunc('month', min(start_date)),
                                            date_trunc('month', (SELECT last FROM data_end)),
                                            INTERVAL 1 MONTH)) AS m
              FROM ev WHERE kind = ?))"""


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
    """Share of children with a `kind` episode open at the month's end who had at least
    `at_least` `others` events (default: `kind` itself) overlapping the `days` up to that day (or
    the month itself) — e.g. 3 or more placements in the year, or going missing in the month.
    Children are people across linked records; `attr`/`values` keep only some of the others."""
    others = others or [kind]
    sources = other_sources or []
    keep = f"AND {_in('e.source', sources)}" if sources else ""
    keep += f" AND {_in('json_extract_string(e.attrs, ?)', values)}" if attr and values else ""
    body = f"""{_DATA_END},{_MONTH_ENDS},
    open_at AS (
        SELECT m.period, m.day, coalesce(l.person_key, e.who) AS person, max(e.team) AS team
        FROM month_ends m JOIN ev e
          ON e.kind = ? AND e.start_date <= m.day AND (e.end_date IS NULL OR e.end_date > m.day)
        LEFT JOIN person_links l ON l.token = e.who
        WHERE m.day <= (SELECT last FROM data_end)
        GROUP BY ALL),
    other AS (
        SELECT coalesce(l.person_key, e.who) AS person, e.start_date, e.end_date
        FROM ev e LEFT JOIN person_links l ON l.token = e.who
        WHERE {_in("e.kind", others)} AND e.start_date IS NOT NULL {keep}),
    windowed AS (SELECT *, coalesce(day - ?::INTEGER + 1, period) AS since FROM open_at),
    x AS (
        -- A join and a count, not a subquery per row: one pass at a region's size.
        SELECT w.period, any_value(w.team) AS team, w.person AS who,
               (count(o.person) >= ?)::INTEGER AS n, 1 AS d
        FROM windowed w LEFT JOIN other o
          ON o.person = w.person AND o.start_date <= w.day
         AND coalesce(o.end_date, DATE '9999-12-31') >= w.since
        -- Until the data holds the whole window, earlier events cannot be seen: left out.
        WHERE w.since >= (SELECT first FROM data_start)
        GROUP BY w.period, w.person)"""  # nosec B608  # ? marks and constants
    params: list[object] = [kind, kind, *others, *sources]
    if attr and values:
        params += [f"$.{attr}", *values]
    params += [days, at_least]
    return _finish(sorted({kind, *others}), body, params, pick)


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
    """Long-term stability (DfE): of children looked after at the month's end, under
    `under_age` and looked after continuously for `care_days` or more, the share whose current
    placement began `placement_days` or more before. From SSDA903 episodes: an episode whose
    `attr` (reason for new episode) is in `starts` (S) begins a period of care; one in
    `not_moves` (L, a change of legal status only) is not a new placement."""
    starts = starts or ["S"]
    not_moves = not_moves or ["L"]
    body = f"""{_DATA_END},{_MONTH_ENDS},
    eps AS (SELECT who, start_date, end_date, json_extract_string(attrs, ?) AS reason
            FROM ev WHERE start_date IS NOT NULL),
    first_day AS (SELECT first FROM data_start),
    by_start AS (
        SELECT who, start_date,
               max(CASE WHEN {_in("reason", starts)} THEN start_date END) AS care_start,
               max(CASE WHEN NOT coalesce({_in("reason", not_moves)}, FALSE) THEN start_date END)
                   AS move_start,
               max(coalesce(end_date, DATE '9999-12-31')) AS ends
        FROM eps GROUP BY who, start_date),
    -- Each child's days cut at every episode start: on a day in a segment, the latest start of
    -- care and of a placement so far, and whether any episode begun so far is still open. One
    -- range join to the month ends then gives each child in care at a month's end once.
    segments AS (
        SELECT who, start_date,
               coalesce(lead(start_date) OVER w, DATE '9999-12-31') AS next_start,
               max(care_start) OVER w AS care_began, max(move_start) OVER w AS placement_began,
               max(ends) OVER w AS open_until
        FROM by_start WINDOW w AS (PARTITION BY who ORDER BY start_date)),
    births AS (SELECT token, max(month_of_birth) AS born FROM records
               WHERE token IN (SELECT who FROM eps) GROUP BY token),
    facts AS (
        -- A period of care or a placement that began before the data did began on its first
        -- day or earlier: months are only judged once that is long enough ago to tell.
        SELECT m.period, m.day, s.who,
               coalesce(s.care_began, f.first) AS care_began,
               coalesce(s.placement_began, f.first) AS placement_began,
               b.born
        FROM month_ends m
        JOIN segments s
          ON s.start_date <= m.day AND m.day < s.next_start AND s.open_until > m.day
        CROSS JOIN first_day f
        LEFT JOIN births b ON b.token = s.who
        WHERE m.day <= (SELECT last FROM data_end) AND m.day - ? >= f.first),
    x AS (
        SELECT period, NULL::VARCHAR AS team, who,
               CASE WHEN day - placement_began >= ? THEN 1 ELSE 0 END AS n, 1 AS d
        FROM facts
        WHERE day - care_began >= ?
          AND (?::INTEGER IS NULL OR (born IS NOT NULL AND born + to_years(?::INTEGER) > day)))"""  # nosec B608  # ? marks and constants
    params: list[object] = [
        kind,
        f"$.{attr}",
        *starts,
        *not_moves,
        care_days,
        placement_days,
        care_days,
        under_age,
        under_age,
    ]
    return _finish([kind], body, params, pick)


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
    """Share of `kind` events (starting, or with `anchor` "end" ending, in the month) followed by
    a `then` event for the same child within `days` (calendar, or working days) — e.g. a return
    interview offered within 72 hours of a child coming back. With `horizon`, only events
    followed within `horizon` days count at all (referrals that led to an assessment)."""
    if anchor not in ("start", "end"):
        raise ValueError("from must be 'start' or 'end'")
    at = "e.start_date" if anchor == "start" else "e.end_date"
    keep = f"AND {_in('e.source', sources)}" if sources else ""
    # The whole window must be in the data before an event can be judged; working days are
    # never more than 7/5 calendar days plus the longest run of bank holidays.
    wait = horizon if horizon is not None else (days * 7 // 5 + 5 if working_days else days)
    elapsed = "cf.wd - ca.wd" if working_days else "p.followed - p.at"
    calendar = f"{_CALENDAR_CTE}," if working_days else ""
    joins = (
        "LEFT JOIN cal ca ON ca.day = p.at LEFT JOIN cal cf ON cf.day = p.followed"
        if working_days
        else ""
    )
    body = f"""{_DATA_END},{calendar}
    base AS (
        SELECT coalesce(l.person_key, e.who) AS person, {at} AS at, e.team
        FROM ev e LEFT JOIN person_links l ON l.token = e.who
        WHERE e.kind = ? AND {at} IS NOT NULL {keep}),
    later AS (
        SELECT coalesce(l.person_key, e.who) AS person, e.start_date
        FROM ev e LEFT JOIN person_links l ON l.token = e.who
        WHERE e.kind = ? AND e.start_date IS NOT NULL),
    paired AS (
        SELECT b.*, f.start_date AS followed
        FROM base b ASOF LEFT JOIN later f ON b.person = f.person AND f.start_date >= b.at),
    x AS (
        SELECT date_trunc('month', p.at)::DATE AS period, p.team, p.person AS who,
               CASE WHEN p.followed IS NOT NULL AND {elapsed} <= ? THEN 1 ELSE 0 END AS n,
               1 AS d
        FROM paired p {joins}
        WHERE p.at + ? <= (SELECT last FROM data_end)
          AND (?::INTEGER IS NULL OR p.followed - p.at <= ?))"""  # nosec B608  # ? marks and constants
    params: list[object] = [
        *(_calendar_params() if working_days else []),
        kind,
        *(sources or []),
        then,
        days,
        wait,
        horizon,
        horizon,
    ]
    return _finish(sorted({kind, then}), body, params, pick)


def rate_per_10000(kind: str, population: dict[int, int], *, pick: Pick = None) -> Query:
    """Events per 10,000 children; a place-wide rate only (teams have no population)."""
    years, children = list(population), [population[y] for y in population]
    body = """
    x AS (
        SELECT date_trunc('month', start_date)::DATE AS period, NULL::VARCHAR AS team, who,
               1 AS n, 0 AS d
        FROM ev WHERE start_date IS NOT NULL)"""
    tail = """,
    pop AS (SELECT unnest(?::INTEGER[]) AS year, unnest(?::BIGINT[]) AS children),
    counted AS (SELECT period, count(*) AS n FROM x GROUP BY period)
    SELECT c.period, NULL::VARCHAR AS team, c.n AS numerator, p.children / 10000.0 AS denominator
    FROM counted c JOIN pop p ON p.year = year(c.period)
    ORDER BY c.period"""
    if pick is not None:
        return _finish([kind], body, [], pick)
    return Query(_with_events([kind], body) + tail, [*_head_params([kind]), years, children])


def _texts(value: object) -> list[str] | None:
    if value is None:
        return None
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _whole(value: object) -> int | None:
    return None if value is None else int(value)  # type: ignore[call-overload]


def series(
    indicator: Indicator, population: dict[int, int] | None = None, *, pick: Pick = None
) -> Query | None:
    """The indicator's query — its totals per month, or with `pick` one month's members — or
    None when it needs a population the place has not given. Only months the loaded returns of
    its kind cover are counted."""
    query = _series(indicator, population, pick=pick)
    if query is None:
        return None
    kind = str(indicator.parameters["kind"])
    if pick is not None:
        return Query(
            f"WITH {_COVERED} SELECT q.* FROM ({query.sql}) q "  # nosec B608  # constants only
            "WHERE NOT EXISTS (SELECT 1 FROM covered) OR ?::DATE IN (SELECT month FROM covered) "
            "ORDER BY q.who",
            [kind, *query.params, pick[0]],
        )
    return Query(
        f"WITH {_COVERED} SELECT q.* FROM ({query.sql}) q "  # nosec B608  # constants only
        "WHERE NOT EXISTS (SELECT 1 FROM covered) OR q.period IN (SELECT month FROM covered) "
        "ORDER BY q.period, q.team NULLS FIRST",
        [kind, *query.params],
    )


def _series(
    indicator: Indicator, population: dict[int, int] | None = None, *, pick: Pick = None
) -> Query | None:
    p = indicator.parameters
    kind = str(p["kind"])
    days = _whole(p.get("days"))
    match indicator.method:
        case "within_working_days":
            return within_working_days(kind, int(days or 0), pick=pick)
        case "prior_within":
            return prior_within(kind, int(days or 0), pick=pick)
        case "prior_ever":
            return prior_ever(kind, str(p["attr"]) if "attr" in p else None, pick=pick)
        case "lasted_at_least":
            return lasted_at_least(kind, int(days or 0), pick=pick)
        case "closed_in_month":
            return closed_in_month(kind, pick=pick)
        case "not_followed_within":
            return not_followed_within(kind, str(p["then"]), int(days or 0), pick=pick)
        case "mean_value":
            return mean_value(kind, pick=pick)
        case "count":
            return count(kind, pick=pick)
        case "share_with_attr":
            at_least = p.get("at_least")
            return share_with_attr(
                kind,
                str(p["attr"]),
                _texts(p.get("values")),
                float(at_least) if isinstance(at_least, int | float) else None,
                bool(p.get("negate", False)),
                pick=pick,
            )
        case "mean_days_between":
            start = str(p["from"]) if "from" in p else None
            return mean_days_between(kind, start, str(p["to"]), pick=pick)
        case "seen_within":
            return seen_within(
                kind,
                _texts(p["others"]) or [],
                int(days or 0),
                str(p["when"]),
                _texts(p.get("other_sources")),
                pick=pick,
            )
        case "open_with":
            return open_with(
                kind,
                _texts(p.get("others")),
                days,
                _whole(p.get("at_least")) or 1,
                _texts(p.get("other_sources")),
                str(p["attr"]) if "attr" in p else None,
                _texts(p.get("values")),
                pick=pick,
            )
        case "stable_placement":
            return stable_placement(
                kind,
                int(p["care_days"]),  # type: ignore[call-overload]
                int(p["placement_days"]),  # type: ignore[call-overload]
                _whole(p.get("under_age")),
                str(p.get("attr", "rne")),
                _texts(p.get("starts")),
                _texts(p.get("not_moves")),
                pick=pick,
            )
        case "followed_within":
            return followed_within(
                kind,
                str(p["then"]),
                int(days or 0),
                bool(p.get("working_days", False)),
                str(p.get("from", "start")),
                _whole(p.get("horizon")),
                _texts(p.get("sources")),
                pick=pick,
            )
        case "rate_per_10000":
            if not population:
                return None
            return rate_per_10000(kind, population, pick=pick)
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
