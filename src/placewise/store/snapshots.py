"""Readers on the last committed snapshot; writers one process at a time.

DuckDB lets one process open a database file for writing, and while it does, no other process may
open the file at all, not even to read. A load or a linkage run holds a store for a minute or
more, and web workers are other processes, so readers must not open the file writers write.

- A writer takes the store's write lock (a file lock beside it) before it opens the file, so
  writers in different processes wait their turn instead of failing with DuckDB's "conflicting
  lock". The lock is re-entrant within a process.
- When the outermost writer in a process has closed the file (DuckDB checkpoints it on close),
  still holding the lock, it publishes a snapshot: a copy of the file under a new name, then a
  small pointer file naming it, each moved into place atomically (os.replace). A copy under a new
  name each time, because DuckDB keeps one instance per path in a process: a file replaced under
  the same name would go on being read as it was.
- Readers read the pointer (a few bytes) and open the file it names read-only, keeping that
  connection for the process until the pointer names another. They never wait for a writer and
  never see a transaction half-done: a snapshot is copied from a closed file between commits.
- If a writer died after committing but before publishing, the pointer no longer matches the
  store: the next reader that finds the write lock free publishes (after DuckDB has replayed the
  write-ahead log); while a writer holds it, readers go on reading the last snapshot.

See docs/adr/0019-readers-on-the-last-committed-snapshot.md.
"""

import fcntl
import json
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import duckdb
from django.conf import settings

# The snapshot being read and the one before it are kept: a reader that read the pointer just
# before a publish can still open the file it named.
KEEP = 2


class StoreBusy(Exception):
    """A process that does not take the store's write lock holds it open. Writers that take the
    lock wait their turn instead, and readers read the last snapshot: neither meets this."""


def _connect(path: Path) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(path))
    except duckdb.IOException as error:
        raise StoreBusy(
            f"the store {path.name} is in use by another process; try again shortly ({error})"
        ) from None


@dataclass
class _Hold:
    lock: threading.RLock = field(default_factory=threading.RLock)
    depth: int = 0
    handle: IO[str] | None = None


_holds: dict[Path, _Hold] = {}
_readers: dict[Path, tuple[str, duckdb.DuckDBPyConnection]] = {}
_guard = threading.Lock()


# DuckDB instances a forked process inherited: never used, and never let go either, since
# destroying one joins threads that exist only in the parent (the child dies of SIGSEGV).
_inherited: list[Any] = []


def _forget() -> None:
    # A forked worker must not use its parent's DuckDB instances or think it holds its locks.
    global _guard
    _guard = threading.Lock()
    _holds.clear()
    _inherited.extend(_readers.values())
    _readers.clear()


os.register_at_fork(after_in_child=_forget)


def close_readers() -> None:
    """Close this process's readers: before it forks workers, so none inherits a DuckDB
    instance (its threads do not survive a fork)."""
    with _guard:
        for _, connection in _readers.values():
            connection.close()
        _readers.clear()


def _hold_of(path: Path) -> _Hold:
    with _guard:
        return _holds.setdefault(path, _Hold())


def folder(path: Path) -> Path:
    """Where a store's snapshots are published."""
    return path.parent / "snapshots"


def _pointer(path: Path) -> Path:
    return folder(path) / f"{path.stem}.current.json"


def _fingerprint(path: Path) -> list[int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    # ctime as well as mtime: a file copied over the store keeps the copied file's mtime.
    return [st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


def _current(path: Path) -> dict[str, Any] | None:
    try:
        found: dict[str, Any] = json.loads(_pointer(path).read_text())
    except (FileNotFoundError, ValueError):
        return None
    return found


@contextmanager
def _held(path: Path, *, wait: bool) -> Iterator[int | None]:
    """The store's write lock: yields how deep this process now holds it (1: outermost), or None
    when `wait` is false and another thread or process holds it."""
    hold = _hold_of(path)
    if not hold.lock.acquire(blocking=wait):
        yield None
        return
    try:
        if hold.depth == 0:
            handle = path.with_name(path.name + ".write.lock").open("a")
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError:
                handle.close()
                yield None
                return
            hold.handle = handle
        hold.depth += 1
        try:
            yield hold.depth
        finally:
            hold.depth -= 1
            if hold.depth == 0 and hold.handle is not None:
                fcntl.flock(hold.handle, fcntl.LOCK_UN)
                hold.handle.close()
                hold.handle = None
    finally:
        hold.lock.release()


@contextmanager
def writing(path: Path, schema: str) -> Iterator[duckdb.DuckDBPyConnection]:
    """The store open for writing, once no other process writes it; published when the
    outermost writer in this process closes it, whether or not its body succeeded (a failed
    body may have committed earlier transactions)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with _held(path, wait=True) as depth:
        try:
            connection = _connect(path)
            try:
                connection.execute(schema)
                yield connection
            finally:
                connection.close()
        finally:
            if depth == 1:
                publish(path)


def publish(path: Path) -> None:
    """Copy the closed store to a new snapshot and point readers at it. Call holding the lock,
    with no connection to the store open in this process."""
    if path.with_name(path.name + ".wal").exists():
        # A writer died before checkpointing: opening and closing the file replays its log.
        _connect(path).close()
    fingerprint = _fingerprint(path)
    current = _current(path)
    if fingerprint is None or (
        current is not None
        and current.get("store") == fingerprint
        and (folder(path) / current["file"]).exists()
    ):
        return  # no store, or nothing written since the last snapshot
    number = int(current["number"]) + 1 if current else 1
    name = f"{path.stem}.{number}.duckdb"
    target = folder(path)
    target.mkdir(exist_ok=True)
    partial = target / f"{name}.partial"
    shutil.copyfile(path, partial)
    shutil.copymode(path, partial)  # the enclave's copy is as closely held as the enclave
    _sync(partial)
    os.replace(partial, target / name)
    pointer = _pointer(path)
    written = pointer.with_suffix(".partial")
    written.write_text(json.dumps({"file": name, "number": number, "store": fingerprint}))
    _sync(written)
    os.replace(written, pointer)
    _sync(target)
    for old in target.glob(f"{path.stem}.*.duckdb*"):
        parts = old.name.split(".")
        if (parts[1].isdigit() and int(parts[1]) <= number - KEEP) or old.suffix == ".partial":
            old.unlink(missing_ok=True)


def _sync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@contextmanager
def reading(path: Path, schema: str) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor on the store's last published snapshot. Never waits for a writer."""
    hold = _hold_of(path)
    if hold.depth and hold.lock.acquire(blocking=False):
        try:
            if hold.depth:  # this thread is writing the store: read what it has written
                with writing(path, schema) as own:
                    yield own
                return
        finally:
            hold.lock.release()
    connection = _snapshot(path, schema)
    cursor = connection.cursor()
    try:
        yield cursor
    finally:
        cursor.close()


def _snapshot(path: Path, schema: str) -> duckdb.DuckDBPyConnection:
    for _ in range(5):
        current = _current(path)
        if current is None or not path.exists():
            # First use, a store from before snapshots, or a store removed: make one.
            with writing(path, schema):
                pass
            current = _current(path)
        elif current.get("store") != _fingerprint(path):
            with _held(path, wait=False) as depth:
                if depth == 1:  # nobody is writing, yet the store moved on: a writer died
                    # A process writing without the lock: read the last snapshot meanwhile.
                    with suppress(StoreBusy):
                        publish(path)
            current = _current(path) or current
        if current is None:
            continue
        connection = _open_snapshot(path, current["file"])
        if connection is not None:
            return connection
    raise RuntimeError(f"no snapshot of {path.name} could be opened")


def _open_snapshot(path: Path, name: str) -> duckdb.DuckDBPyConnection | None:
    with _guard:
        cached = _readers.get(path)
        if cached is not None and cached[0] == name:
            return cached[1]
        try:
            connection = duckdb.connect(
                str(folder(path) / name),
                read_only=True,
                config={"memory_limit": settings.PLACEWISE_READER_MEMORY},
            )
        except duckdb.IOException:
            return None  # pruned after we read the pointer: read it again
        # The connection it replaces is dropped, not closed: another thread's cursor may be on it.
        _readers[path] = (name, connection)
        return connection
