"""Per-host politeness in real crawls: delays for IDN hosts, concurrency with no delay,
Retry-After on 429/503, and a private-address allowance bound to its host and port.

The fixture server records when each request arrived and when its answer was written.
"""

from __future__ import annotations

import json

from conftest import Workspace, run_cli

from app.sitehost import SiteHost

PLACEHOLDER = "127.0.0.1:PORT"


def write_site(root, pages: int, routes: dict | None = None, host: str = PLACEHOLDER) -> None:
    """`pages` articles under /a/, listed in /feed.xml with links to `host`."""
    (root / "a").mkdir(parents=True, exist_ok=True)
    items = []
    for i in range(pages):
        text = " ".join(f"<p>Company {i} raised ${i + 2} million in a seed round, paragraph {k}.</p>"
                        for k in range(8))
        (root / "a" / f"{i}.html").write_text(
            f"<html lang='en'><head><title>Company {i} raises</title></head>"
            f"<body><article><h1>Company {i} raises</h1>{text}</article></body></html>")
        items.append(f"<item><title>Company {i}</title><link>http://{host}/a/{i}.html</link></item>")
    (root / "feed.xml").write_text(f"<rss version='2.0'><channel><title>t</title>{''.join(items)}</channel></rss>",
                                   encoding="utf-8")
    (root / "robots.txt").write_text("User-agent: *\nAllow: /\n")
    (root / "_routes.json").write_text(json.dumps(routes or {}))


def source(base: str, delay: float, concurrency: int) -> str:
    return f"""
    name = "Polite"
    homepage = "{base}"
    [[entries]]
    type = "feed"
    url = "{base}feed.xml"
    [crawl]
    allow_private_addresses = true
    download_delay = {delay}
    concurrency = {concurrency}
    """


def workspace(tmp_path, site: SiteHost | None) -> Workspace:
    (tmp_path / "ws").mkdir()
    return Workspace(tmp_path / "ws", site)


def stats(ws: Workspace) -> dict:
    return json.loads(ws.last_crawl()["stats"])


def test_concurrency_holds_with_no_delay(tmp_path):
    write_site(tmp_path / "site", 16, {"slow": {f"/a/{i}.html": 0.3 for i in range(16)}})
    with SiteHost(tmp_path / "site", placeholder=PLACEHOLDER) as site:
        ws = workspace(tmp_path, site)
        ws.source("polite", source("{base}", delay=0, concurrency=2))
        ws.crawl()
        assert len([p for p in site.paths() if p.startswith("/a/")]) == 16
        assert site.max_in_flight() <= 2  # was 19 of 16 pages plus feed: the whole queue at once


def test_an_idn_host_gets_its_delay(tmp_path, monkeypatch):
    """bücher.test resolves to 127.0.0.1 through FUNDNEWS_HOSTS, no DNS involved."""
    monkeypatch.setenv("FUNDNEWS_HOSTS", "bücher.test=127.0.0.1")
    (tmp_path / "site").mkdir()
    with SiteHost(tmp_path / "site") as site:
        port = site.base_url.rsplit(":", 1)[1].strip("/")
        write_site(tmp_path / "site", 3, host=f"bücher.test:{port}")
        ws = workspace(tmp_path, site)
        ws.source("idn", source(f"http://bücher.test:{port}/", delay=3, concurrency=1))
        ws.crawl()
        assert {r.headers["host"] for r in site.requests} == {f"xn--bcher-kva.test:{port}"}
        gaps = site.gaps("/a/")
        assert len(gaps) == 2
        assert min(gaps) >= 3 - 0.05  # the whole delay, no jitter below it; was 0.04-0.33 s


def test_retry_after_is_honoured_then_the_url_retried_or_skipped(tmp_path):
    write_site(tmp_path / "site", 3, {"busy": {
        "/a/0.html": {"status": 429, "retry_after": 2, "times": 1},
        "/a/1.html": {"status": 503, "retry_after": 3, "as_date": True, "times": 1},
        "/a/2.html": {"status": 429, "retry_after": 3600, "times": 1},  # beyond the cap: skipped
    }})
    with SiteHost(tmp_path / "site", placeholder=PLACEHOLDER) as site:
        ws = workspace(tmp_path, site)
        ws.source("busy", source("{base}", delay=0, concurrency=1))
        ws.crawl()
        arrivals = {p: [r.started for r in site.requests if r.path == p] for p in site.paths()}
        assert len(arrivals["/a/0.html"]) == 2 and arrivals["/a/0.html"][1] - arrivals["/a/0.html"][0] >= 2
        assert len(arrivals["/a/1.html"]) == 2 and arrivals["/a/1.html"][1] - arrivals["/a/1.html"][0] >= 2
        assert len(arrivals["/a/2.html"]) == 1
        # while the host was paused for /a/0's Retry-After, nothing at all was sent to it
        first_429 = next(r for r in site.requests if r.path == "/a/0.html").finished
        assert not [r for r in site.requests if first_429 < r.started < first_429 + 1.9]
        stored = {r["url"].rsplit("/", 1)[1] for r in ws.rows("SELECT url FROM articles")}
        assert stored == {"0.html", "1.html"}
        assert stats(ws)["fundnews/skipped/retry_after"] == 1
        assert stats(ws)["fundnews/retry_after/retried"] == 2


def test_a_private_allowance_is_per_host_and_port(tmp_path):
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "x.html").write_text("<html><body>internal</body></html>")
    with SiteHost(tmp_path / "other") as other:
        write_site(tmp_path / "site", 2, {"redirect": {"/a/1.html": f"{other.base_url}x.html"}})
        with SiteHost(tmp_path / "site", placeholder=PLACEHOLDER) as site:
            ws = workspace(tmp_path, site)
            ws.source("local", source("{base}", delay=0, concurrency=2))
            ws.crawl()
            assert "/a/1.html" in site.paths()
            assert other.paths() == []  # the same 127.0.0.1, another port: refused
            assert stats(ws)["fundnews/refused/private_address"] == 1
            assert len(ws.rows("SELECT url FROM articles")) == 1


def test_crawl_due_goes_on_when_one_source_has_an_overflowing_cadence(tmp_path):
    ws = workspace(tmp_path, None)
    ws.source("good", source("http://127.0.0.1:9/", delay=1, concurrency=1))
    ws.source("huge", source("http://127.0.0.1:9/", delay=1, concurrency=1) + 'every = "99999999999d"\n')
    result = run_cli("crawl", "--due", "--sources", str(ws.sources), "--db", str(ws.db), "--workers", "0",
                     cwd=ws.root)
    assert "huge.toml" in result.stderr and "crawl.every" in result.stderr
    assert "OverflowError" not in result.stderr
    assert [r["source_id"] for r in ws.rows("SELECT source_id FROM source_runs")] == ["good"]
