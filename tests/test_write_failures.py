"""Nothing lost when the corpus refuses writes, and big texts are all stored.

A full disk is a real one: a small tmpfs mounted for the test (root only; skipped with
the reason elsewhere); DuckDB out of memory is a real one too, a write connection capped
below what a batch needs (``FUNDNEWS_DB_MEMORY``). The crawl fails loudly (one line on
stderr, exit status non-zero, crawl and source rows ``failed`` with the reason,
``fundnews stats`` shows it), stops fetching soon after, leaves a readable corpus, and
once there is room the next crawl stores the rest without duplicates. Big texts (200 KB
of text a page) made a DuckDB checkpoint fail past the write connection's memory cap and
every later write with it.
"""

from __future__ import annotations

import random
import subprocess
from pathlib import Path

import duckdb
import pytest
from conftest import POLITE_LOCAL, Workspace, run_cli

from app.sitehost import SiteHost
from corpus.reserve import RESERVE_BYTES, DiskReserve
from corpus.store import CorpusStore
from crawler.clock import utcnow

WORDS = [f"{a}{b}" for a in ("tor", "vel", "mar", "qui", "sen", "lot", "dra", "pex", "ul", "cai")
         for b in ("an", "ber", "cot", "dun", "eri", "fol", "gam", "hix", "ios", "jat", "kel", "lum")]


def write_site(root: Path, pages: int, text_kb: int) -> None:
    """`pages` articles of about `text_kb` KB of text each (every text different), and a sitemap."""
    rng = random.Random(14)
    root.mkdir(parents=True)
    urls = []
    for i in range(pages):
        paragraphs, size = [], 0
        while size < text_kb * 1024:
            paragraph = " ".join(rng.choice(WORDS) for _ in range(60)) + "."
            paragraphs.append(f"<p>Story {i}: {paragraph}</p>")
            size += len(paragraph)
        (root / f"a{i}.html").write_text(
            f"<html><head><title>Atlasform {i} raises a seed round</title></head><body><article>"
            f"<h1>Atlasform {i} raises a seed round</h1>{''.join(paragraphs)}</article></body></html>")
        urls.append(f"<url><loc>http://127.0.0.1:PORT/a{i}.html</loc></url>")
    (root / "sitemap.xml").write_text('<?xml version="1.0"?>\n<urlset xmlns="http://www.sitemaps.org/'
                                      f'schemas/sitemap/0.9">\n{"".join(urls)}\n</urlset>\n')


def site_source(pages: int) -> str:
    return ('name = "Big pages"\nhomepage = "{base}"\n[[entries]]\ntype = "sitemap"\n'
            'url = "{base}sitemap.xml"\n' + POLITE_LOCAL + f'max_articles = {pages}\n')


class SmallDisk:
    """A tmpfs of `size`, mounted at `path` (needs root)."""

    def __init__(self, path: Path, size: str):
        self.path = path
        path.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                              capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs for a full disk: {done.stderr.strip() or done.returncode}")

    def grow(self, size: str) -> None:
        subprocess.run(["mount", "-o", f"remount,size={size}", str(self.path)], check=True)

    def unmount(self) -> None:
        subprocess.run(["umount", "-l", str(self.path)], check=False)


@pytest.fixture
def small_disk(tmp_path: Path):
    disk = SmallDisk(tmp_path / "disk", "8m")
    try:
        yield disk
    finally:
        disk.unmount()


PAGES = 600


@pytest.fixture
def big_site(tmp_path: Path):
    write_site(tmp_path / "site", PAGES, text_kb=50)
    with SiteHost(tmp_path / "site", placeholder="127.0.0.1:PORT") as site:
        yield site


def test_a_full_disk_fails_the_crawl_loudly_and_the_next_crawl_stores_the_rest(tmp_path, small_disk, big_site):
    (tmp_path / "ws").mkdir()
    ws = Workspace(tmp_path / "ws", big_site)
    ws.db = small_disk.path / "corpus.duckdb"
    ws.source("big", site_source(PAGES))

    first = ws.crawl(expect_ok=False)
    assert first.returncode != 0
    assert "Traceback" not in first.stderr
    lines = [line for line in first.stderr.splitlines() if line.strip() and not line.startswith("[")]
    assert len(lines) == 1, first.stderr[-3000:]  # besides the progress lines
    assert lines[0].startswith("fundnews: error: the crawl failed") and "No space left on device" in lines[0]

    crawl = ws.last_crawl()  # the corpus stays readable
    assert crawl["status"] == "failed" and "No space left on device" in crawl["failure"]
    [run] = ws.rows("SELECT * FROM source_runs")
    assert run["status"] == "failed" and "No space left on device" in run["last_error"]
    stored = ws.rows("SELECT count(*) AS n FROM articles")[0]["n"]
    assert 0 < stored < PAGES
    assert run["stored"] == crawl["items_stored"] == stored  # what was written, not extracted
    # it stopped fetching: the disk held a sixth of the site
    assert crawl["requests"] < PAGES / 2, (crawl["requests"], stored)
    assert sum(path.endswith(".html") for path in big_site.paths()) < PAGES / 2

    stats = run_cli("stats", "--db", str(ws.db), "--sources", str(ws.sources))
    assert stats.returncode == 0, stats.stderr
    assert stats.stdout.count("failed") >= 2  # the source's last run and the last crawl
    assert "No space left on device" in stats.stdout

    # still (nearly) full: the next crawl stores what fits, then fails as soon
    again = ws.crawl(expect_ok=False)
    assert again.returncode != 0 and "Traceback" not in again.stderr
    second = ws.last_crawl()
    assert second["status"] == "failed" and second["requests"] < PAGES / 3, second

    small_disk.grow("256m")
    ws.crawl()
    assert ws.last_crawl()["status"] == "finished"
    [[total, urls]] = [tuple(r.values()) for r in ws.rows(
        "SELECT count(*), count(DISTINCT canonical_url) FROM articles")]
    assert total == urls == PAGES
    assert ws.rows("SELECT count(*) AS n FROM crawls WHERE status = 'running'")[0]["n"] == 0


def test_pages_of_200_kb_of_text_are_all_stored(tmp_path, monkeypatch):
    # the write connections' memory cap, below the default 64 MB: DuckDB failed a checkpoint
    # past the cap after ~30 MB of texts at 64 MB, and after ~15 MB at 40 MB (here 20 MB)
    monkeypatch.setenv("FUNDNEWS_DB_MEMORY", "40MB")
    pages = 100
    write_site(tmp_path / "site", pages, text_kb=200)
    with SiteHost(tmp_path / "site", placeholder="127.0.0.1:PORT") as site:
        (tmp_path / "ws").mkdir()
        ws = Workspace(tmp_path / "ws", site)
        ws.source("big", site_source(pages))
        done = ws.crawl()
    assert "Traceback" not in done.stderr
    [row] = ws.rows("SELECT count(*) AS n, min(length(text)) AS shortest FROM articles")
    assert row["n"] == pages and row["shortest"] > 190_000
    crawl = ws.last_crawl()
    assert crawl["status"] == "finished" and crawl["items_stored"] == pages


def test_a_write_past_the_memory_cap_fails_the_crawl_loudly_and_the_next_crawl_stores_the_rest(
        tmp_path, monkeypatch):
    pages = 60
    write_site(tmp_path / "site", pages, text_kb=200)
    with SiteHost(tmp_path / "site", placeholder="127.0.0.1:PORT") as site:
        (tmp_path / "ws").mkdir()
        ws = Workspace(tmp_path / "ws", site)
        ws.source("big", site_source(pages))
        monkeypatch.setenv("FUNDNEWS_DB_MEMORY", "12MB")  # less than a batch of these pages needs
        first = ws.crawl(expect_ok=False)
        assert first.returncode != 0 and "Traceback" not in first.stderr
        lines = [line for line in first.stderr.splitlines() if line.strip() and not line.startswith("[")]
        assert len(lines) == 1 and "the crawl failed: out of memory" in lines[0], first.stderr[-3000:]
        crawl = ws.last_crawl()
        assert crawl["status"] == "failed" and crawl["failure"].startswith("out of memory")
        assert crawl["requests"] < pages

        monkeypatch.delenv("FUNDNEWS_DB_MEMORY")
        ws.crawl()
    [[total, urls]] = [tuple(r.values()) for r in ws.rows(
        "SELECT count(*), count(DISTINCT canonical_url) FROM articles")]
    assert total == urls == pages


def fill(path: Path) -> None:
    """Write to `path` until the disk refuses."""
    with open(path, "wb", buffering=0) as f:
        for size in (65536, 4096, 1):
            try:
                while True:
                    f.write(b"\xff" * size)
            except OSError:
                pass


def test_the_reserve_lets_a_crawl_close_its_rows_on_a_full_disk(small_disk):
    db = small_disk.path / "corpus.duckdb"
    store = CorpusStore(db)
    crawl_id = store.start_crawl(utcnow(), ["big"])
    reserve = DiskReserve(db)
    assert reserve.hold() == RESERVE_BYTES
    fill(small_disk.path / "filler")
    runs = [{"crawl_id": crawl_id, "source_id": "big", "started_at": utcnow(), "finished_at": utcnow(),
             "status": "failed", "stored": 0, "errors": 1, "last_error": "No space left on device"}]
    stats = {f"fundnews/skipped/reason {i}": i for i in range(300)}  # a crawl's stats: some KB
    with pytest.raises(Exception, match="No space left on device"):
        store.finish_crawl(crawl_id, utcnow(), "failed", stats, "No space left on device")
        store.record_source_runs(runs)

    reserve.release()  # what the recorder does then
    store.finish_crawl(crawl_id, utcnow(), "failed", stats, "No space left on device")
    store.record_source_runs(runs)
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT status, failure FROM crawls").fetchall() == [
            ("failed", "No space left on device")]
        assert con.execute("SELECT status FROM source_runs").fetchall() == [("failed",)]
    assert not reserve.path.exists()
    assert 0 < reserve.hold() < RESERVE_BYTES  # the next crawl holds what is left
