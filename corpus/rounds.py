"""One funding_rounds row per event, merged from every article's round mentions.

After each crawl (and reprocess) the mentions of the whole corpus are clustered again
with ``analysis.merge.cluster_mentions`` (same company, compatible round type,
amounts within 15%, dates within 45 days; see that module for the rule) and the
``funding_rounds`` and ``round_articles`` tables are replaced in one transaction, so
re-running after new articles arrive updates rounds instead of duplicating them.

A round's id is the smallest ``article_id * 1000 + idx`` among its mentions: stable
while the round's first-stored article reports it.
"""

from __future__ import annotations

import pyarrow as pa

from corpus.db import connection, rollback
from corpus.queries import sql
from analysis.merge import Mention, cluster_mentions
from analysis.rounds import ROUND_FIELDS, Round


def rebuild_rounds(db: str) -> int:
    """Recluster every mention into funding_rounds; returns the number of rounds."""
    with connection(db, task="the funding rounds rebuild") as con:
        con.execute("SET memory_limit = '256MB'")  # replaces every round (corpus/db.py)
        cursor = con.execute(sql("all_mentions"))
        columns = [d[0] for d in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        by_id = {f"{r['article_id']}:{r['idx']}": r for r in rows}
        mentions = [
            Mention(key, str(r["article_id"]), r["published"],
                    Round(**{f: r[f] for f in ROUND_FIELDS}))
            for key, r in by_id.items()
        ]
        merged_rows, links = [], []
        for event in cluster_mentions(mentions):
            members = [by_id[m] for m in event.mention_ids]
            round_id = min(m["article_id"] * 1000 + m["idx"] for m in members)
            merged_rows.append({
                "round_id": round_id, "company_key": event.company_key,
                **{f: getattr(event, f) for f in ROUND_FIELDS},
                "is_ai": any(m["article_is_ai"] for m in members),
                "articles": len({m["article_id"] for m in members}),
                "sources": len({m["source_id"] for m in members}),
            })
            links += [{"round_id": round_id, "article_id": m["article_id"],
                       "canonical_url": m["canonical_url"], "idx": m["idx"]} for m in members]
        con.register("merged", pa.Table.from_pylist(merged_rows, schema=_merged_schema(con)))
        con.register("links", pa.Table.from_pylist(links, schema=pa.schema(
            [("round_id", pa.int64()), ("article_id", pa.int64()), ("canonical_url", pa.string()),
             ("idx", pa.int32())])))
        con.execute("BEGIN")
        try:
            con.execute(sql("replace_rounds"))
            con.execute("COMMIT")
        except Exception:
            rollback(con)
            raise
    return len(merged_rows)


def _merged_schema(con) -> pa.Schema:
    """The Arrow schema of funding_rounds, read from the table itself."""
    return con.execute("SELECT * FROM funding_rounds LIMIT 0").to_arrow_table().schema
