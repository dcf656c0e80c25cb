"""A source that cannot be reached: one line naming it, its URL and why; the exit status
says whether anything could be crawled at all."""

from __future__ import annotations

import socket

import pytest
from conftest import FEED_SOURCE, POLITE_LOCAL, Workspace, run_cli


def closed_port() -> int:
    with socket.socket() as s:  # bound, then closed: nothing listens there
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def unreachable(ws: Workspace, source_id: str, url: str) -> None:
    ws.source(
        source_id,
        f"""
    name = "{source_id}"
    homepage = "{url}"
    [[entries]]
    type = "feed"
    url = "{url}feed.xml"
    """
        + POLITE_LOCAL,
    )


@pytest.fixture
def dead_sources(ws):
    """One source whose port refuses connections, one that speaks TLS to a plain HTTP server."""
    refused = f"http://127.0.0.1:{closed_port()}/"
    tls = ws.site.base_url.replace("http://", "https://")
    unreachable(ws, "refused", refused)
    unreachable(ws, "tls", tls)
    return {
        "refused": (refused + "feed.xml", "connection refused"),
        "tls": (tls + "feed.xml", "TLS error: "),
    }


def test_unreachable_sources_are_one_line_each_and_the_crawl_fails(ws, dead_sources):
    result = ws.crawl(expect_ok=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if " ERROR: " in line]
    assert len(errors) == len(dead_sources), result.stderr
    for source_id, (url, why) in dead_sources.items():
        [line] = [e for e in errors if f"] ERROR: {source_id}: " in e]
        assert url in line and why in line
    assert "no selected source could be crawled" in result.stderr.splitlines()[-1]


def test_partial_failure_exits_0_and_stats_say_what_failed(ws, dead_sources):
    ws.source("fixture", FEED_SOURCE)
    result = ws.crawl(expect_ok=False)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    stats = run_cli("stats", "--db", str(ws.db), cwd=ws.root).stdout
    rows = {line.split()[0]: line for line in stats.split("\n\n")[0].splitlines()[3:-1]}
    assert set(rows) == {"fixture", "refused", "tls"}
    assert "feed_fetch: " in rows["refused"] and "feed_fetch: " in rows["tls"]
    assert "feed_fetch" not in rows["fixture"]
    last = {
        r["source_id"]: r["last_error"]
        for r in ws.rows("SELECT source_id, last_error FROM source_runs")
    }
    for source_id, (url, why) in dead_sources.items():
        assert last[source_id].startswith(f"feed_fetch: {url}: {why}")
    assert last["fixture"] is None
