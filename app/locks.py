"""One crawl of a source at a time, with locks that cannot go stale.

Each source has a lock file next to the corpus (``<db>.locks/<source_id>.lock``),
held with ``flock``: the kernel releases it when the holding process exits, however
it exits (SIGKILL and power loss included), so a crash can never leave a source
locked. The file records the holder's pid; a file left by a dead process is reported
as a cleared stale lock when the next crawl takes it.
"""

from __future__ import annotations

import fcntl
import logging
import os
from datetime import UTC, datetime
from pathlib import Path

log = logging.getLogger(__name__)


class SourceLocks:
    def __init__(self, db: str):
        self.directory = Path(f"{db}.locks")
        self._held: dict[str, int] = {}

    def acquire(self, source_ids: list[str]) -> tuple[list[str], list[str]]:
        """Lock what can be locked now: (locked, busy) source ids."""
        self.directory.mkdir(parents=True, exist_ok=True)
        locked, busy = [], []
        for source_id in source_ids:
            fd = os.open(self.directory / f"{source_id}.lock", os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                busy.append(source_id)
                continue
            previous = os.read(fd, 200).decode(errors="replace").split()
            if previous and previous[0].isdigit() and int(previous[0]) != os.getpid():
                log.info("cleared stale lock of %s left by pid %s", source_id, previous[0])
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()} {datetime.now(UTC).isoformat()}\n".encode(), 0)
            self._held[source_id] = fd
            locked.append(source_id)
        return locked, busy

    def release(self) -> None:
        for fd in self._held.values():
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
        self._held.clear()
