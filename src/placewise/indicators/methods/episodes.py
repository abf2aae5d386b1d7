"""Episodes that open and close: how long they last, and how many close each month."""

from placewise.indicators.methods.clauses import Parameters
from placewise.indicators.methods.definition import (
    Method,
    Setting,
    Settings,
    SettingType,
    register,
)

KIND = Setting("kind", SettingType.EVENT_KIND, "the kind of episode", required=True)


@register
class LastedAtLeast(Method):
    name = "lasted_at_least"
    summary = "Share of `kind` episodes ending in the month that lasted at least `days`."
    settings = (KIND, Setting("days", SettingType.DAYS, "the length that counts", required=True))

    def counted(self, settings: Settings, bind: Parameters) -> str:
        days = bind.bind("days", settings.whole("days"))
        return f"""
    counted AS (
        SELECT date_trunc('month', end_date)::DATE AS period, team, child,
               CASE WHEN end_date - start_date >= {days} THEN 1 ELSE 0 END AS numerator,
               1 AS denominator
        FROM events WHERE end_date IS NOT NULL AND start_date IS NOT NULL
        -- Before the data is `days` long, nothing in it can have lasted that long: left out.
          AND end_date >= (SELECT first FROM data_start) + {days})"""  # nosec B608  # $ marks and constants


@register
class ClosedInMonth(Method):
    name = "closed_in_month"
    summary = "`kind` episodes closing in the month, over those open at its start."
    settings = (KIND,)
    # To a tenth of a percent, as the outcomes pages have shown closure rates from the start.
    value_format = "{:.1%}"

    def counted(self, settings: Settings, bind: Parameters) -> str:
        return """
    bounds AS (SELECT min(start_date) AS first, max(coalesce(end_date, start_date)) AS last
               FROM events),
    months AS (
        SELECT period::DATE AS period, (period + INTERVAL 1 MONTH)::DATE AS next
        FROM (SELECT unnest(generate_series(date_trunc('month', first), date_trunc('month', last),
                                            INTERVAL 1 MONTH)) AS period FROM bounds)),
    counted AS (
        -- Dates compared with dates: this join is an episode per month it is open.
        SELECT m.period, e.team, e.child,
               coalesce(e.end_date < m.next, FALSE)::INTEGER AS numerator, 1 AS denominator
        FROM months m JOIN events e
          ON e.start_date < m.period AND coalesce(e.end_date, DATE '9999-12-31') >= m.period)"""
