"""URL dedupe: one canonical URL per page, each stored once per crawl.

The same page is reached many ways (a feed link with utm_* parameters, the
sitemap link, a redirect). ``crawler.urls.choose_canonical`` turns them into one
key; the second arrival in a crawl is skipped. Across crawls the store upserts
on the same key.
"""

from __future__ import annotations

from scrapy.crawler import Crawler

from crawler.items import ArticleItem
from crawler.urls import choose_canonical
from pipelines import skip


class UrlDedupePipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.seen: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> UrlDedupePipeline:
        return cls(crawler)

    def process_item(self, item: ArticleItem) -> ArticleItem:
        item.canonical_url = choose_canonical(item.url, item.declared_canonical)
        if item.canonical_url in self.seen:
            raise skip(self.crawler, item, "duplicate_url", f"same page as {item.canonical_url}")
        self.seen.add(item.canonical_url)
        return item
