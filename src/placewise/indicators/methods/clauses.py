"""SQL that more than one indicator method uses, with named parameters (DuckDB's `$name`).

The SQL is f-strings of constants, validated identifiers and `$name` marks only; every value is
a bound parameter (hence each `nosec B608`). Annex A, SSDA903 and the CIN census all feed the same
definitions: the same event from several returns is counted once (one child, source, kind and
start date: the latest end, code and team any return gives).
"""

import re
from datetime import date

from placewise.indicators.working_days import bank_holidays

CALENDAR = (date(1990, 1, 1), date(2045, 12, 31))
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class Parameters:
    """The named parameters of one query: `bind` returns the `$name` to write in the SQL."""

    def __init__(self) -> None:
        self.values: dict[str, object] = {}

    def bind(self, name: str, value: object) -> str:
        # One name, one value: a clash would silently change what a clause compares with.
        if name in self.values and self.values[name] != value:
            raise ValueError(f"parameter ${name} bound to two values")
        self.values[name] = value
        return f"${name}"

    def each(self, name: str, values: list[str]) -> str:
        """A list of values, as `$name_0, $name_1, …` for an IN list: one parameter a value, so
        the planner sees constants (a scan then skips row groups of other kinds)."""
        return ", ".join(self.bind(f"{name}_{i}", v) for i, v in enumerate(values))


def identifier(name: str) -> str:
    """A table name, checked: the one thing formatted into SQL that is not a constant."""
    if not _IDENTIFIER.fullmatch(name):
        raise ValueError(f"not a table name: {name!r}")
    return name


# `main.events` is the store's table; `events` in a query is the CTE of the indicator's events.
DEDUPLICATED = """
        SELECT token AS child, source, kind, start_date, max(end_date) AS end_date,
               max(code) AS code, max(value) AS value, max(team) AS team, max(attrs) AS attrs
        FROM main.events
        WHERE load_id IN (SELECT load_id FROM loads) AND kind IN ({kinds})
        GROUP BY token, source, kind, start_date"""

# The first day the data can be trusted to hold everything: the later of the first day the loaded
# returns cover (for these kinds) and the first event. A return lists what was open in its
# period, so an episode that began before it is known, and does not make the data begin earlier.
_DATA_START = """,
    data_start AS (
        SELECT greatest(
            (SELECT min(start_date) FROM events),
            coalesce((SELECT min(period_start) FROM coverage
                      WHERE kind IN ({kinds}) AND load_id IN (SELECT load_id FROM loads)),
                     DATE '0001-01-01')) AS first)"""


def head(kinds: list[str], table: str | None, bind: Parameters) -> str:
    """`WITH events` (the kinds' events, each once) and `data_start`, ready for a method's own
    CTEs. From `table` when the events were deduplicated already, else from the store's."""
    marks = bind.each("event_kind", kinds)
    if table is not None:
        # Not materialised: each use is a scan of the shared table that skips other kinds.
        shared = f"SELECT * FROM {identifier(table)} WHERE kind IN ({marks})"  # nosec B608
        events = f"\n    events AS NOT MATERIALIZED ({shared})"
    else:
        events = "\n    events AS (" + DEDUPLICATED.format(kinds=marks) + ")"
    return "WITH" + events + _DATA_START.format(kinds=marks) + ",\n"


def shared_table(table: str, kinds: list[str], bind: Parameters) -> str:
    """Every indicator's events deduplicated once into a temporary table."""
    return (
        f"CREATE OR REPLACE TEMP TABLE {identifier(table)} AS"  # nosec B608  # constants only
        + DEDUPLICATED.format(kinds=bind.each("event_kind", kinds))
        # In order of kind, so each indicator's scan skips the row groups of other kinds.
        + "\n        ORDER BY kind"
    )


TOTALS = """
    SELECT period, team, sum(numerator) AS numerator, sum(denominator) AS denominator
    FROM counted GROUP BY GROUPING SETS ((period), (period, team))
    -- Events no team holds count for the place only (else they would make a second place row).
    HAVING grouping(team) = 1 OR team IS NOT NULL
    ORDER BY period, team NULLS FIRST"""


def members(period: date, team: str | None, bind: Parameters) -> str:
    """The cohort behind one month's figure: each child counted, their part of the numerator
    and of the denominator (as `who, n, d`: outcomes/members.py reads these names)."""
    month, chosen = bind.bind("period", period), bind.bind("team", team)
    return f"""
    SELECT child AS who, sum(numerator) AS n, sum(denominator) AS d FROM counted
    WHERE period = {month} AND ({chosen}::VARCHAR IS NULL OR team = {chosen})
    GROUP BY child ORDER BY child"""  # nosec B608  # $ marks only


# The last day the data reaches (any kind): follow-up windows must end by then to be judged.
DATA_END = """
    data_end AS (SELECT max(start_date) AS last FROM main.events
                 WHERE load_id IN (SELECT load_id FROM loads))"""


def month_ends(bind: Parameters, kind: str) -> str:
    """Every month's last day, from the first month `kind` is seen to the last the data reaches."""
    return f"""
    month_ends AS (
        SELECT m::DATE AS period, (m + INTERVAL 1 MONTH - INTERVAL 1 DAY)::DATE AS day
        FROM (SELECT unnest(generate_series(date_trunc('month', min(start_date)),
                                            date_trunc('month', (SELECT last FROM data_end)),
                                            INTERVAL 1 MONTH)) AS m
              FROM events WHERE kind = {bind.bind("kind", kind)}))"""  # nosec B608  # $ marks


def calendar(bind: Parameters) -> str:
    """Working days after a start, up to and including an end, are the difference of
    `working_day` (a running count of working days: weekends and England's bank holidays are
    not) between the two days."""
    holidays = [d for y in range(CALENDAR[0].year, CALENDAR[1].year + 1) for d in bank_holidays(y)]
    return f"""
    calendar AS (
        SELECT d::DATE AS day,
               sum(CASE WHEN isodow(d) >= 6
                          OR d::DATE IN (SELECT unnest({bind.bind("bank_holidays", holidays)}::DATE[]))
                        THEN 0 ELSE 1 END) OVER (ORDER BY d) AS working_day
        FROM generate_series({bind.bind("calendar_first", CALENDAR[0])}::DATE,
                             {bind.bind("calendar_last", CALENDAR[1])}::DATE,
                             INTERVAL 1 DAY) t(d))"""  # nosec B608  # $ marks only


def one_of(column: str, name: str, values: list[str], bind: Parameters) -> str:
    """`column IN ($name_0, …)`; `column` is a constant of the method's own SQL."""
    return f"{column} IN ({bind.each(name, values)})"


def attribute(name: str | None) -> str:
    """The JSON path of an event attribute. A missing path matches nothing."""
    return f"$.{name or '__none__'}"


def person(alias: str) -> str:
    """The person a record belongs to: the linkage's person key, or the record's own token when
    it was never linked (needs `LEFT JOIN person_links l ON l.token = {alias}.child`)."""
    return f"coalesce(l.person_key, {alias}.child)"
