"""Before and after in the same run: the dashboard pages, the indicators and their export, timed on
the code of two commits, alternating, with each measure's median and the ratio after/before.

    .venv/bin/python bench/compare.py                        # before 916ce34, after HEAD
    .venv/bin/python bench/compare.py --rounds 4 --events 2000000 --children 5000
    .venv/bin/python bench/compare.py --before REV --after REV --work DIR --keep
    .venv/bin/python bench/compare.py --only indicators --events 20000 --rounds 1  # a smoke test

Issue 14's measure: "No page, export or chart may get slower". Its work began at 5c3795c (issue 12
finished and the start of issues 13 and 14: the first one publication path), so "before" is the
commit before it, 916ce34.

How each side runs: each commit is checked out as a git worktree in a scratch folder and run by
this project's .venv interpreter with PYTHONPATH=<worktree>/src, so it imports only its own source
(checked before anything is timed); the DfE validators' .venv-dfe, node_modules and build are
symlinked in, as neither commit's pages are timed through the browser. Each side builds its own
demo place (`placewise demo`, same seed and size) in its own home, with its own migrations.

The timing scripts are this checkout's bench/pages.py and bench/indicators.py, pointed at each
side: the same measuring code both times, so only the code measured differs (the older copies also
lack the partner pages, which the publication path changed most, and the --json output this
reads). bench/indicators.py makes its random events afresh in every run, from the same mix; its
pandas stage is the same code on both sides and so shows how much the machine alone moved (timed
in the first round only by default: it takes longer than everything else). The
export is `placewise indicators --out FILE.csv` as a command, interpreter start-up included.

Rounds alternate the order (before then after, then after then before) so a machine that slows
down during the run does not favour either side. Each figure is the median over the rounds of a
run's own figure (a page's median of --repeats requests after its first).
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
# The command line by module, not .venv/bin/placewise: that script's first line names whichever
# checkout last ran pip install -e, and it vanished mid-run once while another engineer reinstalled.
PLACEWISE = [sys.executable, "-m", "placewise.cli"]
# What a commit's code finds beside its source but git does not hold (installed by scripts/setup.sh).
SHARED = (".venv-dfe", "node_modules", "build")
BEFORE = "916ce34"
STARTED = time.perf_counter()


def say(message: str) -> None:
    print(f"[{time.perf_counter() - STARTED:6.0f} s] {message}", flush=True)


@dataclass
class Side:
    label: str
    rev: str
    commit: str
    tree: Path
    home: Path
    # measure name -> one figure per run (seconds)
    figures: dict[str, list[float]] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)

    def env(self, home: Path | None) -> dict[str, str]:
        env = dict(os.environ)
        # Each side on its own SQLite database and settings, never the caller's.
        for name in ("DATABASE_URL", "PLACEWISE_HOME", "DJANGO_SETTINGS_MODULE", "PYTHONPATH"):
            env.pop(name, None)
        env["PYTHONPATH"] = str(self.tree / "src")
        scratch = self.home.parent / f"{self.label}-tmp"
        scratch.mkdir(exist_ok=True)
        env["TMPDIR"] = str(scratch)  # bench/indicators.py's stores land here and are removed
        if home is not None:
            env["PLACEWISE_HOME"] = str(home)
        return env

    def add(self, measure: str, seconds: float) -> None:
        self.figures.setdefault(measure, []).append(seconds)


def git(*args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(REPO), *args], check=True, capture_output=True, text=True
    ).stdout.strip()


def checkout(label: str, rev: str, work: Path) -> Side:
    commit = git("rev-parse", "--verify", f"{rev}^{{commit}}")
    tree = work / f"{label}-tree"
    if tree.exists():
        if git("-C", str(tree), "rev-parse", "HEAD") != commit:
            raise SystemExit(f"{tree} is not at {rev}: remove it or choose another --work")
    else:
        say(f"{label}: worktree of {rev} ({commit[:10]}) in {tree}")
        git("worktree", "add", "--detach", str(tree), commit)
    for name in SHARED:
        if (REPO / name).exists() and not (tree / name).exists():
            (tree / name).symlink_to(REPO / name)
    side = Side(label, rev, commit, tree, work / f"{label}-home")
    found = subprocess.run(
        [sys.executable, "-c", "import placewise; print(placewise.__file__)"],
        env=side.env(None),
        check=True,
        capture_output=True,
        text=True,
        cwd=tree,
    ).stdout.strip()
    if not Path(found).is_relative_to(tree / "src"):
        raise SystemExit(f"{label} would import placewise from {found}, not {tree / 'src'}")
    return side


def build_demos(sides: list[Side], children: int) -> None:
    """Both demo places at once (their build is not timed)."""
    running = []
    for side in sides:
        if (side.home / ".compare-built").exists():
            say(f"{side.label}: demo place already built in {side.home}")
            continue
        side.home.mkdir(parents=True, exist_ok=True)
        say(f"{side.label}: building the demo place ({children:,} children) in {side.home} …")
        log = (side.home.parent / f"{side.label}-demo.log").open("w")
        command = [*PLACEWISE, "demo", "--quiet", "--children", str(children)]
        process = subprocess.Popen(
            command, env=side.env(side.home), cwd=side.tree, stdout=log, stderr=subprocess.STDOUT
        )
        running.append((side, process, log))
    for side, process, log in running:
        code = process.wait()
        log.close()
        if code != 0:
            tail = Path(log.name).read_text().splitlines()[-20:]
            raise SystemExit(f"{side.label}: demo build failed ({code}):\n" + "\n".join(tail))
        (side.home / ".compare-built").touch()
        say(f"{side.label}: demo place built")


def run_pages(side: Side, repeats: int) -> None:
    out = side.home.parent / f"{side.label}-pages.json"
    out.unlink(missing_ok=True)
    done = subprocess.run(
        [sys.executable, str(BENCH / "pages.py"), "--json", str(out), "--repeats", str(repeats)],
        env=side.env(side.home),
        cwd=side.tree,
        capture_output=True,
        text=True,
    )
    if not out.exists():
        raise SystemExit(f"{side.label}: bench/pages.py failed ({done.returncode}):\n{done.stderr}")
    found = json.loads(out.read_text())
    for page, times in found["pages"].items():
        side.add(f"page: {page}", times["median"])
    side.failed.update({f"page: {page}": why for page, why in found["failed"].items()})


def run_indicators(side: Side, events: int, pandas: bool) -> None:
    out = side.home.parent / f"{side.label}-indicators.json"
    out.unlink(missing_ok=True)
    command = [sys.executable, str(BENCH / "indicators.py"), "--events", str(events)]
    command += ["--json", str(out), *([] if pandas else ["--no-pandas"])]
    done = subprocess.run(
        command, env=side.env(None), cwd=side.tree, capture_output=True, text=True
    )
    scratch = side.home.parent / f"{side.label}-tmp"
    shutil.rmtree(scratch, ignore_errors=True)  # the run's 'events' store, a few hundred MB
    if not out.exists():
        side.failed["indicators"] = f"bench/indicators.py failed ({done.returncode})"
        say(f"{side.label}: {side.failed['indicators']}:\n{done.stderr[-2000:]}")
        return
    found = json.loads(out.read_text())
    names = {
        "placewise": "indicators: every indicator (placewise, DuckDB)",
        "pandas": "indicators: pandas, same code both sides (control)",
        "generate": "indicators: generating the events (bench code)",
    }
    for stage, seconds in found["stages"].items():
        side.add(names.get(stage, f"indicators: {stage}"), seconds)
    if found.get("agreement", {}).get("differ") or found.get("agreement", {}).get("only_one_side"):
        side.failed["indicators agree with pandas"] = json.dumps(found["agreement"])


def run_export(side: Side, repeats: int) -> None:
    """`placewise indicators --out`: the default file and the exact every-team file. Before the
    publication path there was one file, exact for every team, and no --audience to ask for it."""
    env = side.env(side.home)
    usage = subprocess.run(
        [*PLACEWISE, "indicators", "--help"],
        env=env,
        cwd=side.tree,
        capture_output=True,
        text=True,
    ).stdout
    exact = ["--audience", "own"] if "--audience" in usage else []
    out = side.home.parent / f"{side.label}-export.csv"
    for measure, extra in (
        ("export: placewise indicators --out (default)", []),
        ("export: the same, exact for every team", exact),
    ):
        for _ in range(repeats):
            started = time.perf_counter()
            done = subprocess.run(
                [*PLACEWISE, "indicators", "--out", str(out), *extra],
                env=env,
                cwd=side.tree,
                capture_output=True,
                text=True,
            )
            seconds = time.perf_counter() - started
            if done.returncode != 0:
                side.failed[measure] = done.stderr.strip()[-300:]
                break
            side.add(measure, seconds)


def shown(measure: str, figures: list[float] | None) -> str:
    """A median in ms for pages, in seconds with two decimals for the rest."""
    if not figures:
        return "–"
    if measure.startswith("page:"):
        return f"{statistics.median(figures) * 1000:,.0f} ms"
    return f"{statistics.median(figures):,.2f} s"


def table(before: Side, after: Side) -> list[str]:
    lines = [
        f"| measure | before {before.commit[:7]} | after {after.commit[:7]} | after/before |",
        "|---|---:|---:|---:|",
    ]
    measures = list(dict.fromkeys([*before.figures, *after.figures]))
    for measure in measures:
        old, new = before.figures.get(measure), after.figures.get(measure)
        if old and new:
            ratio = f"{statistics.median(new) / statistics.median(old):.2f}"
        else:
            ratio = "new" if new else "gone"
        lines.append(f"| {measure} | {shown(measure, old)} | {shown(measure, new)} | {ratio} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--before", default=BEFORE, help=f"commit before the work ({BEFORE})")
    parser.add_argument("--after", default="HEAD", help="commit after the work (HEAD)")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each side, alternating")
    parser.add_argument("--events", type=int, default=2_000_000, help="bench/indicators.py's")
    parser.add_argument("--children", type=int, default=5000, help="the demo place's")
    parser.add_argument("--repeats", type=int, default=15, help="requests per page per run")
    parser.add_argument("--exports", type=int, default=2, help="exports per kind per run")
    parser.add_argument(
        "--only", choices=("pages", "indicators"), help="one bench (pages includes the export)"
    )
    parser.add_argument(
        "--pandas-rounds",
        type=int,
        default=1,
        help="rounds that also time pandas, the control (1: it takes longer than the rest)",
    )
    parser.add_argument("--work", type=Path, help="scratch folder (reused: built places are kept)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder and worktrees")
    args = parser.parse_args()

    work = args.work or Path(tempfile.mkdtemp(prefix="placewise-compare-"))
    work = work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    sides: list[Side] = []
    try:
        for label, rev in (("before", args.before), ("after", args.after)):
            sides.append(checkout(label, rev, work))
        before, after = sides
        say(
            f"before {before.rev} = {before.commit[:10]}, after {after.rev} = {after.commit[:10]}; "
            f"{args.rounds} rounds, {args.events:,} events, {args.children:,} children"
        )
        if args.only != "indicators":
            build_demos(sides, args.children)
        for round_ in range(args.rounds):
            order = sides if round_ % 2 == 0 else sides[::-1]
            for side in order if args.only != "indicators" else []:
                say(f"round {round_ + 1}/{args.rounds}: pages, {side.label} …")
                run_pages(side, args.repeats)
            for side in order if args.only != "indicators" else []:
                say(f"round {round_ + 1}/{args.rounds}: export, {side.label} …")
                run_export(side, args.exports)
            for side in order if args.only != "pages" else []:
                say(
                    f"round {round_ + 1}/{args.rounds}: indicators ({args.events:,} events), {side.label} …"
                )
                run_indicators(side, args.events, pandas=round_ < args.pandas_rounds)
            # Each round's table as it stands, so a run stopped early still has its figures.
            print("\n".join(["", f"after round {round_ + 1}:", *table(before, after)]), flush=True)
        print()
        print("\n".join(table(before, after)))
        for side in sides:
            for measure, why in side.failed.items():
                print(f"\n{side.label} could not run '{measure}': {why}")
    finally:
        if not args.keep:
            for side in sides:
                subprocess.run(
                    ["git", "-C", str(REPO), "worktree", "remove", "--force", str(side.tree)],
                    check=False,
                )
            shutil.rmtree(work, ignore_errors=True)
        else:
            say(f"kept {work} (remove its worktrees with: git worktree remove --force DIR)")


if __name__ == "__main__":
    main()
