"""The fundnews command as a user meets it: output, exports, and one clear line on bad input."""

from __future__ import annotations

import csv
import json
import threading
import time

import duckdb
import pytest
from conftest import FEED_SOURCE, Workspace, query, run_cli, serve_newsroom



@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """A workspace whose corpus holds one crawl of the fixture feed (shared: tests only read)."""
    with serve_newsroom() as site:
        ws = Workspace(tmp_path_factory.mktemp("crawled"), site)
        ws.source("fixture", FEED_SOURCE)
        ws.crawl()
        yield ws


def fundnews(ws, *args):
    return run_cli(*args, "--db", str(ws.db), cwd=ws.root)


def assert_one_clear_line(result, *fragments):
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("fundnews: error:"), result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_crawl_prints_summary(ws):
    ws.source("fixture", FEED_SOURCE)
    result = ws.crawl()
    assert "Crawl 1 finished" in result.stdout
    assert "fixture" in result.stdout and "skipped" in result.stdout


def test_query_formats(crawled):
    sql = "SELECT title, published_at FROM articles ORDER BY published_at LIMIT 2"
    table = fundnews(crawled, "query", sql)
    assert table.returncode == 0 and "Atlasform" in table.stdout and "(2 rows)" in table.stdout
    as_json = json.loads(fundnews(crawled, "query", sql, "--format", "json").stdout)
    assert as_json[0]["title"].startswith("Atlasform") and as_json[0]["published_at"] == "2026-05-04T09:30:00"
    lines = fundnews(crawled, "query", sql, "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line)["title"] for line in lines] == [r["title"] for r in as_json]
    rows = list(csv.reader(fundnews(crawled, "query", sql, "--format", "csv").stdout.splitlines()))
    assert rows[0] == ["title", "published_at"] and len(rows) == 3


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl"])
def test_export_round_trips(crawled, fmt):
    out = crawled.root / f"articles.{fmt}"
    result = fundnews(crawled, "export", "--format", fmt, "--out", str(out))
    assert result.returncode == 0, result.stderr
    reader = {"parquet": "read_parquet", "csv": "read_csv_auto", "jsonl": "read_json_auto"}[fmt]
    exported = duckdb.sql(f"SELECT canonical_url, title FROM {reader}('{out}') ORDER BY 1").fetchall()
    stored = [(r["canonical_url"], r["title"]) for r in
              query(crawled.db, "SELECT canonical_url, title FROM articles ORDER BY 1")]
    assert exported == stored and len(stored) == 4


def test_export_of_a_query(crawled):
    out = crawled.root / "titles.csv"
    result = fundnews(crawled, "export", "--format", "csv", "--out", str(out),
                      "--query", "SELECT title FROM articles WHERE title LIKE '%seed%'")
    assert result.returncode == 0 and "wrote 1 rows" in result.stdout
    assert "Beaconly" in out.read_text()


def test_search_finds_words_in_text(crawled):
    result = fundnews(crawled, "search", "Harbor", "Point")
    assert result.returncode == 0
    assert "Atlasform" in result.stdout and "(1 row)" in result.stdout
    assert "(0 rows)" in fundnews(crawled, "search", "zeppelin").stdout


def test_stats(crawled):
    result = fundnews(crawled, "stats")
    assert result.returncode == 0
    assert "4 articles" in result.stdout
    assert "fixture" in result.stdout and "Last crawls" in result.stdout and "finished" in result.stdout


def test_stats_shows_the_corpus_sources_not_the_registry(crawled):
    lines = fundnews(crawled, "stats").stdout.split("\n\n")[0].splitlines()
    shown = [line.split()[0] for line in lines[3:-1]]
    assert shown == ["fixture"]  # crawled from --sources: not one of the 39 built-in sources
    with_folder = run_cli("stats", "--db", str(crawled.db), "--sources", str(crawled.sources), cwd=crawled.root)
    assert "fixture" in with_folder.stdout and "(not in the registry)" not in with_folder.stdout


def test_sources_list_builtin():
    result = run_cli("sources", "list")
    assert result.returncode == 0
    assert "techcrunch_venture" in result.stdout and "globenewswire" in result.stdout


def test_unknown_source_id(crawled):
    result = run_cli("crawl", "nope", "--sources", str(crawled.sources), "--db", str(crawled.db))
    assert_one_clear_line(result, "unknown source id: nope", "fixture")


def test_malformed_sql(crawled):
    assert_one_clear_line(fundnews(crawled, "query", "SELEC title FROM articles"), "query failed")


def test_missing_database(tmp_path):
    result = run_cli("query", "SELECT 1", "--db", str(tmp_path / "none.duckdb"))
    assert_one_clear_line(result, "no corpus at")


def test_unwritable_export_path(crawled):
    result = fundnews(crawled, "export", "--out", "/nonexistent-dir/x.parquet")
    assert_one_clear_line(result, "does not exist")


def test_sources_dir_that_does_not_exist(tmp_path):
    result = run_cli("crawl", "--sources", str(tmp_path / "nowhere"), "--db", str(tmp_path / "c.duckdb"))
    assert_one_clear_line(result, "not a directory")


def test_query_waits_while_another_process_writes(crawled):
    """A reader retries while a writer holds the file, instead of failing."""
    holding = threading.Event()

    def hold_write_lock():
        con = duckdb.connect(str(crawled.db))
        holding.set()
        time.sleep(2)
        con.close()

    writer = threading.Thread(target=hold_write_lock)
    writer.start()
    holding.wait()
    result = fundnews(crawled, "query", "SELECT count(*) AS n FROM articles", "--format", "json")
    writer.join()
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [{"n": 4}]


def test_demo_runs_offline(tmp_path):
    db = tmp_path / "demo.duckdb"
    result = run_cli("demo", "--db", str(db), "--workers", "0", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "The biggest AI rounds" in result.stdout
    counts = dict((r["source_id"], r["n"]) for r in
                  query(db, "SELECT source_id, count(*) AS n FROM articles GROUP BY 1"))
    assert counts == {"northwind_newsroom": 10, "sample_wire": 8}
    # the newsroom's release and its syndicated wire copy are one round with two sources
    [tessarine] = query(db, "SELECT * FROM funding_rounds WHERE company LIKE 'Tessarine%'")
    assert (tessarine["articles"], tessarine["sources"], tessarine["amount_usd"]) == (2, 2, 62_000_000)
    assert "Tessarine" in result.stdout


def test_sources_check_goes_through_robots_the_address_guard_and_host_delays(ws):
    """The check is a crawl of the entry points: a source not allowed private addresses is
    refused 127.0.0.1, robots.txt is asked first and obeyed, a host's delay holds."""
    ws.source("disallowed", FEED_SOURCE.replace("feed.xml", "private/feed.xml"))
    ws.source("guarded", FEED_SOURCE.replace("allow_private_addresses = true",
                                             "allow_private_addresses = false"))
    ws.source("slow", FEED_SOURCE.replace("download_delay = 0", "download_delay = 1").replace(
        '[[entries]]\ntype = "feed"\nurl = "{base}feed.xml"',
        '[[entries]]\ntype = "feed"\nurl = "{base}feed.xml"\n[[entries]]\ntype = "listing"\n'
        'url = "{base}index.html"\nlink_selector = "a"'))
    guarded = run_cli("sources", "check", "guarded", "--sources", str(ws.sources), cwd=ws.root)
    assert guarded.returncode == 1 and "non-public address" in guarded.stdout, guarded.stdout
    assert ws.site.paths() == []  # refused before anything was sent
    result = run_cli("sources", "check", "disallowed", "slow", "--sources", str(ws.sources),
                     cwd=ws.root)
    assert result.returncode == 1, result.stderr[-2000:]
    lines = {line.split()[0]: line for line in result.stdout.splitlines()[2:-1]}
    assert "robots.txt" in lines["disallowed"]
    paths = ws.site.paths()
    assert paths[0] == "/robots.txt" and "/private/feed.xml" not in paths
    assert paths.count("/feed.xml") == 1 and "/index.html" in paths  # only "slow" asked them
    assert min(ws.site.gaps("/")[1:]) >= 0.95  # the two entry points of "slow", 1 s apart


def test_sources_check_reports_each_entry_point(ws):
    ws.source("fixture", FEED_SOURCE)
    ws.source("broken", FEED_SOURCE.replace("feed.xml", "no-such-feed.xml"))
    result = run_cli("sources", "check", "--sources", str(ws.sources), cwd=ws.root)
    assert result.returncode == 1  # one entry point does not answer
    lines = {line.split()[0]: line for line in result.stdout.splitlines()[2:-1]}
    assert "200 9 items" in lines["fixture"]
    assert " 404 " in lines["broken"]
