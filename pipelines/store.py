"""Store: batched, transactional writes into the DuckDB corpus.

Items are buffered and written ``FUNDNEWS_BATCH_SIZE`` at a time, or every
``FUNDNEWS_FLUSH_SECONDS``, and at the end of the crawl: one Arrow batch, one
transaction, the connection open only for it. A failed write keeps its rows for
the next attempt, so nothing is lost while another process holds the file.
"""

from __future__ import annotations

import logging
from dataclasses import asdict

from scrapy.crawler import Crawler
from twisted.internet import task

from corpus.db import CorpusError
from corpus.store import ARTICLE_COLUMNS, CorpusStore
from crawler.items import ArticleItem

log = logging.getLogger(__name__)


class StorePipeline:
    def __init__(self, crawler: Crawler):
        settings = crawler.settings
        self.stats = crawler.stats
        self.store = CorpusStore(settings["FUNDNEWS_DB"])
        self.batch_size = settings.getint("FUNDNEWS_BATCH_SIZE")
        self.flush_seconds = settings.getfloat("FUNDNEWS_FLUSH_SECONDS")
        self.rows: list[dict] = []
        self.loop = task.LoopingCall(self.flush)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        self.store.migrate()
        if self.flush_seconds > 0:
            self.loop.start(self.flush_seconds, now=False)

    def close_spider(self) -> None:
        if self.loop.running:
            self.loop.stop()
        self.flush()
        if self.rows:
            log.error("%d articles could not be written to %s", len(self.rows), self.store.path)
            self.stats.inc_value("fundnews/errors/unwritten", len(self.rows))

    def process_item(self, item: ArticleItem) -> ArticleItem:
        row = {name: value for name, value in asdict(item).items() if name in ARTICLE_COLUMNS.names}
        row["crawl_id"] = self.stats.get_value("fundnews/crawl_id")
        self.rows.append(row)
        if len(self.rows) >= self.batch_size:
            self.flush()
        return item

    def flush(self) -> None:
        if not self.rows:
            return
        rows, self.rows = self.rows, []
        try:
            written = self.store.write_articles(rows)
        except CorpusError as exc:
            log.warning("corpus busy, keeping %d rows for the next write: %s", len(rows), exc)
            self.rows = rows + self.rows
            return
        self.stats.inc_value("fundnews/stored", written)
