"""Extract: trafilatura turns one page into clean text and metadata.

Pure functions, run in the analysis workers (``crawler/page_analysis.py``).

trafilatura runs with ``fast=True``: it skips the fallback extractors (readability,
jusText) it otherwise tries when its own result looks short. On the 181 pages of the
scrapinghub article-extraction benchmark, measured here, that cut extraction from 28.3
to 20.8 ms a page and gave the same word-level F1 against the ground truth (0.961 vs
0.959). Metadata (title, author, date, site name, description) costs ~7 ms of that and
is worth it; language comes from py3langid (~1 ms).
"""

from __future__ import annotations

from copy import copy
from datetime import UTC, datetime, time
from typing import Any

LANGUAGE_SAMPLE_CHARS = 2000
_OPTIONS = None  # trafilatura.settings.Extractor, built once per process


def _options():
    global _OPTIONS
    if _OPTIONS is None:
        from trafilatura.settings import Extractor, set_date_params

        date_params = set_date_params(False)
        date_params["outputformat"] = "%Y-%m-%dT%H:%M:%S%z"  # keep the time when the page has one
        _OPTIONS = Extractor(
            output_format="python", fast=True, with_metadata=True, comments=False, tables=True,
            dedup=False, date_params=date_params,
        )
    return _OPTIONS


def detect_language(text: str) -> str | None:
    import py3langid

    if len(text) < 40:
        return None
    language, _score = py3langid.classify(text[:LANGUAGE_SAMPLE_CHARS])
    return language


def extract_page(html: str, url: str) -> dict[str, Any] | None:
    """trafilatura on one page: text and metadata as a plain dict (picklable), or None."""
    import trafilatura

    options = copy(_options())  # this page's own options: the shared ones stay untouched
    options.url = url  # trafilatura reads the URL from the options when it is given them
    document = trafilatura.bare_extraction(html, url=url, options=options)
    if document is None or not document.text:
        return None
    return {
        "text": document.text,
        "title": document.title,
        "author": document.author,
        "date": document.date,
        "site_name": document.sitename,
        "description": document.description,
        "language": detect_language(document.text),
    }


def published_at(extracted_date: str | None, hint_date: datetime | None) -> datetime | None:
    """The page's own date (UTC); the feed's or sitemap's when the page has none, or has the
    same day without a time of day."""
    try:
        moment = datetime.fromisoformat(extracted_date) if extracted_date else None
    except ValueError:
        moment = None
    if moment is None:
        return hint_date
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    if hint_date is not None and hint_date.date() == moment.date() and moment.time() == time(0):
        return hint_date
    return moment

