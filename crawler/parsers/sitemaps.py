"""XML sitemaps: indexes, url sets, gzip, ``lastmod`` and Google News ``news:`` tags.

Read as a stream (lxml ``iterparse``, each ``<url>`` cleared once read), so that a
50 MB sitemap of half a million URLs never becomes a tree in memory. Entity
resolution and network access are off and recovery is on, so that a sitemap with
a stray bad character still yields its good URLs. A sitemap that declares XML
entities (nothing but an attack needs them) is refused whole, before any of its
URLs is used, and a ``<loc>`` that holds an entity reference is skipped rather
than read cut off. A document without its root's end tag was cut (a truncated
download): its links are read but the last one, which may be cut, and it is an error.
Bodies are bounded at 50 MB uncompressed, gzip included.
"""

from __future__ import annotations

import gzip
import io
import re
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from lxml import etree

from crawler.items import Discovered
from crawler.parsers import EntryError

MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the sitemaps.org limit, uncompressed
_CHUNK = 1024 * 1024
_TAIL = 64
_ROOT_END_RE = re.compile(rb"</(?:[\w.-]+:)?(?:urlset|sitemapindex)\s*>\s*$")


class SitemapError(EntryError):
    """The document is not a usable sitemap."""


class SitemapTooLarge(SitemapError):
    """The sitemap is over MAX_SITEMAP_BYTES (compressed or not)."""


@dataclass
class Sitemap:
    kind: str  # "index" or "urlset"
    sitemaps: list[Discovered] = field(default_factory=list)  # children of an index
    urls: list[Discovered] = field(default_factory=list)  # pages of a urlset
    skipped: int = 0  # <loc>s not read (an entity reference in them)


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


def _too_large() -> SitemapTooLarge:
    return SitemapTooLarge(f"over {MAX_SITEMAP_BYTES // 2**20} MB uncompressed: not read")


def _stream(body: bytes) -> tuple[io.BufferedIOBase, bytes]:
    """The XML of a sitemap response as a stream (gunzipped when gzip-compressed), and its
    last bytes.

    Its size is checked first, with a streaming decompression that keeps nothing, so a
    gzip bomb is refused before a single URL of it is used."""
    if len(body) > MAX_SITEMAP_BYTES:
        raise _too_large()
    if body[:2] != b"\x1f\x8b":
        return io.BytesIO(body), body[-_TAIL:]
    inflater, size, rest, tail = zlib.decompressobj(16 + zlib.MAX_WBITS), 0, body, b""
    try:
        while not inflater.eof:
            chunk = inflater.decompress(rest, _CHUNK)
            rest = inflater.unconsumed_tail
            if not chunk and not rest:
                raise SitemapError("bad gzip: truncated")
            size += len(chunk)
            tail = (tail + chunk)[-_TAIL:]
            if size > MAX_SITEMAP_BYTES:
                raise _too_large()
            if inflater.eof and inflater.unused_data:  # a second gzip member: GzipFile reads on
                rest, inflater = inflater.unused_data, zlib.decompressobj(16 + zlib.MAX_WBITS)
    except zlib.error as exc:
        raise SitemapError(f"bad gzip: {exc}") from None
    return gzip.GzipFile(fileobj=io.BytesIO(body)), tail


def _ends_whole(tail: bytes) -> bool:
    """Whether the document ends with the end tag of a sitemap's root: if not, it was cut
    (a truncated download, a body cut at a cap) and its last <url> may be cut too."""
    return _ROOT_END_RE.search(tail) is not None


def _text(node: etree._Element | None) -> str | None:
    """An element's whole text, or None when an entity reference cuts it."""
    if node is None or len(node):  # the only children of a <loc> are unresolved entities
        return None
    return (node.text or "").strip()


def _entry(node: etree._Element) -> Discovered | str | None:
    """A <url> or <sitemap> element as a link; why it is skipped (a str); None if it has no <loc>."""
    loc = lastmod = title = published = None
    for child in node:
        name = _local(child.tag)
        if name == "loc":
            loc = child
        elif name == "lastmod":
            lastmod = _text(child)
        elif name == "news":
            for news_field in child.iter():
                news_name = _local(news_field.tag)
                if news_name == "publication_date":
                    published = _text(news_field)
                elif news_name == "title":
                    title = _text(news_field) or None
    if loc is None:
        return None
    url = _text(loc)
    if url is None:
        return "entity_in_loc"
    if not url:
        return None
    return Discovered(url=url, title=title, published=parse_date(published),
                      updated=parse_date(lastmod) or parse_date(published))


class SitemapReader:
    """The links of a sitemap, read as a stream, one at a time, in document order.

    ``kind`` ("index" or "urlset") is known once the first link is read (or the document
    ended); an index yields its child sitemaps, a urlset its pages. Iterating raises
    SitemapError before the first link for a body that is not a sitemap, is too large or
    declares entities, and after the links read so far for a document cut short.
    ``skipped`` counts the ``<loc>``s not read, by why.
    """

    def __init__(self, body: bytes):
        self.body = body
        self.kind: str | None = None
        self.skipped: Counter[str] = Counter()

    def __iter__(self) -> Iterator[Discovered]:
        stream, tail = _stream(self.body)
        events = etree.iterparse(
            stream, events=("start", "end"), resolve_entities=False,
            no_network=True, recover=True, remove_comments=True, huge_tree=False, load_dtd=False,
        )
        depth, wanted, pending = 0, None, None  # a link is yielded once the next one is read
        try:
            for event, node in events:
                if event == "start":
                    depth += 1
                    if depth == 1:
                        self.kind = _check_root(node)
                        wanted = "sitemap" if self.kind == "index" else "url"
                    continue
                depth -= 1
                if depth != 1:
                    continue
                if _local(node.tag) == wanted:
                    link = _entry(node)
                    if isinstance(link, Discovered):
                        if pending is not None:
                            yield pending
                        pending = link
                    elif link:
                        self.skipped[link] += 1
                node.clear()  # done with it: free it and the siblings read before it
                while node.getprevious() is not None:
                    del node.getparent()[0]
        except etree.XMLSyntaxError as exc:
            if self.kind is None:
                raise SitemapError(f"not XML: {exc}") from None
            raise SitemapError(f"XML cut short (the links before it were read): {exc}") from None
        except (OSError, EOFError) as exc:
            raise SitemapError(f"bad gzip: {exc}") from None
        if self.kind is None:
            raise SitemapError("not XML: empty document")
        if pending is not None and not _ends_whole(tail):
            raise SitemapError("cut short: no end tag; the links before the last one were read")
        if pending is not None:
            yield pending


def _check_root(root: etree._Element) -> str:
    name = _local(root.tag)
    if name not in ("sitemapindex", "urlset"):
        raise SitemapError(f"not a sitemap: root element is <{name or '?'}>")
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise SitemapError("declares XML entities (an entity-expansion trick): refused whole")
    return "index" if name == "sitemapindex" else "urlset"


def parse_sitemap(body: bytes) -> Sitemap:
    """The whole sitemap at once, for small documents (the spider streams a SitemapReader)."""
    reader = SitemapReader(body)
    links = list(reader)
    if reader.kind == "index":
        return Sitemap("index", sitemaps=links, skipped=sum(reader.skipped.values()))
    return Sitemap("urlset", urls=links, skipped=sum(reader.skipped.values()))
