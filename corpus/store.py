"""The only writer of the corpus: batched, transactional, short write windows.

Rows go in as one Arrow table per batch (tens of thousands of rows/s) through a
set-based ``INSERT ... ON CONFLICT``; never an INSERT per article. The write
connection is opened for the batch and closed after it, so readers in other
processes are locked out only for that moment.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import pyarrow as pa

from corpus.db import connection, migrate
from corpus.queries import sql

ARTICLE_COLUMNS = pa.schema(
    [
        ("canonical_url", pa.string()),
        ("url", pa.string()),
        ("source_id", pa.string()),
        ("discovered_via", pa.string()),
        ("title", pa.string()),
        ("author", pa.string()),
        ("published_at", pa.timestamp("us")),
        ("language", pa.string()),
        ("site_name", pa.string()),
        ("description", pa.string()),
        ("text", pa.string()),
        ("content_hash", pa.string()),
        ("duplicate_of", pa.int64()),
        ("http_status", pa.int16()),
        ("etag", pa.string()),
        ("last_modified", pa.string()),
        ("fetched_at", pa.timestamp("us")),
        ("crawl_id", pa.int64()),
    ]
)


class CorpusStore:
    def __init__(self, path: str | os.PathLike):
        self.path = str(path)

    def migrate(self) -> list[str]:
        with connection(self.path) as con:
            return migrate(con)

    def write_articles(self, rows: Iterable[Mapping[str, Any]]) -> int:
        """Upsert article rows (dicts with ARTICLE_COLUMNS keys) in one transaction."""
        rows = list(rows)
        if not rows:
            return 0
        batch = pa.Table.from_pylist(
            [{name: row.get(name) for name in ARTICLE_COLUMNS.names} for row in rows],
            schema=ARTICLE_COLUMNS,
        )
        with connection(self.path) as con:
            con.register("batch", batch)
            con.execute("BEGIN")
            try:
                con.execute(sql("upsert_articles"))
                con.execute(sql("link_exact_copies"))
                con.execute("COMMIT")
            except Exception:
                con.execute("ROLLBACK")
                raise
        return len(rows)

    def start_crawl(self, started_at: datetime, source_ids: list[str]) -> int:
        with connection(self.path) as con:
            migrate(con)
            return con.execute(sql("start_crawl"), [started_at, source_ids]).fetchone()[0]

    def finish_crawl(self, crawl_id: int, finished_at: datetime, status: str, stats: Mapping[str, Any]) -> None:
        by_status = {
            key.rsplit("/", 1)[-1]: value
            for key, value in stats.items()
            if key.startswith("downloader/response_status_count/")
        }
        skipped = {
            key.removeprefix("fundnews/skipped/"): value
            for key, value in stats.items()
            if key.startswith("fundnews/skipped/")
        }
        errors = sum(
            value
            for key, value in stats.items()
            if key in ("spider_exceptions/count", "log_count/CRITICAL")
            or key.startswith("fundnews/errors/")
        )
        with connection(self.path) as con:
            con.execute(
                sql("finish_crawl"),
                [
                    finished_at,
                    status,
                    stats.get("downloader/request_count", 0),
                    json.dumps(by_status),
                    stats.get("fundnews/stored", 0),
                    json.dumps(skipped),
                    errors,
                    json.dumps(stats, default=str, sort_keys=True),
                    crawl_id,
                ],
            )

    def known_pages(self) -> tuple[dict[str, datetime], dict[str, int]]:
        """(canonical_url -> fetched_at, content_hash -> first article_id) of the corpus."""
        with connection(self.path) as con:
            migrate(con)
            fetched = {url: at for url, at, _, _ in con.execute(sql("known_pages")).fetchall()}
            by_hash = dict(con.execute(sql("first_article_by_hash")).fetchall())
        return fetched, by_hash
