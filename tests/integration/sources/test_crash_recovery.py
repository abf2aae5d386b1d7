"""A load that dies at either commit boundary (issue 12, defects 4 and 5), and a linkage run or an
opt-out that does (issue 16, ADR 0028), crashed there on purpose: PLACEWISE_CRASH_AT makes the
process leave through os._exit at that point, skipping every cleanup, as kill -9 would. Each
command is a real `placewise` process with its own home."""

import json
import shutil
import sqlite3
from pathlib import Path

import duckdb
import pytest

from placewise.store.stores import CRASH_EXIT
from tests.integration.sources.processes import (
    COUNCIL,
    TRUST,
    ingest,
    organisation,
    placewise,
)

# Each test runs the command line several times in processes of its own, one killed on purpose.
pytestmark = pytest.mark.slow


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


@pytest.fixture
def clean_load(new_home, trust_file) -> dict:
    """The same file loaded once with no crash: what a recovered place must look like."""
    home = new_home("clean", organisation(TRUST, "nhs"), ingest(trust_file))
    return {"identities": enclave_rows(home), "events": analytic_events(home)}


def test_a_crash_after_the_enclave_commit_leaves_no_identities_in_use(
    new_home, trust_file, clean_load
):
    home = new_home("crashed")
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


def test_the_next_ingest_recovers_by_itself(new_home, trust_file, clean_load, small_place):
    home = new_home("crashed")
    placewise(home, "ingest", "--no-dfe", "--quiet", str(trust_file), crash_at="enclave-committed")
    other = small_place / "partners" / "health_visiting_contacts.csv"
    assert placewise(home, "ingest", "--no-dfe", "--quiet", str(other)).returncode == 0
    loads = status(home)["loads"]
    assert [(load["file_name"], load["status"]) for load in loads] == [
        ("health_ae_attendances.csv", "failed"),
        ("health_visiting_contacts.csv", "loaded"),
    ]
    # Only the second file's identities remain: the first's were removed before it committed.
    fresh = new_home("only-other", organisation(TRUST, "nhs"), ingest(other))
    assert enclave_rows(home) == enclave_rows(fresh)


def test_a_crash_after_the_analytic_commit_does_not_double_the_file(
    new_home, trust_file, clean_load
):
    home = new_home("crashed")
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


def test_linkage_never_links_a_dead_loads_identities(new_home, trust_file, clean_load):
    home = new_home("crashed")
    placewise(home, "ingest", "--no-dfe", "--quiet", str(trust_file), crash_at="enclave-committed")
    assert (
        enclave_rows(home) == clean_load["identities"] >= 50
    )  # enough to train on, were they used
    linked = placewise(home, "link", "--quiet")
    assert linked.returncode == 1
    assert "0 source records loaded" in linked.stdout
    assert enclave_rows(home) == 0


# --- A linkage run and an opt-out write both stores too (issue 16): the same commit point ---


def table(home: Path, store: str, name: str) -> list[tuple]:
    """Every row of a table as it is in the file (read past our own code)."""
    with duckdb.connect(str(home / f"{store}.duckdb"), read_only=True) as db:
        return sorted(map(tuple, db.execute(f"SELECT * FROM {name}").fetchall()), key=repr)  # nosec B608


def pending(home: Path) -> dict[str, int]:
    """The enclave's journal of a write that may not have committed, and its before images."""
    names = ("commit_journal", "undo_identities", "undo_replaced_identities", "undo_person_links")
    return {name: n for name in names if (n := len(table(home, "enclave", name)))}


def audit_verifies(home: Path) -> bool:
    return placewise(home, "audit", "verify").returncode == 0


@pytest.fixture
def council_linked(new_home, small_place, trust_file) -> Path:
    """The council's people and the trust's A&E attendances loaded and linked once; the health
    visiting contacts loaded after, not yet linked."""
    people = small_place / "council" / "case_system_people.csv"
    visits = small_place / "partners" / "health_visiting_contacts.csv"
    setting_up = (
        organisation(TRUST, "nhs"),
        organisation(COUNCIL, "council_childrens_services"),
        ingest(people, trust_file),
        ("link", "--quiet"),
    )
    linked = new_home("linked", *setting_up)
    assert len(table(linked, "enclave", "person_links")) == enclave_rows(linked)
    return new_home("linked-then-visits", *setting_up, ingest(visits))


def test_a_linkage_run_that_dies_between_the_stores_leaves_the_last_runs_links(council_linked):
    home = council_linked
    before = {s: table(home, s, "person_links") for s in ("enclave", "analytic")}
    assert before["enclave"] == before["analytic"] and len(before["enclave"]) < enclave_rows(home)

    crashed = placewise(home, "link", "--quiet", crash_at="enclave-committed")
    assert crashed.returncode == CRASH_EXIT, crashed.stdout + crashed.stderr
    # Killed between the stores' commits: the enclave has this run's links (one per source
    # record, the trust's too), the analytic store the last run's.
    assert len(table(home, "enclave", "person_links")) == enclave_rows(home)
    assert table(home, "analytic", "person_links") == before["analytic"]

    recovered = placewise(home, "recover")
    assert recovered.returncode == 0, recovered.stderr
    # Exactly as before, in both stores, to the time each link was made.
    assert {s: table(home, s, "person_links") for s in ("enclave", "analytic")} == before
    assert pending(home) == {}
    assert audit_verifies(home)

    again = placewise(home, "link", "--quiet")
    assert again.returncode == 0, again.stdout + again.stderr
    after = {s: table(home, s, "person_links") for s in ("enclave", "analytic")}
    assert after["enclave"] == after["analytic"]
    assert len(after["enclave"]) == enclave_rows(home)
    assert pending(home) == {}


def linkage_reports(home: Path) -> list[tuple]:
    """Each linkage run's report above the stores (records, people, whether it was recorded by
    recovery) and its pairs waiting for review, read from the home's database past our code."""
    with sqlite3.connect(home / "placewise.sqlite3") as db:
        runs = db.execute("SELECT id, records, people FROM linkage_linkagerun ORDER BY id")
        return [
            (
                records,
                people,
                db.execute(
                    "SELECT reason LIKE '%recovery recorded it' FROM sharing_auditentry "
                    "WHERE action = 'linkage.run' AND json_extract(detail, '$.write') = ?",
                    [n + 1],
                ).fetchall(),
                db.execute(
                    "SELECT count(*) FROM linkage_pairreview WHERE run_id = ? "
                    "AND decision = 'pending'",
                    [pk],
                ).fetchone()[0],
            )
            for n, (pk, records, people) in enumerate(runs.fetchall())
        ]


def link_noted(home: Path) -> bool:
    """Whether the last linkage run's note is still in the stores' commit record."""
    [(note,)] = [row[3:4] for row in table(home, "analytic", "commits") if row[0] == "link"]
    return note is not None


def test_a_linkage_run_that_dies_after_its_commit_point_stands(council_linked, tmp_path):
    home = council_linked
    # The report the same run writes when nothing stops it, in a copy of the same home.
    clean = shutil.copytree(home, tmp_path / "clean-run")
    assert placewise(clean, "link", "--quiet").returncode == 0
    clean_report = linkage_reports(clean)[-1]
    last = len(table(home, "enclave", "person_links"))
    first_run = linkage_reports(home)
    assert [audited for _, _, audited, _ in first_run] == [[(0,)]]  # the run made, not recovered
    crashed = placewise(home, "link", "--quiet", crash_at="analytic-committed")
    assert crashed.returncode == CRASH_EXIT, crashed.stdout + crashed.stderr
    after = {s: table(home, s, "person_links") for s in ("enclave", "analytic")}
    assert after["enclave"] == after["analytic"] and len(after["enclave"]) == enclave_rows(home)
    # The last run's links are still kept as the before image, until recovery lets them go.
    assert pending(home) == {"commit_journal": 1, "undo_person_links": last}
    # Its links are in use, but nothing above the stores says how they were made ...
    assert linkage_reports(home) == first_run
    assert link_noted(home)  # ... but what the report would say is noted with them

    # ... until recovery records its report, from what the run noted with its links.
    recovered = placewise(home, "recover")
    assert recovered.returncode == 0, recovered.stderr
    assert "a linkage run stopped after its links committed: its report" in recovered.stdout
    assert {s: table(home, s, "person_links") for s in ("enclave", "analytic")} == after
    assert pending(home) == {}
    people = len({row[1] for row in after["analytic"]})
    reports = linkage_reports(home)
    assert reports[:-1] == [(*first_run[0][:3], 0)]  # its queue replaced by the new run's
    records, linked_people, audited, queue = reports[-1]
    assert (records, linked_people, audited) == (len(after["enclave"]), people, [(1,)])
    # What the clean run recorded, its pairs for review too, but said to be recovery's.
    assert (records, linked_people, queue) == (*clean_report[:2], clean_report[3])
    assert clean_report[2] == [(0,)]
    # Recorded, the note goes: its pairs for review are named by token (opt-outs, re-keying).
    assert not link_noted(home) and not link_noted(clean)
    assert audit_verifies(home)

    # Once: recovery again records nothing, and the next run is recorded by itself.
    assert "linkage" not in placewise(home, "recover").stdout
    assert linkage_reports(home) == reports
    assert placewise(home, "link", "--quiet").returncode == 0
    assert [audited for _, _, audited, _ in linkage_reports(home)] == [[(0,)], [(1,)], [(0,)]]


def a_trust_record(home: Path) -> tuple[str, str]:
    """The token and record ID of one of the trust's records."""
    token, _, reference, *_ = table(home, "enclave", "identities")[0]
    return token, reference


def rows_of(home: Path, token: str) -> dict[str, list[tuple]]:
    """Every row of the token in each table an opt-out takes it from."""
    found = {}
    for store, names in (
        ("enclave", ("identities", "replaced_identities", "person_links")),
        ("analytic", ("records", "events", "replaced_records", "replaced_events", "person_links")),
    ):
        for name in names:
            found[f"{store}.{name}"] = [r for r in table(home, store, name) if r[0] == token]
    return found


def operational_record(home: Path) -> dict[str, list[tuple]]:
    """The opt-out register (source, token, whether its removal finished) and the opt-out audit
    entries (action, target), read from the home's database past our own code."""
    with sqlite3.connect(home / "placewise.sqlite3") as db:
        return {
            "register": db.execute(
                "SELECT source, token, removed_at IS NOT NULL FROM sharing_optout"
            ).fetchall(),
            "audit": db.execute(
                "SELECT action, target FROM sharing_auditentry "
                "WHERE action LIKE 'optout.%' ORDER BY seq"
            ).fetchall(),
        }


def everyone_else(home: Path, token: str) -> dict[str, list[tuple]]:
    """Every row of the tables an opt-out takes the token from, but the token's own."""
    found = {}
    for store, names in (
        ("enclave", ("identities", "replaced_identities", "person_links")),
        ("analytic", ("records", "events", "replaced_records", "replaced_events", "person_links")),
    ):
        for name in names:
            found[f"{store}.{name}"] = [r for r in table(home, store, name) if r[0] != token]
    return found


@pytest.mark.parametrize(
    ("point", "gone_from"),
    [
        ("opt-out-registered", ()),  # after the register entry, before the stores were touched
        ("enclave-committed", ("enclave.",)),  # between the stores' commits
        ("analytic-committed", ("enclave.", "analytic.")),  # after the stores' commit point
    ],
)
def test_an_opt_out_that_dies_after_its_register_entry_is_finished_by_recovery(
    new_home, trust_file, point, gone_from
):
    """The register entry is the opt-out's commit point: once it has committed, recovery leaves
    the stores and the operational record as after the opt-out, whatever moment it died."""
    home = new_home("opted-out", organisation(TRUST, "nhs"), ingest(trust_file))
    token, reference = a_trust_record(home)
    before, others = rows_of(home, token), everyone_else(home, token)
    held = {name for name, rows in before.items() if rows}
    assert {"enclave.identities", "analytic.records", "analytic.events"} <= held
    assert operational_record(home) == {"register": [], "audit": []}
    optout = ("optout", "--source", "northshire_health", "--reference", reference)
    target = f"northshire_health/{token[:12]}"

    crashed = placewise(home, *optout, crash_at=point)
    assert crashed.returncode == CRASH_EXIT, crashed.stdout + crashed.stderr
    between = rows_of(home, token)
    assert {name for name in held if not between[name]} == {
        name for name in held if name.startswith(gone_from)
    }
    # On the register (so the next load holds the record back), its removal not finished.
    assert operational_record(home) == {
        "register": [("northshire_health", token, 0)],
        "audit": [("optout.add", target)],
    }

    recovered = placewise(home, "recover")
    assert recovered.returncode == 0, recovered.stderr
    assert (
        "recovered: 1 opt-out on the register whose removal from the stores had not finished: "
        "finished" in recovered.stdout
    )
    assert not any(rows_of(home, token).values())
    assert everyone_else(home, token) == others  # nobody else's rows moved
    assert operational_record(home) == {
        "register": [("northshire_health", token, 1)],
        "audit": [("optout.add", target), ("optout.remove", target)],
    }
    assert pending(home) == {}
    assert audit_verifies(home)

    # Nothing left to finish: recovery again changes nothing, and saying it again succeeds.
    assert "opt-out" not in placewise(home, "recover").stdout
    again = placewise(home, *optout)
    assert again.returncode == 0, again.stdout + again.stderr
    assert not any(rows_of(home, token).values())
    assert operational_record(home)["register"] == [("northshire_health", token, 1)]
    assert pending(home) == {}
    assert audit_verifies(home)


def test_the_next_load_finishes_an_interrupted_opt_out(new_home, trust_file, small_place):
    """A load recovers before it writes: the opt-out is finished first."""
    home = new_home("opted-out", organisation(TRUST, "nhs"), ingest(trust_file))
    token, reference = a_trust_record(home)
    optout = ("optout", "--source", "northshire_health", "--reference", reference)
    assert placewise(home, *optout, crash_at="opt-out-registered").returncode == CRASH_EXIT
    assert rows_of(home, token)["enclave.identities"]

    visits = small_place / "partners" / "health_visiting_contacts.csv"
    loaded = placewise(home, "ingest", "--no-dfe", "--quiet", str(visits))
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    assert not any(rows_of(home, token).values())
    assert operational_record(home)["register"] == [("northshire_health", token, 1)]
    assert audit_verifies(home)
