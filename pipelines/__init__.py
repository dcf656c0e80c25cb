"""Item pipelines, one job per module, ordered in ``crawler/settings.py:ITEM_PIPELINES``.

validate ► url_dedupe ► extract ► content_dedupe ► check ► store

A pipeline that skips an item says why with :func:`skip`, which counts it under
``fundnews/skipped/<reason>`` so that every crawl's record shows what was left out.
"""

from __future__ import annotations

from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector


def skip(stats: StatsCollector, reason: str, url: str, detail: str = "") -> DropItem:
    """Count a skipped item and return the DropItem to raise."""
    stats.inc_value(f"fundnews/skipped/{reason}")
    return DropItem(f"{reason}: {url}{' (' + detail + ')' if detail else ''}")
