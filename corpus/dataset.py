"""The corpus as a dataset folder in the Hugging Face layout: Parquet files and a card.

    DIR/README.md                                    the dataset card (YAML header + text)
    DIR/data/<config>/train-0000i-of-0000n.parquet   one folder per config

Configs: ``articles`` (the default), ``funding_rounds``, ``round_articles`` (which
articles report each round) and ``round_evidence`` (the sentence each field was read from).
The card's ``dataset_info`` features and counts are read back from the written Parquet
files, so they describe the files and not what the code meant to write. Articles are
written in shards of ``SHARD_ROWS`` with a progress line each.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from corpus.db import CorpusError, connection, lock_down
from corpus.export import checked_output
from corpus.progress import ticking
from corpus.queries import sql

SHARD_ROWS = 50_000  # articles per Parquet file: ~200 MB of text, under the Hub's 500 MB advice
CONFIGS = ("articles", "funding_rounds", "round_articles", "round_evidence")

FIELDS = {  # what each column means, for the card
    "article_id": "the article's id in the corpus; joins round_articles and round_evidence",
    "canonical_url": "the page's canonical URL: one row per page, whatever spelling reached it",
    "url": "the URL as fetched, after redirects",
    "source_id": "the source it was crawled from (see Sources)",
    "discovered_via": "how the URL was found: feed, news_sitemap, sitemap or listing",
    "title": "title, as extracted by trafilatura",
    "author": "author(s), when the page names them",
    "published_at": "publication time, UTC, as the page or its feed states it",
    "language": "language of the text (py3langid), ISO 639-1",
    "site_name": "site name from the page's metadata",
    "description": "the page's own summary (meta description)",
    "text": "the main text, extracted by trafilatura (no navigation, ads or comments)",
    "content_hash": "sha1 of the normalised text: equal texts have equal hashes",
    "story_id": "the article_id of the first-seen article of its story (it and its copies)",
    "duplicate_of": "when this article is an exact or near copy: the story's first-seen article",
    "version": "1, plus one for every time the page's text changed between crawls",
    "is_ai": "the article is about AI (a label from rules, not a filter)",
    "ai_score": "the score behind is_ai",
    "is_funding": "the article reports a new raise by the company it covers",
    "funding_score": "the score behind is_funding",
    "funding_unconfirmed": "the raise is reported as in talks or per sources",
    "relevance_reasons": "the signals that decided is_ai and is_funding",
    "fetched_at": "when it was fetched, UTC",
    "round_id": "the funding event's id; joins funding_rounds",
    "company": "the company that raised (one name across articles)",
    "company_key": "the company's name normalised (case, legal suffixes, punctuation)",
    "round_type": "pre_seed, seed, series_a … series_j, series_unknown, bridge, "
    "convertible_note, corporate_round, private_equity, debt, grant, secondary, ipo, undisclosed",
    "round_label": "the round as the article names it",
    "amount": "the amount raised, in `currency`",
    "currency": "ISO 4217 code of the amount as stated",
    "amount_usd": "the amount in USD at a dated yearly rate (±3-7%: for ranking, not accounting)",
    "amount_status": "exact, approximate, up_to, more_than or undisclosed",
    "valuation": "the valuation, post-money unless stated",
    "valuation_currency": "ISO 4217 code of the valuation",
    "valuation_usd": "the valuation in USD",
    "valuation_basis": "post_money or pre_money: what the valuation is",
    "lead_investors": "investors that led the round",
    "investors": "other investors in the round",
    "announced_on": "the earliest date an article reports the round",
    "unconfirmed": "every report of it says in talks or per sources",
    "articles": "how many articles report the round",
    "sources": "from how many sources",
    "mention": "which of the article's rounds this is (0, 1, ...)",
    "field": "the round field the span was read for (company, amount, lead_investors, ...)",
    "location": "where the span is: text or title",
    "start_char": "the span's first character in that text or title",
    "end_char": "one past its last character",
    "sentence": "the sentence the field was read from",
}
CONFIG_NOTES = {
    "articles": "one row per fetched article page (copies included, marked by duplicate_of)",
    "funding_rounds": "one row per funding event, merged from every article that reports it",
    "round_articles": "one row per (round, article) that reports it",
    "round_evidence": "one row per field of a round as one article reports it, with its sentence",
}


def export_dataset(
    db: str,
    folder: str | Path,
    sources: dict | None = None,
    shard_rows: int = SHARD_ROWS,
    say: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Write the dataset of corpus `db` into `folder`; returns rows per config.

    `sources`: source id -> registry entry (name, homepage, terms_url) for the card."""
    say = say or (lambda line: print(line, file=sys.stderr, flush=True))
    root = checked_output(db, folder)
    root.mkdir(exist_ok=True)
    with connection(db, read_only=True) as con:
        facts = _one(con, "dataset_facts")
        by_source = _all(con, "dataset_sources")
        ends = [
            r[0]
            for r in con.execute(sql("dataset_article_shard_ends"), {"rows": shard_rows}).fetchall()
        ]
        shards = max(1, -(-facts["articles"] // shard_rows))  # ceil; one (empty) file for none
        plan = {
            "articles": [
                (sql("dataset_articles"), {"after": after, "rows": shard_rows})
                for after in [-1, *ends][:shards]
            ]
        }
        plan.update({name: [(sql(f"dataset_{name}"), {})] for name in CONFIGS[1:]})
        files = {
            name: [
                root / "data" / name / f"train-{i:05d}-of-{len(jobs):05d}.parquet"
                for i in range(len(jobs))
            ]
            for name, jobs in plan.items()
        }
        for path in [p for paths in files.values() for p in paths]:
            path.parent.mkdir(parents=True, exist_ok=True)
            for old in path.parent.glob("train-*.parquet"):  # an earlier export's shards
                if old not in files[path.parent.name]:
                    old.unlink()
        lock_down(
            con,
            writable=[str(p) for paths in files.values() for p in paths]
            + [str(p.with_name(f"tmp_{p.name}")) for paths in files.values() for p in paths],
        )
        counts = {}
        for name, jobs in plan.items():
            started, done = time.monotonic(), 0
            for (query, params), path in zip(jobs, files[name], strict=True):
                quoted = str(path).replace("'", "''")
                try:
                    with ticking(f"export: {name}: writing {path.name}"):
                        done += con.execute(
                            f"COPY ({query}\n) TO '{quoted}' (FORMAT parquet, COMPRESSION zstd)",
                            params,
                        ).fetchone()[0]
                except duckdb.Error as exc:
                    raise CorpusError(
                        f"dataset export failed: {str(exc).splitlines()[0]}"
                    ) from None
                total = facts["articles"]
                share = (
                    f" of {total:,} ({done / total:.0%})" if name == "articles" and total else ""
                )
                say(f"export: {name}: {done:,}{share} rows, {time.monotonic() - started:.1f}s")
            counts[name] = done
    card = dataset_card(facts, by_source, sources or {}, files, root)
    (root / "README.md").write_text(card, encoding="utf-8")
    return counts


def _one(con, name: str) -> dict:
    return _all(con, name)[0]


def _all(con, name: str) -> list[dict]:
    cursor = con.execute(sql(name))
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


# -- the card --------------------------------------------------------------------------------


def hf_dtype(arrow_type: pa.DataType) -> dict:
    """A Parquet column's type as a Hugging Face `features` entry (without its name)."""
    if pa.types.is_list(arrow_type) or pa.types.is_large_list(arrow_type):
        return {"sequence": hf_dtype(arrow_type.value_type)["dtype"]}
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return {"dtype": "string"}
    if pa.types.is_floating(arrow_type):
        return {"dtype": f"float{arrow_type.bit_width}"}
    if pa.types.is_boolean(arrow_type):
        return {"dtype": "bool"}
    if pa.types.is_timestamp(arrow_type):
        return {"dtype": f"timestamp[{arrow_type.unit}]"}
    if pa.types.is_date32(arrow_type):
        return {"dtype": "date32"}
    if pa.types.is_binary(arrow_type):
        return {"dtype": "binary"}
    return {"dtype": str(arrow_type)}  # int8 ... int64, uint*: the names are the same


def _yaml_str(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def dataset_card(
    facts: dict, by_source: list[dict], sources: dict, files: dict[str, list[Path]], root: Path
) -> str:
    schemas = {name: pq.read_schema(paths[0]) for name, paths in files.items()}
    rows = {name: sum(pq.read_metadata(p).num_rows for p in paths) for name, paths in files.items()}
    sizes = {name: sum(p.stat().st_size for p in paths) for name, paths in files.items()}
    in_memory = {
        name: sum(
            pq.read_metadata(p).row_group(i).total_byte_size
            for p in paths
            for i in range(pq.read_metadata(p).num_row_groups)
        )
        for name, paths in files.items()
    }
    languages = facts["languages"] or []
    y = [
        "---",
        "pretty_name: fundnews AI funding news corpus",
        "license: other",
        "license_name: publishers-copyright",
        "license_details: The texts remain their publishers' copyright; see each source's terms.",
        "language:",
        *[f"- {lang}" for lang in languages or ["en"]],
        "task_categories:",
        "- text-classification",
        "- token-classification",
        "tags:",
        "- news",
        "- venture-capital",
        "- funding-rounds",
        "- ai",
        "configs:",
    ]
    for name, paths in files.items():
        y += [
            f"- config_name: {name}",
            "  data_files:",
            "  - split: train",
            f"    path: data/{name}/train-*.parquet",
        ] + (["  default: true"] if name == "articles" else [])
    y.append("dataset_info:")
    for name, schema in schemas.items():
        y += [f"- config_name: {name}", "  features:"]
        for column in schema:
            kind, value = next(iter(hf_dtype(column.type).items()))
            y += [f"  - name: {column.name}", f"    {kind}: {_yaml_str(value)}"]
        y += [
            "  splits:",
            "  - name: train",
            f"    num_bytes: {in_memory[name]}",
            f"    num_examples: {rows[name]}",
            f"  download_size: {sizes[name]}",
            f"  dataset_size: {in_memory[name]}",
        ]
    y.append("---")

    written = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    crawled = (
        f"between {facts['first_crawl']} and {facts['last_crawl']}"
        if facts["first_crawl"]
        else "(no crawl recorded)"
    )
    b = [
        "",
        "# fundnews: AI funding news",
        "",
        "News articles and press releases about funding rounds, crawled by "
        "[fundnews](https://github.com/fundnews/fundnews) and exported on "
        + written
        + ", with the funding events read "
        "from them: who raised how much, in which round, from whom, and when, each field traced "
        "to the sentence it was read from.",
        "",
        "## What was crawled",
        "",
        f"{facts['articles']:,} articles from {len(by_source)} sources in {facts['crawls']} crawls "
        f"{crawled}; {facts['funding_articles']:,} of them report a new raise, and "
        f"{facts['rounds']:,} funding rounds were read from them.",
        "",
        "| source | name | articles | published | fetched | terms |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for s in by_source:
        entry = sources.get(s["source_id"])
        name = f"[{entry.name}]({entry.homepage})" if entry else "(not in the registry)"
        terms = (
            f"[terms]({entry.terms_url})"
            if entry and entry.terms_url
            else f"[site]({entry.homepage}) (no terms page recorded)"
            if entry
            else "unknown"
        )
        b.append(
            f"| {s['source_id']} | {name} | {s['articles']:,} | {s['first_published'] or ''} to "
            f"{s['last_published'] or ''} | {s['first_fetched']} to {s['last_fetched']} | {terms} |"
        )
    b += [
        "",
        "## How it was cleaned and deduplicated",
        "",
        "* Pages come from each source's feeds, news sitemaps, sitemaps or listing pages, fetched "
        "politely (robots.txt obeyed, per-host delays, an honest User-Agent).",
        "* The main text and metadata were extracted with trafilatura; pages with too little text, "
        "non-HTML answers and errors were skipped, not stored.",
        "* One row per page: URLs are canonicalised (tracking parameters, `index.html`, redirects, "
        "a plausible `rel=canonical`), so a page reached by several URLs is one article.",
        "* Copies are kept and marked, not dropped: `content_hash` is equal for equal texts, and "
        "an exact or near copy (MinHash over word 5-grams, estimated Jaccard ≥ 0.33) of an "
        "earlier article has `duplicate_of` set and shares its `story_id`. Filter "
        "`duplicate_of IS NULL` for one article per story "
        f"({facts['stories']:,} stories, {facts['copies']:,} copies).",
        "* `is_ai` and `is_funding` are labels from rules, not filters: every article is here. "
        "Funding rounds are merged across articles (same company, compatible round, amounts "
        "within 15%, dates within 45 days); their values come from the articles, never invented.",
        "",
        "## Configs and fields",
        "",
    ]
    for name, schema in schemas.items():
        b += [
            f"### `{name}`: {rows[name]:,} rows",
            "",
            CONFIG_NOTES[name] + ".",
            "",
            "| field | type | meaning |",
            "| --- | --- | --- |",
        ]
        for column in schema:
            kind, value = next(iter(hf_dtype(column.type).items()))
            shown = f"list of {value}" if kind == "sequence" else value
            b.append(f"| `{column.name}` | {shown} | {FIELDS.get(column.name, '')} |")
        b.append("")
    b += [
        "```python",
        "import duckdb",
        "duckdb.sql(\"SELECT company, round_type, amount_usd FROM 'data/funding_rounds/*.parquet' "
        'ORDER BY amount_usd DESC LIMIT 10")',
        "# or: datasets.load_dataset('path/to/this/folder', 'funding_rounds')",
        "```",
        "",
        "## Copyright and use",
        "",
        "The article texts, titles and descriptions remain the copyright of their publishers; "
        "this dataset does not license them. Each source's terms are linked in the table above; "
        "use the texts as those terms and your jurisdiction's exceptions (research, quotation) "
        "allow. The funding rounds are facts read from the articles, each linked to them.",
        "",
    ]
    return "\n".join(y + b)
