"""XML sitemaps: indexes, url sets, gzip, ``lastmod`` and Google News ``news:`` tags.

Parsed with lxml with entity resolution and network access off and recovery on,
so that a sitemap with a stray bad character still yields its good URLs while an
XML entity trick expands to nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from lxml import etree
from scrapy.utils.gz import gunzip

from crawler.items import Discovered
from crawler.parsers import EntryError

MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the sitemaps.org limit, uncompressed


class SitemapError(EntryError):
    """The document is not a usable sitemap."""


@dataclass
class Sitemap:
    kind: str  # "index" or "urlset"
    sitemaps: list[Discovered] = field(default_factory=list)  # children of an index
    urls: list[Discovered] = field(default_factory=list)  # pages of a urlset


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def parse_date(value: str | None) -> datetime | None:
    """W3C datetime ('2026-03-03', '2026-03-03T09:00:00+01:00', 'Z') to naive UTC."""
    if not value:
        return None
    value = value.strip().replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def sitemap_body(body: bytes) -> bytes:
    """The XML of a sitemap response: gunzipped when gzip-compressed, size-bounded."""
    if body[:2] == b"\x1f\x8b":
        try:
            return gunzip(body, max_size=MAX_SITEMAP_BYTES)
        except Exception as exc:  # noqa: BLE001 - gunzip raises IOError, EOFError, DecompressionMaxSizeExceeded
            raise SitemapError(f"bad gzip: {exc}") from None
    return body


def parse_sitemap(body: bytes) -> Sitemap:
    xml = sitemap_body(body).lstrip()
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, recover=True, remove_comments=True, huge_tree=False
    )
    try:
        root = etree.fromstring(xml, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise SitemapError(f"not XML: {exc}") from None
    if root is None:
        raise SitemapError("not XML: empty document")
    kind = _local(root.tag)
    if kind == "sitemapindex":
        result = Sitemap("index")
        for node in root:
            if _local(node.tag) == "sitemap":
                fields = {_local(c.tag): (c.text or "").strip() for c in node}
                if fields.get("loc"):
                    result.sitemaps.append(
                        Discovered(url=fields["loc"], updated=parse_date(fields.get("lastmod")))
                    )
        return result
    if kind != "urlset":
        raise SitemapError(f"not a sitemap: root element is <{kind or '?'}>")
    result = Sitemap("urlset")
    for node in root:
        if _local(node.tag) != "url":
            continue
        loc = lastmod = title = published = None
        for child in node:
            name = _local(child.tag)
            if name == "loc":
                loc = (child.text or "").strip()
            elif name == "lastmod":
                lastmod = child.text
            elif name == "news":
                for news_field in child.iter():
                    news_name = _local(news_field.tag)
                    if news_name == "publication_date":
                        published = news_field.text
                    elif news_name == "title":
                        title = (news_field.text or "").strip() or None
        if loc:
            result.urls.append(
                Discovered(
                    url=loc,
                    title=title,
                    published=parse_date(published),
                    updated=parse_date(lastmod) or parse_date(published),
                )
            )
    return result
