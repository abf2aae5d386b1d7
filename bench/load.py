"""Load: signed-in people using the app through `placewise serve` (gunicorn), first with nothing
else going on, then while a large ingest and a linkage run write the stores in other processes.

Each simulated person asks for a dashboard, an indicator, the cohort journeys page or the Data
area, at random, then thinks for 1 to 3 seconds, for the length of each run. Reported per run:
requests, errors (any answer but 200, or no answer), p50/p95/p99 response time; and the busy run's
figures as a ratio of the quiet run's, measured in the same run of this script. Issue 16's goal:
0 errors and p95 under 300 ms with 50 people, while a 100,000-child ingest and a linkage run go on.

    .venv/bin/python bench/load.py                     # 50 people, 5 minutes each run, 100,000
                                                       # children ingested: the issue's figures
    .venv/bin/python bench/load.py --users 50 --minutes 1 --ingest-children 20000
    PLACEWISE_HOME=var .venv/bin/python bench/load.py  # a home already built (placewise demo)

Without PLACEWISE_HOME a demo place (--demo-children) is built in a scratch home first. The
place to ingest is generated before the runs start, so generating it is not measured.
"""

import argparse
import http.client
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

PLACEWISE = str(Path(sys.executable).parent / "placewise")
PAGES = ("dashboard", "indicator", "cohort", "data")


def arguments() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--users", type=int, default=50, help="people signed in at once (50)")
    p.add_argument("--minutes", type=float, default=5, help="length of each run (5)")
    p.add_argument(
        "--ingest-children", type=int, default=100_000, help="children ingested (100,000)"
    )
    p.add_argument(
        "--seed",
        type=int,
        default=7,
        help="of the place ingested (a file loaded before is not loaded again: give another "
        "seed to run again on the same home)",
    )
    p.add_argument("--no-link", action="store_true", help="no linkage run after the ingest")
    p.add_argument("--demo-children", type=int, default=5000, help="the demo place, if built")
    p.add_argument("--port", type=int, default=8773)
    p.add_argument("--workers", type=int, help="server workers (serve's default if not given)")
    p.add_argument("--threads", type=int, help="threads per worker (serve's default)")
    p.add_argument(
        "--nice",
        type=int,
        default=int(os.environ.get("PLACEWISE_WORKER_NICE", "10")),
        help="CPU priority the ingest and linkage run at, below the server's: as the jobs "
        "worker runs them (PLACEWISE_WORKER_NICE, 10); 0 for the same priority",
    )
    return p.parse_args()


def run(*command: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, check=True, text=True, **kwargs)  # type: ignore[call-overload]


SESSIONS = """
import json, sys
import django
django.setup()
from django.contrib.auth import get_user_model
from django.test import Client
from placewise.outcomes import data
from placewise.sharing import second_factor

# Signed in as the demo's people in turn; force_login stands for password and second factor.
people = list(get_user_model().objects.filter(username__in=["alice", "bob", "dana"]))
cookies = []
for n in range(int(sys.argv[1])):
    client = Client()
    client.force_login(people[n % len(people)])
    session = client.session
    session[second_factor.SESSION_KEY] = True
    session.save()
    cookies.append(client.cookies["sessionid"].value)
print(json.dumps({"cookies": cookies, "indicators": sorted(data.indicators())}))
"""


def signed_in(port: int, users: int) -> tuple[list[str], list[list[str]]]:
    """A session for each person, and the indicators each may open (others are refused with
    403: a refusal is not what this measures)."""
    import json

    out = run(sys.executable, "-c", SESSIONS, str(users), capture_output=True).stdout
    found = json.loads(out.strip().splitlines()[-1])
    cookies, every = found["cookies"], found["indicators"]
    seen: dict[int, list[str]] = {}
    for n in range(min(users, 3)):  # the sessions take the demo's three people in turn
        seen[n] = []
        for key in every:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            connection.request(
                "GET", f"/outcomes/indicators/{key}/", headers={"Cookie": f"sessionid={cookies[n]}"}
            )
            if connection.getresponse().status == 200:
                seen[n].append(key)
            connection.close()
    return cookies, [seen[n % 3] for n in range(users)]


@dataclass
class Tally:
    times: list[float] = field(default_factory=list)  # seconds, every answered request
    errors: list[str] = field(default_factory=list)
    pages: dict[str, list[float]] = field(default_factory=dict)  # the same times, by page
    lock: threading.Lock = field(default_factory=threading.Lock)


def person(
    port: int, cookie: str, indicators: list[str], until: float, tally: Tally, seed: int
) -> None:
    """One person: a page, 1 to 3 seconds' thought, another page, until the run ends."""
    rng = random.Random(seed)
    while time.monotonic() < until:
        page = rng.choice(PAGES)
        path = {
            "dashboard": "/outcomes/",
            "indicator": f"/outcomes/indicators/{rng.choice(indicators)}/",
            "cohort": "/learning/cohorts/",
            "data": "/data/",
        }[page]
        # A new connection for each page, as a browser has after thinking for longer than the
        # server keeps an idle connection open (a request on one it has closed is no answer).
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        started = time.perf_counter()
        try:
            connection.request("GET", path, headers={"Cookie": f"sessionid={cookie}"})
            response = connection.getresponse()
            response.read()
            took, status = time.perf_counter() - started, response.status
        except (OSError, http.client.HTTPException) as error:
            took, status = time.perf_counter() - started, 0
            problem = f"{path}: {type(error).__name__} {error}"
        else:
            problem = f"{path}: HTTP {status}"
        finally:
            connection.close()
        with tally.lock:
            tally.times.append(took)
            tally.pages.setdefault(page, []).append(took)
            if status != 200:
                tally.errors.append(problem)
        time.sleep(rng.uniform(1, 3))


def load(
    args: argparse.Namespace, cookies: list[str], indicators: list[list[str]], label: str
) -> Tally:
    tally = Tally()
    until = time.monotonic() + args.minutes * 60
    people = [
        threading.Thread(
            target=person,
            args=(args.port, cookies[n], indicators[n], until, tally, n),
            daemon=True,
        )
        for n in range(args.users)
    ]
    for n, thread in enumerate(people):
        thread.start()
        time.sleep(min(2.0 / max(args.users, 1), 0.1) if n else 0)  # not all in the same instant
    for thread in people:
        thread.join()
    print(f"  {label}: {summary(tally)}", flush=True)
    for page, times in sorted(tally.pages.items()):
        print(
            f"    {page:<9} {len(times):>6,} requests, p50 {percentile(times, 50) * 1000:.0f} ms, "
            f"p95 {percentile(times, 95) * 1000:.0f} ms",
            flush=True,
        )
    return tally


def percentile(times: list[float], p: float) -> float:
    ordered = sorted(times)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def summary(tally: Tally) -> str:
    t = tally.times
    return (
        f"{len(t):,} requests, {len(tally.errors)} errors, p50 {percentile(t, 50) * 1000:.0f} ms, "
        f"p95 {percentile(t, 95) * 1000:.0f} ms, p99 {percentile(t, 99) * 1000:.0f} ms"
    )


def serve(args: argparse.Namespace, log: Path) -> subprocess.Popen[str]:
    try:
        http.client.HTTPConnection("127.0.0.1", args.port, timeout=5).connect()
    except OSError:
        pass  # free, as it must be: this script measures the server it starts
    else:
        sys.exit(f"port {args.port} is in use: stop what is listening there, or give --port")
    command = [PLACEWISE, "serve", "--port", str(args.port)]
    if args.workers:
        command += ["--workers", str(args.workers)]
    if args.threads:
        command += ["--threads", str(args.threads)]
    server = subprocess.Popen(
        command, stdout=log.open("w"), stderr=subprocess.STDOUT, text=True, start_new_session=True
    )
    for _ in range(300):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", args.port, timeout=30)
            connection.request("GET", "/login/")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            if server.poll() is not None:
                sys.exit(f"the server stopped: see {log}")
            time.sleep(1)
    sys.exit("the server did not answer within five minutes")


def background(args: argparse.Namespace, place: Path, log: Path) -> subprocess.Popen[str]:
    """Ingest the generated place, then link: one shell line, so both run in other processes
    while the second run is measured, at the priority the jobs worker gives them (--nice)."""
    files = sorted(
        str(p) for p in place.rglob("*") if p.is_file() and p.suffix in (".csv", ".xml", ".xlsx")
    )
    # Not the ground truth, nor the population (a setting, not a return).
    files = [f for f in files if "_truth" not in f and not f.endswith("population.csv")]
    script = " ".join([PLACEWISE, "ingest", "--quiet", "--no-dfe", *files])
    if not args.no_link:
        script += f" ; {PLACEWISE} link --quiet"
    return subprocess.Popen(
        ["nice", "-n", str(args.nice), "sh", "-c", f"( {script} ) > {log} 2>&1"],
        start_new_session=True,
        text=True,
    )


def main() -> int:
    args = arguments()
    if "PLACEWISE_HOME" not in os.environ:
        os.environ["PLACEWISE_HOME"] = tempfile.mkdtemp(prefix="placewise-loadbench-")
        print(f"building the demo place in {os.environ['PLACEWISE_HOME']} …", flush=True)
        run(
            PLACEWISE,
            "demo",
            "--quiet",
            "--children",
            str(args.demo_children),
            stdout=subprocess.DEVNULL,
        )
    home = Path(os.environ["PLACEWISE_HOME"])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "placewise.config.settings")
    work = Path(tempfile.mkdtemp(prefix="placewise-loadbench-work-"))
    place = work / "place"
    print(f"generating {args.ingest_children:,} children to ingest in {place} …", flush=True)
    run(
        PLACEWISE,
        "synth",
        "--out",
        str(place),
        "--children",
        str(args.ingest_children),
        "--seed",
        str(args.seed),
        "--quiet",
        stdout=subprocess.DEVNULL,
    )

    server = serve(args, work / "server.log")
    try:
        cookies, indicators = signed_in(args.port, args.users)
        print(
            f"{args.users} people signed in, {args.minutes:g} minutes a run, against "
            f"placewise serve (gunicorn) on port {args.port}, home {home}; background work at "
            f"nice {args.nice}",
            flush=True,
        )
        quiet = load(args, cookies, indicators, "nothing else running")
        writer = background(args, place, work / "background.log")
        started = time.monotonic()
        busy = load(args, cookies, indicators, "while ingesting and linking")
        still = writer.poll() is None
        print(
            f"  the ingest{'' if args.no_link else ' and linkage'} "
            + (
                "were still running when the run ended"
                if still
                else f"finished after {time.monotonic() - started:.0f} s, within the run"
            ),
            flush=True,
        )
        if still:
            os.killpg(writer.pid, signal.SIGTERM)
        writer.wait()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=120)
    background_log = (work / "background.log").read_text()
    print("background work said:")
    for line in background_log.strip().splitlines()[-8:]:
        print(f"    {line}")
    for name, tally in (("quiet", quiet), ("busy", busy)):
        for problem in sorted(set(tally.errors))[:10]:
            print(f"  {name} error: {problem}")
    print(
        "busy / quiet: "
        + ", ".join(
            f"p{p} {percentile(busy.times, p) / percentile(quiet.times, p):.2f}"
            for p in (50, 95, 99)
        )
    )
    server_log = (work / "server.log").read_text()
    print(
        f"'database is locked' in the server's log: {server_log.count('database is locked')}; "
        f"tracebacks: {len(re.findall('Traceback', server_log))}"
    )
    errors = len(quiet.errors) + len(busy.errors)
    slow = percentile(busy.times, 95) >= 0.3
    return 1 if errors or slow else 0


if __name__ == "__main__":
    sys.exit(main())
