"""Children in an episode at the month's end: what else happened to them (placements, going
missing) and how stable their care has been."""

from placewise.indicators.methods.clauses import (
    DATA_END,
    Parameters,
    attribute,
    month_ends,
    one_of,
    person,
)
from placewise.indicators.methods.definition import (
    Method,
    Setting,
    Settings,
    SettingType,
    register,
)


@register
class OpenWith(Method):
    name = "open_with"
    summary = (
        "Share of children with a `kind` episode open at the month's end who had at least "
        "`at_least` `others` events (from `other_sources`, with `attr` in `values`) overlapping "
        "the `days` up to that day, or the month itself — e.g. 3 or more placements in the "
        "year, or going missing in the month. Children are people across linked records."
    )
    settings = (
        Setting("kind", SettingType.EVENT_KIND, "the kind of episode open", required=True),
        Setting("others", SettingType.EVENT_KINDS, "the events counted", default="`kind`"),
        Setting("days", SettingType.DAYS, "the window up to the month's end", default="the month"),
        Setting("at_least", SettingType.WHOLE, "how many `others` events count", default="1"),
        Setting(
            "other_sources",
            SettingType.TEXTS,
            "count only `others` events from these sources",
            default="every source",
        ),
        Setting("attr", SettingType.TEXT, "an attribute of the `others` events", default="none"),
        Setting("values", SettingType.TEXTS, "the `attr` answers that count", default="any"),
    )

    def counted(self, settings: Settings, bind: Parameters) -> str:
        kind = settings.text("kind") or ""
        sources = settings.texts("other_sources")
        attr, values = settings.text("attr"), settings.texts("values")
        keep = f"AND {one_of('e.source', 'other_source', sources, bind)}" if sources else ""
        if attr and values:
            answer = f"json_extract_string(e.attrs, {bind.bind('attr', attribute(attr))})"
            keep += f" AND {one_of(answer, 'value', values, bind)}"
        others = one_of("e.kind", "other", settings.texts("others") or [kind], bind)
        days, at_least = settings.whole("days"), settings.whole("at_least") or 1
        return f"""{DATA_END},{month_ends(bind, kind)},
    open_at AS (
        SELECT m.period, m.day, {person("e")} AS person, max(e.team) AS team
        FROM month_ends m JOIN events e
          ON e.kind = {bind.bind("kind", kind)} AND e.start_date <= m.day
         AND (e.end_date IS NULL OR e.end_date > m.day)
        LEFT JOIN person_links l ON l.token = e.child
        WHERE m.day <= (SELECT last FROM data_end)
        GROUP BY ALL),
    other AS (
        SELECT {person("e")} AS person, e.start_date, e.end_date
        FROM events e LEFT JOIN person_links l ON l.token = e.child
        WHERE {others} AND e.start_date IS NOT NULL {keep}),
    windowed AS (
        SELECT *, coalesce(day - {bind.bind("days", days)}::INTEGER + 1, period) AS since
        FROM open_at),
    counted AS (
        -- A join and a count, not a subquery per row: one pass at a region's size.
        SELECT w.period, any_value(w.team) AS team, w.person AS child,
               (count(o.person) >= {bind.bind("at_least", at_least)})::INTEGER AS numerator,
               1 AS denominator
        FROM windowed w LEFT JOIN other o
          ON o.person = w.person AND o.start_date <= w.day
         AND coalesce(o.end_date, DATE '9999-12-31') >= w.since
        -- Until the data holds the whole window, earlier events cannot be seen: left out.
        WHERE w.since >= (SELECT first FROM data_start)
        GROUP BY w.period, w.person)"""  # nosec B608  # $ marks and constants


@register
class StablePlacement(Method):
    name = "stable_placement"
    summary = (
        "Long-term stability (DfE): of children looked after at the month's end, under "
        "`under_age` and looked after continuously for `care_days` or more, the share whose "
        "current placement began `placement_days` or more before. From SSDA903 episodes: an "
        "episode whose `attr` (reason for new episode) is in `starts` begins a period of care; "
        "one in `not_moves` (a change of legal status only) is not a new placement."
    )
    settings = (
        Setting("kind", SettingType.EVENT_KIND, "the kind of care episode", required=True),
        Setting("care_days", SettingType.DAYS, "days looked after continuously", required=True),
        Setting("placement_days", SettingType.DAYS, "days in the same placement", required=True),
        Setting(
            "under_age", SettingType.WHOLE, "count only children under this age", default="any age"
        ),
        Setting("attr", SettingType.TEXT, "the reason for a new episode", default='"rne"'),
        Setting(
            "starts", SettingType.TEXTS, "reasons that begin a period of care", default='["S"]'
        ),
        Setting(
            "not_moves",
            SettingType.TEXTS,
            "reasons that are not a new placement",
            default='["L"]',
        ),
    )

    def counted(self, settings: Settings, bind: Parameters) -> str:
        kind = settings.text("kind") or ""
        reason = bind.bind(
            "attr", attribute(settings.text("attr") if "attr" in settings else "rne")
        )
        starts = one_of("reason", "start_reason", settings.texts("starts") or ["S"], bind)
        not_moves = one_of("reason", "not_move_reason", settings.texts("not_moves") or ["L"], bind)
        care_days = bind.bind("care_days", settings.whole("care_days"))
        placement_days = bind.bind("placement_days", settings.whole("placement_days"))
        under_age = bind.bind("under_age", settings.whole("under_age"))
        return f"""{DATA_END},{month_ends(bind, kind)},
    episodes AS (SELECT child, start_date, end_date, json_extract_string(attrs, {reason}) AS reason
                 FROM events WHERE start_date IS NOT NULL),
    first_day AS (SELECT first FROM data_start),
    by_start AS (
        SELECT child, start_date,
               max(CASE WHEN {starts} THEN start_date END) AS care_start,
               max(CASE WHEN NOT coalesce({not_moves}, FALSE) THEN start_date END) AS move_start,
               max(coalesce(end_date, DATE '9999-12-31')) AS ends
        FROM episodes GROUP BY child, start_date),
    -- Each child's days cut at every episode start: on a day in a segment, the latest start of
    -- care and of a placement so far, and whether any episode begun so far is still open. One
    -- range join to the month ends then gives each child in care at a month's end once.
    segments AS (
        SELECT child, start_date,
               coalesce(lead(start_date) OVER w, DATE '9999-12-31') AS next_start,
               max(care_start) OVER w AS care_began, max(move_start) OVER w AS placement_began,
               max(ends) OVER w AS open_until
        FROM by_start WINDOW w AS (PARTITION BY child ORDER BY start_date)),
    births AS (SELECT token, max(month_of_birth) AS born FROM records
               WHERE token IN (SELECT child FROM episodes) GROUP BY token),
    in_care AS (
        -- A period of care or a placement that began before the data did began on its first
        -- day or earlier: months are only judged once that is long enough ago to tell.
        SELECT m.period, m.day, s.child,
               coalesce(s.care_began, f.first) AS care_began,
               coalesce(s.placement_began, f.first) AS placement_began,
               b.born
        FROM month_ends m
        JOIN segments s
          ON s.start_date <= m.day AND m.day < s.next_start AND s.open_until > m.day
        CROSS JOIN first_day f
        LEFT JOIN births b ON b.token = s.child
        WHERE m.day <= (SELECT last FROM data_end) AND m.day - {care_days} >= f.first),
    counted AS (
        SELECT period, NULL::VARCHAR AS team, child,
               CASE WHEN day - placement_began >= {placement_days} THEN 1 ELSE 0 END AS numerator,
               1 AS denominator
        FROM in_care
        WHERE day - care_began >= {care_days}
          AND ({under_age}::INTEGER IS NULL
               OR (born IS NOT NULL AND born + to_years({under_age}::INTEGER) > day)))"""  # nosec B608  # $ marks and constants
