"""Corpus load speed: ``CorpusStore.write_articles`` in batches against one INSERT per row.

Rows look like what a crawl stores: 400-900 word texts (paragraphs drawn from the
site generator, so every text differs), titles, authors, dates over several
years, some forty sources, a sha1 content hash. Each measurement starts from a
fresh corpus file with the schema applied.

* ``write_articles`` of ``rows`` rows in batches of 500 (the crawler's
  ``FUNDNEWS_BATCH_SIZE``) and of 5,000;
* the baseline: ``executemany`` of a one-row ``INSERT ... VALUES (?, ...)`` on a
  smaller sample, in one connection, the way a naive script writes rows.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

from bench import median, rate, ratio, say, timed
from bench import sitegen

SOURCES = [f"source_{i:02d}" for i in range(40)]
ENTRY_TYPES = ["feed", "sitemap", "news_sitemap", "listing"]


# -- realistic rows -----------------------------------------------------------------------


def paragraph_pool(size: int = 4000, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    pool: list[str] = []
    while len(pool) < size:
        pool.extend(sitegen.body_text(rng, 900).split("\n"))
    return pool


def synthetic_row_chunks(count: int, chunk: int, seed: int = 11) -> Iterator[list[dict]]:
    """`count` article rows (ARTICLE_COLUMNS keys, every text different), `chunk` at a time."""
    rng = random.Random(seed)
    pool = paragraph_pool()
    metas = sitegen.page_metas(count, seed)
    for start in range(0, count, chunk):
        yield [_row(meta, rng, pool) for meta in metas[start:start + chunk]]


def synthetic_rows(count: int, seed: int = 11) -> list[dict]:
    return [row for rows in synthetic_row_chunks(count, count or 1, seed) for row in rows]


def _row(meta: sitegen.PageMeta, rng: random.Random, pool: list[str]) -> dict:
    source = rng.choice(SOURCES)
    words, paragraphs = rng.randint(400, 900), []
    while words > 0:
        paragraphs.append(rng.choice(pool))
        words -= len(paragraphs[-1].split())
    text = "\n".join(paragraphs)
    url = f"https://{source.replace('_', '')}.example.com/{meta.path}"
    return {
        "canonical_url": url, "url": url, "requested_url": url, "source_id": source,
        "discovered_via": rng.choice(ENTRY_TYPES), "title": meta.title,
        "author": meta.author, "published_at": meta.published, "language": "en",
        "site_name": sitegen.SITE_NAME, "description": paragraphs[0][:200], "text": text,
        "content_hash": hashlib.sha1(text.encode()).hexdigest(), "duplicate_of": None,
        "http_status": 200, "etag": f'"{meta.index:08x}"',
        "last_modified": meta.published.strftime("%a, %d %b %Y %H:%M:%S GMT"),
        "fetched_at": meta.published + timedelta(minutes=rng.randint(1, 600)),
        "crawl_id": 1 + meta.index // 1000,
        # where the store pipeline archived the raw page (corpus/warc.py)
        "content_type": "text/html", "warc_file": f"crawl-{1 + meta.index // 1000}.warc.gz",
        "warc_offset": (meta.index % 1000) * 24_000, "warc_length": 24_000,
        # the relevance pipeline's labels
        "is_ai": rng.random() < 0.7, "ai_score": round(rng.random(), 3),
        "is_funding": rng.random() < 0.5, "funding_score": round(rng.random(), 3),
        "funding_unconfirmed": False, "relevance_reasons": ["bench"],
    }


# -- the writers ----------------------------------------------------------------------------


def fresh_corpus(path: Path) -> str:
    from corpus.store import CorpusStore

    for suffix in ("", ".wal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    CorpusStore(path).migrate()
    return str(path)


def load_batched(path: Path, rows: list[dict], batch: int) -> list[float]:
    """write_articles batch after batch into a fresh corpus; seconds of each batch."""
    from corpus.store import CorpusStore

    store = CorpusStore(fresh_corpus(path))
    return [timed(lambda i=i: store.write_articles(rows[i:i + batch]))[0]
            for i in range(0, len(rows), batch)]


def load_row_by_row(path: Path, rows: list[dict]) -> float:
    """The naive way: executemany of a one-row INSERT, one connection. Seconds."""
    from corpus.db import connection
    from corpus.store import ARTICLE_COLUMNS

    db = fresh_corpus(path)
    with connection(db) as con:
        table = {name for (name,) in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'articles'"
        ).fetchall()}
    names = [n for n in ARTICLE_COLUMNS.names if n in table and n != "duplicate_of"]
    insert = f"INSERT INTO articles ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    values = [[row.get(n) for n in names] for row in rows]

    def write() -> None:
        with connection(db) as con:
            con.executemany(insert, values)

    return timed(write)[0]


def count_rows(path: Path) -> int:
    from corpus.db import connection

    with connection(path, read_only=True) as con:
        return con.execute("SELECT count(*) FROM articles").fetchone()[0]


def connection_cost(path: Path, runs: int = 20) -> float:
    """Seconds to open and close a write connection on this corpus (paid per batch)."""
    from corpus.db import connection

    def open_close() -> None:
        with connection(path) as con:
            con.execute("SELECT 1")

    return median([timed(open_close)[0] for _ in range(runs)])


# -- the benchmark ------------------------------------------------------------------------


def bench_load(workdir: Path, rows_count: int, baseline_rows: int, runs: int,
               batches: tuple[int, ...] = (500, 5000)) -> dict:
    say(f"  generating {rows_count} rows...")
    rows = synthetic_rows(rows_count)
    text_mb = sum(len(r["text"]) for r in rows) / 2**20
    result: dict = {"rows": rows_count, "text_mb": round(text_mb, 1), "runs": runs, "batched": {}}
    for batch in batches:
        totals, first, last = [], [], []
        for run in range(1, runs + 1):
            db = workdir / f"load-{batch}.duckdb"
            seconds = load_batched(db, rows, batch)
            if count_rows(db) != rows_count:
                raise RuntimeError(f"write_articles stored {count_rows(db)} of {rows_count} rows")
            totals.append(sum(seconds))
            tenth = max(1, len(seconds) // 10)
            first.append(median(seconds[:tenth]))
            last.append(median(seconds[-tenth:]))
            say(f"  run {run}/{runs} write_articles batch {batch:>5}: "
                f"{rate(rows_count, totals[-1]):8.0f} rows/s")
        result["batched"][str(batch)] = {
            "rows_per_s": round(rate(rows_count, median(totals)), 0),
            "seconds": round(median(totals), 2),
            "batch_ms_first_tenth": round(median(first) * 1000, 1),
            "batch_ms_last_tenth": round(median(last) * 1000, 1),
        }
        result["batched"][str(batch)]["open_close_ms"] = round(
            connection_cost(workdir / f"load-{batch}.duckdb") * 1000, 1)
    sample = rows[:baseline_rows]
    base = []
    for run in range(1, runs + 1):
        base.append(load_row_by_row(workdir / "load-rowwise.duckdb", sample))
        say(f"  run {run}/{runs} executemany one-row INSERT ({baseline_rows} rows): "
            f"{rate(baseline_rows, base[-1]):8.0f} rows/s")
    result["row_by_row"] = {"rows": baseline_rows,
                            "rows_per_s": round(rate(baseline_rows, median(base)), 0),
                            "seconds": round(median(base), 2)}
    for batch, numbers in result["batched"].items():
        numbers["ratio_vs_row_by_row"] = round(
            ratio(numbers["rows_per_s"], result["row_by_row"]["rows_per_s"]), 1)
    return result
