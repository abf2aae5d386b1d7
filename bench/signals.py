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
from placewise.synth import journeys  # noqa: E402

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


def _hits(chart: spc.Chart, start: date, way: int) -> list[str]:
    """Flags on the first WINDOW months from the start, pointing the way the change went."""
    months = [p for p in chart.points if p.period >= start][:WINDOW]
    return [
        f"{p.period:%Y-%m} {'+'.join(p.rules)}" for p in months if p.rules and p.direction == way
    ]


def _as_read_then(
    rows: list, signal: signals.Signal, start: date, baseline: int | None
) -> spc.Chart:
    """The chart as it read at the end of the WINDOW-th month: the same reading of the series cut
    there, so no later point completes a run or a trend backwards."""
    periods = [p.period for p in signal.chart.points]
    upto = next((i for i, p in enumerate(periods) if p >= start), len(periods)) + WINDOW
    cut = [
        r
        for r in rows
        if r.indicator == signal.indicator.key
        and r.team == signal.team
        and r.period in periods[:upto]
    ]
    then = signals.read({signal.indicator.key: signal.indicator}, cut, baseline=baseline)
    # Too few months then to read at all: nothing was flagged.
    return then[0].chart if then else spc.Chart(signal.chart.kind, [])


def detected(rows: list, truth: list[dict[str, str]], baseline: int | None) -> None:
    found = {
        (s.indicator.key, s.team): s for s in signals.read(library.load(), rows, baseline=baseline)
    }
    label = f"limits from the first {baseline} months" if baseline else "limits from every month"
    print(
        f"\n{label}:\n{'team':<8} {'signal':<6} {'starts':<8} "
        f"{'flagged on its first ' + str(WINDOW) + ' months':<52} as the chart read then"
    )
    caught, caught_then = 0, 0
    for t in truth:
        signal = found.get((MEASURES[t["measure"]], t["team"]))
        start = date.fromisoformat(t["start_month"])
        # Only a flag pointing the way the change went: fewer assessments in time after a
        # step, more referrals in a trend.
        way = -1 if t["kind"] == "step" else +1
        hits = _hits(signal.chart, start, way) if signal else []
        then = _hits(_as_read_then(rows, signal, start, baseline), start, way) if signal else []
        caught, caught_then = caught + bool(hits), caught_then + bool(then)
        print(
            f"{t['team']:<8} {t['kind']:<6} {start:%Y-%m}  "
            f"{', '.join(hits[:2]) or 'NOT FLAGGED':<52} {', '.join(then[:1]) or 'NOT FLAGGED'}"
        )
    print(
        f"{caught} of {len(truth)} injected signals flagged on one of their first {WINDOW} months; "
        f"{caught_then} of {len(truth)} by the chart as it read {WINDOW} months in"
    )


def _ramp(rise: float, months: int) -> list[float]:
    """Referrals relative to before, month by month from a trend's start: conversion rising by
    `rise` a month for the generator's TREND_MONTHS, then holding."""
    top = journeys.TREND_MONTHS
    return [1 + rise * min(k + 1, top) / journeys.CONVERSION for k in range(months)]


def trend_power(rows: list, truth: list[dict[str, str]], runs: int, seed: int) -> None:
    """How often could the four rules catch a trend of this size within WINDOW months at all?
    Each team's referral series: its first 12 months' mean and spread, then a rise in conversion
    (the generator's own, and steeper ones), with noise of the same spread, many times over."""
    rng = random.Random(seed)
    found = {(s.indicator.key, s.team): s for s in signals.read(library.load(), rows, baseline=12)}
    print(
        f"\ntrends in contacts becoming referrals (from {journeys.CONVERSION:.0%}), simulated "
        f"{runs} times on each team's own mean and spread: share flagged on one of the first "
        f"{WINDOW} months / by the chart as it read {WINDOW} months in"
    )
    rises = [journeys.CONVERSION_RISE * k for k in (1, 2, 3)]
    print(
        f"{'team':<8} {'mean':>5} {'sigma':>5}  "
        + "  ".join(f"+{r * 100:.0f} points/month" for r in rises)
    )
    for t in (t for t in truth if t["kind"] == "trend"):
        signal = found[(MEASURES[t["measure"]], t["team"])]
        mean, sigma = signal.chart.points[0].mean, signal.chart.points[0].sigma
        months = [date(2000 + i // 12, i % 12 + 1, 1) for i in range(12 + WINDOW + 6)]
        start = months[12]
        cells = []
        for rise in rises:
            ramp = _ramp(rise, WINDOW + 6)
            eventually, then = 0, 0
            for _ in range(runs):
                values = [rng.gauss(mean, sigma) for _ in range(12)]
                values += [rng.gauss(mean * r, sigma) for r in ramp]
                # Later months keep rising, so a run or a trend can complete backwards.
                eventually += bool(_hits(spc.xmr(months, values, baseline=12), start, +1))
                cut = 12 + WINDOW
                then += bool(_hits(spc.xmr(months[:cut], values[:cut], baseline=12), start, +1))
            cells.append(f"{eventually / runs:>5.0%} / {then / runs:>4.0%}")
        print(f"{t['team']:<8} {mean:5.1f} {sigma:5.1f}  " + "  ".join(f"{c:<13}" for c in cells))


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
    trend_power(rows, truth, args.simulations * 5, args.seed)


if __name__ == "__main__":
    main()
