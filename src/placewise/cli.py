"""The `placewise` command. Exit codes: 0 done, 1 a file was rejected, 2 usage."""

import argparse
import binascii
import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

from placewise import governance_commands, linkage_commands, operations_commands, place_commands
from placewise.config import server

T = TypeVar("T")


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "placewise.config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    # Only when something is pending: running `migrate` for nothing still opens SQLite's schema
    # editor, which refuses to work inside a transaction (a command called from a test is in one).
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", verbosity=0, interactive=False)
    # The shared cache's table is not a migration; this only looks for it once it exists.
    call_command("createcachetable", verbosity=0)


def _progress(enabled: bool) -> Any:
    def wrap(items: Iterable[T], label: str, total: int | None = None) -> Iterable[T]:
        if not enabled:
            return items
        from tqdm import tqdm

        return tqdm(
            items,
            desc=label,
            total=total,
            unit=" rows" if total is None else "",
            leave=False,
            file=sys.stderr,
            mininterval=0.5,
        )

    return wrap


def cmd_synth(args: argparse.Namespace) -> int:
    from placewise.synth.place import generate

    summary = generate(
        Path(args.out),
        children=args.children,
        years=args.years,
        seed=args.seed,
        noise=args.noise,
        progress=_progress(not args.quiet),
        signals=not args.no_signals,
    )
    print(
        f"synthetic place in {args.out}: {summary.children:,} children, "
        f"{summary.council_children:,} known to children's social care"
    )
    for name, rows in summary.files.items():
        print(f"  {name}: {rows:,} rows")
    print(f"  ground truth in {Path(args.out) / '_truth'} (never load it)")
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    _django()
    from placewise.sharing import actors
    from placewise.sources.actions import ingest_many

    worst = 0
    outcomes = ingest_many(
        [Path(n) for n in args.files],
        by=actors.command_line(),
        mapping=Path(args.mapping) if args.mapping else None,
        dry_run=args.dry_run,
        skip_bad_rows=args.skip_bad_rows,
        run_dfe=not args.no_dfe,
        progress=not args.quiet and sys.stderr.isatty(),
    )
    for name, outcome in zip(args.files, outcomes, strict=True):
        kind = f" [{outcome.format} {outcome.detail}]".rstrip() if outcome.format else ""
        print(f"{name}{kind}: {outcome.message}")
        shown = [i for i in outcome.issues if i.severity == "error"][: args.show]
        for issue in shown:
            where = ", ".join(
                p
                for p in (
                    f"row {issue.row}" if issue.row else "",
                    f"column '{issue.column}'" if issue.column else "",
                )
                if p
            )
            print(f"  error{' at ' + where if where else ''}: {issue.reason}")
        errors = sum(1 for i in outcome.issues if i.severity == "error")
        if errors > len(shown):
            print(
                f"  … and {errors - len(shown):,} more errors"
                + (f" (see load {outcome.load.pk} in the Data area)" if outcome.load else "")
            )
        if not outcome.ok:
            worst = 1
    return worst


def cmd_status(args: argparse.Namespace) -> int:
    _django()
    from placewise.sources.queries import status

    report = status()
    if args.json:
        print(json.dumps(report, indent=2, default=str))
        return 0
    for store, tables in report["stores"].items():
        print(f"{store}: " + ", ".join(f"{t} {n:,}" for t, n in tables.items()))
    for held in report["events_held"]:
        print(
            f"{held['source']} {held['kind']}: {held['events']:,} events held"
            + (f", {held['replaced']:,} replaced by later loads" if held["replaced"] else "")
        )
    for load in report["loads"]:
        print(
            f"load {load['id']}: {load['file_name']} {load['status']} "
            f"({load['rows_loaded']:,} of {load['rows_read']:,} rows)"
        )
    return 0


def cmd_spc(args: argparse.Namespace) -> int:
    from placewise.indicators import series_file
    from placewise.sources.canonical import FileRejected

    try:
        series = series_file.read(Path(args.file))
        steps = [series_file.parse_period(s) for s in args.step]
        result = series_file.chart(series, steps, args.baseline)
        sys.stdout.write(series_file.as_csv(series, result))
    except FileNotFoundError as error:
        print(f"not charted: {error.filename} does not exist", file=sys.stderr)
        return 2
    except (FileRejected, UnicodeDecodeError) as error:
        print(f"not charted: {error}", file=sys.stderr)
        return 1
    return 0


def cmd_indicators(args: argparse.Namespace) -> int:
    _django()
    from placewise.outcomes import actions
    from placewise.sharing import actors

    try:
        rows = actions.export(out=Path(args.out), audience=args.audience, by=actors.command_line())
    except ValueError as error:
        print(f"not exported: {error}", file=sys.stderr)
        return 1
    shown = (
        "the place's figures as partners may see them (small counts withheld)"
        if args.audience == "partners"
        else "exact counts for the place and every team: keep inside your organisation"
    )
    print(f"{rows:,} rows written to {args.out}: {shown}")
    return 0


def cmd_authenticator(args: argparse.Namespace) -> int:
    import pyotp

    # Does what an authenticator app does with the key the set-up page shows: nothing more.
    try:
        print(pyotp.TOTP(args.key.replace(" ", "").upper()).now())
    except (ValueError, binascii.Error):
        print(
            "that is not an authenticator key: use the letters and digits the set-up page shows",
            file=sys.stderr,
        )
        return 2
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    _django()
    from django.core.management import call_command

    from placewise.jobs import workers
    from placewise.operations import rekey
    from placewise.outcomes import data
    from placewise.sharing import actors
    from placewise.sources.actions import recover

    # Before the worker starts and anything is loaded: a re-keying interrupted by a crash is
    # finished or undone, so every process from here on reads the secret the stores are keyed by.
    if settled := rekey.settle():
        print(f"a re-keying interrupted earlier was {settled}", flush=True)
    recover(by=actors.command_line())
    # Jobs (uploads, linkage runs) are run by a worker beside the server, stopped with it.
    workers.start_beside_server()

    # Indicators are computed once per version of the data and kept in the shared cache (and in
    # this process's copy, which the server's workers inherit): compute them now, before the
    # workers fork, so the first person to open Outcomes does not wait.
    try:
        signals = data.all_signals()
    except Exception as error:  # the app still serves without them
        print(f"indicators not computed yet ({error})")
    else:
        # What partners see of each series is the same for every partner: work it out now too.
        data.published_for_partners()
        print(f"{len(signals):,} indicator series ready")
    if args.dev:
        call_command("runserver", f"{args.host}:{args.port}", use_reloader=False)
    else:
        server.run(host=args.host, port=args.port, workers=args.workers, threads=args.threads)
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    _django()
    from placewise.jobs import workers
    from placewise.sharing import actors

    if args.no_supervisor:
        workers.run_worker()
        return 0
    print("worker started: running queued jobs (Ctrl-C to stop)", flush=True)
    return workers.supervise(by=actors.command_line(), beside=args.beside)


def cmd_demo(args: argparse.Namespace) -> int:
    _django()
    from placewise.demo import build

    build(
        children=args.children,
        years=args.years,
        seed=args.seed,
        progress=_progress(not args.quiet),
        url=f"http://{args.host}:{args.port}/",
    )
    if args.serve:
        return cmd_serve(args)
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="placewise", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("synth", help="write a synthetic place in the real statutory formats")
    s.add_argument("--out", required=True)
    s.add_argument("--children", type=int, default=10_000)
    s.add_argument("--years", type=int, default=5)
    s.add_argument("--seed", type=int, default=1)
    s.add_argument("--noise", choices=("none", "default", "heavy"), default="default")
    s.add_argument("--quiet", action="store_true")
    s.add_argument(
        "--no-signals",
        action="store_true",
        help="a control place: no step change or trend hidden in it (for false-alarm rates)",
    )
    s.set_defaults(run=cmd_synth)

    i = sub.add_parser(
        "ingest", help="validate and load files (Annex A, SSDA903, CIN, partner CSV)"
    )
    i.add_argument("files", nargs="+")
    i.add_argument(
        "--mapping", help="TOML mapping for a partner CSV (default: FILE.toml beside it)"
    )
    i.add_argument("--dry-run", action="store_true", help="validate only; write nothing")
    i.add_argument(
        "--skip-bad-rows",
        action="store_true",
        help="load the good rows and list the rejected ones, instead of rejecting the file",
    )
    i.add_argument("--no-dfe", action="store_true", help="skip the DfE validators")
    i.add_argument("--show", type=int, default=20, help="errors to print per file")
    i.add_argument("--quiet", action="store_true")
    i.set_defaults(run=cmd_ingest)

    st = sub.add_parser("status", help="loads and row counts per store")
    st.add_argument("--json", action="store_true")
    st.set_defaults(run=cmd_status)

    t = sub.add_parser(
        "authenticator", help="print the current code for an authenticator key (like an app does)"
    )
    t.add_argument("--key", required=True, help="the key shown when setting up the second factor")
    t.set_defaults(run=cmd_authenticator)

    sp = sub.add_parser(
        "spc", help="SPC for your own series: period,value or period,numerator,denominator"
    )
    sp.add_argument("file", help="CSV with a header row")
    sp.add_argument(
        "--step",
        action="append",
        default=[],
        metavar="PERIOD",
        help="a recorded step change: limits are re-based from this period (repeatable)",
    )
    sp.add_argument(
        "--baseline",
        type=int,
        metavar="N",
        help="fix the limits from the first N periods (of each phase); default: all periods",
    )
    sp.set_defaults(run=cmd_spc)

    ind = sub.add_parser("indicators", help="every indicator per month, place and team")
    ind.add_argument("--out", required=True, help="FILE.csv or FILE.xlsx")
    ind.add_argument(
        "--audience",
        choices=("partners", "own"),
        default="partners",
        help="partners (default): the place's figures with small counts withheld, as any "
        "organisation may see them; own: exact counts for every team, not to be shared",
    )
    ind.set_defaults(run=cmd_indicators)

    linkage_commands.add_parsers(sub, _django)
    place_commands.add_parsers(sub, _django)
    governance_commands.add_parsers(sub, _django)
    operations_commands.add_parsers(sub, _django)

    wk = sub.add_parser("worker", help="run queued jobs: uploads, linkage runs (serve starts one)")
    wk.add_argument("--no-supervisor", action="store_true", help=argparse.SUPPRESS)
    wk.add_argument("--beside", type=int, help=argparse.SUPPRESS)  # the server's process id
    wk.set_defaults(run=cmd_worker)
    for name, helptext in (
        ("serve", "run the web app"),
        ("demo", "build the demo place and users"),
    ):
        c = sub.add_parser(name, help=helptext)
        c.add_argument("--host", default="127.0.0.1")
        c.add_argument("--port", default="8000")
        c.add_argument(
            "--dev", action="store_true", help="Django's development server instead of gunicorn"
        )
        c.add_argument(
            "--workers",
            type=int,
            default=server.default_workers(),
            help="worker processes (default: one per core, at least two)",
        )
        c.add_argument(
            "--threads",
            type=int,
            default=server.THREADS,
            help=f"threads per worker (default {server.THREADS})",
        )
        if name == "demo":
            c.add_argument("--children", type=int, default=5000)
            c.add_argument("--years", type=int, default=5)
            c.add_argument("--seed", type=int, default=1)
            c.add_argument("--serve", action="store_true")
            c.add_argument("--quiet", action="store_true")
            c.set_defaults(run=cmd_demo)
        else:
            c.set_defaults(run=cmd_serve)
    return p


def main(argv: list[str] | None = None) -> int:
    try:
        args = parser().parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
