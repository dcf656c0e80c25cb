"""When each source is due, and the long-running scheduler.

A source's cadence is its ``every`` (``"15m"``, ``"6h"``, ``"1d"`` or a cron
expression; a default per kind, see ``crawler/registry.py``). It is due when its last
run started at least one period ago, or never ran. After downtime each overdue source
runs once, not once per missed slot: due-ness looks at the last run only.

``fundnews schedule`` runs in the foreground: each time sources are due it starts
``fundnews crawl --due`` in a child process (a fresh Twisted reactor every time, and a
crashing crawl cannot take the scheduler down), logs the run, and sleeps until the
next source is due. Locks (``app/locks.py``) keep two crawls of one source apart,
whoever started them.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta

from pathlib import Path

import duckdb
from croniter import croniter

from corpus.db import connection
from corpus.queries import sql
from crawler.registry import Source, every_to_timedelta
from crawler.clock import utcnow

log = logging.getLogger(__name__)


def next_due(source: Source, last_started: datetime | None, now: datetime) -> datetime:
    """When the source should run next (``now`` or earlier means: due)."""
    if last_started is None:
        return now
    period = every_to_timedelta(source.every)
    if period is not None:
        return last_started + period
    return croniter(source.every, last_started).get_next(datetime)


def last_runs(db: str) -> dict[str, dict]:
    """source_id -> its last run (started_at, finished_at, status, stored, errors, last_error);
    read-only, and empty for a corpus that does not exist yet or predates scheduling."""
    if not Path(db).exists():
        return {}
    with connection(db, read_only=True) as con:
        try:
            cursor = con.execute(sql("last_source_runs"))
        except duckdb.CatalogException:
            return {}
        columns = [d[0] for d in cursor.description]
        return {row[0]: dict(zip(columns, row, strict=True)) for row in cursor.fetchall()}


def due_sources(sources: list[Source], db: str, now: datetime | None = None) -> list[Source]:
    now = now or utcnow()
    runs = last_runs(db)
    return [s for s in sources if s.enabled
            and next_due(s, runs.get(s.id, {}).get("started_at"), now) <= now]


class Scheduler:
    """The foreground loop of ``fundnews schedule``."""

    def __init__(self, db: str, sources_dir: str | None, tick: float = 60.0,
                 max_runs: int | None = None, workers: int | None = None):
        self.db, self.sources_dir, self.tick = db, sources_dir, tick
        self.max_runs, self.workers = max_runs, workers
        self.stopping = False
        self.child: subprocess.Popen | None = None

    def _stop(self, signum: int, _frame: object) -> None:
        self.stopping = True
        if self.child is not None and self.child.poll() is None:
            self.child.send_signal(signal.SIGINT)  # the crawl stops gracefully and flushes

    def crawl_command(self) -> list[str]:
        command = [sys.executable, "-m", "app.cli", "crawl", "--due", "--db", self.db]
        if self.sources_dir:
            command += ["--sources", self.sources_dir]
        if self.workers is not None:
            command += ["--workers", str(self.workers)]
        return command

    def run(self, sources_loader) -> int:
        signal.signal(signal.SIGINT, self._stop)
        signal.signal(signal.SIGTERM, self._stop)
        runs = 0
        while not self.stopping and (self.max_runs is None or runs < self.max_runs):
            sources = [s for s in sources_loader() if s.enabled]
            now = utcnow()
            due = due_sources(sources, self.db, now)
            if due:
                runs += 1
                ids = ", ".join(s.id for s in due)
                print(f"{now:%Y-%m-%d %H:%M:%S} run {runs}: crawling {len(due)} due sources: {ids}", flush=True)
                self.child = subprocess.Popen(self.crawl_command())
                code = self.child.wait()
                self.child = None
                print(f"{utcnow():%Y-%m-%d %H:%M:%S} run {runs} ended with exit status {code}", flush=True)
                continue
            runs_by_source = last_runs(self.db)
            upcoming = min(next_due(s, runs_by_source.get(s.id, {}).get("started_at"), now) for s in sources) \
                if sources else now + timedelta(seconds=self.tick)
            wait = max(1.0, min(self.tick, (upcoming - now).total_seconds()))
            print(f"{now:%Y-%m-%d %H:%M:%S} nothing due; next at {upcoming:%Y-%m-%d %H:%M:%S}", flush=True)
            deadline = time.monotonic() + wait
            while not self.stopping and time.monotonic() < deadline:
                time.sleep(min(1.0, deadline - time.monotonic()))
        return 0


def schedule_redis(url: str, load_sources, tick: float, max_runs: int | None) -> int:
    """`fundnews schedule --redis`: seed each source on the shared queue when it is due (its
    cadence against when it was last seeded there)."""
    from crawler.distributed import Keys, connect, seed

    server, keys, runs = connect(url), Keys(), 0
    server.ping()
    while max_runs is None or runs < max_runs:
        now = utcnow()
        seeded = {k.decode(): datetime.fromisoformat(v.decode())
                  for k, v in server.hgetall(keys.last_seeded).items()}
        sources = [s for s in load_sources() if s.enabled]
        due = [s for s in sources if next_due(s, seeded.get(s.id), now) <= now]
        if due:
            runs += 1
            crawl, _, count = seed(url, due)
            print(f"{now:%Y-%m-%d %H:%M:%S} crawl {crawl}: queued {count} entry points of "
                  f"{', '.join(s.id for s in due)}", flush=True)
            continue
        upcoming = min((next_due(s, seeded.get(s.id), now) for s in sources), default=None)
        wait = tick if upcoming is None else max(1.0, min(tick, (upcoming - now).total_seconds()))
        time.sleep(wait)
    return 0
