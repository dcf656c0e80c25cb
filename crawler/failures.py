"""A source that cannot be reached is one log line: the source, the URL and the reason.

Scrapy reports an unreachable host three times, two of them with a traceback: its retry
middleware when it gives up (``RETRY_GIVE_UP_LOG_LEVEL``, INFO in crawler/settings.py)
and its robots.txt middleware, which logs the failed robots.txt fetch at ERROR with the
whole stack. The request that follows fails the same way and its errback says so in one
line (crawler/source_spider.py), so the extension here drops the robots.txt record for
network failures (DNS, refused connection, timeout, TLS); any other robots.txt error is
still logged. ``reason`` turns a failure into the words a user can act on.
"""

from __future__ import annotations

import logging

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
)
from twisted.internet import error as tx_error
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseNeverReceived

NETWORK_ERRORS = (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    DownloadFailedError,
    tx_error.DNSLookupError,
    tx_error.ConnectionRefusedError,
    tx_error.TimeoutError,
    tx_error.ConnectError,
    ResponseNeverReceived,
)


def reason(failure: Failure | BaseException) -> str:
    """'connection refused', 'DNS lookup failed for host x', 'TLS error: wrong version number'..."""
    exc = failure.value if isinstance(failure, Failure) else failure
    causes = [exc]
    while causes[-1].__cause__ is not None and len(causes) < 5:
        causes.append(causes[-1].__cause__)
    for cause in causes:
        if isinstance(cause, CannotResolveHostError | tx_error.DNSLookupError):
            return "DNS lookup failed: " + str(cause).split(": ", 1)[-1].rstrip(".")
        if isinstance(cause, DownloadConnectionRefusedError | tx_error.ConnectionRefusedError):
            return "connection refused"
        if isinstance(cause, DownloadTimeoutError | tx_error.TimeoutError):
            return "timed out: " + str(cause).rstrip(".")
        tls = _tls_reason(cause)
        if tls:
            return tls
    if "SSL" in str(exc):
        return f"TLS error: {exc}"
    return failure.getErrorMessage() if isinstance(failure, Failure) else str(exc)


def _tls_reason(exc: BaseException) -> str | None:
    for inner in getattr(exc, "reasons", None) or []:  # ResponseNeverReceived([Failure, ...])
        value = getattr(inner, "value", inner)
        if type(value).__module__.startswith("OpenSSL"):
            details = [part[-1] for part in (value.args[0] if value.args else []) if part]
            return "TLS error: " + ("; ".join(details) or type(value).__name__)
    return None


class _DropRobotsNetworkErrors(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not isinstance(exc, NETWORK_ERRORS)


class OneLineNetworkErrors:
    """Scrapy extension: installs the filter above for the crawl's process."""

    _filter = _DropRobotsNetworkErrors()

    @classmethod
    def from_crawler(cls, crawler) -> OneLineNetworkErrors:
        logger = logging.getLogger("scrapy.downloadermiddlewares.robotstxt")
        if cls._filter not in logger.filters:
            logger.addFilter(cls._filter)
        return cls()
