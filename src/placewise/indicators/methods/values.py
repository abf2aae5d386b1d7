"""What events record: a score's mean, the days between two dates, the share with an answer."""

from placewise.indicators.methods.clauses import Parameters, attribute, one_of
from placewise.indicators.methods.definition import (
    Method,
    Setting,
    Settings,
    SettingType,
    register,
)

KIND = Setting("kind", SettingType.EVENT_KIND, "the kind of event", required=True)


@register
class MeanValue(Method):
    name = "mean_value"
    summary = "Mean of the values of `kind` events starting in the month (a feedback score)."
    settings = (KIND,)
    is_proportion = False
    value_format = "{:,.2f}"

    def counted(self, settings: Settings, bind: Parameters) -> str:
        return """
    counted AS (
        SELECT date_trunc('month', start_date)::DATE AS period, team, child,
               value AS numerator, 1 AS denominator
        FROM events WHERE value IS NOT NULL AND start_date IS NOT NULL)"""


@register
class MeanDaysBetween(Method):
    name = "mean_days_between"
    summary = (
        "Mean days from the event's start (or the dated attribute `from`) to the dated attribute "
        "`to`, in the month of the second date (e.g. adoption A1: entering care to moving in "
        "with the family)."
    )
    settings = (
        KIND,
        Setting("to", SettingType.TEXT, "the attribute holding the later date", required=True),
        Setting(
            "from",
            SettingType.TEXT,
            "the attribute holding the earlier date",
            default="the event's start",
        ),
    )
    is_proportion = False
    value_format = "{:,.1f}"

    def counted(self, settings: Settings, bind: Parameters) -> str:
        start = settings.text("from")
        first = (
            f"TRY_CAST(json_extract_string(attrs, {bind.bind('from', attribute(start))}) AS DATE)"
            if start
            else "start_date"
        )
        second = bind.bind("to", attribute(settings.text("to")))
        return f"""
    dated AS (
        SELECT team, child, {first} AS first_day,
               TRY_CAST(json_extract_string(attrs, {second}) AS DATE) AS second_day
        FROM events),
    counted AS (
        SELECT date_trunc('month', second_day)::DATE AS period, team, child,
               second_day - first_day AS numerator, 1 AS denominator
        FROM dated
        WHERE first_day IS NOT NULL AND second_day IS NOT NULL
          AND second_day >= first_day)"""  # nosec B608  # $ marks and constants


@register
class ShareWithAttr(Method):
    name = "share_with_attr"
    summary = (
        "Share of `kind` events starting in the month, of those recording `attr`, whose `attr` "
        "is one of `values` (or at least the number `at_least`); `negate` counts the rest "
        "instead (e.g. not NEET)."
    )
    settings = (
        KIND,
        Setting("attr", SettingType.TEXT, "the attribute asked about", required=True),
        Setting("values", SettingType.TEXTS, "the answers that count", default="none"),
        Setting("at_least", SettingType.NUMBER, "the least number that counts", default="none"),
        Setting("negate", SettingType.YES_NO, "count the events that do not", default="false"),
    )

    def check(self, settings: Settings) -> str | None:
        if ("values" in settings) == ("at_least" in settings):
            return "give either values (a list) or at_least (a number)"
        return None

    def counted(self, settings: Settings, bind: Parameters) -> str:
        path = bind.bind("attr", attribute(settings.text("attr")))
        answer = f"json_extract_string(attrs, {path})"
        values = settings.texts("values")
        if values is not None:
            test = one_of(answer, "value", values, bind)
        else:
            least = bind.bind("at_least", settings.number("at_least"))
            test = f"TRY_CAST({answer} AS DOUBLE) >= {least}"
        hit = (
            f"NOT coalesce({test}, FALSE)"
            if settings.yes_no("negate")
            else f"coalesce({test}, FALSE)"
        )
        return f"""
    counted AS (
        SELECT date_trunc('month', start_date)::DATE AS period, team, child,
               CASE WHEN {hit} THEN 1 ELSE 0 END AS numerator, 1 AS denominator
        FROM events WHERE start_date IS NOT NULL AND {answer} IS NOT NULL)"""  # nosec B608  # $ marks and constants
