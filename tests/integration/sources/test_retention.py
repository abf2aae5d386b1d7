import csv
from datetime import date, timedelta

import pytest

from placewise.cli import main
from placewise.sharing import actors
from placewise.sharing.models import Agreement, AuditEntry
from placewise.sources import recovery, retention
from placewise.store import stores

pytestmark = pytest.mark.django_db


def events_by_source() -> dict[str, int]:
    with stores.analytic(read_only=True) as store:
        return dict(store.execute("SELECT source, count(*) FROM events GROUP BY source").fetchall())


def test_retention_deletes_what_is_past_it_and_records_what_it_deleted(
    shared_place, small_place, agreement, capsys
):
    Agreement.objects.filter(pk=agreement.pk).update(retention_days=365)
    today = date(2026, 3, 31)
    cutoff = today - timedelta(days=365)
    with (small_place / "partners" / "health_ae_attendances.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    old = sum(1 for r in rows if date.fromisoformat(r["AttendanceDate"]) < cutoff)
    assert 0 < old < len(rows)
    before = events_by_source()
    assert main(["retention", "apply", "--today", today.isoformat()]) == 0
    after = events_by_source()
    assert after["northshire_health"] == before["northshire_health"] - old
    entry = AuditEntry.objects.get(action="retention.purge", target="northshire_health")
    assert entry.detail["events"] == old
    # The police source is in no agreement: the place's 7-year default applies.
    assert "northshire_police: kept 2555 days" in capsys.readouterr().out
    with stores.analytic(read_only=True) as store, stores.enclave(read_only=True) as vault:
        kept = {
            r[0]
            for r in store.execute(
                "SELECT DISTINCT token FROM events WHERE source = 'northshire_health'"
            ).fetchall()
        }
        identities = {
            r[0]
            for r in vault.execute(
                "SELECT DISTINCT token FROM identities WHERE source = 'northshire_health'"
            ).fetchall()
        }
    assert identities == kept  # nobody's identifiers outlive their records


def test_an_agreement_past_its_end_is_marked_expired(shared_place, agreement):
    Agreement.objects.filter(pk=agreement.pk).update(ends_on=date(2026, 1, 1))
    assert main(["retention", "apply", "--today", "2026-03-31"]) == 0
    agreement.refresh_from_db()
    assert agreement.status == "expired"
    assert AuditEntry.objects.filter(action="agreement.expired").exists()


# --- one commit point for both stores (issue 16, ADR 0028) ---------------------------------


class Crash(BaseException):
    """The process dies here: nothing catches it, as nothing catches os._exit."""


TABLES = {
    "analytic": ("events", "replaced_events", "records", "replaced_records"),
    "enclave": ("identities", "replaced_identities"),
}


def every_row() -> dict[str, list[dict]]:
    """Every row of the tables retention deletes from, in both stores, as dicts."""
    found = {}
    for name, open_store in (("analytic", stores.analytic), ("enclave", stores.enclave)):
        with open_store() as store:
            for table in TABLES[name]:
                result = store.execute(f"SELECT * FROM {table}")  # nosec B608  # fixed names
                columns = [c[0] for c in result.description]
                rows = [dict(zip(columns, row, strict=True)) for row in result.fetchall()]
                found[f"{name}.{table}"] = sorted(rows, key=repr)
    return found


def by_the_rule(rows: dict[str, list[dict]], cutoffs: dict[str, date]) -> dict[str, list[dict]]:
    """What retention must leave, worked out here from the rule in its docstring: an event goes
    when it ended (or, with no end, started) before its source's cut-off; a record, its history
    and its identities go once none of its events is left."""

    def past(row: dict) -> bool:
        when = row["end_date"] or row["start_date"]
        return when is not None and when < cutoffs[row["source"]]

    kept_events = [r for r in rows["analytic.events"] if not past(r)]
    alive = {(r["source"], r["token"]) for r in kept_events}
    return {
        "analytic.events": kept_events,
        "analytic.replaced_events": [
            r
            for r in rows["analytic.replaced_events"]
            if not past(r) and (r["source"], r["token"]) in alive
        ],
        **{
            name: [r for r in rows[name] if (r["source"], r["token"]) in alive]
            for name in (
                "analytic.records",
                "analytic.replaced_records",
                "enclave.identities",
                "enclave.replaced_identities",
            )
        },
    }


@pytest.fixture
def due(shared_place, agreement) -> tuple[date, dict[str, list[dict]], dict[str, list[dict]]]:
    """A day on which a year's retention leaves part of the council's and the trust's data: the
    day, every row before, and every row after by the rule."""
    Agreement.objects.filter(pk=agreement.pk).update(retention_days=365)
    today = date(2026, 3, 31)
    shared = set(agreement.datasets.values_list("source", flat=True))
    before = every_row()
    sources = {r["source"] for r in before["analytic.events"]}
    assert shared and shared <= sources
    cutoffs = {
        source: today - timedelta(days=365 if source in shared else 7 * 365) for source in sources
    }
    after = by_the_rule(before, cutoffs)
    for name in ("analytic.events", "enclave.identities"):
        assert 0 < len(after[name]) < len(before[name]), name  # some go, some stay
    return today, before, after


def purges_said() -> dict[str, dict]:
    """Per source, the counts its retention.purge audit entries give (every entry's)."""
    said: dict[str, dict] = {}
    for entry in AuditEntry.objects.filter(action="retention.purge").order_by("seq"):
        assert entry.target not in said, f"{entry.target} audited twice"
        said[entry.target] = {k: entry.detail[k] for k in COUNTED}
    return said


COUNTED = ("events", "identities", "records", "replaced")


def gone(before: dict[str, list[dict]], after: dict[str, list[dict]]) -> dict[str, dict]:
    """Per source with anything deleted, what went, counted from the rows before and after."""

    def count(rows: dict[str, list[dict]], names: tuple[str, ...], source: str) -> int:
        return sum(1 for name in names for r in rows[name] if r["source"] == source)

    tables = {
        "events": ("analytic.events",),
        "identities": ("enclave.identities",),
        "records": ("analytic.records",),
        "replaced": (
            "analytic.replaced_events",
            "analytic.replaced_records",
            "enclave.replaced_identities",
        ),
    }
    sources = {r["source"] for rows in before.values() for r in rows}
    found = {
        source: {k: count(before, t, source) - count(after, t, source) for k, t in tables.items()}
        for source in sources
    }
    return {source: n for source, n in found.items() if any(n.values())}


def test_retention_leaves_what_the_rule_keeps_in_both_stores(due):
    today, before, after = due
    retention.apply(today=today, by=actors.command_line())
    assert every_row() == after
    assert pending() == {}
    assert purges_said() == gone(before, after)


@pytest.mark.parametrize(
    "point",
    [
        "enclave-committed",  # between the stores' commits
        "analytic-committed",  # after the commit point, the before image still kept
        "retention-committed",  # after the stores' write, before its audit entries
    ],
)
def test_retention_that_dies_at_a_commit_boundary_leaves_before_or_after(due, monkeypatch, point):
    today, before, after = due

    def boundary(name: str) -> None:
        if name == point:
            raise Crash(name)

    monkeypatch.setattr(stores, "_boundary", boundary)
    with pytest.raises(Crash):
        retention.apply(today=today, by=actors.command_line())
    monkeypatch.undo()
    if point == "enclave-committed":
        # Between the commits: the enclave as after, the analytic store as before.
        between = every_row()
        assert between["enclave.identities"] == after["enclave.identities"]
        assert between["analytic.events"] == before["analytic.events"]
    assert purges_said() == {}

    recovered = recovery.recover(by=actors.command_line())
    committed = point != "enclave-committed"
    assert recovered.writes_undone == (() if committed else ("retention",))
    assert every_row() == (after if committed else before)
    assert pending() == {}
    # Once the deletions are in the stores, they are in the audit log, with what went.
    assert purges_said() == (gone(before, after) if committed else {})
    if committed:
        assert sorted(recovered.retention_recorded) == sorted(gone(before, after))
        entry = AuditEntry.objects.filter(action="retention.purge").first()
        assert entry is not None and entry.reason.endswith("and recovery recorded them")
    assert recovery.recover(by=actors.command_line()).retention_recorded == ()  # recorded once

    retention.apply(today=today, by=actors.command_line())  # the retry finishes it
    assert every_row() == after
    assert pending() == {}
    assert purges_said() == gone(before, after)


def pending() -> dict[str, int]:
    """What the enclave keeps of a write through stores.replace that may not have committed."""
    with stores.enclave() as vault:
        return {
            table: n
            for table in ("commit_journal", *(f"undo_{t}" for t in stores.UNDOABLE))
            if (n := vault.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # nosec B608
        }
