"""Fast unit tests of the item pipelines and CorpusStore.write, on real DuckDB files and a
real Scrapy crawler object (no crawl, no server): what each step does to one item."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from contextlib import contextmanager
from datetime import datetime

import duckdb
import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from analysis.content_hash import content_hash
from analysis.relevance import classify
from analysis.neardup import signature, signature_to_bytes
from analysis.rounds import extract_rounds
from conftest import query
from corpus import warc
from corpus.batches import Batch, BatchWriter
from corpus.db import init_db
from corpus.store import CorpusStore
from crawler import settings as project_settings
from crawler.extensions import CrawlRecorder
from crawler.items import ArticleItem
from crawler.signals import page_fetched
from pipelines.analyse import AnalysePipeline
from pipelines.check import CheckPipeline
from pipelines.store import StorePipeline
from crawler.reprocess import ReprocessSpider
from crawler.rows import article_rows
from pipelines.url_dedupe import UrlDedupePipeline
from pipelines.validate import ValidatePipeline

NOW = datetime(2026, 5, 4, 12, 0)
TITLE = "Tessarine raises $62 million Series B"
TEXT = ("Tessarine, a Paris startup, has raised $62 million in a Series B round led by "
        "Bellhaven Partners, with participation from Kodama Ventures. " * 3)


FUNDNEWS_SETTINGS = {name: value for name, value in vars(project_settings).items()
                     if name.startswith("FUNDNEWS_")}


def _crawler(**settings):
    """A Scrapy crawler with fundnews's own settings (no crawl: its engine never starts)."""
    crawler = get_crawler(settings_dict={**FUNDNEWS_SETTINGS, "FUNDNEWS_MAX_HTML_CHARS": 1000,
                                         **settings})
    crawler.stats.open_spider()
    return crawler


def _item(url="https://news.example/a?utm_source=x", html="<p>hello</p>", source_id="wire",
          **kw) -> ArticleItem:
    return ArticleItem(url=url, source_id=source_id, discovered_via="feed", html=html,
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
    get = crawler.stats.get_value
    assert (get("fundnews/fields/wire/articles"), get("fundnews/fields/wire/title")) == (1, 1)
    pipeline.process_item(_item(text="body"))
    pipeline.process_item(_item(text="body", source_id="press"))
    assert get("fundnews/fields/press/articles") == 1
    assert (get("fundnews/fields/wire/articles"), get("fundnews/fields/wire/title"),
            get("fundnews/fields/wire/text"), get("fundnews/fields/wire/author")) == (2, 1, 2, None)
    assert (get("fundnews/relevance/is_funding"), get("fundnews/funding/mentions")) == (
        1, len(funding.rounds))
    assert get("fundnews/relevance/is_ai") == (1 if funding.relevance.is_ai else None)


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


# -- the write path: BatchWriter (corpus/batches.py) -------------------------------------------
COMPANIES = ("Tessarine", "Quillmark", "Orbanel", "Vexadyne", "Lumora", "Pashtek")


def _analysed(i: int, source: str = "wire") -> ArticleItem:
    """An item as the analyse pipeline leaves it, its raw page not archived yet: article i
    reports a round of its own company, in a text of its own."""
    url, company = f"https://news.example/{i}", COMPANIES[i % len(COMPANIES)]
    title = f"{company} raises ${10 + i} million Series A"
    text = (f"{company}, a startup, has raised ${10 + i} million in a Series A round led by "
            f"Bellhaven Partners. " + " ".join(f"{company.lower()}{k}" for k in range(80)) + ".")
    html = _page(title, text)
    item = _item(url=url, html=html, source_id=source, canonical_url=url, title=title, text=text,
                 fetch_log=[{"url_key": url, "status": 200, "fetched_at": NOW}])
    item.content_hash = content_hash(text)
    item.relevance = classify(title, text)
    item.rounds = extract_rounds(title, text, relevance=item.relevance)
    item.minhash = signature_to_bytes(signature(item.text))
    item.warc_gz = warc.record_bytes(url, NOW, html)
    return item


def _batch(*items: ArticleItem, crawl_id: int = 1) -> Batch:
    batch = Batch()
    for item in items:
        batch.add(*article_rows(item, crawl_id), item.minhash)
        batch.pages += [{**page, "crawl_id": crawl_id} for page in item.fetch_log]
    return batch


def test_the_batch_writer_archives_stores_and_places_in_stories(tmp_path):
    db = str(tmp_path / "c.duckdb")
    writer = BatchWriter(db)
    assert writer.open().error is None  # migrates a new file
    first = writer.write(_batch(_analysed(1), _analysed(2, "press")))
    assert first.error is None and first.written.counts == {"new": 2, "updated": 0, "unchanged": 0}
    assert first.written.by_source == {"wire": 1, "press": 1}
    copy = _analysed(1, "press")  # syndicated: the same text at another URL
    copy.canonical_url = copy.url = copy.fetch_log[0]["url_key"] = "https://press.example/1"
    again = writer.write(_batch(_analysed(1), copy))
    assert again.written.counts == {"new": 1, "updated": 0, "unchanged": 1}
    assert again.copies == {"exact": 1, "near": 0}
    assert writer.after_crawl() == 2  # Quillmark's round (two articles) and Orbanel's
    [raw] = query(db, "SELECT url, warc_file, warc_offset, warc_length FROM raw_pages "
                      "WHERE canonical_url = 'https://news.example/2'")
    page = warc.read_page(db, raw["warc_file"], raw["warc_offset"], raw["url"], raw["warc_length"])
    assert page == _analysed(2).html
    assert query(db, "SELECT count(*) AS n FROM pages")[0]["n"] == 3
    assert query(db, "SELECT count(DISTINCT story_id) AS n FROM articles")[0]["n"] == 2


def test_a_warc_record_is_one_gzip_member_with_true_digests_and_length():
    import hashlib
    import io
    from base64 import b32encode

    from isal import igzip
    from warcio.archiveiterator import ArchiveIterator

    html = _page(TITLE, TEXT + " Zürich, 5 000 €.")  # not all ASCII: lengths in bytes
    record_gz = warc.record_bytes("https://news.example/a", NOW, html)
    raw = igzip.decompress(record_gz)
    body = html.encode("utf-8")
    http_head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
    assert raw.endswith(http_head + body + b"\r\n\r\n")
    [record] = list(ArchiveIterator(io.BytesIO(record_gz), check_digests="raise"))
    headers = record.rec_headers
    assert headers.get_header("WARC-Date") == "2026-05-04T12:00:00Z"
    assert int(headers.get_header("Content-Length")) == len(http_head) + len(body)
    sha1 = "sha1:" + b32encode(hashlib.sha1(body).digest()).decode()
    assert headers.get_header("WARC-Payload-Digest") == sha1
    block = "sha1:" + b32encode(hashlib.sha1(http_head + body).digest()).decode()
    assert headers.get_header("WARC-Block-Digest") == block
    assert [name for name, _ in headers.headers] == [
        "WARC-Date", "WARC-Type", "WARC-Record-ID", "WARC-Target-URI", "WARC-Payload-Digest",
        "WARC-Block-Digest", "Content-Type", "Content-Length"]  # as warcio wrote them before


def test_a_failed_write_says_so_and_leaves_what_earlier_writes_committed(tmp_path):
    db = str(tmp_path / "c.duckdb")
    writer = BatchWriter(db)
    writer.open()
    assert writer.write(_batch(_analysed(1))).error is None
    broken = _analysed(3)
    broken.source_id = None  # articles.source_id is NOT NULL: DuckDB refuses the batch
    failed = writer.write(_batch(_analysed(2), broken))
    assert failed.written is None and "NOT NULL" in str(failed.error)
    assert [r["canonical_url"] for r in query(db, "SELECT canonical_url FROM articles")] == [
        "https://news.example/1"]
    assert query(db, "SELECT url_key FROM pages") == [{"url_key": "https://news.example/1"}]
    assert writer.write(_batch(_analysed(2))).written.counts["new"] == 1  # the corpus goes on


def test_a_failed_placing_keeps_the_committed_articles_and_the_next_crawl_places_them(tmp_path):
    db = str(tmp_path / "c.duckdb")
    writer = BatchWriter(db)
    writer.open()
    assert writer.write(_batch(_analysed(1))).error is None
    copy = _analysed(1, "press")  # syndicated, with a signature placing cannot read
    copy.canonical_url = copy.url = copy.fetch_log[0]["url_key"] = "https://press.example/1"
    copy.minhash = b"not a signature"
    failed = writer.write(_batch(copy))
    assert failed.error is not None and failed.written.counts["new"] == 1  # committed
    assert query(db, "SELECT count(*) AS n FROM articles WHERE story_id IS NULL")[0]["n"] == 1
    opened = BatchWriter(db).open()  # the next crawl: signatures from the stored texts
    assert opened.error is None and opened.copies == {"exact": 1, "near": 0}
    assert query(db, "SELECT count(DISTINCT story_id) AS n, count(*) AS articles FROM articles") == [
        {"n": 1, "articles": 2}]


def test_a_process_checks_the_schema_of_a_corpus_file_once(tmp_path):
    from corpus import db as corpus_db

    db = str(tmp_path / "c.duckdb")
    before = corpus_db.schema_checks
    init_db(db)  # what `fundnews crawl` does first; then the crawl's row, its known pages, the writer
    store = CorpusStore(db)
    store.start_crawl(NOW, ["wire"])
    store.known_pages()
    BatchWriter(db).open()
    assert corpus_db.schema_checks - before == 1
    init_db(tmp_path / "other.duckdb")  # another file is checked
    assert corpus_db.schema_checks - before == 2


def test_known_pages_reads_while_another_process_reads_the_corpus(tmp_path, monkeypatch):
    """A crawl starting while someone queries the corpus: reading the pages fetched before
    takes no write lock, which DuckDB refuses while another process has the file open."""
    db = str(tmp_path / "c.duckdb")
    init_db(db)
    page = {"url_key": "u1", "status": 200, "fetched_at": NOW, "etag": '"v1"'}
    CorpusStore(db).write(pages=[page])
    reader = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys; con = duckdb.connect(sys.argv[1], "
         "read_only=True); print('open', flush=True); sys.stdin.read()", db],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout.readline() == "open\n"
        monkeypatch.setenv("FUNDNEWS_LOCK_WAIT", "0")  # a write connection would fail at once
        assert CorpusStore(db).known_pages() == {"u1": (NOW, '"v1"', None)}
    finally:
        reader.communicate("")


def test_known_pages_of_no_corpus_yet_is_empty_and_creates_no_file(tmp_path):
    db = tmp_path / "c.duckdb"
    assert CorpusStore(db).known_pages() == {}
    assert list(tmp_path.iterdir()) == []  # the crawl's first write creates the corpus


def test_known_pages_of_a_corpus_of_an_older_schema_migrates_it(tmp_path):
    from corpus.db import migrations

    db = str(tmp_path / "c.duckdb")
    *older, (last, _, _) = migrations()
    with duckdb.connect(db) as con:  # as a fundnews without the last migration left it
        con.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR, "
                    "applied_at TIMESTAMP DEFAULT now())")
        for version, name, script in older:
            con.execute(script)
            con.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
                        [version, name])
        con.execute("INSERT INTO pages (url_key, status, fetched_at) VALUES ('u1', 200, ?)", [NOW])
    assert CorpusStore(db).known_pages() == {"u1": (NOW, None, None)}
    assert query(db, "SELECT max(version) AS v FROM schema_migrations") == [{"v": last}]


# -- the store pipeline ----------------------------------------------------------------------
def _store_crawler(db: str, crawl_id: int | None = None, **settings):
    crawler = _crawler(FUNDNEWS_DB=db, FUNDNEWS_FLUSH_SECONDS=0, **settings)
    crawler.spider = ReprocessSpider()
    crawler.spider.source_ids, crawler.spider.crawl_id = ("wire", "press"), crawl_id
    return crawler


def test_the_store_writes_the_first_page_at_once_then_the_rest_with_the_crawls_id(tmp_path):
    db = str(tmp_path / "c.duckdb")
    init_db(db)
    crawler = _store_crawler(db, crawl_id=7)
    store = StorePipeline(crawler)

    async def crawl() -> int:
        store.open_spider()
        await store.process_item(_analysed(0))
        await asyncio.wait([store.writing])  # a corpus that takes no writes shows at once
        first = query(db, "SELECT count(*) AS n FROM articles")[0]["n"]
        for i in range(1, 6):
            await store.process_item(_analysed(i, "press" if i % 2 else "wire"))
        await store.close_spider()
        return first

    assert asyncio.run(crawl()) == 1
    get = crawler.stats.get_value
    assert (get("fundnews/stored"), get("fundnews/pages/new"), get("fundnews/stored/wire"),
            get("fundnews/stored/press"), get("fundnews/errors/unwritten")) == (6, 6, 3, 3, None)
    assert get("fundnews/funding/rounds") == 6  # rebuilt after the crawl: a company each
    assert query(db, "SELECT DISTINCT crawl_id FROM articles") == [{"crawl_id": 7}]
    assert query(db, "SELECT DISTINCT crawl_id FROM pages") == [{"crawl_id": 7}]
    assert query(db, "SELECT count(*) AS n FROM raw_pages WHERE warc_file LIKE 'crawl-7-%'")[0]["n"] == 6


@contextmanager
def _locked(db: str):
    """Another process holding the corpus file (not a fundnews writer: nobody waits past the
    lock wait for it)."""
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys; con = duckdb.connect(sys.argv[1]); "
         "print('locked', flush=True); sys.stdin.read()", db],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        yield
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)


def test_a_refused_write_fails_the_crawl_and_source_runs_count_only_what_was_written(
        tmp_path, monkeypatch):
    monkeypatch.setenv("FUNDNEWS_LOCK_WAIT", "0.2")
    db = str(tmp_path / "c.duckdb")
    init_db(db)
    crawler = _store_crawler(db)
    recorder, store = CrawlRecorder(crawler), StorePipeline(crawler)

    async def crawl() -> None:
        store.open_spider()
        recorder.spider_opened(crawler.spider)
        await store.process_item(_analysed(0))
        await asyncio.wait([store.writing])  # stored
        with _locked(db):
            for i in range(1, 5):
                await store.process_item(_analysed(i))
            await store.close_spider()
        recorder.spider_closed(crawler.spider, "finished")

    asyncio.run(crawl())
    get = crawler.stats.get_value
    assert "lock" in get("fundnews/failure").lower()
    assert (get("fundnews/stored"), get("fundnews/errors/unwritten")) == (1, 4)
    [row] = query(db, "SELECT status, items_stored, failure FROM crawls")
    assert row["status"] == "failed" and row["items_stored"] == 1 and "lock" in row["failure"].lower()
    runs = query(db, "SELECT source_id, stored, status FROM source_runs ORDER BY source_id")
    assert runs == [{"source_id": "press", "stored": 0, "status": "failed"},
                    {"source_id": "wire", "stored": 1, "status": "failed"}]
    # what was not written is fetched again next crawl: its pages are not recorded as fetched
    assert query(db, "SELECT url_key FROM pages") == [{"url_key": "https://news.example/0"}]



@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="exec keeping ru_maxrss is Linux's")
def test_a_crawl_process_records_its_own_peak_memory_not_its_parents():
    # a 400 MB parent execs the process that reads its peak: Linux's ru_maxrss keeps the
    # parent's 400 MB across exec, VmHWM starts afresh
    script = ("import os, sys\nballast = bytearray(400 * 2**20)\n"
              "os.execv(sys.executable, [sys.executable, '-c', "
              "'from crawler.extensions import peak_rss; print(peak_rss())'])\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert 10 * 2**20 < int(done.stdout) < 200 * 2**20
