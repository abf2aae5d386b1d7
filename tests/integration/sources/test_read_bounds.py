"""A file's rows are read in a child process bounded in memory and time (issue 12, defect 7): a
file past either bound is refused with the limit and its setting, nothing is loaded, and the
server process never holds the file's rows."""

import pytest

from placewise.sharing import actors
from placewise.sources.actions import ingest
from tests.conftest import store_snapshot

pytestmark = pytest.mark.django_db

MAPPING = """[source]
name = "trust_extract"
organisation = "Northshire NHS Foundation Trust"

[identity]
record_id = "PersonID"
given_name = "Forename"
family_name = "Surname"
date_of_birth = "DOB"
postcode = "Postcode"
"""


def write_extract(folder, rows: int):
    path = folder / "extract.csv"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("PersonID,Forename,Surname,DOB,Postcode\n")
        for n in range(rows):
            handle.write(f"P{n:07d},Forename{n % 997},Surname{n % 9973},2015-03-04,NS1 {n % 9}AB\n")
    (folder / "extract.toml").write_text(MAPPING, encoding="utf-8")
    return path


def test_a_file_needing_more_memory_than_the_bound_is_refused(fresh_stores, settings, tmp_path):
    # 300,000 identities staged as Python lists take some hundreds of MiB; allow 48 MiB.
    big = write_extract(tmp_path, 300_000)
    settings.PLACEWISE_READ_MEMORY = 48 * 2**20
    settings.PLACEWISE_READ_SECONDS = 0
    before = store_snapshot()
    outcome = ingest(big, by=actors.command_line(), run_dfe=False)
    assert outcome.status == "rejected"
    assert "more memory than this place's limit of 48 MiB (PLACEWISE_READ_MEMORY)" in (
        outcome.message
    )
    assert store_snapshot() == before
    assert outcome.load is not None and outcome.load.status == "rejected"


def test_a_small_file_loads_within_the_same_bound(fresh_stores, settings, tmp_path):
    small = write_extract(tmp_path, 200)
    settings.PLACEWISE_READ_MEMORY = 48 * 2**20
    settings.PLACEWISE_READ_IN_PROCESS_BYTES = 0  # through the bounded reader, however small
    outcome = ingest(small, by=actors.command_line(), run_dfe=False)
    assert outcome.status == "loaded", outcome.message
    assert outcome.rows_loaded == 200 and outcome.identities == 200


def test_the_bounded_reader_and_this_process_read_a_file_alike(fresh_stores, settings, tmp_path):
    """The same file read by the bounded reader (a fresh interpreter) and in this process gives
    the same stores: tokens keyed with the same secret, the same rows and events."""
    from placewise.sources import worker

    path = write_extract(tmp_path, 300)
    job = worker.Job(
        path=str(path),
        mapping=str(path.with_suffix(".toml")),
        council_source="council_csc",
        council_organisation="Northshire Council Children's Services",
        max_bytes=2**30,
        opted_out=[],
        progress=False,
    )
    here = worker.read(job, bounds=worker.Bounds(0, 0), scratch=tmp_path / "scratch")
    child = worker.read(job, bounds=worker.Bounds(2**30, 60), scratch=tmp_path / "scratch")
    assert here.counts == child.counts == {"read": 300, "rejected": 0, "opted_out": 0}
    for mine, theirs in zip(here.tables, child.tables, strict=True):
        assert mine.equals(theirs)
    assert here.tables[0].num_rows == 300
    assert not list((tmp_path / "scratch").iterdir())  # the child's files are cleared away


def test_a_file_taking_longer_than_the_bound_is_refused(fresh_stores, settings, tmp_path):
    big = write_extract(tmp_path, 300_000)
    settings.PLACEWISE_READ_MEMORY = 0
    settings.PLACEWISE_READ_SECONDS = 0.2  # reading 300,000 rows takes seconds
    before = store_snapshot()
    outcome = ingest(big, by=actors.command_line(), run_dfe=False)
    assert outcome.status == "rejected"
    assert "took longer than this place's limit of 0.2 seconds (PLACEWISE_READ_SECONDS)" in (
        outcome.message
    )
    assert store_snapshot() == before


def test_a_row_level_rejection_from_the_child_keeps_every_problem(fresh_stores, settings, tmp_path):
    path = write_extract(tmp_path, 5)
    # A row without its record ID is an error; a date of birth that is not a real date is a
    # warning (identity evidence, issue 13): both come back from the child.
    text = (
        path.read_text()
        .replace("P0000003,Forename3,Surname3,2015-03-04", ",Forename3,Surname3,2015-03-04")
        .replace("P0000004,Forename4,Surname4,2015-03-04", "P0000004,,,2015-13-45")
    )
    path.write_text(text)
    outcome = ingest(path, by=actors.command_line(), run_dfe=False)
    assert outcome.status == "rejected"
    bad = [i for i in outcome.issues if i.severity == "error"]
    assert bad and all(i.row == 5 for i in bad)  # the header is row 1
    assert any(i.column == "PersonID" for i in bad)
    assert any(i.row == 6 and i.column == "DOB" for i in outcome.issues if i.severity == "warning")
