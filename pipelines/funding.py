"""Funding: structured rounds (company, amount, round, investors, valuation) with evidence.

Runs on articles labelled is_funding; the extraction rules live in
``pipelines/analysis/rounds.py``. Merging mentions into one row per event happens
in the corpus after the crawl (``corpus/rounds.py``).
"""

from __future__ import annotations

from scrapy.crawler import Crawler

from crawler.items import ArticleItem
from pipelines.analysis.rounds import extract_rounds


class FundingPipeline:
    def __init__(self, crawler: Crawler):
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FundingPipeline:
        return cls(crawler)

    def process_item(self, item: ArticleItem) -> ArticleItem:
        relevance = item.labels.get("relevance")
        rounds = []
        if relevance is not None and relevance.is_funding:
            published = item.published_at.date() if item.published_at else None
            rounds = extract_rounds(item.title or "", item.text or "", published, relevance=relevance)
        item.labels["rounds"] = rounds
        if rounds:
            self.stats.inc_value("fundnews/funding/mentions", len(rounds))
        return item
