"""Long steps say how far they are: reprocess (pages of the total), the full-text index
build, a dataset export (rows of the total, tested in test_dataset.py)."""

from __future__ import annotations

import os
import re

from conftest import FEED_SOURCE, run_cli

EVERY = {**os.environ, "FUNDNEWS_PROGRESS_EVERY": "0.02"}


def test_reprocess_says_how_many_pages_of_how_many(ws):
    ws.source("fixture", FEED_SOURCE)
    ws.crawl()
    result = run_cli("reprocess", "--db", str(ws.db), "--workers", "0", cwd=ws.root, env=EVERY)
    assert result.returncode == 0, result.stderr
    lines = re.findall(r"pages (\d+) of (\d+) \((\d+)%\)", result.stderr)
    assert lines, result.stderr
    assert {total for _, total, _ in lines} == {"4"}  # the 4 stored pages
    assert [int(done) for done, _, _ in lines] == sorted(int(done) for done, _, _ in lines)


def test_index_build_says_what_it_is_doing_and_only_when_it_builds(ws):
    ws.source("fixture", FEED_SOURCE)
    ws.crawl()
    first = run_cli("search", "series", "--db", str(ws.db), cwd=ws.root, env=EVERY)
    assert first.returncode == 0, first.stderr
    assert "building the full-text index of 4 articles" in first.stderr
    assert re.search(r"full-text index .*: done in \d+\.\ds", first.stderr)
    again = run_cli("search", "series", "--db", str(ws.db), cwd=ws.root, env=EVERY)
    assert "full-text index" not in again.stderr  # built once, not again
