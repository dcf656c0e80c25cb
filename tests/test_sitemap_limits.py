"""Sitemaps and big pages: nothing dropped in silence, nothing miscounted.

A sitemap that declares XML entities is refused whole (never read up to the entity and
cut there); sitemaps are capped at 50 MB uncompressed, gzip included, not at the 10 MB
of a page; a page cut at the page cap is ``too_large``; the summary's per-source line
counts what was stored.
"""

from __future__ import annotations

import gzip
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import FIXTURES, POLITE_LOCAL, FEED_SOURCE, Workspace

from corpus.db import init_db
from app.sitehost import SiteHost

NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
ARTICLE = (FIXTURES / "sites" / "newsroom" / "articles" / "atlas-raises-series-a.html").read_text()
LAUGHS = """<!DOCTYPE urlset [<!ENTITY l0 "lol">
<!ENTITY l1 "&l0;&l0;&l0;&l0;&l0;&l0;&l0;&l0;&l0;&l0;"><!ENTITY l2 "&l1;&l1;&l1;&l1;&l1;&l1;&l1;&l1;&l1;&l1;">
<!ENTITY l3 "&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;"><!ENTITY l4 "&l3;&l3;&l3;&l3;&l3;&l3;&l3;&l3;&l3;&l3;">
<!ENTITY l5 "&l4;&l4;&l4;&l4;&l4;&l4;&l4;&l4;&l4;&l4;"><!ENTITY l6 "&l5;&l5;&l5;&l5;&l5;&l5;&l5;&l5;&l5;&l5;">]>"""


def urlset(*locs: str, padding: str = "") -> str:
    urls = "".join(f"<url><loc>{loc}</loc></url>\n" for loc in locs)
    return f'<?xml version="1.0"?>\n<urlset {NS}>\n{urls}{padding}</urlset>\n'


def sitemap_source(*urls: str, max_articles: int = 200) -> str:
    entries = "".join(f'[[entries]]\ntype = "sitemap"\nurl = "{{base}}{url}"\n' for url in urls)
    return (f'name = "Sitemaps"\nhomepage = "{{base}}"\n{entries}'
            + POLITE_LOCAL + f'entries = "all"\nmax_articles = {max_articles}\n')


@pytest.fixture
def sitemap_site(tmp_path: Path):
    """A site of ten articles (a1..a10.html); tests add the sitemaps."""
    root = tmp_path / "site"
    root.mkdir()
    for i in range(1, 11):
        (root / f"a{i}.html").write_text(ARTICLE.replace("Atlasform", f"Atlasform{i}"))
    with SiteHost(root) as site:
        site.root_dir = root
        yield site


@pytest.fixture
def sws(tmp_path: Path, sitemap_site: SiteHost) -> Workspace:
    (tmp_path / "ws").mkdir()
    return Workspace(tmp_path / "ws", sitemap_site)


def fetched(site: SiteHost) -> set[str]:
    return {p for p in site.paths() if p.endswith(".html")}


def test_a_sitemap_declaring_entities_is_refused_whole_and_counted(sws, sitemap_site):
    base = sitemap_site.base_url
    (sitemap_site.root_dir / "laughs.xml").write_text(urlset(
        f"{base}a1.html", f"{base}a2.html", f"{base}a3.html?&l6;-cut", f"{base}a4.html",
    ).replace("<urlset", LAUGHS + "\n<urlset", 1))
    # an entity reference without a declaration (&nbsp; is HTML, not XML): only that URL is lost
    (sitemap_site.root_dir / "nbsp.xml").write_text(urlset(
        f"{base}a5.html", f"{base}a6.html?x=&nbsp;-cut", f"{base}a7.html"))
    sws.source("maps", sitemap_source("laughs.xml", "nbsp.xml"))
    sws.crawl()
    # nothing of the entity trick is fetched, not even the URLs before the entity, nor a cut URL
    assert fetched(sitemap_site) == {"/a5.html", "/a7.html"}
    stats = json.loads(sws.last_crawl()["stats"])
    assert stats["fundnews/errors/sitemap_parse"] == 1
    assert stats["fundnews/skipped/entity_in_loc"] == 1
    [run] = sws.rows("SELECT last_error FROM source_runs")
    assert "laughs.xml" in run["last_error"] and "entities" in run["last_error"]


def test_sitemaps_have_their_own_50_mb_cap(sws, sitemap_site):
    base, root = sitemap_site.base_url, sitemap_site.root_dir
    pad = f"<url><loc>{base}never/fetched/because/of/max_articles/{'x' * 30}.html</loc></url>\n"
    pads = 20 * 2**20 // len(pad)
    big = urlset(f"{base}a1.html", f"{base}a2.html", padding=pad * pads)
    (root / "big.xml").write_text(big)  # 20 MB: more than a page may be, well inside a sitemap
    bomb = urlset(f"{base}a3.html", padding=" " * (60 * 2**20))
    (root / "bomb.xml.gz").write_bytes(gzip.compress(bomb.encode(), compresslevel=1))
    (root / "huge.xml").write_text(urlset(f"{base}a4.html", padding=" " * (51 * 2**20)))
    sws.source("maps", sitemap_source("big.xml", "bomb.xml.gz", "huge.xml", max_articles=2))
    sws.crawl()
    assert fetched(sitemap_site) == {"/a1.html", "/a2.html"}
    stats = json.loads(sws.last_crawl()["stats"])
    assert stats["fundnews/skipped/max_articles"] == pads  # all of the 20 MB was read
    assert stats["fundnews/errors/sitemap_too_large"] == 1  # the gzip bomb, before any URL of it
    assert stats["fundnews/errors/sitemap_fetch"] == 1  # 51 MB: cut at the download
    assert stats["fundnews/source_errors/maps"] == 2


class _BigPages(BaseHTTPRequestHandler):
    """/feed.xml lists two 11 MB pages: one with a Content-Length, one without (cut mid-way)."""

    protocol_version = "HTTP/1.0"  # no Content-Length: the body ends when the connection does
    page = ARTICLE.replace("</article>", "<p>" + "padding " * (11 * 2**20 // 8) + "</p></article>")

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        base = f"http://127.0.0.1:{self.server.server_address[1]}/"
        if self.path == "/feed.xml":
            items = "".join(f"<item><title>{p}</title><link>{base}{p}</link></item>"
                            for p in ("sized.html", "unsized.html"))
            self._answer(f'<rss version="2.0"><channel><title>t</title>{items}</channel></rss>',
                         "application/rss+xml", sized=True)
        elif self.path in ("/sized.html", "/unsized.html"):
            self._answer(self.page, "text/html", sized=self.path == "/sized.html")
        else:
            self.send_response(404)
            self.end_headers()

    def _answer(self, text: str, content_type: str, sized: bool) -> None:
        body = text.encode()
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        if sized:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:  # the crawler hung up at its size cap
            pass


def test_a_page_over_the_page_cap_is_too_large_not_an_error(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _BigPages)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        ws = Workspace(tmp_path, None)
        ws.source("big", FEED_SOURCE.replace("{base}", f"http://127.0.0.1:{server.server_address[1]}/"))
        ws.crawl()
    finally:
        server.shutdown()
        server.server_close()
    crawl = ws.last_crawl()
    assert json.loads(crawl["skipped"])["too_large"] == 2
    assert crawl["errors"] == 0
    [run] = ws.rows("SELECT errors, last_error FROM source_runs")
    assert run == {"errors": 0, "last_error": None}


def test_the_summary_counts_per_source_what_was_stored(ws, monkeypatch):
    ws.source("fixture", FEED_SOURCE)
    init_db(str(ws.db))
    monkeypatch.setenv("FUNDNEWS_DB_MEMORY", "2MB")  # too little for any write: nothing is stored
    result = ws.crawl(expect_ok=False)
    stored = ws.rows("SELECT count(*) AS n FROM articles")[0]["n"]
    [line] = [line for line in result.stdout.splitlines() if line.strip().startswith("fixture")]
    assert line.split()[1:4] == [str(stored), "articles", "stored"]
    assert stored == 0 and "4 more extracted but not stored" in line


def test_a_sitemap_cut_short_is_counted_and_its_cut_url_not_fetched(sws, sitemap_site):
    base = sitemap_site.base_url
    whole = urlset(f"{base}a1.html", f"{base}a2.html", f"{base}a3.html")
    (sitemap_site.root_dir / "cut.xml").write_text(whole[:whole.index("a3.html") + 2])  # ...a3.
    sws.source("maps", sitemap_source("cut.xml"))
    sws.crawl()
    assert {p for p in sitemap_site.paths() if p.startswith("/a")} == {"/a1.html", "/a2.html"}
    [run] = sws.rows("SELECT errors, last_error FROM source_runs")
    assert run["errors"] == 1 and "cut short" in run["last_error"]
