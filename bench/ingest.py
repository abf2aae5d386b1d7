"""Ingest benchmark: rows per second for each reader against a plain pandas read of the same files,
measured in the same run, plus the issue's targets for synth and the whole ingest.

    .venv/bin/python bench/ingest.py [--children 100000] [--years 5] [--no-dfe]

Targets (issue 2): synth of 100,000 children × 5 years < 2 minutes; ingest < 3 minutes; peak
memory < 4 GB. The pandas baseline only reads the files into frames; placewise also validates every
value, pseudonymises and builds canonical events, so a ratio above 1 is expected.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from measure import measured  # noqa: E402 - the bench folder is not a package

BIN = Path(sys.executable).parent


def timed(label: str, work) -> tuple[float, int]:
    print(f"  {label} …", end="", flush=True)
    started = time.perf_counter()
    rows = work()
    seconds = time.perf_counter() - started
    print(f" {rows:,} rows in {seconds:.1f} s", flush=True)
    return seconds, rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=100_000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--no-dfe", action="store_true")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="placewise-bench-"))
    env = {**os.environ, "PLACEWISE_HOME": str(scratch / "home")}
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "placewise.config.settings")
    import django

    django.setup()
    from placewise.sources.readers import annex_a, cin_census, partner, ssda903
    from placewise.sources.readers.csvfile import read_header

    place = scratch / "place"
    print(f"1. synth {args.children:,} children × {args.years} years", flush=True)
    synth = measured(
        [
            str(BIN / "placewise"),
            "synth",
            "--out",
            str(place),
            "--children",
            str(args.children),
            "--years",
            str(args.years),
            "--quiet",
        ],
        env,
    )
    print(f"   {synth['seconds']:.1f} s, peak {synth['peak_mib']:.0f} MiB", flush=True)

    council = place / "council"
    csvs_903 = sorted((council / "ssda903").glob("*.csv"))
    partners = sorted((place / "partners").glob("*.csv"))

    def ours_annex() -> int:
        return sum(1 for p in annex_a.read_xlsx(council / "annex_a.xlsx", "c") if p.is_row)

    def ours_cin() -> int:
        return sum(1 for _ in cin_census.read(council / "cin_census.xml", "c"))

    def ours_903() -> int:
        return sum(
            sum(1 for _ in ssda903.read(p, "c", ssda903.recognise(read_header(p))))
            for p in csvs_903
        )

    def ours_partner() -> int:
        return sum(
            sum(
                1
                for p in partner.read(path, partner.load_mapping(path.with_suffix(".toml")))
                if p.is_row
            )
            for path in partners
        )

    def pandas_annex() -> int:
        return sum(
            len(f) for f in pd.read_excel(council / "annex_a.xlsx", sheet_name=None).values()
        )

    def pandas_cin() -> int:
        return len(
            pd.read_xml(council / "cin_census.xml", xpath=".//ChildIdentifiers", parser="etree")
        )

    def pandas_903() -> int:
        return sum(len(pd.read_csv(p)) for p in csvs_903)

    def pandas_partner() -> int:
        return sum(len(pd.read_csv(p)) for p in partners)

    print("2. each reader against a plain pandas read of the same files", flush=True)
    table = []
    for name, ours, theirs in (
        ("Annex A (xlsx)", ours_annex, pandas_annex),
        ("CIN census (xml)", ours_cin, pandas_cin),
        ("SSDA903 (csv)", ours_903, pandas_903),
        ("partner (csv)", ours_partner, pandas_partner),
    ):
        our_s, rows = timed(f"placewise {name}", ours)
        pd_s, pd_rows = timed(f"pandas    {name}", theirs)
        table.append((name, rows, rows / our_s, pd_rows / pd_s, our_s / pd_s))

    files = [
        str(council / "annex_a.xlsx"),
        str(council / "cin_census.xml"),
        *map(str, csvs_903),
        *map(str, partners),
    ]
    print("3. the whole ingest (validate, pseudonymise, load both stores)", flush=True)
    runs = {}
    runs["without DfE validators"] = measured(
        [str(BIN / "placewise"), "ingest", "--quiet", "--no-dfe", *files],
        {**env, "PLACEWISE_HOME": str(scratch / "home-nodfe")},
    )
    if not args.no_dfe:
        runs["with DfE validators"] = measured(
            [str(BIN / "placewise"), "ingest", "--quiet", *files],
            {**env, "PLACEWISE_HOME": str(scratch / "home-dfe")},
        )

    print()
    print(
        f"{'reader':<18} {'rows':>9} {'placewise rows/s':>17} {'pandas rows/s':>14} "
        f"{'time ratio (placewise / pandas)':>32}"
    )
    for name, rows, ours_rate, pd_rate, ratio in table:
        print(f"{name:<18} {rows:>9,} {ours_rate:>17,.0f} {pd_rate:>14,.0f} {ratio:>32.2f}")
    print()
    print(
        f"synth {args.children:,} × {args.years}y: {synth['seconds']:.1f} s "
        f"(target < 120 s: {synth['seconds'] / 120:.2f} of it), peak {synth['peak_mib']:.0f} MiB"
    )
    for label, run in runs.items():
        print(
            f"ingest {label}: {run['seconds']:.1f} s (target < 180 s: "
            f"{run['seconds'] / 180:.2f} of it), peak {run['peak_mib']:.0f} MiB "
            f"(target < 4096: {run['peak_mib'] / 4096:.2f} of it), exit {run['exit']:.0f}"
        )


if __name__ == "__main__":
    main()
