"""Analyst query times on a synthetic corpus (default 100,000 articles).

The corpus is built once with ``CorpusStore.write_articles`` (rows from
``bench.load_speed``) into a temporary DuckDB file; its build time is reported
too. Then each query runs once to warm up and `runs` more times; we report the
median. SQL queries run on one open read-only connection; the full-text search
goes through ``corpus.search.search`` as ``fundnews search`` does (it opens the
file, loads the fts extension and queries), after a first call that builds the
index (reported as ``fts_index_build_s``).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from bench import median, rate, say, timed
from bench.load_speed import fresh_corpus, synthetic_row_chunks

SEARCH_TERMS = "warehouse automation"
SEARCH_REGEX = r"(?i)warehouse\s+automation"
LAST_QUARTER = "last quarter"  # parameters: the corpus' last 90 days, from date_range()
QUERIES: dict[str, tuple[str, list | str]] = {
    "articles_per_source_month": (
        "SELECT source_id, date_trunc('month', published_at) AS month, count(*) AS articles "
        "FROM articles GROUP BY ALL ORDER BY ALL",
        [],
    ),
    "text_ilike": (
        "SELECT article_id, published_at, title FROM articles "
        f"WHERE text ILIKE '%{SEARCH_TERMS}%' ORDER BY published_at DESC LIMIT 20",
        [],
    ),
    "text_regexp_matches": (
        "SELECT article_id, published_at, title FROM articles "
        f"WHERE regexp_matches(text, '{SEARCH_REGEX}') "
        "ORDER BY published_at DESC LIMIT 20",
        [],
    ),
    "text_regexp_series_round": (
        "SELECT count(*) FROM articles WHERE regexp_matches(text, 'Series [A-J]\\b')",
        [],
    ),
    "top_titles_date_range": (
        "SELECT published_at, source_id, title FROM articles "
        "WHERE published_at >= ? AND published_at < ? ORDER BY published_at DESC LIMIT 50",
        LAST_QUARTER,
    ),
}


def date_range(con, days: int = 90) -> list[datetime]:
    newest = con.execute("SELECT max(published_at) FROM articles").fetchone()[0]
    return [newest - timedelta(days=days), newest + timedelta(seconds=1)]


def build_corpus(path: Path, articles: int, batch: int = 10_000) -> dict:
    """A corpus of `articles` synthetic articles, written `batch` at a time."""
    from corpus.store import CorpusStore

    store = CorpusStore(fresh_corpus(path))
    writing = 0.0
    for rows in synthetic_row_chunks(articles, batch, seed=23):
        writing += timed(lambda rows=rows: store.write_articles(rows))[0]
    size_mb = sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / 2**20
    return {"articles": articles, "write_s": round(writing, 1),
            "write_rows_per_s": round(rate(articles, writing)), "file_mb": round(size_mb, 1)}


def time_sql(db: Path, runs: int) -> dict:
    from corpus.db import connection

    results = {}
    with connection(db, read_only=True) as con:
        for name, (query, params) in QUERIES.items():
            params = date_range(con) if params == LAST_QUARTER else params
            rows = con.execute(query, params).fetchall()  # warm-up
            times = [timed(lambda q=query, p=params: con.execute(q, p).fetchall())[0]
                     for _ in range(runs)]
            results[name] = {"ms": round(median(times) * 1000, 1), "rows": len(rows)}
            say(f"  {name:<28} {results[name]['ms']:8.1f} ms ({len(rows)} rows)")
    return results


def time_fts(db: Path, runs: int) -> dict:
    from corpus.search import search

    build, (_, rows) = timed(lambda: search(str(db), SEARCH_TERMS, 20))
    times = [timed(lambda: search(str(db), SEARCH_TERMS, 20))[0] for _ in range(runs)]
    say(f"  fts index build {build:.1f}s; fts_search {median(times) * 1000:.1f} ms ({len(rows)} rows)")
    return {"fts_index_build_s": round(build, 1),
            "fts_search": {"ms": round(median(times) * 1000, 1), "rows": len(rows)}}


def bench_query(workdir: Path, articles: int, runs: int) -> dict:
    db = workdir / f"query-{articles}.duckdb"
    say(f"  building a {articles}-article corpus with write_articles...")
    corpus = build_corpus(db, articles)
    say(f"  built in {corpus['write_s']}s of writes ({corpus['write_rows_per_s']} rows/s), "
        f"{corpus['file_mb']} MB")
    queries = time_sql(db, runs)
    fts = time_fts(db, runs)
    queries["fts_search"] = fts.pop("fts_search")
    return {"corpus": corpus, "runs": runs, "search_terms": SEARCH_TERMS, **fts,
            "queries": queries}
