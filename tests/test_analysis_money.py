"""Money amounts as the press writes them: value, currency, status, span."""

import re
from datetime import date

import pytest

from analysis import fx, money
from analysis._text import alternation
from analysis.money import find_money, parse_money


@pytest.mark.parametrize(
    ("text", "amount", "currency", "status"),
    [
        ("raised $6.6 billion", 6.6e9, "USD", "exact"),
        ("has raised CHF6.2M ($6.8M)", 6.2e6, "CHF", "exact"),
        ("a SGD1.5M seed round", 1.5e6, "SGD", "exact"),
        ("raised $6.6B", 6.6e9, "USD", "exact"),
        ("captou US$20 bilhões", 20e9, "USD", "exact"),
        ("a €173 million round", 173e6, "EUR", "exact"),
        ("bags £10m seed", 10e6, "GBP", "exact"),
        ("raised Rs 100 crore", 1e9, "INR", "exact"),
        ("raised Rs. 50 lakh", 5e6, "INR", "exact"),
        ("raised ₹100 crore", 1e9, "INR", "exact"),
        ("raised ¥10 billion", 10e9, "JPY", "exact"),
        ("raised ¥500 million yuan", 500e6, "CNY", "exact"),
        ("raised CA$5 million", 5e6, "CAD", "exact"),
        ("raised C$5M", 5e6, "CAD", "exact"),
        ("raised A$25m", 25e6, "AUD", "exact"),
        ("raised S$12 million", 12e6, "SGD", "exact"),
        ("raised HK$80 million", 80e6, "HKD", "exact"),
        ("raised R$ 50 milhões", 50e6, "BRL", "exact"),
        ("raised ₩150 billion", 150e9, "KRW", "exact"),
        ("raised CHF 20 million", 20e6, "CHF", "exact"),
        ("raised SEK 200 million", 200e6, "SEK", "exact"),
        ("raised USD 5M", 5e6, "USD", "exact"),
        ("raised $2.5M", 2.5e6, "USD", "exact"),
        ("raised $500K", 500e3, "USD", "exact"),
        ("raised $500,000", 500e3, "USD", "exact"),
        ("raised $1,200,000", 1.2e6, "USD", "exact"),
        ("secured 40 million dollars", 40e6, "USD", "exact"),
        ("raised 2 billion yuan", 2e9, "CNY", "exact"),
        ("raised 1.5 billion yen", 1.5e9, "JPY", "exact"),
        ("raised 100 crore rupees", 1e9, "INR", "exact"),
        ("raised $1.2bn", 1.2e9, "USD", "exact"),
        ("raised €105mn", 105e6, "EUR", "exact"),
        ("hat €1,5 Mrd eingesammelt", 1.5e9, "EUR", "exact"),
        ("1,5 Milliarden Euro", 1.5e9, "EUR", "exact"),
        ("€1.500 Mio", 1.5e9, "EUR", "exact"),
        ("20 bilhões de dólares", 20e9, "USD", "exact"),
        ("30 millones de dólares", 30e6, "USD", "exact"),
        ("a levé 600 millions d'euros", 600e6, "EUR", "exact"),
        ("about $600 million", 600e6, "USD", "approximate"),
        ("roughly $150 million", 150e6, "USD", "approximate"),
        ("nearly $10 million", 10e6, "USD", "approximate"),
        ("~$5M", 5e6, "USD", "approximate"),
        ("rund 12 Milliarden Euro", 12e9, "EUR", "approximate"),
        ("up to $50 million", 50e6, "USD", "up_to"),
        ("as much as $1 billion", 1e9, "USD", "up_to"),
        ("more than $100 million", 100e6, "USD", "more_than"),
        ("over $3M", 3e6, "USD", "more_than"),
        ("north of $1bn", 1e9, "USD", "more_than"),
        ("a $50M+ round", 50e6, "USD", "more_than"),
        ("a $50 million-plus round", 50e6, "USD", "more_than"),
    ],
)
def test_amount_currency_status(text, amount, currency, status):
    m = parse_money(text)
    assert m is not None, text
    assert m.amount == pytest.approx(amount)
    assert (m.currency, m.status) == (currency, status)


@pytest.mark.parametrize(
    ("text", "raw"),
    [
        ("Acme raised more than $40 million today", "more than $40 million"),
        ("Acme raised £10m in a seed round", "£10m"),
        ("It raised Rs 100 crore (about $12 million)", "Rs 100 crore"),
        ("Bergwerk hat €1,5 Mrd eingesammelt", "€1,5 Mrd"),
        ("Korra secured 40 million dollars in fresh capital", "40 million dollars"),
    ],
)
def test_span_and_raw_text(text, raw):
    m = parse_money(text)
    assert m.raw == raw
    assert text[m.start : m.end] == raw


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("a round of $10-15 million", 10e6, 15e6),
        ("between $10 million and $15 million", 10e6, 15e6),
        ("$500 million to $600 million", 500e6, 600e6),
    ],
)
def test_ranges_are_one_approximate_amount(text, low, high):
    found = find_money(text)
    assert len(found) == 1
    m = found[0]
    assert (m.low, m.high, m.status) == (low, high, "approximate")
    assert m.amount == pytest.approx((low + high) / 2)


@pytest.mark.parametrize(
    "text",
    ["for an undisclosed sum", "an undisclosed amount", "an eight-figure round",
     "raised an unspecified amount"],
)
def test_undisclosed_amounts(text):
    m = parse_money(text)
    assert (m.amount, m.currency, m.status) == (None, None, "undisclosed")
    assert text[m.start : m.end] == m.raw


def test_several_amounts_in_order():
    text = "Acme raised $60 million at a $400 million valuation, up from €90m."
    found = find_money(text)
    assert [(m.amount, m.currency) for m in found] == [
        (60e6, "USD"), (400e6, "USD"), (90e6, "EUR")]
    assert [text[m.start : m.end] for m in found] == ["$60 million", "$400 million", "€90m"]


@pytest.mark.parametrize(
    "text",
    [
        "In 2024 the company had 300 employees.",
        "The team won 2 awards and 3 patents.",
        "Its Series A1 shares and a16z's stake",
        "The model has 70 billion parameters.",
        "It grew 40% to 1,200 customers.",
        "Acme$5 is a product code",
    ],
)
def test_no_false_positives(text):
    assert find_money(text) == []


def test_one_letter_magnitudes_must_be_glued():
    # "$5 more" is five dollars, not five million
    m = parse_money("costs $5 more per seat")
    assert m.amount == 5.0


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("raised KES 650 million (about US$5 million)", 650e6, "KES"),
        ("has raised R45 million in a Series A", 45e6, "ZAR"),
        ("secured COP 40 billion in financing", 40e9, "COP"),
        ("raised EGP 120 million (around $2.5 million)", 120e6, "EGP"),
        ("a ₦4.2 billion seed round", 4.2e9, "NGN"),
        ("raised RM20 million", 20e6, "MYR"),
        ("raised 300 million naira", 300e6, "NGN"),
    ],
)
def test_african_latin_american_and_asian_currencies(text, amount, currency):
    m = parse_money(text)
    assert (m.amount, m.currency) == (amount, currency)
    assert fx.to_usd(m.amount, m.currency, date(2025, 6, 1)) is not None


def test_a_short_prefix_needs_a_magnitude():
    # DeepSeek's "R1" is a model and "RM2" a room, not rand or ringgit
    assert find_money("DeepSeek released R1 and then R2 in RM2.") == []


def test_a_dollar_sign_then_the_code_that_says_which_dollar():
    assert (parse_money("$20 million CAD").currency, parse_money("$4.5M USD").currency) == (
        "CAD", "USD")


def _flat(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# The tables' words, and words that extend others ("pull" / "pull in" / "pulls in"), so
# that the longest-first order and the backtracking after a failed longer word are tried.
_WORD_LISTS = [
    list(money._PREFIX_CURRENCY), list(money._SUFFIX_CURRENCY), list(money._MAGNITUDE),
    [w for words in money._STATUS_WORDS.values() for w in words],
    ["pull", "pull in", "pulls in", "rais", "raise", "raised", "raises", "co-lead", "co-led",
     "lead", "led", "us dollars", "u.s. dollars", "dollars", "dollar", "$", "US$", "U.S.$"],
]


@pytest.mark.parametrize("words", _WORD_LISTS)
def test_a_trie_alternation_matches_as_the_flat_one(words):
    # the word lists are written as tries for speed: the matches must stay those of the
    # flat alternation, longest word first, with and without a check after the word (under
    # re.I for lists in lower case, as alternation() asks)
    texts = [f"{a}{sep}{b}" for a in words for b in words[:12] for sep in ("", " ", "-", "x")]
    texts += [t.upper() for t in texts]
    for tail in ("", r"(?![\w])", r"\s+in\b"):
        for flags in (0, re.I) if all(w == w.lower() for w in words) else (0,):
            trie = re.compile(f"(?:{alternation(words)}){tail}", flags)
            flat = re.compile(f"(?:{_flat(words)}){tail}", flags)
            for text in texts:
                assert [m.span() for m in trie.finditer(text)] == [
                    m.span() for m in flat.finditer(text)], (text, tail, flags)
