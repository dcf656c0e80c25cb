"""The source registry: one TOML file per source, validated when it loads.

This module is the only reader of ``crawler/sources/``. A source file looks like::

    name = "Example Newsroom"
    homepage = "https://example.com/"
    [[entries]]
    type = "feed"                      # feed | news_sitemap | sitemap | listing
    url = "https://example.com/feed.xml"
    [crawl]
    download_delay = 2

The file stem is the source id and the spider name. Unknown keys and bad values
are errors that name the file and the key; a broken file is reported and skipped,
the other sources still load.
"""

from __future__ import annotations

import logging
import os
import re
import tomllib
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

log = logging.getLogger(__name__)

BUILTIN_SOURCES_DIR = Path(__file__).parent / "sources"
SOURCE_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_]*$")
EntryType = Literal["feed", "news_sitemap", "sitemap", "listing"]
Kind = Literal["wire", "press", "newsroom", "investor", "other"]

# Cadence when a source does not declare one: wires move fast, newsrooms slowly.
DEFAULT_EVERY = {"wire": "30m", "press": "1h", "newsroom": "1d", "investor": "1d", "other": "6h"}
_EVERY_RE = re.compile(r"^(\d+)\s*([smhd])$")
_EVERY_UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# A scheduler tick; shorter would crawl back to back. Tests of the scheduler loop lower it
# (never below a second) with FUNDNEWS_MIN_EVERY_SECONDS.
MIN_EVERY = timedelta(seconds=max(1, int(os.environ.get("FUNDNEWS_MIN_EVERY_SECONDS") or 60)))
MAX_EVERY = timedelta(days=366)  # longer is a typo (and large values overflow dates)
MAX_AGE_DAYS = 36_500  # 100 years: further back than any news, and still a valid date


def _http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {value!r}")
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Entry(_Strict):
    """One way into a source: a feed, a (news) sitemap or a listing page."""

    type: EntryType
    url: str
    # sitemap / news_sitemap: only article URLs matching one of these regexes are kept
    # (and child sitemaps of an index matching `follow_sitemaps`, when given).
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    follow_sitemaps: tuple[str, ...] = ()
    # listing: CSS selectors for article links and for the next page
    link_selector: str | None = None
    next_selector: str | None = None
    max_pages: int = Field(default=3, ge=1, le=100)

    @field_validator("url")
    @classmethod
    def _url_is_http(cls, value: str) -> str:
        return _http_url(value)

    @field_validator("include", "exclude", "follow_sitemaps")
    @classmethod
    def _regexes_compile(cls, patterns: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"bad regex {pattern!r}: {exc}") from None
        return patterns

    @model_validator(mode="after")
    def _listing_needs_links(self) -> Entry:
        if self.type == "listing" and not self.link_selector:
            raise ValueError("a listing entry needs link_selector")
        return self


class CrawlPolicy(_Strict):
    """How politely and how far to crawl one source."""

    allow_private_addresses: bool = False
    download_delay: float = Field(default=2.0, ge=0, le=600)
    concurrency: int = Field(default=2, ge=1, le=32)
    timeout: float = Field(default=30, gt=0, le=300)  # seconds for one response
    max_articles: int = Field(default=200, ge=1, le=100_000)
    max_age_days: int | None = Field(default=None, ge=1, le=MAX_AGE_DAYS)
    # "first_working": later entries are fallbacks, fetched only when the ones before
    # gave no article links. "all": every entry is crawled.
    entries: Literal["first_working", "all"] = "first_working"
    every: str | None = None  # cadence: "15m", "6h", "1d" or a 5-field cron expression

    @field_validator("every")
    @classmethod
    def _every_parses(cls, value: str | None) -> str | None:
        if value is None:
            return value
        m = _EVERY_RE.match(value.strip())
        if m:
            seconds = int(m.group(1)) * _EVERY_UNIT[m.group(2)]
            if not MIN_EVERY.total_seconds() <= seconds <= MAX_EVERY.total_seconds():
                raise ValueError(f"cadence {value!r} is outside {int(MIN_EVERY.total_seconds())}s..366d")
            return value
        from croniter import croniter

        # five fields only: croniter reads a sixth as seconds, which would fire more than once a minute
        if len(value.split()) != 5 or not croniter.is_valid(value):
            raise ValueError(f"not a cadence like '15m', '6h', '1d' or a 5-field cron expression: {value!r}")
        return value


class Source(_Strict):
    id: str
    name: str = Field(min_length=1)
    homepage: str
    kind: Kind = "other"
    terms_url: str | None = None
    notes: str | None = None
    enabled: bool = True
    entries: tuple[Entry, ...] = Field(min_length=1)
    crawl: CrawlPolicy = CrawlPolicy()

    @field_validator("homepage", "terms_url")
    @classmethod
    def _urls_are_http(cls, value: str | None) -> str | None:
        return value if value is None else _http_url(value)

    @field_validator("id")
    @classmethod
    def _id_is_identifier(cls, value: str) -> str:
        if not SOURCE_ID_RE.match(value):
            raise ValueError("source id (the file name) must be lowercase letters, digits and _")
        return value

    @property
    def every(self) -> str:
        return self.crawl.every or DEFAULT_EVERY[self.kind]

    @property
    def hosts(self) -> set[str]:
        """Hostnames this source declares (homepage and entry points), in the ASCII (IDNA)
        form that requests go out with: per-host settings are keyed by it."""
        return {host for host, _ in self.addresses}

    @property
    def addresses(self) -> set[tuple[str, int]]:
        """(ASCII host, port) of the homepage and the entry points."""
        return {url_address(u) for u in [self.homepage, *(e.url for e in self.entries)]}


def ascii_host(host: str) -> str:
    """'Bücher.test' -> 'xn--bcher-kva.test', as Scrapy sends it; other names lowercased."""
    host = host.lower()
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def url_address(url: str) -> tuple[str, int]:
    """(ASCII host, port) of an http(s) URL, the port defaulted from the scheme."""
    parts = urlsplit(url)
    return ascii_host(parts.hostname or ""), parts.port or (443 if parts.scheme == "https" else 80)


def every_to_timedelta(every: str) -> timedelta | None:
    """'15m' -> 15 minutes; None for cron expressions."""
    m = _EVERY_RE.match(every.strip())
    return timedelta(seconds=int(m.group(1)) * _EVERY_UNIT[m.group(2)]) if m else None


class SourceError(ValueError):
    """A source file that cannot be used; the message names the file and the key."""


@dataclass
class Registry:
    sources: dict[str, Source] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def select(self, ids: list[str] | tuple[str, ...] = ()) -> list[Source]:
        """The sources named by id (all enabled ones when none is named)."""
        if not ids:
            return [s for s in self.sources.values() if s.enabled]
        unknown = [i for i in ids if i not in self.sources]
        if unknown:
            known = ", ".join(sorted(self.sources)) or "none"
            raise SourceError(f"unknown source id: {', '.join(unknown)} (known: {known})")
        return [self.sources[i] for i in ids]


def load_source(path: Path) -> Source:
    """Parse and validate one source file, raising SourceError naming file and key."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SourceError(f"{path}: cannot read TOML: {exc}") from None
    if "id" in data:
        raise SourceError(f"{path}: key 'id': not allowed, the file name is the source id")
    try:
        return Source.model_validate({"id": path.stem, **data})
    except ValidationError as exc:
        problems = "; ".join(
            f"key '{'.'.join(str(p) for p in err['loc']) or '(top)'}': {err['msg']}"
            for err in exc.errors()
        )
        raise SourceError(f"{path}: {problems}") from None


def load_registry(directory: Path | str | None = None) -> Registry:
    """Load every ``*.toml`` in directory; broken files are logged and listed in errors."""
    directory = Path(directory) if directory else BUILTIN_SOURCES_DIR
    if not directory.is_dir():
        raise SourceError(f"{directory}: not a directory of source files")
    registry = Registry()
    for path in sorted(directory.glob("*.toml")):
        try:
            source = load_source(path)
        except SourceError as exc:
            log.error("skipping source: %s", exc)
            registry.errors.append(str(exc))
            continue
        registry.sources[source.id] = source
    return registry
