import csv
import json

import duckdb
import pyarrow as pa
import pytest

from placewise.sharing import actors
from placewise.sources.actions import ingest, ingest_many
from placewise.sources.models import Load
from placewise.store import stores
from placewise.synth.place import council_files
from tests.conftest import store_snapshot

pytestmark = pytest.mark.django_db


@pytest.mark.slow  # every file of the synthetic place, loaded: 6 seconds
@pytest.mark.postgres  # the loads' records are the operational database's: run on PostgreSQL
def test_the_whole_synthetic_place_loads_and_counts_match_the_files(small_place, fresh_stores):
    files = list(council_files(small_place))
    outcomes = ingest_many(files, by=actors.command_line(), run_dfe=False)
    assert [o.status for o in outcomes] == ["loaded"] * len(files)
    for path, outcome in zip(files, outcomes, strict=True):
        if path.suffix == ".csv":
            with path.open(encoding="utf-8") as handle:
                assert outcome.rows_read == sum(1 for _ in csv.reader(handle)) - 1, path.name
    with stores.analytic(read_only=True) as store:
        loads = store.execute("SELECT count(*) FROM loads").fetchone()[0]
        events = store.execute("SELECT count(*) FROM events").fetchone()[0]
    assert loads == len(files)
    assert events == sum(o.events for o in outcomes)


def test_the_analytic_store_holds_no_identifiers(small_place, fresh_stores):
    police = small_place / "partners" / "police_missing_reports.csv"
    schools = small_place / "partners" / "schools_attendance.csv"
    ingest_many([police, schools], by=actors.command_line(), run_dfe=False)
    with schools.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    names = {r["Surname"] for r in rows} | {r["Forename"] for r in rows}
    upns = {r["UPN"] for r in rows if r["UPN"]}
    with stores.analytic(read_only=True) as store:
        columns = {
            r[0]
            for r in store.execute("SELECT column_name FROM information_schema.columns").fetchall()
        }
        dump = json.dumps(
            [store.execute(f"SELECT * FROM {t}").fetchall() for t in ("records", "events")],
            default=str,
        )
        days = store.execute(
            "SELECT DISTINCT day(month_of_birth) FROM records WHERE month_of_birth IS NOT NULL"
        ).fetchall()
    assert (
        not {
            "given_name",
            "family_name",
            "date_of_birth",
            "postcode",
            "upn",
            "nhs_number",
            "address",
            "record_id",
        }
        & columns
    )
    assert days == [(1,)]  # month of birth only
    assert not any(f'"{n}"' in dump for n in names)
    assert not any(u in dump for u in upns)
    with stores.enclave(read_only=True) as vault:
        assert vault.execute("SELECT count(*) FROM identities WHERE upn IS NOT NULL").fetchone()[0]


def test_the_same_record_gets_the_same_token_across_council_returns(small_place, fresh_stores):
    ingest_many(
        [
            small_place / "council" / "cin_census.xml",
            small_place / "council" / "ssda903" / "header.csv",
        ],
        by=actors.command_line(),
        run_dfe=False,
    )
    with stores.enclave(read_only=True) as vault:
        shared = vault.execute("""
            SELECT count(DISTINCT token) FROM identities a
            WHERE EXISTS (SELECT 1 FROM identities b WHERE b.token = a.token
                          AND b.load_id <> a.load_id)""").fetchone()[0]
    with (small_place / "council" / "ssda903" / "header.csv").open() as handle:
        looked_after = sum(1 for _ in handle) - 1
    assert shared == looked_after  # every child looked after is also in the census


def test_loading_the_same_file_twice_does_not_duplicate(small_place, fresh_stores):
    path = small_place / "partners" / "police_domestic_abuse.csv"
    first = ingest(path, by=actors.command_line(), run_dfe=False)
    before = store_snapshot()
    second = ingest(path, by=actors.command_line(), run_dfe=False)
    assert (first.status, second.status) == ("loaded", "duplicate")
    assert second.load == first.load
    assert store_snapshot() == before


def test_a_file_with_a_bad_row_is_rejected_whole_and_the_stores_are_untouched(
    place_copy, fresh_stores
):
    ingest(
        place_copy / "partners" / "police_missing_reports.csv",
        by=actors.command_line(),
        run_dfe=False,
    )
    path = place_copy / "partners" / "health_ae_attendances.csv"
    lines = path.read_text().splitlines()
    fields = lines[5].split(",")
    fields[-1] = "2024-02-31"
    lines[5] = ",".join(fields)
    path.write_text("\n".join(lines) + "\n")
    before = store_snapshot()
    outcome = ingest(path, by=actors.command_line(), run_dfe=False)
    assert outcome.status == "rejected"
    errors = [i for i in outcome.issues if i.severity == "error"]
    assert [(e.row, e.column) for e in errors] == [(6, "AttendanceDate")]
    assert store_snapshot() == before
    load = Load.objects.get(pk=outcome.load.pk)
    assert load.status == "rejected" and load.issues.filter(row=6).exists()


def test_skip_bad_rows_loads_the_rest_and_lists_what_was_left_out(place_copy, fresh_stores):
    path = place_copy / "partners" / "health_ae_attendances.csv"
    lines = path.read_text().splitlines()
    lines[3] = lines[3] + ",extra"
    path.write_text("\n".join(lines) + "\n")
    outcome = ingest(path, by=actors.command_line(), run_dfe=False, skip_bad_rows=True)
    assert outcome.status == "loaded"
    assert (outcome.rows_read, outcome.rows_loaded, outcome.rows_rejected) == (
        len(lines) - 1,
        len(lines) - 2,
        1,
    )
    assert outcome.load.issues.get(severity="error").row == 4


def test_dry_run_writes_nothing(small_place, fresh_stores):
    outcome = ingest(
        small_place / "council" / "cin_census.xml",
        by=actors.command_line(),
        run_dfe=False,
        dry_run=True,
    )
    assert outcome.status == "validated" and outcome.events > 0
    assert Load.objects.count() == 0
    assert all(not rows for rows in store_snapshot().values())


def test_a_failed_analytic_commit_takes_the_enclave_rows_back_out(fresh_stores):
    identities = pa.table(
        {
            "token": ["t1"],
            "source": ["s"],
            "record_id": ["r"],
            "given_name": ["Amy"],
            "family_name": [None],
            "date_of_birth": pa.array([None], pa.date32()),
            "sex": ["F"],
            "postcode": [None],
            "address": [None],
            "nhs_number": [None],
            "upn": [None],
            "load_id": pa.array([99], pa.int64()),
        }
    )
    records = pa.table(
        {
            "token": ["t1"],
            "source": ["s"],
            "month_of_birth": pa.array([None], pa.date32()),
            "sex": ["F"],
            "ethnicity": [None],
            "postcode_sector": [None],
            "load_id": pa.array([99], pa.int64()),
        }
    )
    # attrs that are not JSON make the analytic insert fail after the enclave committed.
    events = pa.table(
        {
            "token": ["t1"],
            "source": ["s"],
            "origin": ["x"],
            "kind": ["k"],
            "start_date": pa.array([None], pa.date32()),
            "end_date": pa.array([None], pa.date32()),
            "code": [None],
            "value": pa.array([None], pa.float64()),
            "team": [None],
            "attrs": ["{not json"],
            "load_id": pa.array([99], pa.int64()),
        }
    )
    with pytest.raises(duckdb.Error):
        stores.commit_load(99, identities, records, events)
    assert all(not rows for rows in store_snapshot().values())


def test_recovery_removes_enclave_rows_of_a_load_that_never_committed(fresh_stores):
    with stores.enclave() as vault:
        vault.execute(
            "INSERT INTO identities (token, source, record_id, load_id) VALUES ('t', 's', 'r', 42)"
        )
    assert stores.recover().identities_removed == 1
    assert all(not rows for rows in store_snapshot().values())
