"""How many: events starting in the month, as a count or per 10,000 children."""

from collections.abc import Mapping

from placewise.indicators.methods.clauses import Parameters
from placewise.indicators.methods.definition import (
    Method,
    Setting,
    Settings,
    SettingType,
    register,
)

KIND = Setting("kind", SettingType.EVENT_KIND, "the kind of event counted", required=True)


def _starting(team: str) -> str:
    """One row per event starting in the month; each method makes its own denominator."""
    return f"""
    counted AS (
        SELECT date_trunc('month', start_date)::DATE AS period, {team}, child,
               1 AS numerator, 0 AS denominator
        FROM events WHERE start_date IS NOT NULL)"""  # nosec B608  # constants only


@register
class Count(Method):
    name = "count"
    summary = "How many `kind` events start in the month."
    settings = (KIND,)
    is_proportion = False
    value_format = "{:,.0f}"

    def counted(self, settings: Settings, bind: Parameters) -> str:
        return _starting("team")

    def totals(
        self, settings: Settings, bind: Parameters, population: Mapping[int, int] | None
    ) -> str:
        # A denominator of 1, so the value is the count.
        return """
    SELECT period, team, sum(numerator) AS numerator, 1 AS denominator
    FROM counted GROUP BY GROUPING SETS ((period), (period, team))
    HAVING grouping(team) = 1 OR team IS NOT NULL
    ORDER BY period, team NULLS FIRST"""


@register
class RatePer10000(Method):
    name = "rate_per_10000"
    summary = (
        "`kind` events starting in the month per 10,000 children, from the place's population "
        "file (`year,children`); for the whole place only, as teams have no population."
    )
    settings = (KIND,)
    is_proportion = False
    value_format = "{:,.1f}"
    needs_population = True

    def counted(self, settings: Settings, bind: Parameters) -> str:
        return _starting("NULL::VARCHAR AS team")

    def totals(
        self, settings: Settings, bind: Parameters, population: Mapping[int, int] | None
    ) -> str:
        population = population or {}
        years = bind.bind("years", list(population))
        children = bind.bind("children", [population[y] for y in population])
        return f""",
    population AS (SELECT unnest({years}::INTEGER[]) AS year,
                          unnest({children}::BIGINT[]) AS children),
    per_month AS (SELECT period, count(*) AS events FROM counted GROUP BY period)
    SELECT m.period, NULL::VARCHAR AS team, m.events AS numerator,
           p.children / 10000.0 AS denominator
    FROM per_month m JOIN population p ON p.year = year(m.period)
    ORDER BY m.period"""  # nosec B608  # $ marks only
