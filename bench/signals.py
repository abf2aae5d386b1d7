"""Does SPC find what the synthetic place hid, and only that? Builds a place, loads it, computes
every indicator and reads its charts, then reports:

- for each injected step change (assessment timeliness) and trend (referrals) per team, whether
  a special-cause flag appears within 3 months of the start;
- on series with no injected signal, the share of points flagged, beside the share the four rules
  flag by chance on simulated in-control series of the same length and size.

    .venv/bin/python bench/signals.py [--children 80000] [--years 4] [--seed 3]
"""

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

HOME = Path(tempfile.mkdtemp(prefix="placewise-signalbench-"))
os.environ["PLACEWISE_HOME"] = str(HOME)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "placewise.config.settings")

import django  # noqa: E402

django.setup()

from placewise.indicators import export, library, signals, spc  # noqa: E402

BIN = Path(sys.executable).parent
MEASURES = {"assessment_working_days": "assessments_within_45_days", "referrals": "referrals"}
# Indicators the generator puts no signal into.
QUIET = ("icpc_within_15_days", "re_referrals_12_months", "second_cp_plans", "family_feedback")
WINDOW = 3


def build(children: int, years: int, seed: int) -> Path:
    place = HOME / "place"
    print(f"{children:,} children over {years} years: synth and ingest …", flush=True)
    subprocess.run(
        [
            str(BIN / "placewise"),
            "synth",
            "--out",
            str(place),
            "--children",
            str(children),
            "--years",
            str(years),
            "--seed",
            str(seed),
            "--quiet",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    files = [str(place / "council" / n) for n in ("annex_a.xlsx", "cin_census.xml")]
    files += [str(p) for p in sorted((place / "council" / "ssda903").glob("*.csv"))]
    files.append(str(place / "partners" / "family_feedback.csv"))
    subprocess.run(
        [str(BIN / "placewise"), "ingest", "--quiet", "--no-dfe", *files],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return place


def flagged_share(chart: spc.Chart) -> tuple[int, int]:
    """Points after the baseline, and how many of them are flagged."""
    after = chart.points[signals.BASELINE :]
    return sum(bool(p.rules) for p in after), len(after)


def simulate(signal: signals.Signal, rng: random.Random) -> spc.Chart:
    """An in-control series like this one: the same months and sizes, no change in the process."""
    periods = [p.period for p in signal.chart.points]
    if signal.indicator.is_proportion:
        dens = signal.denominators
        pbar = sum(signal.numerators) / sum(dens)
        nums = [sum(rng.random() < pbar for _ in range(int(d))) for d in dens]
        return spc.p_chart(periods, nums, dens, baseline=signals.BASELINE)
    values = [p.value for p in signal.chart.points]
    mean = sum(values) / len(values)
    sd = (sum((v - mean) ** 2 for v in values) / max(len(values) - 1, 1)) ** 0.5
    return spc.xmr(periods, [rng.gauss(mean, sd) for _ in values], baseline=signals.BASELINE)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=80000)
    parser.add_argument("--years", type=int, default=4)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--simulations", type=int, default=200)
    args = parser.parse_args()
    place = build(args.children, args.years, args.seed)
    found = {(s.indicator.key, s.team): s for s in signals.read(library.load(), export.table())}
    with (place / "_truth" / "signals.csv").open() as handle:
        truth = list(csv.DictReader(handle))
    print(f"\n{'team':<8} {'signal':<6} {'starts':<8} {'flagged within 3 months':<30}")
    caught = 0
    for t in truth:
        signal = found.get((MEASURES[t["measure"]], t["team"]))
        start = date.fromisoformat(t["start_month"])
        hits = []
        if signal is not None:
            months = [p for p in signal.chart.points if p.period >= start][:WINDOW]
            hits = [f"{p.period:%Y-%m} {'+'.join(p.rules)}" for p in months if p.rules]
        caught += bool(hits)
        print(
            f"{t['team']:<8} {t['kind']:<6} {start:%Y-%m}  {', '.join(hits[:2]) or 'NOT FLAGGED'}"
        )
    print(f"\n{caught} of {len(truth)} injected signals flagged within {WINDOW} months of starting")

    rng = random.Random(args.seed)
    real = [0, 0]
    chance = [0, 0]
    for (key, team), signal in sorted(found.items()):
        if key not in QUIET or team == export.PLACE:
            continue
        k, n = flagged_share(signal.chart)
        real[0] += k
        real[1] += n
        for _ in range(args.simulations):
            k, n = flagged_share(simulate(signal, rng))
            chance[0] += k
            chance[1] += n
    print(
        f"series with no injected signal ({', '.join(QUIET)}, by team): "
        f"{real[0]} of {real[1]} points flagged ({real[0] / max(real[1], 1):.1%}); "
        f"the four rules flag {chance[0] / max(chance[1], 1):.1%} of points on simulated "
        f"in-control series of the same sizes ({args.simulations} each)"
    )


if __name__ == "__main__":
    main()
