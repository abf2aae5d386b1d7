"""Every write to the data stores goes through ingest(): atomic, with an actor, recorded."""

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from placewise.sharing import audit
from placewise.sharing.models import OptOut, Organisation
from placewise.sources import archive, dfe, findings, naming, supersession, worker
from placewise.sources.canonical import FileRejected, Issue
from placewise.sources.detect import Recognised, recognise
from placewise.sources.files import (
    expected_rows,
    file_sha256,
    find_mapping_file,
    is_xml,
    ssda903_table,
)
from placewise.sources.models import Load, Source
from placewise.sources.ownership import Claim, claim, home_organisation
from placewise.sources.readers.partner import load_mapping
from placewise.sources.recovery import audit_load as _audit_load
from placewise.sources.recovery import finish as _finish
from placewise.sources.recovery import only_committed_loads as only_committed_loads
from placewise.sources.recovery import recover as recover
from placewise.sources.recovery import recover_locked as _recover
from placewise.sources.staging import stamped
from placewise.sources.wording import counted
from placewise.store import stores

# What a load is doing, for a job's progress (placewise.jobs): told with the rows read so far
# and the rows expected (None when the format does not say before it is read).
READING = "Reading and checking rows"
VALIDATING = "Running the DfE's validation rules"
WRITING = "Writing to the stores"
Progress = Callable[[str, int, "int | None"], None]


class Result(StrEnum):
    """What came of offering a file: the load's own status where one was recorded, or that it
    was already loaded (duplicate) or only checked (validated: a dry run)."""

    LOADED = "loaded"
    REJECTED = "rejected"
    DUPLICATE = "duplicate"
    VALIDATED = "validated"
    FAILED = "failed"


@dataclass
class Outcome:
    """What happened to one file."""

    file: Path
    status: "Result"
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
        return self.status in {Result.LOADED, Result.DUPLICATE, Result.VALIDATED}


def ingest(
    path: Path,
    *,
    by: User,
    mapping: Path | None = None,
    dry_run: bool = False,
    skip_bad_rows: bool = False,
    run_dfe: bool = True,
    progress: bool = False,
    on_progress: Progress | None = None,
) -> Outcome:
    """Validate a file and, unless dry_run, load it into the enclave and analytic store.

    The file must name its source's registered provider, and a person may load only into their
    own organisation's sources (sources/ownership.py). A file with any error is rejected whole
    unless skip_bad_rows, in which case the rows with errors are left out and listed. Either way
    the load is all or nothing, and every outcome is recorded and audited.

    `on_progress` is told each stage and the rows read; what it raises before WRITING stops the
    load with nothing written (a cancelled job). From WRITING on it is told, never asked.
    """
    path = Path(path)
    actor = by.get_username()
    if not path.is_file():
        return Outcome(path, Result.REJECTED, f"{path}: no such file")
    sha = file_sha256(path)
    issues: list[Issue] = []
    counts = {"read": 0, "rejected": 0, "opted_out": 0}
    attempt = _Attempt(path, sha, actor, by, dry_run)
    try:
        mapping_file = find_mapping_file(path, mapping)
        found = recognise(
            path,
            council_source=settings.PLACEWISE_COUNCIL_SOURCE,
            council_organisation=settings.PLACEWISE_COUNCIL_ORGANISATION,
            mapping=load_mapping(mapping_file) if mapping_file else None,
            max_bytes=settings.PLACEWISE_MAX_UPLOAD_BYTES,
        )
    except FileRejected as error:
        issues.append(Issue(error.reason, error.row, error.column, "error", "file"))
        return attempt.rejected(None, home_organisation(by), str(error), issues, counts)
    attempt.found = found
    claimed = claim(by=by, source=found.source, named=found.organisation)
    if not claimed.allowed:
        issues.append(Issue(claimed.reason, None, None, "error", "provider"))
        return attempt.rejected(
            "refused", claimed.organisation, f"refused: {claimed.reason}", issues, counts
        )
    # Only after the claim: whether another organisation has loaded this very file is not for
    # this uploader to learn.
    previous = _already_loaded(sha, found.source)
    if previous is not None:
        return _duplicate(path, previous)
    job = worker.Job(
        path=str(path),
        mapping=str(mapping_file) if mapping_file else None,
        council_source=settings.PLACEWISE_COUNCIL_SOURCE,
        council_organisation=settings.PLACEWISE_COUNCIL_ORGANISATION,
        max_bytes=settings.PLACEWISE_MAX_UPLOAD_BYTES,
        opted_out=sorted(
            OptOut.objects.filter(source=found.source).values_list("token", flat=True)
        ),
        progress=progress,
    )
    # A small file is read here: what it can take is bounded by its size, and starting a
    # bounded reader costs more than reading it. Anything larger is read by the bounded reader.
    small = archive.unpacked_size(path) <= settings.PLACEWISE_READ_IN_PROCESS_BYTES
    bounds = worker.Bounds(
        0 if small else settings.PLACEWISE_READ_MEMORY,
        0 if small else settings.PLACEWISE_READ_SECONDS,
    )
    expected = expected_rows(path, found.format)
    if on_progress is not None:
        on_progress(READING, 0, expected)
    try:
        read = worker.read(
            job,
            bounds=bounds,
            scratch=Path(settings.PLACEWISE_HOME) / "tmp",
            found=found,
            on_rows=(lambda rows: on_progress(READING, rows, expected)) if on_progress else None,
        )
    except FileRejected as error:
        issues.append(Issue(error.reason, error.row, error.column, "error", "file"))
        return attempt.rejected(None, claimed.organisation, str(error), issues, counts)
    issues, counts = read.issues, read.counts
    found_format, found_detail = found.format, found.detail
    try:
        prepared = supersession.prepare(found, read.tables, path, mapping_file)
    except FileRejected as error:
        issues.append(Issue(error.reason, error.row, error.column, "error", "file"))
        return attempt.rejected(None, claimed.organisation, str(error), issues, counts)
    if counts["rejected"] and not skip_bad_rows:
        message = (
            f"rejected: {counts['rejected']:,} of {counts['read']:,} rows have errors; "
            "nothing was loaded (fix them, or load the good rows and list the rest: the "
            "upload form's option, --skip-bad-rows at the command line)"
        )
        return attempt.rejected(None, claimed.organisation, message, issues, counts)
    if on_progress is not None:
        on_progress(VALIDATING if run_dfe else READING, counts["read"], counts["read"])
    if run_dfe:
        by_table = dfe.split_by_table(dfe.validate(found.format, [path]))
        if found.format == "ssda903":
            issues.extend(by_table.get(found.detail, []))
        else:
            issues.extend(i for table in by_table.values() for i in table)
    n_identities, n_events = read.tables[0].num_rows, read.tables[2].num_rows
    loaded = counts["read"] - counts["rejected"] - counts["opted_out"]
    if dry_run:
        return Outcome(
            path,
            Result.VALIDATED,
            f"valid: {counted(loaded, 'row')} would load "
            f"({counted(n_identities, 'identity', 'identities')}, {counted(n_events, 'event')}); "
            "nothing was written",
            rows_read=counts["read"],
            rows_loaded=0,
            rows_rejected=counts["rejected"],
            identities=n_identities,
            events=n_events,
            issues=issues,
            format=found_format,
            detail=found_detail,
        )
    planned = {
        "rows_loaded": loaded,
        "identities": n_identities,
        "events": n_events,
        **prepared.planned,
    }
    # From the staging record to the outcome, under the lock that recovery takes too: recovery
    # then only ever sees staging records of a process that died, never one still at work.
    if on_progress is not None:
        on_progress(WRITING, counts["read"], counts["read"])
    with stores.load_lock():
        _recover(by=by)
        # Again under the lock: another process may have loaded it meanwhile.
        previous = _already_loaded(sha, found.source)
        if previous is not None:
            return _duplicate(path, previous)
        load = _stage(attempt, claimed, issues, counts, planned)
        if load.status == Load.Status.REJECTED:
            return attempt.outcome(load, issues, counts)
        try:
            identities, records, events = (stamped(t, load.pk) for t in prepared.tables)
            changes = stores.commit_load(
                load.pk, identities, records, events, period=prepared.period
            )
        except Exception as error:
            _finish(load, Load.Status.FAILED, f"failed, nothing loaded: {error}", actor)
            return Outcome(
                path,
                Result.FAILED,
                load.message,
                load=load,
                issues=issues,
                format=found_format,
                detail=found_detail,
            )
        message = (
            f"loaded {counted(loaded, 'row')} "
            f"({counted(n_identities, 'identity', 'identities')} to the enclave, "
            f"{counted(n_events, 'event')} to the analytic store)"
        )
        if counts["rejected"]:
            message += f"; {counted(counts['rejected'], 'row')} with errors left out"
        if counts["opted_out"]:
            message += f"; {counted(counts['opted_out'], 'row')} held back (opted out of sharing)"
        if supersession.describe(changes):
            message += f"; {supersession.describe(changes)}"
        supersession.record(load, changes)
        _finish(load, Load.Status.LOADED, message, actor)
    return Outcome(
        path,
        Result.LOADED,
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


def _already_loaded(sha: str, source: str) -> Load | None:
    """The committed load of this exact file into this source, if any. A load whose process
    died after its analytic commit is marked loaded by recovery, so it is found here too."""
    return Load.objects.filter(file_sha256=sha, source=source, status=Load.Status.LOADED).first()


def _duplicate(path: Path, previous: Load) -> Outcome:
    return Outcome(
        path,
        Result.DUPLICATE,
        f"already loaded as load {previous.pk} on "
        f"{previous.started_at:%d/%m/%Y %H:%M}; nothing to do",
        load=previous,
    )


def ingest_many(paths: list[Path], *, run_dfe: bool = True, **options: Any) -> list[Outcome]:
    """Ingest several files. The DfE validators start first, in their own processes, and run
    while the files load; their findings are attached to each load when they finish. SSDA903
    tables are validated together, as the rules that compare tables need."""
    runs: list[tuple[list[Path], dfe.Run]] = []
    if run_dfe:
        tables = {p: ssda903_table(p) for p in paths}
        group = [p for p, table in tables.items() if table]
        if group:
            runs.append((group, dfe.Run("ssda903", group)))
        runs.extend(([p], dfe.Run("cin_census", [p])) for p in paths if is_xml(p))
    outcomes = [ingest(p, run_dfe=False, **options) for p in paths]
    by_path = dict(zip(paths, outcomes, strict=True))
    for group, run in runs:
        by_table = dfe.split_by_table(run.findings())
        for path in group:
            outcome = by_path[path]
            if outcome.status == Result.DUPLICATE:
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
    findings.keep(load, issues[: max(findings.MAX_STORED_ISSUES - load.issues.count(), 0)])
    Load.objects.filter(pk=load.pk).update(issues_total=load.issues_total + len(issues))
    load.refresh_from_db()


@dataclass
class _Attempt:
    """One file on its way in: what every record of its outcome needs."""

    path: Path
    sha: str
    actor: str
    by: User
    dry_run: bool
    found: Recognised | None = None

    def rejected(
        self,
        kind: str | None,
        organisation: Organisation | None,
        message: str,
        issues: list[Issue],
        counts: dict[str, int],
    ) -> Outcome:
        """Record a refused or rejected file (a dry run records nothing but is still audited)."""
        action = "load.refused" if kind == "refused" else "load.rejected"
        if self.dry_run:
            audit.record(
                actor=self.actor,
                action=f"{action}.dry_run",
                target=self.path.name,
                allowed=False if kind == "refused" else None,
                reason=message,
                detail={"source": self.found.source if self.found else ""},
            )
            return self.outcome(None, issues, counts, message)
        load = _record(self, organisation, Load.Status.REJECTED, message, issues, counts, {})
        _audit_load(load, self.actor, action)
        return self.outcome(load, issues, counts)

    def outcome(
        self, load: Load | None, issues: list[Issue], counts: dict[str, int], message: str = ""
    ) -> Outcome:
        return Outcome(
            self.path,
            Result.REJECTED,
            load.message if load else message,
            load=load,
            format=self.found.format if self.found else "",
            detail=self.found.detail if self.found else "",
            rows_read=counts["read"],
            rows_rejected=counts["rejected"],
            issues=issues,
        )


@transaction.atomic
def _stage(
    attempt: _Attempt,
    claimed: Claim,
    issues: list[Issue],
    counts: dict[str, int],
    planned: dict[str, int],
) -> Load:
    """The staging record, and the source's registration when it is new. A source registered
    to another organisation since the claim was checked refuses the load instead."""
    assert attempt.found is not None
    organisation = claimed.organisation
    assert organisation is not None
    if claimed.register:
        source, created = Source.objects.get_or_create(
            name=attempt.found.source,
            defaults={
                "organisation": organisation,
                "registered_by_name": attempt.actor,
                "title": attempt.found.title,
            },
        )
        if created:
            audit.record(
                actor=attempt.actor,
                action="source.register",
                target=source.name,
                allowed=True,
                reason=claimed.reason,
                detail={"organisation": organisation.name, "by": "first load"},
            )
        elif source.organisation_id != organisation.pk:
            reason = (
                f"refused: the source '{source.name}' was registered to "
                f"{source.organisation.name} while this file was being checked"
            )
            load = _record(attempt, organisation, Load.Status.REJECTED, reason, issues, counts, {})
            _audit_load(load, attempt.actor, "load.refused")
            return load
    # A source registered before it had a title takes the one its file now gives.
    registered = Source.objects.filter(name=attempt.found.source).first()
    if registered is not None:
        naming.give_title(registered, attempt.found.title)
    load = _record(attempt, organisation, Load.Status.STAGING, "", issues, counts, planned)
    _audit_load(load, attempt.actor, "load.staging", reason=claimed.reason)
    return load


@transaction.atomic
def register_source(*, name: str, organisation: Organisation, by: User, title: str = "") -> Source:
    """Register a source to its provider, once, with its name as people say it (`title`, given
    to a source that has none yet). Registering it again to the same organisation does nothing
    more; to another is refused, because the provider decides who sees its records."""
    existing = Source.objects.filter(name=name).select_related("organisation").first()
    if existing is not None:
        if existing.organisation_id != organisation.pk:
            raise SourceTaken(
                f"The source '{name}' is already provided by {existing.organisation.name}; a "
                "source's provider never changes. Register the new data under a new source name."
            )
        naming.give_title(existing, title)
        return existing
    source = Source.objects.create(
        name=name,
        organisation=organisation,
        registered_by_name=by.get_username(),
        title=title.strip()[:200],
    )
    audit.record(
        actor=by.get_username(),
        action="source.register",
        target=name,
        allowed=True,
        reason=f"{organisation.name} provides the source '{name}'.",
        detail={"organisation": organisation.name, "by": "administrator"},
    )
    return source


class SourceTaken(Exception):
    """The source name is registered to another organisation."""


def _record(
    attempt: _Attempt,
    organisation: Organisation | None,
    status: str,
    message: str,
    issues: list[Issue],
    counts: dict[str, int],
    planned: dict[str, int],
) -> Load:
    found, path = attempt.found, attempt.path
    done = status != Load.Status.STAGING
    load = Load.objects.create(
        file_name=path.name,
        file_sha256=attempt.sha,
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
        loaded_by_id=attempt.by.pk,
        loaded_by_name=attempt.actor,
        finished_at=timezone.now() if done else None,
        **planned,
    )
    findings.keep(load, issues[: findings.MAX_STORED_ISSUES])
    return load
