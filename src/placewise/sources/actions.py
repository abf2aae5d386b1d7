"""Every write to the data stores goes through ingest(): atomic, with an actor, recorded."""

import getpass
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from placewise.sharing.models import OptOut, Organisation
from placewise.sources import dfe
from placewise.sources.canonical import FileRejected, Issue, Parsed
from placewise.sources.detect import Recognised, recognise
from placewise.sources.models import Load, LoadIssue
from placewise.sources.readers import csvfile, ssda903
from placewise.sources.readers.partner import Mapping, load_mapping
from placewise.sources.staging import Staged
from placewise.store import stores
from placewise.store.pseudonymise import Tokeniser

# A load keeps at most this many issues row by row; the total is always counted.
MAX_STORED_ISSUES = 5000


@dataclass
class Outcome:
    """What happened to one file."""

    file: Path
    status: str  # loaded | rejected | duplicate | validated | failed
    message: str
    load: Load | None = None
    format: str = ""
    detail: str = ""
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    identities: int = 0
    events: int = 0
    issues: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status in {"loaded", "duplicate", "validated"}


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def find_mapping(path: Path, given: Path | None) -> Mapping | None:
    """The mapping given, or one beside the file with the same name and .toml."""
    if given is not None:
        return load_mapping(given)
    beside = path.with_suffix(".toml")
    return load_mapping(beside) if beside.exists() else None


def ingest(
    path: Path,
    *,
    by: AbstractBaseUser | None,
    mapping: Path | None = None,
    dry_run: bool = False,
    skip_bad_rows: bool = False,
    run_dfe: bool = True,
    progress: Callable[[Iterable[Parsed], str], Iterable[Parsed]] | None = None,
) -> Outcome:
    """Validate a file and, unless dry_run, load it into the enclave and analytic store.

    A file with any error is rejected whole unless skip_bad_rows, in which case the rows with
    errors are left out and listed. Either way the load is all or nothing.
    """
    path = Path(path)
    actor = by.get_username() if by is not None else f"cli:{getpass.getuser()}"
    if not path.is_file():
        return Outcome(path, "rejected", f"{path}: no such file")
    sha = file_sha256(path)
    previous = Load.objects.filter(file_sha256=sha, status=Load.Status.LOADED).first()
    if previous is not None:
        return Outcome(
            path,
            "duplicate",
            f"already loaded as load {previous.pk} on "
            f"{previous.started_at:%d/%m/%Y %H:%M}; nothing to do",
            load=previous,
        )
    staged = Staged()
    issues: list[Issue] = []
    counts = {"read": 0, "rejected": 0, "opted_out": 0}
    try:
        found = recognise(
            path,
            council_source=settings.PLACEWISE_COUNCIL_SOURCE,
            council_organisation=settings.PLACEWISE_COUNCIL_ORGANISATION,
            mapping=find_mapping(path, mapping),
            max_bytes=settings.PLACEWISE_MAX_UPLOAD_BYTES,
        )
        tokens = Tokeniser(settings.PLACE_SECRET)
        opted_out = set(OptOut.objects.filter(source=found.source).values_list("token", flat=True))
        rows: Iterable[Parsed] = found.read()
        if progress is not None:
            rows = progress(rows, path.name)
        for parsed in rows:
            issues.extend(parsed.issues)
            if not parsed.is_row:
                continue
            counts["read"] += 1
            if parsed.has_errors:
                counts["rejected"] += 1
                continue
            if opted_out and _opted_out(parsed, tokens, opted_out):
                counts["opted_out"] += 1
                continue
            if parsed.identity is not None:
                staged.add_identity(parsed.identity, tokens)
            for event in parsed.events:
                staged.add_event(event, tokens)
    except FileRejected as error:
        issues.append(Issue(error.reason, error.row, error.column, "error", "file"))
        return _rejected(path, sha, actor, by, None, str(error), issues, counts, dry_run)
    found_format, found_detail = found.format, found.detail
    if counts["rejected"] and not skip_bad_rows:
        message = (
            f"rejected: {counts['rejected']:,} of {counts['read']:,} rows have errors; "
            "nothing was loaded (fix them, or load with --skip-bad-rows)"
        )
        return _rejected(path, sha, actor, by, found, message, issues, counts, dry_run)
    if run_dfe:
        by_table = dfe.split_by_table(dfe.validate(found.format, [path]))
        if found.format == "ssda903":
            issues.extend(by_table.get(found.detail, []))
        else:
            issues.extend(i for table in by_table.values() for i in table)
    n_identities, n_events = len(staged.identities["token"]), len(staged.events["token"])
    loaded = counts["read"] - counts["rejected"] - counts["opted_out"]
    if dry_run:
        return Outcome(
            path,
            "validated",
            f"valid: {loaded:,} rows would load "
            f"({n_identities:,} identities, {n_events:,} events); nothing was written",
            rows_read=counts["read"],
            rows_loaded=0,
            rows_rejected=counts["rejected"],
            identities=n_identities,
            events=n_events,
            issues=issues,
            format=found_format,
            detail=found_detail,
        )
    load = _record(path, sha, actor, by, found, Load.Status.STAGING, "", issues, counts)
    try:
        stores.recover()
        stores.commit_load(load.pk, *staged.tables(load.pk))
    except Exception as error:
        Load.objects.filter(pk=load.pk).update(
            status=Load.Status.FAILED,
            finished_at=timezone.now(),
            message=f"failed, nothing loaded: {error}",
        )
        load.refresh_from_db()
        return Outcome(
            path,
            "failed",
            load.message,
            load=load,
            issues=issues,
            format=found_format,
            detail=found_detail,
        )
    message = (
        f"loaded {loaded:,} rows ({n_identities:,} identities to the enclave, "
        f"{n_events:,} events to the analytic store)"
    )
    if counts["rejected"]:
        message += f"; {counts['rejected']:,} rows with errors left out"
    if counts["opted_out"]:
        message += f"; {counts['opted_out']:,} rows held back (opted out of sharing)"
    Load.objects.filter(pk=load.pk).update(
        status=Load.Status.LOADED,
        finished_at=timezone.now(),
        message=message,
        rows_loaded=loaded,
        identities=n_identities,
        events=n_events,
    )
    load.refresh_from_db()
    return Outcome(
        path,
        "loaded",
        message,
        load=load,
        rows_read=counts["read"],
        rows_loaded=loaded,
        rows_rejected=counts["rejected"],
        identities=n_identities,
        events=n_events,
        issues=issues,
        format=found_format,
        detail=found_detail,
    )


def _opted_out(parsed: Parsed, tokens: Tokeniser, opted_out: set[str]) -> bool:
    record = parsed.identity or (parsed.events[0] if parsed.events else None)
    return record is not None and tokens.token(record.source, record.record_id) in opted_out


def ingest_many(paths: list[Path], *, run_dfe: bool = True, **options: Any) -> list[Outcome]:
    """Ingest several files. The DfE validators start first, in their own processes, and run
    while the files load; their findings are attached to each load when they finish. SSDA903
    tables are validated together, as the rules that compare tables need."""
    runs: list[tuple[list[Path], dfe.Run]] = []
    if run_dfe:
        tables = {p: _ssda903_table(p) for p in paths}
        group = [p for p, table in tables.items() if table]
        if group:
            runs.append((group, dfe.Run("ssda903", group)))
        runs.extend(([p], dfe.Run("cin_census", [p])) for p in paths if _is_xml(p))
    outcomes = [ingest(p, run_dfe=False, **options) for p in paths]
    by_path = dict(zip(paths, outcomes, strict=True))
    for group, run in runs:
        by_table = dfe.split_by_table(run.findings())
        for path in group:
            outcome = by_path[path]
            if outcome.status == "duplicate":
                continue  # validated when it was first loaded
            if run.format == "ssda903":
                findings = by_table.get(tables[path] or "", [])
            else:
                findings = [i for table in by_table.values() for i in table]
            outcome.issues.extend(findings)
            if outcome.load is not None:
                add_findings(load=outcome.load, issues=findings)
    return outcomes


@transaction.atomic
def add_findings(*, load: Load, issues: list[Issue]) -> None:
    """Attach validator findings that arrived after the load was recorded."""
    _keep_issues(load, issues[: max(MAX_STORED_ISSUES - load.issues.count(), 0)])
    Load.objects.filter(pk=load.pk).update(issues_total=load.issues_total + len(issues))
    load.refresh_from_db()


def _is_xml(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(512).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")
    except OSError:
        return False


def _ssda903_table(path: Path) -> str | None:
    try:
        spec = ssda903.recognise(csvfile.read_header(path)) if path.is_file() else None
    except FileRejected:
        return None
    return spec.name if spec else None


def _rejected(
    path: Path,
    sha: str,
    actor: str,
    by: AbstractBaseUser | None,
    found: Recognised | None,
    message: str,
    issues: list[Issue],
    counts: dict[str, int],
    dry_run: bool,
) -> Outcome:
    load = None
    if not dry_run:
        load = _record(path, sha, actor, by, found, Load.Status.REJECTED, message, issues, counts)
    return Outcome(
        path,
        "rejected",
        message,
        load=load,
        format=found.format if found else "",
        detail=found.detail if found else "",
        rows_read=counts["read"],
        rows_rejected=counts["rejected"],
        issues=issues,
    )


@transaction.atomic
def _record(
    path: Path,
    sha: str,
    actor: str,
    by: AbstractBaseUser | None,
    found: Recognised | None,
    status: str,
    message: str,
    issues: list[Issue],
    counts: dict[str, int],
) -> Load:
    organisation = None
    if found is not None and found.organisation:
        organisation, _ = Organisation.objects.get_or_create(name=found.organisation)
    done = status != Load.Status.STAGING
    load = Load.objects.create(
        file_name=path.name,
        file_sha256=sha,
        file_size=path.stat().st_size,
        format=found.format if found else "",
        detail=found.detail if found else "",
        source=found.source if found else "",
        organisation=organisation,
        status=status,
        message=message,
        rows_read=counts["read"],
        rows_rejected=counts["rejected"],
        issues_total=len(issues),
        loaded_by_id=by.pk if by is not None else None,
        loaded_by_name=actor,
        finished_at=timezone.now() if done else None,
    )
    _keep_issues(load, issues[:MAX_STORED_ISSUES])
    return load


def _keep_issues(load: Load, issues: list[Issue]) -> None:
    """Store findings row by row (the caller decides how many fit)."""
    LoadIssue.objects.bulk_create(
        [
            LoadIssue(
                load=load,
                row=i.row,
                column=(i.column or "")[:255],
                severity=i.severity,
                rule=i.rule[:40],
                reason=i.reason,
            )
            for i in issues
        ],
        batch_size=1000,
    )
