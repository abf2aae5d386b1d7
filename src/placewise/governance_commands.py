"""`placewise audit`, `placewise retention apply` and `placewise optout`: the governance an
operator runs from the command line (holding the place's secrets). Each write is an audited
action; the actor is the operator, named as every command names them (place_commands.operator)."""

import argparse
import sys
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from placewise.place_commands import run_after

# Imported without Django: the parser is built before Django is set up, so models are imported
# inside each command.


def iso_date(value: str) -> date:
    """A YYYY-MM-DD argument, or argparse's own error naming it."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{value}' is not a date in the form YYYY-MM-DD"
        ) from None


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from placewise.sharing.audit import verify

    try:
        result = verify(Path(args.anchor) if args.anchor else None)
    except FileNotFoundError as error:
        print(f"not verified: {error.filename} does not exist", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"not verified: {error.filename}: {error.strerror}", file=sys.stderr)
        return 2
    if not result.ok:
        count = len(result.problems)
        print(f"audit log broken ({count:,} problem{'' if count == 1 else 's'}):")
        for problem in result.problems:
            print(f"  {problem}")
        return 1
    print(f"audit log intact: {result.entries:,} entries, chain unbroken")
    if result.anchor is None:
        print("  no anchor to check it against yet: `placewise audit anchor` makes one")
    else:
        print(
            f"  and it still holds entry {result.anchor.seq:,} as anchored at {result.anchor.at} "
            f"({result.anchor.path})"
        )
    return 0


def cmd_audit_anchor(args: argparse.Namespace) -> int:
    from placewise.sharing import actors
    from placewise.sharing.audit import anchor

    out = Path(args.out) if args.out else None
    try:
        taken = anchor(by=actors.command_line(), out=out)
    except OSError as error:
        print(f"not anchored: {error.filename}: {error.strerror}", file=sys.stderr)
        return 2
    if out is None:
        sys.stdout.write(taken.as_json())
    print(
        f"anchored entry {taken.seq:,}"
        + (f" in {out}" if out else "")
        + " (a copy is in the place's audit-anchors folder); keep it where the database's "
        "administrators cannot change it",
        file=sys.stderr if out is None else sys.stdout,
    )
    return 0


def cmd_optout(args: argparse.Namespace) -> int:
    from django.conf import settings

    from placewise.sharing import actors
    from placewise.sharing.opt_outs import opt_out

    opt_out(
        source=args.source,
        reference=args.reference,
        secret=settings.PLACE_SECRET,
        by=actors.command_line(),
    )
    print(
        f"{args.source}/{args.reference} added to the opt-out register; "
        "their records are held back from the next load on"
    )
    return 0


def cmd_retention_apply(args: argparse.Namespace) -> int:
    from django.conf import settings

    from placewise.jobs import actions as jobs
    from placewise.jobs.at_retention import other_steps
    from placewise.sharing import actions, actors
    from placewise.sources import retention

    today = args.today or date.today()
    by = actors.command_line()
    for agreement in actions.expire_due(today=today, by=by):
        print(f"agreement '{agreement.title}' ended {agreement.ends_on}: marked expired")
    for purged in retention.apply(today=today, by=by):
        print(
            f"{purged.source}: kept {purged.retention_days} days (from {purged.cutoff}); "
            f"deleted {purged.events:,} events, {purged.identities:,} identities, "
            f"{purged.records:,} coded records"
        )
    days = settings.PLACEWISE_JOB_FILES_DAYS
    for job in jobs.forget_old_files(days=days, by=by):
        print(f"job {job.pk}: its files deleted (ended more than {days} days ago)")
    for words in other_steps(today=today, by=by):
        print(words)
    return 0


def add_parsers(sub: Any, django: Any) -> None:
    """Add the commands to the `placewise` parser; `django` sets Django up before each runs."""
    after_setup = partial(run_after, django)

    a = sub.add_parser("audit", help="the audit log")
    audit_sub = a.add_subparsers(dest="audit_command", required=True)
    av = audit_sub.add_parser(
        "verify", help="check the keyed hash chain and the last anchor; exit 1 naming every problem"
    )
    av.add_argument(
        "--anchor",
        metavar="FILE",
        help="an anchor kept elsewhere (default: the newest in PLACEWISE_HOME/audit-anchors/)",
    )
    av.set_defaults(run=after_setup(cmd_audit_verify))
    an = audit_sub.add_parser(
        "anchor", help="export the newest entry, signed, to keep outside the database (audited)"
    )
    an.add_argument("--out", metavar="FILE", help="where to write it (default: print it)")
    an.set_defaults(run=after_setup(cmd_audit_anchor))

    r = sub.add_parser("retention", help="delete data past its retention period")
    retention_sub = r.add_subparsers(dest="retention_command", required=True)
    apply_parser = retention_sub.add_parser(
        "apply", help="expire agreements past their end and delete data past retention (daily)"
    )
    apply_parser.add_argument("--today", type=iso_date, help="YYYY-MM-DD (default: today)")
    r.set_defaults(run=after_setup(cmd_retention_apply))

    o = sub.add_parser("optout", help="add a person to the opt-out register")
    o.add_argument("--source", required=True)
    o.add_argument("--reference", required=True, help="the person's record ID in that source")
    o.set_defaults(run=after_setup(cmd_optout))
