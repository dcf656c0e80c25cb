"""Scrapy settings for fundnews: one module, pipelines ordered in one dict.

Our own settings are prefixed FUNDNEWS_. Per-source politeness (delay,
concurrency) comes from the registry through DOWNLOAD_SLOTS, set by the spider.
"""

import os

from corpus.db import default_db_path

BOT_NAME = "fundnews"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

# -- polite and safe ---------------------------------------------------------------
USER_AGENT = "fundnews/0.1 (+https://github.com/fundnews/fundnews; AI funding news research crawler)"
ROBOTSTXT_OBEY = True
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False  # Scrapy 2.19 opens an HTTP control port by default; we need none
CONCURRENT_REQUESTS = 32
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0  # floors per host come from each source's download_delay
DOWNLOAD_DELAY_JITTER = 0  # a source's download_delay is a floor, not a mean (Scrapy: ±50 %)
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024  # bytes, after decompression
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
REDIRECT_MAX_TIMES = 5
RETRY_TIMES = 2
RETRY_GIVE_UP_LOG_LEVEL = "INFO"  # the errback's one line says it (crawler/failures.py)
DOWNLOADER = "crawler.downloader.PoliteDownloader"  # per-host concurrency holds, Retry-After pauses
DEPTH_LIMIT = 8  # sitemap index nesting and listing pages stay well inside this

# -- components ---------------------------------------------------------------------
DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.StaticHosts": 40,
    "crawler.middlewares.PrivateAddressGuard": 50,
    "crawler.middlewares.RetryAfter": 580,  # sees 429/503 before Scrapy's retry (550) does
}
EXTENSIONS = {
    "scrapy.extensions.throttle.AutoThrottle": None,
    "crawler.extensions.PoliteAutoThrottle": 0,
    "crawler.extensions.CrawlRecorder": 100,
    "crawler.extensions.Progress": 200,
    "crawler.failures.OneLineNetworkErrors": 300,
}
ITEM_PIPELINES = {
    "pipelines.validate.ValidatePipeline": 100,
    "pipelines.url_dedupe.UrlDedupePipeline": 200,
    "pipelines.analyse.AnalysePipeline": 300,  # extract, hash, relevance, rounds: in workers
    "pipelines.check.CheckPipeline": 700,  # counts fields, labels, rounds
    "pipelines.store.StorePipeline": 800,
}
CONCURRENT_ITEMS = 1  # each response yields one article; more only spawns idle asyncio tasks
DEFAULT_DROPITEM_LOG_LEVEL = "INFO"  # skips are counted in stats, not shouted
LOG_LEVEL = "INFO"

# -- fundnews -------------------------------------------------------------------------
FUNDNEWS_DB = default_db_path()  # $FUNDNEWS_DB, else corpus.db.DEFAULT_DB
FUNDNEWS_EXTRACT_WORKERS = int(os.environ.get("FUNDNEWS_EXTRACT_WORKERS") or (os.cpu_count() or 1))
# modules the analysis workers' forkserver imports once (and warms), so each worker starts ready
FUNDNEWS_WORKER_PRELOAD = ("crawler.warmed_analysis",)
FUNDNEWS_EXTRACT_TIMEOUT = 120.0  # seconds for one page in the pool before it counts as failed
# an analysis worker whose memory has grown by more than this since it started is replaced
# (big pages leave native memory behind in it: 2-6 MB a page of 200 KB of text; ~40 MB over
# 1,000 pages of the bench site, so ordinary crawls never recycle); 0: never
FUNDNEWS_WORKER_RECYCLE_MB = int(os.environ.get("FUNDNEWS_WORKER_RECYCLE_MB") or 128)
FUNDNEWS_MIN_TEXT_CHARS = 200  # less extracted text than this: not an article (error page, stub)
FUNDNEWS_MAX_HTML_CHARS = 5_000_000
FUNDNEWS_BATCH_SIZE = 500  # rows per corpus write
FUNDNEWS_BATCH_BYTES = 8 * 1024 * 1024  # ...or this much text and raw page (big pages: smaller batches)
FUNDNEWS_FLUSH_SECONDS = 5.0  # ...or this often, whichever comes first
FUNDNEWS_PROGRESS_SECONDS = 0  # the CLI sets it
FUNDNEWS_PRIVATE_GUARD_ENABLED = True
FUNDNEWS_RETRY_AFTER_MAX = 300.0  # seconds; a longer Retry-After skips the URL (counted)
FUNDNEWS_RETRY_AFTER_TIMES = 3  # Retry-After retries of one URL
# host -> address, like /etc/hosts: "bücher.test=127.0.0.1,other.test=127.0.0.1"
FUNDNEWS_HOSTS = dict(pair.split("=", 1) for pair in (os.environ.get("FUNDNEWS_HOSTS") or "").split(",") if pair)
