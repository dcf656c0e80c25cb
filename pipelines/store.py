"""Store: batched, transactional writes into the DuckDB corpus, off the reactor.

Items (and the spider's fetch log, from the ``page_fetched`` signal) are buffered and
written ``FUNDNEWS_BATCH_SIZE`` at a time or ``FUNDNEWS_BATCH_BYTES`` of text and raw
pages at a time (big pages make small batches), or every ``FUNDNEWS_FLUSH_SECONDS``, and
at the end of the crawl. The first batches are 1, 2, 4... articles, so a corpus that
cannot take writes is found out after a few pages. A write runs in a thread, one at a
time: the WARC records go to the archive, the rows to the corpus as Arrow batches in one
transaction (the connection open only for it), then the new articles are placed in
stories (``corpus/stories.py``):
exact and near copies of an earlier article, across sources and crawls, counted as
``fundnews/duplicates/exact|near``. Meanwhile the reactor keeps downloading and the
workers keep analysing; when twice a batch is waiting, items wait for the write.

A failed write (a full disk, DuckDB out of memory, the file locked past the wait of
``corpus/db.py``) fails the crawl: the reason goes to the stat ``fundnews/failure``, the
spider closes with reason ``failed`` (no more fetching), and what was not written is
counted as ``fundnews/errors/unwritten``; the pages of those articles are not recorded as
fetched either, so the next crawl fetches and stores them. What earlier writes committed
stays. Counts ``fundnews/pages/new|updated|unchanged`` and ``fundnews/stored/<source>``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
from twisted.internet import task, threads
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from corpus import warc
from corpus.db import write_failure
from corpus.rounds import rebuild_rounds
from corpus.stories import Stories
from corpus.store import ARTICLE_COLUMNS, CorpusStore, Written
from crawler.items import ArticleItem
from crawler.signals import page_fetched
from analysis.rounds import ROUND_FIELDS

log = logging.getLogger(__name__)


@dataclass
class Batch:
    """What one write stores; it belongs to the writer thread until the write is over."""

    rows: list[dict] = field(default_factory=list)
    pages: list[dict] = field(default_factory=list)
    mentions: list[dict] = field(default_factory=list)
    evidence: list[dict] = field(default_factory=list)
    signatures: dict[str, bytes] = field(default_factory=dict)  # canonical_url -> minhash
    size: int = 0  # characters of text and bytes of raw pages in the rows

    def __bool__(self) -> bool:
        return bool(self.rows or self.pages)


@dataclass
class Outcome:
    """What a write did: stored (committed), then placed in stories, or failed."""

    written: Written | None = None
    copies: dict[str, int] = field(default_factory=dict)
    error: Failure | None = None  # what failed, after the commit (placing) or before it


class StorePipeline:
    def __init__(self, crawler: Crawler):
        settings = crawler.settings
        self.stats = crawler.stats
        self.store = CorpusStore(settings["FUNDNEWS_DB"])
        self.batch_size = settings.getint("FUNDNEWS_BATCH_SIZE")
        self.batch_bytes = settings.getint("FUNDNEWS_BATCH_BYTES")
        self.flush_seconds = settings.getfloat("FUNDNEWS_FLUSH_SECONDS")
        self.buffer = Batch()  # what the next write stores
        self.writing: Deferred | None = None  # the write in flight
        self.writes = 0  # started
        self.unplaced: dict[str, bytes] = {}  # signatures of stored articles not yet placed
        self.crawler = crawler
        self.loop = task.LoopingCall(self.flush)
        crawler.signals.connect(self.page_fetched, signal=page_fetched)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    @property
    def failure(self) -> str | None:
        """Why the corpus refused a write (here, or the crawl's own row): the crawl has failed."""
        return self.stats.get_value("fundnews/failure")

    def open_spider(self) -> None:
        self.store.migrate()
        self.stories = Stories(self.store.path)
        try:  # articles a killed crawl stored but did not place
            self._count_copies(self._place_stories())
        except Exception as exc:  # noqa: BLE001 - the first write places them, or fails the crawl
            log.info("stories placed later: %s", write_failure(self.store.path, exc))
        if self.flush_seconds > 0:
            self.loop.start(self.flush_seconds, now=False)

    async def close_spider(self) -> None:
        if self.loop.running:
            self.loop.stop()
        while self.writing is not None:  # a finished write may start the next
            await maybe_deferred_to_future(self.writing)
        final = self.flush()  # the rest
        if final is not None:
            await maybe_deferred_to_future(final)
        if self.buffer.rows:
            self.stats.inc_value("fundnews/errors/unwritten", len(self.buffer.rows))
        if self.stats.get_value("fundnews/stored") and self.failure is None:
            try:
                rounds = await maybe_deferred_to_future(threads.deferToThread(rebuild_rounds, self.store.path))
            except Exception:  # noqa: BLE001 - the articles are stored; the next crawl rebuilds
                self._fail(Failure(), 0)
            else:
                self.stats.set_value("fundnews/funding/rounds", rounds)

    async def process_item(self, item: ArticleItem) -> ArticleItem:
        if self.failure is not None:  # the corpus takes no more: fetched again next crawl
            self.stats.inc_value("fundnews/errors/unwritten")
            return item
        row, mentions, evidence = article_rows(item, self.stats.get_value("fundnews/crawl_id"))
        if item.minhash is not None:
            self.buffer.signatures[item.canonical_url] = item.minhash
        self.buffer.rows.append(row)
        self.buffer.size += len(row.get("text") or "") + len(row.get("warc_gz") or b"")
        self.buffer.mentions += mentions
        self.buffer.evidence += evidence
        for page in item.fetch_log:
            self.page_fetched(page)
        if self._batches_buffered(1):
            writing = self.flush()
            if writing is not None and self._batches_buffered(2):
                await maybe_deferred_to_future(writing)  # the corpus is behind: wait for it
        return item

    def _batches_buffered(self, batches: int) -> bool:
        """Does the buffer hold this many batches, by rows or by size? The first batches are
        1, 2, 4... rows: a corpus that takes no writes is found out after a few pages."""
        rows = min(self.batch_size, 2 ** min(self.writes, 30))
        return len(self.buffer.rows) >= batches * rows or self.buffer.size >= batches * self.batch_bytes

    def page_fetched(self, page: dict) -> None:
        self.buffer.pages.append({**page, "crawl_id": self.stats.get_value("fundnews/crawl_id")})

    def flush(self) -> Deferred | None:
        """Start writing what is buffered, unless a write is in flight; returns the write."""
        if self.writing is None and self.buffer and self.failure is None:
            batch, self.buffer = self.buffer, Batch()
            self.writes += 1
            self.writing = threads.deferToThread(self._write, batch)
            self.writing.addBoth(self._written, batch)
        return self.writing

    def _write(self, batch: Batch) -> Outcome:
        """In the writer thread: archive, store, place in stories."""
        outcome = Outcome()
        try:
            self._archive_raw_pages(batch.rows)
            outcome.written = self.store.write(articles=batch.rows, pages=batch.pages,
                                               mentions=batch.mentions, evidence=batch.evidence)
            self.unplaced.update(batch.signatures)
            outcome.copies = self._place_stories()
        except Exception:  # noqa: BLE001 - any refused write fails the crawl, in _written
            outcome.error = Failure()
        return outcome

    def _written(self, outcome: Outcome | Failure, batch: Batch) -> None:
        """Back on the reactor: count what was committed; a failed write fails the crawl."""
        self.writing = None
        if isinstance(outcome, Failure):
            outcome = Outcome(error=outcome)
        if outcome.written is not None:
            self._count_written(outcome.written)
        self._count_copies(outcome.copies)
        if outcome.error is not None:
            unwritten = 0 if outcome.written is not None else len(batch.rows)
            self._fail(outcome.error, unwritten)
        elif self._batches_buffered(1):
            self.flush()

    def _count_written(self, written: Written) -> None:
        for kind, count in written.counts.items():
            if count:
                self.stats.inc_value(f"fundnews/pages/{kind}", count)
        self.stats.inc_value("fundnews/stored", sum(written.counts.values()))
        for source_id, count in written.by_source.items():
            self.stats.inc_value(f"fundnews/stored/{source_id}", count)

    def _fail(self, error: Failure, unwritten: int) -> None:
        """The corpus refused a write: stop the crawl, say why once (the CLI prints it)."""
        self.stats.inc_value("fundnews/errors/unwritten", unwritten)
        if self.failure is not None:
            return
        fail_crawl(self.crawler, write_failure(self.store.path, error.value))
        log.debug("the failed write", exc_info=(error.type, error.value, error.getTracebackObject()))
        if self.loop.running:
            self.loop.stop()

    def _count_copies(self, copies: dict[str, int]) -> None:
        for kind, count in copies.items():
            if count:
                self.stats.inc_value(f"fundnews/duplicates/{kind}", count)

    def _archive_raw_pages(self, rows: list[dict]) -> None:
        archive_raw_pages(self.store.path, self.stats.get_value("fundnews/crawl_id"), rows)

    def _place_stories(self) -> dict[str, int]:
        """Place the stored articles not in a story yet (one thread at a time: the writer's);
        what is left unplaced the next write or crawl places."""
        copies = self.stories.place_new_articles(self.unplaced)
        self.unplaced.clear()
        return copies


def article_rows(item: ArticleItem, crawl_id: int | None) -> tuple[dict, list[dict], list[dict]]:
    """An analysed item as the store's rows: the article, its round mentions, their evidence.
    A raw page not archived yet travels as ``warc_gz``, appended to the archive at the write."""
    row = {name: getattr(item, name) for name in ARTICLE_COLUMNS.names if hasattr(item, name)}
    if item.warc_record is None:
        row["warc_gz"] = item.warc_gz
    else:
        row["warc_file"], row["warc_offset"], row["warc_length"] = item.warc_record
    row["crawl_id"] = crawl_id
    relevance = item.relevance
    if relevance is not None:
        row.update(is_ai=relevance.is_ai, ai_score=relevance.ai_score,
                   is_funding=relevance.is_funding, funding_score=relevance.funding_score,
                   funding_unconfirmed=relevance.unconfirmed, relevance_reasons=relevance.reasons)
    mentions, evidence = [], []
    for idx, found in enumerate(item.rounds):
        mentions.append({"canonical_url": item.canonical_url, "idx": idx,
                         **{f: getattr(found, f) for f in ROUND_FIELDS}})
        evidence += [
            {"canonical_url": item.canonical_url, "idx": idx, "field": name, "location": ev.source,
             "start_char": ev.start, "end_char": ev.end, "sentence": ev.sentence}
            for name, ev in found.evidence.items()
        ]
    return row, mentions, evidence


def archive_raw_pages(db: str, crawl_id: int | None, rows: list[dict]) -> None:
    """Append the WARC records of the rows not archived yet to the archive; the rows then
    say where their record is."""
    pending = [row for row in rows if "warc_gz" in row]
    if not pending:
        return
    places = warc.append_records(db, crawl_id, [row["warc_gz"] for row in pending])
    for row, (file, offset, length) in zip(pending, places, strict=True):
        del row["warc_gz"]
        row.update(warc_file=file, warc_offset=offset, warc_length=length)


def fail_crawl(crawler: Crawler, reason: str) -> None:
    """The corpus refused a write: the crawl fails with this reason and fetches no more."""
    if crawler.stats.get_value("fundnews/failure") is not None:
        return
    crawler.stats.set_value("fundnews/failure", reason)
    log.info("the crawl fails: %s", reason)
    if crawler.engine is not None and crawler.engine.spider is not None:
        # already closing: this only waits for it, in the background
        closing = deferred_from_coro(crawler.engine.close_spider_async(reason="failed"))
        closing.addErrback(lambda f: log.debug("closing the spider: %s", f.value))
