"""Crashes, measured (issue 16, reliability): kill -9 at a random moment, then check.

Three kinds of run, each `--runs` times (20 by default), every one on a fresh copy of the same
loaded place:

- **ingest**: `placewise ingest` of a partner file, killed;
- **linkage**: `placewise link`, killed;
- **worker**: an upload queued as a job, and the worker process running it killed (the
  supervisor settles the job and starts a new worker);
- **optout**: `placewise optout` of one loaded record (its rows leave both stores), killed;
- **retention**: `placewise retention apply` on a day when part of every source is past the
  place's default retention, killed.

After each kill the place is recovered (`placewise recover`; the worker's supervisor does it
itself) and must be exactly as before or exactly as after a clean run: `placewise status --json`
(row counts and events held per source), a checksum of every table of both stores (columns
that number loads left out: a retried load has the next number), and the operational record of
an opt-out or a retention run: the opt-out register (and whether each removal finished) and the
audit entries `optout.add`, `optout.remove` and `retention.purge` (action and target). The audit
chain must verify (`placewise audit verify`), and a retry must succeed and leave the place
exactly as after.

    .venv/bin/python bench/crashes.py [--runs 20] [--children 400]
        [--kinds ingest linkage worker optout retention] [--earliest SECONDS]

Prints a tally per kind: runs, found as before, found as after, neither, audit verified, retried,
and how many kills landed in the middle of a write through stores.replace (its journal in the
enclave: a linkage run's links, an opt-out's removal or a retention run, between its enclave
commit and its settling) or, for an opt-out, after its register entry and before its removal
finished (`mid-opt-out`).
"""

import argparse
import contextlib
import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import duckdb

TRUST = "Northshire NHS Foundation Trust"
COUNCIL = "Northshire Council Children's Services"
# Columns that number a load, a run or a write, not what it holds: a retried load is the next
# number (commit_id: the last write of each kind through stores.replace, a linkage run's say).
NUMBERING = {"load_id", "replaced_by", "run_id", "superseded_by", "commit_id"}


def placewise(home: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["PLACEWISE_HOME"] = str(home)
    done = subprocess.run(
        [sys.executable, "-m", "placewise.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
        check=False,
    )
    if check and done.returncode != 0:
        raise RuntimeError(f"placewise {' '.join(args)}: {done.stdout}{done.stderr}")
    return done


def start(home: Path, *args: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["PLACEWISE_HOME"] = str(home)
    return subprocess.Popen(
        [sys.executable, "-m", "placewise.cli", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def django_snippet(home: Path, code: str) -> str:
    """Run Python with placewise's Django set up in `home`; what it prints."""
    prelude = "from placewise.cli import _django; _django()\n"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["PLACEWISE_HOME"] = str(home)
    done = subprocess.run(
        [sys.executable, "-c", prelude + code],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    return done.stdout.strip()


def state(home: Path) -> dict[str, object]:
    """What must be exactly as before or as after: the status report's stores and events held,
    and a checksum of every table of both stores."""
    report = json.loads(placewise(home, "status", "--json").stdout)
    sums: dict[str, str] = {}
    for name in ("analytic", "enclave"):
        with duckdb.connect(str(home / f"{name}.duckdb"), read_only=True) as db:
            tables = [r[0] for r in db.execute("SHOW TABLES").fetchall()]
            for table in sorted(tables):
                # When a row was written is not what it holds: a retry writes it later.
                columns = [
                    r[0]
                    for r in db.execute(f'DESCRIBE "{table}"').fetchall()
                    if r[0] not in NUMBERING and not str(r[1]).startswith("TIMESTAMP")
                ]
                if not columns:
                    continue
                listed = ", ".join(f'"{c}"' for c in columns)
                rows = db.execute(f'SELECT {listed} FROM "{table}"').fetchall()
                digest = hashlib.sha256()
                for row in sorted(repr(r) for r in rows):
                    digest.update(row.encode())
                sums[f"{name}.{table}"] = f"{len(rows)}:{digest.hexdigest()[:16]}"
    return {
        "stores": report["stores"],
        "events_held": report["events_held"],
        "tables": sums,
        "record": operational_record(home),
    }


def reported(home: Path) -> bool:
    """Whether the last linkage run whose links committed has its report above the stores: the
    audit entry naming its write (linkage/recorded.py)."""
    with duckdb.connect(str(home / "analytic.duckdb"), read_only=True) as db:
        last = db.execute("SELECT commit_id FROM commits WHERE kind = 'link'").fetchone()
    if last is None:
        return True
    with sqlite3.connect(home / "placewise.sqlite3") as db:
        (n,) = db.execute(
            "SELECT count(*) FROM sharing_auditentry WHERE action = 'linkage.run' "
            "AND json_extract(detail, '$.write') = ?",
            [last[0]],
        ).fetchone()
    return bool(n == 1)


# The audit entries that say what an opt-out or a retention run did (recovery's own entries,
# and a load's, are not the write's record).
RECORDED = ("optout.add", "optout.remove", "retention.purge")


def operational_record(home: Path) -> dict[str, list[tuple[object, ...]]]:
    """The opt-out register and the audit entries of opt-outs and retention, from the home's
    database: all there, or none, after a kill and recovery."""
    # Closed, not only left to the garbage collector: an open connection keeps SQLite's -shm
    # file, which would vanish under a copy of the home in progress.
    with contextlib.closing(sqlite3.connect(home / "placewise.sqlite3", timeout=30)) as db:
        register = db.execute(
            "SELECT source, token, removed_at IS NOT NULL FROM sharing_optout ORDER BY 1, 2"
        ).fetchall()
        marks = ", ".join("?" for _ in RECORDED)
        said = db.execute(
            f"SELECT action, target FROM sharing_auditentry WHERE action IN ({marks}) ORDER BY seq",
            RECORDED,
        ).fetchall()
    return {"register": register, "audit": said}


def said_once(found: dict) -> dict:
    """The state with each audit entry of the record once: an opt-out retried after it had
    finished is said again, and its entries are written again, as they should be."""
    record = found["record"]
    return {**found, "record": {**record, "audit": sorted(set(record["audit"]))}}


def differences(one: dict, other: dict) -> list[str]:
    keys = {*one["tables"], *other["tables"]}  # type: ignore[misc]
    found = [k for k in sorted(keys) if one["tables"].get(k) != other["tables"].get(k)]
    return found + [k for k in ("stores", "events_held", "record") if one[k] != other[k]]


def fresh(base: Path, work: Path, name: str) -> Path:
    home = work / name
    shutil.rmtree(home, ignore_errors=True)
    shutil.copytree(base, home)
    return home


def audit_verifies(home: Path) -> bool:
    return placewise(home, "audit", "verify", check=False).returncode == 0


def mid_write(home: Path) -> bool:
    """Whether the kill left a write through stores.replace (links, an opt-out) in the enclave's
    journal: it landed between that write's enclave commit and its settling."""
    with duckdb.connect(str(home / "enclave.duckdb"), read_only=True) as db:
        if "commit_journal" not in {r[0] for r in db.execute("SHOW TABLES").fetchall()}:
            return False
        return bool(db.execute("SELECT count(*) FROM commit_journal").fetchall()[0][0])


def mid_opt_out(home: Path) -> bool:
    """Whether the kill left an opt-out on the register with its removal not finished."""
    return any(not finished for *_, finished in operational_record(home)["register"])


def kill_at_random(process: subprocess.Popen[str], within: float, earliest: float = 0.0) -> float:
    moment = random.uniform(min(earliest, within), within)  # a random moment, not a secret
    try:
        process.wait(timeout=moment)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
    process.wait()
    return moment


def command_runs(
    kind: str, args: tuple[str, ...], base: Path, work: Path, runs: int, earliest: float = 0.0
) -> dict:
    """Kill a command at a random moment `runs` times (no sooner than `earliest` seconds after
    it starts); recover; compare; verify; retry."""
    before = state(base)
    clean = fresh(base, work, f"{kind}-clean")
    started = time.perf_counter()
    placewise(clean, *args)
    duration = time.perf_counter() - started
    after = state(clean)
    tally = {"runs": 0, "as_before": 0, "as_after": 0, "neither": 0, "audit_ok": 0, "retried": 0}
    tally["mid_write"] = tally["mid_opt_out"] = 0
    if kind == "linkage":
        tally["reported"] = 0  # the last committed run has its report, once, after recovery
    for run in range(runs):
        home = fresh(base, work, f"{kind}-{run}")
        kill_at_random(start(home, *args), duration, earliest)
        tally["mid_write"] += mid_write(home)
        tally["mid_opt_out"] += mid_opt_out(home)
        placewise(home, "recover")
        found = state(home)
        tally["runs"] += 1
        if kind == "linkage":
            tally["reported"] += reported(home)
        if found == before:
            tally["as_before"] += 1
        elif found == after:
            tally["as_after"] += 1
        else:
            tally["neither"] += 1
            print(
                f"  {kind} run {run}: neither before nor after: differs from after in "
                f"{differences(found, after)}, from before in {differences(found, before)}",
                flush=True,
            )
        tally["audit_ok"] += audit_verifies(home)
        retry = placewise(home, *args, check=False)
        retried = said_once(state(home))
        tally["retried"] += retry.returncode == 0 and retried == said_once(after)
        print(f"  {kind} run {run}: so far {tally}", flush=True)
        if retried != said_once(after):
            print(f"  {kind} run {run}: the retry differs in {differences(retried, after)}")
        shutil.rmtree(home, ignore_errors=True)
    tally["clean_seconds"] = round(duration, 1)
    return tally


QUEUE = """
from django.core.files.uploadedfile import SimpleUploadedFile
from placewise.sharing import actions as sharing, actors
from placewise.sharing.models import Organisation
from placewise.sharing.permissions import Role
from placewise.jobs import actions, tasks
user = sharing.ensure_person(username="tester", password="crash-test-password-1",
    full_name="Crash Tester", roles=[(Organisation.objects.get(name={trust!r}), Role.ANALYST)],
    by=actors.command_line())
data = open({path!r}, "rb").read()
# A partner's file is uploaded with its mapping file, as a person uploads it (the command line
# finds the mapping beside the file; an upload has only what it is given).
mapping = SimpleUploadedFile("mapping.toml", open({mapping!r}, "rb").read())
job = tasks.queue(
    actions.start_ingest(file=SimpleUploadedFile({name!r}, data), mapping=mapping, by=user)
)
print(job.pk)
"""
RETRY = """
from placewise.jobs.models import Job
from placewise.jobs import actions, tasks
job = Job.objects.get(pk={pk})
print(tasks.queue(actions.retry(job=job, by=job.started_by)).pk)
"""


def job_status(home: Path, pk: int) -> tuple[str, int]:
    """Read straight from the home's SQLite database: starting Django to ask takes seconds,
    longer than a small job runs."""
    with sqlite3.connect(home / "placewise.sqlite3", timeout=30) as db:
        row = db.execute("SELECT status, worker_pid FROM jobs_job WHERE id = ?", (pk,)).fetchone()
    return (row[0], int(row[1] or 0)) if row else ("not queued", 0)


def job_seconds(home: Path, pk: int) -> float:
    """How long the worker took over the job, from its own record."""
    with sqlite3.connect(home / "placewise.sqlite3", timeout=30) as db:
        (seconds,) = db.execute(
            "SELECT (julianday(finished_at) - julianday(started_at)) * 86400 FROM jobs_job "
            "WHERE id = ?",
            (pk,),
        ).fetchone()
    return float(seconds)


def wait_for(home: Path, pk: int, wanted: set[str], seconds: float = 300) -> tuple[str, int]:
    deadline = time.monotonic() + seconds
    status = "not asked"
    while time.monotonic() < deadline:
        status, pid = job_status(home, pk)
        if status in wanted:
            return status, pid
        time.sleep(0.05)
    raise RuntimeError(f"job {pk} never reached {wanted}: {status}")


def worker_runs(file: Path, base: Path, work: Path, runs: int) -> dict:
    """Queue an upload, kill the worker running it at a random moment of its run, let the
    supervisor settle it; compare; verify; retry through the job. `killed_mid_job` counts the
    runs whose kill landed before the job ended (the others found it finished)."""
    before = state(base)
    queue = QUEUE.format(
        trust=TRUST, path=str(file), name=file.name, mapping=str(file.with_suffix(".toml"))
    )
    clean = fresh(base, work, "worker-clean")
    supervisor = start(clean, "worker")
    try:
        pk = int(django_snippet(clean, queue))
        wait_for(clean, pk, {"done", "failed"})
        duration = job_seconds(clean, pk)
        with sqlite3.connect(clean / "placewise.sqlite3", timeout=30) as db:
            status, outcome = db.execute(
                "SELECT status, outcome FROM jobs_job WHERE id = ?", (pk,)
            ).fetchone()
        print(f"  the clean job: {status} in {duration:.1f} s: {outcome}", flush=True)
    finally:  # a worker left running would poll its home for ever
        supervisor.terminate()
        supervisor.wait()
    after = state(clean)
    if after == before:
        raise RuntimeError(
            "the clean job changed nothing: there is nothing to kill it in the middle of"
        )
    tally = {"runs": 0, "as_before": 0, "as_after": 0, "neither": 0, "audit_ok": 0, "retried": 0}
    tally["killed_mid_job"] = 0
    for run in range(runs):
        home = fresh(base, work, f"worker-{run}")
        # Queued before the worker starts: queued by a process that takes seconds to start and
        # stop, the job was often finished before it was first seen running, and the kill landed
        # after it (1 run in 20 killed mid-job at 400 children).
        pk = int(django_snippet(home, queue))
        supervisor = start(home, "worker")
        try:
            _, pid = wait_for(home, pk, {"running", "done", "failed"})
            moment = random.uniform(0.0, duration)
            time.sleep(moment)
            # If it had finished already, the run checks "as after".
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            status, _ = wait_for(home, pk, {"done", "failed"})
            tally["killed_mid_job"] += status == "failed"
            found = state(home)
            tally["runs"] += 1
            if found == before and status == "failed":
                tally["as_before"] += 1
            elif found == after:
                tally["as_after"] += 1
            else:
                tally["neither"] += 1
                print(f"  worker run {run}: neither before nor after ({status})", flush=True)
            tally["audit_ok"] += audit_verifies(home)
            if status == "failed":
                again = int(django_snippet(home, RETRY.format(pk=pk)))
                status, _ = wait_for(home, again, {"done", "failed"})
            tally["retried"] += status == "done" and state(home) == after
            print(f"  worker run {run}: so far {tally}", flush=True)
        finally:
            supervisor.terminate()
            supervisor.wait()
        shutil.rmtree(home, ignore_errors=True)
    tally["clean_seconds"] = round(duration, 1)
    return tally


def a_record(home: Path) -> tuple[str, str]:
    """The source and record ID of one loaded record with events: what an opt-out removes."""
    with duckdb.connect(str(home / "analytic.duckdb"), read_only=True) as db:
        event = db.execute("SELECT min(token) FROM events").fetchone()
    with duckdb.connect(str(home / "enclave.duckdb"), read_only=True) as db:
        record = db.execute(
            "SELECT source, record_id FROM identities WHERE token = ?", [event and event[0]]
        ).fetchone()
    if record is None:
        raise RuntimeError("no loaded record to opt out")
    return str(record[0]), str(record[1])


# The place's default retention (PLACEWISE_DEFAULT_RETENTION_DAYS, unset here): seven years.
DEFAULT_RETENTION_DAYS = 365 * 7


def retention_day(home: Path) -> date:
    """A day on which about half of the place's events are past the default retention: the
    median day an event ended (or started), seven years on."""
    with duckdb.connect(str(home / "analytic.duckdb"), read_only=True) as db:
        row = db.execute(
            "SELECT quantile_disc(coalesce(end_date, start_date), 0.5) FROM events"
        ).fetchone()
    if row is None or row[0] is None:
        raise RuntimeError("no dated events to keep or delete")
    return row[0] + timedelta(days=DEFAULT_RETENTION_DAYS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--children", type=int, default=400)
    parser.add_argument(
        "--kinds",
        nargs="+",
        default=["ingest", "linkage", "worker"],
        choices=["ingest", "linkage", "worker", "optout", "retention"],
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--earliest",
        type=float,
        default=0.0,
        help="kill a command no sooner than this many seconds after it starts (past the "
        "interpreter's and Django's start-up, where a kill can only find the place as before)",
    )
    options = parser.parse_args()
    random.seed(options.seed)
    work = Path(tempfile.mkdtemp(prefix="placewise-crashes-"))
    place = work / "place"
    base = work / "base"
    print(f"a place of {options.children:,} children in {work} …", flush=True)
    placewise(base, "synth", "--out", str(place), "--children", str(options.children))
    placewise(base, "organisation", "add", "--name", TRUST, "--kind", "nhs")
    placewise(
        base, "organisation", "add", "--name", COUNCIL, "--kind", "council_childrens_services"
    )
    census = place / "council" / "cin_census.xml"
    visits = place / "partners" / "health_visiting_contacts.csv"
    people = place / "council" / "case_system_people.csv"  # names, for linkage
    placewise(base, "ingest", "--no-dfe", "--quiet", str(census), str(people), str(visits))
    crashed = place / "partners" / "health_ae_attendances.csv"
    tallies = {}
    for kind in options.kinds:
        print(f"{kind}: {options.runs} runs …", flush=True)
        if kind == "ingest":
            args: tuple[str, ...] = ("ingest", "--no-dfe", "--quiet", str(crashed))
            tallies[kind] = command_runs(kind, args, base, work, options.runs, options.earliest)
        elif kind == "linkage":
            tallies[kind] = command_runs(
                kind, ("link", "--quiet"), base, work, options.runs, options.earliest
            )
        elif kind == "optout":
            source, reference = a_record(base)
            args = ("optout", "--source", source, "--reference", reference)
            tallies[kind] = command_runs(kind, args, base, work, options.runs, options.earliest)
        elif kind == "retention":
            args = ("retention", "apply", "--today", retention_day(base).isoformat())
            tallies[kind] = command_runs(kind, args, base, work, options.runs, options.earliest)
        else:
            tallies[kind] = worker_runs(crashed, base, work, options.runs)
        print(f"  {tallies[kind]}", flush=True)
    print()
    print(
        f"{'killed':<10}{'runs':>6}{'before':>8}{'after':>7}{'neither':>9}{'audit ok':>10}"
        f"{'retried':>9}{'clean s':>9}{'mid-write':>11}{'mid-opt-out':>13}"
    )
    for kind, t in tallies.items():
        print(
            f"{kind:<10}{t['runs']:>6}{t['as_before']:>8}{t['as_after']:>7}{t['neither']:>9}"
            f"{t['audit_ok']:>10}{t['retried']:>9}{t['clean_seconds']:>9}"
            f"{t.get('mid_write', '-'):>11}{t.get('mid_opt_out', '-'):>13}"
        )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
