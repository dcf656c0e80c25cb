"""Check: count what the analysed items carry, so a crawl's record shows it.

* field coverage per source, so a source whose pages lost their dates shows up:
  ``fundnews/fields/<source>/<field>`` for each present field and
  ``fundnews/fields/<source>/articles`` for the total;
* the relevance labels, ``fundnews/relevance/is_ai|is_funding``, and the funding rounds
  reported, ``fundnews/funding/mentions``.

``fundnews stats`` and the crawl record carry them. Counted in a plain dict (a call to
Scrapy's stats costs ~1.5 µs, and this made eight a page) and put into the stats when the
spider closes, before the crawl record reads them, and whenever someone reads the stats
mid-crawl (the ``stats_wanted`` signal: a distributed worker's hand-over).
"""

from __future__ import annotations

from collections import Counter

from scrapy.crawler import Crawler

from crawler.items import ArticleItem
from crawler.signals import stats_wanted

CHECKED_FIELDS = ("title", "author", "published_at", "language", "text")
LABELS = {label: f"fundnews/relevance/{label}" for label in ("is_ai", "is_funding")}  # -> stat
MENTIONS = "fundnews/funding/mentions"


class CheckPipeline:
    def __init__(self, crawler: Crawler):
        self.stats = crawler.stats
        self.counts: Counter[str] = Counter()  # stat -> count not in the stats yet
        self.names: dict[str, tuple[str, dict[str, str]]] = {}  # source -> its stats' names
        crawler.signals.connect(self.flush, signal=stats_wanted)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CheckPipeline:
        return cls(crawler)

    def process_item(self, item: ArticleItem) -> ArticleItem:
        counts = self.counts
        if item.source_id not in self.names:
            prefix = f"fundnews/fields/{item.source_id}"
            self.names[item.source_id] = (f"{prefix}/articles",
                                          {name: f"{prefix}/{name}" for name in CHECKED_FIELDS})
        articles, fields = self.names[item.source_id]
        counts[articles] += 1
        for name, stat in fields.items():
            if getattr(item, name):
                counts[stat] += 1
        if item.relevance is not None:
            for label, stat in LABELS.items():
                if getattr(item.relevance, label):
                    counts[stat] += 1
        if item.rounds:
            counts[MENTIONS] += len(item.rounds)
        return item

    def flush(self) -> None:
        """Put the counts kept aside into the crawl's stats."""
        counts, self.counts = self.counts, Counter()
        for stat, count in counts.items():
            self.stats.inc_value(stat, count)

    def close_spider(self) -> None:
        self.flush()
