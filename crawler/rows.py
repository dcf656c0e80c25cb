"""An analysed item as the corpus's rows (``corpus/store.py``), for the write in
``corpus/batches.py``: the local crawl's store pipeline and a worker's results stream."""

from __future__ import annotations

from analysis.rounds import ROUND_FIELDS
from corpus.store import EXTRACTED_COLUMNS, FETCHED_COLUMNS
from crawler.items import ArticleItem

ITEM_COLUMNS = (*FETCHED_COLUMNS.names, *EXTRACTED_COLUMNS.names)  # the item's own fields


def article_rows(item: ArticleItem, crawl_id: int | None) -> tuple[dict, list[dict], list[dict]]:
    """The article, its round mentions, their evidence. A raw page not archived yet travels
    as ``warc_gz``, appended to the archive at the write."""
    row = {name: getattr(item, name) for name in ITEM_COLUMNS}
    row["crawl_id"], row["content_type"] = crawl_id, item.content_type
    if item.warc_record is None:
        row["warc_gz"] = item.warc_gz
    else:
        row["warc_file"], row["warc_offset"], row["warc_length"] = item.warc_record
    relevance = item.relevance
    if relevance is not None:
        row.update(is_ai=relevance.is_ai, ai_score=relevance.ai_score,
                   is_funding=relevance.is_funding, funding_score=relevance.funding_score,
                   funding_unconfirmed=relevance.unconfirmed, relevance_reasons=relevance.reasons)
    mentions, evidence = [], []
    for idx, found in enumerate(item.rounds):
        mentions.append({"canonical_url": item.canonical_url, "idx": idx,
                         **{f: getattr(found, f) for f in ROUND_FIELDS}})
        evidence += [
            {"canonical_url": item.canonical_url, "idx": idx, "field": name, "location": ev.source,
             "start_char": ev.start, "end_char": ev.end, "sentence": ev.sentence}
            for name, ev in found.evidence.items()
        ]
    return row, mentions, evidence
