"""Does SPC find what the synthetic place hid, and only that? Builds a place, loads it, computes
every indicator and reads its charts, then reports:

- for each injected step change (assessment timeliness) and trend (referrals) per team, whether
  the chart flags one of its first 3 months as special cause, pointing the way the change went
  (ADR 0010: how the rules date a change), and the month the chart first showed it, read month
  by month as it stood then;
- on a control place (the same place built with nothing hidden in it: `synth --no-signals`), the
  share of points flagged, beside the share the four rules flag by chance on simulated in-control
  series of the same length and size. In the place with signals no series is truly quiet: the
  rising referrals change who is referred, and so the mix behind every later measure.

Each seed is its own place (a subprocess with its own stores); with several, the totals over all
of them close the report, since one place's quiet series flag in correlated runs of 7.

    .venv/bin/python bench/signals.py [--children 80000] [--years 4] [--seeds 3 4 5 6 7]
"""

import argparse
import csv
import json
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
from placewise.synth.journeys import add_months  # noqa: E402

BIN = Path(sys.executable).parent
MEASURES = {"assessment_working_days": "assessments_within_45_days", "referrals": "referrals"}
# Indicators the generator puts no signal into. (Re-referrals and closures without a re-referral
# are left out: the injected rise in contacts becoming referrals moves them too.)
# In the control place: the two measures the other place's signals are hidden in, and others.
QUIET = (
    *MEASURES.values(),
    "icpc_within_15_days",
    "second_cp_plans",
    "cp_plans_two_years",
    "family_feedback",
)
WINDOW = 3


def build(children: int, years: int, seed: int, control: bool) -> Path:
    place = HOME / "place"
    what = "control place (nothing hidden)" if control else "place"
    print(f"{what}, {children:,} children over {years} years: synth and ingest …", flush=True)
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
            *(["--no-signals"] if control else []),
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


def false_alarms(
    rows: list, baseline: int | None, simulations: int, seed: int
) -> dict[str, list[int]]:
    """Per quiet indicator: [points flagged, points, flagged by chance, points simulated]."""
    rng = random.Random(seed)
    skip = baseline or 0
    quiet = [
        s for s in signals.read(library.load(), rows, baseline=baseline) if s.indicator.key in QUIET
    ]
    label = f"limits from the first {baseline} months" if baseline else "limits from every month"
    print(f"\n{label}: share of points flagged in the control place (place and teams)")
    tally = {}
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
        tally[key] = [*real, *chance]
    return tally


def _hits(chart: spc.Chart, start: date, way: int) -> list[str]:
    """Flags on the first WINDOW months from the start, pointing the way the change went."""
    months = [p for p in chart.points if p.period >= start][:WINDOW]
    return [
        f"{p.period:%Y-%m} {'+'.join(p.rules)}" for p in months if p.rules and p.direction == way
    ]


def _as_read_then(
    rows: list, signal: signals.Signal, upto: date, baseline: int | None
) -> spc.Chart:
    """The chart as it read at the end of the month `upto`: the same reading of the series cut
    there, so no later point completes a run or a trend backwards."""
    cut = [
        r
        for r in rows
        if r.indicator == signal.indicator.key and r.team == signal.team and r.period <= upto
    ]
    then = signals.read({signal.indicator.key: signal.indicator}, cut, baseline=baseline)
    # Too few months then to read at all: nothing was flagged.
    return then[0].chart if then else spc.Chart(signal.chart.kind, [])


def _first_shown(
    rows: list, signal: signals.Signal, start: date, baseline: int | None, way: int
) -> int | None:
    """Months from the start until the chart, as it read at the end of each month, first flagged
    a month of the change (0: in the start month itself); None if it never did."""
    after = [p.period for p in signal.chart.points if p.period >= start]
    for k, upto in enumerate(after):
        chart = _as_read_then(rows, signal, upto, baseline)
        if any(p.rules and p.direction == way for p in chart.points if p.period >= start):
            return k
    return None


def detected(rows: list, truth: list[dict[str, str]], baseline: int | None) -> list[int]:
    """[flagged on their first WINDOW months, already shown by then as read then, injected]."""
    found = {
        (s.indicator.key, s.team): s for s in signals.read(library.load(), rows, baseline=baseline)
    }
    label = f"limits from the first {baseline} months" if baseline else "limits from every month"
    print(
        f"\n{label}:\n{'team':<8} {'signal':<6} {'starts':<8} "
        f"{'flagged on its first ' + str(WINDOW) + ' months':<52} first shown, as read then"
    )
    caught, caught_then = 0, 0
    for t in truth:
        signal = found.get((MEASURES[t["measure"]], t["team"]))
        start = date.fromisoformat(t["start_month"])
        # Only a flag pointing the way the change went: fewer assessments in time after a
        # step, more referrals in a trend.
        way = -1 if t["kind"] == "step" else +1
        hits = _hits(signal.chart, start, way) if signal else []
        shown = _first_shown(rows, signal, start, baseline, way) if signal else None
        caught = caught + bool(hits)
        caught_then = caught_then + (shown is not None and shown < WINDOW)
        when = "never" if shown is None else f"{add_months(start, shown):%Y-%m} (+{shown})"
        print(
            f"{t['team']:<8} {t['kind']:<6} {start:%Y-%m}  "
            f"{', '.join(hits[:2]) or 'NOT FLAGGED':<52} {when}"
        )
    print(
        f"{caught} of {len(truth)} injected signals flagged on one of their first {WINDOW} months; "
        f"{caught_then} of {len(truth)} already by the chart as it read {WINDOW} months in"
    )
    return [caught, caught_then, len(truth)]


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
    # Half the generator's rise, the generator's own, and half as steep again.
    rises = [journeys.CONVERSION_RISE * k for k in (0.5, 1, 1.5)]
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


def one_place(args: argparse.Namespace, seed: int) -> None:
    """One place in this process's own stores: its signals found, or (a control place) its
    false alarms."""
    control = args.one == "control"
    place = build(args.children, args.years, seed, control)
    rows = export.table()
    tally: dict[str, object] = {}
    for baseline in (12, None):
        if control:
            tally[str(baseline)] = false_alarms(rows, baseline, args.simulations, seed)
        else:
            with (place / "_truth" / "signals.csv").open() as handle:
                truth = list(csv.DictReader(handle))
            tally[str(baseline)] = detected(rows, truth, baseline)
    if not control and not args.no_power:
        trend_power(rows, truth, args.simulations * 5, seed)
    print(TALLY + json.dumps(tally), flush=True)


TALLY = "TALLY "
BASELINES = {"12": "limits from the first 12 months", "None": "limits from every month"}


def totals(found: list[dict], quiet: list[dict]) -> None:
    print(f"\n== over {len(found)} places and their {len(quiet)} control places ==")
    for baseline, label in BASELINES.items():
        n = [sum(t[baseline][i] for t in found) for i in range(3)]
        print(
            f"{label}: {n[0]} of {n[2]} injected signals flagged on one of their first "
            f"{WINDOW} months; {n[1]} of {n[2]} already by the chart as it read then"
        )
        everything = [0, 0, 0, 0]
        for key in QUIET:
            k = [sum(t[baseline][key][i] for t in quiet) for i in range(4)]
            everything = [a + b for a, b in zip(everything, k, strict=True)]
            print(
                f"  {key:<28} {k[0]:>4} of {k[1]:>4} ({k[0] / max(k[1], 1):>5.1%}) flagged; "
                f"by chance {k[2] / max(k[3], 1):.1%}"
            )
        k = everything
        print(
            f"  {'every quiet series':<28} {k[0]:>4} of {k[1]:>4} ({k[0] / max(k[1], 1):>5.1%}) "
            f"flagged; by chance {k[2] / max(k[3], 1):.1%}"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=80000)
    parser.add_argument("--years", type=int, default=4)
    parser.add_argument("--seeds", type=int, nargs="+", default=[3, 4, 5, 6, 7])
    parser.add_argument("--simulations", type=int, default=200)
    # A place (or its control) in a process of its own, with stores of its own.
    parser.add_argument("--one", choices=("place", "control"), help=argparse.SUPPRESS)
    parser.add_argument("--no-power", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one_place(args, args.seeds[0])
        return
    found: list[dict] = []
    quiet: list[dict] = []
    for n, seed in enumerate(args.seeds):
        for one, into in (("place", found), ("control", quiet)):
            print(f"\n######## seed {seed} ({n + 1} of {len(args.seeds)}): {one}", flush=True)
            command = [sys.executable, __file__, "--seeds", str(seed), "--one", one]
            command += ["--children", str(args.children), "--years", str(args.years)]
            command += ["--simulations", str(args.simulations)]
            command += [] if n == 0 else ["--no-power"]
            out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
            for line in out.splitlines():
                if line.startswith(TALLY):
                    into.append(json.loads(line[len(TALLY) :]))
                else:
                    print(line, flush=True)
    totals(found, quiet)


if __name__ == "__main__":
    main()
