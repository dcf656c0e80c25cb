"""Store: items batched for the corpus write, which runs off the reactor.

Items (and the spider's fetch log, from the ``page_fetched`` signal) are buffered and
written ``FUNDNEWS_BATCH_SIZE`` at a time or ``FUNDNEWS_BATCH_BYTES`` of text and raw
pages at a time (big pages make small batches), or every ``FUNDNEWS_FLUSH_SECONDS``, and
at the end of the crawl. The first batches are 1, 2, 4... articles, so a corpus that
cannot take writes is found out after a few pages. A write runs in one writer thread,
one at a time, through ``corpus/batches.py`` (archive, rows in one transaction, stories:
exact and near copies counted as ``fundnews/duplicates/exact|near``); after the crawl
the funding rounds are rebuilt there too. Meanwhile the reactor keeps downloading and
the workers keep analysing; when twice a batch is waiting, items wait for the write.

A failed write (a full disk, DuckDB out of memory, the file locked past the wait of
``corpus/db.py``) fails the crawl: the reason goes to the stat ``fundnews/failure``, the
spider closes with reason ``failed`` (no more fetching), and what was not written is
counted as ``fundnews/errors/unwritten``; the pages of those articles are not recorded as
fetched either, so the next crawl fetches and stores them. What earlier writes committed
stays. Counts ``fundnews/pages/new|updated|unchanged``, ``fundnews/stored`` and
``fundnews/stored/<source>`` (what ``source_runs.stored`` says).
"""

from __future__ import annotations

import asyncio
import functools
import logging
from concurrent.futures import ThreadPoolExecutor

from scrapy.crawler import Crawler

from corpus.batches import Batch, BatchWriter, Outcome
from corpus.db import write_failure
from corpus.store import Written
from crawler.extensions import fail_crawl
from crawler.items import ArticleItem
from crawler.rows import article_rows
from crawler.signals import page_fetched

log = logging.getLogger(__name__)


class StorePipeline:
    def __init__(self, crawler: Crawler):
        settings = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        self.writer = BatchWriter(settings["FUNDNEWS_DB"])
        self.batch_size = settings.getint("FUNDNEWS_BATCH_SIZE")
        self.batch_bytes = settings.getint("FUNDNEWS_BATCH_BYTES")
        self.flush_seconds = settings.getfloat("FUNDNEWS_FLUSH_SECONDS")
        self.buffer = Batch()  # what the next write stores
        self.writing: asyncio.Future | None = None  # the write in flight
        self.writes = 0  # started
        self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fundnews-store")
        self.flushing: asyncio.Task | None = None  # the periodic flush
        crawler.signals.connect(self.page_fetched, signal=page_fetched)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    @property
    def failure(self) -> str | None:
        """Why the corpus refused a write (here, or the crawl's own row): the crawl has failed."""
        return self.stats.get_value("fundnews/failure")

    @property
    def crawl_id(self) -> int | None:
        return self.crawler.spider.crawl_id  # set by the crawl recorder once the row is open

    def open_spider(self) -> None:
        opened = self.writer.open()  # articles a killed crawl stored but did not place
        self._count_copies(opened.copies)
        if opened.error is not None:  # the first write places them, or fails the crawl
            log.info("stories placed later: %s", write_failure(self.writer.db, opened.error))
        if self.flush_seconds > 0:
            self.flushing = asyncio.get_running_loop().create_task(self._flush_every(self.flush_seconds))

    async def close_spider(self) -> None:
        self._stop_flushing()
        while self.writing is not None:  # a finished write may start the next
            await asyncio.wait([self.writing])
        final = self.flush()  # the rest
        if final is not None:
            await asyncio.wait([final])
        if self.buffer.rows:
            self.stats.inc_value("fundnews/errors/unwritten", len(self.buffer.rows))
        if self.stats.get_value("fundnews/stored") and self.failure is None:
            try:
                rounds = await asyncio.get_running_loop().run_in_executor(self.thread, self.writer.after_crawl)
            except Exception as exc:  # noqa: BLE001 - the articles are stored; the next crawl rebuilds
                self._fail(exc, 0)
            else:
                self.stats.set_value("fundnews/funding/rounds", rounds)
        self.thread.shutdown()

    async def process_item(self, item: ArticleItem) -> ArticleItem:
        if self.failure is not None:  # the corpus takes no more: fetched again next crawl
            self.stats.inc_value("fundnews/errors/unwritten")
            return item
        self.buffer.add(*article_rows(item, self.crawl_id), item.minhash)
        for page in item.fetch_log:
            self.page_fetched(page)
        if self._batches_buffered(1):
            writing = self.flush()
            if writing is not None and self._batches_buffered(2):
                await asyncio.wait([writing])  # the corpus is behind: wait for it
        return item

    def _batches_buffered(self, batches: int) -> bool:
        """Does the buffer hold this many batches, by rows or by size? The first batches are
        1, 2, 4... rows: a corpus that takes no writes is found out after a few pages."""
        rows = min(self.batch_size, 2 ** min(self.writes, 30))
        return len(self.buffer.rows) >= batches * rows or self.buffer.size >= batches * self.batch_bytes

    def page_fetched(self, page: dict) -> None:
        self.buffer.pages.append({**page, "crawl_id": self.crawl_id})

    def flush(self) -> asyncio.Future | None:
        """Start writing what is buffered, unless a write is in flight; returns the write."""
        if self.writing is None and self.buffer and self.failure is None:
            batch, self.buffer = self.buffer, Batch()
            self.writes += 1
            self.writing = asyncio.get_running_loop().run_in_executor(self.thread, self.writer.write, batch)
            self.writing.add_done_callback(functools.partial(self._written, batch))
        return self.writing

    async def _flush_every(self, seconds: float) -> None:
        while True:
            await asyncio.sleep(seconds)
            self.flush()

    def _stop_flushing(self) -> None:
        if self.flushing is not None:
            self.flushing.cancel()
            self.flushing = None

    def _written(self, batch: Batch, writing: asyncio.Future) -> None:
        """Back on the reactor: count what was committed; a failed write fails the crawl."""
        self.writing = None
        outcome: Outcome = writing.result()  # BatchWriter.write says what failed, never raises
        if outcome.written is not None:
            self._count_written(outcome.written)
        self._count_copies(outcome.copies)
        if outcome.error is not None:
            self._fail(outcome.error, 0 if outcome.written is not None else len(batch.rows))
        elif self._batches_buffered(1):
            self.flush()

    def _count_written(self, written: Written) -> None:
        for kind, count in written.counts.items():
            if count:
                self.stats.inc_value(f"fundnews/pages/{kind}", count)
        self.stats.inc_value("fundnews/stored", sum(written.counts.values()))
        for source_id, count in written.by_source.items():
            self.stats.inc_value(f"fundnews/stored/{source_id}", count)

    def _count_copies(self, copies: dict[str, int]) -> None:
        for kind, count in copies.items():
            if count:
                self.stats.inc_value(f"fundnews/duplicates/{kind}", count)

    def _fail(self, error: Exception, unwritten: int) -> None:
        """The corpus refused a write: stop the crawl, say why once (the CLI prints it)."""
        self.stats.inc_value("fundnews/errors/unwritten", unwritten)
        if self.failure is not None:
            return
        fail_crawl(self.crawler, write_failure(self.writer.db, error))
        log.debug("the failed write", exc_info=error)
        self._stop_flushing()
