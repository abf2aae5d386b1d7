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
# Indicators the generator puts no signal into. (Re-referrals and closures without a re-referral
# are left out: the injected rise in contacts becoming referrals moves them too.)
QUIET = ("icpc_within_15_days", "second_cp_plans", "cp_plans_two_years", "family_feedback")
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


def flagged_share(chart: spc.Chart, skip: int) -> tuple[int, int]:
    """Points after the first `skip`, and how many of them are flagged."""
    after = chart.points[skip:]  # points in a fixed baseline are not judged against it
    return sum(bool(p.rules) for p in after), len(after)


def simulate(signal: signals.Signal, rng: random.Random, baseline: int | None) -> spc.Chart:
    """An in-control series like this one: the same months and sizes, no change in the process."""
    periods = [p.period for p in signal.chart.points]
    if signal.indicator.is_proportion:
        dens = signal.denominators
        pbar = sum(signal.numerators) / sum(dens)
        nums = [sum(rng.random() < pbar for _ in range(int(d))) for d in dens]
        return spc.p_chart(periods, nums, dens, baseline=baseline)
    values = [p.value for p in signal.chart.points]
    mean = sum(values) / len(values)
    sd = (sum((v - mean) ** 2 for v in values) / max(len(values) - 1, 1)) ** 0.5
    return spc.xmr(periods, [rng.gauss(mean, sd) for _ in values], baseline=baseline)


def false_alarms(rows: list, baseline: int | None, simulations: int, seed: int) -> None:
    rng = random.Random(seed)
    skip = baseline or 0
    quiet = [
        s for s in signals.read(library.load(), rows, baseline=baseline) if s.indicator.key in QUIET
    ]
    label = f"limits from the first {baseline} months" if baseline else "limits from every month"
    print(f"\n{label}: share of points flagged on series with no injected signal (place and teams)")
    for key in QUIET:
        real, chance = [0, 0], [0, 0]
        for signal in (s for s in quiet if s.indicator.key == key):
            k, n = flagged_share(signal.chart, skip)
            real[0], real[1] = real[0] + k, real[1] + n
            for _ in range(simulations):
                k, n = flagged_share(simulate(signal, rng, baseline), skip)
                chance[0], chance[1] = chance[0] + k, chance[1] + n
        print(
            f"  {key:<26} {real[0]:>4} of {real[1]:>4} ({real[0] / max(real[1], 1):>5.1%}); "
            f"by chance on in-control series of the same sizes: {chance[0] / max(chance[1], 1):.1%}"
        )


def detected(rows: list, truth: list[dict[str, str]], baseline: int | None) -> None:
    found = {
        (s.indicator.key, s.team): s for s in signals.read(library.load(), rows, baseline=baseline)
    }
    label = f"limits from the first {baseline} months" if baseline else "limits from every month"
    print(f"\n{label}:\n{'team':<8} {'signal':<6} {'starts':<8} flagged within {WINDOW} months")
    caught = 0
    for t in truth:
        signal = found.get((MEASURES[t["measure"]], t["team"]))
        start = date.fromisoformat(t["start_month"])
        hits = []
        if signal is not None:
            months = [p for p in signal.chart.points if p.period >= start][:WINDOW]
            # Only a flag pointing the way the change went: fewer assessments in time after a
            # step, more referrals in a trend.
            way = -1 if t["kind"] == "step" else +1
            hits = [
                f"{p.period:%Y-%m} {'+'.join(p.rules)}"
                for p in months
                if p.rules and p.direction == way
            ]
        caught += bool(hits)
        print(
            f"{t['team']:<8} {t['kind']:<6} {start:%Y-%m}  {', '.join(hits[:2]) or 'NOT FLAGGED'}"
        )
    print(f"{caught} of {len(truth)} injected signals flagged within {WINDOW} months of starting")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=80000)
    parser.add_argument("--years", type=int, default=4)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--simulations", type=int, default=200)
    args = parser.parse_args()
    place = build(args.children, args.years, args.seed)
    with (place / "_truth" / "signals.csv").open() as handle:
        truth = list(csv.DictReader(handle))
    rows = export.table()
    for baseline in (12, None):
        detected(rows, truth, baseline)
        false_alarms(rows, baseline, args.simulations, args.seed)


if __name__ == "__main__":
    main()
