"""`placewise init`, `placewise organisation add`, `placewise source register` and `rename`, and
`placewise recover`: setting a place up and settling it after a crash, from the command line (an
operator who holds the place's secrets). Each is an audited action."""

import argparse
import getpass
import sys
import tomllib
from functools import partial
from pathlib import Path
from typing import Any

# Imported without Django: the parser is built before Django is set up, so models are imported
# inside each command.


def cmd_organisation_add(args: argparse.Namespace) -> int:
    from placewise.sharing import actors
    from placewise.sharing.actions import ensure_organisation
    from placewise.sharing.models import Organisation

    if args.kind not in Organisation.Kind.values:
        print(f"not set up: the kind is one of {', '.join(Organisation.Kind.values)}")
        return 2
    organisation = ensure_organisation(name=args.name, kind=args.kind, by=actors.command_line())
    print(f"organisation '{organisation.name}' ({organisation.get_kind_display()}) is set up")
    return 0


def cmd_source_register(args: argparse.Namespace) -> int:
    from placewise.sharing import actors
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
        source = register_source(
            name=args.name, organisation=organisation, by=actors.command_line()
        )
    except SourceTaken as error:
        print(f"not registered: {error}")
        return 1
    print(f"source '{source.name}' is provided by {source.organisation.name}")
    return 0


def cmd_source_rename(args: argparse.Namespace) -> int:
    from placewise.sharing import actors
    from placewise.sources.models import Source
    from placewise.sources.naming import RenameRefused, rename_source

    source = Source.objects.filter(name=args.code).select_related("organisation").first()
    if source is None:
        print(f"not renamed: no source has the code '{args.code}'", file=sys.stderr)
        return 1
    try:
        renamed = rename_source(source=source, title=args.title, by=actors.command_line())
    except RenameRefused as refused:
        print(f"not renamed: {refused}", file=sys.stderr)
        return 1
    print(f"source '{renamed.name}' is now called '{renamed.title}'")
    return 0


def cmd_recover(args: argparse.Namespace) -> int:
    from placewise.sharing import actors
    from placewise.sources.actions import recover
    from placewise.sources.models import Load
    from placewise.sources.recovery import describe_undone

    before = set(Load.objects.filter(status=Load.Status.STAGING).values_list("pk", flat=True))
    recovered = recover(by=actors.command_line())
    for load in Load.objects.filter(pk__in=before).order_by("pk"):
        print(f"load {load.pk} ({load.file_name}): {load.message}")
    for words in describe_undone(recovered.writes_undone):
        print(f"recovered: {words}")
    if recovered.opt_outs_finished:
        n = recovered.opt_outs_finished
        print(
            f"recovered: {n:,} opt-out{'s' if n != 1 else ''} on the register whose removal from "
            "the stores had not finished: finished"
        )
    if recovered.retention_recorded:
        print(
            "recovered: a retention run stopped after its deletions committed: its deletions "
            f"from {', '.join(recovered.retention_recorded)} are now in the audit log"
        )
    for words in recovered.above:
        print(f"recovered: {words}")
    print(
        f"recovered: {recovered.identities_removed:,} identities no committed load owns removed; "
        f"{len(before):,} interrupted loads settled"
    )
    return 0


def _init_answers(args: argparse.Namespace) -> dict[str, str]:
    """The place's name, council and first administrator: from a TOML file, or asked for."""
    if args.from_file:
        path = Path(args.from_file)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise InitRefused(f"{path}: {error}") from None
        answers = {
            "name": data.get("place", {}).get("name"),
            "council": data.get("council", {}).get("name"),
            "username": data.get("administrator", {}).get("username"),
            "full_name": data.get("administrator", {}).get("full_name"),
        }
        missing = [
            key
            for key, (table, field) in INIT_KEYS.items()
            if not isinstance(answers[key], str) or not answers[key].strip()
        ]
        if missing:
            raise InitRefused(
                f"{path}: needs "
                + ", ".join(f"[{INIT_KEYS[k][0]}] {INIT_KEYS[k][1]}" for k in missing)
            )
        password_file = data.get("administrator", {}).get("password_file")
        if not isinstance(password_file, str):
            raise InitRefused(
                f"{path}: needs [administrator] password_file, a file holding the first password"
            )
        try:
            answers["password"] = (path.parent / password_file).read_text().strip()
        except OSError as error:
            raise InitRefused(f"{path}: password_file {password_file}: {error.strerror}") from None
        return {k: str(v).strip() for k, v in answers.items()}
    answers = {key: input(f"{question}: ").strip() for key, question in INIT_QUESTIONS.items()}
    first = getpass.getpass("Administrator's password: ")
    if getpass.getpass("The same password again: ") != first:
        raise InitRefused("the two passwords are not the same")
    return {**answers, "password": first}


INIT_KEYS = {
    "name": ("place", "name"),
    "council": ("council", "name"),
    "username": ("administrator", "username"),
    "full_name": ("administrator", "full_name"),
}
INIT_QUESTIONS = {
    "name": "The place's name (e.g. Northshire)",
    "council": "The council organisation (e.g. Northshire Council Children's Services)",
    "username": "The first administrator's username",
    "full_name": "The first administrator's full name",
}


class InitRefused(Exception):
    """`placewise init` cannot go on, and why."""


def cmd_init(args: argparse.Namespace) -> int:
    from django.contrib.auth import get_user_model, password_validation
    from django.core.exceptions import ValidationError

    from placewise.governance.actions import SetUpRefused, set_up_place
    from placewise.governance.models import Place
    from placewise.sharing import actors

    if (place := Place.objects.first()) is not None:
        print(
            f"not set up: the place '{place.name}' is already set up in this home", file=sys.stderr
        )
        return 1
    try:
        answers = _init_answers(args)
        empty = [INIT_QUESTIONS[k] for k in INIT_QUESTIONS if not answers[k]]
        if empty:
            raise InitRefused(f"nothing given for: {'; '.join(empty)}")
        try:
            password_validation.validate_password(
                answers["password"], get_user_model()(username=answers["username"])
            )
        except ValidationError as weak:
            raise InitRefused(f"the password: {' '.join(weak.messages)}") from None
        set_up_place(**answers, by=actors.command_line())
    except (InitRefused, SetUpRefused) as refused:
        print(f"not set up: {refused}", file=sys.stderr)
        return 1
    print(
        f"{answers['name']} is set up: {answers['council']}, administrator {answers['username']}. "
        "They sign in, set up their second factor, then add organisations and invite people "
        "under Set-up."
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

    init = sub.add_parser(
        "init", help="set up a new place: its name, council and first administrator (once)"
    )
    init.add_argument(
        "--from",
        dest="from_file",
        metavar="PLACE.toml",
        help="read the answers from a file ([place] name, [council] name, [administrator] "
        "username, full_name, password_file) instead of asking",
    )
    init.set_defaults(run=after_setup(cmd_init))

    org = sub.add_parser("organisation", help="the place's organisations")
    org_sub = org.add_subparsers(dest="organisation_command", required=True)
    add = org_sub.add_parser("add", help="set up an organisation (or change its kind)")
    add.add_argument("--name", required=True)
    add.add_argument(
        "--kind",
        required=True,
        help="council_childrens_services, nhs, icb, police, school, vru, voluntary or other",
    )
    add.set_defaults(run=after_setup(cmd_organisation_add))

    src = sub.add_parser("source", help="the place's sources of data")
    src_sub = src.add_subparsers(dest="source_command", required=True)
    reg = src_sub.add_parser("register", help="register a source to the organisation providing it")
    reg.add_argument("--name", required=True, help="the source name mapping files use")
    reg.add_argument("--organisation", required=True, help="the organisation providing it")
    reg.set_defaults(run=after_setup(cmd_source_register))
    ren = src_sub.add_parser(
        "rename", help="change the name people say for a source (its code stays; audited)"
    )
    ren.add_argument("code", help="the source's code, as mapping files name it")
    ren.add_argument(
        "--title", required=True, help='the new name, like "Missing from home reports"'
    )
    ren.set_defaults(run=after_setup(cmd_source_rename))

    rec = sub.add_parser(
        "recover", help="settle loads a crash interrupted (also run before every ingest and link)"
    )
    rec.set_defaults(run=after_setup(cmd_recover))
