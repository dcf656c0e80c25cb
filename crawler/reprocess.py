"""Re-run extraction and the later pipelines over stored raw pages, fetching nothing.

After a trafilatura upgrade or a change to a pipeline, ``fundnews reprocess`` feeds
every stored page (``raw_pages``) through the same pipelines as a crawl, as a crawl of
its own (a ``crawls`` row). The store's upsert makes it idempotent: an unchanged result
counts as ``unchanged``; a changed text becomes a new version. A raw page that is gone
or unreadable (WARC file deleted, overwritten, truncated) is skipped and counted as
``raw_page_missing`` or ``raw_page_corrupt``; the run goes on and exits 0 with the counts.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import scrapy

from corpus.db import connection
from corpus.queries import sql
from corpus.warc import RawPageError, read_page
from crawler.items import ArticleItem

log = logging.getLogger(__name__)

CHUNK = 200  # raw pages read per (short) read of the corpus


class ReprocessSpider(scrapy.Spider):
    name = "reprocess"
    source_ids: tuple[str, ...] = ()  # empty: every source
    crawl_id: int | None = None  # the crawls row, set by crawler/extensions.py:CrawlRecorder

    async def start(self) -> AsyncIterator[ArticleItem]:
        after = ""
        with connection(self.settings["FUNDNEWS_DB"], task="reprocess") as con:  # for progress lines
            total = con.execute(sql("raw_pages_to_reprocess"), [list(self.source_ids)] * 2).fetchone()[0]
        self.crawler.stats.set_value("fundnews/pages_total", total)
        while True:
            # read-write like the store's writer thread: one process opens a file one way only
            with connection(self.settings["FUNDNEWS_DB"], task="reprocess") as con:
                rows = con.execute(sql("raw_pages_for_reprocess"),
                                   [list(self.source_ids), list(self.source_ids), after, CHUNK]).fetchall()
            for (canonical, url, content_type, fetched_at, warc_file, warc_offset, warc_length, source_id,
                 via, requested, status, etag, last_modified) in rows:
                self.crawler.stats.inc_value("fundnews/pages")
                try:
                    html = read_page(self.settings["FUNDNEWS_DB"], warc_file, warc_offset, url, warc_length)
                except RawPageError as exc:  # counted in the crawl row; the rest goes on
                    self.crawler.stats.inc_value(f"fundnews/skipped/{exc.reason}")
                    log.warning("skipped %s: %s", url, exc)
                    continue
                yield ArticleItem(
                    url=url, source_id=source_id, discovered_via=via, html=html, http_status=status,
                    fetched_at=fetched_at, content_type=content_type, requested_url=requested,
                    declared_canonical=canonical, etag=etag, last_modified=last_modified,
                    warc_record=(warc_file, warc_offset, warc_length),
                )
            if len(rows) < CHUNK:
                return
            after = rows[-1][0]
