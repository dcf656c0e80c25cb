"""Analyse: all of a page's CPU work, in worker processes, off the Scrapy reactor.

One task per page does, in order:

1. trafilatura: clean text and metadata (``analysis/extract.py``), feed or sitemap
   metadata filling what the page does not say;
2. the content hash of the normalised text (``analysis/content_hash.py``): exact copies;
3. relevance labels and funding rounds with evidence (``analysis/``);
4. the MinHash signature of the text (``analysis/neardup.py``), placed into stories
   after the corpus write (``corpus/stories.py``);
5. the raw page as a gzip-compressed WARC record (``corpus/warc.py``), appended to the
   archive by the store.

Together that is ~20-40 ms of CPU a page; what the crawl process itself does per page
(download, bookkeeping, the batched corpus write) is a few ms. So the work runs in a
pool of ``FUNDNEWS_EXTRACT_WORKERS`` processes (default: one per core; 0 runs it
inline on the reactor), and the pipeline awaits the pool while the reactor keeps
downloading. Pages with less than ``FUNDNEWS_MIN_TEXT_CHARS`` of text (error pages,
stubs, index pages) are counted and skipped; a page whose analysis fails or hangs is
counted under ``fundnews/errors/extract`` and skipped, and the crawl goes on.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from scrapy.crawler import Crawler

from corpus import warc
from crawler.items import ArticleItem, Discovered
from pipelines import skip
from analysis._signals import analyse
from analysis.relevance import Relevance, classify_analysis
from analysis.rounds import Round, rounds_of
from analysis.content_hash import content_hash
from analysis.extract import extract_page, published_at
from analysis.neardup import signature, signature_to_bytes


@dataclass
class Page:
    """What a worker needs of one fetched page."""

    html: str
    url: str
    fetched_at: datetime
    hint: Discovered | None = None
    archive: bool = True  # False when the page is already in the archive (reprocess)


@dataclass
class PageAnalysis:
    """What a worker sends back: the article's fields and labels, all picklable."""

    text: str
    title: str | None
    author: str | None
    published_at: datetime | None
    language: str | None
    site_name: str | None
    description: str | None
    content_hash: str
    relevance: Relevance
    rounds: list[Round] = field(default_factory=list)
    minhash: bytes = b""
    warc_record: bytes | None = None  # a complete gzip member, ready to append


def analyse_page(page: Page, min_chars: int) -> PageAnalysis | None:
    """The whole per-page analysis; None when the page has too little text."""
    extracted = extract_page(page.html, page.url)
    if extracted is None or len(extracted["text"]) < min_chars:
        return None
    hint = page.hint
    text = extracted["text"]
    title = extracted["title"] or (hint.title if hint else None)
    published = published_at(extracted["date"], hint.published if hint else None)
    day = published.date() if published else None
    sentences = analyse(title or "", text, day)  # read once, for both labels and rounds
    relevance = classify_analysis(sentences)
    rounds = rounds_of(sentences, relevance)
    return PageAnalysis(
        text=text,
        title=title,
        author=extracted["author"] or (hint.author if hint else None),
        published_at=published,
        language=extracted["language"],
        site_name=extracted["site_name"],
        description=extracted["description"],
        content_hash=content_hash(text),
        relevance=relevance,
        rounds=rounds,
        minhash=signature_to_bytes(signature(text)),
        warc_record=warc.record_bytes(page.url, page.fetched_at, page.html) if page.archive else None,
    )


def warm_up() -> None:
    """Run once in each worker: import and build everything before the first page."""
    body = "Acme AI raised $10 million in a Series A round led by Example Ventures. " * 5
    html = f"<html><body><article><h1>Acme AI raises $10M</h1><p>{body}</p></article></body></html>"
    analyse_page(Page(html, "http://localhost/", datetime(2026, 1, 1)), min_chars=0)


class WorkerPool:
    """Worker processes, awaited from the reactor without blocking it.

    ``multiprocessing.Pool.apply_async`` hands tasks to a feeder thread, so the reactor
    never waits on a pipe (``concurrent.futures.ProcessPoolExecutor`` in Python 3.11
    writes a wake-up byte on the reactor thread for every task, measured at ~2 ms a
    page once the workers are busy). A task that never answers (a worker killed by the
    OS) fails after ``timeout`` seconds instead of hanging the crawl.
    """

    def __init__(self, workers: int, timeout: float):
        self.timeout = timeout
        self.pool = multiprocessing.get_context("forkserver").Pool(workers, initializer=warm_up)

    async def run(self, function, *args: Any) -> Any:
        loop = asyncio.get_running_loop()
        future: asyncio.Future = loop.create_future()

        def done(result: Any) -> None:
            loop.call_soon_threadsafe(_resolve, future, result, None)

        def failed(error: BaseException) -> None:
            loop.call_soon_threadsafe(_resolve, future, None, error)

        self.pool.apply_async(function, args, callback=done, error_callback=failed)
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


class AnalysePipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.min_chars = crawler.settings.getint("FUNDNEWS_MIN_TEXT_CHARS")
        self.workers = crawler.settings.getint("FUNDNEWS_EXTRACT_WORKERS")
        self.timeout = crawler.settings.getfloat("FUNDNEWS_EXTRACT_TIMEOUT")
        self.pool: WorkerPool | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AnalysePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        if self.workers <= 0:
            warm_up()  # load models now, not while the first page blocks the reactor
        else:
            self.pool = WorkerPool(self.workers, self.timeout)

    def close_spider(self) -> None:
        if self.pool is not None:
            self.pool.close()

    async def _analyse(self, page: Page) -> PageAnalysis | None:
        if self.pool is None:
            return analyse_page(page, self.min_chars)
        return await self.pool.run(analyse_page, page, self.min_chars)

    async def process_item(self, item: ArticleItem) -> ArticleItem:
        page = Page(item.html, item.url, item.fetched_at, item.hint, archive=item.warc_record is None)
        try:
            result = await self._analyse(page)
        except Exception as exc:  # noqa: BLE001 - one bad page must not stop the crawl
            self.stats.inc_value("fundnews/errors/extract")
            raise skip(self.crawler, item, "extract_failed", repr(exc)) from None
        if result is None:
            raise skip(self.crawler, item, "too_little_text")
        for name in ("text", "title", "author", "published_at", "language", "site_name",
                     "description", "content_hash", "minhash"):
            setattr(item, name, getattr(result, name))
        if result.warc_record is not None:
            item.warc_gz = result.warc_record
        item.relevance, item.rounds = result.relevance, result.rounds
        self._count(result)
        return item

    def _count(self, result: PageAnalysis) -> None:
        for flag in ("is_ai", "is_funding"):
            if getattr(result.relevance, flag):
                self.stats.inc_value(f"fundnews/relevance/{flag}")
        if result.rounds:
            self.stats.inc_value("fundnews/funding/mentions", len(result.rounds))
