"""Analyst query times on a synthetic corpus (default 100,000 articles).

The corpus is built once with ``CorpusStore.write_articles`` (rows from
``bench.load_speed``) into a temporary DuckDB file; its build time is reported
too. Then each query runs once to warm up and `runs` more times; we report the
median. SQL queries run on one open read-only connection; the full-text search
goes through ``corpus.search.search`` as ``fundnews search`` does (it opens the
file, loads the fts extension and queries), after a first call that builds the
index (reported as ``fts_index_build_s``).

Text search is timed for two terms: a common topic ("warehouse automation", in
about 40% of the articles) and a company name (in a few percent), each with
``ILIKE``, ``regexp_matches`` and the fts index.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

from bench import median, rate, say, timed
from bench import sitegen
from bench.load_speed import fresh_corpus, paragraph_pool, synthetic_row_chunks

COMMON_TERM = "warehouse automation"
LAST_QUARTER = "last quarter"  # parameters: the corpus' last 90 days, from date_range()
REPORTS: dict[str, tuple[str, list | str]] = {
    "articles_per_source_month": (
        "SELECT source_id, date_trunc('month', published_at) AS month, count(*) AS articles "
        "FROM articles GROUP BY ALL ORDER BY ALL",
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


def rare_term() -> str:
    """A company name from the paragraphs the corpus is made of (fixed seed)."""
    suffixes = "|".join(sitegen.COMPANY_SUFFIXES)
    pattern = re.compile(rf"\b([A-Z][a-z]+ (?:{suffixes}))\b")
    return next(m.group(1) for p in paragraph_pool() for m in [pattern.search(p)] if m)


def text_searches(kind: str, term: str) -> dict[str, tuple[str, list]]:
    """ILIKE and regexp_matches for a term: the newest 20 articles that contain it."""
    newest = "ORDER BY published_at DESC LIMIT 20"
    regex = "(?i)" + r"\s+".join(re.escape(word) for word in term.split())
    return {
        f"text_ilike_{kind}": (
            f"SELECT article_id, published_at, title FROM articles WHERE text ILIKE ? {newest}",
            [f"%{term}%"],
        ),
        f"text_regexp_{kind}": (
            f"SELECT article_id, published_at, title FROM articles "
            f"WHERE regexp_matches(text, ?) {newest}",
            [regex],
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


def time_sql(db: Path, queries: dict[str, tuple[str, list | str]], runs: int) -> dict:
    from corpus.db import connection

    results = {}
    with connection(db, read_only=True) as con:
        for name, (query, params) in queries.items():
            params = date_range(con) if params == LAST_QUARTER else params
            rows = con.execute(query, params).fetchall()  # warm-up
            times = [timed(lambda q=query, p=params: con.execute(q, p).fetchall())[0]
                     for _ in range(runs)]
            results[name] = {"ms": round(median(times) * 1000, 1), "rows": len(rows)}
            say(f"  {name:<28} {results[name]['ms']:8.1f} ms ({len(rows)} rows)")
    return results


def matching_articles(db: Path, term: str) -> int:
    from corpus.db import connection

    with connection(db, read_only=True) as con:
        query = "SELECT count(*) FROM articles WHERE contains(text, ?)"
        return con.execute(query, [term]).fetchone()[0]


def time_fts(db: Path, terms: dict[str, str], runs: int) -> dict:
    """fts_index_build_s (the first search), then fts_search_<kind> for each term."""
    from corpus.search import search

    build, _ = timed(lambda: search(str(db), COMMON_TERM, 20))
    say(f"  fts index build {build:.1f}s")
    results: dict = {"fts_index_build_s": round(build, 1)}
    for kind, term in terms.items():
        _, rows = search(str(db), term, 20)
        times = [timed(lambda t=term: search(str(db), t, 20))[0] for _ in range(runs)]
        results[f"fts_search_{kind}"] = {"ms": round(median(times) * 1000, 1), "rows": len(rows)}
        say(f"  fts_search_{kind:<17} {median(times) * 1000:8.1f} ms ({len(rows)} rows)")
    return results


def bench_query(workdir: Path, articles: int, runs: int) -> dict:
    db = workdir / f"query-{articles}.duckdb"
    say(f"  building a {articles}-article corpus with write_articles...")
    corpus = build_corpus(db, articles)
    say(f"  built in {corpus['write_s']}s of writes ({corpus['write_rows_per_s']} rows/s), "
        f"{corpus['file_mb']} MB")
    terms = {"common": COMMON_TERM, "rare": rare_term()}
    share = {kind: round(matching_articles(db, term) / articles, 3) for kind, term in terms.items()}
    queries = {**REPORTS, **text_searches("common", terms["common"]),
               **text_searches("rare", terms["rare"])}
    timings = time_sql(db, queries, runs)
    fts = time_fts(db, terms, runs)
    build = fts.pop("fts_index_build_s")
    return {"corpus": corpus, "runs": runs, "search_terms": terms, "share_of_articles": share,
            "fts_index_build_s": build, "queries": {**timings, **fts}}
