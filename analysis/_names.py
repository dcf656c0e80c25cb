"""Internal helpers to pick organisation names out of news sentences.

Two jobs:

* ``trailing_name`` / ``leading_name``: find the proper-noun run that ends (or starts) a
  piece of text, dropping descriptors such as "Paris-based AI startup" or
  "Bengaluru's" so that "French AI startup Mistral AI" gives "Mistral AI";
* ``split_names``: split an investor list ("A, B and C, among others") into names.

Names are recognised by shape (capitalised words, "xAI", "a16z", "11x", connectors
such as "of"/"&" inside a run), not by a dictionary.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from ._text import PLACES
from .aliases import alias_rows, user_alias_files

__all__ = ["trailing_name", "leading_name", "split_names", "is_generic_name", "clean_name",
           "most_named"]


_TOKEN_RE = re.compile(r"[^\s,;:()\[\]\"“”!?]+")
_CONNECTORS = {"of", "de", "du", "des", "la", "le", "van", "von", "der", "da", "do", "dos",
               "del", "&", "+", "y", "für", "for"}
# Capitalised words that start sentences or titles but are never part of a name.
_STOP = {
    "the", "a", "an", "it", "its", "this", "that", "these", "today", "yesterday", "now",
    "in", "on", "at", "as", "for", "with", "after", "and", "but", "by", "from", "to",
    "exclusive", "report", "breaking", "update", "scoop", "funding", "news", "watch",
    "according", "meanwhile", "however", "also", "both", "all", "new", "existing", "other",
    "investors", "investor", "backers", "meet", "inside", "how", "why", "what", "when",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "he", "she", "they", "we", "our", "his", "her",
    "their", "series", "seed", "round", "ceo", "founder", "co-founder", "chief", "said",
    "per", "sources", "source", "here", "earlier", "last", "via", "plus", "additional",
    "returning", "participating",
    "das", "der", "die", "den", "dem", "el", "los", "las", "o", "os",
}
# Nouns that describe a company ("AI startup Acme"); everything up to them is dropped.
_DESCRIPTORS = {
    "startup", "start-up", "startups", "company", "firm", "maker", "chipmaker", "developer",
    "provider", "platform", "unicorn", "operator", "insurer", "lender", "fintech",
    "insurtech", "agritech", "agtech", "biotech", "edtech", "healthtech", "medtech",
    "proptech", "legaltech", "regtech", "cleantech", "climatetech", "deeptech", "spinout",
    "spin-off", "spinoff", "scaleup", "scale-up", "outfit", "rival", "supplier", "creator",
    "specialist", "manufacturer", "builder", "lab", "labs", "chain", "marketplace", "app",
    "neobank", "retailer", "arm", "unit", "division", "investor", "investors",
    "fundo", "empresa", "operadora", "pioneer", "leader", "innovator", "carmaker", "automaker",
}
# Descriptors that also open real names when capitalised ("Builder Prime", "App Annie").
_NAME_WORDS = {"maker", "builder", "lab", "labs", "chain", "app", "creator", "platform", "pioneer",
               "specialist", "outfit", "arm", "unit"}
# A number that opens a name: "90 Seconds", "10 Pearls" (never a year or an amount).
_NUMBER_HEAD_RE = re.compile(r"^\d{1,3}$")
_NOT_AFTER_NUMBER = {"million", "billion", "thousand", "percent", "per", "years", "months",
                     "days", "weeks", "times", "startups", "companies", "investors"}
_ADJECTIVE_SUFFIX_RE = re.compile(
    r"-(?:based|backed|led|focused|owned|born|headquartered|founded|funded|native|first|"
    r"powered|driven|centric)$", re.I)
_NATIONALITY_RE = re.compile(
    r"^(?:American|British|French|German|Indian|Chinese|Japanese|Korean|Israeli|Brazilian|"
    r"Canadian|Australian|Nigerian|Kenyan|Swiss|Dutch|Swedish|Danish|Norwegian|Finnish|"
    r"Spanish|Italian|Irish|Polish|European|Asian|African|Singaporean|Indonesian|Mexican|"
    r"Emirati|Saudi|Turkish|Estonian|Belgian|Austrian|Portuguese|Argentine|Chilean|"
    r"Colombian|Vietnamese|Thai|Egyptian|Texas|California|Californian|Bay|Area|"
    r"Silicon|Valley|U\.S\.-?|US-?|UK-?)$")
_GEO = PLACES
# "Beenext from Japan": the place is not part of the investor's name.
_FROM_PLACE_RE = re.compile(r"\s+(?:from|in|of|based\s+in)\s+((?:the\s+)?[A-Z][\w.]*"
                            r"(?:\s+[A-Z][\w.]*)?)$")
_POSSESSIVE_RE = re.compile(r"['’]s$")
_LEGAL_ABBREV_RE = re.compile(r"\b(?:Inc|Corp|Co|Ltd)$")
_PUNCT_GAP_RE = re.compile(r"[,;:()\[\]\"“”!?]")
_LOWER_WORD_RE = re.compile(r"[a-z][a-z\-]*")
_PARENS_RE = re.compile(r"\s*\([^)]*\)")
# "Kibbutz Sde Eliyahu's investment arm, Eliyahu Holdings": the arm is the investor
_OWNERS_ARM_RE = re.compile(r"(?:[A-Z][\w&.'’-]*\s+){0,5}[\w&.-]+['’]s\s+(?:[\w-]+\s+){0,2}"
                            r"(?:arm|unit|fund|vehicle|division)\s*,\s+(?=[A-Z])")
# "Innovate UK's Farming Innovation Programme": the body that runs it gives the money
_OWNERS_PROGRAMME_RE = re.compile(r"\b((?:[A-Z][\w&.-]*\s+){0,4}[A-Z][\w&.-]*)['’]s\s+(?:[A-Z][\w-]*\s+)"
                                  r"{0,4}(?:Programme|Program|Scheme|Initiative)\b")
# "EIFO, the Export and Investment Fund of Denmark": initials, then what they stand for
_SPELLED_OUT_RE = re.compile(r"(?<=[A-Z]{2}),\s+the\s+(?:[A-Z][\w-]*\s+)(?:(?:[A-Z][\w-]*|and|of|"
                             r"for|&)\s+){0,6}[A-Z][\w-]*(?=\s*(?:,|$))")
# "the European Innovation Council (EIC) Accelerator programme": the body that gives, not
# its programme
_PROGRAMME_OF_RE = re.compile(r"\s*\([A-Z]{2,6}\)(?:\s+[A-Z][\w-]*){0,3}\s+(?:programme|program|"
                              r"scheme|initiative|challenge)\b")
# Lower-case words that end the search for a name after a preposition.
_CLAUSE_WORDS = {"to", "that", "which", "who", "with", "for", "as", "at", "on", "by", "is",
                 "was", "has", "have", "will", "and", "said", "says", "after", "led", "from",
                 "its", "their", "it", "in", "of", "this", "last", "earlier"}


_DOTTED_BRAND_RE = re.compile(r"[a-z][a-z0-9-]{2,}\.[a-z][a-z0-9-]+")  # "imec.xpand", "another.vc"


def _is_name_token(tok: str) -> bool:
    t = tok.strip(".'’\"-")
    if not t or not t[0].isalnum():
        return False
    if t[0].isupper():
        return True
    if t[0].isdigit():
        return any(c.isalpha() for c in t)
    return (any(c.isupper() for c in t[1:]) or any(c.isdigit() for c in t)
            or bool(_DOTTED_BRAND_RE.fullmatch(t)))


def _is_stop(tok: str) -> bool:
    if tok == "Plus":
        return False  # "Aarogya Plus", "Disney Plus": part of the name; "plus" joins a list
    return tok.lower().strip(".,'’") in _STOP


def _is_descriptor(low: str) -> bool:
    """"startup", or a hyphenated word ending in one ("KI-Start-up", "AI-startup")."""
    parts = low.split("-")
    return any("-".join(parts[i:]) in _DESCRIPTORS for i in range(len(parts)))


def _trim(run: list[re.Match]) -> list[re.Match]:
    """Drop descriptors, connectors and stop words around a token run."""
    cut = 0
    for i, m in enumerate(run[:-1]):
        tok = m.group(0)
        low = tok.lower().rstrip(".,")
        if i == 0 and low in _NAME_WORDS and tok[:1].isupper():
            continue  # "Builder Prime", "Chain Reaction": a capitalised first word is the name
        if (_is_descriptor(low) or _ADJECTIVE_SUFFIX_RE.search(tok)
                or _POSSESSIVE_RE.search(tok) or (i == cut and _NATIONALITY_RE.match(tok))):
            cut = i + 1
    run = run[cut:]
    while run and (run[0].group(0).lower() in _CONNECTORS or _is_stop(run[0].group(0))):
        run = run[1:]
    while run and (run[-1].group(0).lower() in _CONNECTORS or _is_stop(run[-1].group(0))):
        run = run[:-1]
    return run


def _run_text(text: str, run: list[re.Match]) -> tuple[str, int, int] | None:
    if not run:
        return None
    start, end = run[0].start(), run[-1].end()
    name = text[start:end]
    name = _POSSESSIVE_RE.sub("", name).rstrip(".,'’-")
    if _LEGAL_ABBREV_RE.search(name) and text[end - 1 : end] == ".":
        name += "."
    if not name or is_generic_name(name) or (len(run) == 1 and _ADJECTIVE_SUFFIX_RE.search(name)):
        return None
    return name, start, start + len(name)


def trailing_name(text: str) -> tuple[str, int, int] | None:
    """The name run that ends ``text`` -> (name, start, end) or ``None``.

    >>> trailing_name("Paris-based AI startup Mistral AI")[0]
    'Mistral AI'
    """
    tokens = list(_TOKEN_RE.finditer(text))
    run: list[re.Match] = []
    for m in reversed(tokens):
        tok = m.group(0)
        name_like = _is_name_token(tok) and not (run and _is_stop(tok) and tok.lower() != "the")
        if name_like or (run and tok.lower() in _CONNECTORS):
            run.insert(0, m)
        else:
            break
        if _gap(text, run):
            run.pop(0)
            break
    run = _trim(run)
    if run:
        k = tokens.index(run[0])
        if (k > 0 and _NUMBER_HEAD_RE.match(tokens[k - 1].group(0))
                and run[0].group(0).lower() not in _NOT_AFTER_NUMBER
                and not _gap(text, [tokens[k - 1], run[0]])):
            run.insert(0, tokens[k - 1])
    return _run_text(text, run)


def leading_name(text: str) -> tuple[str, int, int] | None:
    """The first name run in ``text`` (after descriptors) -> (name, start, end) or ``None``.

    A run followed by a descriptor and another run ("the Oakland startup Corvid") yields
    the later run.

    >>> leading_name("AI security startup Patchwork, a company that")[0]
    'Patchwork'
    """
    tokens = list(_TOKEN_RE.finditer(text))
    i = 0
    while i < len(tokens):
        tok = tokens[i].group(0)
        if _is_name_token(tok):
            j = i + 1
            while (j < len(tokens) and not _gap(text, [tokens[j - 1], tokens[j]])
                   and (_is_name_token(tokens[j].group(0))
                        or tokens[j].group(0).lower() in _CONNECTORS)):
                j += 1
            k = j
            while (k < len(tokens) and tokens[k].group(0).lower() in _DESCRIPTORS
                   and not _gap(text, [tokens[k - 1], tokens[k]])):
                k += 1
            if k > j and k < len(tokens) and _is_name_token(tokens[k].group(0)):
                i = k
                continue
            found = _run_text(text, _trim(tokens[i:j]))
            if found:
                return found
            i = j
            continue
        if tok.lower() in _CLAUSE_WORDS or not _LOWER_WORD_RE.fullmatch(tok):
            return None
        i += 1
    return None


# A one-word name, and whether a speech verb follows it ("Lie says": a person quoted). The
# capital comes before the lookbehind that checks the character before it: a pattern that
# opens with a character class lets ``re`` skip to the capitals.
_SINGLE_NAME_RE = re.compile(r"[A-Z](?<![\w.-][A-Z])[A-Za-z0-9]*[a-z][A-Za-z0-9]*(?![\w-])"
                             r"(?=(?P<says>\s+(?:says|said|tells|told|adds|added|explains|"
                             r"explained|notes|noted|recalls|recalled|believes)\b))?")


def most_named(texts: list[str]) -> tuple[str, int]:
    """The one-word name written most often in ``texts`` and its count (``("", 0)`` if none).

    >>> most_named(["Zefo buys TVs.", "In May, Zefo sold 30 TVs.", "Zefo is in Pune."])
    ('Zefo', 3)
    """
    counts: dict[str, int] = {}
    people: set[str] = set()
    for text in texts:
        for m in _SINGLE_NAME_RE.finditer(text):
            tok = m.group(0)
            if m.group("says"):
                people.add(tok)  # "Lie says": a person quoted, not the company
            if _may_be_company(tok):
                counts[tok] = counts.get(tok, 0) + 1
    counts = {k: v for k, v in counts.items() if k not in people}
    if not counts:
        return "", 0
    best = max(counts, key=lambda k: counts[k])
    return best, counts[best]


@lru_cache(maxsize=4096)  # a story writes the same few names over and over
def _may_be_company(tok: str) -> bool:
    """Not a capitalised word that names no company ("The", "India", "Startup", "CEO")."""
    low = tok.lower()
    return not (low in _STOP or low in _GEO or low in _CLAUSE_WORDS or _is_descriptor(low)
                or _NATIONALITY_RE.match(tok) or low in _JOB_TITLES)


def _gap(text: str, run: list[re.Match]) -> bool:
    """True if the two first tokens of ``run`` are separated by punctuation."""
    if len(run) < 2:
        return False
    between = text[run[0].end() : run[1].start()]
    return bool(_PUNCT_GAP_RE.search(between))


# --------------------------------------------------------------------------- investor lists
_GENERIC_RE = re.compile(
    r"^(?:we['’](?:ve|re|ll|d)|i['’](?:ve|m)|they['’](?:ve|re)|it['’]s|"  # "We've closed a $35M"
    r"(?:the\s+)?(?:company|startup|firm|round|funding|investors?|backers?|others?|it|they|ai|"
    r"series\s+\w+|seed|ceo|founders?|team|management|employees|undisclosed.*|"
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b.*|\d[\d,.]*))$",
    re.I,
)
_ITEM_SPLIT_RE = re.compile(r",\s*(?:and\s+|&\s+)?|\s+and\s+|\s*;\s*|\s+as\s+well\s+as\s+|"
                            r"\s+plus\s+|\s+e\s+pel[oa]s?\s+|\s+y\s+")
# Generic nouns are fillers only in lower case ("existing investors Accel"); capitalised
# they belong to names ("Partner Capital", "New Enterprise Associates").
_LEADING_FILLER_RE = re.compile(
    r"^(?:(?:and|also|both|including|include[sd]?|such\s+as|like|from|by|with|plus|"
    r"participation\s+(?:from|by|of)|(?:a\s+)?(?:group|clutch|host|number|syndicate)\s+of|"
    r"(?:funds?|entities|vehicles?|accounts?|clients)\s+(?:managed|advised|affiliated)\s+"
    r"(?:by|with)|"
    r"affiliates?\s+of|[Tt]he|an?|its|their|pel[oa]s?|por|von|e|y)\s+"
    r"|(?:[Ee]xisting|[Nn]ew|[Oo]ther|[Rr]eturning|[Aa]dditional|[Pp]articipating|[Pp]revious|"
    r"[Nn]otable|[Pp]rominent|[Ss]trategic|[Ii]nstitutional|[Ii]ndividual|[Aa]ngel|[Ss]eed|"
    r"[Ee]arly|[Ll]ead|[Bb]oth)\s+(?:[a-z-]+\s+)?(?:investors?|backers?|shareholders?|"
    r"partners?|lenders?|firms?|funds?|VCs?|angels?)\s+"
    r"|(?:[Ii]nvestors?|[Bb]ackers?|venture(?:\s+capital)?\s+firms?|investment\s+firms?|"
    r"firms?|VCs?|angels?|angel\s+investors?|shareholders?|lenders?|banks?|funds?)\s+)+"
)
_TRAILING_FILLER_RE = re.compile(
    r"(?:\s*,?\s*(?:(?:and|among|with)\s+others?|among\s+others|and\s+other\s+.*|"
    r"(?:also|too|as\s+well|respectively|each|both)|who\s+.*|which\s+.*|"
    r"['’]s?\s+(?:venture|investment|corporate|growth|capital)\s+(?:capital\s+)?"
    r"(?:arm|unit|fund|division)))+$"
    r"|(?<=[A-Za-z])\s+(?-i:fund|firm|syndicate)$",  # "the South Park Commons fund"
    re.I,
)


def is_generic_name(name: str) -> bool:
    """True for words that look like names but are not ("The company", "Series B", "March")."""
    return bool(_GENERIC_RE.match(name.strip()))


# Job titles: "Intel CEO Lip-Bu Tan" is the person, "Chairman of Walden" is no name at all.
_JOB_TITLES = {"ceo", "cto", "cfo", "coo", "cpo", "cmo", "chairman", "chairwoman", "chair",
               "president", "founder", "co-founder", "cofounder", "partner", "director",
               "head", "chief", "vp", "executive", "md", "gp", "engineer", "investor",
               "entrepreneur", "angel", "veteran", "alum", "alumnus", "professor"}
_TITLE_LAST = {"ceo", "cto", "cfo", "coo", "cpo", "cmo", "chairman", "chairwoman", "president",
               "founder", "co-founder", "cofounder", "director", "vp", "md"}
# A clause, not a name: "He has also worked at Goldman Sachs", "Plotline was founded by".
_CLAUSE_VERBS = {"has", "have", "had", "was", "were", "is", "are", "been", "be", "will",
                 "would", "said", "says", "worked", "works", "founded", "joined", "led",
                 "serves", "served", "became", "who", "which"}
_PRONOUNS = {"he", "she", "we", "they", "it", "i", "you", "us", "our", "his", "her", "their"}
_HONORIFICS = {"dr", "mr", "mrs", "ms", "prof", "sir", "dame"}  # "Dr. Samuel Yin" is "Samuel Yin"


_HYPHEN_DESCRIPTOR_RE = re.compile(r"-(?:investors?|investoren|geldgeber|backers?|firm|fund)$")


def _person_or_org(item: str) -> str | None:
    """Drop descriptors written before a name: "GitHub engineer Zach Holman" -> "Zach Holman",
    "Boston-based Accomplice" -> "Accomplice"; ``None`` for a clause or a bare title."""
    tokens = item.split()
    lows = [t.lower().strip(".,") for t in tokens]
    if lows[0] in _PRONOUNS or any(w in _CLAUSE_VERBS for w in lows):
        return None
    if lows[0] in _JOB_TITLES and len(lows) > 1 and lows[1] in {"of", "at"}:
        return None
    if len(lows) > 1 and lows[-1] in _TITLE_LAST:
        return None  # "Intel CEO": a title, the person's name is elsewhere
    if " ".join(lows) in _GEO:
        return None  # "Beenext from Japan" gives no investor "Japan"
    cut = 0
    for i, (tok, low) in enumerate(zip(tokens[:-1], lows[:-1], strict=False)):
        if (low in _JOB_TITLES or low in _HONORIFICS or _ADJECTIVE_SUFFIX_RE.search(tok)
                or _HYPHEN_DESCRIPTOR_RE.search(low)  # "US-Investor General Catalyst"
                or (_LOWER_WORD_RE.fullmatch(tok) and low not in _CONNECTORS
                    and low != "and")):
            cut = i + 1
    return " ".join(tokens[cut:]) if cut else item


def clean_name(item: str) -> str | None:
    """Strip list fillers ("existing investors", "among others") from one list item."""
    item = _PARENS_RE.sub("", item).strip(" .,;:'\"“”")
    prev = None
    while prev != item:
        prev = item
        item = _LEADING_FILLER_RE.sub("", item)
        item = _TRAILING_FILLER_RE.sub("", item).strip(" .,;:'\"“”")
    if not item or is_generic_name(item):
        return None
    known, low = _known_names(user_alias_files()), item.lower()
    at = 0
    while True:  # the item and each of its word-start suffixes
        if low[at:] in known:
            return item[at:]  # "Singapore-based Monk's Hill Ventures": the listed name
        at = low.find(" ", at) + 1
        if not at:
            break
    place = _FROM_PLACE_RE.search(item)
    if place and place.group(1).lower() in _GEO:
        item = item[: place.start()]
    item = _person_or_org(item)
    item = _LEADING_FILLER_RE.sub("", item) if item else item  # "climate VC Extantia Capital"
    if not item or len(item.strip(".")) < 2 or is_generic_name(item):
        return None
    tokens = item.split()
    if not _is_name_token(tokens[0]) or any(
            (t[:1].islower() and _is_descriptor(t)) or _POSSESSIVE_RE.search(t)
            for t in tokens[:-1]):  # a capitalised "Developer Capital" is a name
        found = trailing_name(item)  # "venture arm NVentures", "fundo canadense Maplewood"
        if found:
            item = found[0]
    tokens = item.split()
    last_ok = _is_name_token(tokens[-1]) or (len(tokens) > 1 and tokens[-1].isdigit())
    if len(tokens) > 8 or not last_ok or not _is_name_token(tokens[0]):
        return None
    if any(c in item for c in "$€£¥₹"):
        return None
    return item


# "Bethesda, Md.-based Lockheed Martin Ventures": the city and state are not names.
_CITY_BASED_RE = re.compile(r"(?:[A-Z][\w.]*\s+){0,2}[A-Z][\w.]*,\s+[A-Z][a-z]{0,3}\.?-"
                            r"(?:based|headquartered)\s+")
# ", Alphabet's venture capital arm," / ", a Boston firm," describe the previous name.
_APPOSITIVE_RE = re.compile(
    r",\s+(?:an?\s+|the\s+)?(?:[\w.&'’-]+\s+){0,5}?"
    r"(?:arm|unit|division|affiliate|subsidiary|firm|investor|backer|fund)\b"
    # only a tail that goes on describing ("a unit of SoftBank"), never a name after the noun
    # (", asset management firm Paladigm Capital," is that firm, not an appositive)
    r"(?:\s+(?:of|in|from|at|based|with|that|which|who|focused|backed|owned)\b[^,]*)?(?=,|$)"
)


_LEGAL_AFTER_COMMA_RE = re.compile(r",\s*(Inc\.?|Ltd\.?|LLC|L\.P\.|LP|GmbH|S\.A\.|AG|B\.V\.|"
                                   r"Co\.,?\s*Ltd\.?)(?=[\s,;.]|$)")


# --------------------------------------------------------------------------- name keys
_LEGAL_SUFFIXES = {
    "inc", "incorporated", "ltd", "limited", "llc", "llp", "lp", "gmbh", "ag", "sa", "sas",
    "sasu", "sarl", "srl", "spa", "bv", "nv", "plc", "corp", "corporation", "co", "pte",
    "pvt", "pty", "oy", "ab", "kk", "kg", "se", "sl", "ltda", "ai", "holdings",
}
_PUNCT_RE = re.compile(r"[^\w\s]")
_KEY_POSSESSIVE_RE = re.compile(r"['’]s\b")  # "Byju’s" and "Byju" are one company
_TLD_RE = re.compile(r"\.(?:ai|io|com|co|app|dev|tech|xyz|so|net|org)$")


def company_norm(name: str) -> str:
    """A company name as a key, before aliases: case, accents, punctuation, "the" and legal
    suffixes (and a trailing "AI") do not count."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower().strip()
    s = _KEY_POSSESSIVE_RE.sub("", s.replace("&", " and "))
    s = _TLD_RE.sub(lambda m: " " + m.group(0)[1:], s)
    tokens = _PUNCT_RE.sub(" ", s).split()
    if len(tokens) > 1 and tokens[0] == "the":
        tokens = tokens[1:]
    while len(tokens) > 1 and tokens[-1] in _LEGAL_SUFFIXES:
        tokens.pop()
    return "".join(tokens)


def investor_norm(name: str) -> str:
    """An investor name as a key, before aliases (as ``company_norm``, keeping "AI"):
    "Beyond Next Ventures Inc" and "Beyond Next Ventures" are one investor."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    tokens = _PUNCT_RE.sub(" ", s.replace("&", " and ")).split()
    if len(tokens) > 1 and tokens[0] == "the":
        tokens = tokens[1:]
    while len(tokens) > 1 and tokens[-1] in _LEGAL_SUFFIXES - {"ai"}:
        tokens.pop()
    return "".join(tokens)


# ", designer of the iPod and co-founder of Nest Labs" / ", Oracle's senior vice president of
# Cloud Operations" describe the person before; ", formerly known as Sequoia CN" the firm.
_ROLE_APPOSITIVE_RE = re.compile(
    r",\s+(?:an?\s+|the\s+)?(?:[\w.&'’-]+\s+){0,3}?(?:designer|founder|co-?founder|creator|"
    r"inventor|CEO|CTO|CFO|COO|chair(?:man|woman)?|president|partner|head|director|officer|"
    r"executive|engineer|professor)\s+(?:of|at)\s+"
    # each word whole ("++"): a word split in pieces in every way backtracks for seconds
    # on a long list; the match can only end at the list's next comma all the same
    r"(?:(?!and\s+(?-i:[A-Z]))[^,;\s]++\s*){1,12}(?=[,;]|$)"
    # "Plaid head of product Anita Shah and Ramon Ortega": a role before the next names
    r"|,\s+(?:formerly|previously)\s+(?:known\s+as\s+)?[^,;]*", re.I)
_NAME_END_RE = re.compile(r"[A-Z][\w.&'’-]*$")  # the appositive follows a name


@cache
def _and_names(user_files: tuple[str, ...]) -> frozenset[str]:
    """Names of the alias table with "and" inside ("Plug and Play"): one name, not two."""
    return frozenset(name.lower() for _, canonical, alias in alias_rows(user_files)
                     for name in (canonical, alias) if " and " in name.lower())


@cache
def _known_names(user_files: tuple[str, ...]) -> frozenset[str]:
    """Every name of the alias table, lower case: kept whole even where a word of it looks
    like a descriptor ("Entrepreneur First", "Monk's Hill Ventures")."""
    return frozenset(name.lower() for _, canonical, alias in alias_rows(user_files)
                     for name in (canonical, alias))


def split_names(text: str) -> list[str]:
    """Split an investor list into clean names, keeping order and dropping duplicates.

    >>> split_names("existing investors Greylock Partners, Amplify Partners and SV Angel")
    ['Greylock Partners', 'Amplify Partners', 'SV Angel']
    """
    text = _PARENS_RE.sub("", _PROGRAMME_OF_RE.sub("", text))
    text = _OWNERS_ARM_RE.sub("", text)
    text = _OWNERS_PROGRAMME_RE.sub(r"\1", text)
    text = _SPELLED_OUT_RE.sub("", text)
    text = _APPOSITIVE_RE.sub("", _ROLE_APPOSITIVE_RE.sub(
        lambda m: "" if _NAME_END_RE.search(text, 0, m.start()) else m.group(0), text))
    text = _CITY_BASED_RE.sub("", text)
    text = _LEGAL_AFTER_COMMA_RE.sub(r" \1", text)  # "Mitsubishi UFJ Capital Co., Ltd."
    raw = [p for p in _ITEM_SPLIT_RE.split(text) if p and p.strip()]
    # Re-join "X Southeast Asia and India": an item that is only a region continues a name.
    and_names = _and_names(user_alias_files())
    items: list[str] = []
    for part in raw:
        joined = f"{items[-1].strip()} and {part.strip()}" if items else ""
        if items and part.strip().lower() in _GEO and items[-1].split()[-1].lower() in _GEO | {
                "asia", "east", "southeast", "west", "north", "south"}:
            items[-1] = joined
        elif items and joined.lower() in and_names and joined in text:
            items[-1] = joined  # "Atlantic Labs and Plug and Play"
        else:
            items.append(part)
    out: list[str] = []
    seen: set[str] = set()
    for part in items:
        name = clean_name(part)
        if name and name.lower() not in seen:
            seen.add(name.lower())
            out.append(name)
    return out
