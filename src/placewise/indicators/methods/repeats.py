"""Repeats: a child coming back — re-referrals, second child protection plans, a closed case
followed by a new referral."""

from placewise.indicators.methods.clauses import DATA_END, Parameters, attribute
from placewise.indicators.methods.definition import (
    Method,
    Setting,
    Settings,
    SettingType,
    register,
)

KIND = Setting("kind", SettingType.EVENT_KIND, "the kind of event counted", required=True)


@register
class PriorWithin(Method):
    name = "prior_within"
    summary = (
        "Share of `kind` events starting in the month with an earlier `kind` event for the same "
        "child at most `days` calendar days before (months before the data holds `days` of "
        "history are left out)."
    )
    settings = (KIND, Setting("days", SettingType.DAYS, "how far back to look", required=True))

    def counted(self, settings: Settings, bind: Parameters) -> str:
        days = bind.bind("days", settings.whole("days"))
        return f"""
    with_previous AS (
        SELECT *, lag(start_date) OVER (PARTITION BY child ORDER BY start_date) AS previous
        FROM events WHERE start_date IS NOT NULL),
    counted AS (
        SELECT date_trunc('month', start_date)::DATE AS period, team, child,
               CASE WHEN previous IS NOT NULL AND start_date - previous <= {days} THEN 1 ELSE 0 END
                   AS numerator,
               1 AS denominator
        FROM with_previous
        -- Until the data holds a whole look-back period, earlier events cannot be seen: those
        -- months would show too few (a false improvement), so they are left out.
        WHERE start_date >= (SELECT first FROM data_start) + {days})"""  # nosec B608  # $ marks and constants


@register
class PriorEver(Method):
    name = "prior_ever"
    summary = (
        "Share of `kind` events starting in the month with any earlier one for the same child, "
        "or with `attr` recorded as at least 1 (e.g. previous plans before our data began)."
    )
    settings = (
        KIND,
        Setting(
            "attr",
            SettingType.TEXT,
            "an attribute counting earlier events the data does not hold",
            default="none",
        ),
    )

    def counted(self, settings: Settings, bind: Parameters) -> str:
        path = bind.bind("attr", attribute(settings.text("attr")))
        return f"""
    numbered AS (
        SELECT *, row_number() OVER (PARTITION BY child ORDER BY start_date) AS nth
        FROM events WHERE start_date IS NOT NULL),
    counted AS (
        SELECT date_trunc('month', start_date)::DATE AS period, team, child,
               CASE WHEN nth > 1
                      OR coalesce(TRY_CAST(json_extract_string(attrs, {path}) AS DOUBLE), 0) >= 1
                    THEN 1 ELSE 0 END AS numerator,
               1 AS denominator
        FROM numbered)"""  # nosec B608  # $ marks and constants


@register
class NotFollowedWithin(Method):
    name = "not_followed_within"
    summary = (
        "Share of `kind` episodes closing in the month with no `then` event for the same child "
        "within `days` after (months less than `days` before the data's end: too early to tell)."
    )
    settings = (
        KIND,
        Setting("then", SettingType.EVENT_KIND, "the kind of event that should not follow", True),
        Setting("days", SettingType.DAYS, "how long after closing to look", required=True),
    )

    def counted(self, settings: Settings, bind: Parameters) -> str:
        days = bind.bind("days", settings.whole("days"))
        return f"""
    closed AS (SELECT * FROM events
               WHERE kind = {bind.bind("kind", settings.text("kind"))} AND end_date IS NOT NULL),
    later AS (SELECT child, start_date FROM events
              WHERE kind = {bind.bind("then", settings.text("then"))}),{DATA_END},
    counted AS (
        SELECT date_trunc('month', c.end_date)::DATE AS period, c.team, c.child,
               CASE WHEN l.start_date IS NULL OR l.start_date - c.end_date > {days}
                    THEN 1 ELSE 0 END AS numerator,
               1 AS denominator
        FROM closed c ASOF LEFT JOIN later l ON c.child = l.child AND l.start_date > c.end_date
        -- Too early to tell until the whole follow-up period is in the data.
        WHERE c.end_date + {days} <= (SELECT last FROM data_end))"""  # nosec B608  # $ marks and constants
