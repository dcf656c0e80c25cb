"""Validate: an article item has what the rest needs, within size bounds."""

from __future__ import annotations

from scrapy.crawler import Crawler

from crawler.items import ArticleItem
from pipelines import skip


class ValidatePipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.max_chars = crawler.settings.getint("FUNDNEWS_MAX_HTML_CHARS")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        return cls(crawler)

    def process_item(self, item: ArticleItem) -> ArticleItem:
        if not item.url or not item.source_id:
            raise skip(self.crawler, item, "invalid_item", "no url or source")
        if not item.html or not item.html.strip():
            raise skip(self.crawler, item, "empty_page")
        if len(item.html) > self.max_chars:
            raise skip(self.crawler, item, "page_too_large", f"{len(item.html)} chars")
        return item
