"""Issue 14: stray SQL cannot touch the corpus, long writes do not lock others out,
and reprocess skips raw pages it cannot read."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest
from conftest import FEED_SOURCE, REPO, Workspace, query, run_cli, serve_newsroom

from corpus.warc import RawPageError, read_page


@pytest.fixture
def crawled(tmp_path):
    with serve_newsroom() as site:
        ws = Workspace(tmp_path, site)
        ws.source("fixture", FEED_SOURCE)
        ws.crawl()
        yield ws


def fundnews(ws, *args, env=None):
    return run_cli(*args, "--db", str(ws.db), cwd=ws.root, env=env)


def snapshot(ws) -> dict:
    files = [ws.db, *sorted((ws.root / "corpus.duckdb.warc").iterdir())]
    return {str(p): p.read_bytes() for p in files}


def assert_refused(result, ws, before, fragment):
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("fundnews: error:") and fragment in lines[0], result.stderr
    assert snapshot(ws) == before
    assert len(query(ws.db, "SELECT * FROM articles")) == 4


STRAY_SQL = [
    "COPY (SELECT 'x' AS x) TO 'corpus.duckdb' (FORMAT csv)",
    "COPY (SELECT 'x' AS x) TO '{warc}' (FORMAT csv)",
    "EXPORT DATABASE 'dump'",
    "ATTACH 'other.duckdb' AS other (READ_WRITE); CREATE TABLE other.t (a INTEGER)",
    "LOAD 'evil.duckdb_extension'",
    "INSTALL httpfs",
    "SET autoinstall_known_extensions = true",
    "SET enable_external_access = true",
]


def test_query_cannot_write_attach_load_or_install(crawled):
    (crawled.root / "evil.duckdb_extension").write_bytes(b"\x7fELF not really")
    [warc] = (crawled.root / "corpus.duckdb.warc").iterdir()
    before = snapshot(crawled)
    for sql in STRAY_SQL:
        result = fundnews(crawled, "query", sql.format(warc=warc))
        assert_refused(result, crawled, before, "query failed")
        assert "only reads the corpus" in result.stderr, sql
    assert not (crawled.root / "dump").exists() and not (crawled.root / "other.duckdb").exists()


def test_query_views_and_search_still_work(crawled):
    assert fundnews(crawled, "query", "SELECT * FROM articles_by_source").returncode == 0
    assert "Atlasform" in fundnews(crawled, "search", "Harbor", "Point").stdout
    bm25 = fundnews(crawled, "query", "SELECT title FROM articles WHERE "
                    "fts_main_articles.match_bm25(article_id, 'Harbor Point') IS NOT NULL")
    assert bm25.returncode == 0 and "Atlasform" in bm25.stdout and "(1 row)" in bm25.stdout


def test_export_refuses_the_corpus_its_wal_archive_and_locks(crawled):
    (crawled.root / "corpus.duckdb.locks").mkdir(exist_ok=True)
    (crawled.root / "alias.duckdb").symlink_to(crawled.db)
    [warc] = (crawled.root / "corpus.duckdb.warc").iterdir()
    before = snapshot(crawled)
    for out in ["corpus.duckdb", "./sub/../corpus.duckdb.wal", str(warc), "corpus.duckdb.warc/new.csv",
                "corpus.duckdb.locks/fixture.lock", "alias.duckdb"]:
        (crawled.root / "sub").mkdir(exist_ok=True)
        result = fundnews(crawled, "export", "--format", "csv", "--out", out, "--query", "SELECT 1 AS a")
        assert_refused(result, crawled, before, "part of the corpus")
    sneaky = "SELECT 1 AS a) TO 'corpus.duckdb' (FORMAT csv); COPY (SELECT 1"
    result = fundnews(crawled, "export", "--format", "csv", "--out", "ok.csv", "--query", sneaky)
    assert_refused(result, crawled, before, "export")
    fine = fundnews(crawled, "export", "--format", "csv", "--out", "sub/titles.csv", "--query", "SELECT title FROM articles")
    assert fine.returncode == 0 and "wrote 4 rows" in fine.stdout
    assert (crawled.root / "sub/titles.csv").read_text().count("\n") == 5


HOLD = """
import sys, time
from corpus.db import connection
with connection(sys.argv[1], task="the text index build"):
    print("holding", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def test_a_crawl_started_during_a_long_write_waits_then_crawls(ws):
    ws.source("fixture", FEED_SOURCE)
    subprocess.run([sys.executable, "-c", "import sys; from corpus.db import init_db; init_db(sys.argv[1])",
                    str(ws.db)], cwd=REPO, check=True)
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(ws.db), "6"], cwd=REPO,
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "holding"
    env = {**os.environ, "FUNDNEWS_LOCK_WAIT": "1"}
    result = run_cli("crawl", "--sources", str(ws.sources), "--db", str(ws.db), "--workers", "0",
                     cwd=ws.root, env=env)
    holder.wait(timeout=30)
    assert result.returncode == 0, result.stderr[-2000:]
    assert f"waiting for the text index build of PID {holder.pid}, running" in result.stderr
    assert ws.last_crawl()["status"] == "finished"
    assert len(ws.rows("SELECT * FROM articles")) == 4


def test_a_lock_held_by_another_program_still_times_out(ws):
    import duckdb

    ws.source("fixture", FEED_SOURCE)
    duckdb.connect(str(ws.db)).close()
    holder = subprocess.Popen([sys.executable, "-c",
                               "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('holding', flush=True);"
                               " time.sleep(20)", str(ws.db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        started = time.monotonic()
        result = fundnews(ws, "query", "SELECT 1", env={**os.environ, "FUNDNEWS_LOCK_WAIT": "1"})
        assert result.returncode == 2 and "cannot open" in result.stderr
        assert time.monotonic() - started < 15  # gave up at its own wait, not the holder's 20 s
    finally:
        holder.kill()
        holder.wait()


def split_archive_into_one_file_per_page(ws) -> list[dict]:
    """Four raw pages, four WARC files: rewrite the one file of the crawl as four."""
    import duckdb

    pages = ws.rows("SELECT canonical_url, url, warc_file, warc_offset, warc_length FROM raw_pages ORDER BY 1")
    folder = ws.root / "corpus.duckdb.warc"
    con = duckdb.connect(str(ws.db))
    for n, page in enumerate(pages):
        with open(folder / page["warc_file"], "rb") as handle:
            handle.seek(page["warc_offset"])
            record = handle.read(page["warc_length"])
        page["warc_file"] = f"page-{n}.warc.gz"
        (folder / page["warc_file"]).write_bytes(record)
        con.execute("UPDATE raw_pages SET warc_file = ?, warc_offset = 0 WHERE canonical_url = ?",
                    [page["warc_file"], page["canonical_url"]])
    con.close()
    for old in {p.name for p in folder.iterdir()} - {p["warc_file"] for p in pages}:
        (folder / old).unlink()
    return pages


def test_reprocess_skips_missing_and_corrupt_warc_files_and_goes_on(crawled):
    pages = split_archive_into_one_file_per_page(crawled)
    folder = crawled.root / "corpus.duckdb.warc"
    (folder / pages[0]["warc_file"]).unlink()
    (folder / pages[1]["warc_file"]).write_bytes(b"garbage, not a WARC record\n" * 40)
    result = fundnews(crawled, "reprocess", "--workers", "0")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "unchanged 2" in result.stdout
    assert "raw_page_corrupt 1" in result.stdout and "raw_page_missing 1" in result.stdout
    crawl = crawled.last_crawl()
    assert crawl["status"] == "finished" and crawl["items_stored"] == 2
    assert json.loads(crawl["skipped"]) == {"raw_page_corrupt": 1, "raw_page_missing": 1}
    assert len(crawled.rows("SELECT * FROM articles")) == 4  # nothing lost either


def test_a_truncated_or_swapped_record_is_corrupt(crawled):
    pages = split_archive_into_one_file_per_page(crawled)
    folder = crawled.root / "corpus.duckdb.warc"
    whole = (folder / pages[2]["warc_file"]).read_bytes()
    (folder / pages[2]["warc_file"]).write_bytes(whole[: len(whole) // 2])
    (folder / pages[3]["warc_file"]).write_bytes((folder / pages[0]["warc_file"]).read_bytes())
    for page in pages[2:]:
        with pytest.raises(RawPageError) as caught:
            read_page(str(crawled.db), page["warc_file"], 0, page["url"], page["warc_length"])
        assert caught.value.reason == "raw_page_corrupt"
    assert "</article>" in read_page(str(crawled.db), pages[0]["warc_file"], 0, pages[0]["url"])
