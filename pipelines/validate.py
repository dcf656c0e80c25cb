"""Validate: an article item has what the rest needs, within size bounds, and is text."""

from __future__ import annotations

import re

from scrapy.crawler import Crawler

from crawler.items import ArticleItem
from pipelines import skip


# C0 control characters (not tab/newline/CR) and U+FFFD: what binary bytes decode to
_BINARY_CHARS_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffd]")
BINARY_SAMPLE = 4096
BINARY_SHARE = 0.05


def looks_binary(html: str) -> bool:
    """True for bytes served as text/html: many control or undecodable characters."""
    sample = html[:BINARY_SAMPLE]
    return len(_BINARY_CHARS_RE.findall(sample)) > BINARY_SHARE * max(len(sample), 1)


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
        if looks_binary(item.html):
            raise skip(self.crawler, item, "binary_content", item.content_type or "")
        return item
