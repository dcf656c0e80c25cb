"""Cadence, due-ness, catch-up, locks and the scheduler loop."""

from __future__ import annotations

import os
import time
from datetime import datetime, timedelta

import pytest

from conftest import POLITE_LOCAL, run_cli

from app.locks import SourceLocks
from crawler.registry import Source
from app.schedule import next_due


def source(every: str | None = None, kind: str = "newsroom") -> Source:
    return Source.model_validate({"id": "s", "name": "S", "homepage": "https://s.example/", "kind": kind,
                                  "entries": [{"type": "feed", "url": "https://s.example/feed"}],
                                  "crawl": {"every": every} if every else {}})


NOW = datetime(2026, 11, 26, 12, 0)


def test_never_run_is_due_now():
    assert next_due(source("15m"), None, NOW) == NOW


def test_interval_cadence():
    assert next_due(source("15m"), NOW, NOW) == NOW + timedelta(minutes=15)
    assert next_due(source("6h"), NOW, NOW) == NOW + timedelta(hours=6)


def test_cron_cadence():
    assert next_due(source("0 */6 * * *"), datetime(2026, 11, 26, 7, 30), NOW) == datetime(2026, 11, 26, 12, 0)


def test_default_cadence_per_kind():
    assert source(kind="wire").every == "30m" and source(kind="newsroom").every == "1d"


def test_after_downtime_a_source_runs_once_not_once_per_missed_slot():
    three_days_ago = NOW - timedelta(days=3)
    assert next_due(source("1h"), three_days_ago, NOW) <= NOW  # overdue: due now
    assert next_due(source("1h"), NOW, NOW) == NOW + timedelta(hours=1)  # after that one run: an hour


FAST = """
name = "Fixture feed"
homepage = "{base}"
[[entries]]
type = "feed"
url = "{base}feed.xml"
""" + POLITE_LOCAL.replace("[crawl]", '[crawl]\nevery = "3s"')


@pytest.fixture(autouse=True)
def seconds_cadences(monkeypatch):
    """These crawls run on cadences of seconds, which sources may not declare (1 minute at least)."""
    monkeypatch.setenv("FUNDNEWS_MIN_EVERY_SECONDS", "1")


def crawl_due(ws):
    return run_cli("crawl", "--due", "--sources", str(ws.sources), "--db", str(ws.db), "--workers", "0",
                   cwd=ws.root)


def test_crawl_due_runs_only_due_sources(ws):
    ws.source("fixture", FAST.replace('every = "3s"', 'every = "1h"'))
    assert "Crawl 1 finished" in crawl_due(ws).stdout
    ws.site.clear_log()
    result = crawl_due(ws)
    assert result.returncode == 0 and "no source is due" in result.stdout
    assert ws.site.paths() == []
    ws.source("fixture", FAST.replace('every = "3s"', 'every = "1s"'))  # a shorter cadence: due
    time.sleep(1)
    assert "Crawl 2 finished" in crawl_due(ws).stdout


def test_stats_show_last_run_next_due_and_last_error(ws):
    ws.source("fixture", FAST)
    ws.source("down", """
    name = "Down"
    homepage = "http://127.0.0.1:9/"
    [[entries]]
    type = "feed"
    url = "http://127.0.0.1:9/feed.xml"
    """ + POLITE_LOCAL)
    ws.crawl()
    result = run_cli("stats", "--sources", str(ws.sources), "--db", str(ws.db), cwd=ws.root)
    assert result.returncode == 0
    sources_table = result.stdout.split("articles in")[0]
    [down] = [line for line in sources_table.splitlines() if line.startswith("down ")]
    assert "feed_fetch" in down and "connection refused" in down
    [fixture] = [line for line in sources_table.splitlines() if line.startswith("fixture ")]
    assert "finished" in fixture and " 3s " in fixture


def test_a_locked_source_is_not_crawled_twice(ws):
    ws.source("fixture", FAST)
    locks = SourceLocks(str(ws.db))
    assert locks.acquire(["fixture"]) == (["fixture"], [])
    try:
        result = ws.crawl()
        assert "another crawl is running: fixture" in result.stderr
        assert ws.site.paths() == []
    finally:
        locks.release()
    ws.crawl()
    assert "/feed.xml" in ws.site.paths()


def test_a_lock_left_by_a_dead_process_is_cleared(ws):
    ws.source("fixture", FAST)
    lock_dir = ws.db.parent / f"{ws.db.name}.locks"
    lock_dir.mkdir()
    (lock_dir / "fixture.lock").write_text("999999 2026-01-01T00:00:00\n")  # no such process
    ws.crawl()
    assert ws.last_crawl()["status"] == "finished"
    assert "/feed.xml" in ws.site.paths()


def test_scheduler_runs_due_crawls_in_the_foreground(ws):
    ws.source("fixture", FAST)
    started = time.monotonic()
    result = run_cli("schedule", "--sources", str(ws.sources), "--db", str(ws.db), "--workers", "0",
                     "--tick", "1", "--max-runs", "2", cwd=ws.root, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    crawls = ws.rows("SELECT * FROM crawls ORDER BY crawl_id")
    assert [c["status"] for c in crawls] == ["finished", "finished"]
    # the second run waited for the cadence (3 s after the first started), it did not rerun at once
    assert (crawls[1]["started_at"] - crawls[0]["started_at"]).total_seconds() >= 3
    assert "run 2" in result.stdout
    assert time.monotonic() - started < 100
    assert os.path.exists(ws.db)
