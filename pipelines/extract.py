"""Extract: trafilatura turns each page into clean text and metadata.

trafilatura costs ~20-40 ms of CPU a page, far more than the rest of the crawl,
so it runs in a pool of worker processes (``FUNDNEWS_EXTRACT_WORKERS``, default
one per core; 0 runs it inline in the crawl process). The pipeline awaits the
pool, so the reactor keeps downloading while pages are extracted.

Feed and sitemap metadata (title, date, author) fill what the page does not say.
Pages with less than ``FUNDNEWS_MIN_TEXT_CHARS`` of text (error pages, stubs,
index pages) are counted and skipped.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from datetime import UTC, datetime, time
from typing import Any

from scrapy.crawler import Crawler

from crawler.items import ArticleItem
from pipelines import skip

log = logging.getLogger(__name__)
LANGUAGE_SAMPLE_CHARS = 2000
_OPTIONS = None  # trafilatura.settings.Extractor, built once per process


def _options():
    global _OPTIONS
    if _OPTIONS is None:
        from trafilatura.settings import Extractor, set_date_params

        date_params = set_date_params(False)
        date_params["outputformat"] = "%Y-%m-%dT%H:%M:%S%z"  # keep the time when the page has one
        _OPTIONS = Extractor(
            output_format="python", with_metadata=True, comments=False, tables=True, dedup=False,
            date_params=date_params,
        )
    return _OPTIONS


def detect_language(text: str) -> str | None:
    import py3langid

    if len(text) < 40:
        return None
    language, _score = py3langid.classify(text[:LANGUAGE_SAMPLE_CHARS])
    return language


def extract_page(html: str, url: str) -> dict[str, Any] | None:
    """trafilatura on one page: text and metadata as a plain dict (picklable), or None."""
    import trafilatura

    options = _options()
    options.url = url
    document = trafilatura.bare_extraction(html, url=url, options=options)
    if document is None or not document.text:
        return None
    return {
        "text": document.text,
        "title": document.title,
        "author": document.author,
        "date": document.date,
        "site_name": document.sitename,
        "description": document.description,
        "language": detect_language(document.text),
    }


def _warm_up() -> None:
    """Run once in each worker: import and build everything before the first page."""
    extract_page("<html><body><article><p>" + "warm up text " * 20 + "</p></article></body></html>",
                 "http://localhost/")


def _published(extracted_date: str | None, hint_date: datetime | None) -> datetime | None:
    """The page's own date (UTC); the feed's or sitemap's when the page has none, or has the
    same day without a time of day."""
    try:
        moment = datetime.fromisoformat(extracted_date) if extracted_date else None
    except ValueError:
        moment = None
    if moment is None:
        return hint_date
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    if hint_date is not None and hint_date.date() == moment.date() and moment.time() == time(0):
        return hint_date
    return moment


class ExtractionPool:
    """trafilatura in worker processes, awaited from the reactor without blocking it.

    ``multiprocessing.Pool.apply_async`` hands tasks to a feeder thread, so the reactor
    never waits on a pipe (``concurrent.futures.ProcessPoolExecutor`` in Python 3.11
    writes a wake-up byte on the reactor thread for every task, measured at ~2 ms a
    page once the workers are busy). A task that never answers (a worker killed by the
    OS) fails after ``timeout`` seconds instead of hanging the crawl.
    """

    def __init__(self, workers: int, timeout: float):
        self.timeout = timeout
        self.pool = multiprocessing.get_context("forkserver").Pool(workers, initializer=_warm_up)

    async def extract(self, html: str, url: str) -> dict[str, Any] | None:
        loop = asyncio.get_running_loop()
        future: asyncio.Future = loop.create_future()

        def done(result: Any) -> None:
            loop.call_soon_threadsafe(_resolve, future, result, None)

        def failed(error: BaseException) -> None:
            loop.call_soon_threadsafe(_resolve, future, None, error)

        self.pool.apply_async(extract_page, (html, url), callback=done, error_callback=failed)
        return await asyncio.wait_for(future, self.timeout)

    def close(self) -> None:
        self.pool.close()
        self.pool.join()


def _resolve(future: asyncio.Future, result: Any, error: BaseException | None) -> None:
    if future.done():  # timed out meanwhile
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)


class ExtractPipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.min_chars = crawler.settings.getint("FUNDNEWS_MIN_TEXT_CHARS")
        self.workers = crawler.settings.getint("FUNDNEWS_EXTRACT_WORKERS")
        self.timeout = crawler.settings.getfloat("FUNDNEWS_EXTRACT_TIMEOUT")
        self.pool: ExtractionPool | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        if self.workers <= 0:
            _warm_up()  # load models now, not while the first page blocks the reactor
        else:
            self.pool = ExtractionPool(self.workers, self.timeout)

    def close_spider(self) -> None:
        if self.pool is not None:
            self.pool.close()

    async def _extract(self, item: ArticleItem) -> dict[str, Any] | None:
        if self.pool is None:
            return extract_page(item.html, item.url)
        return await self.pool.extract(item.html, item.url)

    async def process_item(self, item: ArticleItem) -> ArticleItem:
        try:
            result = await self._extract(item)
        except Exception as exc:  # noqa: BLE001 - one bad page must not stop the crawl
            self.stats.inc_value("fundnews/errors/extract")
            raise skip(self.crawler, item, "extract_failed", repr(exc)) from None
        if result is None or len(result["text"]) < self.min_chars:
            raise skip(self.crawler, item, "too_little_text")
        hint = item.hint
        item.text = result["text"]
        item.title = result["title"] or (hint.title if hint else None)
        item.author = result["author"] or (hint.author if hint else None)
        item.published_at = _published(result["date"], hint.published if hint else None)
        item.language = result["language"]
        item.site_name = result["site_name"]
        item.description = result["description"]
        return item
