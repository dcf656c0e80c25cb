"""Item pipelines, one job per module, ordered in ``crawler/settings.py:ITEM_PIPELINES``.

validate ► url_dedupe ► analyse ► check ► store (a distributed crawl's workers: ► publish)

Each does one job: ``validate`` skips what cannot be an article, ``url_dedupe`` gives
the page its canonical URL, ``analyse`` hands the page's CPU work to worker processes
(``crawler/page_analysis.py``, ``crawler/pool.py``), ``check`` counts what the items
carry, ``store`` batches them for the corpus write (``corpus/batches.py``); in a
distributed crawl's workers ``publish`` takes the place of ``store`` and puts them on
the Redis results stream for the loader (``crawler/distributed.py:worker_settings``).

A pipeline that skips an item says why with :func:`skip`, which counts it under
``fundnews/skipped/<reason>`` so that every crawl's record shows what was left out,
and records the page as fetched (its processing is over; a re-crawl need not fetch it).
"""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.items import ArticleItem
from crawler.signals import page_fetched


def skip(crawler: Crawler, item: ArticleItem, reason: str, detail: str = "") -> DropItem:
    """Count a skipped item, record its fetch, and return the DropItem to raise."""
    crawler.stats.inc_value(f"fundnews/skipped/{reason}")
    for page in item.fetch_log:
        crawler.signals.send_catch_log(page_fetched, page=page)
    return DropItem(f"{reason}: {item.url}{' (' + detail + ')' if detail else ''}")
