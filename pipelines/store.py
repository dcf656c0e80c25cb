"""Store: batched, transactional writes into the DuckDB corpus.

Items (and the spider's fetch log, from the ``page_fetched`` signal) are buffered and
written ``FUNDNEWS_BATCH_SIZE`` at a time, or every ``FUNDNEWS_FLUSH_SECONDS``, and at
the end of the crawl: one Arrow batch, one transaction, the connection open only for
it. A failed write keeps its rows for the next attempt, so nothing is lost while
another process holds the file. Counts ``fundnews/pages/new|updated|unchanged``. After
each write, new articles are placed in stories (``corpus/stories.py``): exact and near
copies of an earlier article, across sources and crawls, counted as
``fundnews/duplicates/exact|near``.
"""

from __future__ import annotations

import logging

from scrapy.crawler import Crawler
from twisted.internet import task

from corpus import warc
from corpus.db import CorpusError
from corpus.rounds import rebuild_rounds
from corpus.stories import Stories
from corpus.store import ARTICLE_COLUMNS, CorpusStore
from crawler.items import ArticleItem
from crawler.signals import page_fetched

log = logging.getLogger(__name__)
MENTION_FIELDS = ("company", "round_type", "round_label", "amount", "currency", "amount_usd",
                  "amount_status", "valuation", "valuation_currency", "valuation_usd",
                  "valuation_basis", "lead_investors", "investors", "announced_on", "unconfirmed")


class StorePipeline:
    def __init__(self, crawler: Crawler):
        settings = crawler.settings
        self.stats = crawler.stats
        self.store = CorpusStore(settings["FUNDNEWS_DB"])
        self.batch_size = settings.getint("FUNDNEWS_BATCH_SIZE")
        self.flush_seconds = settings.getfloat("FUNDNEWS_FLUSH_SECONDS")
        self.rows: list[dict] = []
        self.pages: list[dict] = []
        self.mentions: list[dict] = []
        self.evidence: list[dict] = []
        self.loop = task.LoopingCall(self.flush)
        crawler.signals.connect(self.page_fetched, signal=page_fetched)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        self.store.migrate()
        self.stories = Stories(self.store.path)
        self.place_stories()  # articles a killed crawl stored but did not place
        if self.flush_seconds > 0:
            self.loop.start(self.flush_seconds, now=False)

    def close_spider(self) -> None:
        if self.loop.running:
            self.loop.stop()
        self.flush()
        if self.rows or self.pages:
            log.error("%d articles could not be written to %s", len(self.rows), self.store.path)
            self.stats.inc_value("fundnews/errors/unwritten", len(self.rows))
        if self.stats.get_value("fundnews/stored"):
            self.stats.set_value("fundnews/funding/rounds", rebuild_rounds(self.store.path))

    def process_item(self, item: ArticleItem) -> ArticleItem:
        row = {name: getattr(item, name) for name in ARTICLE_COLUMNS.names if hasattr(item, name)}
        if item.warc_record is None:
            row["html"] = item.html  # to the WARC archive at flush time
        else:
            row["warc_file"], row["warc_offset"], row["warc_length"] = item.warc_record
        row["crawl_id"] = self.stats.get_value("fundnews/crawl_id")
        relevance = item.labels.get("relevance")
        if relevance is not None:
            row.update(is_ai=relevance.is_ai, ai_score=relevance.ai_score,
                       is_funding=relevance.is_funding, funding_score=relevance.funding_score,
                       funding_unconfirmed=relevance.unconfirmed, relevance_reasons=relevance.reasons)
        self.rows.append(row)
        for idx, found in enumerate(item.labels.get("rounds", [])):
            self.mentions.append({"canonical_url": item.canonical_url, "idx": idx,
                                  **{f: getattr(found, f) for f in MENTION_FIELDS}})
            self.evidence += [
                {"canonical_url": item.canonical_url, "idx": idx, "field": name, "location": ev.source,
                 "start_char": ev.start, "end_char": ev.end, "sentence": ev.sentence}
                for name, ev in found.evidence.items()
            ]
        for page in item.fetch_log:
            self.page_fetched(page)
        if len(self.rows) >= self.batch_size:
            self.flush()
        return item

    def page_fetched(self, page: dict) -> None:
        self.pages.append({**page, "crawl_id": self.stats.get_value("fundnews/crawl_id")})

    def flush(self) -> None:
        if not self.rows and not self.pages:
            return
        self._archive_raw_pages()
        batch = {"articles": self.rows, "pages": self.pages, "mentions": self.mentions,
                 "evidence": self.evidence}
        self.rows, self.pages, self.mentions, self.evidence = [], [], [], []
        try:
            counts = self.store.write(**batch)
        except CorpusError as exc:
            log.warning("corpus busy, keeping %d rows for the next write: %s", len(batch["articles"]), exc)
            self.rows, self.pages = batch["articles"] + self.rows, batch["pages"] + self.pages
            self.mentions, self.evidence = batch["mentions"] + self.mentions, batch["evidence"] + self.evidence
            return
        for outcome in ("new", "updated", "unchanged"):
            if counts[outcome]:
                self.stats.inc_value(f"fundnews/pages/{outcome}", counts[outcome])
        self.stats.inc_value("fundnews/stored", counts["new"] + counts["updated"] + counts["unchanged"])
        self.place_stories()

    def _archive_raw_pages(self) -> None:
        """Append the raw pages of the rows not archived yet to the WARC archive."""
        pending = [row for row in self.rows if "html" in row]
        if not pending:
            return
        places = warc.append_pages(self.store.path, self.stats.get_value("fundnews/crawl_id"),
                                   [(row["url"], row["fetched_at"], row["html"]) for row in pending])
        for row, (file, offset, length) in zip(pending, places, strict=True):
            del row["html"]
            row.update(warc_file=file, warc_offset=offset, warc_length=length)

    def place_stories(self) -> None:
        try:
            copies = self.stories.place_new_articles()
        except CorpusError as exc:  # placed by the next write or crawl
            log.warning("corpus busy, stories placed later: %s", exc)
            return
        for kind, count in copies.items():
            if count:
                self.stats.inc_value(f"fundnews/duplicates/{kind}", count)
