"""Downloader middlewares: the safety guard in front of every request."""

from __future__ import annotations

import ipaddress
import logging
import socket
from urllib.parse import urlsplit

from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread

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
        if host not in self._cache:
            self._cache[host] = await maybe_deferred_to_future(deferToThread(_resolve, host))
        return self._cache[host]

    async def process_request(self, request: Request) -> None:
        host = urlsplit(request.url).hostname
        if not host or self.crawler.spider.allows_private(request):
            return
        for address in await self._addresses(host.strip("[]")):
            if not is_public_address(address):
                self.crawler.stats.inc_value("fundnews/refused/private_address")
                raise IgnoreRequest(f"refused non-public address {address} for {request.url}")
