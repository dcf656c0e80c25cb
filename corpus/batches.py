"""The one write path into the corpus: batches of analysed articles and fetch logs.

A local crawl's store pipeline (``pipelines/store.py``, in its writer thread; ``fundnews
reprocess`` is such a crawl) and the distributed loader (``crawler/loader.py``) write
through a ``BatchWriter``:

* ``open()``: the schema brought up to date (once per process), the stories index loaded,
  and the articles a killed crawl stored but did not place placed in stories;
* ``write(batch)``: the raw pages not archived yet appended to the WARC archive
  (``corpus/warc.py``), the rows stored in one transaction (``corpus/store.py``), then,
  in the same connection, the new articles placed in stories (``corpus/stories.py``):
  exact and near copies of an earlier article, across sources and crawls;
* ``after_crawl()``: the funding rounds rebuilt from every mention (``corpus/rounds.py``).

A write says what it did in an ``Outcome``: what was committed (``Written``), the
copies found, and the error that stopped it, before the commit or after it (placing).
What a write could not place, the next one (or the next crawl's ``open()``) places.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from corpus import warc
from corpus.db import migrate_once
from corpus.rounds import rebuild_rounds
from corpus.stories import Stories
from corpus.store import CorpusStore, Written


@dataclass
class Batch:
    """What one write stores: article rows (``corpus.store.BATCH_COLUMNS``, a raw page not
    archived yet as ``warc_gz``), fetch-log rows, round mentions and their evidence, and
    the near-duplicate signatures of the articles."""

    rows: list[dict] = field(default_factory=list)
    pages: list[dict] = field(default_factory=list)
    mentions: list[dict] = field(default_factory=list)
    evidence: list[dict] = field(default_factory=list)
    signatures: dict[str, bytes] = field(default_factory=dict)  # canonical_url -> minhash
    size: int = 0  # characters of text and bytes of raw pages in the rows

    def add(self, row: dict, mentions: list[dict], evidence: list[dict], minhash: bytes | None) -> None:
        """One article with its round mentions, their evidence and its signature."""
        self.rows.append(row)
        self.size += len(row.get("text") or "") + len(row.get("warc_gz") or b"")
        self.mentions += mentions
        self.evidence += evidence
        if minhash is not None:
            self.signatures[row["canonical_url"]] = minhash

    def __bool__(self) -> bool:
        return bool(self.rows or self.pages)


@dataclass
class Outcome:
    """What a write did: stored (committed), then placed in stories, or failed."""

    written: Written | None = None  # None: nothing was committed
    copies: dict[str, int] = field(default_factory=dict)  # exact / near copies placed
    error: Exception | None = None  # what failed, before the commit or after it (placing)


class BatchWriter:
    """Writes of one process, one at a time (its callers keep them to one thread)."""

    def __init__(self, db: str):
        self.store = CorpusStore(db)
        self.db = self.store.path
        self.stories: Stories  # loaded by open()
        self.unplaced: dict[str, bytes] = {}  # signatures of stored articles not yet placed

    def open(self) -> Outcome:
        """Migrate, load the stories index, place what a killed crawl left unplaced, in one
        connection. A corpus that cannot be migrated or read raises; a failed placing is
        the outcome's error (the first write places them, or fails)."""
        outcome = Outcome()
        with self.store.writing() as con:
            migrate_once(con, self.db)
            self.stories = Stories(con)
            try:
                outcome.copies = self._place(con)
            except Exception as exc:  # noqa: BLE001 - said by the caller; the next write retries
                outcome.error = exc
        return outcome

    def write(self, batch: Batch) -> Outcome:
        """Archive, store, place in stories; never raises (the outcome says). One write
        connection for the batch: the rows committed, then placed in their own transaction,
        so that a failed placing leaves the rows stored (the next write places them)."""
        outcome = Outcome()
        try:
            archive_raw_pages(self.db, batch.rows)
            with self.store.writing() as con:
                outcome.written = self.store.write(batch.rows, batch.pages, batch.mentions,
                                                   batch.evidence, con)
                self.unplaced.update(batch.signatures)
                outcome.copies = self._place(con)
        except Exception as exc:  # noqa: BLE001 - any refused write is the caller's to report
            outcome.error = exc
        return outcome

    def after_crawl(self) -> int:
        """Rebuild the funding rounds from every mention; returns how many rounds."""
        return rebuild_rounds(self.db)

    def _place(self, con: duckdb.DuckDBPyConnection) -> dict[str, int]:
        copies = self.stories.place_new_articles(con, self.unplaced)
        self.unplaced.clear()
        return copies


def archive_raw_pages(db: str, rows: list[dict]) -> None:
    """Append the WARC records of the rows not archived yet (``warc_gz``) to their crawl's
    archive file; the rows then say where their record is."""
    pending: dict[int | None, list[dict]] = {}
    for row in rows:
        if "warc_gz" in row:
            pending.setdefault(row.get("crawl_id"), []).append(row)
    for crawl_id, crawl_rows in pending.items():
        places = warc.append_records(db, crawl_id, [row["warc_gz"] for row in crawl_rows])
        for row, (file, offset, length) in zip(crawl_rows, places, strict=True):
            del row["warc_gz"]
            row.update(warc_file=file, warc_offset=offset, warc_length=length)
