"""The only writer of the corpus: batched, transactional, short write windows.

Rows go in as one Arrow table per batch, never an INSERT per article. One look-up
splits a batch into new pages, appended with a plain ``INSERT ... SELECT`` (DuckDB's
fast path, no ``ON CONFLICT``), and pages already stored, changed with ``UPDATE ...
FROM``; statements with nothing to do are skipped. ``articles`` has no index (006), so
this writer keeps one row per canonical_url: writes of a process take turns, and DuckDB
keeps out other processes. The write connection is opened for the batch and closed after
it, so readers in other processes are locked out only for that moment (closing it
leaves the batch in the WAL: see ``corpus/db.py``).
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

import duckdb
import pyarrow as pa

from corpus.db import connection, migrate_once, rollback, schema_is_current
from corpus.queries import sql
from analysis.rounds import ROUND_FIELDS, Round

# An article row as a write takes it: what the crawl knows of the response, what the
# analysis extracted, the crawl, the relevance labels (the ``articles`` table), and where
# the raw page is archived (the ``raw_pages`` table).
FETCHED_COLUMNS = pa.schema(
    [
        ("canonical_url", pa.string()),
        ("url", pa.string()),
        ("requested_url", pa.string()),
        ("source_id", pa.string()),
        ("discovered_via", pa.string()),
        ("http_status", pa.int16()),
        ("etag", pa.string()),
        ("last_modified", pa.string()),
        ("fetched_at", pa.timestamp("us")),
    ]
)
EXTRACTED_COLUMNS = pa.schema(
    [
        ("title", pa.string()),
        ("author", pa.string()),
        ("published_at", pa.timestamp("us")),
        ("language", pa.string()),
        ("site_name", pa.string()),
        ("description", pa.string()),
        ("text", pa.string()),
        ("content_hash", pa.string()),
    ]
)
LABEL_COLUMNS = pa.schema(
    [
        ("is_ai", pa.bool_()),
        ("ai_score", pa.float64()),
        ("is_funding", pa.bool_()),
        ("funding_score", pa.float64()),
        ("funding_unconfirmed", pa.bool_()),
        ("relevance_reasons", pa.list_(pa.string())),
    ]
)
ARTICLE_COLUMNS = pa.schema([*FETCHED_COLUMNS, *EXTRACTED_COLUMNS, ("crawl_id", pa.int64()),
                             *LABEL_COLUMNS])
RAW_PAGE_COLUMNS = pa.schema(
    [
        ("content_type", pa.string()),
        ("warc_file", pa.string()),  # where corpus/warc.py put it
        ("warc_offset", pa.int64()),
        ("warc_length", pa.int64()),
    ]
)
BATCH_COLUMNS = pa.schema([*ARTICLE_COLUMNS, *RAW_PAGE_COLUMNS])
# The Arrow type of each annotation a ``Round`` field has.
_ARROW_OF = {"str": pa.string(), "float": pa.float64(), "bool": pa.bool_(), "date": pa.date32(),
             "list[str]": pa.list_(pa.string())}
MENTION_COLUMNS = pa.schema(
    [("canonical_url", pa.string()), ("idx", pa.int32())]
    + [(f.name, _ARROW_OF[str(f.type).removesuffix(" | None")])
       for f in fields(Round) if f.name in ROUND_FIELDS]
)
EVIDENCE_COLUMNS = pa.schema(
    [
        ("canonical_url", pa.string()),
        ("idx", pa.int32()),
        ("field", pa.string()),
        ("location", pa.string()),
        ("start_char", pa.int32()),
        ("end_char", pa.int32()),
        ("sentence", pa.string()),
    ]
)
PAGE_COLUMNS = pa.schema(
    [
        ("url_key", pa.string()),
        ("status", pa.int16()),
        ("etag", pa.string()),
        ("last_modified", pa.string()),
        ("fetched_at", pa.timestamp("us")),
        ("crawl_id", pa.int64()),
    ]
)


_WRITING = threading.Lock()  # one write at a time in this process


def _table(rows: list[Mapping[str, Any]], schema: pa.Schema) -> pa.Table:
    # column by column: twice as fast as from_pylist (a dict per row)
    return pa.Table.from_pydict({name: [row.get(name) for row in rows] for name in schema.names},
                                schema=schema)


Rows = list[Mapping[str, Any]]


@dataclass
class Written:
    """What one write stored: articles by outcome (``new``, ``updated``, ``unchanged``) and
    by source, counted once the transaction committed."""

    counts: dict[str, int] = field(default_factory=lambda: {"new": 0, "updated": 0, "unchanged": 0})
    by_source: dict[str, int] = field(default_factory=dict)


def _write_articles(con: duckdb.DuckDBPyConnection, articles: Rows, mentions: Rows,
                    evidence: Rows) -> Written:
    """The article part of a write, inside its transaction; returns the counts."""
    first = {}  # one row per URL: the first wins, as it did with ON CONFLICT
    for row in articles:
        first.setdefault(row["canonical_url"], row)
    con.register("batch", _table(list(first.values()), BATCH_COLUMNS))
    stored = con.execute(sql("stored_articles")).to_arrow_table()
    con.register("stored", stored)
    written = _classify(list(first.values()), dict(zip(stored["canonical_url"].to_pylist(),
                                                       stored["content_hash"].to_pylist(), strict=True)))
    counts = written.counts
    if stored.num_rows < len(first):
        con.execute(sql("insert_articles"))
    if counts["updated"]:
        con.execute(sql("keep_old_versions"))
    if stored.num_rows:
        con.execute(sql("update_articles"))
        con.execute(sql("update_reasons"))
        # mentions are stored with their article: only stored articles have some to replace
        con.execute(sql("forget_evidence"))
        con.execute(sql("forget_mentions"))
    con.execute(sql("upsert_raw_pages"))
    if mentions:
        con.register("mentions", _table(mentions, MENTION_COLUMNS))
        con.execute(sql("insert_mentions"))
    if evidence:
        con.register("evidence", _table(evidence, EVIDENCE_COLUMNS))
        con.execute(sql("insert_evidence"))
    return written


def _classify(articles: Rows, stored: dict[str, str | None]) -> Written:
    """Each row against the stored content hash of its URL: new, updated or unchanged."""
    written = Written()
    for row in articles:
        url, content_hash = row["canonical_url"], row.get("content_hash")
        if url not in stored:
            written.counts["new"] += 1
        elif stored[url] != content_hash:
            written.counts["updated"] += 1
        elif content_hash is not None:  # as in SQL, NULL = NULL is not "unchanged"
            written.counts["unchanged"] += 1
        source = row.get("source_id")
        written.by_source[source] = written.by_source.get(source, 0) + 1
    return written


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


Validators = tuple[datetime, str | None, str | None]  # a page's fetched_at, etag, last_modified


def _known_pages(con: duckdb.DuckDBPyConnection) -> dict[str, Validators]:
    return {key: (at, etag, modified) for key, at, etag, modified in
            con.execute(sql("known_pages")).fetchall()}


class CorpusStore:
    def __init__(self, path: str | os.PathLike):
        self.path = str(path)

    def migrate(self) -> list[str]:
        """Bring the schema up to date, once per process (``corpus.db.migrate_once``)."""
        with connection(self.path) as con:
            return migrate_once(con, self.path)

    @contextmanager
    def writing(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """This process's turn to write: one write connection, closed at the end (a batch's
        rows and then its placing in stories share it). On one DuckDB thread: a batch's
        statements are small, and handing them to DuckDB's worker threads cost the crawl
        process more CPU than it saved (2,000 bench pages in 16 writes: 0.4 s of 2.5 s); the
        writer thread is off the reactor, so the write may take a little longer."""
        with _WRITING, connection(self.path) as con:
            con.execute("SET threads = 1")
            yield con

    def write(self, articles: Iterable[Mapping[str, Any]] = (),
              pages: Iterable[Mapping[str, Any]] = (),
              mentions: Iterable[Mapping[str, Any]] = (),
              evidence: Iterable[Mapping[str, Any]] = (),
              con: duckdb.DuckDBPyConnection | None = None) -> Written:
        """Store article rows (BATCH_COLUMNS), fetch-log rows (PAGE_COLUMNS) and the funding
        round mentions of those articles with their evidence, in one transaction. An
        article's mentions replace the ones it had (reprocessing is idempotent).

        Returns, once committed, how the articles related to the corpus: ``new``,
        ``updated`` (same URL, new text: the old text is kept in article_versions) and
        ``unchanged``, and how many each source stored (one per URL).

        In the connection of this process's turn (``writing()``), or in one of its own.
        """
        articles, pages, mentions, evidence = list(articles), list(pages), list(mentions), list(evidence)
        written = Written()
        if not articles and not pages:
            return written
        if con is None:
            with self.writing() as con:
                return self.write(articles, pages, mentions, evidence, con)
        con.execute("BEGIN")
        try:
            if pages:
                # one row per key: the last answer wins
                latest = {row["url_key"]: row for row in pages}
                con.register("fetched", _table(list(latest.values()), PAGE_COLUMNS))
                con.execute(sql("upsert_pages"))
            if articles:
                written = _write_articles(con, articles, mentions, evidence)
            con.execute("COMMIT")
        except Exception:
            rollback(con)
            raise
        return written

    def write_articles(self, rows: Iterable[Mapping[str, Any]]) -> int:
        """Store article rows; returns how many."""
        return sum(self.write(articles=rows).counts.values())

    def start_crawl(self, started_at: datetime, source_ids: list[str]) -> int:
        """Open a crawls row for this process; crawls left 'running' by dead processes
        become 'interrupted'."""
        with connection(self.path) as con:
            migrate_once(con, self.path)
            dead = [pid for _, pid in con.execute(sql("running_crawls")).fetchall()
                    if pid is not None and not _alive(pid)]
            if dead:
                con.execute(sql("mark_dead_crawls"), [dead])
            return con.execute(sql("start_crawl"), [started_at, source_ids, os.getpid()]).fetchone()[0]

    def record_source_runs(self, runs: list[dict]) -> None:
        """One source_runs row per source of a finished crawl."""
        if not runs:
            return
        with connection(self.path) as con:
            con.register("runs", pa.Table.from_pylist(runs))
            con.execute(sql("record_source_runs"))

    def finish_crawl(self, crawl_id: int, finished_at: datetime, status: str, stats: Mapping[str, Any],
                     failure: str | None = None) -> None:
        """Close the crawl's row. A failed crawl's is one small update, no checkpoint: the
        corpus that refused its writes (a full disk) may still take that much."""
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
                    failure,
                    crawl_id,
                ],
            )
            if failure is None:
                con.execute("CHECKPOINT")  # the crawl's batches: from the WAL into the file (db.py)

    def known_pages(self) -> dict[str, Validators]:
        """url_key -> (fetched_at, etag, last_modified) of every URL fetched before.

        A read: through a read-only connection, which other readers share and which never
        takes the write lock. No file yet: nothing was fetched (the first write creates
        it). Only a corpus of an older schema is opened for writing, to migrate it."""
        if not os.path.exists(self.path):
            return {}
        with connection(self.path, read_only=True) as con:
            if schema_is_current(con):
                return _known_pages(con)
        with connection(self.path) as con:
            migrate_once(con, self.path)
            return _known_pages(con)
