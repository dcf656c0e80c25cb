"""Downloader middlewares: the safety guard in front of every request, fixed host addresses,
and Retry-After."""

from __future__ import annotations

import email.utils
import ipaddress
import logging
import socket
import time
from urllib.parse import urlsplit

from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request, Response
from scrapy.resolver import dnscache
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread

from crawler.registry import ascii_host
from crawler.urls import is_public_address

log = logging.getLogger(__name__)


def _resolve(host: str) -> list[str]:
    try:
        return sorted({info[4][0] for info in socket.getaddrinfo(host, None)})
    except OSError:
        return []  # unresolvable: let the download fail with its own DNS error


class PrivateAddressGuard:
    """Refuse requests to loopback, private, link-local and other non-public addresses.

    Feeds and pages can point anywhere, including at 169.254.169.254 (cloud
    metadata) or an intranet. Such a request is dropped and counted
    (``fundnews/refused/private_address``) unless its source sets
    ``allow_private_addresses = true``. Every request passes here, redirects and
    robots.txt included. Setting: ``FUNDNEWS_PRIVATE_GUARD_ENABLED`` (default on).
    """

    def __init__(self, crawler: Crawler):
        if not crawler.settings.getbool("FUNDNEWS_PRIVATE_GUARD_ENABLED", True):
            raise NotConfigured("FUNDNEWS_PRIVATE_GUARD_ENABLED is off")
        self.crawler = crawler
        self._cache: dict[str, list[str]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PrivateAddressGuard:
        return cls(crawler)

    async def _addresses(self, host: str) -> list[str]:
        try:
            ipaddress.ip_address(host)
            return [host]
        except ValueError:
            pass
        if host in dnscache:  # a FUNDNEWS_HOSTS entry, or what the downloader resolved already
            return [dnscache[host]]
        if host not in self._cache:
            self._cache[host] = await maybe_deferred_to_future(deferToThread(_resolve, host))
        return self._cache[host]

    async def process_request(self, request: Request) -> None:
        host = urlsplit(request.url).hostname
        allows_private = getattr(self.crawler.spider, "allows_private", None)  # sources only
        if not host or (allows_private is not None and allows_private(request)):
            return
        for address in await self._addresses(host.strip("[]")):
            if not is_public_address(address):
                self.crawler.stats.inc_value("fundnews/refused/private_address")
                raise IgnoreRequest(f"refused non-public address {address} for {request.url}")


class StaticHosts:
    """``FUNDNEWS_HOSTS`` ({"bücher.test": "127.0.0.1"}): these names resolve to these
    addresses, like /etc/hosts, for the downloader and the guard alike (local mirrors, tests)."""

    def __init__(self, hosts: dict[str, str]):
        for host, address in hosts.items():
            dnscache[ascii_host(host)] = address

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StaticHosts:
        hosts = crawler.settings.getdict("FUNDNEWS_HOSTS")
        if not hosts:
            raise NotConfigured  # no message: Scrapy would print a warning on every crawl
        return cls(hosts)


def retry_after_seconds(value: bytes | None, now: float | None = None) -> float | None:
    """A Retry-After header (seconds or an HTTP-date) as seconds from now; None if absent or bad."""
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class RetryAfter:
    """Honour ``Retry-After`` on 429 and 503: the host is paused that long (nothing is sent to
    it meanwhile, nothing blocks) and the URL is retried, up to ``FUNDNEWS_RETRY_AFTER_TIMES``
    times. A wait beyond ``FUNDNEWS_RETRY_AFTER_MAX`` seconds skips the URL (``fundnews/refused/retry_after``). Without the header Scrapy's retry applies.
    """

    STATUSES = (429, 503)

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.cap = crawler.settings.getfloat("FUNDNEWS_RETRY_AFTER_MAX")
        self.times = crawler.settings.getint("FUNDNEWS_RETRY_AFTER_TIMES")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfter:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Request | Response:
        if response.status not in self.STATUSES:
            return response
        wait = retry_after_seconds(response.headers.get(b"Retry-After"))
        if wait is None:
            return response
        stats, tries = self.crawler.stats, request.meta.get("retry_after_times", 0)
        if wait <= self.cap:
            self.crawler.engine.downloader.pause(
                request.meta.get("download_slot") or urlsplit(request.url).hostname, wait)
        if wait > self.cap or tries >= self.times:
            stats.inc_value("fundnews/refused/retry_after")
            raise IgnoreRequest(f"Retry-After {wait:.0f} s (cap {self.cap:.0f} s, try {tries + 1}) "
                                f"on HTTP {response.status} for {request.url}")
        stats.inc_value("fundnews/retry_after/retried")
        log.info("%s answered %d, Retry-After %.0f s: retrying then", request.url, response.status, wait)
        retry = request.replace(dont_filter=True)
        retry.meta["retry_after_times"] = tries + 1
        return retry
