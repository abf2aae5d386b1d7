"""A retention run killed at each commit boundary of its one write of both stores (issue 16, ADR
0028): a real `placewise retention apply` process that leaves through os._exit there
(PLACEWISE_CRASH_AT), as kill -9 would. After recovery the stores are as before or as after the
run, what it deleted is in the audit log exactly when it is gone from the stores, the audit chain
verifies, and running it again finishes it."""

import csv
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from placewise.store.stores import CRASH_EXIT
from tests.integration.sources.processes import TRUST, ingest, organisation, placewise
from tests.integration.sources.test_crash_recovery import audit_verifies, pending
from tests.integration.sources.test_retention import by_the_rule

pytestmark = pytest.mark.slow

SOURCE = "northshire_health"
TABLES = {
    "analytic": ("events", "replaced_events", "records", "replaced_records"),
    "enclave": ("identities", "replaced_identities"),
}
# No agreement shares the trust's source here: the place's default, seven years.
DEFAULT_DAYS = 7 * 365


def every_row(home: Path) -> dict[str, list[dict]]:
    """Every row of the tables retention deletes from, read from the files past our own code."""
    found = {}
    for store, names in TABLES.items():
        with duckdb.connect(str(home / f"{store}.duckdb"), read_only=True) as db:
            for name in names:
                result = db.execute(f"SELECT * FROM {name}")  # nosec B608  # fixed names
                columns = [c[0] for c in result.description]
                rows = [dict(zip(columns, row, strict=True)) for row in result.fetchall()]
                found[f"{store}.{name}"] = sorted(rows, key=repr)
    return found


def purges(home: Path) -> list[tuple[str, int]]:
    """The retention.purge audit entries: source and events deleted, from the home's database."""
    with sqlite3.connect(home / "placewise.sqlite3") as db:
        return db.execute(
            "SELECT target, json_extract(detail, '$.events') FROM sharing_auditentry "
            "WHERE action = 'retention.purge' ORDER BY seq"
        ).fetchall()


@pytest.fixture
def loaded(new_home, small_place) -> tuple[Path, date, int]:
    """The trust's A&E attendances loaded; a day on which the earlier half of them is past
    retention; and how many attendances that is, counted from the file."""
    trust_file = small_place / "partners" / "health_ae_attendances.csv"
    home = new_home("retained", organisation(TRUST, "nhs"), ingest(trust_file))
    with trust_file.open() as handle:
        days = sorted(date.fromisoformat(r["AttendanceDate"]) for r in csv.DictReader(handle))
    cutoff = days[len(days) // 2]
    old = sum(1 for day in days if day < cutoff)
    assert 0 < old < len(days)
    return home, cutoff + timedelta(days=DEFAULT_DAYS), old


@pytest.mark.parametrize(
    "point",
    [
        "enclave-committed",  # between the stores' commits
        "analytic-committed",  # after the commit point, the before image still kept
        "retention-committed",  # after the stores' write, before its audit entries
    ],
)
def test_a_retention_run_killed_at_a_commit_boundary_leaves_before_or_after(loaded, point):
    home, today, old = loaded
    before = every_row(home)
    after = by_the_rule(before, {SOURCE: today - timedelta(days=DEFAULT_DAYS)})
    assert len(before["analytic.events"]) - len(after["analytic.events"]) == old
    assert 0 < len(after["enclave.identities"]) < len(before["enclave.identities"])
    apply = ("retention", "apply", "--today", today.isoformat())

    crashed = placewise(home, *apply, crash_at=point)
    assert crashed.returncode == CRASH_EXIT, crashed.stdout + crashed.stderr
    assert purges(home) == []
    if point == "enclave-committed":
        between = every_row(home)
        assert between["enclave.identities"] == after["enclave.identities"]
        assert between["analytic.events"] == before["analytic.events"]

    recovered = placewise(home, "recover")
    assert recovered.returncode == 0, recovered.stderr
    committed = point != "enclave-committed"
    assert every_row(home) == (after if committed else before)
    assert pending(home) == {}
    # The deletions are in the audit log exactly when they are gone from the stores.
    assert purges(home) == ([(SOURCE, old)] if committed else [])
    said = (
        f"a retention run stopped after its deletions committed: its deletions from {SOURCE} "
        "are now in the audit log"
        if committed
        else "a retention run that stopped before it committed was undone"
    )
    assert said in recovered.stdout
    assert audit_verifies(home)

    again = placewise(home, *apply)
    assert again.returncode == 0, again.stdout + again.stderr
    assert every_row(home) == after
    assert purges(home) == [(SOURCE, old)]  # audited once
    assert pending(home) == {}
    assert audit_verifies(home)
