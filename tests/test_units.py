"""Fast unit tests of the item pipelines and CorpusStore.write, on real DuckDB files and a
real Scrapy crawler object (no crawl, no server): what each step does to one item."""

from __future__ import annotations

import asyncio
import os
import time
from datetime import datetime

import duckdb
import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from analysis.content_hash import content_hash
from analysis.relevance import classify
from analysis.rounds import extract_rounds
from corpus.db import init_db
from corpus.store import CorpusStore
from crawler.items import ArticleItem
from crawler.pool import WorkerPool
from crawler.signals import page_fetched
from pipelines.analyse import AnalysePipeline
from pipelines.check import CheckPipeline
from crawler.rows import article_rows
from pipelines.url_dedupe import UrlDedupePipeline
from pipelines.validate import ValidatePipeline

NOW = datetime(2026, 5, 4, 12, 0)
TITLE = "Tessarine raises $62 million Series B"
TEXT = ("Tessarine, a Paris startup, has raised $62 million in a Series B round led by "
        "Bellhaven Partners, with participation from Kodama Ventures. " * 3)


def _crawler(**settings):
    crawler = get_crawler(settings_dict={"FUNDNEWS_MAX_HTML_CHARS": 1000, **settings})
    crawler.stats.open_spider()
    return crawler


def _item(url="https://news.example/a?utm_source=x", html="<p>hello</p>", **kw) -> ArticleItem:
    return ArticleItem(url=url, source_id="wire", discovered_via="feed", html=html,
                       http_status=200, fetched_at=NOW, **kw)


def _row(url: str, text: str, source: str = "wire") -> dict:
    return {"canonical_url": url, "url": url, "source_id": source, "discovered_via": "feed",
            "title": TITLE, "text": text, "content_hash": content_hash(text), "http_status": 200,
            "fetched_at": NOW, "warc_file": "crawl-1.warc.gz", "warc_offset": 0, "warc_length": 1}


# -- pipelines ----------------------------------------------------------------------------
@pytest.mark.parametrize(("html", "reason"), [
    ("", "empty_page"), ("x" * 1001, "page_too_large"), ("\x00\x01\x02" * 50, "binary_content")])
def test_validate_skips_and_counts_what_cannot_be_an_article(html, reason):
    crawler = _crawler()
    with pytest.raises(DropItem, match=reason):
        ValidatePipeline(crawler).process_item(_item(html=html))
    assert crawler.stats.get_value(f"fundnews/skipped/{reason}") == 1


def test_validate_passes_a_page():
    item = _item()
    assert ValidatePipeline(_crawler()).process_item(item) is item


def test_url_dedupe_gives_one_canonical_url_and_skips_the_second_arrival():
    crawler = _crawler()
    pipeline = UrlDedupePipeline(crawler)
    first = pipeline.process_item(_item())
    assert first.canonical_url == "https://news.example/a"
    with pytest.raises(DropItem, match="duplicate_url"):
        pipeline.process_item(_item(url="https://news.example/a?utm_medium=email"))
    assert crawler.stats.get_value("fundnews/skipped/duplicate_url") == 1


def _page(title: str = TITLE, text: str = TEXT) -> str:
    return (f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"<p>{text}</p></article></body></html>")


def test_analyse_copies_the_pages_analysis_onto_the_item_inline():
    crawler = _crawler(FUNDNEWS_EXTRACT_WORKERS=0, FUNDNEWS_MIN_TEXT_CHARS=100)
    pipeline = AnalysePipeline(crawler)
    pipeline.open_spider()
    item = asyncio.run(pipeline.process_item(_item(url="https://news.example/a", html=_page())))
    pipeline.close_spider()
    assert item.title == TITLE and item.content_hash == content_hash(item.text)
    assert item.relevance.is_funding and [(r.company, r.amount) for r in item.rounds] == [
        ("Tessarine", 62e6)]
    assert item.minhash and item.warc_gz.startswith(b"\x1f\x8b")  # archived at the write


def test_analyse_skips_a_page_with_too_little_text_and_records_its_fetch():
    crawler = _crawler(FUNDNEWS_EXTRACT_WORKERS=0, FUNDNEWS_MIN_TEXT_CHARS=100)
    fetched = []
    crawler.signals.connect(lambda page: fetched.append(page), signal=page_fetched, weak=False)
    pipeline = AnalysePipeline(crawler)
    pipeline.open_spider()
    log = [{"url_key": "news.example/b", "status": 200, "fetched_at": NOW}]
    with pytest.raises(DropItem, match="too_little_text"):
        asyncio.run(pipeline.process_item(_item(html="<p>too short</p>", fetch_log=log)))
    assert crawler.stats.get_value("fundnews/skipped/too_little_text") == 1
    assert fetched == log  # its processing is over: the next crawl need not fetch it


def test_check_counts_field_coverage_per_source_labels_and_rounds():
    crawler = _crawler()
    pipeline = CheckPipeline(crawler)
    funding = _item(title=TITLE, text=TEXT)
    funding.relevance = classify(TITLE, TEXT)
    funding.rounds = extract_rounds(TITLE, TEXT, relevance=funding.relevance)
    pipeline.process_item(funding)
    pipeline.process_item(_item(text="body"))
    get = crawler.stats.get_value
    assert (get("fundnews/fields/wire/articles"), get("fundnews/fields/wire/title"),
            get("fundnews/fields/wire/text"), get("fundnews/fields/wire/author")) == (2, 1, 2, None)
    assert (get("fundnews/relevance/is_funding"), get("fundnews/funding/mentions")) == (
        1, len(funding.rounds))
    assert get("fundnews/relevance/is_ai") == (1 if funding.relevance.is_ai else None)


# -- the worker pool -----------------------------------------------------------------------
def test_the_pool_answers_from_worker_processes_and_a_late_answer_harms_nothing():
    pool = WorkerPool(1, timeout=0.5)
    try:
        worker = pool.pool.apply(os.getpid)  # started: the timeouts below are the tasks' own
        assert asyncio.run(pool.run(os.getpid)) == worker != os.getpid()
        with pytest.raises(TimeoutError):
            asyncio.run(pool.run(time.sleep, 1.0))  # answers after its loop is closed
        time.sleep(1.5)
        assert asyncio.run(pool.run(abs, -3)) == 3  # the pool still answers
    finally:
        pool.close()
    assert not _alive(worker)


def test_closing_the_pool_stops_a_worker_stuck_on_a_task():
    pool = WorkerPool(1, timeout=0.2)
    worker = pool.pool.apply(os.getpid)
    with pytest.raises(TimeoutError):
        asyncio.run(pool.run(time.sleep, 600))
    pool.close(grace=0.5)  # without the stop, this would wait for the sleep
    assert not _alive(worker)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_article_rows_carry_the_labels_and_every_round_with_its_evidence():
    item = _item(canonical_url="https://news.example/a", title=TITLE, text=TEXT)
    item.relevance = classify(TITLE, TEXT)
    item.rounds = extract_rounds(TITLE, TEXT, relevance=item.relevance)
    row, mentions, evidence = article_rows(item, crawl_id=7)
    assert (row["crawl_id"], row["is_funding"], row["text"]) == (7, True, TEXT)
    assert [(m["idx"], m["company"], m["amount"], m["lead_investors"]) for m in mentions] == [
        (0, "Tessarine", 62e6, ["Bellhaven Partners"])]
    assert {e["field"] for e in evidence} >= {"company", "amount", "lead_investors"}
    assert all(TEXT[e["start_char"]:e["end_char"]] in e["sentence"] for e in evidence
               if e["location"] == "text")


# -- CorpusStore.write ----------------------------------------------------------------------
def test_write_counts_new_updated_and_unchanged_and_keeps_old_texts(tmp_path):
    db = str(tmp_path / "c.duckdb")
    init_db(db)
    store = CorpusStore(db)
    first = store.write(articles=[_row("u1", "one"), _row("u2", "two", "press")])
    assert (first.counts, first.by_source) == ({"new": 2, "updated": 0, "unchanged": 0},
                                               {"wire": 1, "press": 1})
    again = store.write(articles=[_row("u1", "one"), _row("u2", "two, corrected", "press"),
                                  _row("u2", "a later copy in the same batch", "press")])
    assert again.counts == {"new": 0, "updated": 1, "unchanged": 1}
    con = duckdb.connect(db, read_only=True)
    try:
        assert con.execute("SELECT canonical_url, text FROM articles ORDER BY 1").fetchall() == [
            ("u1", "one"), ("u2", "two, corrected")]
        assert con.execute("SELECT text FROM article_versions").fetchall() == [("two",)]
    finally:
        con.close()


def test_write_replaces_an_articles_rounds_and_upserts_pages(tmp_path):
    db = str(tmp_path / "c.duckdb")
    init_db(db)
    store = CorpusStore(db)
    mention = {"canonical_url": "u1", "idx": 0, "company": "Acme", "round_type": "seed"}
    page = {"url_key": "u1", "status": 200, "fetched_at": NOW}
    store.write(articles=[_row("u1", "one")], mentions=[mention, {**mention, "idx": 1}],
                pages=[page])
    store.write(articles=[_row("u1", "one")], mentions=[{**mention, "company": "Acme AI"}],
                pages=[{**page, "status": 304}])
    con = duckdb.connect(db, read_only=True)
    try:
        assert con.execute("SELECT idx, company FROM round_mentions").fetchall() == [(0, "Acme AI")]
        assert con.execute("SELECT status FROM pages").fetchall() == [(304,)]
    finally:
        con.close()


def test_analyse_page_does_a_pages_cpu_work_once_and_returns_plain_data():
    import pickle

    from crawler.page_analysis import Page, analyse_page

    result = analyse_page(Page(_page(), "https://news.example/a", NOW), min_chars=100)
    assert result.title == TITLE and result.relevance.is_funding
    assert [(r.company, r.amount) for r in result.rounds] == [("Tessarine", 62e6)]
    assert result.content_hash == content_hash(result.text) and result.minhash
    assert result.warc_record.startswith(b"\x1f\x8b")  # a gzip member, ready to append
    assert pickle.loads(pickle.dumps(result)) == result  # it crosses the process pool
    assert analyse_page(Page("<p>too short</p>", "https://news.example/b", NOW), 100) is None
