"""Kill a real crawl at any moment, start it again: same corpus, nothing doubled, nothing lost."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime

import pytest
from conftest import POLITE_LOCAL, Workspace

from app.sitehost import SiteHost

PAGES = 40
COMPANIES = ["Arbor", "Basalt", "Cinder", "Dune", "Ember", "Fjord", "Garnet", "Heron", "Iris", "Jasper"]


def write_site(root, delay: float) -> None:
    """A newsroom of PAGES articles, each answered after `delay` seconds, listed in one feed."""
    (root / "a").mkdir(parents=True)
    items, slow = [], {}
    for i in range(PAGES):
        company = f"{COMPANIES[i % 10]}{i} Labs"
        body = " ".join(
            f"<p>{company} said on day {i} that it raised ${i + 2} million in a seed round led by "
            f"Fund {i % 7}. Paragraph {k} explains how the company builds AI tools for sector {i * k}.</p>"
            for k in range(6))
        (root / "a" / f"{i}.html").write_text(
            f"<html lang='en'><head><title>{company} raises ${i + 2} million</title></head>"
            f"<body><article><h1>{company} raises ${i + 2} million</h1>{body}</article></body></html>")
        items.append(f"<item><title>{company}</title><link>http://127.0.0.1:PORT/a/{i}.html</link></item>")
        slow[f"/a/{i}.html"] = delay
    (root / "feed.xml").write_text(f"<rss version='2.0'><channel><title>t</title>{''.join(items)}</channel></rss>")
    (root / "robots.txt").write_text("User-agent: *\nAllow: /\n")
    (root / "_routes.json").write_text(json.dumps({"slow": slow}))


SOURCE = """
name = "Slow newsroom"
homepage = "{base}"
[[entries]]
type = "feed"
url = "{base}feed.xml"
""" + POLITE_LOCAL.replace("concurrency = 8", "concurrency = 4")


@pytest.fixture(scope="module")
def slow_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("slow-site")
    write_site(root, delay=0.4)  # 40 pages, 4 at a time: ~4 s of fetching, so every kill lands mid-crawl
    with SiteHost(root, placeholder="127.0.0.1:PORT") as site:
        yield site


@pytest.fixture
def slower_site(tmp_path):
    """The same site, slow enough that a Ctrl-C lands mid-crawl on a loaded machine too."""
    root = tmp_path / "slower-site"
    write_site(root, delay=0.6)
    with SiteHost(root, placeholder="127.0.0.1:PORT") as site:
        yield site


@pytest.fixture(scope="module")
def reference(slow_site, tmp_path_factory):
    """The corpus of an uninterrupted crawl."""
    ws = Workspace(tmp_path_factory.mktemp("reference"), slow_site)
    ws.source("slow", SOURCE)
    ws.crawl()
    return corpus(ws)


def corpus(ws) -> set[tuple[str, str]]:
    """(path, content hash) of every stored article: comparable across servers."""
    rows = ws.rows("SELECT canonical_url, content_hash FROM articles")
    assert len(rows) == len({r["canonical_url"] for r in rows})  # nothing doubled
    return {(r["canonical_url"].split("/", 3)[3], r["content_hash"]) for r in rows}


def start_crawl(ws, stderr=subprocess.DEVNULL) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "app.cli", "crawl", "--sources", str(ws.sources), "--db", str(ws.db),
         "--workers", "0"], cwd=ws.root, stdout=subprocess.DEVNULL, stderr=stderr, text=True)


def wait_for_article_requests(site, count: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while sum(p.startswith("/a/") for p in site.paths()) < count:
        assert time.monotonic() < deadline, "the crawl never got going"
        time.sleep(0.05)


def stored_paths(ws) -> set[str]:
    """Paths of the stored articles; none when the kill came before the schema was made."""
    if not ws.db.exists() or not ws.rows(
            "SELECT 1 FROM duckdb_tables() WHERE table_name = 'articles'"):
        return set()
    return {"/" + r["url"].split("/", 3)[3] for r in ws.rows("SELECT url FROM articles")}


@pytest.mark.parametrize("kill_at", [0, 8, 28])
def test_sigkill_then_restart_gives_the_uninterrupted_corpus(slow_site, reference, tmp_path, kill_at):
    """Killed while starting up (0: during start-up and migrations), or once `kill_at` of
    the 40 articles were requested: wherever the crawl is, not after a fixed time."""
    ws = Workspace(tmp_path, slow_site)
    ws.source("slow", SOURCE)
    slow_site.clear_log()
    crawl = start_crawl(ws)
    if kill_at:
        wait_for_article_requests(slow_site, kill_at)
    else:
        time.sleep(0.5)
    crawl.send_signal(signal.SIGKILL)
    crawl.wait()
    before = stored_paths(ws)
    assert len(before) < PAGES  # the kill landed mid-crawl
    slow_site.clear_log()
    ws.crawl()
    assert corpus(ws) == reference
    # what was stored before the kill is not fetched again
    assert not before & set(slow_site.paths())
    statuses = [r["status"] for r in ws.rows("SELECT status FROM crawls ORDER BY crawl_id")]
    assert statuses[-1] == "finished"
    assert statuses[:-1] in ([], ["interrupted"])  # a kill before the crawl row was written leaves none


def test_ctrl_c_stops_gracefully_and_flushes(slower_site, reference, tmp_path):
    (tmp_path / "work").mkdir()
    ws = Workspace(tmp_path / "work", slower_site)
    ws.source("slow", SOURCE)
    crawl = start_crawl(ws, stderr=subprocess.PIPE)
    wait_for_article_requests(slower_site, 8)
    crawl.send_signal(signal.SIGINT)
    _, stderr = crawl.communicate(timeout=60)
    assert crawl.returncode == 0, stderr[-3000:]
    [row] = ws.rows("SELECT status, items_stored FROM crawls")
    assert row["status"] == "shutdown"
    stored = stored_paths(ws)
    assert 0 < len(stored) < PAGES and row["items_stored"] == len(stored)  # flushed, and recorded
    ws.crawl()
    assert corpus(ws) == reference
    assert os.path.exists(ws.db)


def test_a_corpus_killed_before_its_migrations_were_checkpointed_still_opens(tmp_path):
    """Write connections close without a checkpoint, as a killed crawl leaves its file: the
    migrations (table changes included) are then replayed from the WAL on the next open."""
    from corpus.db import connection, migrations, open_db
    from corpus.store import CorpusStore

    db = tmp_path / "corpus.duckdb"
    con = open_db(db)  # what migrate() does, without its final checkpoint (the kill)
    con.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR, "
                "applied_at TIMESTAMP DEFAULT now())")
    for version, name, script in migrations():
        con.execute(script)
        con.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [version, name])
    con.close()
    assert (tmp_path / "corpus.duckdb.wal").stat().st_size > 0  # the schema is only in the WAL
    store = CorpusStore(db)
    store.migrate()
    row = {"canonical_url": "https://example.com/a", "url": "https://example.com/a", "source_id": "s",
           "text": "words", "content_hash": "h", "fetched_at": datetime(2026, 1, 1),
           "warc_file": "crawl-1.warc.gz", "warc_offset": 0, "warc_length": 10}
    assert store.write_articles([row]) == 1
    with connection(db, read_only=True) as con:
        assert con.execute("SELECT article_id, canonical_url FROM articles").fetchall() == [
            (1, "https://example.com/a")]


def test_write_connections_are_capped_in_memory_and_readers_are_not(tmp_path, monkeypatch):
    """A crawl's writes must not grow with the corpus (a checkpoint recompresses whole row
    groups); FUNDNEWS_DB_MEMORY moves the cap."""
    from corpus.db import connection

    def limit_mib(**kwargs) -> float:
        with connection(tmp_path / "corpus.duckdb", **kwargs) as con:
            setting = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
        value, unit = setting.split()
        return float(value) * {"KiB": 1 / 1024, "MiB": 1, "GiB": 1024}[unit]

    assert 50 <= limit_mib() <= 64
    assert limit_mib(read_only=True) > 128  # DuckDB's default: 80% of the machine
    monkeypatch.setenv("FUNDNEWS_DB_MEMORY", "300MB")
    assert 250 <= limit_mib() <= 300
