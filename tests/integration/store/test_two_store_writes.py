"""Writes of both stores other than a load (a linkage run's links, an opt-out's removal) are one
unit, as a load is (stores.replace, docs/adr/0028): each test injects a failure or a crash at the
point between the enclave's commit and the analytic store's, and checks that the stores end as
before or as after, never between. A crash is simulated in this process by raising, at the
commit boundary, an exception that nothing catches (BaseException, as os._exit would leave it);
tests/integration/sources/test_crash_recovery.py kills real processes there."""

from datetime import UTC, datetime

import pyarrow as pa
import pytest

from placewise.cli import main
from placewise.sharing import actors
from placewise.sharing.models import AuditEntry
from placewise.sources import recovery
from placewise.store import forget, stores


class Crash(BaseException):
    """The process dies here: nothing catches it, as nothing catches os._exit."""


def crash_at(monkeypatch: pytest.MonkeyPatch, point: str) -> None:
    def boundary(name: str) -> None:
        if name == point:
            raise Crash(name)

    monkeypatch.setattr(stores, "_boundary", boundary)


LINKED_AT = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def links(*rows: tuple[str, str, int]) -> pa.Table:
    return pa.table(
        {
            "token": [r[0] for r in rows],
            "person_key": [r[1] for r in rows],
            "cluster_size": pa.array([r[2] for r in rows], pa.int32()),
            "match_probability": pa.array([0.9] * len(rows), pa.float64()),
            "linked_at": pa.array([LINKED_AT] * len(rows), pa.timestamp("us", tz="UTC")),
        }
    )


# The last run: t1 and t2 are one person. The next: t1, t2 and t3 are.
FIRST = links(("t1", "p1", 2), ("t2", "p1", 2))
SECOND = links(("t1", "p9", 3), ("t2", "p9", 3), ("t3", "p9", 3))


def link(rows: pa.Table) -> dict[str, int]:
    whole = [stores.Replace("person_links", rows=rows)]
    with stores.load_lock():
        return stores.replace(kind="link", in_enclave=whole, in_analytic=whole)


def rows(store: str, table: str) -> list[tuple[object, ...]]:
    opened = stores.enclave() if store == "enclave" else stores.analytic()
    with opened as connection:
        found = connection.execute(f"SELECT * FROM {table}").fetchall()  # nosec B608
    return sorted(map(tuple, found), key=repr)


def person_links() -> dict[str, list[tuple[object, ...]]]:
    """Token, person and cluster size of every link, in each store."""
    return {
        store: [r[:3] for r in rows(store, "person_links")] for store in ("enclave", "analytic")
    }


def pending() -> dict[str, int]:
    """What the enclave keeps of a write that may not have committed: its journal and the
    before image of each table."""
    tables = ("commit_journal", *(f"undo_{t}" for t in stores.UNDOABLE))
    return {t: n for t in tables if (n := len(rows("enclave", t)))}


def test_a_linkage_run_is_written_to_both_stores(fresh_stores):
    assert link(FIRST) == {"enclave.person_links": 0, "analytic.person_links": 0}
    assert link(SECOND) == {"enclave.person_links": 2, "analytic.person_links": 2}
    three = [("t1", "p9", 3), ("t2", "p9", 3), ("t3", "p9", 3)]
    assert person_links() == {"enclave": three, "analytic": three}
    assert pending() == {}
    # The commit record holds the last write of each kind: the second run.
    assert [r[:2] for r in rows("analytic", "commits")] == [("link", 2)]


def test_links_that_fail_to_commit_in_the_analytic_store_are_taken_back(fresh_stores):
    link(FIRST)
    before = {s: rows(s, "person_links") for s in ("enclave", "analytic")}
    # The analytic part fails after the enclave's has committed: its second table is not there.
    failing = [stores.Replace("person_links", rows=SECOND), stores.Replace("no_such_table")]
    with stores.load_lock(), pytest.raises(ValueError, match="no table no_such_table"):
        stores.replace(
            kind="link",
            in_enclave=[stores.Replace("person_links", rows=SECOND)],
            in_analytic=failing,
        )
    assert {s: rows(s, "person_links") for s in ("enclave", "analytic")} == before
    assert pending() == {}
    assert [r[:2] for r in rows("analytic", "commits")] == [("link", 1)]


def test_a_linkage_run_that_dies_between_the_stores_is_undone_by_recovery(
    fresh_stores, monkeypatch
):
    link(FIRST)
    before = {s: rows(s, "person_links") for s in ("enclave", "analytic")}
    crash_at(monkeypatch, "enclave-committed")
    with pytest.raises(Crash):
        link(SECOND)
    # The enclave has the new links and the analytic store the old: what the bench found.
    assert len(rows("enclave", "person_links")) == 3
    assert rows("analytic", "person_links") == before["analytic"]
    assert pending() == {"commit_journal": 1, "undo_person_links": 2}

    recovered = stores.recover()
    assert recovered.writes_undone == ("link",)
    # Exactly as before, to the time each link was made.
    assert {s: rows(s, "person_links") for s in ("enclave", "analytic")} == before
    assert pending() == {}

    monkeypatch.undo()
    link(SECOND)  # the retry succeeds, and takes the number the dead run never committed
    three = [("t1", "p9", 3), ("t2", "p9", 3), ("t3", "p9", 3)]
    assert person_links() == {"enclave": three, "analytic": three}
    assert [r[:2] for r in rows("analytic", "commits")] == [("link", 2)]


def test_a_linkage_run_that_dies_after_its_commit_point_stands(fresh_stores, monkeypatch):
    link(FIRST)
    crash_at(monkeypatch, "analytic-committed")
    with pytest.raises(Crash):
        link(SECOND)
    three = [("t1", "p9", 3), ("t2", "p9", 3), ("t3", "p9", 3)]
    assert person_links() == {"enclave": three, "analytic": three}
    assert pending() == {"commit_journal": 1, "undo_person_links": 2}  # not yet let go
    assert stores.recover().writes_undone == ()
    assert person_links() == {"enclave": three, "analytic": three}
    assert pending() == {}


def test_the_enclave_part_may_change_only_the_tables_it_can_undo(fresh_stores):
    with (
        stores.load_lock(),
        pytest.raises(ValueError, match=r"may change only .* each at most once"),
    ):
        stores.replace(kind="x", in_enclave=[stores.Replace("records")], in_analytic=[])
    with stores.load_lock(), pytest.raises(ValueError, match="at most once"):
        stores.replace(
            kind="x",
            in_enclave=[stores.Replace("person_links"), stores.Replace("person_links")],
            in_analytic=[],
        )
    assert rows("analytic", "commits") == [] and pending() == {}


# --- an opt-out's removal ------------------------------------------------------------------


def seed_two_records(fresh_stores) -> None:
    """Two committed records of one source, r1 (token t1) and r2 (t2): an identity each, one
    replaced identity of t1, a record and two events each, and their links in both stores."""
    with stores.analytic() as store:
        store.execute("INSERT INTO loads VALUES (1, now()), (2, now())")
        for token in ("t1", "t2"):
            store.execute(
                "INSERT INTO records (token, source, load_id) VALUES (?, 's', 1)", [token]
            )
            for kind in ("contact", "referral"):
                store.execute(
                    "INSERT INTO events (token, source, origin, kind, natural_key, load_id) "
                    "VALUES (?, 's', 'o', ?, ? || ?, 1)",
                    [token, kind, token, kind],
                )
    with stores.enclave() as vault:
        for token, record in (("t1", "r1"), ("t2", "r2")):
            vault.execute(
                "INSERT INTO identities (token, source, record_id, given_name, load_id) "
                "VALUES (?, 's', ?, 'Amy', 2)",
                [token, record],
            )
        vault.execute(
            "INSERT INTO replaced_identities (token, source, record_id, given_name, load_id, "
            "replaced_by) VALUES ('t1', 's', 'r1', 'Amie', 1, 2)"
        )
    link(FIRST)


FORGOTTEN_FROM = (
    ("enclave", (*forget.ENCLAVE_TABLES, "person_links")),
    ("analytic", (*forget.ANALYTIC_TABLES, "person_links")),
)


def everything() -> dict[str, list[tuple[object, ...]]]:
    return {
        f"{store}.{table}": rows(store, table)
        for store, tables in FORGOTTEN_FROM
        for table in tables
    }


@pytest.mark.django_db  # the review queue drops its pairs of the token
def test_an_opt_out_removes_one_records_rows_from_both_stores(fresh_stores):
    seed_two_records(fresh_stores)
    removed = forget.forget(source="s", token="t1")
    # t1's identity and the one it replaced, its record and two events, a link in each store.
    assert removed.rows == {
        "identities": 1,
        "replaced_identities": 1,
        "events": 2,
        "replaced_events": 0,
        "records": 1,
        "replaced_records": 0,
        "person_links": 2,
    }
    left = {table: {r[0] for r in held} for table, held in everything().items()}
    assert left == {
        "enclave.identities": {"t2"},
        "enclave.replaced_identities": set(),
        "enclave.person_links": {"t2"},
        "analytic.events": {"t2"},
        "analytic.replaced_events": set(),
        "analytic.records": {"t2"},
        "analytic.replaced_records": set(),
        "analytic.person_links": {"t2"},
    }
    assert pending() == {}  # the removed identifiers are not kept as a before image


@pytest.mark.django_db  # the review queue drops its pairs of the token
def test_an_opt_out_that_dies_between_the_stores_is_undone_by_recovery(fresh_stores, monkeypatch):
    seed_two_records(fresh_stores)
    before = everything()
    crash_at(monkeypatch, "enclave-committed")
    with pytest.raises(Crash):
        forget.forget(source="s", token="t1")
    # The identities went, the events did not: neither before nor after, until recovered.
    assert len(rows("enclave", "identities")) == 1 and len(rows("analytic", "events")) == 4
    assert stores.recover().writes_undone == ("forget",)
    assert everything() == before
    assert pending() == {}
    monkeypatch.undo()
    assert forget.forget(source="s", token="t1").total == 7


@pytest.mark.django_db  # the review queue drops its pairs of the token
def test_an_opt_out_that_fails_in_the_analytic_store_is_taken_back(fresh_stores, monkeypatch):
    seed_two_records(fresh_stores)
    before = everything()
    monkeypatch.setattr(forget, "ANALYTIC_TABLES", (*forget.ANALYTIC_TABLES, "no_such_table"))
    with pytest.raises(ValueError, match="no table no_such_table"):
        forget.forget(source="s", token="t1")
    assert everything() == before
    assert pending() == {}


@pytest.mark.django_db  # the review queue drops its pairs of the token
def test_the_next_opt_out_puts_back_what_one_that_died_removed(fresh_stores, monkeypatch):
    """No recovery between them (an opt-out does not run one): the second settles the first."""
    seed_two_records(fresh_stores)
    crash_at(monkeypatch, "enclave-committed")
    with pytest.raises(Crash):
        forget.forget(source="s", token="t1")
    monkeypatch.undo()
    forget.forget(source="s", token="t2")
    left = {table: {r[0] for r in held} for table, held in everything().items()}
    assert left["enclave.identities"] == left["analytic.records"] == {"t1"}
    assert left["enclave.replaced_identities"] == {"t1"}  # Amie, put back
    assert left["enclave.person_links"] == left["analytic.person_links"] == {"t1"}
    assert pending() == {}


# --- recovery says what it undid ----------------------------------------------------------


@pytest.mark.django_db
def test_recovery_audits_a_linkage_run_it_undid_and_the_command_says_so(
    fresh_stores, monkeypatch, capsys
):
    link(FIRST)
    crash_at(monkeypatch, "enclave-committed")
    with pytest.raises(Crash):
        link(SECOND)
    monkeypatch.undo()

    assert main(["recover"]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed == [
        "recovered: a linkage run that stopped before it committed was undone: the links of the "
        "run before it stand in both stores; run the linkage again",
        "recovered: 0 identities no committed load owns removed; 0 interrupted loads settled",
    ]
    two = [("t1", "p1", 2), ("t2", "p1", 2)]
    assert person_links() == {"enclave": two, "analytic": two}
    (entry,) = AuditEntry.objects.filter(action="store.recover")
    assert entry.actor.startswith("cli:") and entry.target == "enclave"
    assert entry.detail == {"write": "link"}
    assert entry.reason.startswith("a linkage run that stopped before it committed was undone")

    # Nothing left to undo: a second recovery audits nothing more and says only the counts.
    assert main(["recover"]) == 0
    assert "undone" not in capsys.readouterr().out
    assert AuditEntry.objects.filter(action="store.recover").count() == 1


@pytest.mark.django_db  # the review queue drops its pairs of the token
def test_recovery_audits_an_opt_out_it_put_back(fresh_stores, monkeypatch):
    seed_two_records(fresh_stores)
    crash_at(monkeypatch, "enclave-committed")
    with pytest.raises(Crash):
        forget.forget(source="s", token="t1")
    monkeypatch.undo()

    assert recovery.recover(by=actors.command_line()).writes_undone == ("forget",)
    (entry,) = AuditEntry.objects.filter(action="store.recover")
    assert entry.actor == actors.command_line().get_username() and entry.detail == {
        "write": "forget"
    }
    assert entry.reason == (
        "an opt-out's removal from the stores that stopped before it committed was undone: the "
        "record's rows stand in both stores as they were before it, until the opt-out's removal "
        "is finished"
    )
    assert AuditEntry.objects.filter(action="load.recover").count() == 0  # no load was touched
