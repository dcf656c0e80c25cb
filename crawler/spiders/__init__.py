"""One spider class per registry source, generated the way Scrapy discovers spiders.

Scrapy's spider loader keeps the classes whose ``__module__`` is this module and
that have a ``name``; so ``scrapy list`` and ``scrapy crawl <source_id>`` work for
every ``crawler/sources/<source_id>.toml`` (or the folder in ``FUNDNEWS_SOURCES``).
"""

from __future__ import annotations

import os

from crawler.registry import load_registry
from crawler.source_spider import spider_for


def _generate() -> None:
    registry = load_registry(os.environ.get("FUNDNEWS_SOURCES") or None)
    for source in registry.sources.values():
        globals()[f"Spider_{source.id}"] = spider_for([source])


_generate()
