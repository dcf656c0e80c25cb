"""Full-text search over titles and texts with DuckDB's fts extension (BM25).

The fts index does not follow inserts, so it is rebuilt when the corpus changed
since it was built (checked by article count and newest fetch time), on the
first search after a crawl.
"""

from __future__ import annotations

from typing import Any

from corpus.db import connection, load_fts, migrate
from corpus.progress import ticking
from corpus.queries import sql


def ensure_index(db: str) -> bool:
    """Build the index if articles changed since the last build; True when it did."""
    with connection(db, read_only=True) as con:
        current = con.execute(sql("fts_fingerprint")).fetchone()
        recorded = con.execute(sql("fts_state")).fetchone()
    if recorded is not None and tuple(recorded) == tuple(current):
        return False
    with connection(db, task="the text index build") as con, \
            ticking(f"building the full-text index of {current[0]:,} articles (once after a change; "
                    "~80 s at 100,000)", announce=True):
        migrate(con)
        con.execute("RESET memory_limit")  # a one-off build over all texts: DuckDB's default
        load_fts(con)
        con.execute("BEGIN")
        con.execute(sql("fts_build"))
        con.execute("DELETE FROM fts_state")
        con.execute(sql("fts_record"))
        con.execute("COMMIT")
        # into the file now: write connections close without a checkpoint (corpus/db.py), and
        # the index in the WAL (~200 MB at 20k articles) was replayed by every later open
        con.execute("CHECKPOINT")
    return True


def search(db: str, terms: str, limit: int = 20) -> tuple[list[str], list[tuple[Any, ...]]]:
    ensure_index(db)
    with connection(db, read_only=True) as con:
        load_fts(con)
        cursor = con.execute(sql("search_articles"), [terms, limit])
        return [d[0] for d in cursor.description], cursor.fetchall()
