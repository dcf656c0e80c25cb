"""The item that travels from a spider through the pipelines into the corpus."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from analysis.relevance import Relevance
from analysis.rounds import Round


@dataclass(frozen=True)
class Discovered:
    """A link found in a feed, sitemap or listing page, with what that document said of it."""

    url: str
    title: str | None = None
    published: datetime | None = None  # feed pubDate / news:publication_date (UTC)
    updated: datetime | None = None  # feed updated / sitemap lastmod (UTC)
    author: str | None = None


@dataclass
class ArticleItem:
    # Set by the spider
    url: str  # as fetched, after redirects
    source_id: str
    discovered_via: str  # feed | news_sitemap | sitemap | listing
    html: str
    http_status: int
    fetched_at: datetime
    content_type: str | None = None
    requested_url: str | None = None
    declared_canonical: str | None = None  # the page's own rel=canonical / og:url
    etag: str | None = None
    last_modified: str | None = None
    hint: Discovered | None = None  # feed / sitemap metadata: fallback for extraction
    # `pages` rows for this response, written with the article (or its skip) and not
    # before, so a crash can never mark as fetched a page whose article was not stored
    fetch_log: list[dict] = field(default_factory=list)
    # (file, offset, length) of the page's WARC record when it is already archived (reprocess)
    warc_record: tuple[str, int, int] | None = None
    # in a distributed crawl: (ticket, crawl) of the queue entry that this page came from,
    # acknowledged when the analysed article is handed on (crawler/distributed.py)
    queue_ticket: tuple[str, int] | None = None
    # Set by the pipelines
    canonical_url: str | None = None
    title: str | None = None
    author: str | None = None
    published_at: datetime | None = None
    language: str | None = None
    site_name: str | None = None
    description: str | None = None
    text: str | None = None
    content_hash: str | None = None
    minhash: bytes | None = None  # near-duplicate signature, placed into a story after the write
    warc_gz: bytes | None = None  # the page's WARC record (gzip), appended to the archive at the write
    relevance: Relevance | None = None  # is_ai / is_funding with their scores and reasons
    rounds: list[Round] = field(default_factory=list)  # the funding rounds it reports
