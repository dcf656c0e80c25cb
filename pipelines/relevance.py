"""Relevance: label each article is_ai / is_funding with scores and reasons. Never drops.

The rules live in ``pipelines/analysis/relevance.py`` (pure functions, ~1 ms a page).
"""

from __future__ import annotations

from scrapy.crawler import Crawler

from crawler.items import ArticleItem
from pipelines.analysis.relevance import classify


class RelevancePipeline:
    def __init__(self, crawler: Crawler):
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RelevancePipeline:
        return cls(crawler)

    def process_item(self, item: ArticleItem) -> ArticleItem:
        published = item.published_at.date() if item.published_at else None
        relevance = classify(item.title or "", item.text or "", published)
        item.labels["relevance"] = relevance
        for flag in ("is_ai", "is_funding"):
            if getattr(relevance, flag):
                self.stats.inc_value(f"fundnews/relevance/{flag}")
        return item
