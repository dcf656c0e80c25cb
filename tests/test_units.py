"""Fast unit tests of the item pipelines and CorpusStore.write, on real DuckDB files and a
real Scrapy crawler object (no crawl, no server): what each step does to one item."""

from __future__ import annotations

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
from pipelines.check import CheckPipeline
from pipelines.store import article_rows
from pipelines.url_dedupe import UrlDedupePipeline
from pipelines.validate import ValidatePipeline

NOW = datetime(2026, 5, 4, 12, 0)
TITLE = "Tessarine raises $62 million Series B"
TEXT = ("Tessarine, a Paris startup, has raised $62 million in a Series B round led by "
        "Bellhaven Partners, with participation from Kodama Ventures. " * 3)


def _crawler():
    crawler = get_crawler(settings_dict={"FUNDNEWS_MAX_HTML_CHARS": 1000})
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


def test_check_counts_field_coverage_per_source():
    crawler = _crawler()
    pipeline = CheckPipeline(crawler)
    pipeline.process_item(_item(title="T", text="body"))
    pipeline.process_item(_item(text="body"))
    get = crawler.stats.get_value
    assert (get("fundnews/fields/wire/articles"), get("fundnews/fields/wire/title"),
            get("fundnews/fields/wire/text"), get("fundnews/fields/wire/author")) == (2, 1, 2, None)


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

    from pipelines.analyse import Page, analyse_page

    html = (f"<html><head><title>{TITLE}</title></head><body><article><h1>{TITLE}</h1>"
            f"<p>{TEXT}</p></article></body></html>")
    result = analyse_page(Page(html, "https://news.example/a", NOW), min_chars=100)
    assert result.title == TITLE and result.relevance.is_funding
    assert [(r.company, r.amount) for r in result.rounds] == [("Tessarine", 62e6)]
    assert result.content_hash == content_hash(result.text) and result.minhash
    assert result.warc_record.startswith(b"\x1f\x8b")  # a gzip member, ready to append
    assert pickle.loads(pickle.dumps(result)) == result  # it crosses the process pool
    assert analyse_page(Page("<p>too short</p>", "https://news.example/b", NOW), 100) is None
