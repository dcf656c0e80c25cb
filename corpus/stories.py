"""Stories: every copy of one press release, across sources and crawls, is one story.

Each stored article gets a MinHash signature of its text (``analysis/neardup.py``,
kept in ``article_signatures`` so a crawl compares against the whole corpus without
recomputing it) and a ``story_id``: the id of the story's first-seen article. A new
article whose estimated Jaccard similarity with an earlier one reaches
``neardup.THRESHOLD`` (0.33, measured on syndicated copies vs. different articles;
see that module) joins that article's story; ``duplicate_of`` then points at the
story's first-seen article. Exact copies (same ``content_hash``) are the special case
of similarity 1.

Placement runs after each batch write, in its connection once the rows are committed
(a failed placement loses no article): articles without a stored signature are
placed, oldest first, with the signatures the analysis workers computed
(``crawler/page_analysis.py``), all in one ``NearDupIndex.place`` (each article against
the corpus and the articles placed before it, as one at a time, 4-10x faster). A crawl killed between the two writes leaves articles
unplaced; the next crawl places them, computing their signatures from the stored text.
"""

from __future__ import annotations

from collections.abc import Mapping

import duckdb
import pyarrow as pa

from corpus.db import rollback
from corpus.queries import sql
from analysis.neardup import NearDupIndex, signature, signature_to_bytes, signatures_from_bytes

PLACED = pa.schema([("article_id", pa.int64()), ("story_id", pa.int64()), ("minhash", pa.binary())])


class Stories:
    """The corpus's near-duplicate index and story ids, kept in memory during a crawl."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        """Loaded from the corpus open as `con`."""
        self.index = NearDupIndex.from_rows(con.execute(sql("all_signatures")).fetchall())
        rows = con.execute(sql("all_story_ids")).fetchall()
        self.story_of = {article_id: story_id for article_id, story_id, _ in rows}
        self.hashes_of_story: dict[int, set[str]] = {}
        for _, story_id, content_hash in rows:
            self.hashes_of_story.setdefault(story_id, set()).add(content_hash)

    def place_new_articles(self, con: duckdb.DuckDBPyConnection,
                           signatures: Mapping[str, bytes] | None = None) -> dict[str, int]:
        """Give every unplaced article a signature and a story, in one transaction of the
        write connection `con`; counts exact and near copies.

        ``signatures`` (canonical_url -> minhash bytes) are the ones the crawl's workers
        computed; the others (articles a killed crawl stored) are computed from the text."""
        counts = {"exact": 0, "near": 0}
        signatures = signatures or {}
        unplaced = con.execute(sql("articles_without_signature")).fetchall()
        if not unplaced:
            return counts
        missing = [article_id for article_id, url, _ in unplaced if url not in signatures]
        texts = dict(con.execute(sql("texts_of_articles"), [missing]).fetchall()) if missing else {}
        minhashes = [signatures[url] if url in signatures
                     else signature_to_bytes(signature(texts.get(article_id) or ""))
                     for article_id, url, _ in unplaced]
        ids = [article_id for article_id, _, _ in unplaced]
        matches = self.index.place(ids, signatures_from_bytes(minhashes))
        story_ids = []
        for (article_id, _, content_hash), match in zip(unplaced, matches, strict=True):
            story_id = self.story_of.get(match, match) if match is not None else article_id
            if match is not None:
                exact = content_hash in self.hashes_of_story.get(story_id, ())
                counts["exact" if exact else "near"] += 1
            self.story_of[article_id] = story_id
            self.hashes_of_story.setdefault(story_id, set()).add(content_hash)
            story_ids.append(story_id)
        con.register("placed", pa.Table.from_pydict(
            {"article_id": ids, "story_id": story_ids, "minhash": minhashes}, schema=PLACED))
        con.execute("BEGIN")
        try:
            con.execute(sql("insert_signatures"))
            con.execute(sql("set_stories"))
            con.execute("COMMIT")
        except Exception:
            rollback(con)
            raise
        return counts
