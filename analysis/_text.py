"""Internal text helpers shared by the analysis modules.

Sentence splitting keeps character offsets so that every extracted field can be
traced back to the exact span of the article it came from.  The splitter is a
pragmatic rule set tuned for news copy: it breaks on paragraph/line breaks and on
sentence punctuation, except after common abbreviations ("Inc.", "U.S.", "Mr.",
"Rs.", single initials) and inside numbers ("$6.6 billion").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

__all__ = ["Sentence", "split_sentences", "dateline_end", "parse_dateline_date"]


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence (or heading line) with absolute offsets into its source string."""

    index: int
    source: str  # "title" or "text"
    start: int
    end: int
    text: str


# Candidate boundary: sentence punctuation (optionally followed by a closing
# quote/bracket) then whitespace, or a line break. Written as
# ``(?<=[.!?])["”’)\]]?\s+|\s*\n\s*`` would match the same, but this form starts with a
# character class, which lets the regex engine skip to candidate characters (1.7x faster).
# Countries, regions and startup cities, lower case: "Beenext from Japan", "invest $35B in India".
PLACES = frozenset({
    "india", "asia", "europe", "africa", "america", "americas", "pacific", "china",
    "japan", "israel", "latam", "mena", "emea", "apac", "canada", "ireland", "scotland",
    "wales", "korea", "brazil", "australia", "singapore", "germany", "france", "uk", "us",
    "usa", "the us", "the uk", "spain", "italy", "taiwan", "thailand", "vietnam",
    "indonesia", "malaysia", "philippines", "switzerland", "sweden", "netherlands",
    "mexico", "nigeria", "kenya", "egypt", "uae", "dubai", "hong kong", "south korea",
    "silicon valley", "london", "paris", "berlin", "new york", "san francisco", "tokyo",
    "virginia", "texas", "ohio", "arizona", "saudi arabia", "qatar", "poland", "norway",
    "denmark", "finland",
})
_BOUNDARY_RE = re.compile(r"[\"”’)\]\s](?:(?<=[.!?][\"”’)\]])\s+|(?<=[.!?]\s)\s*|(?<=\n)\s*|"
                          r"(?<=\s)\s*\n\s*)")
_ABBREV_RE = re.compile(
    r"(?:\b(?:Inc|Corp|Ltd|Co|Mr|Mrs|Ms|Dr|St|Jr|Sr|No|vs|approx|Rs|Jan|Feb|Mar|Apr|Jun|"
    r"Jul|Aug|Sep|Sept|Oct|Nov|Dec|Bros|Mt|Ft|Gov|Sen|Rep|Prof|Gen|est|al|ca|Mio|Mrd)\.|"
    r"\b(?:[A-Z]\.){1,3}|\b[A-Z]\.)$"
)
# Abbreviations such as "Inc." or "U.S." do end a sentence when the next word is
# a typical sentence opener.
_OPENER_RE = re.compile(  # used with .match(text, pos), so no "^"
    r"[\"“‘(]?(?:The|It|Its|This|That|These|Those|In|A|An|He|She|They|We|Our|But|And|On|"
    r"At|As|For|With|After|Before|Since|According|Founded|Last|Earlier|Meanwhile|However)\b"
)


_ABBREV_WINDOW = 12


def blank_repeated_title(title: str, text: str) -> str:
    """The text with a first line that repeats the title blanked out (same length, so
    character offsets stay valid). Extractors such as trafilatura keep the page's <h1>
    as the first line; read twice, the headline would pass for the body's lead sentence."""
    first, _, _ = text.partition("\n")
    if title and _NON_WORD_RE.sub(" ", first).strip().lower() == _NON_WORD_RE.sub(" ", title).strip().lower():
        return " " * len(first) + text[len(first):]
    return text


_NON_WORD_RE = re.compile(r"[\W_]+")


def split_sentences(text: str, source: str = "text") -> list[Sentence]:
    """Split ``text`` into sentences, keeping absolute character offsets."""
    sentences: list[Sentence] = []
    start = 0
    for m in _BOUNDARY_RE.finditer(text):
        if "\n" not in m.group(0):
            # only the last word before the boundary matters ("Inc.", "U.S.", "J.")
            if (_ABBREV_RE.search(text, max(start, m.start() - _ABBREV_WINDOW), m.start())
                    and not _OPENER_RE.match(text, m.end())):
                continue
            nxt = text[m.end() : m.end() + 1]
            if nxt and nxt.islower():
                continue
        _append(sentences, text, start, m.start(), source)
        start = m.end()
    _append(sentences, text, start, len(text), source)
    return sentences


# "Commerce Ventures.Also participating were ...": a scraper dropped the space after a stop.
# The stop comes first, the letters before it after it (as a lookbehind): a pattern that
# opens with a character class lets ``re`` skip to the stops (5x faster on a sentence).
_GLUED_STOP_RE = re.compile(r"[.!?](?<=[a-z]{3}[.!?])(?=[A-Z][a-z])")


def _append(out: list[Sentence], text: str, start: int, end: int, source: str) -> None:
    glued = _GLUED_STOP_RE.search(text, start, end)
    if glued:
        _append(out, text, start, glued.end(), source)
        _append(out, text, glued.end(), end, source)
        return
    # Keep a closing quote/bracket that directly follows the punctuation.
    while end < len(text) and text[end] in "\"”’)]" and end - start > 0:
        end += 1
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return
    lead = len(chunk) - len(chunk.lstrip())
    s = start + lead
    out.append(Sentence(len(out), source, s, s + len(stripped), stripped))


# "SAN FRANCISCO, March 4, 2025 /PRNewswire/ -- ", "BOSTON -- ", "NEW DELHI: ",
# "LONDON (Reuters) - ", "ZURICH, Switzerland, June 3, 2025 (GLOBE NEWSWIRE) -- ",
# "CAMBRIDGE, Mass.--(BUSINESS WIRE)--".
_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_DATE_TXT = (rf"(?:(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
             rf"|\d{{1,2}}\s+(?:{_MONTHS})\.?,?\s+\d{{4}})")
_DATELINE_RE = re.compile(
    rf"^\s*(?:[A-ZÀ-Ý][A-ZÀ-Ý.'\-]+(?:\s+[A-ZÀ-Ý][A-ZÀ-Ý.'\-]+){{0,3}}"
    rf"(?:,\s*[A-Z][A-Za-z.]+(?:\s+[A-Z][A-Za-z.]+)?){{0,2}}"
    rf"|[A-Z][a-z]+(?:,\s*[A-Z][a-z]+)?\s*[–—-]+\s*{_DATE_TXT})"
    rf"(?:,?\s*{_DATE_TXT})?(?:\s*--)?\s*(?:/[^/\n]{{2,40}}/|\([^)\n]{{2,40}}\))?\s*"
    rf"(?:--\s*|(?:—|–|-|:)\s+)"  # "SAN FRANCISCO--(BUSINESS WIRE)--Nimbal": no spaces
)
_DATE_RE = re.compile(_DATE_TXT)
_DATE_PARTS_RE = re.compile(r"[A-Za-z]+|\d+")
_MONTH_NUM = {m.lower(): i for i, m in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1)}


def dateline_end(sentence: str) -> int:
    """Return the offset where the body starts after a press dateline (0 if none)."""
    m = _DATELINE_RE.match(sentence)
    if not m:
        return 0
    # An all-caps run must look like a place, not an acronym-led sentence ("AI is...").
    head = m.group(0)
    if len(head.strip(" -–—:")) < 3:
        return 0
    return m.end()


def parse_dateline_date(sentence: str) -> date | None:
    """Parse the date inside a dateline prefix such as "BOSTON, March 4, 2025 --"."""
    end = dateline_end(sentence)
    if not end:
        return None
    m = _DATE_RE.search(sentence[:end])
    if not m:
        return None
    parts = _DATE_PARTS_RE.findall(m.group(0))
    try:
        if parts[0].isdigit():  # "3 June 2025"
            day, month, year = int(parts[0]), _MONTH_NUM[parts[1][:3].lower()], int(parts[-1])
        else:
            month, day, year = _MONTH_NUM[parts[0][:3].lower()], int(parts[1]), int(parts[-1])
        return date(year, month, day)
    except (KeyError, ValueError, IndexError):
        return None


# --------------------------------------------------------------------------- gated regexes
WORD_RE = re.compile(r"[^\W_]+")


# ASCII bytes that are not letters or digits become spaces; bytes >= 0x80 stay.
_ASCII_SEPARATORS = bytes(b if b >= 0x80 or chr(b).isalnum() else 0x20 for b in range(256))


def word_runs(text: str) -> list[bytes]:
    """The runs of Unicode letters and digits of ``text``, UTF-8 encoded.

    Same result as ``WORD_RE.findall``, 3-4x faster: ASCII separators go in one
    ``bytes.translate``; only the few words holding non-ASCII bytes (curly quotes, €,
    accented names) are split by the regex.
    """
    data = text.encode("utf-8")
    words = data.translate(_ASCII_SEPARATORS).split()
    if data.isascii():
        return words
    out: list[bytes] = []
    for word in words:
        if word.isascii():
            out.append(word)
        else:
            out.extend(w.encode("utf-8") for w in WORD_RE.findall(word.decode("utf-8")))
    return out


def words_of(text: str) -> frozenset[str]:
    """Lower-case alphanumeric runs of ``text`` ("AI-powered" -> {"ai", "powered"})."""
    low = text.lower()
    if low.isascii():  # most sentences: the same runs, 1.6x faster
        return frozenset(low.encode().translate(_ASCII_SEPARATORS).decode().split())
    return frozenset(WORD_RE.findall(low))


class Gated:
    """A compiled regex that only runs when one of its hint words occurs in the text.

    Python's ``re`` tries every alternative at every word boundary, so large keyword
    alternations are slow; checking a set of words first skips most sentences.  The
    hints must include a word that every match contains (alphanumeric runs, lower case).
    """

    __slots__ = ("regex", "hints")

    def __init__(self, pattern: str, hints: str | set[str], flags: int = 0) -> None:
        self.regex = re.compile(pattern, flags)
        self.hints = frozenset(hints.split() if isinstance(hints, str) else hints)

    def search(self, text: str, words: frozenset[str], pos: int = 0) -> re.Match | None:
        return None if self.hints.isdisjoint(words) else self.regex.search(text, pos)

    def finditer(self, text: str, words: frozenset[str], pos: int = 0):
        return iter(()) if self.hints.isdisjoint(words) else self.regex.finditer(text, pos)


def phrase_regex(phrases: list[str], flags: int = re.I) -> Gated:
    """A gated regex matching any of ``phrases`` as whole words (spaces match any blank)."""
    hints = {WORD_RE.findall(p.lower())[0] for p in phrases}
    body = alternation(phrases, blank=r"\s+")
    return Gated(rf"(?<![\w-]){body}(?![\w])", hints, flags)


def alternation(words: Iterable[str], blank: str = r"\ ") -> str:
    """A regex group matching any of ``words``, the longest first, written as a trie
    ("rais(?:e|es|ed|ing)"); ``blank`` is what a space in a word matches.

    The same matches as the flat alternation of the words sorted longest first, 3-4x
    faster: ``re`` tries every alternative in turn, and without a literal first character
    to check (as under ``re.I``) a flat list of 150 verbs costs 150 tries at every word.
    A longer word is tried before the word it extends, as in the flat list; words that
    differ only in case at one place would be tried in another order under ``re.I``,
    so the words of a case-insensitive pattern are written in lower case."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here

    def pattern(node: dict) -> str:
        alts = [(blank if ch == " " else re.escape(ch)) + pattern(node[ch])
                for ch in sorted(node) if ch] + ([""] if "" in node else [])
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return "(?:" + pattern(trie) + ")"


def forms(*stems: str) -> list[str]:
    """Expand "rais:e,es,ed,ing" into ["raise", "raises", "raised", "raising"]."""
    out: list[str] = []
    for stem in stems:
        if ":" in stem:
            base, endings = stem.split(":")
            out += [base + e for e in endings.split(",")]
        else:
            out.append(stem)
    return out


class GatedSet:
    """Several keyed ``Gated`` regexes with an inverted index from hint word to regex.

    ``active(words)`` returns, in declaration order, only the entries whose hints occur
    in ``words`` -- one set intersection instead of one check per regex. Sentences hold
    the same few hint words over and over, so the answer for each set of them is kept.
    """

    __slots__ = ("entries", "_index", "_hints", "_known")
    _KNOWN_MAX = 4096  # sets of hint words kept; past that the table starts again

    def __init__(self, entries: list[tuple[object, Gated]]) -> None:
        self.entries = entries
        self._index: dict[str, list[int]] = {}
        for i, (_, g) in enumerate(entries):
            for h in g.hints:
                self._index.setdefault(h, []).append(i)
        self._hints = frozenset(self._index)
        self._known: dict[frozenset[str], tuple[tuple[object, Gated], ...]] = {}

    def active(self, words: frozenset[str]) -> tuple[tuple[object, Gated], ...]:
        hit = self._hints.intersection(words)
        if not hit:
            return ()
        found = self._known.get(hit)
        if found is None:
            if len(self._known) >= self._KNOWN_MAX:
                self._known.clear()
            ids = sorted({i for h in hit for i in self._index[h]})
            found = self._known[hit] = tuple(self.entries[i] for i in ids)
        return found


class GatedAny:
    """One yes/no test made of several ``Gated`` regexes: does any of them match?

    It runs when one of its ``hints`` occurs, as a ``Gated`` would; then each part only
    when one of the part's own hint words does. One long alternation gated by many
    (often common) words would run whole on every sentence holding one of them; split,
    a sentence pays only for the parts it has words for."""

    __slots__ = ("hints", "_by_word", "_words")

    def __init__(self, hints: str, parts: list[Gated]) -> None:
        self.hints = frozenset(hints.split())
        self._by_word: dict[str, list[re.Pattern]] = {}
        for part in parts:
            for word in part.hints:
                self._by_word.setdefault(word, []).append(part.regex)
        self._words = frozenset(self._by_word)

    def found(self, text: str, words: frozenset[str]) -> bool:
        if self.hints.isdisjoint(words):
            return False
        by_word = self._by_word
        return any(rx.search(text) for w in self._words.intersection(words) for rx in by_word[w])
