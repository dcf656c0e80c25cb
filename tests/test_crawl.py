"""End-to-end crawls of the fixture newsroom into a real DuckDB file."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime

from conftest import FEED_SOURCE, POLITE_LOCAL, REPO



# what FEED_SOURCE stores: the feed's other links are a PDF, a 404, a 500, a soft error
# page and a robots-disallowed page
FEED_ARTICLES = {"articles/atlas-raises-series-a.html", "articles/beacon-seed.html",
                 "articles/final-destination.html", "articles/norrvik-cp1252.html"}


def by_path(ws) -> dict[str, dict]:
    base = ws.site.base_url
    return {r["url"].removeprefix(base): r for r in ws.rows("SELECT * FROM articles")}


def test_feed_crawl_stores_clean_articles_with_metadata(ws):
    ws.source("fixture", FEED_SOURCE)
    ws.crawl()
    articles = by_path(ws)
    atlas = articles["articles/atlas-raises-series-a.html"]  # the feed link carried utm_* and fbclid
    assert atlas["title"].startswith("Atlasform raises $30 million Series A")
    assert atlas["author"] == "Rina Holt"
    assert atlas["published_at"] == datetime(2026, 5, 4, 9, 30)
    assert atlas["language"] == "en"
    assert atlas["source_id"] == "fixture" and atlas["discovered_via"] == "feed"
    assert "Harbor Point Capital" in atlas["text"]
    assert "cookies" not in atlas["text"] and "All rights reserved" not in atlas["text"]
    assert atlas["canonical_url"] == ws.site.base_url + "articles/atlas-raises-series-a.html"
    assert not any("utm_" in path or "fbclid" in path for path in ws.site.paths())
    assert len(atlas["content_hash"]) == 40


def test_errors_redirects_and_non_html_are_counted_and_skipped(ws):
    ws.source("fixture", FEED_SOURCE)
    ws.crawl()
    stored = set(by_path(ws))
    # the redirect (old-url.html) is stored under the URL it landed on
    assert stored == FEED_ARTICLES
    crawl = ws.last_crawl()
    skipped = json.loads(crawl["skipped"])
    assert skipped["non_html"] == 1  # the PDF
    assert skipped["http_404"] == 1
    assert skipped["http_500"] == 1
    assert skipped["too_little_text"] == 1  # a 200 page that says "page not found"
    assert skipped["robots_txt"] == 1
    assert crawl["status"] == "finished" and crawl["items_stored"] == len(stored)


def test_robots_txt_is_obeyed(ws):
    ws.source("fixture", FEED_SOURCE)
    ws.crawl()
    paths = ws.site.paths()
    assert "/robots.txt" in paths
    assert not any(p.startswith("/private/") for p in paths)


def test_cp1252_page_is_decoded(ws):
    ws.source("fixture", FEED_SOURCE)
    ws.crawl()
    norrvik = by_path(ws)["articles/norrvik-cp1252.html"]
    assert "€50 million" in norrvik["text"]
    assert "company’s revenue" in norrvik["text"]
    assert norrvik["title"].startswith("Norrvik raises €50 million")


def test_same_page_from_feed_and_sitemap_is_one_row(ws):
    ws.source("fixture", f"""
    name = "Fixture, every entry"
    homepage = "{{base}}"
    [[entries]]
    type = "feed"
    url = "{{base}}feed.xml"
    [[entries]]
    type = "sitemap"
    url = "{{base}}sitemap-index.xml"
    {POLITE_LOCAL.replace("[crawl]", "[crawl]" + chr(10) + 'entries = "all"')}
    """)
    ws.crawl()
    rows = ws.rows("SELECT canonical_url, count(*) AS n FROM articles GROUP BY 1 HAVING n > 1")
    assert rows == []
    atlas = ws.rows("SELECT * FROM articles WHERE url LIKE '%atlas-raises-series-a.html'")
    assert len(atlas) == 1
    # the gzip child of the index was read: its other pages are in
    assert {"articles/delta-grant.html", "articles/ember-series-c.html"} <= set(by_path(ws))


def test_sitemap_index_with_gzip_child_is_followed(ws):
    ws.source("fixture", """
    name = "Fixture sitemap"
    homepage = "{base}"
    [[entries]]
    type = "sitemap"
    url = "{base}sitemap-index.xml"
    include = ["/articles/"]
    """ + POLITE_LOCAL)
    ws.crawl()
    assert set(by_path(ws)) == {"articles/atlas-raises-series-a.html", "articles/delta-grant.html",
                                "articles/ember-series-c.html"}
    paths = ws.site.paths()
    assert "/sitemaps/posts.xml.gz" in paths and "/sitemaps/pages.xml" in paths
    assert "/about.html" not in paths  # filtered by include before fetching
    assert all(r["discovered_via"] == "sitemap" for r in ws.rows("SELECT * FROM articles"))


def test_news_sitemap_tags_fill_what_the_page_lacks(ws):
    ws.source("fixture", """
    name = "Fixture news sitemap"
    homepage = "{base}"
    [[entries]]
    type = "news_sitemap"
    url = "{base}news-sitemap.xml"
    """ + POLITE_LOCAL)
    ws.crawl()
    page = by_path(ws)["articles/no-metadata.html"]
    assert page["title"] == "Mosswell raises $9 million seed for AI in vineyards"
    assert page["published_at"] == datetime(2026, 5, 18, 11, 15)  # 13:15+02:00 in UTC
    assert "Pinecrest" in page["text"]


def test_listing_pagination_stops_at_max_pages(ws):
    ws.source("fixture", """
    name = "Fixture listing"
    homepage = "{base}"
    [[entries]]
    type = "listing"
    url = "{base}news/index.html"
    link_selector = "li.story a.headline"
    next_selector = "a.next"
    max_pages = 3
    """ + POLITE_LOCAL)
    ws.crawl()
    assert set(by_path(ws)) == {"news/halcyon-series-a.html", "news/ironleaf-seed.html",
                                "news/juniper-series-b.html", "news/kestrel-bridge.html"}
    paths = ws.site.paths()
    assert "/news/page-3.html" in paths and "/news/page-4.html" not in paths


def test_broken_feed_is_counted_and_the_fallback_entry_is_used(ws):
    ws.source("fixture", """
    name = "Fixture with a broken feed"
    homepage = "{base}"
    [[entries]]
    type = "feed"
    url = "{base}feeds/broken.xml"
    [[entries]]
    type = "news_sitemap"
    url = "{base}news-sitemap.xml"
    """ + POLITE_LOCAL)
    ws.crawl()
    assert set(by_path(ws)) == {"articles/no-metadata.html", "articles/cobalt-series-b.html"}
    stats = json.loads(ws.last_crawl()["stats"])
    assert stats["fundnews/errors/feed_parse"] == 1
    assert stats["fundnews/entries/fallback"] == 1


def test_broken_sitemap_is_counted_and_the_crawl_goes_on(ws):
    ws.source("broken", """
    name = "Broken sitemap"
    homepage = "{base}"
    [[entries]]
    type = "sitemap"
    url = "{base}sitemaps/broken.xml"
    """ + POLITE_LOCAL)
    ws.source("fixture", FEED_SOURCE)
    ws.crawl()
    crawl = ws.last_crawl()
    assert json.loads(crawl["stats"])["fundnews/errors/sitemap_parse"] == 1
    assert crawl["errors"] >= 1 and crawl["status"] == "finished"
    assert "articles/atlas-raises-series-a.html" in by_path(ws)
    assert sorted(crawl["sources"]) == ["broken", "fixture"]


def test_broken_source_file_is_reported_and_the_others_crawl(ws):
    ws.source("fixture", FEED_SOURCE)
    ws.source("typo", """
    name = "Typo"
    homepage = "{base}"
    dealy = 3
    [[entries]]
    type = "rss"
    url = "{base}feed.xml"
    """)
    result = ws.crawl()
    assert "typo.toml" in result.stderr
    assert "key 'dealy'" in result.stderr and "key 'entries.0.type'" in result.stderr
    assert ws.last_crawl()["sources"] == ["fixture"]
    assert set(by_path(ws)) == FEED_ARTICLES


def test_private_addresses_are_refused_unless_the_source_allows_them(ws):
    ws.source("fixture", FEED_SOURCE.replace("allow_private_addresses = true", ""))
    result = ws.crawl(expect_ok=False)
    assert result.returncode == 1  # the one source could not be crawled at all
    assert ws.site.paths() == []  # not even robots.txt
    crawl = ws.last_crawl()
    assert json.loads(crawl["stats"])["fundnews/refused/private_address"] >= 1
    assert crawl["items_stored"] == 0


def test_extraction_pool_gives_the_same_corpus_as_inline(ws, tmp_path):
    ws.source("fixture", FEED_SOURCE)
    ws.crawl(workers=2)
    pooled = {(r["canonical_url"], r["content_hash"], r["title"]) for r in ws.rows("SELECT * FROM articles")}
    ws.db = tmp_path / "inline.duckdb"
    ws.crawl(workers=0)
    inline = {(r["canonical_url"], r["content_hash"], r["title"]) for r in ws.rows("SELECT * FROM articles")}
    assert pooled == inline and len(pooled) == len(FEED_ARTICLES)


def test_every_crawl_is_recorded_with_its_stats(ws):
    ws.source("fixture", FEED_SOURCE)
    ws.crawl()
    ws.site.clear_log()
    ws.crawl()
    crawls = ws.rows("SELECT * FROM crawls ORDER BY crawl_id")
    assert [c["crawl_id"] for c in crawls] == [1, 2]
    first = crawls[0]
    assert first["finished_at"] > first["started_at"]
    assert first["requests"] >= 10
    assert json.loads(first["responses_by_status"])["200"] >= 8
    assert first["items_stored"] == len(FEED_ARTICLES)
    stats = json.loads(first["stats"])
    assert stats["memusage/max"] >= stats["memusage/startup"] > 10 * 2**20  # peak RSS, bytes
    # what the check pipeline counted, in the record once the crawl is over
    assert stats["fundnews/fields/fixture/articles"] == stats["fundnews/fields/fixture/text"] == len(FEED_ARTICLES)
    assert stats["fundnews/relevance/is_funding"] >= 1
    # the second crawl asked for the feed conditionally, got a 304 and fetched nothing else
    assert sorted(ws.site.paths()) == ["/feed.xml", "/robots.txt"]
    assert json.loads(crawls[1]["stats"])["fundnews/entries/feed_unchanged"] == 1
    assert len(by_path(ws)) == len(FEED_ARTICLES)


def test_scrapy_crawl_runs_one_registry_source(ws):
    import os
    import subprocess
    import sys

    ws.source("fixture", FEED_SOURCE)
    env = {**os.environ, "FUNDNEWS_SOURCES": str(ws.sources), "FUNDNEWS_DB": str(ws.db),
           "FUNDNEWS_EXTRACT_WORKERS": "0", "SCRAPY_SETTINGS_MODULE": "crawler.settings"}
    listed = subprocess.run([sys.executable, "-m", "scrapy", "list"], env=env, cwd=ws.root,
                            capture_output=True, text=True, timeout=120)
    assert listed.stdout.split() == ["fixture"]
    done = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "fixture", "-L", "WARNING"],
                          env=env, cwd=ws.root, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    assert set(by_path(ws)) == FEED_ARTICLES


def test_a_crawl_checks_the_corpus_schema_once(ws):
    """The CLI, the crawl's row, the known pages and the writer all need the schema; the
    crawl process checks it once (``corpus.db.schema_checks``)."""
    ws.source("fixture", FEED_SOURCE)
    script = ("import sys; from app import cli; from corpus import db; "
              "code = cli.main(sys.argv[1:]); print('schema checks', db.schema_checks); sys.exit(code)")
    for _ in range(2):  # a new corpus, then one already up to date
        done = subprocess.run([sys.executable, "-c", script, "crawl", "--sources", str(ws.sources),
                               "--db", str(ws.db), "--workers", "0"],
                              cwd=REPO, capture_output=True, text=True, timeout=180)
        assert done.returncode == 0, done.stderr[-3000:]
        assert done.stdout.splitlines()[-1] == "schema checks 1"
    assert [c["status"] for c in ws.rows("SELECT status FROM crawls")] == ["finished", "finished"]
    assert len(by_path(ws)) == len(FEED_ARTICLES)
