"""Store: batched, transactional writes into the DuckDB corpus, off the reactor.

Items (and the spider's fetch log, from the ``page_fetched`` signal) are buffered and
written ``FUNDNEWS_BATCH_SIZE`` at a time, or every ``FUNDNEWS_FLUSH_SECONDS``, and at
the end of the crawl. A write runs in a thread, one at a time: the WARC records go to
the archive, the rows to the corpus as Arrow batches in one transaction (the connection
open only for it), then the new articles are placed in stories (``corpus/stories.py``):
exact and near copies of an earlier article, across sources and crawls, counted as
``fundnews/duplicates/exact|near``. Meanwhile the reactor keeps downloading and the
workers keep analysing; when twice a batch is waiting, items wait for the write.

A failed write keeps its rows for the next attempt, so nothing is lost while another
process holds the file. Counts ``fundnews/pages/new|updated|unchanged``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from scrapy.crawler import Crawler
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import task, threads
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from corpus import warc
from corpus.db import CorpusError
from corpus.rounds import rebuild_rounds
from corpus.stories import Stories
from corpus.store import ARTICLE_COLUMNS, CorpusStore
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

    def __bool__(self) -> bool:
        return bool(self.rows or self.pages)

    def then(self, later: Batch) -> Batch:
        """This batch followed by a later one (a failed write's rows go first again)."""
        return Batch(self.rows + later.rows, self.pages + later.pages,
                     self.mentions + later.mentions, self.evidence + later.evidence,
                     {**self.signatures, **later.signatures})


@dataclass
class Written:
    counts: dict[str, int]
    copies: dict[str, int]


class StorePipeline:
    def __init__(self, crawler: Crawler):
        settings = crawler.settings
        self.stats = crawler.stats
        self.store = CorpusStore(settings["FUNDNEWS_DB"])
        self.batch_size = settings.getint("FUNDNEWS_BATCH_SIZE")
        self.flush_seconds = settings.getfloat("FUNDNEWS_FLUSH_SECONDS")
        self.buffer = Batch()  # what the next write stores
        self.writing: Deferred | None = None  # the write in flight
        self.unplaced: dict[str, bytes] = {}  # signatures of stored articles not yet placed
        self.loop = task.LoopingCall(self.flush)
        crawler.signals.connect(self.page_fetched, signal=page_fetched)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        self.store.migrate()
        self.stories = Stories(self.store.path)
        self._count_copies(self._place_stories())  # articles a killed crawl stored but did not place
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
        if self.buffer:
            unwritten = len(self.buffer.rows)
            log.error("%d articles could not be written to %s", unwritten, self.store.path)
            self.stats.inc_value("fundnews/errors/unwritten", unwritten)
        if self.stats.get_value("fundnews/stored"):
            rounds = await maybe_deferred_to_future(threads.deferToThread(rebuild_rounds, self.store.path))
            self.stats.set_value("fundnews/funding/rounds", rounds)

    async def process_item(self, item: ArticleItem) -> ArticleItem:
        row, mentions, evidence = article_rows(item, self.stats.get_value("fundnews/crawl_id"))
        if item.minhash is not None:
            self.buffer.signatures[item.canonical_url] = item.minhash
        self.buffer.rows.append(row)
        self.buffer.mentions += mentions
        self.buffer.evidence += evidence
        for page in item.fetch_log:
            self.page_fetched(page)
        if len(self.buffer.rows) >= self.batch_size:
            writing = self.flush()
            if writing is not None and len(self.buffer.rows) >= 2 * self.batch_size:
                await maybe_deferred_to_future(writing)  # the corpus is behind: wait for it
        return item

    def page_fetched(self, page: dict) -> None:
        self.buffer.pages.append({**page, "crawl_id": self.stats.get_value("fundnews/crawl_id")})

    def flush(self) -> Deferred | None:
        """Start writing what is buffered, unless a write is in flight; returns the write."""
        if self.writing is None and self.buffer:
            batch, self.buffer = self.buffer, Batch()
            self.writing = threads.deferToThread(self._write, batch)
            self.writing.addBoth(self._written, batch)
        return self.writing

    def _write(self, batch: Batch) -> Written:
        """In the writer thread: archive, store, place in stories."""
        self._archive_raw_pages(batch.rows)
        counts = self.store.write(articles=batch.rows, pages=batch.pages, mentions=batch.mentions,
                                  evidence=batch.evidence)
        self.unplaced.update(batch.signatures)
        return Written(counts, self._place_stories())

    def _written(self, result: Written | Failure, batch: Batch) -> None:
        """Back on the reactor: count, or keep the rows of a failed write for the next one."""
        self.writing = None
        if isinstance(result, Failure):
            if result.check(CorpusError):
                log.warning("corpus busy, keeping %d rows for the next write: %s",
                            len(batch.rows), result.value)
            else:
                log.error("corpus write failed, keeping %d rows for the next write",
                          len(batch.rows), exc_info=(result.type, result.value, result.getTracebackObject()))
            self.buffer = batch.then(self.buffer)
            return
        for outcome, count in result.counts.items():
            if count:
                self.stats.inc_value(f"fundnews/pages/{outcome}", count)
        self.stats.inc_value("fundnews/stored", sum(result.counts.values()))
        self._count_copies(result.copies)
        if len(self.buffer.rows) >= self.batch_size:
            self.flush()

    def _count_copies(self, copies: dict[str, int]) -> None:
        for kind, count in copies.items():
            if count:
                self.stats.inc_value(f"fundnews/duplicates/{kind}", count)

    def _archive_raw_pages(self, rows: list[dict]) -> None:
        archive_raw_pages(self.store.path, self.stats.get_value("fundnews/crawl_id"), rows)

    def _place_stories(self) -> dict[str, int]:
        """Place the stored articles not in a story yet (one thread at a time: the writer's)."""
        try:
            copies = self.stories.place_new_articles(self.unplaced)
        except CorpusError as exc:  # placed by the next write or crawl
            log.warning("corpus busy, stories placed later: %s", exc)
            return {}
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
    relevance = item.labels.get("relevance")
    if relevance is not None:
        row.update(is_ai=relevance.is_ai, ai_score=relevance.ai_score,
                   is_funding=relevance.is_funding, funding_score=relevance.funding_score,
                   funding_unconfirmed=relevance.unconfirmed, relevance_reasons=relevance.reasons)
    mentions, evidence = [], []
    for idx, found in enumerate(item.labels.get("rounds", [])):
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
