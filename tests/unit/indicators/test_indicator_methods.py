"""Each indicator method's SQL on a few hand-made events in an in-memory DuckDB, counted on paper
(see each docstring); the registry's checks of a definition's settings; and the generated
documentation being current."""

import json
from datetime import date

import duckdb
import pytest

from placewise.indicators import compute, library, method_documentation
from placewise.indicators.methods import REGISTRY
from placewise.indicators.methods.definition import SettingType
from placewise.outcomes.visibility import figure
from placewise.store.queries import fetch
from placewise.store.schema import ANALYTIC

JUNE = date(2024, 6, 1)


@pytest.fixture
def store():
    """The analytic store's schema, in memory, with one committed load."""
    connection = duckdb.connect()
    connection.execute(ANALYTIC)
    connection.execute("INSERT INTO loads VALUES (1, TIMESTAMP '2025-01-01')")
    yield connection
    connection.close()


def add(store, child, kind, start, end=None, team=None, value=None, source="council_csc", **attrs):
    store.execute(
        "INSERT INTO events (token, source, origin, kind, start_date, end_date, team, value, "
        "attrs, load_id) VALUES ($child, $source, 'annex_a', $kind, $start, $end, $team, $value, "
        "$attrs, 1)",
        {
            "child": child,
            "source": source,
            "kind": kind,
            "start": start,
            "end": end,
            "team": team,
            "value": value,
            "attrs": json.dumps(attrs) if attrs else None,
        },
    )


def totals(store, method, population=None, **settings):
    """{(month, team): (numerator, denominator)} of one method on the store."""
    query = compute.method_query(method, settings, population)
    assert "?" not in query.sql  # named parameters only
    return {
        (r["period"], r["team"]): (float(r["numerator"]), float(r["denominator"]))
        for r in fetch(store, query)
    }


def test_count_and_rate_per_10000(store):
    """Referrals: A (North) and B (South) in June, C (no team) in July. A count is per team and
    for the place (C's counts for the place only); a rate is the place's, per 10,000 of its
    20,000 children: 2 / 2.0 in June."""
    add(store, "A", "referral", date(2024, 6, 3), team="North")
    add(store, "B", "referral", date(2024, 6, 10), team="South")
    add(store, "C", "referral", date(2024, 7, 1))
    assert totals(store, "count", kind="referral") == {
        (JUNE, None): (2, 1),
        (JUNE, "North"): (1, 1),
        (JUNE, "South"): (1, 1),
        (date(2024, 7, 1), None): (1, 1),
    }
    assert totals(store, "rate_per_10000", {2024: 20_000}, kind="referral") == {
        (JUNE, None): (2, 2.0),
        (date(2024, 7, 1), None): (1, 2.0),
    }
    indicator = library.Indicator("r", "r", "", "rate_per_10000", "", "", "up", {"kind": "x"})
    assert compute.series(indicator, {}) is None  # no population, no rate


def test_mean_value(store):
    """Two feedback scores in June, 4 and 5: 9 over 2."""
    add(store, "A", "family_feedback", date(2024, 6, 3), value=4, team="North")
    add(store, "B", "family_feedback", date(2024, 6, 9), value=5, team="North")
    assert totals(store, "mean_value", kind="family_feedback")[(JUNE, None)] == (9, 2)


def test_within_working_days_skips_weekends_and_bank_holidays(store):
    """From Monday 3 June 2024: the 17th is the 10th working day after (4-7, 10-14, 17), the
    18th the 11th. From Friday 23 August, Tuesday 27th is 1 working day on (Monday 26th is the
    summer bank holiday); from Friday 16th, Tuesday 20th is 2."""
    add(store, "A", "assessment", date(2024, 6, 3), date(2024, 6, 17))
    add(store, "B", "assessment", date(2024, 6, 3), date(2024, 6, 18))
    add(store, "C", "assessment", date(2024, 8, 23), date(2024, 8, 27))
    add(store, "D", "assessment", date(2024, 8, 16), date(2024, 8, 20))
    ten = totals(store, "within_working_days", kind="assessment", days=10)
    assert ten[(JUNE, None)] == (1, 2)
    one = totals(store, "within_working_days", kind="assessment", days=1)
    assert one[(date(2024, 8, 1), None)] == (1, 2)


def test_prior_within_leaves_out_months_before_a_whole_look_back(store):
    """A: 10 Jan 2023 and 5 Jun 2024 (512 days apart); B: 15 Jan and 20 Jun 2024 (157 days).
    The data begins 10 Jan 2023, so months are judged from 10 Jan 2024. June: B's is a
    re-referral, A's is not (1 of 2); January 2024: B's first (0 of 1); January 2023: none."""
    add(store, "A", "referral", date(2023, 1, 10))
    add(store, "A", "referral", date(2024, 6, 5))
    add(store, "B", "referral", date(2024, 1, 15))
    add(store, "B", "referral", date(2024, 6, 20))
    found = totals(store, "prior_within", kind="referral", days=365)
    assert found == {(date(2024, 1, 1), None): (0, 1), (JUNE, None): (1, 2)}


def test_prior_ever_counts_plans_before_the_data(store):
    """June plans: A's first; B's first here but two before it (previous_plans = 2); C's second.
    With the attribute: 2 of 3; without it only C's: 1 of 3."""
    add(store, "A", "cp_plan", date(2024, 6, 1))
    add(store, "B", "cp_plan", date(2024, 6, 2), previous_plans=2)
    add(store, "C", "cp_plan", date(2023, 1, 1))
    add(store, "C", "cp_plan", date(2024, 6, 3))
    assert totals(store, "prior_ever", kind="cp_plan", attr="previous_plans")[(JUNE, None)] == (
        2,
        3,
    )
    assert totals(store, "prior_ever", kind="cp_plan")[(JUNE, None)] == (1, 3)


def test_lasted_at_least(store):
    """Ended in June: A's plan from 1 Jan 2021 (over 2 years), B's from 1 Dec 2023: 1 of 2.
    Before 1 Jan 2023 (2 years of data) nothing can have lasted 2 years: no such month."""
    add(store, "A", "cp_plan", date(2021, 1, 1), date(2024, 6, 10))
    add(store, "B", "cp_plan", date(2023, 12, 1), date(2024, 6, 20))
    add(store, "C", "cp_plan", date(2021, 2, 1), date(2022, 12, 20))
    found = totals(store, "lasted_at_least", kind="cp_plan", days=730)
    assert found == {(JUNE, None): (1, 2)}


def test_closed_in_month(store):
    """Open at the start of June: A (closes 15 June) and B (open); C began in June. 1 of 2;
    no episode began before May, so May has none open at its start and no row."""
    add(store, "A", "cin_episode", date(2024, 5, 10), date(2024, 6, 15))
    add(store, "B", "cin_episode", date(2024, 5, 20))
    add(store, "C", "cin_episode", date(2024, 6, 5), date(2024, 6, 25))
    assert totals(store, "closed_in_month", kind="cin_episode") == {(JUNE, None): (1, 2)}


def test_not_followed_within(store):
    """Closed in March 2023: A (referred again 6 months on), B (15 months on), C (never): 2 of
    3 held. D's, closed January 2024, is less than a year before the data ends (1 June 2024)."""
    for child, closed in (("A", 10), ("B", 20), ("C", 25)):
        add(store, child, "cin_episode", date(2022, 10, 1), date(2023, 3, closed))
    add(store, "D", "cin_episode", date(2023, 10, 1), date(2024, 1, 5))
    add(store, "A", "referral", date(2023, 9, 1))
    add(store, "B", "referral", date(2024, 6, 1))
    found = totals(store, "not_followed_within", kind="cin_episode", then="referral", days=365)
    assert found == {(date(2023, 3, 1), None): (2, 3)}


def test_share_with_attr(store):
    """Care leavers in June: A in education (EET), B NEET, C with no activity recorded (not
    counted). Not NEET: 1 of 2. Scores at least 3: A's 3, B's 2: 1 of 2."""
    add(store, "A", "care_leaver", date(2024, 6, 1), activity="EET", score=3)
    add(store, "B", "care_leaver", date(2024, 6, 2), activity="NEET", score="2")
    add(store, "C", "care_leaver", date(2024, 6, 3))
    not_neet = totals(
        store, "share_with_attr", kind="care_leaver", attr="activity", values=["NEET"], negate=True
    )
    assert not_neet[(JUNE, None)] == (1, 2)
    at_least = totals(store, "share_with_attr", kind="care_leaver", attr="score", at_least=3)
    assert at_least[(JUNE, None)] == (1, 2)


def test_mean_days_between(store):
    """Placed in June: A entered care 1 Jan 2024, placed 11 June (31+29+31+30+31+10 = 162 days;
    2024 is a leap year); B 1 March to 1 June (31+30+31 = 92). Mean 254 / 2. From the placement
    order (A's on 1 May): 41 days, A only."""
    add(store, "A", "adoption", date(2024, 1, 1), placed="2024-06-11", placement_order="2024-05-01")
    add(store, "B", "adoption", date(2024, 3, 1), placed="2024-06-01")
    assert totals(store, "mean_days_between", kind="adoption", to="placed") == {
        (JUNE, None): (254, 2)
    }
    from_order = totals(
        store, "mean_days_between", kind="adoption", to="placed", **{"from": "placement_order"}
    )
    assert from_order == {(JUNE, None): (41, 1)}


def test_seen_within_links_records_across_sources(store):
    """Help began in June for A (school record SA, linked to A, suspended 14 days before) and B
    (suspended 80 days before): 1 of 2 seen in the 30 days before. Only police's records: 0."""
    add(store, "A", "cin_episode", date(2024, 6, 15))
    add(store, "B", "cin_episode", date(2024, 6, 20))
    add(store, "SA", "school_suspension", date(2024, 6, 1), source="schools")
    add(store, "B", "school_suspension", date(2024, 4, 1), source="schools")
    store.execute(
        "INSERT INTO person_links VALUES ('A', 'P1', 2, 1.0, now()), ('SA', 'P1', 2, 1.0, now())"
    )
    settings = {"kind": "cin_episode", "others": ["school_suspension"], "days": 30}
    assert totals(store, "seen_within", when="before", **settings)[(JUNE, None)] == (1, 2)
    police = totals(store, "seen_within", when="before", other_sources=["police"], **settings)
    assert police[(JUNE, None)] == (0, 2)


def test_open_with(store):
    """Looked after at the end of June: A (went missing 10 June) and B: 1 of 2; at the end of
    May neither had gone missing in May: 0 of 2. (A referral in July takes the data past June.)"""
    add(store, "A", "cla_episode", date(2024, 1, 1))
    add(store, "B", "cla_episode", date(2024, 2, 1))
    add(store, "A", "missing_episode", date(2024, 6, 10), date(2024, 6, 11))
    add(store, "Z", "referral", date(2024, 7, 5))
    found = totals(store, "open_with", kind="cla_episode", others=["missing_episode"])
    assert found[(JUNE, None)] == (1, 2)
    assert found[(date(2024, 5, 1), None)] == (0, 2)


def test_stable_placement(store):
    """At the end of June 2024, in care a year or more: A (since 2022; placement since June
    2023), B (since 2023; only a change of legal status, L, in March 2024) and C (since 2023;
    moved in May 2024). A and B's placements are 180 days or older: 2 of 3. D came into care
    in 2024. Under 16 (A born 2007, B and C 2015): B of B and C, 1 of 2."""
    episodes = [
        ("A", date(2022, 1, 1), date(2023, 6, 1), "S"),
        ("A", date(2023, 6, 1), None, "P"),
        ("B", date(2023, 1, 1), date(2024, 3, 1), "S"),
        ("B", date(2024, 3, 1), None, "L"),
        ("C", date(2023, 1, 1), date(2024, 5, 1), "S"),
        ("C", date(2024, 5, 1), None, "P"),
        ("D", date(2024, 1, 1), None, "S"),
    ]
    for child, start, end, reason in episodes:
        add(store, child, "cla_episode", start, end, rne=reason)
    add(store, "Z", "referral", date(2024, 7, 5))
    for child, born in (("A", date(2007, 1, 1)), ("B", date(2015, 1, 1)), ("C", date(2015, 1, 1))):
        store.execute(
            "INSERT INTO records (token, source, month_of_birth, load_id) "
            "VALUES (?, 'council_csc', ?, 1)",
            [child, born],
        )
    settings = {"kind": "cla_episode", "care_days": 365, "placement_days": 180}
    assert totals(store, "stable_placement", **settings)[(JUNE, None)] == (2, 3)
    under_16 = totals(store, "stable_placement", under_age=16, **settings)
    assert under_16[(JUNE, None)] == (1, 2)


def test_followed_within(store):
    """Referred Monday 3 June: A assessed on the 17th (10 working days on), B on the 18th (11);
    C (4 June) never assessed. Within 10 working days, of those assessed within 90 days: 1 of
    2. Within 14 calendar days, of all: 1 of 3. (A referral in September ends the data.)"""
    add(store, "A", "referral", date(2024, 6, 3))
    add(store, "B", "referral", date(2024, 6, 3))
    add(store, "C", "referral", date(2024, 6, 4))
    add(store, "A", "assessment", date(2024, 6, 17))
    add(store, "B", "assessment", date(2024, 6, 18))
    add(store, "Z", "contact", date(2024, 9, 10))
    both = {"kind": "referral", "then": "assessment"}
    working = totals(store, "followed_within", days=10, working_days=True, horizon=90, **both)
    assert working[(JUNE, None)] == (1, 2)
    assert totals(store, "followed_within", days=14, **both)[(JUNE, None)] == (1, 3)


def test_a_shared_table_gives_what_the_store_gives(store):
    """Every built-in indicator, read from `shared_events`' table or from the store: the same
    rows (the table is how the export reads many indicators at once)."""
    for day in range(1, 28, 3):
        child, team = f"C{day % 4}", ("North", "South", None)[day % 3]
        add(store, child, "referral", date(2024, 5, day), team=team)
        add(store, child, "assessment", date(2024, 5, day + 1), date(2024, 6, day), team=team)
        add(store, child, "cin_episode", date(2024, 4, day), date(2024, 6, day), team=team)
        add(store, child, "cla_episode", date(2023, 1, day), rne="SP"[day % 2])
        add(store, child, "missing_episode", date(2024, 6, day), source="police")
        add(store, child, "cp_plan", date(2023, 2, day), date(2024, 6, day), previous_plans=day % 2)
        add(store, child, "family_feedback", date(2024, 6, day), value=day % 5, team=team)
    chosen = library.parse(library.BUILT_IN.read_text(encoding="utf-8"), origin="library.toml")
    kinds = sorted({k for i in chosen.values() for k in i.kinds})
    population = {2024: 20_000}
    alone = {k: fetch(store, compute.series(i, population)) for k, i in chosen.items()}
    with compute.shared_events(store, kinds) as table:
        shared = {
            k: fetch(store, compute.series(i, population, table=table)) for k, i in chosen.items()
        }
    assert shared == alone and any(alone.values())


def test_the_registry_refuses_what_a_method_does_not_declare_naming_it():
    base = 'title = "t"\nquestion = "q"\nnumerator = "n"\ndenominator = "d"\npolarity = "up"\n'

    def refused(settings: str) -> str:
        with pytest.raises(library.LibraryError) as raised:
            library.parse(f"[late]\n{base}{settings}", origin="mine.toml")
        return str(raised.value)

    assert refused('method = "count"\nkind = "referral"\ncolour = "red"\n') == (
        "mine.toml, indicator 'late': unknown setting(s) colour"
    )
    assert refused('method = "count"\nkind = "referral"\ndays = 3\n').endswith(
        "unknown setting(s) days"
    )
    assert refused('method = "tally"\nkind = "referral"\n').startswith(
        "mine.toml, indicator 'late': method must be one of "
    )
    within = 'method = "within_working_days"\nkind = "assessment"\n'
    assert refused(within + 'days = "ten"\n').endswith("days must be a whole number of days")
    assert refused(within + "days = -1\n").endswith("days must be a whole number of days")
    follows = 'method = "followed_within"\nkind = "referral"\nthen = "assessment"\ndays = 3\n'
    assert refused(follows + 'working_days = "yes"\n').endswith(
        "working_days must be true or false"
    )
    assert refused(follows + 'from = "middle"\n').endswith("from must be 'start' or 'end'")
    share = 'method = "share_with_attr"\nkind = "care_leaver"\nattr = "activity"\n'
    assert refused(share).endswith("give either values (a list) or at_least (a number)")
    parsed = library.parse(f"[ok]\n{base}{share}values = [1, 2]\n", origin="mine.toml")
    assert parsed["ok"].parameters["values"] == [1, 2]  # codes as numbers are compared as text


def test_every_method_declares_what_the_library_and_the_pages_need():
    for name, method in REGISTRY.items():
        assert method.name == name and method.summary
        kind = method.settings[0]
        # compute.series counts only months the returns of `kind` cover.
        assert (kind.name, kind.type, kind.required) == ("kind", SettingType.EVENT_KIND, True)
        assert all(s.required or s.default for s in method.settings), name


# How each kind of value is shown, written out by hand: a share as a whole percentage (closures
# a month to one decimal place: a few per cent), a count whole with thousands separated, a mean
# score to two places, anything else (rates, days) to one.
SHOWN = {
    "share": {0.12345: "12%", 1.0: "100%"},
    "closed_in_month": {0.12345: "12.3%", 0.5: "50.0%"},
    "count": {1234.5678: "1,235", 0.0: "0"},
    "mean_value": {1234.5678: "1,234.57", 12.3456: "12.35"},
    "other": {1234.5678: "1,234.6", 12.3456: "12.3"},
}


@pytest.mark.parametrize("method", sorted(REGISTRY))
def test_a_value_is_shown_as_written_out_by_hand(method):
    indicator = library.Indicator("i", "i", "", method, "", "", "up", {"kind": "x"})
    if method in SHOWN:
        expected = SHOWN[method]
    else:
        expected = SHOWN["share"] if indicator.is_proportion else SHOWN["other"]
    for value, text in expected.items():
        assert indicator.shown(value) == text
    assert figure(indicator, None) == "[c]"


def test_the_generated_documentation_is_current():
    """If this fails, run `.venv/bin/python -m placewise.indicators.method_documentation` and
    commit what it writes."""
    assert method_documentation.REFERENCE.read_text(encoding="utf-8") == (
        method_documentation.markdown()
    )
    text = library.BUILT_IN.read_text(encoding="utf-8")
    assert method_documentation.toml_block() in text
    assert method_documentation.with_toml_block(text) == text
