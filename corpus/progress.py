"""Progress lines for long steps that DuckDB runs as one statement (the text index build,
an export's COPY): elapsed time on stderr every ``FUNDNEWS_PROGRESS_EVERY`` seconds
(default 10; the crawl's own progress line uses it too, default 5 there)."""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


def progress_every(default: float = 10.0) -> float:
    return float(os.environ.get("FUNDNEWS_PROGRESS_EVERY") or default)


@contextmanager
def ticking(label: str, announce: bool = False, every: float | None = None) -> Iterator[None]:
    """While the block runs: `label… 10s`, `label… 20s`; at its end, how long it took, if
    it ran long enough for a tick (or `announce`: then its start is said too)."""
    every = progress_every() if every is None else every
    started, done, ticks = time.monotonic(), threading.Event(), []

    def say(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    def tick() -> None:
        while not done.wait(every):
            ticks.append(1)
            say(f"{label}… {time.monotonic() - started:.0f}s")

    if announce:
        say(f"{label}…")
    thread = threading.Thread(target=tick, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()
    if ticks or announce:
        say(f"{label}: done in {time.monotonic() - started:.1f}s")
