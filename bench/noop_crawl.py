"""The floor under the crawl process: a Scrapy crawl that fetches the pages and does nothing.

``python -m bench.noop_crawl --urls FILE --out FILE`` fetches every URL of FILE with
Scrapy's defaults plus the settings that shape fundnews' crawl of the bench site: the
asyncio reactor, robots.txt obeyed, 32 requests at a time and 16 per host (the bench
source's ``concurrency``), no download delay and no AutoThrottle (the source's
``download_delay = 0`` turns it off), cookies and telnet off, log level WARNING (as
``fundnews crawl`` without ``--verbose``). The callback only counts the response. What
this process spends per page is what Scrapy itself costs; the crawl process's CPU per
page against it is the bench's hot-path ratio (a).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

SETTINGS = {
    "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
    "ROBOTSTXT_OBEY": True,
    "CONCURRENT_REQUESTS": 32,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "COOKIES_ENABLED": False,
    "TELNETCONSOLE_ENABLED": False,
    "REMOTE_CONTROL_ENABLED": False,
    "LOG_LEVEL": "WARNING",
}


def crawl(urls: list[str]) -> int:
    """Fetch every URL; the number of responses."""
    import scrapy
    from scrapy.crawler import CrawlerProcess

    fetched = 0

    class NoopSpider(scrapy.Spider):
        name = "noop"

        async def start(self):
            for url in urls:
                yield scrapy.Request(url, callback=self.parse)

        def parse(self, response):
            nonlocal fetched
            fetched += 1

    process = CrawlerProcess(SETTINGS)
    process.crawl(NoopSpider)
    process.start()
    return fetched


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    urls = args.urls.read_text().split()
    args.out.write_text(json.dumps({"fetched": crawl(urls), "urls": len(urls)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
