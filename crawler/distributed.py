"""Scale-out: a shared frontier on Redis, any number of crawl workers, one corpus writer.

Built on scrapy-redis (its scheduler, queue base and duplicate filter), with what it lacks
for us on Scrapy 2.19 added here:

* **Nothing lost when a worker dies.** scrapy-redis pops a request off a sorted set: a
  worker killed with requests in its downloader queue loses them. Here a pop moves the
  request, in one Lua script, into the worker's own ``taken`` hash under a ticket; the
  ticket is acknowledged only when the page's outcome is handed on (the analysed article
  on the results stream, by ``pipelines/publish.py`` through the worker's outbox; its
  fetch log, a skip, the requests it led to). A thread keeps a
  short-lived ``alive`` key per worker; any worker (and the loader) puts back into the
  queue what a worker whose key expired had taken.
* **Our fingerprints.** scrapy-redis's filter computes its own fingerprint; ours uses the
  crawler's ``REQUEST_FINGERPRINTER_CLASS``, one set per distributed crawl (a re-crawl
  fetches what changed: the known pages decide, as in a local crawl).
* **Politeness across processes.** ``DOWNLOAD_DELAY`` holds per process; here every
  worker, before sending to a host with a delay, reserves the host's next send time in
  Redis (one Lua script, Redis's clock), so two requests to a host are never closer than
  its delay, whichever workers send them.
* **No ``start_requests``.** Scrapy 2.16 removed it; workers read the queue through the
  scheduler (the spider's async ``start()`` yields nothing) and the engine's heartbeat is
  shortened so that work seeded into an idle worker starts within half a second rather
  than five (scrapy-redis issue #74).
* **The blocking client.** redis-py is synchronous; every call here is one short round
  trip (no blocking pops: ``SCHEDULER_IDLE_BEFORE_CLOSE`` is 0), so the reactor is held
  for well under a millisecond per request on a nearby Redis.

Keys (all under ``$FUNDNEWS_REDIS_PREFIX``, default ``fundnews``): ``requests`` (sorted
set), ``taken:<worker>``, ``alive:<worker>``, ``workers``, ``results`` (a stream with the
consumer group ``loader``), ``known`` (url_key -> validators, kept by the loader),
``delay:<host>``, ``crawl:current``, ``crawl:seq``, ``crawl:<n>`` and its ``stats``,
``sources``, ``scheduled`` and ``dupefilter``, ``last_seeded``.

One distributed crawl is open at a time: ``fundnews crawl --redis`` opens one or joins
the open one; the loader closes it once the queue is empty, nothing is taken and the
stream is drained, then writes its ``crawls`` row.
"""

from __future__ import annotations

import itertools
import json
import os
import pickle
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import Any

import redis
from scrapy import signals
from scrapy.core.engine import ExecutionEngine
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Request, Response
from scrapy.utils.asyncio import call_later
from scrapy.utils.defer import _schedule_coro
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import Base as RedisQueueBase
from scrapy_redis.scheduler import Scheduler as RedisScheduler
from twisted.python.failure import Failure

from crawler.downloader import PoliteDownloader
from crawler.items import ArticleItem
from crawler.registry import Source
from crawler.signals import page_fetched
from crawler.clock import utcnow
from crawler.source_spider import SourceSpider

TICKET = "fundnews_ticket"  # request.meta: the queue entry a request was taken as
CRAWL = "fundnews_crawl"  # request.meta: the distributed crawl it belongs to
GROUP = "loader"  # the results stream's consumer group
HEARTBEAT_SECONDS = 0.5  # the engine's poll of an idle queue (Scrapy's default: 5 s)


def redis_url(value: str | None) -> str | None:
    return value or os.environ.get("FUNDNEWS_REDIS") or None


def lease_seconds() -> float:
    """How long a silent worker keeps what it took (its alive key's lifetime)."""
    return float(os.environ.get("FUNDNEWS_REDIS_LEASE") or 30)


class Keys:
    def __init__(self, prefix: str | None = None):
        self.prefix = prefix or os.environ.get("FUNDNEWS_REDIS_PREFIX") or "fundnews"
        p = self.prefix
        self.requests, self.workers, self.results = f"{p}:requests", f"{p}:workers", f"{p}:results"
        self.known, self.current, self.seq = f"{p}:known", f"{p}:crawl:current", f"{p}:crawl:seq"
        self.last_seeded = f"{p}:last_seeded"
        self.seeding = f"{p}:seeding"  # while a seeder queues entry points, the crawl stays open

    def taken(self, worker: str) -> str:
        return f"{self.prefix}:taken:{worker}"

    def alive(self, worker: str) -> str:
        return f"{self.prefix}:alive:{worker}"

    def delay(self, host: str) -> str:
        return f"{self.prefix}:delay:{host}"

    def crawl(self, n: int, part: str = "") -> str:
        return f"{self.prefix}:crawl:{n}" + (f":{part}" if part else "")


def connect(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=30, socket_connect_timeout=10)


# -- Lua: each step that must be atomic across workers is one script -----------------------

# KEYS: queue, taken hash. ARGV: ticket. The best request moves into the taken hash as
# "score\npayload"; returns the payload.
_POP = """
local r = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #r == 0 then return false end
redis.call('ZREM', KEYS[1], r[1])
redis.call('HSET', KEYS[2], ARGV[1], r[2] .. '\\n' .. r[1])
return r[1]
"""

# KEYS: workers set, queue. ARGV: prefix, worker id or ''. What workers without an alive
# key took (or, given a worker id, what that worker took) goes back into the queue.
_RECLAIM = """
local moved = 0
local members = redis.call('SMEMBERS', KEYS[1])
for _, w in ipairs(members) do
  if (ARGV[2] ~= '' and w == ARGV[2]) or
     (ARGV[2] == '' and redis.call('EXISTS', ARGV[1] .. ':alive:' .. w) == 0) then
    local taken = ARGV[1] .. ':taken:' .. w
    local all = redis.call('HGETALL', taken)
    for i = 2, #all, 2 do
      local v = all[i]
      local sep = string.find(v, '\\n', 1, true)
      redis.call('ZADD', KEYS[2], tonumber(string.sub(v, 1, sep - 1)), string.sub(v, sep + 1))
      moved = moved + 1
    end
    redis.call('DEL', taken)
    if ARGV[2] == '' then redis.call('SREM', KEYS[1], w) end
  end
end
return moved
"""

# KEYS: workers set, queue. ARGV: prefix. Requests queued plus taken by any worker.
_FRONTIER = """
local n = redis.call('ZCARD', KEYS[2])
for _, w in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  n = n + redis.call('HLEN', ARGV[1] .. ':taken:' .. w)
end
return n
"""

# KEYS: the host's delay key. ARGV: delay in ms. 0: send now (the next send is reserved
# `delay` later); else the ms to wait. Redis's clock, so machines' clocks do not matter.
_RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local nxt = tonumber(redis.call('GET', KEYS[1]) or '0')
if nxt > now then return nxt - now end
redis.call('SET', KEYS[1], now + tonumber(ARGV[1]), 'PX', tonumber(ARGV[1]) + 1000)
return 0
"""

# KEYS: current, seq. ARGV: prefix, started_at. The open crawl, or a new one: {n, opened}.
_OPEN_CRAWL = """
local n = redis.call('GET', KEYS[1])
if n then return {tonumber(n), 0} end
n = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], n)
redis.call('HSET', ARGV[1] .. ':crawl:' .. n, 'started_at', ARGV[2])
return {n, 1}
"""

# KEYS: current, workers set, queue, seeding. ARGV: prefix. Closes the open crawl when
# nothing is queued, taken or being seeded; returns its number, or 0.
_CLOSE_IF_DRAINED = """
local n = redis.call('GET', KEYS[1])
if not n then return 0 end
if tonumber(redis.call('GET', KEYS[4]) or '0') > 0 then return 0 end
if redis.call('ZCARD', KEYS[3]) > 0 then return 0 end
for _, w in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  if redis.call('HLEN', ARGV[1] .. ':taken:' .. w) > 0 then return 0 end
end
redis.call('DEL', KEYS[1])
return tonumber(n)
"""


class Frontier:
    """The shared frontier's bookkeeping that workers, seeders and the loader share."""

    def __init__(self, server: redis.Redis, keys: Keys):
        self.server, self.keys = server, keys
        self._reclaim = server.register_script(_RECLAIM)
        self._frontier = server.register_script(_FRONTIER)
        self._open = server.register_script(_OPEN_CRAWL)
        self._close = server.register_script(_CLOSE_IF_DRAINED)

    def reclaim(self, worker: str = "") -> int:
        """Put back into the queue what dead workers (or this one, by id) had taken."""
        return int(self._reclaim(keys=[self.keys.workers, self.keys.requests],
                                 args=[self.keys.prefix, worker]))

    def size(self) -> int:
        """Requests queued or taken by a worker: 0 means no work is left anywhere."""
        return int(self._frontier(keys=[self.keys.workers, self.keys.requests], args=[self.keys.prefix]))

    def open_crawl(self, source_ids: Iterable[str]) -> tuple[int, bool]:
        n, opened = self._open(keys=[self.keys.current, self.keys.seq],
                               args=[self.keys.prefix, utcnow().isoformat()])
        if source_ids:
            self.server.sadd(self.keys.crawl(n, "sources"), *source_ids)
        return int(n), bool(opened)

    def close_if_drained(self) -> int:
        return int(self._close(keys=[self.keys.current, self.keys.workers, self.keys.requests,
                                     self.keys.seeding], args=[self.keys.prefix]))

    def current_crawl(self) -> int | None:
        n = self.server.get(self.keys.current)
        return int(n) if n else None


# -- scheduler, queue and duplicate filter (scrapy-redis, made reliable) ---------------------


class ReliableQueue(RedisQueueBase):
    """scrapy-redis's priority queue, except that a pop is a loan: the request waits in the
    worker's taken hash until acknowledged, and comes back if the worker dies."""

    def __init__(self, server, spider, key, serializer=None):
        super().__init__(server, spider, key, serializer)
        self.keys = Keys()
        self.worker = getattr(spider, "worker_id", None)
        self._pop = server.register_script(_POP)
        self._tickets = itertools.count(1)

    def __len__(self) -> int:
        return self.server.zcard(self.key)

    def encode(self, request: Request) -> bytes:
        request.meta.pop(TICKET, None)  # the copy that goes back into the queue is a new entry
        return self._encode_request(request)

    def push(self, request: Request, done: str | None = None) -> None:
        """Queue the request; `done`: a ticket of this worker that it replaces (a redirect or
        a retry of a taken request), acknowledged in the same transaction."""
        data = self.encode(request)
        pipe = self.server.pipeline(transaction=True)
        pipe.zadd(self.key, {data: -request.priority})
        if done:
            pipe.hdel(self.keys.taken(self.worker), done)
        pipe.execute()

    def pop(self, timeout: int = 0) -> Request | None:
        ticket = str(next(self._tickets))
        data = self._pop(keys=[self.key, self.keys.taken(self.worker)], args=[ticket])
        if not data:
            return None
        request = self._decode_request(data)
        request.meta[TICKET] = ticket
        return request


class FingerprintDupeFilter(RFPDupeFilter):
    """scrapy-redis's filter with the crawler's own request fingerprints, one set per
    distributed crawl."""

    def __init__(self, server, key, debug=False, fingerprinter=None):
        super().__init__(server, key, debug)
        self.fingerprinter = fingerprinter
        self.keys = Keys()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FingerprintDupeFilter:
        from scrapy_redis.connection import get_redis_from_settings

        return cls(get_redis_from_settings(crawler.settings), key=Keys().prefix + ":dupefilter",
                   debug=crawler.settings.getbool("DUPEFILTER_DEBUG"),
                   fingerprinter=crawler.request_fingerprinter)

    def request_fingerprint(self, request: Request) -> str:
        return self.fingerprinter.fingerprint(request).hex()

    def request_seen(self, request: Request) -> bool:
        key = self.keys.crawl(request.meta.get(CRAWL, 0), "dupefilter")
        return self.server.sadd(key, self.request_fingerprint(request)) == 0

    def close(self, reason: str = "") -> None:
        """Kept: the set belongs to the crawl, not to this worker (dropped when it closes)."""

    def clear(self) -> None:
        """Never: other workers share the set."""


class Scheduler(RedisScheduler):
    """scrapy-redis's scheduler over the reliable queue: never flushes the shared frontier,
    and a request that replaces a taken one (redirect, retry) acknowledges it."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Scheduler:
        scheduler = super().from_crawler(crawler)
        scheduler.df = FingerprintDupeFilter.from_crawler(crawler)
        return scheduler

    def open(self, spider) -> None:
        self.spider = spider
        self.queue = ReliableQueue(self.server, spider, self.queue_key, self.serializer)

    def next_request(self) -> Request | None:
        """The best queued request, unless this worker already holds enough that wait for
        their host's turn: what one worker hoards, others cannot send (and a crash delays)."""
        slots = self.spider.crawler.engine.downloader.slots.values()
        if sum(len(slot.queue) for slot in slots) >= self.spider.settings.getint("FUNDNEWS_WORKER_PREFETCH", 4):
            return None
        while True:
            request = self.queue.pop()  # never a blocking pop: the reactor must not wait on Redis
            if request is None:
                return None
            self.stats.inc_value("scheduler/dequeued/redis")
            if self.spider.knows(request):
                return request
            self.stats.inc_value("fundnews/errors/unknown_source")
            self.spider.logger.error("%s: not a source of this worker (its --sources differ from the "
                                     "seeder's): not fetching %s", request.meta.get("source_id"), request.url)
            self.spider.outbox.ack(*_ticket(request))

    def enqueue_request(self, request: Request) -> bool:
        done = request.meta.get(TICKET)
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            if done:
                self.spider.outbox.ack(done, request.meta.get(CRAWL, 0))
            return False
        self.stats.inc_value("scheduler/enqueued/redis")
        self.queue.push(request, done=done)
        return True

    def close(self, reason: str) -> None:
        """The queue is everyone's: left as it is."""


# -- politeness across processes ---------------------------------------------------------------


# A turn is reserved this much longer than the host's delay: between its reservation and
# the request reaching the host, one worker's send can lag another's by tens of ms (a busy
# reactor, the network), and the delay must hold where the host sees the requests.
SEND_SLACK = 0.1


class SharedDelayDownloader(PoliteDownloader):
    """A host's delay holds across workers: each send to a host with a delay is reserved in
    Redis first (``delay:<host>``), ``SEND_SLACK`` longer than the delay; a worker whose turn
    it is not waits the rest."""

    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        self.keys = Keys()
        self._reserve = connect(crawler.settings["REDIS_URL"]).register_script(_RESERVE)

    def _process_queue(self, slot) -> None:
        if slot.latercall or not slot.delay or not slot.queue or slot.free_transfer_slots() <= 0:
            return super()._process_queue(slot)
        key = next((k for k, s in self.slots.items() if s is slot), "")
        turn_ms = int((slot.delay + SEND_SLACK) * 1000)
        wait_ms = int(self._reserve(keys=[self.keys.delay(key)], args=[turn_ms]))
        if wait_ms > 0:
            slot.latercall = call_later(wait_ms / 1000, self._latercall, slot)
            return
        request, queue_dfd = slot.queue.popleft()  # this worker's turn: send one now
        slot.lastseen = time.monotonic()
        slot.transferring.add(request)
        _schedule_coro(self._wait_for_download(slot, request, queue_dfd))
        if slot.queue:  # the next one waits for its own turn
            slot.latercall = call_later(slot.delay, self._latercall, slot)


# -- the worker's side: the spider, the outbox, the control extension ---------------------------


class KnownPages:
    """The corpus's fetch log as the loader publishes it (``known``): what a worker consults
    to skip known URLs and to send conditional GETs, one look-up per link."""

    def __init__(self, server: redis.Redis, keys: Keys):
        self.server, self.key = server, keys.known

    def get(self, url_key: str) -> tuple[datetime, str | None, str | None] | None:
        value = self.server.hget(self.key, url_key)
        if value is None:
            return None
        fetched_at, etag, modified = json.loads(value)
        return datetime.fromisoformat(fetched_at), etag, modified


def known_value(page: dict) -> str:
    fetched_at = page["fetched_at"]
    return json.dumps([fetched_at.isoformat() if isinstance(fetched_at, datetime) else str(fetched_at),
                       page.get("etag"), page.get("last_modified")])


class ScheduledCount:
    """Article requests per source in the open crawl (``max_articles`` across workers).
    Read and written like the local Counter; two workers adding at once may exceed the cap
    by one each."""

    def __init__(self, server: redis.Redis, keys: Keys):
        self.server, self.keys = server, keys

    def _key(self) -> str:
        return self.keys.crawl(int(self.server.get(self.keys.current) or 0), "scheduled")

    def __getitem__(self, source_id: str) -> int:
        return int(self.server.hget(self._key(), source_id) or 0)

    def __setitem__(self, source_id: str, value: int) -> None:
        self.server.hset(self._key(), source_id, value)


class Outbox:
    """What a worker hands on, each time in one transaction with the ticket it settles:
    fetch-log rows, the analysed article, the crawl's stats since the last hand-over."""

    NUMERIC_SKIP = ("memusage/", "start_time", "finish_time", "elapsed_time_seconds")

    def __init__(self, server: redis.Redis, keys: Keys, worker: str, crawler: Crawler):
        self.server, self.keys, self.worker, self.crawler = server, keys, worker, crawler
        self.pages: list[dict] = []
        self.entry_pages: dict[str, list[dict]] = {}  # ticket -> an entry document's fetch log
        self.flushed: dict[str, Any] = {}

    def page_fetched(self, page: dict) -> None:
        self.pages.append(page)

    def _stats_delta(self, pipe, crawl: int) -> None:
        key = self.keys.crawl(crawl, "stats")
        for name, value in self.crawler.stats.get_stats().items():
            if name.startswith(self.NUMERIC_SKIP) or value == self.flushed.get(name):
                continue
            if isinstance(value, bool):
                continue
            if isinstance(value, int):
                pipe.hincrby(key, name, value - self.flushed.get(name, 0))
            elif isinstance(value, float):
                pipe.hincrbyfloat(key, name, value - self.flushed.get(name, 0.0))
            elif isinstance(value, str) and name.startswith("fundnews/last_error/"):
                pipe.hset(key, name, value)
            else:
                continue
            self.flushed[name] = value
        pipe.hincrby(key, f"fundnews/distributed/acks/{self.worker}", 1)

    def ack(self, ticket: str | None, crawl: int, article: bytes | None = None) -> None:
        pipe = self.server.pipeline(transaction=True)
        if self.pages:
            pipe.xadd(self.keys.results, {"kind": "pages", "crawl": crawl, "data": pickle.dumps(self.pages)})
        entry_pages = self.entry_pages.pop(ticket, None) if ticket else None
        if entry_pages:  # written by the loader when the crawl is over
            pipe.xadd(self.keys.results, {"kind": "entry_pages", "crawl": crawl,
                                          "data": pickle.dumps(entry_pages)})
        if article is not None:
            pipe.xadd(self.keys.results, {"kind": "article", "crawl": crawl, "data": article})
        self._stats_delta(pipe, crawl)
        if ticket:
            pipe.hdel(self.keys.taken(self.worker), ticket)
        pipe.execute()
        self.pages = []


def _ticket(request: Request) -> tuple[str | None, int]:
    return request.meta.get(TICKET), request.meta.get(CRAWL, 0)


class WorkerSpider(SourceSpider):
    """The source spider as a worker runs it: requests come from the shared queue, and each
    taken request is acknowledged once its outcome is handed on."""

    name = "fundnews-worker"
    worker_id: str = ""

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> WorkerSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        keys, server = Keys(), connect(crawler.settings["REDIS_URL"])
        spider._known = KnownPages(server, keys)
        spider._scheduled = ScheduledCount(server, keys)
        spider.outbox = Outbox(server, keys, cls.worker_id, crawler)
        crawler.signals.connect(spider.outbox.page_fetched, signal=page_fetched)
        for signal in (signals.item_dropped, signals.item_error):
            crawler.signals.connect(spider._item_done, signal=signal)
        return spider

    async def start(self):
        """Nothing of its own: the work comes from the queue (``fundnews crawl --redis``)."""
        return
        yield  # noqa: unreachable - makes this an async generator

    def _settle(self, request: Request, produce: Callable[[], Iterable[Any] | None]) -> Iterator[Any]:
        """Run a callback and pass its outputs on, tagging new requests with the crawl and
        items with the ticket; acknowledge the ticket when no item will (after the last
        request is queued, so a crash before that leaves the ticket to be crawled again).
        A callback that fails settles it too: Scrapy logs and counts the error; the page is
        not retried forever."""
        ticket, crawl = _ticket(request)
        handed_on = False
        try:
            for output in produce() or ():
                if isinstance(output, Request):
                    output.meta[CRAWL] = crawl
                elif isinstance(output, ArticleItem):
                    output.queue_ticket = (ticket, crawl)
                    handed_on = True
                yield output
        except GeneratorExit:
            raise  # abandoned at shutdown: the loan goes back to the queue with the others
        except Exception:
            self.outbox.ack(ticket, crawl)  # Scrapy logs and counts the error
            raise
        if not handed_on:
            self.outbox.ack(ticket, crawl)

    def knows(self, request: Request) -> bool:
        """Whether the request's source is one of this worker's (its politeness is known)."""
        return request.meta.get("source_id") in self._by_id

    def _item_done(self, item: Any, **_: Any) -> None:
        if isinstance(item, ArticleItem) and item.queue_ticket:
            self.outbox.ack(*item.queue_ticket)

    def _record_entry(self, response: Response) -> None:
        self.outbox.entry_pages.setdefault(response.meta.get(TICKET), []).extend(self._fetch_log(response))

    def parse_entry(self, response: Response) -> Iterator[Any]:
        return self._settle(response.request, lambda: super(WorkerSpider, self).parse_entry(response))

    def parse_article(self, response: Response) -> Iterator[Any]:
        return self._settle(response.request, lambda: super(WorkerSpider, self).parse_article(response))

    def entry_failed(self, failure: Failure) -> Iterator[Any]:
        return self._settle(failure.request, lambda: super(WorkerSpider, self).entry_failed(failure))

    def article_failed(self, failure: Failure) -> Iterator[Any]:
        return self._settle(failure.request, lambda: super(WorkerSpider, self).article_failed(failure))


def worker_spider(sources: Iterable[Source], worker_id: str = "") -> type[WorkerSpider]:
    return type("Spider_worker", (WorkerSpider,), {
        "sources": tuple(sources), "worker_id": worker_id, "__module__": "crawler.spiders"})


class WorkerControl:
    """The worker's life: an alive key kept by a thread, dead workers' loans reclaimed,
    the spider kept open while there is work anywhere, closed after ``--idle-exit``."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        settings = crawler.settings
        self.server, self.keys = connect(settings["REDIS_URL"]), Keys()
        self.frontier = Frontier(self.server, self.keys)
        self.worker = settings["FUNDNEWS_WORKER_ID"]
        self.idle_exit = settings.getfloat("FUNDNEWS_IDLE_EXIT", -1)
        self.lease = lease_seconds()
        self.idle_since: float | None = None
        self.last_reclaim = 0.0
        self.stopped = threading.Event()
        self.beating = threading.Thread(target=self._beat, daemon=True)
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WorkerControl:
        return cls(crawler)

    def _beat(self) -> None:
        server = connect(self.crawler.settings["REDIS_URL"])
        while not self.stopped.is_set():
            try:
                server.set(self.keys.alive(self.worker), os.getpid(), px=int(self.lease * 1000))
            except redis.RedisError:
                pass  # Redis away for a moment: the next beat tries again
            self.stopped.wait(self.lease / 4)

    def spider_opened(self, spider) -> None:
        self.server.set(self.keys.alive(self.worker), os.getpid(), px=int(self.lease * 1000))
        self.server.sadd(self.keys.workers, self.worker)
        self.beating.start()

    def spider_idle(self, spider) -> None:
        now = time.monotonic()
        if now - self.last_reclaim >= self.lease / 2:
            self.last_reclaim = now
            if self.frontier.reclaim():
                self.crawler.stats.inc_value("fundnews/distributed/reclaimed")
        if self.frontier.size() or self.idle_exit < 0:
            self.idle_since = None
            raise DontCloseSpider
        self.idle_since = self.idle_since or now
        if now - self.idle_since < self.idle_exit:
            raise DontCloseSpider

    def spider_closed(self, spider, reason: str) -> None:
        crawl = self.frontier.current_crawl()
        if crawl is not None or spider.outbox.pages:  # what is left of the stats and fetch log
            spider.outbox.ack(None, crawl or 0)
        self.frontier.reclaim(self.worker)  # a stopped worker's loans go back at once
        self.stopped.set()
        self.server.srem(self.keys.workers, self.worker)
        self.server.delete(self.keys.alive(self.worker))


def worker_settings(settings, url: str, idle_exit: float | None) -> str:
    """Turn a crawl's Scrapy settings into a worker's; returns the worker id."""
    worker = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
    settings.set("REDIS_URL", url, priority="cmdline")
    settings.set("SCHEDULER", "crawler.distributed.Scheduler", priority="cmdline")
    settings.set("SCHEDULER_QUEUE_KEY", Keys().requests, priority="cmdline")
    settings.set("DUPEFILTER_CLASS", "crawler.distributed.FingerprintDupeFilter", priority="cmdline")
    settings.set("SCHEDULER_PERSIST", True, priority="cmdline")
    settings.set("SCHEDULER_IDLE_BEFORE_CLOSE", 0, priority="cmdline")
    settings.set("DOWNLOADER", "crawler.distributed.SharedDelayDownloader", priority="cmdline")
    settings.set("FUNDNEWS_WORKER_ID", worker, priority="cmdline")
    settings.set("FUNDNEWS_IDLE_EXIT", -1 if idle_exit is None else idle_exit, priority="cmdline")
    pipelines = dict(settings.getdict("ITEM_PIPELINES"))
    pipelines.pop("pipelines.store.StorePipeline", None)
    pipelines["pipelines.publish.PublishPipeline"] = 800  # named only: crawler imports no pipeline
    settings.set("ITEM_PIPELINES", pipelines, priority="cmdline")
    extensions = dict(settings.getdict("EXTENSIONS"))
    extensions["crawler.extensions.CrawlRecorder"] = None  # the loader records the crawl
    extensions["crawler.distributed.WorkerControl"] = 50
    settings.set("EXTENSIONS", extensions, priority="cmdline")
    return worker


def run_worker(url: str, settings, sources: list[Source], idle_exit: float | None) -> int:
    """Fetch and analyse from the shared queue until stopped (or idle that long)."""
    from scrapy.crawler import CrawlerProcess

    connect(url).ping()  # a clear error now when Redis is not there
    worker = worker_settings(settings, url, idle_exit)
    ExecutionEngine._SLOT_HEARTBEAT_INTERVAL = HEARTBEAT_SECONDS
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(worker_spider(sources, worker))
    process.crawl(crawler)
    print(f"fundnews worker {worker}: {len(sources)} sources, queue {url}", flush=True)
    process.start()
    stats = crawler.stats.get_stats()
    print(f"fundnews worker {worker}: {stats.get('downloader/request_count', 0)} requests, "
          f"{stats.get('fundnews/distributed/published', 0)} articles handed on", flush=True)
    return 0


# -- seeding --------------------------------------------------------------------------------


def seed(url: str, sources: list[Source]) -> tuple[int, bool, int]:
    """Put the sources' entry points on the shared queue: (crawl number, opened, requests)."""
    server, keys = connect(url), Keys()
    server.ping()
    frontier = Frontier(server, keys)
    server.pipeline().incr(keys.seeding).pexpire(keys.seeding, 60_000).execute()
    crawl, opened = frontier.open_crawl([s.id for s in sources])
    spider = worker_spider(sources)()
    spider._known = KnownPages(server, keys)
    queue = ReliableQueue(server, spider, keys.requests)
    count = 0
    for source in sources:
        for index in range(len(source.entries)) if source.crawl.entries == "all" else [0]:
            request = spider._entry_request(source, index)
            request.meta[CRAWL] = crawl
            queue.push(request)
            count += 1
        server.hset(keys.last_seeded, source.id, utcnow().isoformat())
    server.decr(keys.seeding)
    return crawl, opened, count
