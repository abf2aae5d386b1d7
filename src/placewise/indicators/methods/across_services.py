"""Across services: whether another service saw a child around the time help began."""

from placewise.indicators.methods.clauses import DATA_END, Parameters, one_of, person
from placewise.indicators.methods.definition import (
    Method,
    Setting,
    Settings,
    SettingType,
    register,
)


@register
class SeenWithin(Method):
    name = "seen_within"
    summary = (
        "Share of children starting `kind` in the month (help began, say) whom another service "
        'saw (`others` events, from `other_sources`) in the `days` `when` ("before" or '
        '"after") it. Children are people across linked records; "after" waits until the '
        "whole window is in the data."
    )
    settings = (
        Setting("kind", SettingType.EVENT_KIND, "the kind of event that starts", required=True),
        Setting("others", SettingType.EVENT_KINDS, "the other service's events", required=True),
        Setting("days", SettingType.DAYS, "the window, in calendar days", required=True),
        Setting(
            "when",
            SettingType.TEXT,
            "look before or after the start",
            required=True,
            choices=("before", "after"),
        ),
        Setting(
            "other_sources",
            SettingType.TEXTS,
            "count only `others` events from these sources",
            default="every source",
        ),
    )

    def counted(self, settings: Settings, bind: Parameters) -> str:
        days = bind.bind("days", settings.whole("days"))
        when = settings.text("when")
        window = (
            f"o.start_date >= s.start_date - {days} AND o.start_date < s.start_date"
            if when == "before"
            else f"o.start_date >= s.start_date AND o.start_date < s.start_date + {days}"
        )
        sources = settings.texts("other_sources")
        in_sources = f"AND {one_of('o.source', 'other_source', sources, bind)}" if sources else ""
        others = one_of("o.kind", "other", settings.texts("others") or [], bind)
        return f"""
    starts AS (
        SELECT {person("e")} AS person, e.start_date, e.team
        FROM events e LEFT JOIN person_links l ON l.token = e.child
        WHERE e.kind = {bind.bind("kind", settings.text("kind"))} AND e.start_date IS NOT NULL),
    seen AS (
        SELECT {person("o")} AS person, o.start_date
        FROM events o LEFT JOIN person_links l ON l.token = o.child
        WHERE {others} {in_sources}),{DATA_END},
    counted AS (
        SELECT date_trunc('month', s.start_date)::DATE AS period, s.team, s.person AS child,
               CASE WHEN EXISTS (SELECT 1 FROM seen o WHERE o.person = s.person AND {window})
                    THEN 1 ELSE 0 END AS numerator,
               1 AS denominator
        FROM starts s
        -- After: only once the whole window is in the data.
        WHERE {bind.bind("when", when)} = 'before'
           OR s.start_date + {days} <= (SELECT last FROM data_end))"""  # nosec B608  # $ marks and constants
