"""Cohort journeys: of the children referred in a period, how many went on to each step, and what
schools, police and health saw of them in the year before and the year after. Counted per person
(linked across sources), so the same referral in Annex A and in the CIN census counts once."""

from dataclasses import dataclass
from datetime import date

from placewise.sharing import publication
from placewise.sharing.disclosure import Protected
from placewise.store.queries import Query

YEAR_DAYS = 365

# (column, label, event kinds) — the council's steps after a referral, within a year of it.
STEPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("assessed", "Assessed", ("assessment",)),
    ("section_47", "Child protection enquiry (section 47)", ("section_47",)),
    ("cin_plan", "Child in need plan", ("cin_plan",)),
    ("cp_plan", "Child protection plan", ("cp_plan",)),
    ("looked_after", "Looked after", ("cla_period", "cla_episode")),
)
# What partners saw: (column, label, event kinds).
PARTNER_VIEWS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("school", "School absence or suspension", ("school_absence", "school_suspension")),
    (
        "police",
        "Police notification or missing report",
        ("domestic_abuse_notification", "missing_episode"),
    ),
    ("health", "A&E attendance", ("ae_attendance",)),
)


# Small categories are grouped before anything is suppressed (issue 15, item 4): rows that
# belong together are shown as one when one of them would otherwise be hidden, so a reader gets
# a figure instead of [c]. A group counts each child once (any of its rows), never a sum.
# (key, label, the rows it stands for)
GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "cp_plan_or_looked_after",
        "Child protection plan or looked after",
        ("cp_plan", "looked_after"),
    ),
    *(
        (
            f"{key}_either",
            f"{label}, year before or after referral",
            (f"{key}_before", f"{key}_after"),
        )
        for key, label, _ in PARTNER_VIEWS
    ),
)


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    kinds: tuple[str, ...] = ()  # a partner row's kinds of event; empty for the council's steps


def rows() -> list[Row]:
    """The table's rows in order: the council's steps, re-referral, then partners before/after."""
    found = [Row(key, label) for key, label, _ in STEPS]
    found.append(Row("re_referred", "Referred again within 12 months"))
    for key, label, kinds in PARTNER_VIEWS:
        found.append(Row(f"{key}_before", f"{label}, year before referral", kinds))
        found.append(Row(f"{key}_after", f"{label}, year after referral", kinds))
    return found


def cohort_journey(
    start: date, end: date, *, council_source: str, partner_sources: list[str]
) -> Query:
    """One row: the number referred, then how many of them had each step or partner event. Only
    events from `partner_sources` (those the viewer may see in aggregate) count for partners."""
    params: list[object] = [council_source, start, end]
    flags = []
    for key, _, kinds in STEPS:
        flags.append(
            f"bool_or(p.source = ? AND p.kind IN ({', '.join('?' * len(kinds))}) "
            f"AND p.start_date BETWEEN c.referred AND c.referred + {YEAR_DAYS}) AS {key}"
        )
        params.extend([council_source, *kinds])
    flags.append(
        "bool_or(p.source = ? AND p.kind = 'referral' AND p.start_date > c.referred "
        f"AND p.start_date <= c.referred + {YEAR_DAYS}) AS re_referred"
    )
    params.append(council_source)
    visible = partner_sources or ["\x00none"]
    in_visible = f"p.source IN ({', '.join('?' * len(visible))})"
    for key, _, kinds in PARTNER_VIEWS:
        in_kinds = f"p.kind IN ({', '.join('?' * len(kinds))})"
        flags.append(
            f"bool_or({in_visible} AND {in_kinds} AND p.start_date >= c.referred - {YEAR_DAYS} "
            f"AND p.start_date < c.referred) AS {key}_before"
        )
        params.extend([*visible, *kinds])
        flags.append(
            f"bool_or({in_visible} AND {in_kinds} AND p.start_date >= c.referred "
            f"AND p.start_date < c.referred + {YEAR_DAYS}) AS {key}_after"
        )
        params.extend([*visible, *kinds])
    counts = ", ".join(
        [f"count(*) FILTER (WHERE {r.key}) AS {r.key}" for r in rows()]
        + [f"count(*) FILTER (WHERE {' OR '.join(of)}) AS {key}" for key, _, of in GROUPS]
    )
    # Column names and day counts are this module's constants; every value is bound.
    sql = f"""
        WITH person AS (
            SELECT e.source, e.kind, e.start_date, coalesce(l.person_key, e.token) AS who
            FROM events e LEFT JOIN person_links l USING (token)
            WHERE e.load_id IN (SELECT load_id FROM loads)),
        cohort AS (
            SELECT who, min(start_date) AS referred FROM person
            WHERE source = ? AND kind = 'referral' AND start_date BETWEEN ? AND ?
            GROUP BY who),
        flags AS (
            SELECT c.who, {", ".join(flags)}
            FROM cohort c LEFT JOIN person p ON p.who = c.who
              AND p.start_date BETWEEN c.referred - {YEAR_DAYS} AND c.referred + {YEAR_DAYS}
            GROUP BY c.who)
        SELECT count(*) AS referred, {counts} FROM flags
    """  # nosec B608 - constants only; values are bound
    return Query(sql, params)


def referral_dates(council_source: str) -> Query:
    return Query(
        "SELECT min(start_date) AS first, max(start_date) AS last FROM events "
        "WHERE source = ? AND kind = 'referral' AND load_id IN (SELECT load_id FROM loads)",
        [council_source],
    )


def kinds_held(sources: list[str]) -> Query:
    """The kinds of event these sources hold: a partner row is counted only where one of the
    viewer's visible sources holds its kinds, and otherwise says "not shared", never 0."""
    visible = sources or ["\x00none"]
    placeholders = ", ".join("?" * len(visible))
    sql = (
        f"SELECT DISTINCT kind FROM events WHERE source IN ({placeholders}) "  # nosec B608
        "AND load_id IN (SELECT load_id FROM loads)"
    )  # placeholders only; the values are bound
    return Query(sql, list(visible))


@dataclass(frozen=True)
class Journey:
    """A cohort's journey as a viewer may see it: its rows after grouping, each row's count of
    children (None where withheld), and a sentence for each group formed."""

    rows: list[Row]
    protected: Protected
    grouped: list[str]


def publish(counts: dict[str, int], *, full: bool) -> Journey:
    """Group small categories, then protect what is left (`publication.splits`). A group is
    formed only where one of its rows would be withheld and the group itself would not be:
    grouping that still hides the figure loses detail for nothing."""
    referred = int(counts["referred"])
    shown = rows()

    def protect(these: list[Row]) -> Protected:
        return publication.splits(
            [(int(counts[r.key]), referred - int(counts[r.key])) for r in these], full=full
        )

    first = protect(shown)
    at = {r.key: i for i, r in enumerate(shown)}  # each row's place in the ungrouped table
    grouped = []
    for key, label, of in GROUPS:
        small = [rows()[at[k]].label for k in of if first.cells[at[k]][0] is None]
        if not small or first.total is None or protect([Row(key, label)]).cells[0][0] is None:
            continue
        members = [r for r in shown if r.key in of]
        where = shown.index(members[0])
        shown = [r for r in shown if r.key not in of]
        shown.insert(where, Row(key, label, tuple(k for m in members for k in m.kinds)))
        which = "each" if len(small) == len(members) else " and ".join(small)
        grouped.append(
            f"{' and '.join(m.label for m in members)} are shown together as '{label}': "
            f"{which} counted too few children to show on its own."
        )
    return Journey(rows=shown, protected=protect(shown), grouped=grouped)
