"""A load that dies at either commit boundary (issue 12, defects 4 and 5), crashed there on
purpose: PLACEWISE_CRASH_AT makes the process leave through os._exit at that point, skipping
every cleanup, as kill -9 would. Each command is a real `placewise` process with its own home."""

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from placewise.store.stores import CRASH_EXIT

# Each test runs the command line several times in processes of its own, one killed on purpose.
pytestmark = pytest.mark.slow

TRUST = "Northshire NHS Foundation Trust"


def placewise(home: Path, *args: str, crash_at: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "PLACEWISE_CRASH_AT"}}
    env["PLACEWISE_HOME"] = str(home)
    if crash_at:
        env["PLACEWISE_CRASH_AT"] = crash_at
    return subprocess.run(
        [sys.executable, "-m", "placewise.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def status(home: Path) -> dict:
    result = placewise(home, "status", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def enclave_rows(home: Path) -> int:
    """Every identity row in the enclave file, committed or not (read past our own code)."""
    with duckdb.connect(str(home / "enclave.duckdb"), read_only=True) as vault:
        return vault.execute("SELECT count(*) FROM identities").fetchone()[0]


def analytic_events(home: Path) -> int:
    with duckdb.connect(str(home / "analytic.duckdb"), read_only=True) as store:
        return store.execute("SELECT count(*) FROM events").fetchone()[0]


@pytest.fixture
def trust_file(small_place) -> Path:
    return small_place / "partners" / "health_ae_attendances.csv"


def new_home(tmp_path: Path, name: str) -> Path:
    home = tmp_path / name
    result = placewise(home, "organisation", "add", "--name", TRUST, "--kind", "nhs")
    assert result.returncode == 0, result.stderr
    return home


@pytest.fixture
def clean_load(tmp_path, trust_file) -> dict:
    """The same file loaded once with no crash: what a recovered place must look like."""
    home = new_home(tmp_path, "clean")
    assert placewise(home, "ingest", "--no-dfe", "--quiet", str(trust_file)).returncode == 0
    return {"identities": enclave_rows(home), "events": analytic_events(home)}


def test_a_crash_after_the_enclave_commit_leaves_no_identities_in_use(
    tmp_path, trust_file, clean_load
):
    home = new_home(tmp_path, "crashed")
    crashed = placewise(
        home, "ingest", "--no-dfe", "--quiet", str(trust_file), crash_at="enclave-committed"
    )
    assert crashed.returncode == CRASH_EXIT, crashed.stderr
    # The dead load's identities are in the enclave file, but nothing counts them ...
    assert enclave_rows(home) == clean_load["identities"] > 0
    report = status(home)
    assert report["stores"]["enclave"]["identities"] == 0
    assert [load["status"] for load in report["loads"]] == ["staging"]

    # ... and recovery removes them and says what it did.
    recovered = placewise(home, "recover")
    assert recovered.returncode == 0, recovered.stderr
    assert f"{clean_load['identities']:,} identities no committed load owns removed" in (
        recovered.stdout
    )
    assert "before the load committed" in recovered.stdout
    assert enclave_rows(home) == 0
    assert [load["status"] for load in status(home)["loads"]] == ["failed"]

    # Loading the file again loads it once.
    again = placewise(home, "ingest", "--no-dfe", "--quiet", str(trust_file))
    assert again.returncode == 0, again.stdout
    assert enclave_rows(home) == clean_load["identities"]
    assert analytic_events(home) == clean_load["events"]


def test_the_next_ingest_recovers_by_itself(tmp_path, trust_file, clean_load, small_place):
    home = new_home(tmp_path, "crashed")
    placewise(home, "ingest", "--no-dfe", "--quiet", str(trust_file), crash_at="enclave-committed")
    other = small_place / "partners" / "health_visiting_contacts.csv"
    assert placewise(home, "ingest", "--no-dfe", "--quiet", str(other)).returncode == 0
    loads = status(home)["loads"]
    assert [(load["file_name"], load["status"]) for load in loads] == [
        ("health_ae_attendances.csv", "failed"),
        ("health_visiting_contacts.csv", "loaded"),
    ]
    # Only the second file's identities remain: the first's were removed before it committed.
    fresh = new_home(tmp_path, "only-other")
    placewise(fresh, "ingest", "--no-dfe", "--quiet", str(other))
    assert enclave_rows(home) == enclave_rows(fresh)


def test_a_crash_after_the_analytic_commit_does_not_double_the_file(
    tmp_path, trust_file, clean_load
):
    home = new_home(tmp_path, "crashed")
    crashed = placewise(
        home, "ingest", "--no-dfe", "--quiet", str(trust_file), crash_at="analytic-committed"
    )
    assert crashed.returncode == CRASH_EXIT, crashed.stderr
    assert analytic_events(home) == clean_load["events"]
    assert [load["status"] for load in status(home)["loads"]] == ["staging"]

    again = placewise(home, "ingest", "--no-dfe", "--quiet", str(trust_file))
    assert again.returncode == 0, again.stdout
    assert "already loaded as load 1" in again.stdout
    assert analytic_events(home) == clean_load["events"]
    assert enclave_rows(home) == clean_load["identities"]
    loads = status(home)["loads"]
    assert [load["status"] for load in loads] == ["loaded"]
    assert loads[0]["rows_loaded"] > 0


def test_linkage_never_links_a_dead_loads_identities(tmp_path, trust_file, clean_load):
    home = new_home(tmp_path, "crashed")
    placewise(home, "ingest", "--no-dfe", "--quiet", str(trust_file), crash_at="enclave-committed")
    assert (
        enclave_rows(home) == clean_load["identities"] >= 50
    )  # enough to train on, were they used
    linked = placewise(home, "link", "--quiet")
    assert linked.returncode == 1
    assert "0 source records loaded" in linked.stdout
    assert enclave_rows(home) == 0
