"""The `placewise` commands of linkage: `link` (in the enclave), `encode` (at an agency, before
its file leaves) and `export links`. Each runs with Django set up first."""

import argparse
import sys
from functools import partial
from pathlib import Path
from typing import Any

from placewise.place_commands import run_after


def cmd_link(args: argparse.Namespace) -> int:
    from placewise.linkage import quality
    from placewise.linkage.run import CannotTrain, link
    from placewise.sharing import actors

    engine = "Spark" if args.backend == "spark" else "DuckDB"
    print(f"linking source records into people in the enclave (Splink on {engine}) …", flush=True)
    try:
        run = link(
            # The model's own threshold unless one is given: one default, in linkage/run.py.
            **({"threshold": args.threshold} if args.threshold is not None else {}),
            backend=args.backend,
            encoded=True if args.encoded else None,
            progress=not args.quiet,
            by=actors.command_line(),
        )
    except CannotTrain as error:
        print(f"not linked: {error}")
        return 1
    print(
        f"{run.records:,} source records → {run.people:,} people in {run.seconds:.1f} s; "
        f"{run.review_queue:,} uncertain pairs waiting for clerical review"
    )
    from placewise.linkage import report
    from placewise.linkage.models import LinkageRun

    # Quality without ground truth, per pair of sources, and the model's parameters (issue 13).
    for line in report.lines(LinkageRun.objects.get(pk=run.run_id)):
        print(line)
    if args.truth:
        from django.conf import settings

        from placewise.linkage.encode import read_secret

        # Records from encoded files are known by keyed IDs: measure those with the secret.
        key_file = settings.PLACEWISE_LINKAGE_SECRET_FILE
        secret = read_secret(key_file) if key_file.exists() else None
        found = quality.against_truth(Path(args.truth), secret)
        print(
            f"against the ground truth: pair precision {found.precision:.4f}, "
            f"recall {found.recall:.4f}, F1 {found.f1:.4f} "
            f"({found.correct_pairs:,} of {found.true_pairs:,} true pairs found, "
            f"{found.found_pairs:,} pairs linked); clusters: precision "
            f"{found.cluster_precision:.4f}, recall {found.cluster_recall:.4f}, "
            f"F1 {found.cluster_f1:.4f} ({found.exact_clusters:,} of {found.true_clusters:,} "
            "people found exactly)"
        )
        print(f"{'by pair of sources':<56} {'true':>7} {'found':>7} {'P':>6} {'R':>6} {'F1':>6}")
        for pair in quality.by_source_pair(Path(args.truth), secret):
            label = f"{pair.source_a} ~ {pair.source_b}"
            print(
                f"{label:<56} {pair.true_pairs:>7,} {pair.found_pairs:>7,} "
                f"{pair.precision:>6.3f} {pair.recall:>6.3f} {pair.f1:>6.3f}"
            )
    return 0


def cmd_encode(args: argparse.Namespace) -> int:
    from placewise.linkage.encode import encode_file, read_secret
    from placewise.sources.canonical import FileRejected

    source = Path(args.file)
    mapping = Path(args.mapping) if args.mapping else source.with_suffix(".toml")
    try:
        secret = read_secret(Path(args.secret_file))
        done = encode_file(source, mapping, Path(args.out), secret)
    except FileNotFoundError as error:
        print(f"not encoded: {error.filename} does not exist", file=sys.stderr)
        return 2
    except FileRejected as error:
        print(f"not encoded: {error}", file=sys.stderr)
        return 1
    print(
        f"{done.rows:,} rows encoded to {done.out} with mapping {done.mapping}; "
        "no clear identifiers are in either"
    )
    return 0


def cmd_export_links(args: argparse.Namespace) -> int:
    from placewise.linkage.export import export_links
    from placewise.sharing import actors

    try:
        rows = export_links(Path(args.out), by=actors.command_line())
    except ValueError as error:
        print(f"nothing exported: {error}")
        return 1
    print(f"{rows:,} records written to {args.out} (source, source_record_id, person_key)")
    return 0


def add_parsers(sub: Any, django: Any) -> None:
    """Add the commands to the `placewise` parser; `django` sets Django up before each runs."""
    after_setup = partial(run_after, django)

    lk = sub.add_parser("link", help="link source records into people (Splink, in the enclave)")
    lk.add_argument(
        "--threshold",
        type=float,
        help="match probability to cluster at (default: the model's, linkage/run.py)",
    )
    lk.add_argument("--truth", help="a synthetic place's _truth/persons.csv, to report quality")
    lk.add_argument(
        "--backend",
        choices=("duckdb", "spark"),
        default="duckdb",
        help="where Splink runs: embedded DuckDB (default) or Spark (PLACEWISE_SPARK_MASTER)",
    )
    lk.add_argument(
        "--encoded",
        action="store_true",
        help="compare Bloom-filter encodings even if every source sent clear identifiers "
        "(it is automatic when one sent an encoded file)",
    )
    lk.add_argument("--quiet", action="store_true")
    lk.set_defaults(run=after_setup(cmd_link))

    en = sub.add_parser(
        "encode",
        help="at an agency: replace a CSV's identifiers with Bloom-filter encodings for linkage",
    )
    en.add_argument("file", help="the agency's CSV")
    en.add_argument("--mapping", help="its TOML mapping (default: FILE.toml beside it)")
    en.add_argument("--out", required=True, help="encoded CSV to write (mapping beside it)")
    en.add_argument(
        "--secret-file", required=True, help="the secret shared with the enclave, not the place"
    )
    en.set_defaults(run=after_setup(cmd_encode))

    ex = sub.add_parser("export", help="export from the enclave (audited)")
    ex_sub = ex.add_subparsers(dest="export_command", required=True)
    ex_links = ex_sub.add_parser("links", help="source, source_record_id, person_key per record")
    ex_links.add_argument("--out", required=True)
    ex.set_defaults(run=after_setup(cmd_export_links))
