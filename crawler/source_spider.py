"""The one generic spider: a registry source's entry points, then its articles.

A source is a declaration (see ``crawler/registry.py``); this class does the work
for every entry type:

* ``feed``: RSS 0.9x/1.0/2.0, Atom or JSON Feed; each entry's link is an article.
* ``news_sitemap`` / ``sitemap``: a urlset or an index (followed recursively),
  plain or gzip; ``lastmod`` and the Google News ``news:`` tags become hints.
* ``listing``: HTML index pages; ``link_selector`` picks article links and
  ``next_selector`` the next page, up to ``max_pages``.

Knobs, all from the source's ``[crawl]`` table: ``entries`` (``first_working``:
later entries are fallbacks, fetched only when the ones before gave no article
link; ``all``), ``max_articles``, ``max_age_days``, ``download_delay``,
``concurrency``, ``allow_private_addresses``; per entry ``include`` / ``exclude``
URL regexes and ``follow_sitemaps``.

Hooks for the rare source that needs code: override ``keep_link`` (which
discovered links become article requests) or ``article_item``.

Titles, dates and authors that a feed or sitemap gives travel with the article
request (``Discovered``) and serve as fallbacks for extraction. URLs already in
the corpus are not fetched again unless their feed or sitemap date is newer
than our copy.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import datetime, timedelta
from typing import Any

import scrapy
from scrapy import signals
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.http import HtmlResponse, Request, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.defer import CancelledError
from twisted.python.failure import Failure

from crawler.clock import utcnow
from crawler.failures import reason
from crawler.items import ArticleItem, Discovered
from corpus.store import CorpusStore
from crawler.signals import page_fetched
from crawler.parsers import EntryError
from crawler.parsers.feeds import parse_feed
from crawler.parsers.sitemaps import MAX_SITEMAP_BYTES, SitemapReader, SitemapTooLarge
from crawler.registry import Entry, Source, url_address
from crawler.urls import canonical_url, strip_tracking

_CANONICAL_RE = re.compile(
    rb"""<link\b[^>]*\brel\s*=\s*["']?canonical["']?[^>]*>""", re.I
)
_OG_URL_RE = re.compile(rb"""<meta\b[^>]*\bproperty\s*=\s*["']og:url["'][^>]*>""", re.I)
_HREF_RE = re.compile(rb"""\b(?:href|content)\s*=\s*["']([^"']+)["']""", re.I)
HEAD_BYTES = 65536  # canonical links live in <head>; never scan a whole page for them
SITEMAP_TYPES = ("sitemap", "news_sitemap")


def declared_canonical(body: bytes) -> str | None:
    """The page's own rel=canonical (else og:url), read from its head with a cheap scan."""
    head = body[:HEAD_BYTES]
    for pattern in (_CANONICAL_RE, _OG_URL_RE):
        tag = pattern.search(head)
        if tag:
            href = _HREF_RE.search(tag.group(0))
            if href:
                return href.group(1).decode("utf-8", "replace").strip()
    return None


def download_slots(sources: Iterable[Source]) -> dict[str, dict[str, Any]]:
    """Per-host politeness from the sources; the strictest source wins on a shared host."""
    slots: dict[str, dict[str, Any]] = {}
    for source in sources:
        for host in source.hosts:
            slot = slots.setdefault(host, {"concurrency": source.crawl.concurrency,
                                           "delay": source.crawl.download_delay})
            slot["concurrency"] = min(slot["concurrency"], source.crawl.concurrency)
            slot["delay"] = max(slot["delay"], source.crawl.download_delay)
    return slots


class SourceSpider(scrapy.Spider):
    name = "fundnews"
    sources: tuple[Source, ...] = ()

    @classmethod
    def update_settings(cls, settings) -> None:
        super().update_settings(settings)
        settings.set("DOWNLOAD_SLOTS", download_slots(cls.sources), priority="spider")

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._by_id = {source.id: source for source in self.sources}
        self._private_addresses = {
            address for s in self.sources if s.crawl.allow_private_addresses for address in s.addresses
        }
        self._scheduled: Counter[str] = Counter()  # article requests per source
        # url_key -> (fetched_at, etag, last_modified) of every URL fetched by earlier crawls
        self._known: dict[str, tuple[datetime, str | None, str | None]] = {}
        self._entry_log: list[dict] = []

    # -- accessors used by middlewares, pipelines and extensions -------------------

    @property
    def source_ids(self) -> list[str]:
        return [source.id for source in self.sources]

    def allows_private(self, request: Request) -> bool:
        """Only the host:port pairs that a source with ``allow_private_addresses`` declares (its
        homepage and entry points) may be private: a link in its feed to 169.254.169.254, or a
        redirect to another port of its own host, is still refused."""
        return url_address(request.url) in self._private_addresses

    # -- entry points ---------------------------------------------------------------

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any) -> SourceSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._on_idle, signal=signals.spider_idle)
        return spider

    async def start(self) -> AsyncIterator[Request]:
        self._known = CorpusStore(self.settings["FUNDNEWS_DB"]).known_pages()
        for source in self.sources:
            indexes = range(len(source.entries)) if source.crawl.entries == "all" else [0]
            for index in indexes:
                yield self._entry_request(source, index)

    def _entry_request(self, source: Source, index: int, url: str | None = None, page: int = 1,
                       top: bool = True) -> Request:
        entry = source.entries[index]
        url = url or entry.url
        meta = {"source_id": source.id, "entry_index": index, "page": page, "top": top,
                "handle_httpstatus_list": [304], "download_timeout": source.crawl.timeout}
        if entry.type in SITEMAP_TYPES:  # sitemaps have their own cap, not the 10 MB of a page
            meta.update(download_maxsize=MAX_SITEMAP_BYTES, download_warnsize=MAX_SITEMAP_BYTES)
        return Request(
            url,
            callback=self.parse_entry,
            errback=self.entry_failed,
            priority=10,  # discover before fetching articles
            dont_filter=top,
            headers=self._validators(url),
            meta=meta,
        )

    def _validators(self, url: str) -> dict[str, str]:
        """If-None-Match / If-Modified-Since for a URL fetched before."""
        known = self._known.get(canonical_url(url))
        if known is None:
            return {}
        _, etag, last_modified = known
        headers = {"If-None-Match": etag} if etag else {}
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return headers

    @staticmethod
    def _fetch_log(response: Response) -> list[dict]:
        """``pages`` rows for a response: one per URL it answers for (redirect sources too)."""
        fetched_at = utcnow()
        return [
            {"url_key": canonical_url(url), "status": response.status, "fetched_at": fetched_at,
             "etag": _header(response.headers, b"ETag"),
             "last_modified": _header(response.headers, b"Last-Modified")}
            for url in {response.url, *response.meta.get("redirect_urls", ())}
        ]

    def _record(self, response: Response) -> None:
        """Record a response whose processing is over (nothing more will come of it)."""
        for page in self._fetch_log(response):
            self.crawler.signals.send_catch_log(page_fetched, page=page)

    def _record_entry(self, response: Response) -> None:
        """Entry documents are recorded when the crawl has finished its work (spider_idle):
        were a crawl killed first, the next one must not skip a feed by a 304 before the
        articles it listed are stored."""
        self._entry_log.extend(self._fetch_log(response))

    def _on_idle(self) -> None:
        for page in self._entry_log:
            self.crawler.signals.send_catch_log(page_fetched, page=page)
        self._entry_log.clear()

    def _entry(self, response_or_failure: Response | Failure) -> tuple[Source, int, Entry]:
        meta = response_or_failure.meta if isinstance(response_or_failure, Response) \
            else response_or_failure.request.meta
        source = self._by_id[meta["source_id"]]
        return source, meta["entry_index"], source.entries[meta["entry_index"]]

    def _source_error(self, source_id: str, kind: str, message: str) -> None:
        """Count an error against the crawl and the source, and keep the source's last one."""
        stats = self.crawler.stats
        stats.inc_value(f"fundnews/errors/{kind}")
        stats.inc_value(f"fundnews/source_errors/{source_id}")
        stats.set_value(f"fundnews/last_error/{source_id}", f"{kind}: {message}"[:500])

    def _fallback(self, source: Source, index: int, reason: str) -> Iterator[Request]:
        """Try the next entry of a first_working source."""
        if source.crawl.entries == "first_working" and index + 1 < len(source.entries):
            self.logger.info("%s: entry %d %s; falling back to entry %d", source.id, index, reason, index + 1)
            self.crawler.stats.inc_value("fundnews/entries/fallback")
            yield self._entry_request(source, index + 1)

    def entry_failed(self, failure: Failure) -> Iterator[Request]:
        source, index, entry = self._entry(failure)
        message = f"{failure.request.url}: {reason(failure)}"
        self.logger.error("%s: %s entry failed: %s", source.id, entry.type, message)
        self._source_error(source.id, f"{entry.type}_fetch", message)
        if failure.request.meta.get("top"):
            yield from self._fallback(source, index, "failed")

    def parse_entry(self, response: Response) -> Iterator[Request]:
        source, index, entry = self._entry(response)
        self._record_entry(response)
        self.crawler.stats.inc_value(f"fundnews/reached/{source.id}")  # see `fundnews crawl`'s exit
        if response.status == 304:  # unchanged since the last crawl: nothing new behind it
            self.crawler.stats.inc_value(f"fundnews/entries/{entry.type}_unchanged")
            return
        self.crawler.stats.inc_value(f"fundnews/entries/{entry.type}")
        if entry.type == "feed":
            requests = self._feed_requests(source, entry, response)
        elif entry.type == "listing":
            requests = self._listing_requests(source, index, entry, response)
        else:
            requests = self._sitemap_requests(source, index, entry, response)
        any_request = False
        try:
            for request in requests:  # one at a time: a sitemap of 500,000 URLs is never a list
                any_request = True
                yield request
        except EntryError as exc:
            kind = "too_large" if isinstance(exc, SitemapTooLarge) else "parse"
            self.logger.error("%s: broken %s at %s: %s", source.id, entry.type, response.url, exc)
            self._source_error(source.id, f"{entry.type}_{kind}", f"{response.url}: {exc}")
        if response.meta.get("top") and not any_request:
            yield from self._fallback(source, index, "gave no article link")

    def _feed_requests(self, source: Source, entry: Entry, response: Response) -> Iterator[Request]:
        links = parse_feed(response.body, response.url, _content_type(response))
        yield from self._article_requests(source, entry, links)

    def _sitemap_requests(self, source: Source, index: int, entry: Entry,
                          response: Response) -> Iterator[Request]:
        """Requests for a sitemap's children or pages, read from it one at a time."""
        reader = SitemapReader(response.body)
        links = iter(reader)
        first = next(links, None)  # reads the root element: now the kind is known
        links = itertools.chain([first] if first else [], links)
        try:
            if reader.kind == "index":
                yield from self._child_sitemap_requests(source, index, entry, response, links)
            else:
                yield from self._article_requests(source, entry, links)
        finally:
            for reason, count in reader.skipped.items():
                self.crawler.stats.inc_value(f"fundnews/skipped/{reason}", count)
                self.logger.info("%s: %d <loc> of %s not read (%s)", source.id, count,
                                 response.url, reason)

    def _child_sitemap_requests(self, source: Source, index: int, entry: Entry,
                                response: Response, children: Iterable[Discovered]) -> Iterator[Request]:
        follow = [re.compile(p) for p in entry.follow_sitemaps]
        cutoff = self._cutoff(source)
        for child in children:
            if follow and not any(p.search(child.url) for p in follow):
                continue
            if cutoff and child.updated and child.updated < cutoff:
                self.crawler.stats.inc_value("fundnews/skipped/old_sitemap")
                continue
            yield self._entry_request(source, index, url=response.urljoin(child.url), top=False)

    def _listing_requests(self, source: Source, index: int, entry: Entry,
                          response: Response) -> Iterator[Request]:
        if not isinstance(response, TextResponse):
            raise EntryError(f"listing page is not HTML ({_content_type(response)})")
        links = []
        for node in response.css(entry.link_selector):
            href = node.attrib.get("href") or node.css("a::attr(href)").get()
            if href:
                links.append(Discovered(url=response.urljoin(href.strip()),
                                        title=" ".join(node.css("::text").getall()).strip() or None))
        yield from self._article_requests(source, entry, links)
        page = response.meta["page"]
        next_href = response.css(entry.next_selector).attrib.get("href") if entry.next_selector else None
        if next_href and page < entry.max_pages:
            request = self._entry_request(source, index, url=response.urljoin(next_href), page=page + 1,
                                          top=False)
            yield request

    # -- articles ---------------------------------------------------------------------

    def _cutoff(self, source: Source) -> datetime | None:
        days = source.crawl.max_age_days
        return utcnow() - timedelta(days=days) if days else None

    def keep_link(self, source: Source, entry: Entry, link: Discovered) -> str | None:
        """Why a discovered link is not fetched (a stats key), or None to fetch it.

        A URL fetched by an earlier crawl (whatever came of it) is fetched again only when
        its feed or sitemap date is newer than that fetch, and then conditionally.
        """
        if entry.include and not any(re.search(p, link.url) for p in entry.include):
            return "excluded"
        if any(re.search(p, link.url) for p in entry.exclude):
            return "excluded"
        cutoff = self._cutoff(source)
        when = link.published or link.updated
        if cutoff and when and when < cutoff:
            return "too_old"
        known = self._known.get(canonical_url(link.url))
        if known is not None and not (link.updated and link.updated > known[0]):
            return "known_url"  # fetched before, and its feed or sitemap says nothing changed since
        return None

    def _article_requests(self, source: Source, entry: Entry,
                          links: Iterable[Discovered]) -> Iterator[Request]:
        stats = self.crawler.stats
        for link in links:
            if not link.url.startswith(("http://", "https://")):
                continue
            stats.inc_value(f"fundnews/discovered/{entry.type}")
            try:
                reason = self.keep_link(source, entry, link)
            except ValueError as exc:  # a malformed URL (bad port, bad IPv6...) costs only itself
                self.logger.info("%s: skipping malformed link %r: %s", source.id, link.url, exc)
                reason = "malformed_url"
            if reason is None and self._scheduled[source.id] >= source.crawl.max_articles:
                reason = "max_articles"
            if reason:
                stats.inc_value(f"fundnews/skipped/{reason}")
                continue
            self._scheduled[source.id] += 1
            url = strip_tracking(link.url)
            yield Request(
                url,
                callback=self.parse_article,
                errback=self.article_failed,
                headers=self._validators(url),
                meta={"source_id": source.id, "entry_type": entry.type, "hint": link,
                      "handle_httpstatus_list": [304], "download_timeout": source.crawl.timeout},
            )

    def article_failed(self, failure: Failure) -> None:
        """A dead link, an oversized page or a page robots.txt forbids is a skip; a network
        failure is an error."""
        stats, url = self.crawler.stats, failure.request.url
        message = failure.getErrorMessage()
        if failure.check(HttpError):
            self._record(failure.value.response)
            status = failure.value.response.status
            stats.inc_value(f"fundnews/skipped/http_{status}")
            self.logger.info("article %s answered %d", url, status)
        elif failure.check(IgnoreRequest):
            if "robots.txt" in message:
                reason = "robots_txt"
            elif "max size" in message.lower() or "DOWNLOAD_MAXSIZE" in message:
                reason = "too_large"
            elif "redirections" in message:
                reason = "too_many_redirects"
            elif "non-public address" in message:
                reason = "private_address"
            elif "Retry-After" in message:
                reason = "retry_after"
            else:
                reason = "refused"
            stats.inc_value(f"fundnews/skipped/{reason}")
            self.logger.info("article %s not fetched: %s", url, message)
        elif failure.check(CancelledError, DownloadCancelledError) or "max size" in message.lower():
            # Scrapy cancels a download at the cap; a body without Content-Length is cut silently
            limit = failure.request.meta.get("download_maxsize",
                                             self.settings.getint("DOWNLOAD_MAXSIZE"))
            stats.inc_value("fundnews/skipped/too_large")
            self.logger.info("article %s not fetched: over the page cap of %d MB (%s)", url,
                             limit // 2**20, message or "cut at the cap")
        else:
            self._source_error(failure.request.meta["source_id"], "article_fetch", f"{url}: {message}")
            self.logger.warning("article %s failed: %s", url, message)

    def parse_article(self, response: Response) -> Iterator[ArticleItem]:
        stats = self.crawler.stats
        if response.status == 304:
            self._record(response)
            stats.inc_value("fundnews/pages/unchanged_304")
            return
        stats.inc_value("fundnews/pages")
        if not _is_html(response):
            self._record(response)
            stats.inc_value("fundnews/skipped/non_html")
            self.logger.info("skipping non-HTML %s (%s)", response.url, _content_type(response))
            return
        item = self.article_item(response)
        item.fetch_log = self._fetch_log(response)
        yield item

    def article_item(self, response: TextResponse) -> ArticleItem:
        headers = response.headers
        return ArticleItem(
            url=response.url,
            requested_url=(response.meta.get("redirect_urls") or [response.url])[0],
            source_id=response.meta["source_id"],
            discovered_via=response.meta["entry_type"],
            html=response.text,
            http_status=response.status,
            fetched_at=utcnow(),
            content_type=_content_type(response),
            declared_canonical=declared_canonical(response.body),
            etag=_header(headers, b"ETag"),
            last_modified=_header(headers, b"Last-Modified"),
            hint=response.meta.get("hint"),
        )


def _header(headers: Any, name: bytes) -> str | None:
    value = headers.get(name)
    return value.decode("latin-1") if value else None


def _content_type(response: Response) -> str | None:
    return _header(response.headers, b"Content-Type")


def _is_html(response: Response) -> bool:
    if isinstance(response, HtmlResponse):
        return True
    if not isinstance(response, TextResponse):
        return False
    ctype = (_content_type(response) or "").lower()
    return not ctype and b"<html" in response.body[:2048].lower()


def spider_for(sources: Iterable[Source], name: str | None = None) -> type[SourceSpider]:
    """A SourceSpider subclass crawling these sources, named after the source when it is one.

    Its ``__module__`` is ``crawler.spiders``, where Scrapy's spider loader finds spiders.
    """
    sources = tuple(sources)
    name = name or (sources[0].id if len(sources) == 1 else "fundnews")
    return type(
        f"Spider_{name}",
        (SourceSpider,),
        {"name": name, "sources": sources, "__module__": "crawler.spiders"},
    )
