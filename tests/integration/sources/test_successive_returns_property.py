"""Any sequence of overlapping extracts of the same small place ends with the same stores (events,
records, identities) as loading only the union of their final values (issue 13 item 3)."""

import csv
import itertools
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given
from hypothesis import settings as examples
from hypothesis import strategies as st

from placewise.sharing import actors
from placewise.sources.actions import ingest
from placewise.sources.models import Load
from placewise.store import stores

# Hypothesis: sequences of extracts, each loaded: half a minute and more.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

MAPPING = """[source]
name = "police_missing"
organisation = "Northshire Police"
[identity]
record_id = "Ref"
given_name = "Forename"
date_of_birth = "DOB"
date_format = "%d/%m/%Y"
[[events]]
kind = "missing_report"
start = "Reported"
end = "Returned"
code = "Risk"
"""

FIRST = date(2025, 1, 1)
# (reference, forename, date of birth, reported, returned or None, risk)
Row = tuple[str, str, date, date, date | None, str]


@st.composite
def extract(draw: st.DrawFn) -> list[Row]:
    """One extract: a few records, each with one identity in it, and their reports."""
    records = draw(
        st.lists(st.sampled_from(["P1", "P2", "P3"]), min_size=1, max_size=3, unique=True)
    )
    rows: list[Row] = []
    for ref in records:
        name = draw(st.sampled_from(["Ann", "Anne", "Bea"]))
        born = date(2010, 1, 1) + timedelta(days=draw(st.sampled_from([0, 40])))
        for _ in range(draw(st.integers(min_value=1, max_value=2))):
            start = FIRST + timedelta(days=draw(st.integers(min_value=0, max_value=3)))
            end = draw(st.none() | st.integers(min_value=0, max_value=2))
            ended = None if end is None else start + timedelta(days=end)
            rows.append((ref, name, born, start, ended, draw(st.sampled_from(["H", "L"]))))
    return rows


def union_of_final_values(extracts: list[list[Row]]) -> list[Row]:
    """Each event key's rows from the last extract that mentions it, each record's identity from
    the last extract that mentions the record."""
    final_rows: dict[tuple[str, date], list[Row]] = {}
    identity: dict[str, tuple[str, date]] = {}
    seen: list[list[Row]] = []
    for rows in extracts:
        # The same file again (the same rows write the same bytes) is not loaded again: a file
        # already loaded is a retry, not a new statement (README, "Loading the same file twice").
        if rows in seen:
            continue
        seen.append(rows)
        for key, group in itertools.groupby(
            sorted(rows, key=lambda r: (r[0], r[3])), key=lambda r: (r[0], r[3])
        ):
            final_rows[key] = list(group)
        for row in rows:
            identity[row[0]] = (row[1], row[2])
    return [
        (ref, *identity[ref], start, ended, risk)
        for rows in final_rows.values()
        for ref, _, _, start, ended, risk in rows
    ]


def write(path: Path, rows: list[Row]) -> Path:
    path.with_suffix(".toml").write_text(MAPPING, encoding="utf-8")
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["Ref", "Forename", "DOB", "Reported", "Returned", "Risk"])
        for ref, name, born, start, ended, risk in rows:
            writer.writerow(
                [
                    ref,
                    name,
                    f"{born:%d/%m/%Y}",
                    f"{start:%d/%m/%Y}",
                    f"{ended:%d/%m/%Y}" if ended else "",
                    risk,
                ]
            )
    return path


def held() -> dict[str, list[tuple[object, ...]]]:
    """Everything the stores hold now but which load said it."""
    with stores.analytic(read_only=True) as store:
        events = store.execute("SELECT * EXCLUDE (load_id) FROM events ORDER BY ALL").fetchall()
        records = store.execute("SELECT * EXCLUDE (load_id) FROM records ORDER BY ALL").fetchall()
    with stores.enclave(read_only=True) as vault:
        identities = vault.execute(
            "SELECT * EXCLUDE (load_id) FROM identities ORDER BY ALL"
        ).fetchall()
    return {"events": events, "records": records, "identities": identities}


def fresh(folder: Path, django_settings) -> None:
    """New, empty stores in `folder`, and no record of earlier loads (each example its own)."""
    folder.mkdir(parents=True)
    django_settings.PLACEWISE_ANALYTIC_DB = folder / "analytic.duckdb"
    django_settings.PLACEWISE_ENCLAVE_DB = folder / "enclave.duckdb"
    Load.objects.all().delete()


@examples(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(extracts=st.lists(extract(), min_size=1, max_size=4))
# The same file after a later one: not loaded again, so the later one's word stands.
@example(
    extracts=[
        [("P1", "Ann", date(2010, 1, 1), FIRST, None, "H")],
        [("P1", "Anne", date(2010, 2, 10), FIRST, FIRST, "L")],
        [("P1", "Ann", date(2010, 1, 1), FIRST, None, "H")],
    ]
)
def test_a_sequence_of_extracts_ends_as_the_union_of_their_final_values(
    extracts, fresh_stores, tmp_path_factory, settings
):
    folder = tmp_path_factory.mktemp("example")
    fresh(folder / "sequence", settings)
    for number, rows in enumerate(extracts):
        outcome = ingest(
            write(folder / f"extract{number}.csv", rows), by=actors.command_line(), run_dfe=False
        )
        assert outcome.status in {"loaded", "duplicate"}, outcome.message
    after_sequence = held()

    fresh(folder / "union", settings)
    union = union_of_final_values(extracts)
    outcome = ingest(write(folder / "union.csv", union), by=actors.command_line(), run_dfe=False)
    assert outcome.status == "loaded", outcome.message
    assert held() == after_sequence
