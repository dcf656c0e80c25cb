"""The one writer of a distributed crawl: drains the results stream into the corpus.

``fundnews load --redis URL --db PATH`` reads the analysed articles and fetch logs that
workers put on the ``results`` stream (consumer group ``loader``), writes them through the
same write path as a local crawl (``corpus/batches.py``: archive, rows, stories), and only
after the batch is committed acknowledges it. Killed at any point, the next loader reads
the entries it had not acknowledged again; the writer keeps one row per canonical URL, so
an article written twice is still one article.

It opens the ``crawls`` row of a distributed crawl when it sees it, publishes the pages it
wrote to ``known`` (what workers consult to skip known URLs), and when the crawl is over
(nothing queued or taken anywhere) writes the entry documents' fetch log, rebuilds the
funding rounds and finishes the row with the stats the workers handed on.
"""

from __future__ import annotations

import json
import logging
import pickle
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import redis

from corpus.batches import Batch, BatchWriter, Outcome
from corpus.db import write_failure
from crawler.distributed import GROUP, Frontier, Keys, connect, known_value
from crawler.clock import utcnow

log = logging.getLogger(__name__)
CONSUMER = "loader"  # one loader: a restarted one reads the entries its predecessor left


def _number(value: bytes) -> int | float | str:
    text = value.decode()
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


class Loader:
    def __init__(self, url: str, db: str, batch_size: int = 2000, idle_exit: float | None = None,
                 progress: bool = True):
        self.server, self.keys = connect(url), Keys()
        self.frontier = Frontier(self.server, self.keys)
        self.db, self.batch_size, self.idle_exit, self.progress = db, batch_size, idle_exit, progress
        self.writer = BatchWriter(db)
        self.store = self.writer.store  # the crawls and source_runs rows
        self.db_ids: dict[int, int] = {}  # distributed crawl -> crawls.crawl_id
        self.held: dict[int, list[tuple[bytes, list[dict]]]] = defaultdict(list)  # entry fetch logs
        self.loaded = 0
        self.rounds_due = False

    # -- setting up ------------------------------------------------------------------------

    def prepare(self) -> None:
        self.server.ping()
        opened = self.writer.open()  # migrated; what a killed loader stored but did not place
        if opened.error is not None:  # the first write places them
            log.info("stories placed later: %s", write_failure(self.db, opened.error))
        try:
            self.server.xgroup_create(self.keys.results, GROUP, id="0", mkstream=True)
        except redis.ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise
        self._republish_known()

    def _publish_known(self, pages: list[dict], key: str | None = None) -> None:
        for start in range(0, len(pages), 10_000):
            chunk = pages[start:start + 10_000]
            self.server.hset(key or self.keys.known, mapping={p["url_key"]: known_value(p) for p in chunk})

    def _republish_known(self) -> None:
        """What this corpus fetched, as workers read it (the corpus is the truth: another
        file, or one restored from a backup, replaces what the last loader published)."""
        building = f"{self.keys.known}:building"
        self.server.delete(building)
        self._publish_known([{"url_key": k, "fetched_at": v[0], "etag": v[1], "last_modified": v[2]}
                             for k, v in self.store.known_pages().items()], building)
        if self.server.exists(building):
            self.server.rename(building, self.keys.known)
        else:
            self.server.delete(self.keys.known)

    def db_id(self, crawl: int) -> int:
        """The crawls row of a distributed crawl, opened the first time it is seen."""
        if crawl not in self.db_ids:
            key = self.keys.crawl(crawl)
            found = self.server.hget(key, "db_id")
            if found is None:
                started = self.server.hget(key, "started_at")
                started_at = datetime.fromisoformat(started.decode()) if started else utcnow()
                sources = sorted(s.decode() for s in self.server.smembers(self.keys.crawl(crawl, "sources")))
                found = self.store.start_crawl(started_at, sources)
                self.server.hset(key, "db_id", found)
                print(f"crawl {crawl}: recorded as crawl {int(found)} in {self.db}", flush=True)
            self.db_ids[crawl] = int(found)
        return self.db_ids[crawl]

    # -- the loop --------------------------------------------------------------------------

    def run(self) -> int:
        self.prepare()
        print(f"fundnews load: {self.keys.results} -> {self.db}", flush=True)
        self._drain(pending=True)  # what a killed loader had read but not written
        last_activity = time.monotonic()
        while True:
            current = self.frontier.current_crawl()
            if current is not None:
                self.db_id(current)
            if self._drain(block_ms=1000):
                last_activity = time.monotonic()
                continue
            closed = self.frontier.close_if_drained()
            if closed:
                self._drain()  # what the last acknowledgements put on the stream
                self.finish(closed)
                last_activity = time.monotonic()
                continue
            if self.frontier.size():
                last_activity = time.monotonic()
            if self.idle_exit is not None and time.monotonic() - last_activity >= self.idle_exit:
                break
        if self.rounds_due:
            self.writer.after_crawl()
        print(f"fundnews load: {self.loaded} articles written to {self.db}", flush=True)
        return 0

    def _drain(self, pending: bool = False, block_ms: int | None = None) -> bool:
        """Read and write until nothing is left: entries pending for this consumer, or new
        ones (waiting up to ``block_ms`` for the first). The next batch is read while one is
        written: Redis sends and the client parses while DuckDB and numpy work. Returns
        whether there was anything."""
        last = "0" if pending else ">"
        entries = self._read(last, block_ms)
        if not entries:
            return False
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="fundnews-load-read") as reader:
            while entries:
                if pending:
                    last = entries[-1][0]
                reading = reader.submit(self._read, last, None)
                self._load(entries)
                entries = reading.result()
        return True

    def _read(self, last: str | bytes, block_ms: int | None) -> list:
        answer = self.server.xreadgroup(GROUP, CONSUMER, {self.keys.results: last},
                                        count=self.batch_size, block=block_ms)
        return answer[0][1] if answer else []

    # -- writing a batch ---------------------------------------------------------------------

    def _load(self, entries: list[tuple[bytes, dict]]) -> None:
        batch, done = Batch(), []
        current = self.frontier.current_crawl()
        for entry_id, fields in entries:
            kind, crawl = fields[b"kind"].decode(), int(fields[b"crawl"])
            crawl_id = self.db_id(crawl)
            data = pickle.loads(fields[b"data"])
            if kind == "entry_pages" and crawl == current:
                self.held[crawl].append((entry_id, data))  # written when the crawl is over
                continue
            done.append(entry_id)
            if kind == "article":
                data["row"]["crawl_id"] = crawl_id
                batch.add(data["row"], data["mentions"], data["evidence"], data["minhash"])
                data = data["pages"]
            batch.pages += [{**page, "crawl_id": crawl_id} for page in data]
        outcome = self._write(batch)
        self._publish_known(batch.pages)
        rows = batch.rows
        self._count(rows, outcome)
        if done:
            self.server.pipeline().xack(self.keys.results, GROUP, *done).xdel(self.keys.results, *done).execute()
        self.loaded += len(rows)
        self.rounds_due = self.rounds_due or bool(rows)
        if rows and self.progress:
            print(f"loaded {len(rows)} articles ({self.loaded} in all)", flush=True)

    def _write(self, batch: Batch) -> Outcome:
        """A write that fails stops the loader: nothing of the batch is acknowledged, so the
        next loader reads it again (and writes what was committed as unchanged)."""
        outcome = self.writer.write(batch)
        if outcome.error is not None:
            raise outcome.error
        return outcome

    def _count(self, rows: list[dict], outcome: Outcome) -> None:
        """The write's counts, into the stats of the crawl the rows came from (the first's):
        ``fundnews/stored/<source>`` is what the crawl's source_runs row says was stored."""
        if not rows:
            return
        crawl = next(n for n, i in self.db_ids.items() if i == rows[0]["crawl_id"])
        pipe = self.server.pipeline()
        key = self.keys.crawl(crawl, "stats")
        written = outcome.written
        for kind, count in written.counts.items():
            if count:
                pipe.hincrby(key, f"fundnews/pages/{kind}", count)
        pipe.hincrby(key, "fundnews/stored", sum(written.counts.values()))
        for source_id, count in written.by_source.items():
            pipe.hincrby(key, f"fundnews/stored/{source_id}", count)
        for kind, count in outcome.copies.items():
            if count:
                pipe.hincrby(key, f"fundnews/duplicates/{kind}", count)
        pipe.execute()

    # -- the end of a crawl ------------------------------------------------------------------

    def finish(self, crawl: int) -> None:
        """Entry documents' fetch log, funding rounds, then the crawls and source_runs rows."""
        crawl_id = self.db_id(crawl)
        held = self.held.pop(crawl, [])
        pages = [{**page, "crawl_id": crawl_id} for _, logged in held for page in logged]
        self._write(Batch(pages=pages))
        self._publish_known(pages)
        if held:
            ids = [entry_id for entry_id, _ in held]
            self.server.pipeline().xack(self.keys.results, GROUP, *ids).xdel(self.keys.results, *ids).execute()
        rounds = self.writer.after_crawl()
        self.rounds_due = False
        stats = {k.decode(): _number(v) for k, v in self.server.hgetall(self.keys.crawl(crawl, "stats")).items()}
        workers = sorted(k.rsplit("/", 1)[1] for k in stats if k.startswith("fundnews/distributed/acks/"))
        stats.update({"fundnews/funding/rounds": rounds, "fundnews/distributed/crawl": crawl,
                      "fundnews/distributed/workers": len(workers), "fundnews/crawl_id": crawl_id})
        finished_at = utcnow()
        started = self.server.hget(self.keys.crawl(crawl), "started_at")
        started_at = datetime.fromisoformat(started.decode()) if started else finished_at
        self.store.finish_crawl(crawl_id, finished_at, "finished", stats)
        sources = sorted(s.decode() for s in self.server.smembers(self.keys.crawl(crawl, "sources")))
        self.store.record_source_runs([
            {"crawl_id": crawl_id, "source_id": source_id, "started_at": started_at,
             "finished_at": finished_at, "status": "finished",
             "stored": stats.get(f"fundnews/stored/{source_id}", 0),  # written, not extracted
             "errors": stats.get(f"fundnews/source_errors/{source_id}", 0),
             "last_error": stats.get(f"fundnews/last_error/{source_id}")}
            for source_id in sources
        ])
        pipe = self.server.pipeline()
        pipe.delete(self.keys.crawl(crawl, "dupefilter"), self.keys.crawl(crawl, "scheduled"))
        for part in ("", "stats", "sources"):
            pipe.expire(self.keys.crawl(crawl, part), 7 * 86400)
        pipe.execute()
        print(f"crawl {crawl} finished: crawl {crawl_id}, {stats.get('downloader/request_count', 0)} requests, "
              f"{stats.get('fundnews/stored', 0)} stored, {rounds} rounds, {len(workers)} workers; "
              f"{json.dumps({k.rsplit('/', 1)[1]: v for k, v in stats.items() if k.startswith('fundnews/skipped/')})}",
              flush=True)
