"""Who holds the corpus's write lock, and for what: notes that waiters read.

DuckDB lets one process at a time open the file for writing, and while it does, no
other process can open it at all. A process that opens a write connection through
:func:`corpus.db.connection` leaves a note, ``<db>.locks/writer-<pid>``, saying what it
is doing ("the text index build") and since when, and holds an ``flock`` on it: the
kernel drops that when the process exits, however it exits, so a note whose lock can
be taken is stale. A waiter past its own patience keeps waiting while a live note says
a fundnews process is at work, and prints what it waits for.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_tasks: dict[str, list[str]] = {}  # note path -> tasks of this process writing, oldest first
_notes: dict[str, tuple[int, float]] = {}  # note path -> (its flocked fd, when the first task began)
_guard = threading.Lock()


@contextmanager
def announced(db: str, task: str) -> Iterator[None]:
    """While inside, a note says this process is writing `db` for `task`."""
    path = str(Path(f"{db}.locks") / f"writer-{os.getpid()}")
    with _guard:
        _tasks.setdefault(path, []).append(task)
        _write_note(path)
    try:
        yield
    finally:
        with _guard:
            _tasks[path].remove(task)
            if _tasks[path]:
                _write_note(path)
            else:
                del _tasks[path]
                fd, _ = _notes.pop(path)
                Path(path).unlink(missing_ok=True)
                os.close(fd)


def _write_note(path: str) -> None:
    if path not in _notes:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(fd, fcntl.LOCK_EX)  # before any content: an empty note is never stale
        _notes[path] = (fd, time.time())
    fd, started = _notes[path]
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {started:.0f} {_tasks[path][0]}\n".encode(), 0)
    except OSError:  # a full disk: the write may still fit in the corpus; waiters just wait less
        pass


def live_writers(db: str) -> list[tuple[int, float, str]]:
    """(pid, seconds running, task) of each fundnews process writing `db` now."""
    found = []
    for path in Path(f"{db}.locks").glob("writer-*"):
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            continue
        try:
            fields = os.read(fd, 500).decode(errors="replace").strip().split(" ", 2)
            if len(fields) < 3 or not fields[0].isdigit():
                continue  # being written
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:  # held: its writer is alive
                found.append((int(fields[0]), time.time() - float(fields[1]), fields[2]))
            else:  # left by a process that died
                path.unlink(missing_ok=True)
        finally:
            os.close(fd)
    return found
