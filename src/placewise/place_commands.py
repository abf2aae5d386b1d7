"""`placewise organisation add`, `placewise source register` and `placewise recover`: setting a
place up and settling it after a crash, from the command line (an operator who holds the place's
secrets). Each is an audited action."""

import argparse
import getpass
from functools import partial
from typing import Any

# Imported without Django: the parser is built before Django is set up, so models are imported
# inside each command.


def operator() -> str:
    """Who ran a command, as the audit log names them (every command names them the same way)."""
    return f"cli:{getpass.getuser()}"


def cmd_organisation_add(args: argparse.Namespace) -> int:
    from placewise.sharing.actions import ensure_organisation
    from placewise.sharing.models import Organisation

    if args.kind not in Organisation.Kind.values:
        print(f"not set up: the kind is one of {', '.join(Organisation.Kind.values)}")
        return 2
    organisation = ensure_organisation(name=args.name, kind=args.kind, by=operator())
    print(f"organisation '{organisation.name}' ({organisation.get_kind_display()}) is set up")
    return 0


def cmd_source_register(args: argparse.Namespace) -> int:
    from placewise.sharing.models import Organisation
    from placewise.sources.actions import SourceTaken, register_source

    organisation = Organisation.objects.filter(name=args.organisation).first()
    if organisation is None:
        print(
            f"not registered: no organisation called '{args.organisation}' is set up "
            "(add it with: placewise organisation add --name NAME --kind KIND)"
        )
        return 1
    try:
        source = register_source(name=args.name, organisation=organisation, by=operator())
    except SourceTaken as error:
        print(f"not registered: {error}")
        return 1
    print(f"source '{source.name}' is provided by {source.organisation.name}")
    return 0


def cmd_recover(args: argparse.Namespace) -> int:
    from placewise.sources.actions import recover
    from placewise.sources.models import Load

    before = set(Load.objects.filter(status=Load.Status.STAGING).values_list("pk", flat=True))
    recovered = recover(by=operator())
    for load in Load.objects.filter(pk__in=before).order_by("pk"):
        print(f"load {load.pk} ({load.file_name}): {load.message}")
    print(
        f"recovered: {recovered.identities_removed:,} identities no committed load owns removed; "
        f"{len(before):,} interrupted loads settled"
    )
    return 0


def run_after(django: Any, run: Any) -> Any:
    """`run`, with Django set up first (the parser is built before it is)."""

    def wrapped(args: argparse.Namespace) -> int:
        django()
        return int(run(args))

    return wrapped


def add_parsers(sub: Any, django: Any) -> None:
    """Add the commands to the `placewise` parser; `django` sets Django up before each runs."""
    after_setup = partial(run_after, django)

    org = sub.add_parser("organisation", help="the place's organisations")
    org_sub = org.add_subparsers(dest="organisation_command", required=True)
    add = org_sub.add_parser("add", help="set up an organisation (or change its kind)")
    add.add_argument("--name", required=True)
    add.add_argument(
        "--kind",
        required=True,
        help="council_childrens_services, nhs, police, school, vru, voluntary or other",
    )
    add.set_defaults(run=after_setup(cmd_organisation_add))

    src = sub.add_parser("source", help="the place's sources of data")
    src_sub = src.add_subparsers(dest="source_command", required=True)
    reg = src_sub.add_parser("register", help="register a source to the organisation providing it")
    reg.add_argument("--name", required=True, help="the source name mapping files use")
    reg.add_argument("--organisation", required=True, help="the organisation providing it")
    reg.set_defaults(run=after_setup(cmd_source_register))

    rec = sub.add_parser(
        "recover", help="settle loads a crash interrupted (also run before every ingest and link)"
    )
    rec.set_defaults(run=after_setup(cmd_recover))
