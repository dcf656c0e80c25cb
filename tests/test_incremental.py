"""Re-crawls fetch only what changed; changed pages become versions; reprocessing fetches nothing."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from conftest import FEED_SOURCE, FIXTURES, PLACEHOLDER, Workspace, run_cli

from corpus.warc import read_page
from app.sitehost import SiteHost


ATLAS = "articles/atlas-raises-series-a.html"
BEACON = "articles/beacon-seed.html"


@pytest.fixture
def live(tmp_path):
    """A workspace over a private copy of the newsroom site that the test may edit."""
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "sites" / "newsroom", root)
    with SiteHost(root, placeholder=PLACEHOLDER) as site:
        (tmp_path / "work").mkdir()
        ws = Workspace(tmp_path / "work", site)
        ws.site_root = root
        ws.source("fixture", FEED_SOURCE)
        yield ws


def touch_feed_item(ws, path: str) -> None:
    """Say in the feed that the item for `path` was updated just now (as CMSes do)."""
    feed = ws.site_root / "feed.xml"
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=5), usegmt=True)
    text = feed.read_text()
    start = text.index(path)
    pub_start = text.index("<pubDate>", start) + len("<pubDate>")
    pub_end = text.index("</pubDate>", pub_start)
    feed.write_text(text[:pub_start] + later + text[pub_end:])


def article_fetches(ws) -> list[str]:
    return [p for p in ws.site.paths() if p.startswith("/articles/")]


def test_unchanged_site_is_not_fetched_again(live):
    live.crawl()
    live.site.clear_log()
    live.crawl()
    assert article_fetches(live) == []
    assert sorted(live.site.paths()) == ["/feed.xml", "/robots.txt"]


def test_known_urls_are_skipped_when_the_feed_changes(live):
    live.crawl()
    # the feed changes (a new item) but says nothing new about the stored articles
    feed = live.site_root / "feed.xml"
    feed.write_text(feed.read_text().replace(
        "<item>", f"<item><title>Cobaltic</title><link>http://{PLACEHOLDER}/articles/cobalt-series-b.html</link></item><item>", 1))
    live.site.clear_log()
    live.crawl()
    # only the new article is fetched; the redirect source old-url.html is known too
    assert article_fetches(live) == ["/articles/cobalt-series-b.html"]
    crawl = live.last_crawl()
    assert json.loads(crawl["skipped"])["known_url"] >= 6
    assert json.loads(crawl["stats"])["fundnews/pages/new"] == 1


def test_changed_page_becomes_a_new_version(live):
    live.crawl()
    page = live.site_root / ATLAS
    page.write_text(page.read_text().replace("hire engineers", "hire forty engineers in Lisbon"))
    touch_feed_item(live, ATLAS)
    live.site.clear_log()
    live.crawl()
    assert article_fetches(live) == ["/" + ATLAS]
    [conditional] = [r for r in live.site.requests if r.path == "/" + ATLAS]
    assert conditional.headers.get("if-none-match")  # asked conditionally, got a 200: it changed
    [atlas] = live.rows("SELECT * FROM articles WHERE url LIKE ?", [f"%{ATLAS}"])
    assert atlas["version"] == 2 and "forty engineers in Lisbon" in atlas["text"]
    [old] = live.rows("SELECT * FROM article_versions WHERE article_id = ?", [atlas["article_id"]])
    assert old["version"] == 1 and "forty engineers" not in old["text"] and "hire engineers" in old["text"]
    assert json.loads(live.last_crawl()["stats"])["fundnews/pages/updated"] == 1
    assert len(live.rows("SELECT * FROM articles")) == 4  # still one row per page


def test_a_304_costs_no_extraction(live):
    live.crawl()
    touch_feed_item(live, BEACON)  # the feed claims an update, the page did not change
    live.site.clear_log()
    live.crawl()
    assert article_fetches(live) == ["/" + BEACON]
    stats = json.loads(live.last_crawl()["stats"])
    assert stats["fundnews/pages/unchanged_304"] == 1
    assert stats.get("fundnews/stored", 0) == 0
    assert live.rows("SELECT version FROM articles WHERE url LIKE ?", [f"%{BEACON}"]) == [{"version": 1}]


def test_reprocess_fetches_nothing_and_is_idempotent(live):
    live.crawl()
    before = live.rows("SELECT canonical_url, content_hash, title FROM articles ORDER BY 1")
    live.site.clear_log()
    for _ in range(2):
        result = run_cli("reprocess", "--db", str(live.db), "--workers", "0", cwd=live.root)
        assert result.returncode == 0, result.stderr[-2000:]
        assert "unchanged 4" in result.stdout
    assert live.site.paths() == []
    assert live.rows("SELECT canonical_url, content_hash, title FROM articles ORDER BY 1") == before
    assert live.rows("SELECT count(*) AS n FROM article_versions") == [{"n": 0}]
    assert len(list((live.root / "corpus.duckdb.warc").iterdir())) == 1  # nothing archived again
    # the raw pages are WARC records beside the corpus, readable by any WARC tool
    raw = live.rows("SELECT * FROM raw_pages")
    assert len(raw) == 4
    for page in raw:
        html = read_page(str(live.db), page["warc_file"], page["warc_offset"])
        assert "<html" in html and "</article>" in html


def test_reprocess_without_a_corpus_is_one_clear_line(tmp_path):
    result = run_cli("reprocess", "--db", str(tmp_path / "none.duckdb"))
    assert result.returncode == 2 and result.stderr.startswith("fundnews: error: no corpus")
