"""Natural keys, the periods returns cover, and superseding rows in a table: each by hand."""

from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from placewise.sources import natural_keys, periods
from placewise.sources.canonical import FileRejected
from placewise.store import supersede


def events(*rows: tuple[str, str, str, date | None, date | None, str | None]) -> pa.Table:
    """(token, origin, kind, start, end, code) per event, source 's'."""
    return pa.table(
        {
            "token": [r[0] for r in rows],
            "source": ["s"] * len(rows),
            "origin": [r[1] for r in rows],
            "kind": [r[2] for r in rows],
            "start_date": pa.array([r[3] for r in rows], pa.date32()),
            "end_date": pa.array([r[4] for r in rows], pa.date32()),
            "code": pa.array([r[5] for r in rows], pa.string()),
            "load_id": pa.array([0] * len(rows), pa.int64()),
        }
    )


def test_each_returns_kinds_are_keyed_by_the_date_the_return_names():
    keys = natural_keys.STATUTORY
    assert keys[("ssda903", "cla_episode")].start == "DECOM"
    assert keys[("ssda903", "cla_review")].start == "REVIEW"
    assert keys[("ssda903", "missing_episode")].start == "MIS_START"
    assert keys[("ssda903", "cla_outcomes")].start is None  # one a child, the latest return's
    assert keys[("cin", "referral")].start == "CINreferralDate"
    assert keys[("cin", "cp_plan")].start == "CPPstartDate"
    assert keys[("annex_a", "contact")].start == "Date of Contact"
    assert keys[("annex_a", "cp_plan")].start == "Child Protection Plan Start Date"
    # A partner's: record and start, and what its mapping adds.
    assert natural_keys.key_of("partner", "attendance", {"attendance": ("code",)}).extra == (
        "code",
    )


def test_the_key_is_record_kind_and_start_not_what_the_event_says():
    keyed = natural_keys.keyed(
        events(
            ("t1", "ssda903", "cla_episode", date(2023, 5, 1), None, "U1"),
            ("t1", "ssda903", "cla_episode", date(2023, 5, 1), date(2024, 8, 15), "U2"),
            ("t1", "ssda903", "cla_episode", date(2023, 6, 1), None, "U1"),  # another start
            ("t2", "ssda903", "cla_episode", date(2023, 5, 1), None, "U1"),  # another child
            ("t1", "cin", "cla_episode", date(2023, 5, 1), None, "U1"),  # another return
            ("t1", "ssda903", "cla_outcomes", None, None, None),
            ("t1", "ssda903", "cla_outcomes", None, None, "X"),
        ),
        {},
    )
    key = keyed.column("natural_key").to_pylist()
    assert key[0] == key[1]
    assert len({key[0], key[2], key[3], key[4]}) == 4
    assert key[5] == key[6]
    # The store keys events loaded before keys existed the same way.
    with duckdb.connect() as scratch:
        scratch.register("e", events(("t1", "ssda903", "cla_episode", date(2023, 5, 1), None, "")))
        (legacy,) = scratch.execute(f"SELECT {supersede.DEFAULT_KEY} FROM e").fetchone()
    assert legacy == key[0]


def test_a_mapping_may_tell_same_day_events_apart(tmp_path: Path):
    mapping = tmp_path / "trust.toml"
    mapping.write_text('[natural_key]\nattendance = ["code"]\n')
    extra = natural_keys.declared(mapping)
    assert extra == {"attendance": ("code",)}
    keyed = natural_keys.keyed(
        events(
            ("t1", "partner", "attendance", date(2025, 1, 3), None, "ED"),
            ("t1", "partner", "attendance", date(2025, 1, 3), None, "UTC"),
            ("t1", "partner", "admission", date(2025, 1, 3), None, "ED"),
            ("t1", "partner", "admission", date(2025, 1, 3), None, "UTC"),
        ),
        extra,
    ).column("natural_key")
    assert keyed[0] != keyed[1] and keyed[2] == keyed[3]
    mapping.write_text('[natural_key]\nattendance = ["colour"]\n')
    with pytest.raises(FileRejected, match="natural_key"):
        natural_keys.declared(mapping)


def test_the_period_a_return_covers():
    assert periods.year_start(date(2024, 3, 31)) == date(2023, 4, 1)
    assert periods.year_end(date(2024, 4, 1)) == date(2025, 3, 31)
    # A 903 year: an episode begun in 2019 and still open does not make it begin in 2019;
    # what ended (May 2024) says the year.
    episodes = events(
        ("a", "ssda903", "cla_episode", date(2019, 3, 1), None, None),
        ("b", "ssda903", "cla_episode", date(2020, 1, 1), date(2024, 5, 2), None),
        ("c", "ssda903", "cla_episode", date(2025, 2, 1), None, None),
    )
    # A statutory return lists everything that began in its period (ADR 0020).
    assert periods.covered("ssda903", episodes) == periods.Period(
        date(2024, 4, 1), date(2025, 3, 31), lists_everything=True
    )
    # A census without its header: the year of what it holds; Annex A: the window from what
    # began in it (contacts) and what ended in it, to the latest date.
    referrals = events(
        ("a", "annex_a", "contact", date(2024, 6, 3), None, None),
        ("b", "annex_a", "cp_plan", date(2021, 1, 1), date(2024, 9, 30), None),
        ("c", "annex_a", "contact", date(2025, 5, 31), None, None),
    )
    assert periods.covered("annex_a", referrals) == periods.Period(
        date(2024, 6, 3), date(2025, 5, 31), lists_everything=True
    )
    # A partner's extract: its events' own dates; it may be one district's, so not everything.
    assert periods.covered("partner", referrals) == periods.Period(
        date(2021, 1, 1), date(2025, 5, 31)
    )
    assert periods.covered("partner", events()) == periods.Period(None, None)


def test_a_census_covers_the_year_to_its_reference_date(tmp_path: Path):
    census = tmp_path / "cin.xml"
    census.write_text(
        "<Message><Header><CollectionDetails><ReferenceDate>2025-03-31</ReferenceDate>"
        "</CollectionDetails></Header><Children></Children></Message>"
    )
    assert periods.census_reference_date(census) == date(2025, 3, 31)
    held = events(("a", "cin", "cin_episode", date(2018, 1, 1), None, None))
    assert periods.covered("cin_census", held, census) == periods.Period(
        date(2024, 4, 1), date(2025, 3, 31), lists_everything=True
    )


@pytest.fixture
def table() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    connection.execute(
        "CREATE TABLE records (token VARCHAR, source VARCHAR, origin VARCHAR, sex VARCHAR, "
        "load_id BIGINT)"
    )
    connection.execute(
        "CREATE TABLE replaced_records AS SELECT *, NULL::BIGINT AS replaced_by FROM records "
        "WHERE FALSE"
    )
    return connection


def load(connection: duckdb.DuckDBPyConnection, load_id: int, rows: list[tuple[str, str]]):
    connection.register(
        "incoming",
        pa.table(
            {
                "token": [r[0] for r in rows],
                "source": ["s"] * len(rows),
                "origin": ["o"] * len(rows),
                "sex": [r[1] for r in rows],
                "load_id": pa.array([load_id] * len(rows), pa.int64()),
            }
        ),
    )
    return supersede.supersede(connection, supersede.RECORDS, "incoming", load_id)


def test_a_later_load_replaces_what_it_says_again_differently_and_keeps_the_rest(table):
    load(table, 1, [("a", "M"), ("b", "F")])
    changed = load(table, 2, [("a", "F"), ("b", "F"), ("c", "M")])
    # a changed (replaced), b said again alike (kept with load 1), c new.
    assert changed.as_dict() == {
        "added": 2,
        "unchanged": 1,
        "replaced": 1,
        "replaced_from": {"1": 1},
    }
    assert table.execute("SELECT token, sex, load_id FROM records ORDER BY 1").fetchall() == [
        ("a", "F", 2),
        ("b", "F", 1),
        ("c", "M", 2),
    ]
    assert table.execute(
        "SELECT token, sex, load_id, replaced_by FROM replaced_records"
    ).fetchall() == [("a", "M", 1, 2)]
    # Undone (it never committed): load 2's rows go and what it replaced comes back.
    supersede.undo(table, supersede.RECORDS, 2)
    assert table.execute("SELECT token, sex, load_id FROM records ORDER BY 1").fetchall() == [
        ("a", "M", 1),
        ("b", "F", 1),
    ]
    assert table.execute("SELECT count(*) FROM replaced_records").fetchall() == [(0,)]


def test_the_history_gains_a_column_its_table_gained(table):
    load(table, 1, [("a", "M")])
    table.execute("ALTER TABLE records ADD COLUMN ethnicity VARCHAR")
    load(table, 2, [("a", "F")])
    assert table.execute("SELECT ethnicity FROM replaced_records").fetchall() == [(None,)]
