"""`fundnews sources check`: ask each entry point once, through the crawl's own machinery.

The check is a Scrapy crawl of the entry points only, with the crawl's settings: robots.txt,
the per-host delays and concurrency of the sources (DOWNLOAD_SLOTS), the private-address
guard, Retry-After, the size caps and the User-Agent. It writes nothing: no item pipelines,
no crawl record.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from scrapy.http import Request, Response
from twisted.python.failure import Failure

from crawler.failures import reason
from crawler.parsers import EntryError
from crawler.parsers.feeds import parse_feed
from crawler.parsers.sitemaps import MAX_SITEMAP_BYTES, parse_sitemap
from crawler.registry import Source
from crawler.source_spider import SITEMAP_TYPES, SourceSpider

# What a check needs of the crawl's settings; the corpus is neither read nor written.
CHECK_SETTINGS = {
    "ITEM_PIPELINES": {},
    "EXTENSIONS": {"scrapy.extensions.throttle.AutoThrottle": None,
                   "crawler.extensions.PoliteAutoThrottle": 0},
    "RETRY_TIMES": 0,  # one answer per entry point, as the check reports it
}


class SourcesCheck(SourceSpider):
    """Requests every entry point of its sources and keeps one row per answer."""

    name = "fundnews-check"
    answers: list[tuple[str, str, str, str]]  # given by check_sources
    timeout: float | None = None  # seconds for one answer (else the source's own timeout)

    async def start(self) -> AsyncIterator[Request]:
        for source in self.sources:
            for index, entry in enumerate(source.entries):
                meta = {"source_id": source.id, "entry_index": index, "download_timeout":
                        self.timeout or source.crawl.timeout, "handle_httpstatus_all": True}
                if entry.type in SITEMAP_TYPES:
                    meta.update(download_maxsize=MAX_SITEMAP_BYTES,
                                download_warnsize=MAX_SITEMAP_BYTES)
                yield Request(entry.url, callback=self.answered, errback=self.unanswered,
                              dont_filter=True, meta=meta)

    def answered(self, response: Response) -> None:
        source, _, entry = self._entry(response)
        found = ""
        if response.status == 200:
            try:
                if entry.type == "feed":
                    found = f" {len(parse_feed(response.body, response.url))} items"
                elif entry.type == "listing":
                    found = f" {len(response.body)} bytes"
                else:
                    sitemap = parse_sitemap(response.body)
                    found = (f" {len(sitemap.sitemaps)} sitemaps" if sitemap.kind == "index"
                             else f" {len(sitemap.urls)} urls")
            except EntryError as exc:
                found = f" unparsable: {exc}"
        self.answers.append((source.id, entry.type, f"{response.status}{found}", entry.url))

    def unanswered(self, failure: Failure) -> None:
        source, _, entry = self._entry(failure)
        self.answers.append((source.id, entry.type, f"error: {reason(failure)}", entry.url))


def check_sources(sources: list[Source], settings, timeout: float | None = None
                  ) -> list[tuple[str, str, str, str]]:
    """(source, entry type, answer, url) for every entry point, in the registry's order."""
    from scrapy.crawler import CrawlerProcess

    for key, value in CHECK_SETTINGS.items():
        settings.set(key, value, priority="cmdline")
    answers: list[tuple[str, str, str, str]] = []
    spider = type("SourcesCheck_", (SourcesCheck,),
                  {"sources": tuple(sources), "answers": answers, "timeout": timeout})
    process = CrawlerProcess(settings)
    process.crawl(process.create_crawler(spider))
    process.start()
    by_entry = {(a[0], a[3]): a for a in answers}
    return [by_entry.get((s.id, e.url), (s.id, e.type, "no answer", e.url))
            for s in sources for e in s.entries]
