"""Reading a file's rows in a separate process, bounded in memory and time.

An outside tester's 200 MB CSV took 3.2 GB and two minutes inside the web process, and a 2.6 MB
workbook of shared strings grew past 4 GB: one upload could starve every other person's requests.
The rows are read (recognised, parsed, validated, tokenised) by a fresh interpreter
(`python -m placewise.sources.worker`) that caps its own address space (RLIMIT_AS) and is killed
at a deadline; the parent gets the staged tables back as Arrow files, memory-mapped, or a refusal
that names the limit and the setting that changes it.

A fresh interpreter, not a fork: the server and the command line hold DuckDB's and Arrow's
threads, and a child forked from a threaded process can crash on a lock or an object another
thread held at the fork (we saw openpyxl's reader segfault in one). The child gets what it needs
on its standard input — the job, and the place's settings that reading uses (the secret that
keys tokens, the reading limits) — and never touches the operational database: opt-outs and the
claim are settled before it starts.
"""

import json
import os
import resource
import shutil
import subprocess  # nosec B404  # runs this package's own module with this interpreter
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from placewise.sources.canonical import FileRejected, Issue, Parsed

if TYPE_CHECKING:  # detect imports the readers, which the child loads only once bounded
    from placewise.sources.detect import Recognised

TABLES = ("identities", "records", "events")
# How often the rows read so far are reported (to a job's progress): often enough to watch, not
# so often that reporting costs more than reading.
PROGRESS_SECONDS = 0.5
_OUT_OF_MEMORY = 3
_FAILED = 4
_ONE_THREAD = {
    "PYTHONUNBUFFERED": "1",
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "MALLOC_ARENA_MAX": "1",
    # Arrow's own allocator reserves address space a gigabyte at a time, so under a cap on the
    # address space it failed to allocate a few bytes with most of the cap unused: the system
    # allocator asks for what it uses.
    "ARROW_DEFAULT_MEMORY_POOL": "system",
}


@dataclass
class Read:
    """What reading a file's rows gave: the staged tables (load_id 0 until staged), every issue
    found, and the row counts."""

    tables: tuple[pa.Table, pa.Table, pa.Table]
    issues: list[Issue]
    counts: dict[str, int]


@dataclass(frozen=True)
class Bounds:
    memory_bytes: int  # added to what the reading process has mapped once started; 0: unbounded
    seconds: float  # 0: unbounded


@dataclass(frozen=True)
class Job:
    """Which file to read and how to recognise it: what `detect.recognise` is given."""

    path: str
    mapping: str | None  # the partner mapping file, if any
    council_source: str
    council_organisation: str
    max_bytes: int
    opted_out: list[str]  # tokens on the opt-out register for the file's source
    progress: bool  # show a progress bar on standard error


def settings_for_reading() -> dict[str, Any]:
    """The place's settings a reader may consult, as plain values for the child."""
    from django.conf import settings

    chosen: dict[str, Any] = {"PLACE_SECRET": settings.PLACE_SECRET}
    for name in dir(settings):
        if name.startswith("PLACEWISE_"):
            value = getattr(settings, name)
            if isinstance(value, Path):
                value = str(value)
            if value is None or isinstance(value, str | int | float | bool):
                chosen[name] = value
    return chosen


def read(
    job: Job,
    *,
    bounds: Bounds,
    scratch: Path,
    found: "Recognised | None" = None,
    on_rows: Callable[[int], None] | None = None,
) -> Read:
    """Read the job's file in a bounded child process; FileRejected when a bound is passed.
    With both bounds 0 the file is read in this process (as `found`, if it was recognised
    already: the child has to recognise it again). `on_rows` is told the rows read so far, about
    every PROGRESS_SECONDS; whatever it raises stops the reading (the child is killed)."""
    if not bounds.memory_bytes and not bounds.seconds:
        from django.conf import settings

        return read_rows(job, settings.PLACE_SECRET, found=found, on_rows=on_rows)
    scratch.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="read-", dir=scratch))
    request = {
        "job": asdict(job),
        "settings": settings_for_reading(),
        "folder": str(folder),
        "memory_bytes": bounds.memory_bytes,
    }
    try:
        child = subprocess.Popen(  # nosec B603  # fixed argv: this interpreter, this module
            [sys.executable, "-m", "placewise.sources.worker"],
            stdin=subprocess.PIPE,
            # One thread for numerical libraries and one malloc arena: the child reads rows in
            # one thread, and a thread pool spinning at the memory bound never finishes.
            env={**os.environ, **_ONE_THREAD},
        )
        try:
            _wait(child, json.dumps(request).encode(), bounds, folder / "progress", on_rows)
        except subprocess.TimeoutExpired:
            raise FileRejected(
                f"reading the file took longer than this place's limit of {bounds.seconds:g} "
                "seconds (PLACEWISE_READ_SECONDS); nothing was loaded. Split it into smaller "
                "files, or ask your administrator to raise the limit"
            ) from None
        finally:
            # A deadline passed, or the job was cancelled: the child must not outlive its job.
            if child.poll() is None:
                child.kill()
                child.wait()
        return _result(folder, child.returncode, bounds)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _wait(
    child: subprocess.Popen[bytes],
    request: bytes,
    bounds: Bounds,
    progress: Path,
    on_rows: Callable[[int], None] | None,
) -> None:
    """Send the request, then wait for the child, passing on its progress; TimeoutExpired at
    the deadline."""
    assert child.stdin is not None  # nosec B101  # opened with stdin=PIPE
    child.stdin.write(request)
    child.stdin.close()
    deadline = time.monotonic() + bounds.seconds if bounds.seconds else None
    while True:
        try:
            child.wait(timeout=PROGRESS_SECONDS)
            return
        except subprocess.TimeoutExpired:
            if deadline is not None and time.monotonic() > deadline:
                raise
        if on_rows is not None and progress.exists():
            text = progress.read_text().strip()
            if text.isdigit():
                on_rows(int(text))


def _result(folder: Path, code: int, bounds: Bounds) -> Read:
    memory = (
        f"reading the file needed more memory than this place's limit of "
        f"{bounds.memory_bytes / 2**20:,.0f} MiB (PLACEWISE_READ_MEMORY); nothing was loaded. "
        "Split it into smaller files, or ask your administrator to raise the limit"
    )
    if code < 0 or code == _OUT_OF_MEMORY:
        # Killed by a signal (the kernel's out-of-memory killer, an allocation failing inside a
        # C library), or a MemoryError the child caught.
        raise FileRejected(memory)
    outcome_file = folder / "outcome.json"
    if not outcome_file.exists():
        raise RuntimeError(f"reading the file failed: the reader exited with status {code}")
    outcome = json.loads(outcome_file.read_text())
    if code == _FAILED:
        raise RuntimeError(f"reading the file failed: {outcome['failed']}")
    if "rejected" in outcome:
        reason, row, column = outcome["rejected"]
        raise FileRejected(reason, row=row, column=column)
    tables = tuple(
        pa.ipc.open_file(pa.memory_map(str(folder / f"{name}.arrow"))).read_all() for name in TABLES
    )
    return Read(
        (tables[0], tables[1], tables[2]),
        [Issue(**i) for i in outcome["issues"]],
        outcome["counts"],
    )


# The child's side.


def read_rows(
    job: Job,
    secret: str,
    *,
    found: "Recognised | None" = None,
    on_rows: Callable[[int], None] | None = None,
) -> Read:
    """Recognise the file (unless `found`), then parse, validate and tokenise every row (no
    database here), telling `on_rows` the rows read so far about every PROGRESS_SECONDS."""
    from placewise.sources.detect import recognise
    from placewise.sources.readers.partner import load_mapping
    from placewise.sources.staging import Staged
    from placewise.store.pseudonymise import Tokeniser

    path = Path(job.path)
    if found is None:
        found = recognise(
            path,
            council_source=job.council_source,
            council_organisation=job.council_organisation,
            mapping=load_mapping(Path(job.mapping)) if job.mapping else None,
            max_bytes=job.max_bytes,
        )
    staged = Staged()
    issues: list[Issue] = []
    counts = {"read": 0, "rejected": 0, "opted_out": 0}
    tokens = Tokeniser(secret)
    opted_out = set(job.opted_out)
    rows: Iterable[Parsed] = found.read()
    if job.progress:
        from tqdm import tqdm

        rows = tqdm(
            rows, desc=path.name, unit=" rows", leave=False, file=sys.stderr, mininterval=0.5
        )
    told = time.monotonic()
    for parsed in rows:
        issues.extend(parsed.issues)
        if not parsed.is_row:
            continue
        counts["read"] += 1
        if on_rows is not None and time.monotonic() - told > PROGRESS_SECONDS:
            on_rows(counts["read"])
            told = time.monotonic()
        if parsed.has_errors:
            counts["rejected"] += 1
            continue
        record = parsed.identity or (parsed.events[0] if parsed.events else None)
        if (
            opted_out
            and record is not None
            and tokens.token(record.source, record.record_id) in opted_out
        ):
            counts["opted_out"] += 1
            continue
        if parsed.identity is not None:
            staged.add_identity(parsed.identity, tokens)
        for event in parsed.events:
            staged.add_event(event, tokens)
    return Read(staged.tables(0), issues, counts)


def _mapped_bytes() -> int:
    """The address space this process has mapped now (the interpreter, its libraries)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


def _child(request: dict[str, Any]) -> int:
    from django.conf import settings

    folder = Path(request["folder"])
    outcome: dict[str, object]
    try:
        # Readers consult the place's limits through Django's settings; nothing else of Django.
        settings.configure(**request["settings"])
        job = Job(**request["job"])
        # The libraries reading needs are loaded before the bound is set, so it bounds the file
        # and not the code (Arrow loads pandas the first time it converts dates).
        import openpyxl  # noqa: F401
        import pandas  # noqa: F401

        import placewise.sources.detect  # noqa: F401

        if request["memory_bytes"]:
            limit = _mapped_bytes() + int(request["memory_bytes"])
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        progress = folder / "progress"

        def report(rows: int) -> None:
            # Written whole then renamed: the parent never reads half a number.
            partial = folder / "progress.partial"
            partial.write_text(str(rows))
            partial.replace(progress)

        result = read_rows(job, request["settings"]["PLACE_SECRET"], on_rows=report)
        for name, table in zip(TABLES, result.tables, strict=True):
            with (
                pa.OSFile(str(folder / f"{name}.arrow"), "wb") as sink,
                pa.ipc.new_file(sink, table.schema) as writer,
            ):
                writer.write_table(table)
        outcome = {"issues": [asdict(i) for i in result.issues], "counts": result.counts}
    except FileRejected as error:
        outcome = {"rejected": [error.reason, error.row, error.column]}
    except MemoryError:
        return _OUT_OF_MEMORY
    except BaseException as error:  # reported to the parent, which fails the load with it
        outcome = {"failed": f"{type(error).__name__}: {error}"}
        (folder / "outcome.json").write_text(json.dumps(outcome))
        return _FAILED
    (folder / "outcome.json").write_text(json.dumps(outcome))
    return 0


if __name__ == "__main__":
    sys.exit(_child(json.loads(sys.stdin.buffer.read())))
