"""Find money amounts the way the press writes them.

>>> [(m.amount, m.currency, m.status) for m in find_money("raised more than €1,5 Mrd")]
[(1500000000.0, 'EUR', 'more_than')]

Supported forms (any mix of them):

* symbols and prefixes: ``$``, ``US$``, ``CA$``/``C$``, ``A$``/``AU$``, ``S$``, ``HK$``,
  ``NZ$``, ``R$``, ``NT$``, ``€``, ``£``, ``¥``, ``₹``/``Rs``/``Rs.``, ``₩``, ``₪``, and ISO
  codes (``USD 5 million``, ``CHF 20 million``);
* suffix currencies: ``40 million dollars``, ``10 billion yen``, ``100 crore rupees``,
  ``1,5 Milliarden Euro``, ``20 bilhões de dólares``, ``600 millions d'euros``;
* magnitudes: ``billion/bn/b/B``, ``million/mn/m/M/mln``, ``thousand/k``, ``trillion/tn``,
  ``crore/cr``, ``lakh``, and their German, French, Spanish and Portuguese forms
  (``Mrd``, ``Mio``, ``milliards``, ``millones``, ``bilhões``, ``milhões``…);
* number formats: ``6.6``, ``1,200``, ``1,5`` (decimal comma), ``$10-15 million`` ranges;
* status words: approximate (``about``, ``roughly``, ``nearly``, ``~``), up to
  (``up to``, ``as much as``), more than (``more than``, ``over``, ``north of``, ``$50M+``,
  ``-plus``) and undisclosed amounts (``an undisclosed sum``, ``eight-figure round``).

A bare ``$`` is read as US dollars and ``¥`` as Japanese yen unless followed by "yuan".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ._text import alternation

__all__ = ["Money", "find_money", "parse_money", "STATUSES"]

STATUSES = ("exact", "approximate", "up_to", "more_than", "undisclosed")


@dataclass(frozen=True, slots=True)
class Money:
    """One money mention.

    ``amount`` is in full units of ``currency`` (``$6.6B`` -> ``6.6e9``); it is ``None``
    for undisclosed amounts.  For ranges ("$10-15 million") ``amount`` is the midpoint,
    ``low``/``high`` the bounds and ``status`` is ``approximate``.  ``start``/``end`` are
    character offsets of ``raw`` in the searched text (status words included).
    """

    amount: float | None
    currency: str | None
    status: str
    start: int
    end: int
    raw: str
    low: float | None = None
    high: float | None = None


# --------------------------------------------------------------------------- tables
_PREFIX_CURRENCY = {
    "US$": "USD", "U.S.$": "USD", "USD": "USD", "$": "USD",
    "CA$": "CAD", "C$": "CAD", "Can$": "CAD", "CAD": "CAD",
    "A$": "AUD", "AU$": "AUD", "AUD": "AUD",
    "NZ$": "NZD", "NZD": "NZD",
    "S$": "SGD", "SGD": "SGD",
    "HK$": "HKD", "HKD": "HKD",
    "R$": "BRL", "BRL": "BRL",
    "NT$": "TWD", "TWD": "TWD",
    "MX$": "MXN", "MXN": "MXN",
    "€": "EUR", "EUR": "EUR",
    "£": "GBP", "GBP": "GBP",
    "¥": "JPY", "JP¥": "JPY", "JPY": "JPY",
    "CN¥": "CNY", "RMB": "CNY", "CNY": "CNY",
    "₹": "INR", "Rs.": "INR", "Rs": "INR", "INR": "INR",
    "₩": "KRW", "KRW": "KRW",
    "₪": "ILS", "ILS": "ILS", "NIS": "ILS",
    "CHF": "CHF", "SFr.": "CHF", "SEK": "SEK", "NOK": "NOK", "DKK": "DKK",
    "AED": "AED", "SAR": "SAR", "ZAR": "ZAR", "PLN": "PLN",
    "R": "ZAR",  # "R45 million"; only with a magnitude (not DeepSeek's "R1")
    "KES": "KES", "KSh": "KES", "Ksh": "KES", "NGN": "NGN", "₦": "NGN", "EGP": "EGP",
    "E£": "EGP", "GHS": "GHS", "MAD": "MAD", "COP": "COP", "CLP": "CLP", "PEN": "PEN",
    "ARS": "ARS", "IDR": "IDR", "Rp": "IDR", "MYR": "MYR", "RM": "MYR", "PHP": "PHP",
    "₱": "PHP", "THB": "THB", "฿": "THB", "VND": "VND", "PKR": "PKR", "TRY": "TRY",
    "₺": "TRY", "CZK": "CZK", "HUF": "HUF", "RON": "RON", "QAR": "QAR", "KWD": "KWD",
}
# Prefixes too short to tell money from a name or a model ("R1", "RM2") without a
# magnitude word after the number.
_NEEDS_MAGNITUDE = frozenset({"R", "RM", "Rp"})

# Suffix currency words; the longest alternatives are tried first.
_SUFFIX_CURRENCY = {
    "us dollars": "USD", "u.s. dollars": "USD", "american dollars": "USD",
    "canadian dollars": "CAD", "australian dollars": "AUD", "singapore dollars": "SGD",
    "hong kong dollars": "HKD", "new zealand dollars": "NZD", "taiwan dollars": "TWD",
    "dollars": "USD", "dólares": "USD", "dolares": "USD", "dollar": "USD",
    "euros": "EUR", "euro": "EUR", "pounds sterling": "GBP", "pounds": "GBP",
    "sterling": "GBP", "yen": "JPY", "yuan": "CNY", "renminbi": "CNY", "rupees": "INR",
    "rupee": "INR", "won": "KRW", "swiss francs": "CHF", "francs": "CHF",
    "swedish kronor": "SEK", "kronor": "SEK", "norwegian kroner": "NOK",
    "danish kroner": "DKK", "shekels": "ILS", "reais": "BRL", "reales": "BRL",
    "rand": "ZAR", "naira": "NGN", "kenyan shillings": "KES", "egyptian pounds": "EGP",
    "cedis": "GHS", "colombian pesos": "COP", "mexican pesos": "MXN", "chilean pesos": "CLP",
    "argentine pesos": "ARS", "ringgit": "MYR", "rupiah": "IDR", "baht": "THB",
    "lira": "TRY", "zloty": "PLN", "zlotys": "PLN", "dirhams": "AED", "riyals": "SAR",
    "usd": "USD", "eur": "EUR", "gbp": "GBP", "chf": "CHF", "jpy": "JPY", "inr": "INR",
    "sek": "SEK", "cad": "CAD", "aud": "AUD", "sgd": "SGD", "hkd": "HKD", "krw": "KRW",
}

# Magnitude words -> multiplier.  Case matters only for the one-letter forms.
_MAGNITUDE = {
    "trillion": 1e12, "trillions": 1e12, "tn": 1e12, "tln": 1e12,
    "billion": 1e9, "billions": 1e9, "bn": 1e9, "bln": 1e9, "b": 1e9, "B": 1e9,
    "milliard": 1e9, "milliards": 1e9, "milliarde": 1e9, "milliarden": 1e9, "mrd": 1e9,
    "mrd.": 1e9, "bilhão": 1e9, "bilhões": 1e9, "bilhoes": 1e9, "mil millones": 1e9,
    "million": 1e6, "millions": 1e6, "mn": 1e6, "mln": 1e6, "m": 1e6, "M": 1e6,
    "mio": 1e6, "mio.": 1e6, "millionen": 1e6, "milhão": 1e6, "milhões": 1e6,
    "milhoes": 1e6, "millones": 1e6, "millón": 1e6, "millon": 1e6,
    "thousand": 1e3, "k": 1e3, "K": 1e3,
    "crore": 1e7, "crores": 1e7, "cr": 1e7, "lakh": 1e5, "lakhs": 1e5, "lac": 1e5,
}
_ONE_LETTER = {"b", "B", "m", "M", "k", "K"}

_STATUS_WORDS = {
    "approximate": (
        "about", "around", "approximately", "approx.", "roughly", "nearly", "almost",
        "close to", "some", "circa", "an estimated", "estimated", "just under", "just shy of",
        "~", "cerca de", "aproximadamente", "rund", "etwa", "ca.", "quase", "casi",
    ),
    "up_to": ("up to", "as much as", "até", "hasta", "bis zu"),
    "more_than": (
        "more than", "over", "north of", "upwards of", "in excess of", "at least",
        "well over", "just over", "above", "exceeding", "mais de", "más de", "über",
        "mehr als", "plus de",
    ),
}


_PREFIX_ALT = alternation(_PREFIX_CURRENCY)
_SUFFIX_ALT = alternation(_SUFFIX_CURRENCY)
_MAG_LONG_ALT = alternation(w for w in _MAGNITUDE if w not in _ONE_LETTER)
_STATUS_ALT = alternation(w for words in _STATUS_WORDS.values() for w in words)
_STATUS_OF = {w.lower(): status for status, words in _STATUS_WORDS.items() for w in words}

# Numbers are found first (cheap), then the words around them are matched with small
# anchored patterns: that is much faster than one big pattern tried at every offset.
# 1,234,567.89 | 1.234.567 (only with German magnitudes, see _to_float) | 6.6 | 1,5
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?"
# A digit run is found with a pattern that starts with "\d" (fast to scan for); the
# valid number at its start and the character before it are checked afterwards.
_DIGITS_RE = re.compile(r"\d[\d.,]*")
_NUMBER_RE = re.compile(_NUM)
# Long magnitudes may follow a space; one-letter ones must be glued to the number.
# A scraper may glue the next word on: "$18 millionin a Series A round".
_GLUED_NEXT = r"(?=(?:in|from|to|for|and|at|of|led|with|as|on)\b)"
_MAG = (rf"(?:\s*(?P<mag>(?i:{_MAG_LONG_ALT}))(?:(?![\w])|{_GLUED_NEXT})"
        r"|(?P<mag1>[bBmMkK])(?![\w$€£]))")
# Everything left of the number: optional status words, then a currency prefix.
_LEFT_RE = re.compile(
    rf"(?:(?<![\w])(?P<status>(?i:{_STATUS_ALT}))\s*)?(?<![A-Za-z0-9])(?P<cur>{_PREFIX_ALT})\s?$"
)
_PREFIX_LAST_CHARS = frozenset(c[-1] for c in _PREFIX_CURRENCY)
_LEFT_STATUS_RE = re.compile(rf"(?<![\w])(?P<status>(?i:{_STATUS_ALT}))\s*$")
# Everything right of the number: a range end, magnitude, suffix currency, "+".
_RIGHT_RE = re.compile(
    rf"(?:\s?(?:-|–|to)\s?(?P<num2>{_NUM}))?{_MAG}?"
    rf"(?:\s+(?:(?:of|de|in)\s+|d['’])?(?P<scur>(?i:{_SUFFIX_ALT}))(?![\w]))?"
    r"(?P<plus>\+|-plus\b|\s+or\s+more\b)?"
)
_LEFT_WINDOW = 28
_THOUSANDS_RE = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_GERMAN_THOUSANDS_RE = re.compile(r"\d{1,3}\.\d{3}")
_SPACES_RE = re.compile(r"\s+")

_UNDISCLOSED_RE = re.compile(
    r"\b(?:an?\s+)?(?:undisclosed|unspecified|unannounced|unrevealed|(?:six|seven|eight|nine)"
    r"-figure)\s+(?:amount|sum|figure|round|funding|investment|financing|seed|series|deal|"
    r"terms|price|valor|montante)\b"
    r"|\bvalor\s+n[ãa]o\s+(?:divulgado|revelado)\b",
    re.IGNORECASE,
)
# Substrings that must occur for _UNDISCLOSED_RE to match (a cheap pre-check).
_UNDISCLOSED_HINTS = ("undisclos", "unspecif", "unannounc", "unreveal", "-figure", "valor")
_GLUED_CODE_RE = re.compile(  # a code written against the number: "CHF6.2M", "R45 million"
    r"(?<![A-Za-z])(?:" + "|".join(c for c in _PREFIX_CURRENCY if c.isalpha() and (
        (c.isupper() and len(c) == 3) or c in _NEEDS_MAGNITUDE or c in ("KSh", "Ksh"))) + r")$")
_BETWEEN_RE = re.compile(r"\bbetween\s*$", re.IGNORECASE)
_GERMAN_MAGNITUDES = {"mrd", "mrd.", "mio", "mio.", "millionen", "milliarden", "milliarde"}


# --------------------------------------------------------------------------- parsing
def _to_float(num: str, german_magnitude: bool) -> float:
    """Parse "1,200", "6.6", "1,5" (decimal comma) and "1.500" (German thousands)."""
    if _THOUSANDS_RE.fullmatch(num):
        return float(num.replace(",", ""))
    if "," in num:  # a single comma followed by 1-2 or 4+ digits is a decimal comma
        return float(num.replace(",", "."))
    if german_magnitude and _GERMAN_THOUSANDS_RE.fullmatch(num):
        return float(num.replace(".", ""))
    return float(num)


def _magnitude(right: re.Match) -> tuple[float, bool]:
    """(multiplier, is_german) of the magnitude word after a number."""
    word = right.group("mag") or right.group("mag1")
    if not word:
        return 1.0, False
    key = word if word in _ONE_LETTER else word.lower()
    return _MAGNITUDE[key], key in _GERMAN_MAGNITUDES


def _currency(left: re.Match | None, right: re.Match) -> str:
    suffix = _SUFFIX_CURRENCY[right.group("scur").lower()] if right.group("scur") else None
    if left is None:
        return suffix  # type: ignore[return-value]  # callers ensure one of the two exists
    code = _PREFIX_CURRENCY[left.group("cur")]
    if left.group("cur") == "$" and suffix is not None and right.group("scur").isupper():
        return suffix  # "$20 million CAD": a bare dollar sign, then the code that says which
    return "CNY" if code == "JPY" and suffix == "CNY" else code  # "¥500 million yuan"


def _status(status_word: str | None, right: re.Match) -> str:
    if right.group("plus"):
        return "more_than"
    if status_word:
        return _STATUS_OF[_SPACES_RE.sub(" ", status_word.lower())]
    return "exact"


def _parse_at(num: re.Match, text: str) -> Money | None:
    """Build a Money around the number matched by ``num`` (or ``None``)."""
    window_start = max(0, num.start() - _LEFT_WINDOW)
    # A prefix currency ends at most 3 characters before the number (a space, and "$"
    # matching before a final newline); most numbers have none, so skip the search.
    left = (_LEFT_RE.search(text, window_start, num.start())
            if not _PREFIX_LAST_CHARS.isdisjoint(text[max(0, num.start() - 3) : num.start()])
            else None)
    right = _RIGHT_RE.match(text, num.end())
    if left is None and not right.group("scur"):
        return None
    mult, german = _magnitude(right)
    if left is None and mult == 1.0 and "," not in num.group(0):
        return None  # "3 dollars", "won 2 awards": suffix form needs a magnitude or 1,000s
    if left is not None and left.group("cur") in _NEEDS_MAGNITUDE and mult == 1.0:
        return None
    try:
        value = _to_float(num.group(0), german) * mult
        high = _to_float(right.group("num2"), german) * mult if right.group("num2") else None
    except ValueError:
        return None
    if left is not None:
        start, status_word = left.start(), left.group("status")
    else:
        st = _LEFT_STATUS_RE.search(text, window_start, num.start())
        start = st.start() if st else num.start()
        status_word = st.group("status") if st else None
    status = _status(status_word, right)
    low = None
    if high is not None and high > value:  # "$10-15 million"
        low, value, status = value, (value + high) / 2, "approximate"
    end = right.end()  # a redundant suffix ("US$5 million dollars") is part of the span
    return Money(value, _currency(left, right), status, start, end, text[start:end], low,
                 high if low is not None else None)


def _merge_ranges(found: list[Money], text: str) -> list[Money]:
    """Fold "$10 million to $15 million" / "between $10M and $15M" into one range."""
    out: list[Money] = []
    for money in found:
        prev = out[-1] if out else None
        if not (prev and prev.amount is not None and money.amount is not None
                and prev.currency == money.currency and money.amount > prev.amount):
            out.append(money)
            continue
        between = _BETWEEN_RE.search(text, max(0, prev.start - 12), prev.start)
        joiner = text[prev.end : money.start].strip()
        if joiner in ("-", "–", "to") or (joiner == "and" and between):
            start = between.start() if between and joiner == "and" else prev.start
            out[-1] = Money((prev.amount + money.amount) / 2, prev.currency, "approximate",
                            start, money.end, text[start : money.end],
                            prev.amount, money.amount)
        else:
            out.append(money)
    return out


def find_money(text: str) -> list[Money]:
    """Return every money mention in ``text`` in order of appearance."""
    found: list[Money] = []
    for run in _DIGITS_RE.finditer(text):
        start = run.start()
        if (start and (text[start - 1].isalnum() or text[start - 1] in "_.,")
                and not _GLUED_CODE_RE.search(text, max(0, start - 4), start)):
            continue  # inside a word or a longer number ("A16z", "v2.1"), not "CHF6.2M"
        if found and start < found[-1].end:
            continue  # the upper end of a range already consumed
        num = _NUMBER_RE.match(text, start)
        money = _parse_at(num, text)
        if money is not None:
            found.append(money)
    low = text.lower()
    if any(h in low for h in _UNDISCLOSED_HINTS):
        for m in _UNDISCLOSED_RE.finditer(text):
            if not any(f.start < m.end() and m.start() < f.end for f in found):
                found.append(Money(None, None, "undisclosed", m.start(), m.end(), m.group(0)))
        found.sort(key=lambda f: f.start)
    return _merge_ranges(found, text)


def parse_money(text: str) -> Money | None:
    """Return the first money mention in ``text`` (``None`` if there is none)."""
    found = find_money(text)
    return found[0] if found else None
