"""Readers and writers of the stores together, across processes (issue 16, item 4; ADR 0019):
readers read the last committed snapshot, never wait for a writer, never fail and never see a
transaction half-done; writers in different processes take turns instead of failing."""

import json
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from placewise.store import snapshots, stores

ROWS = 2000  # events each transaction writes, replacing the last transaction's whole

# Each transaction replaces every event of source `s` with ROWS events of a new load, then
# records the load: a reader that saw the store between the DELETE and the INSERT would find no
# events, or a mixture of two loads.
WRITER = textwrap.dedent(
    """
    import sys, time
    import django
    django.setup()
    from placewise.store import stores

    name, transactions, ROWS = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    for n in range(transactions):
        with stores.analytic() as store:
            store.execute("BEGIN")
            (load,) = store.execute("SELECT coalesce(max(load_id), 0) + 1 FROM loads").fetchone()
            store.execute("DELETE FROM events WHERE source = 's'")
            time.sleep(0.2)  # hold the store mid-transaction, as a long load does
            store.execute(
                "INSERT INTO events (token, source, origin, kind, load_id) "
                "SELECT 't' || i, 's', ?, 'referral', ? FROM range(?) r(i)",
                [name, load, ROWS],
            )
            store.execute("INSERT INTO loads VALUES (?, now())", [load])
            store.execute("COMMIT")
    print("wrote", transactions, flush=True)
    """
)


@pytest.fixture
def home(tmp_path, settings) -> Path:
    folder = tmp_path / "home"
    folder.mkdir()
    settings.PLACEWISE_ANALYTIC_DB = folder / "analytic.duckdb"
    settings.PLACEWISE_ENCLAVE_DB = folder / "enclave.duckdb"
    return folder


def writer(home: Path, name: str, transactions: int) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "PLACEWISE_HOME": str(home),
        "DJANGO_SETTINGS_MODULE": "placewise.config.settings",
    }
    env.pop("DATABASE_URL", None)  # the writer touches only the DuckDB stores
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, name, str(transactions), str(ROWS)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def read_once() -> tuple[int, int, int, int]:
    """(loads, events of source s, distinct loads among them, events of no committed load)."""
    with stores.analytic(read_only=True) as store:
        row = store.execute(
            "SELECT (SELECT count(*) FROM loads), count(*), count(DISTINCT load_id), "
            "count(*) FILTER (WHERE load_id NOT IN (SELECT load_id FROM loads)) "
            "FROM events WHERE source = 's'"
        ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1]), int(row[2]), int(row[3])


@pytest.mark.slow  # two writing processes and a reader: 4 seconds
@pytest.mark.postgres  # run on PostgreSQL as before it was marked slow
def test_a_reader_sees_whole_transactions_while_two_processes_write(home):
    assert read_once() == (0, 0, 0, 0)  # the store made, and its first snapshot published
    first, second = writer(home, "first", 4), writer(home, "second", 4)
    seen = set()
    while first.poll() is None or second.poll() is None:
        loads, events, distinct, uncommitted = read_once()  # never raises, never waits
        seen.add(loads)
        # A whole transaction or none: the events of exactly one load once any has committed.
        assert (events, distinct, uncommitted) == ((ROWS, 1, 0) if loads else (0, 0, 0))
    for process in (first, second):
        out, err = process.communicate()
        # Both writers' transactions went in: the second waited for the first, not failed.
        assert process.returncode == 0, err
        assert out.strip() == "wrote 4"
    assert read_once() == (8, ROWS, 1, 0)
    assert min(seen) < 8  # the reader was reading while they wrote


def test_a_read_inside_a_write_sees_what_the_write_committed(home):
    with stores.analytic() as store:
        store.execute("INSERT INTO loads VALUES (1, now())")
        with stores.analytic(read_only=True) as same:
            assert same.execute("SELECT count(*) FROM loads").fetchone() == (1,)
    assert read_once()[0] == 1


def test_a_writer_that_died_before_publishing_is_published_by_the_next_reader(home):
    assert read_once()[0] == 0
    # As if a writer committed and was killed before it could publish: the store is ahead of
    # the last snapshot, and nobody holds the write lock.
    with duckdb.connect(str(home / "analytic.duckdb")) as store:
        store.execute("INSERT INTO loads VALUES (1, now()), (2, now())")
    assert read_once()[0] == 2


def test_readers_are_not_stopped_by_a_process_holding_the_store_open(home):
    with stores.analytic() as store:
        store.execute("INSERT INTO loads VALUES (1, now())")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys\n"
            "connection = duckdb.connect(sys.argv[1])\n"
            "connection.execute('BEGIN')\n"
            "connection.execute('DELETE FROM loads')\n"  # uncommitted: never to be seen
            "print('holding', flush=True)\n"
            "sys.stdin.read()\n",
            str(home / "analytic.duckdb"),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        # DuckDB refuses any other process the file itself while the holder has it open.
        with pytest.raises(duckdb.IOException, match="lock"):
            duckdb.connect(str(home / "analytic.duckdb"), read_only=True)
        assert read_once()[0] == 1
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=60)
        holder.stdout.close()


def test_the_enclave_snapshot_is_as_closely_held_as_the_enclave(home):
    with stores.enclave():
        pass
    (home / "enclave.duckdb").chmod(0o600)
    with stores.enclave() as vault:
        vault.execute("CHECKPOINT")
        vault.execute("CREATE TABLE IF NOT EXISTS touched (n INTEGER)")
    with stores.enclave(read_only=True) as vault:
        assert vault.execute("SELECT count(*) FROM touched").fetchone() == (0,)
    folder = snapshots.folder(home / "enclave.duckdb")
    current = json.loads((folder / "enclave.current.json").read_text())["file"]
    assert stat.S_IMODE((folder / current).stat().st_mode) == 0o600
    with stores.enclave() as vault:
        vault.execute("CREATE TABLE touched_again (n INTEGER)")
    # Three published (made; mode changed and a table added; another table); the oldest is gone.
    assert sorted(p.name for p in folder.glob("enclave.*.duckdb")) == [
        "enclave.2.duckdb",
        "enclave.3.duckdb",
    ]


def test_a_store_removed_is_read_as_a_new_empty_store_not_as_its_last_snapshot(home):
    with stores.analytic() as store:
        store.execute("INSERT INTO loads VALUES (1, now())")
    assert read_once()[0] == 1
    (home / "analytic.duckdb").unlink()  # as a restore into an empty home, or a test, does
    assert read_once() == (0, 0, 0, 0)
