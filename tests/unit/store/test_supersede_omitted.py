"""A return is the truth for its period (store/supersede.retire_omitted): worked by hand on an
SSDA903 return resubmitted with one episode's start date (its key) corrected."""

from datetime import date

import duckdb
import pyarrow as pa
import pytest

from placewise.sources import supersession
from placewise.store import supersede
from placewise.store.schema import ANALYTIC

YEAR = (date(2023, 4, 1), date(2024, 3, 31))  # the 2023-24 return's period
# (token, source, kind, start, end)
FIRST = [
    ("C1", "council", "episode", date(2023, 6, 1), None),  # DECOM typed wrong
    ("C2", "council", "episode", date(2023, 9, 10), date(2024, 1, 5)),
    ("C3", "council", "episode", date(2021, 2, 1), None),  # began before the period
    ("C1", "council", "cla_review", date(2023, 12, 1), None),  # a kind the second omits
    ("C9", "other_council", "episode", date(2023, 7, 1), None),  # another source
]
SECOND = [
    ("C1", "council", "episode", date(2023, 6, 10), None),  # the DECOM corrected
    ("C2", "council", "episode", date(2023, 9, 10), date(2024, 1, 5)),  # said again alike
]


def _events(rows, load_id):
    columns = list(zip(*rows, strict=True))
    return pa.table(
        {
            "token": pa.array(columns[0]),
            "source": pa.array(columns[1]),
            "origin": pa.array(["ssda903"] * len(rows)),
            "kind": pa.array(columns[2]),
            "start_date": pa.array(columns[3], pa.date32()),
            "end_date": pa.array(columns[4], pa.date32()),
            "load_id": pa.array([load_id] * len(rows), pa.int64()),
        }
    )


def _load(con, rows, load_id, period):
    con.register("raw", _events(rows, load_id))
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE came_in AS SELECT *, {supersede.DEFAULT_KEY} AS natural_key "
        "FROM raw"
    )
    supersede.supersede(con, supersede.EVENTS, "came_in", load_id)
    return supersede.retire_omitted(con, "came_in", load_id, *period)


@pytest.fixture
def store():
    with duckdb.connect() as con:
        con.execute(ANALYTIC)
        yield con


def _held(con, table="events"):
    return sorted(
        con.execute(f"SELECT token, source, kind, start_date, load_id FROM {table}").fetchall()  # nosec B608
    )


def test_a_resubmitted_return_supersedes_the_episode_whose_start_it_corrected(store):
    assert _load(store, FIRST, 1, YEAR).replaced == 0  # nothing held before it
    retired = _load(store, SECOND, 2, YEAR)
    assert retired.replaced == 1 and retired.replaced_from == {1: 1}
    assert _held(store) == [
        ("C1", "council", "cla_review", date(2023, 12, 1), 1),  # reviews: not in this file
        ("C1", "council", "episode", date(2023, 6, 10), 2),  # the corrected episode alone
        ("C2", "council", "episode", date(2023, 9, 10), 1),  # unchanged stays with load 1
        ("C3", "council", "episode", date(2021, 2, 1), 1),  # began before the period: kept
        ("C9", "other_council", "episode", date(2023, 7, 1), 1),  # another source's
    ]
    # The typo is history, replaced by the second load.
    assert store.execute(
        "SELECT token, start_date, load_id, replaced_by FROM replaced_events"
    ).fetchall() == [("C1", date(2023, 6, 1), 1, 2)]


def test_next_years_return_leaves_last_years_episodes_alone(store):
    _load(store, FIRST, 1, YEAR)
    next_year = [("C4", "council", "episode", date(2024, 5, 1), None)]
    retired = _load(store, next_year, 2, (date(2024, 4, 1), date(2025, 3, 31)))
    assert retired.replaced == 0
    assert len(_held(store)) == len(FIRST) + 1


def test_a_load_with_no_period_retires_nothing(store):
    _load(store, FIRST, 1, YEAR)
    assert _load(store, SECOND, 2, (None, None)).replaced == 0
    # The corrected episode is added; the typo stays (as before this rule).
    starts = {r[3] for r in _held(store) if r[0] == "C1" and r[2] == "episode"}
    assert starts == {date(2023, 6, 1), date(2023, 6, 10)}


def test_reloading_the_same_return_retires_nothing(store):
    _load(store, FIRST, 1, YEAR)
    assert _load(store, FIRST, 2, YEAR).replaced == 0
    assert _held(store) == sorted((*r[:4], 1) for r in FIRST)


def test_the_load_says_in_words_what_its_period_superseded():
    changes = {
        "events": {"replaced_from": {"1": 3}, "unchanged": 1},
        "omitted": {"replaced_from": {"1": 1, "2": 4}},
    }
    assert supersession.describe(changes) == (
        "replaced 3 events from load 1; 1 event already held unchanged; "
        "superseded 1 event from load 1 that its period no longer lists; "
        "superseded 4 events from load 2 that its period no longer lists"
    )
