"""Feeds (RSS 0.9x/1.0/2.0, Atom, JSON Feed) into discovered links, via feedparser.

feedparser copes with the real world's quirks: whitespace before the XML
declaration, a declared encoding that does not match the bytes, ISO-8859-1,
undeclared entities. We only refuse documents in which it finds no entries and
that are not well-formed: those are broken feeds, reported as FeedError.
"""

from __future__ import annotations

import calendar
import json
from xml.sax import SAXException
from datetime import UTC, datetime

import feedparser

from crawler.items import Discovered
from crawler.parsers import EntryError

# Relative links resolve against the feed's own base (xml:base, else the feed's URL, which
# parse_feed passes as response_headers' Content-Location); feedparser is only ever handed
# bytes, so it never reaches the network itself.
feedparser.RESOLVE_RELATIVE_URIS = True
feedparser.SANITIZE_HTML = False


class FeedError(EntryError):
    """The document is not a usable feed."""


def _when(entry: feedparser.FeedParserDict, *keys: str) -> datetime | None:
    for key in keys:
        parsed = entry.get(f"{key}_parsed")
        if parsed:
            return datetime.fromtimestamp(calendar.timegm(parsed), UTC).replace(tzinfo=None)
    return None


def _json_date(value: object) -> datetime | None:
    from crawler.parsers.sitemaps import parse_date  # RFC 3339, same as sitemaps

    return parse_date(value) if isinstance(value, str) else None


def parse_json_feed(body: bytes) -> list[Discovered]:
    """JSON Feed 1.0/1.1 (https://jsonfeed.org/version/1.1), which feedparser 6.0 does not read."""
    try:
        doc = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FeedError(f"not a feed: bad JSON: {exc}") from None
    if not isinstance(doc, dict) or not str(doc.get("version", "")).startswith("https://jsonfeed.org/"):
        raise FeedError("not a feed: JSON without a jsonfeed.org version")
    links = []
    for item in doc.get("items") or []:
        if not isinstance(item, dict):
            continue
        link = item.get("url") or item.get("external_url")
        if not isinstance(link, str) or not link.startswith(("http://", "https://")):
            continue
        authors = item.get("authors") or ([item["author"]] if isinstance(item.get("author"), dict) else [])
        author = next((a.get("name") for a in authors if isinstance(a, dict) and a.get("name")), None)
        links.append(
            Discovered(
                url=link.strip(),
                title=(item.get("title") or "").strip() or None,
                published=_json_date(item.get("date_published")),
                updated=_json_date(item.get("date_modified") or item.get("date_published")),
                author=author,
            )
        )
    return links


def parse_feed(body: bytes, url: str, content_type: str | None = None) -> list[Discovered]:
    if body.lstrip()[:1] == b"{":
        return parse_json_feed(body)
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(body, response_headers=headers)
    if not parsed.get("version") and not parsed.entries:
        raise FeedError(f"not a feed: {parsed.get('bozo_exception') or 'no RSS, Atom or JSON Feed root'}")
    links = []
    for entry in parsed.entries:
        link = entry.get("link") or next(
            (l.get("href") for l in entry.get("links", []) if l.get("href")), None
        )
        if not link or not link.startswith(("http://", "https://")):
            continue
        links.append(
            Discovered(
                url=link.strip(),
                title=(entry.get("title") or "").strip() or None,
                published=_when(entry, "published", "created", "updated"),
                updated=_when(entry, "updated", "published"),
                author=(entry.get("author") or "").strip() or None,
            )
        )
    if not links and isinstance(parsed.get("bozo_exception"), SAXException):  # truncated, garbled
        raise FeedError(f"broken feed: {parsed.get('bozo_exception')}")
    return links
