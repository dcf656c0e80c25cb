"""Hostile and broken input: each case is handled, counted, and the crawl goes on."""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES, PLACEHOLDER, Workspace

from crawler.parsers.feeds import parse_feed
from app.sitehost import SiteHost

HOSTILE_SOURCE = """
name = "Hostile site"
homepage = "{base}"
[[entries]]
type = "feed"
url = "{base}feed.xml"
[crawl]
allow_private_addresses = true
download_delay = 0
concurrency = 8
timeout = 1
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """One crawl of the hostile site, shared by the assertions below."""
    with SiteHost(FIXTURES / "sites" / "hostile", placeholder=PLACEHOLDER) as site:
        ws = Workspace(tmp_path_factory.mktemp("hostile"), site)
        ws.source("hostile", HOSTILE_SOURCE)
        result = ws.crawl()
        ws.result = result
        ws.crawl_row = ws.last_crawl()
        ws.stats = json.loads(ws.crawl_row["stats"])
        ws.skipped = json.loads(ws.crawl_row["skipped"])
        yield ws


def test_the_crawl_finishes_and_keeps_the_good_pages(hostile):
    assert hostile.crawl_row["status"] == "finished"
    stored = {r["url"].rsplit("/", 1)[-1]: r for r in hostile.rows("SELECT * FROM articles")}
    assert set(stored) == {"good.html", "broken-markup.html"}
    assert "Gale Street Capital" in stored["broken-markup.html"]["text"]


def test_private_and_metadata_addresses_are_refused_without_a_request(hostile):
    # 169.254.169.254, 10.0.0.1, localhost, [::1] from the feed, and a redirect to the metadata address
    assert hostile.stats["fundnews/refused/private_address"] == 5
    assert hostile.skipped["private_address"] == 5
    assert not any("latest/" in p or "admin" in p for p in hostile.site.paths())


def test_a_malformed_link_costs_only_itself(hostile):
    assert hostile.skipped["malformed_url"] == 2  # ports that are not numbers


def test_gzip_bomb_is_cut_at_the_size_limit(hostile):
    assert hostile.skipped["too_large"] == 1


def test_redirect_loops_and_chains_are_bounded(hostile):
    assert hostile.site.paths().count("/loop-a.html") == 1  # a loop revisits a URL: filtered
    assert hostile.skipped["too_many_redirects"] == 1  # a chain of new URLs: cut after 5
    chain = [p for p in hostile.site.paths() if p.startswith("/chain/")]
    assert len(chain) == 6


def test_slow_server_times_out(hostile):
    assert hostile.stats["fundnews/errors/article_fetch"] == 1  # slow.html, after its retries


def test_binary_served_as_html_is_skipped(hostile):
    assert hostile.skipped["binary_content"] == 1


def test_feed_entity_tricks_do_not_expand():
    laughs = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>t</title>
<item><title>&d;</title><link>https://x.example/a</link></item>
<item><title>&secret;</title><link>https://x.example/b</link></item></channel></rss>"""
    links = parse_feed(laughs, "https://x.example/feed")
    assert all(len(link.title or "") < 10_000 for link in links)
    assert not any("root:" in (link.title or "") for link in links)
