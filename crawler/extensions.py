"""Extensions: the crawl record, live progress, and source-aware AutoThrottle."""

from __future__ import annotations

import logging
import resource
import sys
import time

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.extensions.throttle import AutoThrottle
from scrapy.utils.defer import deferred_from_coro
from twisted.internet import task

from corpus.db import write_failure
from corpus.reserve import DiskReserve
from corpus.store import CorpusStore
from crawler.clock import utcnow

log = logging.getLogger(__name__)


def peak_rss() -> int:
    """This process's peak RSS in bytes, from the kernel (Scrapy's memusage/max samples once
    a minute). ``VmHWM``, not ``getrusage``'s ``ru_maxrss`` (Scrapy's choice): Linux
    carries that one across exec, so a crawl started by a big process (the bench's, at
    550 MB) reported the parent's peak as its own."""
    try:
        with open("/proc/self/status", "rb") as f:
            for line in f:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # not Linux: bytes on macOS, KB elsewhere
    return peak if sys.platform == "darwin" else peak * 1024


def fail_crawl(crawler: Crawler, reason: str) -> None:
    """The corpus refused a write: the crawl fails with this reason and fetches no more.
    The reason goes to the stat ``fundnews/failure`` (the first one only), which the
    recorder writes to the crawl's row and the CLI prints."""
    if crawler.stats.get_value("fundnews/failure") is not None:
        return
    crawler.stats.set_value("fundnews/failure", reason)
    log.info("the crawl fails: %s", reason)
    if crawler.engine is not None and crawler.engine.spider is not None:
        # already closing: this only waits for it, in the background
        closing = deferred_from_coro(crawler.engine.close_spider_async(reason="failed"))
        closing.addErrback(lambda f: log.debug("closing the spider: %s", f.value))


class CrawlRecorder:
    """Records every crawl as a ``crawls`` row: opened when it starts, stats when it ends,
    and a ``source_runs`` row per source.

    The crawl's id (``crawls.crawl_id``) is set on the spider as ``spider.crawl_id``, which
    the store pipeline writes with each row, and kept in the stat ``fundnews/crawl_id``
    (the crawl row's stats show it). ``source_runs.stored`` is what the store wrote for
    the source (``fundnews/stored/<source>``), not what was extracted. A crawl whose
    writes the corpus refused ends ``failed`` with the reason (``failure``,
    ``last_error``), written with the room its ``DiskReserve`` kept when the disk is full;
    if even that cannot be written, the stat ``fundnews/unrecorded`` says
    why, and the next crawl marks the row left ``running`` as ``interrupted``.
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.store = CorpusStore(crawler.settings["FUNDNEWS_DB"])
        self.reserve = DiskReserve(self.store.path)
        self.crawl_id: int | None = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlRecorder:
        return cls(crawler)

    def spider_opened(self, spider) -> None:
        self.started_at = utcnow()
        self.startup_rss = peak_rss()
        try:
            self.crawl_id = self.store.start_crawl(self.started_at, list(spider.source_ids))
        except Exception as exc:  # noqa: BLE001 - a corpus that takes no row takes no article
            fail_crawl(self.crawler, write_failure(self.store.path, exc))
            self.crawler.stats.set_value("fundnews/unrecorded", "the crawl could not be recorded")
            return
        spider.crawl_id = self.crawl_id
        self.crawler.stats.set_value("fundnews/crawl_id", self.crawl_id)
        self.reserve.hold()  # after the row: on a disk still full, the row comes first

    def spider_closed(self, spider, reason: str) -> None:
        if self.crawl_id is None:
            return
        stats = self.crawler.stats
        failure = stats.get_value("fundnews/failure")
        status = "failed" if failure else "finished" if reason == "finished" else reason
        # Scrapy's memusage extension reads ru_maxrss (see peak_rss): set both from VmHWM
        stats.set_value("memusage/startup", self.startup_rss)
        stats.set_value("memusage/max", peak_rss())
        finished_at = utcnow()
        runs = [
            {"crawl_id": self.crawl_id, "source_id": source_id, "started_at": self.started_at,
             "finished_at": finished_at, "status": status,
             "stored": stats.get_value(f"fundnews/stored/{source_id}", 0),  # committed, not extracted
             "errors": stats.get_value(f"fundnews/source_errors/{source_id}", 0) + (1 if failure else 0),
             "last_error": failure or stats.get_value(f"fundnews/last_error/{source_id}")}
            for source_id in spider.source_ids
        ]
        try:
            try:
                self._close_rows(finished_at, status, failure, runs)
            except Exception:  # noqa: BLE001 - a full disk, most likely: again, with the reserve's room
                self.reserve.release()
                self._close_rows(finished_at, status, failure, runs)
        except Exception as exc:  # noqa: BLE001 - said on stderr and by the exit status instead
            reason = write_failure(self.store.path, exc)
            stats.set_value("fundnews/unrecorded", reason)
            if failure is None:
                stats.set_value("fundnews/failure", reason)
        finally:
            self.reserve.release()

    def _close_rows(self, finished_at, status: str, failure: str | None, runs: list[dict]) -> None:
        self.store.finish_crawl(self.crawl_id, finished_at, status, self.crawler.stats.get_stats(), failure)
        self.store.record_source_runs(runs)


class Progress:
    """One line on stderr every ``FUNDNEWS_PROGRESS_SECONDS`` (0: off) while crawling."""

    def __init__(self, crawler: Crawler, interval: float):
        self.crawler = crawler
        self.interval = interval
        self.started = time.monotonic()
        self.loop = task.LoopingCall(self.report)
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        interval = crawler.settings.getfloat("FUNDNEWS_PROGRESS_SECONDS")
        if interval <= 0:
            raise NotConfigured("FUNDNEWS_PROGRESS_SECONDS is 0")
        return cls(crawler, interval)

    def spider_opened(self, spider) -> None:
        self.loop.start(self.interval, now=False)

    def spider_closed(self, spider, reason: str) -> None:
        if self.loop.running:
            self.loop.stop()

    def report(self) -> None:
        stats = self.crawler.stats.get_stats()
        skipped = sum(v for k, v in stats.items() if k.startswith("fundnews/skipped/"))
        errors = sum(v for k, v in stats.items() if k.startswith("fundnews/errors/"))
        pages, total = stats.get("fundnews/pages", 0), stats.get("fundnews/pages_total")
        of = f" of {total} ({pages / total:.0%})" if total else ""  # a reprocess knows its total
        print(
            f"[{time.monotonic() - self.started:5.0f}s] requests {stats.get('downloader/request_count', 0)}"
            f" · pages {pages}{of} · stored {stats.get('fundnews/stored', 0)}"
            f" · skipped {skipped} · errors {errors}",
            file=sys.stderr,
            flush=True,
        )


class PoliteAutoThrottle(AutoThrottle):
    """AutoThrottle that never goes below a source's own ``download_delay``.

    Scrapy's AutoThrottle clamps at the global DOWNLOAD_DELAY only; our per-source
    delays live in DOWNLOAD_SLOTS and are floors here. A source that sets
    ``download_delay = 0`` (a local or test site) is not throttled at all.
    """

    def _response_downloaded(self, response, request, spider) -> None:
        key = request.meta.get("download_slot")
        slot_settings = self.crawler.settings.getdict("DOWNLOAD_SLOTS").get(key)
        if slot_settings is not None and slot_settings.get("delay") == 0:
            return
        super()._response_downloaded(response, request, spider)
        _, slot = self._get_slot(request, spider)
        if slot is not None and slot_settings is not None:
            slot.delay = max(slot.delay, slot_settings["delay"])
