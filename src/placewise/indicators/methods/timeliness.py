"""Timeliness: how soon something was done — an assessment within 45 working days of starting,
an assessment started within 10 working days of the referral, a return interview offered within
72 hours of a child coming back."""

from placewise.indicators.methods.clauses import DATA_END, Parameters, calendar, one_of, person
from placewise.indicators.methods.definition import (
    Method,
    Setting,
    Settings,
    SettingType,
    register,
)

KIND = Setting("kind", SettingType.EVENT_KIND, "the kind of event judged", required=True)


@register
class WithinWorkingDays(Method):
    name = "within_working_days"
    summary = (
        "Share of `kind` events ending in the month whose end is at most `days` working days "
        "(England: weekends and bank holidays excluded) after their start."
    )
    settings = (
        KIND,
        Setting("days", SettingType.DAYS, "the most working days allowed", required=True),
    )

    def counted(self, settings: Settings, bind: Parameters) -> str:
        days = bind.bind("days", settings.whole("days"))
        return f"""{calendar(bind)},
    counted AS (
        SELECT date_trunc('month', e.end_date)::DATE AS period, e.team, e.child,
               CASE WHEN ended.working_day - started.working_day <= {days} THEN 1 ELSE 0 END
                   AS numerator,
               1 AS denominator
        FROM events e
        JOIN calendar started ON started.day = e.start_date
        JOIN calendar ended ON ended.day = e.end_date
        WHERE e.end_date IS NOT NULL AND e.end_date >= e.start_date)"""  # nosec B608  # $ marks and constants


@register
class FollowedWithin(Method):
    name = "followed_within"
    summary = (
        'Share of `kind` events (starting in the month, or with `from` = "end" ending in it) '
        "followed by a `then` event for the same child within `days` (calendar days, or working "
        "days with `working_days` = true). With `horizon`, only events followed within that many "
        "days count at all (referrals that led to an assessment). Children are people across "
        "linked records."
    )
    settings = (
        KIND,
        Setting("then", SettingType.EVENT_KIND, "the kind of event that should follow", True),
        Setting("days", SettingType.DAYS, "the most days allowed", required=True),
        Setting(
            "working_days",
            SettingType.YES_NO,
            "count working days rather than calendar days",
            default="false",
        ),
        Setting(
            "from",
            SettingType.TEXT,
            "measure from the event's start or its end",
            default='"start"',
            choices=("start", "end"),
        ),
        Setting(
            "horizon",
            SettingType.DAYS,
            "count only events followed within this many days",
            default="every event",
        ),
        Setting(
            "sources",
            SettingType.TEXTS,
            "count only `kind` events from these sources",
            default="every source",
        ),
    )

    def counted(self, settings: Settings, bind: Parameters) -> str:
        working_days = settings.yes_no("working_days")
        days = settings.whole("days") or 0
        horizon = settings.whole("horizon")
        at = "e.end_date" if settings.text("from") == "end" else "e.start_date"
        sources = settings.texts("sources")
        keep = f"AND {one_of('e.source', 'source', sources, bind)}" if sources else ""
        # The whole window must be in the data before an event can be judged; working days are
        # never more than 7/5 calendar days plus the longest run of bank holidays.
        wait = horizon if horizon is not None else (days * 7 // 5 + 5 if working_days else days)
        if working_days:
            dates = f"{calendar(bind)},"
            elapsed = "followed_day.working_day - anchor_day.working_day"
            joins = (
                "LEFT JOIN calendar anchor_day ON anchor_day.day = p.anchor "
                "LEFT JOIN calendar followed_day ON followed_day.day = p.followed_on"
            )
        else:
            dates, elapsed, joins = "", "p.followed_on - p.anchor", ""
        horizon_mark = bind.bind("horizon", horizon)
        return f"""{DATA_END},{dates}
    judged AS (
        SELECT {person("e")} AS person, {at} AS anchor, e.team
        FROM events e LEFT JOIN person_links l ON l.token = e.child
        WHERE e.kind = {bind.bind("kind", settings.text("kind"))} AND {at} IS NOT NULL {keep}),
    following AS (
        SELECT {person("e")} AS person, e.start_date
        FROM events e LEFT JOIN person_links l ON l.token = e.child
        WHERE e.kind = {bind.bind("then", settings.text("then"))} AND e.start_date IS NOT NULL),
    paired AS (
        SELECT j.*, f.start_date AS followed_on
        FROM judged j ASOF LEFT JOIN following f
          ON j.person = f.person AND f.start_date >= j.anchor),
    counted AS (
        SELECT date_trunc('month', p.anchor)::DATE AS period, p.team, p.person AS child,
               CASE WHEN p.followed_on IS NOT NULL AND {elapsed} <= {bind.bind("days", days)}
                    THEN 1 ELSE 0 END AS numerator,
               1 AS denominator
        FROM paired p {joins}
        WHERE p.anchor + {bind.bind("wait", wait)} <= (SELECT last FROM data_end)
          AND ({horizon_mark}::INTEGER IS NULL
               OR p.followed_on - p.anchor <= {horizon_mark}::INTEGER))"""  # nosec B608  # $ marks and constants
