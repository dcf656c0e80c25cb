"""Content dedupe: a hash of the normalised text marks exact copies.

Two pages with the same words (case, whitespace and punctuation aside) get the
same ``content_hash``; the store links every later copy to the first stored one
(``duplicate_of``), across sources and crawls. Copies are labelled, not dropped.
"""

from __future__ import annotations

import hashlib
import re

from crawler.items import ArticleItem

_NON_WORD_RE = re.compile(r"[\W_]+", re.UNICODE)


def normalise_text(text: str) -> str:
    return _NON_WORD_RE.sub(" ", text.casefold()).strip()


def content_hash(text: str) -> str:
    return hashlib.sha1(normalise_text(text).encode("utf-8")).hexdigest()


class ContentDedupePipeline:
    def process_item(self, item: ArticleItem) -> ArticleItem:
        item.content_hash = content_hash(item.text or "")
        return item
