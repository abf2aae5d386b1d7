"""Dashboard render times with the demo place loaded: each page's median over several requests
(after the first, which fills the indicator cache), beside the plain home page measured in the
same run as a baseline for this machine's speed.

    .venv/bin/python bench/pages.py            # builds the demo place in a scratch home
    PLACEWISE_HOME=var .venv/bin/python bench/pages.py   # or uses an existing one
    .venv/bin/python bench/pages.py --json times.json     # and writes each page's times

Issue 5 target: dashboard pages under 300 ms. A page that does not answer 200 is left out of the
table, named, and the run exits 1 (bench/compare.py runs this against older code, where a page may
not exist yet).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Parsed before anything is built, so --help builds no place.
parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--json", metavar="FILE", help="also write each page's times (seconds) here")
parser.add_argument("--repeats", type=int, default=15, help="timed requests per page")
ARGS = parser.parse_args()

if "PLACEWISE_HOME" not in os.environ:
    home = Path(tempfile.mkdtemp(prefix="placewise-pagebench-"))
    os.environ["PLACEWISE_HOME"] = str(home)
    print(f"building the demo place in {home} …", flush=True)
    subprocess.run(
        [str(Path(sys.executable).parent / "placewise"), "demo", "--quiet"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "placewise.config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402

from placewise.indicators import export  # noqa: E402
from placewise.sharing import second_factor  # noqa: E402

PAGES = [
    ("home (baseline)", "/"),
    ("outcomes overview", "/outcomes/"),
    ("indicator, place", "/outcomes/indicators/assessments_within_45_days/"),
    ("indicator, a team", "/outcomes/indicators/re_referrals_12_months/?team=North"),
    ("teams funnel", "/outcomes/indicators/assessments_within_45_days/teams/"),
    ("cohort journeys", "/learning/cohorts/"),
    ("review sessions", "/learning/reviews/"),
    ("linkage", "/data/linkage/"),
    # A month in the middle of the demo's data; the purpose is asked once and kept in the session.
    (
        "children behind a month",
        "/outcomes/indicators/re_referrals_12_months/children/?period={month}&purpose=safeguarding",
    ),
]
# The same pages as a partner (the health trust's analyst): what they see passes the publication
# path, which works out disclosure control for every month of every series.
PARTNER_PAGES = [
    ("overview, partner", "/outcomes/"),
    ("indicator, partner", "/outcomes/indicators/case_closure_rate/"),
]


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    session = client.session
    session[second_factor.SESSION_KEY] = True
    session.save()
    return client


def main() -> None:
    settings.ALLOWED_HOSTS = ["*"]
    council, partner = signed_in("alice"), signed_in("bob")
    results = []
    failed: dict[str, str] = {}
    rows = [r for r in export.table() if r.indicator == "re_referrals_12_months"]
    month = sorted({r.period for r in rows})[len({r.period for r in rows}) // 2]
    for client, name, page in [
        *((council, n, p) for n, p in PAGES),
        *((partner, n, p) for n, p in PARTNER_PAGES),
    ]:
        url = page.format(month=f"{month:%Y-%m}")
        first = time.perf_counter()
        try:
            response = client.get(url)
        # Older code (bench/compare.py) may fail a page outright: name it and time the rest.
        except Exception as error:
            failed[name] = f"{url} raised {type(error).__name__}: {error}"
            print(failed[name], flush=True)
            continue
        cold = time.perf_counter() - first
        if response.status_code != 200:
            failed[name] = f"{url} answered {response.status_code}"
            print(failed[name], flush=True)
            continue
        times = []
        for _ in range(ARGS.repeats):
            started = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - started)
        results.append((name, cold, statistics.median(times), max(times)))
    base = results[0][2]
    print(f"\n{'page':<22} {'first ms':>9} {'median ms':>10} {'max ms':>8} {'× home':>7}")
    for name, cold, median, worst in results:
        print(
            f"{name:<22} {cold * 1000:>9.0f} {median * 1000:>10.0f} {worst * 1000:>8.0f} {median / base:>7.1f}"
        )
    slowest = max(r[2] for r in results[1:])
    print(f"\nslowest dashboard page median {slowest * 1000:.0f} ms (target < 300 ms)")
    if ARGS.json:
        Path(ARGS.json).write_text(
            json.dumps(
                {
                    "pages": {
                        name: {"first": cold, "median": median, "max": worst}
                        for name, cold, median, worst in results
                    },
                    "failed": failed,
                },
                indent=1,
            )
        )
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
