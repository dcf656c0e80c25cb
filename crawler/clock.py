"""The one clock of the crawler and the scheduler: naive UTC, as the corpus stores times.

Its own module so that the scheduler and the corpus-side code can read the time without
importing the spider (and with it Scrapy and Twisted).
"""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
