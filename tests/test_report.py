"""`fundnews report`: one HTML file, opened from disk in real headless Chromium.

Each chart must have drawn its marks, the browser must log no error, and the page must ask
for nothing but itself. Where Chromium is not installed (Debian's `chromium` package;
.ci/run installs it), the browser tests skip and say so.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import duckdb
import pytest
from chromium import chromium_path, visit
from conftest import query, run_cli

from corpus.db import init_db
from corpus.queries import sql
from corpus.report import write_report

needs_chromium = pytest.mark.skipif(
    chromium_path() is None,
    reason="no headless Chromium: `apt-get install chromium` (.ci/run does) or set $CHROMIUM",
)

# What the page says about itself, read in the browser after it loaded.
PAGE_CHECK = """(() => ({
  charts: [...document.querySelectorAll('figure.chart')].map(f => ({
    query: f.dataset.query,
    marks: f.querySelectorAll('svg .role-mark > *').length,
    width: f.querySelector('svg') ? f.querySelector('svg').getBoundingClientRect().width : 0})),
  tables: Object.fromEntries([...document.querySelectorAll('table[data-query]')].map(
    t => [t.dataset.query, [...t.querySelectorAll('tbody tr')].map(
      tr => [...tr.querySelectorAll('td')].map(td => td.innerText.trim()))])),
  links: [...document.querySelectorAll('table[data-query=report_biggest_rounds] a')]
    .map(a => a.href),
  empty: document.querySelector('#empty') && document.querySelector('#empty').innerText,
  demo: document.querySelector('#demo') && document.querySelector('#demo').innerText,
  scripts: document.scripts.length,
}))()"""


@pytest.fixture
def demo(demo_corpus):
    db, report, _ = demo_corpus
    return db, report


def test_demo_ends_with_the_path_of_its_report(demo):
    db, report = demo
    assert report.is_absolute() and report.exists() and report.parent == db.parent
    assert "<svg" in report.read_text(encoding="utf-8")


@needs_chromium
def test_report_draws_every_chart_offline(demo):
    db, report = demo
    page = visit(report, PAGE_CHECK)
    assert page.errors == []
    assert page.requests == [report.resolve().as_uri()]  # nothing but the file itself
    result = page.result
    assert result["scripts"] == 0
    queries = [c["query"] for c in result["charts"]]
    assert sorted(set(queries)) == [
        "report_crawl_history",
        "report_rounds_by_month",
        "report_rounds_by_type",
        "report_top_investors",
    ]
    for name in queries:
        assert sql(name)  # each chart names the query it came from
    for chart in result["charts"]:
        assert chart["marks"] > 0 and chart["width"] > 100, chart
    [by_type] = [c for c in result["charts"] if c["query"] == "report_rounds_by_type"]
    types = query(db, "SELECT DISTINCT round_type FROM funding_rounds")
    assert by_type["marks"] == len(types)  # one bar per round type
    assert "demo corpus" in result["demo"] and result["empty"] is None


@needs_chromium
def test_report_tables_hold_the_corpus(demo):
    db, report = demo
    tables = visit(report, PAGE_CHECK).result
    rows = tables["tables"]
    biggest = query(
        db,
        "SELECT company, round_id FROM funding_rounds WHERE amount_usd IS NOT NULL "
        "ORDER BY amount_usd DESC",
    )
    assert [r[0] for r in rows["report_biggest_rounds"]] == [r["company"] for r in biggest][:20]
    # the biggest round links to every article that reports it
    urls = {
        r["url"]
        for r in query(
            db,
            "SELECT a.url FROM round_articles JOIN articles AS a "
            "USING (article_id) WHERE round_id = ?",
            [biggest[0]["round_id"]],
        )
    }
    assert urls and urls <= set(tables["links"])
    funding = query(db, "SELECT title FROM articles WHERE is_funding ORDER BY published_at DESC")
    assert [r[2] for r in rows["report_newest_funding_articles"]] == [r["title"] for r in funding][
        :20
    ]
    health = {r[0]: r for r in rows["report_source_health"]}
    assert set(health) == {"northwind_newsroom", "sample_wire"}
    assert health["northwind_newsroom"][2] == "finished" and health["northwind_newsroom"][3] == "10"
    assert len(rows["report_crawl_history"]) == 1


@needs_chromium
def test_empty_corpus_says_so(tmp_path):
    db = tmp_path / "empty.duckdb"
    init_db(db)
    result = run_cli("report", "--db", str(db), "--out", str(tmp_path / "r.html"))
    assert result.returncode == 0, result.stderr
    assert "empty corpus" in result.stdout
    page = visit(tmp_path / "r.html", PAGE_CHECK)
    assert page.errors == [] and page.requests == [(tmp_path / "r.html").as_uri()]
    assert "This corpus is empty" in page.result["empty"]
    assert page.result["charts"] == [] and page.result["tables"] == {}
    assert page.result["demo"] is None


@needs_chromium
def test_the_browser_check_sees_requests_and_errors(tmp_path):
    """The harness the tests above trust: a page that fetches and fails is caught."""
    page = tmp_path / "leaky.html"
    page.write_text(
        "<!DOCTYPE html><img src='http://fundnews.invalid/pixel.png'>"
        "<script>console.error('drawn badly')</script>",
        encoding="utf-8",
    )
    seen = visit(page, "document.images.length")
    assert "http://fundnews.invalid/pixel.png" in seen.requests
    assert any("drawn badly" in e for e in seen.errors)


def test_days_keeps_only_the_window(demo, tmp_path):
    db, _ = demo
    today = date(2026, 12, 1)
    out = tmp_path / "r.html"
    write_report(str(db), out, days=60, today=today)
    since = today - timedelta(days=59)
    html = out.read_text(encoding="utf-8")
    biggest = html.split('data-query="report_biggest_rounds"')[1].split("</table>")[0]
    shown = re.findall(r"<tr><td>([^<]+)</td>", biggest)
    inside = query(
        db,
        "SELECT company FROM funding_rounds WHERE amount_usd IS NOT NULL "
        "AND announced_on >= ? ORDER BY amount_usd DESC",
        [since],
    )
    assert shown == [r["company"] for r in inside] and 0 < len(shown) < 12
    assert f"since {since}" in html


def test_report_refuses_a_bad_output(demo, tmp_path):
    db, _ = demo
    for out, fragment in (
        (str(db), "part of the corpus"),
        ("/nonexistent-dir/r.html", "does not exist"),
    ):
        result = run_cli("report", "--db", str(db), "--out", out)
        assert result.returncode == 2 and "Traceback" not in result.stderr
        assert result.stderr.startswith("fundnews: error:") and fragment in result.stderr


@needs_chromium
def test_hostile_titles_and_urls_stay_text(demo, tmp_path):
    """A crawled page's title or URL cannot put markup or script into the report."""
    db, _ = demo
    copy = tmp_path / "hostile.duckdb"
    copy.write_bytes(db.read_bytes())
    wal = db.with_name(db.name + ".wal")
    if wal.exists():
        copy.with_name(copy.name + ".wal").write_bytes(wal.read_bytes())
    title = "<script>console.error('pwned')</script><img src=x onerror=alert(1)>"
    with duckdb.connect(str(copy)) as con:
        con.execute("UPDATE articles SET title = ? WHERE is_funding", [title])
        con.execute("UPDATE articles SET url = 'javascript:alert(1)' WHERE article_id = "
                    "(SELECT min(article_id) FROM articles WHERE is_funding)")
    out = tmp_path / "r.html"
    write_report(str(copy), out)
    page = visit(out, PAGE_CHECK + " && [document.scripts.length, document.images.length, "
                 "[...document.links].filter(a => !a.href.startsWith('http')).length]")
    assert page.errors == [] and page.requests == [out.as_uri()]
    assert page.result == [0, 0, 0]
    shown = visit(out, "document.body.innerText").result
    assert title in shown
