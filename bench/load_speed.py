"""Corpus load speed: ``CorpusStore.write_articles`` in batches, against the fast path.

Rows look like what a crawl stores: 400-900 word texts (paragraphs drawn from the
site generator, so every text differs), titles, authors, dates over several
years, some forty sources, a sha1 content hash.

Half of ``--load-rows`` fills a corpus first (untimed, then checkpointed, as a
finished crawl leaves it); the other half (at least one batch of each size) is
timed, so every batch lands in a corpus that already holds articles. For batches
of 500 (the crawler's ``FUNDNEWS_BATCH_SIZE``) and of 5,000, within each run,
batch after batch in turn on two copies of that corpus:

* ``write_articles``: the store's whole write (new rows here);
* the fast-path reference: the same rows as one Arrow table and a plain
  ``INSERT INTO articles SELECT ... FROM batch``, in a write connection opened and
  closed per batch just the same. Both start from the same dicts, so both pay
  for the dict -> Arrow conversion;

and ``write_articles / plain INSERT`` is the ratio of their rates (1.0: the
store costs nothing over the bare insert). Baseline: ``executemany`` of a
one-row ``INSERT ... VALUES (?, ...)`` on a smaller sample into a fresh corpus,
in one connection, the way a naive script writes rows.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

from bench import median, rate, ratio, say, timed
from bench import sitegen

SOURCES = [f"source_{i:02d}" for i in range(40)]
PLAIN_INSERT = ("INSERT INTO articles BY NAME SELECT nextval('article_id_seq') AS article_id, * EXCLUDE "
                "(content_type, warc_file, warc_offset, warc_length) FROM batch")

ENTRY_TYPES = ["feed", "sitemap", "news_sitemap", "listing"]


# -- realistic rows -----------------------------------------------------------------------


def paragraph_pool(size: int = 4000, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    pool: list[str] = []
    while len(pool) < size:
        pool.extend(sitegen.body_text(rng, 900).split("\n"))
    return pool


def synthetic_row_chunks(count: int, chunk: int, seed: int = 11) -> Iterator[list[dict]]:
    """`count` article rows (BATCH_COLUMNS keys, every text different), `chunk` at a time."""
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


def prefilled_corpus(path: Path, rows: list[dict], chunk: int = 5000) -> str:
    """A corpus holding `rows` (written `chunk` at a time, untimed), checkpointed."""
    from corpus.db import connection
    from corpus.store import CorpusStore

    store = CorpusStore(fresh_corpus(path))
    for i in range(0, len(rows), chunk):
        store.write_articles(rows[i:i + chunk])
    with connection(path) as con:
        con.execute("CHECKPOINT")
    return str(path)


def copy_corpus(source: Path, target: Path) -> str:
    """A copy of a checkpointed corpus, on disk (so no batch pays for flushing the copy)."""
    remove_corpus(target)
    shutil.copyfile(source, target)
    with open(target, "rb") as f:
        os.fsync(f.fileno())
    return str(target)


def remove_corpus(path: Path) -> None:
    for suffix in ("", ".wal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def plain_insert(db: str, rows: list[dict]) -> None:
    """The fast-path reference: one Arrow table, one INSERT ... SELECT, one connection."""
    from corpus.db import connection
    from corpus.store import BATCH_COLUMNS, _table

    with connection(db) as con:
        con.register("batch", _table(rows, BATCH_COLUMNS))
        con.execute("BEGIN")
        con.execute(PLAIN_INSERT)
        con.execute("COMMIT")


def load_in_turn(base: Path, work: Path, rows: list[dict],
                 batch: int) -> tuple[list[float], list[float]]:
    """Seconds of each batch of `rows`: write_articles into one copy of the corpus `base`,
    plain_insert into another, taking turns batch after batch."""
    from corpus.store import CorpusStore

    store = CorpusStore(copy_corpus(base, work / "load-store.duckdb"))
    plain = copy_corpus(base, work / "load-plain.duckdb")
    writes, inserts = [], []
    for turn, start in enumerate(range(0, len(rows), batch)):
        chunk = rows[start:start + batch]
        contenders = [(writes, lambda: store.write_articles(chunk)),
                      (inserts, lambda: plain_insert(plain, chunk))]
        if turn % 2:
            contenders.reverse()  # each goes first every other batch
        for seconds, write in contenders:
            seconds.append(timed(write)[0])
    return writes, inserts


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
    insert = (f"INSERT INTO articles (article_id, {', '.join(names)}) "
              f"VALUES (nextval('article_id_seq'), {', '.join('?' * len(names))})")
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
    prefill = rows_count // 2
    timed_count = max(rows_count - prefill, *batches)
    say(f"  generating {prefill + timed_count} rows...")
    rows = synthetic_rows(prefill + timed_count)
    first, timed_rows = rows[:prefill], rows[prefill:]
    text_mb = sum(len(r["text"]) for r in timed_rows) / 2**20
    result: dict = {"rows": timed_count, "prefill_rows": prefill, "text_mb": round(text_mb, 1),
                    "runs": runs, "batched": {}}
    runs_of: dict[int, list[tuple[list[float], list[float]]]] = {batch: [] for batch in batches}
    open_close: dict[int, list[float]] = {batch: [] for batch in batches}
    base = workdir / "load-base.duckdb"
    for run in range(1, runs + 1):
        say(f"  run {run}/{runs}: filling a corpus with {prefill} rows...")
        prefilled_corpus(base, first)
        for batch in batches:
            writes, inserts = load_in_turn(base, workdir, timed_rows, batch)
            stored = count_rows(workdir / "load-store.duckdb")
            if stored != prefill + timed_count:
                raise RuntimeError(f"write_articles stored {stored - prefill} of {timed_count}")
            open_close[batch].append(connection_cost(workdir / "load-store.duckdb", runs=5))
            remove_corpus(workdir / "load-store.duckdb")
            remove_corpus(workdir / "load-plain.duckdb")
            runs_of[batch].append((writes, inserts))
            say(f"  run {run}/{runs} batch {batch:>5}: write_articles "
                f"{rate(timed_count, sum(writes)):8.0f} rows/s, plain INSERT "
                f"{rate(timed_count, sum(inserts)):8.0f} rows/s")
        remove_corpus(base)
    for batch, measured in runs_of.items():
        writes = [sum(w) for w, _ in measured]
        inserts = [sum(p) for _, p in measured]
        tenth = max(1, len(measured[0][0]) // 10)
        first_ms = median([median(w[:tenth]) for w, _ in measured]) * 1000
        last_ms = median([median(w[-tenth:]) for w, _ in measured]) * 1000
        ratios = [ratio(p, w) for w, p in zip(writes, inserts, strict=True)]  # of rates
        result["batched"][str(batch)] = {
            "rows_per_s": round(rate(timed_count, median(writes)), 0),
            "seconds": round(median(writes), 2),
            "plain_insert_rows_per_s": round(rate(timed_count, median(inserts)), 0),
            "plain_insert_seconds": round(median(inserts), 2),
            "ratio_vs_plain_insert": round(median(ratios), 2),
            "batch_ms_first_tenth": round(first_ms, 1),
            "batch_ms_last_tenth": round(last_ms, 1),
            "open_close_ms": round(median(open_close[batch]) * 1000, 1),
        }
    sample = rows[:baseline_rows]
    base_times = []
    for run in range(1, runs + 1):
        base_times.append(load_row_by_row(workdir / "load-rowwise.duckdb", sample))
        say(f"  run {run}/{runs} executemany one-row INSERT ({baseline_rows} rows): "
            f"{rate(baseline_rows, base_times[-1]):8.0f} rows/s")
    result["row_by_row"] = {"rows": baseline_rows,
                            "rows_per_s": round(rate(baseline_rows, median(base_times)), 0),
                            "seconds": round(median(base_times), 2)}
    for numbers in result["batched"].values():
        numbers["ratio_vs_row_by_row"] = round(
            ratio(numbers["rows_per_s"], result["row_by_row"]["rows_per_s"]), 1)
    return result
