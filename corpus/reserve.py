"""Room kept on the corpus's disk for a crawl's own record.

A crawl that fills the disk must still close its ``crawls`` and ``source_runs`` rows as
``failed``, with the reason. Once its row is open, a crawl holds up to ``RESERVE_BYTES``
in ``<corpus>.reserve`` (a ballast file, as databases keep one); when the disk refuses
the closing rows, the recorder lets the ballast go and writes them again, and it removes
the file at the end either way. The next crawl, on a disk still full, holds what is left.
"""

from __future__ import annotations

import os
from pathlib import Path

RESERVE_BYTES = 2 * 1024 * 1024  # the closing rows and the WAL replay of their connection: ~100 KB
_CHUNK = 256 * 1024


class DiskReserve:
    def __init__(self, db_path: str | os.PathLike):
        self.path = Path(f"{db_path}.reserve")

    def hold(self) -> int:
        """Bytes now held, up to RESERVE_BYTES: as many as the disk has."""
        chunk = os.urandom(_CHUNK)  # not zeros: a compressing file system would keep none
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        except OSError:
            return 0
        try:
            size = os.fstat(fd).st_size
            while size < RESERVE_BYTES:
                size += os.write(fd, chunk[: RESERVE_BYTES - size])
        except OSError:  # a full disk: keep what was written
            pass
        finally:
            os.close(fd)
        return size

    def release(self) -> None:
        try:
            self.path.unlink(missing_ok=True)
        except OSError:
            pass
