"""Analyse: each page's analysis (``crawler/page_analysis.py``) in worker processes,
its result copied onto the item.

The work is ~20-40 ms of CPU a page; what the crawl process itself does per page
(download, bookkeeping, the batched corpus write) is a few ms. So it runs in a pool of
``FUNDNEWS_EXTRACT_WORKERS`` processes (``crawler/pool.py``; default: one per core; 0
runs it inline on the reactor), awaited while the reactor keeps downloading. Pages with
less than ``FUNDNEWS_MIN_TEXT_CHARS`` of text (error pages, stubs, index pages) are
counted and skipped; a page whose analysis fails or hangs is counted under
``fundnews/errors/extract`` and skipped, and the crawl goes on. A worker grown by more than
``FUNDNEWS_WORKER_RECYCLE_MB`` (128) is replaced (``fundnews/workers/recycled`` counts them).
"""

from __future__ import annotations

from scrapy.crawler import Crawler

from crawler.items import ArticleItem
from crawler.page_analysis import Page, PageAnalysis, analyse_page, warm_up
from crawler.pool import WorkerPool
from pipelines import skip

# what the analysis sets on the item, as it names it
COPIED = ("text", "title", "author", "published_at", "language", "site_name", "description",
          "content_hash", "minhash", "relevance", "rounds")


class AnalysePipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.min_chars = crawler.settings.getint("FUNDNEWS_MIN_TEXT_CHARS")
        self.workers = crawler.settings.getint("FUNDNEWS_EXTRACT_WORKERS")
        self.timeout = crawler.settings.getfloat("FUNDNEWS_EXTRACT_TIMEOUT")
        self.recycle_mb = crawler.settings.getint("FUNDNEWS_WORKER_RECYCLE_MB")
        self.pool: WorkerPool | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AnalysePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        if self.workers <= 0:
            warm_up()  # load models now, not while the first page blocks the reactor
        else:
            recycle = self.recycle_mb * 2**20 if self.recycle_mb > 0 else None
            preload = tuple(self.crawler.settings.getlist("FUNDNEWS_WORKER_PRELOAD"))
            self.pool = WorkerPool(self.workers, self.timeout, initializer=warm_up,
                                   preload=preload, recycle_bytes=recycle)

    def close_spider(self) -> None:
        if self.pool is not None:
            self.pool.close()
            if self.pool.recycled:
                self.crawler.stats.set_value("fundnews/workers/recycled", self.pool.recycled)

    async def _analyse(self, page: Page) -> PageAnalysis | None:
        if self.pool is None:
            return analyse_page(page, self.min_chars)
        return await self.pool.run(analyse_page, page, self.min_chars)

    async def process_item(self, item: ArticleItem) -> ArticleItem:
        page = Page(item.html, item.url, item.fetched_at, item.hint, archive=item.warc_record is None)
        try:
            result = await self._analyse(page)
        except Exception as exc:  # noqa: BLE001 - one bad page must not stop the crawl
            self.crawler.stats.inc_value("fundnews/errors/extract")
            raise skip(self.crawler, item, "extract_failed", repr(exc)) from None
        if result is None:
            raise skip(self.crawler, item, "too_little_text")
        for name in COPIED:
            setattr(item, name, getattr(result, name))
        if result.warc_record is not None:
            item.warc_gz = result.warc_record
        return item
