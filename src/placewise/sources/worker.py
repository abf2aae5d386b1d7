"""Reading a file's rows in a child process, bounded in memory and time.

An outside tester's 200 MB CSV took 3.2 GB and two minutes inside the web process, and a 2.6 MB
workbook of shared strings grew past 4 GB: one upload could starve every other person's requests.
The rows are read (parsed, validated, tokenised) in a forked child whose address space is capped
(RLIMIT_AS) and which is killed at a deadline; the parent gets the staged tables back as Arrow
files, memory-mapped, or a refusal that names the limit and the setting that changes it. The child
never touches the operational database: everything it needs from it (opt-outs, the claim) is
settled before the fork, and it leaves through os._exit so nothing of the parent's is closed or
flushed twice.
"""

import json
import os
import resource
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import pyarrow as pa

from placewise.sources.canonical import FileRejected, Issue

TABLES = ("identities", "records", "events")
_OUT_OF_MEMORY = 3
_FAILED = 4


@dataclass
class Read:
    """What reading a file's rows gave: the staged tables (load_id 0 until staged), every issue
    found, and the row counts."""

    tables: tuple[pa.Table, pa.Table, pa.Table]
    issues: list[Issue]
    counts: dict[str, int]


@dataclass(frozen=True)
class Bounds:
    memory_bytes: int  # added to what the process already has mapped; 0: unbounded
    seconds: float  # 0: unbounded


def read_bounded(read: Callable[[], Read], *, bounds: Bounds, scratch: Path) -> Read:
    """Run `read` in a child process within the bounds, or in this one when both are 0."""
    if not bounds.memory_bytes and not bounds.seconds:
        return read()
    scratch.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="read-", dir=scratch))
    try:
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child's coverage is the parent's result
            os._exit(_child(read, bounds, folder))
        code = _wait(pid, bounds)
        return _result(folder, code, bounds)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _child(read: Callable[[], Read], bounds: Bounds, folder: Path) -> int:
    try:
        if bounds.memory_bytes:
            limit = _mapped_bytes() + bounds.memory_bytes
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        result = read()
        for name, table in zip(TABLES, result.tables, strict=True):
            with (
                pa.OSFile(str(folder / f"{name}.arrow"), "wb") as sink,
                pa.ipc.new_file(sink, table.schema) as writer,
            ):
                writer.write_table(table)
        outcome: dict[str, object] = {
            "issues": [asdict(i) for i in result.issues],
            "counts": result.counts,
        }
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


def _mapped_bytes() -> int:
    """The address space this process has mapped now (libraries, arenas, the parent's heap)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


def _wait(pid: int, bounds: Bounds) -> int:
    """The child's exit status; it is killed at the deadline."""
    deadline = time.monotonic() + bounds.seconds if bounds.seconds else None
    pause = 0.005
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        if deadline is not None and time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise FileRejected(
                f"reading the file took longer than this place's limit of {bounds.seconds:g} "
                "seconds (PLACEWISE_READ_SECONDS); nothing was loaded. Split it into smaller "
                "files, or ask your administrator to raise the limit"
            )
        time.sleep(pause)
        pause = min(pause * 2, 0.1)


def _result(folder: Path, status: int, bounds: Bounds) -> Read:
    memory = (
        f"reading the file needed more memory than this place's limit of "
        f"{bounds.memory_bytes / 2**20:,.0f} MiB (PLACEWISE_READ_MEMORY); nothing was loaded. "
        "Split it into smaller files, or ask your administrator to raise the limit"
    )
    if os.WIFSIGNALED(status):
        # The kernel's out-of-memory killer, or an allocation failing inside a C library.
        raise FileRejected(memory)
    code = os.WEXITSTATUS(status)
    if code == _OUT_OF_MEMORY:
        raise FileRejected(memory)
    outcome = json.loads((folder / "outcome.json").read_text())
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
