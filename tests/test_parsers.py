"""Feeds and sitemaps as the real world writes them (our own fixture documents, inline)."""

from __future__ import annotations

import gzip
from datetime import datetime

import pytest

from crawler.parsers.feeds import FeedError, parse_feed
from crawler.parsers.sitemaps import SitemapError, parse_sitemap

RSS_091 = b"""<?xml version="1.0"?>
<rss version="0.91"><channel><title>Old wire</title><link>https://wire.example/</link>
<item><title>Acme raises $5M</title><link>https://wire.example/acme</link></item>
</channel></rss>"""

RSS_1 = b"""<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://wire.example/"><title>RDF wire</title><link>https://wire.example/</link></channel>
<item rdf:about="https://wire.example/rdf-1"><title>Beta raises seed</title><link>https://wire.example/rdf-1</link>
<dc:date>2026-03-02T10:00:00Z</dc:date><dc:creator>Ana Ruiz</dc:creator></item>
</rdf:RDF>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Lab blog</title><id>urn:lab</id><updated>2026-03-04T00:00:00Z</updated>
<entry><title>We raised a Series B</title><id>urn:1</id><link rel="alternate" href="https://lab.example/series-b"/>
<published>2026-03-03T08:00:00+01:00</published><updated>2026-03-04T09:00:00Z</updated>
<author><name>Lab Team</name></author></entry></feed>"""

JSON_FEED = b"""{"version": "https://jsonfeed.org/version/1.1", "title": "JSON newsroom",
 "items": [{"id": "1", "url": "https://news.example/a", "title": "Gamma raises $9M",
            "date_published": "2026-03-05T12:00:00Z", "authors": [{"name": "Kim Lee"}]},
           {"id": "2", "content_text": "no url, skipped"}]}"""


def test_rss_091():
    [link] = parse_feed(RSS_091, "https://wire.example/rss")
    assert (link.url, link.title) == ("https://wire.example/acme", "Acme raises $5M")


def test_rss_1_rdf_with_dublin_core():
    [link] = parse_feed(RSS_1, "https://wire.example/rdf")
    assert link.url == "https://wire.example/rdf-1"
    assert link.published == datetime(2026, 3, 2, 10, 0)
    assert link.author == "Ana Ruiz"


def test_atom_dates_are_utc():
    [link] = parse_feed(ATOM, "https://lab.example/feed")
    assert link.url == "https://lab.example/series-b"
    assert link.published == datetime(2026, 3, 3, 7, 0)
    assert link.updated == datetime(2026, 3, 4, 9, 0)
    assert link.author == "Lab Team"


def test_json_feed():
    links = parse_feed(JSON_FEED, "https://news.example/feed.json")
    assert [(l.url, l.title, l.author) for l in links] == [("https://news.example/a", "Gamma raises $9M", "Kim Lee")]
    assert links[0].published == datetime(2026, 3, 5, 12, 0)


def test_whitespace_before_the_xml_declaration():
    body = b"\n\n  " + RSS_091
    assert [l.url for l in parse_feed(body, "https://wire.example/rss")] == ["https://wire.example/acme"]


def test_iso_8859_1_feed():
    body = ('<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>Not\xedcias</title>'
            '<item><title>Empresa de IA capta \x8020 milh\xf5es</title><link>https://br.example/ia</link></item>'
            '</channel></rss>').replace("\x80", "").encode("latin-1")
    [link] = parse_feed(body, "https://br.example/rss")
    assert link.title == "Empresa de IA capta 20 milhões"


def test_declared_encoding_that_lies():
    # declared UTF-8, actually cp1252 bytes: the links still come through
    body = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>x</title>'
            '<item><title>Caf\xe9 AI raises \u20ac5m</title><link>https://eu.example/cafe</link></item>'
            '</channel></rss>').encode("cp1252")
    [link] = parse_feed(body, "https://eu.example/rss")
    assert link.url == "https://eu.example/cafe"
    assert "raises" in link.title


@pytest.mark.parametrize("body", [b"<html><body>Not a feed</body></html>", b"", b"{not json",
                                  b'<?xml version="1.0"?><rss><channel><item><title>cut off'])
def test_broken_feeds_raise(body):
    with pytest.raises(FeedError):
        parse_feed(body, "https://x.example/feed")


def test_empty_feed_is_not_an_error():
    body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>quiet</title></channel></rss>'
    assert parse_feed(body, "https://x.example/feed") == []


NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>  https://press.example/2026/03/delta-raises  </loc>
<news:news><news:publication><news:name>Press</news:name><news:language>en</news:language></news:publication>
<news:publication_date>2026-03-06T09:30:00-05:00</news:publication_date><news:title>Delta raises $40M</news:title></news:news>
</url></urlset>"""


def test_news_sitemap_tags_become_hints():
    sitemap = parse_sitemap(NEWS_SITEMAP)
    [url] = sitemap.urls
    assert url.url == "https://press.example/2026/03/delta-raises"  # whitespace around <loc> trimmed
    assert url.title == "Delta raises $40M"
    assert url.published == datetime(2026, 3, 6, 14, 30)


def test_sitemap_index_and_gzip():
    index = parse_sitemap(b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>https://x.example/posts.xml.gz</loc><lastmod>2026-03-01</lastmod></sitemap></sitemapindex>""")
    assert index.kind == "index" and index.sitemaps[0].updated == datetime(2026, 3, 1)
    packed = gzip.compress(b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <url><loc>https://x.example/a</loc><lastmod>2026-03-02T10:00:00Z</lastmod></url></urlset>""")
    urlset = parse_sitemap(packed)
    assert [(u.url, u.updated) for u in urlset.urls] == [("https://x.example/a", datetime(2026, 3, 2, 10, 0))]


def test_empty_urlset_is_not_an_error():
    assert parse_sitemap(b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>').urls == []


@pytest.mark.parametrize("body", [b"<html><body>nope</body></html>", b"", b"\x1f\x8b not really gzip",
                                  b"plain text, one URL per line"])
def test_broken_sitemaps_raise(body):
    with pytest.raises(SitemapError):
        parse_sitemap(body)


def test_entity_expansion_is_refused():
    laughs = b"""<?xml version="1.0"?>
<!DOCTYPE urlset [<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://x.example/&c;</loc></url><url><loc>https://x.example/&secret;</loc></url></urlset>"""
    with pytest.raises(SitemapError, match="entities"):  # refused whole, never read in part
        parse_sitemap(laughs)
