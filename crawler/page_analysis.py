"""A page's whole analysis, run in the worker processes (``crawler/pool.py``); no Scrapy.

One task per page does, in order:

1. trafilatura: clean text and metadata (``analysis/extract.py``), feed or sitemap
   metadata filling what the page does not say;
2. the content hash of the normalised text (``analysis/content_hash.py``): exact copies;
3. relevance labels and funding rounds with evidence (``analysis/``);
4. the MinHash signature of the text (``analysis/neardup.py``), placed into stories
   after the corpus write (``corpus/stories.py``);
5. the raw page as a gzip-compressed WARC record (``corpus/warc.py``), appended to the
   archive by the corpus write (``corpus/batches.py``).

Together that is ~20-40 ms of CPU a page, so it runs off the reactor: the analyse
pipeline (``pipelines/analyse.py``) hands each page to the pool and awaits it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from analysis._signals import analyse
from analysis.content_hash import content_hash
from analysis.extract import extract_page, published_at
from analysis.neardup import signature, signature_to_bytes
from analysis.relevance import Relevance, classify_analysis
from analysis.rounds import Round, rounds_of
from corpus import warc
from crawler.items import Discovered


@dataclass
class Page:
    """What a worker needs of one fetched page."""

    html: str
    url: str
    fetched_at: datetime
    hint: Discovered | None = None
    archive: bool = True  # False when the page is already in the archive (reprocess)


@dataclass
class PageAnalysis:
    """What a worker sends back: the article's fields and labels, all picklable."""

    text: str
    title: str | None
    author: str | None
    published_at: datetime | None
    language: str | None
    site_name: str | None
    description: str | None
    content_hash: str
    relevance: Relevance
    rounds: list[Round] = field(default_factory=list)
    minhash: bytes = b""
    warc_record: bytes | None = None  # a complete gzip member, ready to append


def analyse_page(page: Page, min_chars: int) -> PageAnalysis | None:
    """The whole per-page analysis; None when the page has too little text."""
    extracted = extract_page(page.html, page.url)
    if extracted is None or len(extracted["text"]) < min_chars:
        return None
    hint = page.hint
    text = extracted["text"]
    title = extracted["title"] or (hint.title if hint else None)
    published = published_at(extracted["date"], hint.published if hint else None)
    day = published.date() if published else None
    sentences = analyse(title or "", text, day)  # read once, for both labels and rounds
    relevance = classify_analysis(sentences)
    rounds = rounds_of(sentences, relevance)
    return PageAnalysis(
        text=text,
        title=title,
        author=extracted["author"] or (hint.author if hint else None),
        published_at=published,
        language=extracted["language"],
        site_name=extracted["site_name"],
        description=extracted["description"],
        content_hash=content_hash(text),
        relevance=relevance,
        rounds=rounds,
        minhash=signature_to_bytes(signature(text)),
        warc_record=warc.record_bytes(page.url, page.fetched_at, page.html) if page.archive else None,
    )


def warm_up() -> None:
    """Run once in each worker: import and build everything before the first page."""
    body = "Acme AI raised $10 million in a Series A round led by Example Ventures. " * 5
    html = f"<html><body><article><h1>Acme AI raises $10M</h1><p>{body}</p></article></body></html>"
    analyse_page(Page(html, "http://localhost/", datetime(2026, 1, 1)), min_chars=0)
