"""Content hash: a hash of the normalised text marks exact copies.

Two pages with the same words (case, whitespace and punctuation aside) get the same
``content_hash``. It tells an updated page from an unchanged one, and an exact copy
from a near one. Near copies (same release, other boilerplate) are found after
storing, by ``corpus/stories.py``. Copies are labelled, not dropped.
"""

from __future__ import annotations

import hashlib
import re

_NON_WORD_RE = re.compile(r"[\W_]+", re.UNICODE)


def normalise_text(text: str) -> str:
    return _NON_WORD_RE.sub(" ", text.casefold()).strip()


def content_hash(text: str) -> str:
    return hashlib.sha1(normalise_text(text).encode("utf-8")).hexdigest()
