"""Content hash: a hash of the normalised text marks exact copies.

Two pages with the same words (case, whitespace and punctuation aside) get the same
``content_hash``. It tells an updated page from an unchanged one, and an exact copy
from a near one. Near copies (same release, other boilerplate) are found after
storing, by ``corpus/stories.py``. Copies are labelled, not dropped.
"""

from __future__ import annotations

import hashlib

from ._text import word_runs


def normalise_text(text: str) -> str:
    """The case-folded words (letter and digit runs) of the text, one space between."""
    return b" ".join(word_runs(text.casefold())).decode("utf-8")


def content_hash(text: str) -> str:
    return hashlib.sha1(normalise_text(text).encode("utf-8")).hexdigest()
