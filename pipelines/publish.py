"""Publish: in a distributed crawl's workers, in place of ``store``: the analysed article
goes on the Redis results stream for the loader (``crawler/loader.py``), the one corpus
writer, with the ticket of the page it came from acknowledged in the same transaction.

When the loader is far behind (``FUNDNEWS_REDIS_BACKLOG`` entries waiting, default
20,000), pages wait here. ``crawler/distributed.py:worker_settings`` puts it in the
workers' ``ITEM_PIPELINES``; its Redis keys, connection and outbox are there too.
"""

from __future__ import annotations

import asyncio
import os
import pickle

from scrapy.crawler import Crawler

from crawler.distributed import Keys, connect
from crawler.items import ArticleItem
from crawler.rows import article_rows


class PublishPipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.server, self.keys = connect(crawler.settings["REDIS_URL"]), Keys()
        self.backlog = int(os.environ.get("FUNDNEWS_REDIS_BACKLOG") or 20_000)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PublishPipeline:
        return cls(crawler)

    async def process_item(self, item: ArticleItem) -> ArticleItem:
        while self.server.xlen(self.keys.results) >= self.backlog:
            self.crawler.stats.inc_value("fundnews/distributed/backlog_waits")
            await asyncio.sleep(1.0)
        row, mentions, evidence = article_rows(item, None)
        payload = pickle.dumps({"row": row, "mentions": mentions, "evidence": evidence,
                                "minhash": item.minhash, "pages": item.fetch_log})
        ticket, crawl = item.queue_ticket or (None, 0)
        item.queue_ticket = None  # settled here: item_scraped must not settle it again
        self.crawler.spider.outbox.ack(ticket, crawl, article=payload)
        self.crawler.stats.inc_value("fundnews/distributed/published")
        return item
