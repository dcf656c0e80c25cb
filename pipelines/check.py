"""Check: count what the analysed items carry, so a crawl's record shows it.

* field coverage per source, so a source whose pages lost their dates shows up:
  ``fundnews/fields/<source>/<field>`` for each present field and
  ``fundnews/fields/<source>/articles`` for the total;
* the relevance labels, ``fundnews/relevance/is_ai|is_funding``, and the funding rounds
  reported, ``fundnews/funding/mentions``.

``fundnews stats`` and the crawl record carry them.
"""

from __future__ import annotations

from scrapy.crawler import Crawler

from crawler.items import ArticleItem

CHECKED_FIELDS = ("title", "author", "published_at", "language", "text")


class CheckPipeline:
    def __init__(self, crawler: Crawler):
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CheckPipeline:
        return cls(crawler)

    def process_item(self, item: ArticleItem) -> ArticleItem:
        prefix = f"fundnews/fields/{item.source_id}"
        self.stats.inc_value(f"{prefix}/articles")
        for name in CHECKED_FIELDS:
            if getattr(item, name):
                self.stats.inc_value(f"{prefix}/{name}")
        for label in ("is_ai", "is_funding"):
            if item.relevance is not None and getattr(item.relevance, label):
                self.stats.inc_value(f"fundnews/relevance/{label}")
        if item.rounds:
            self.stats.inc_value("fundnews/funding/mentions", len(item.rounds))
        return item
