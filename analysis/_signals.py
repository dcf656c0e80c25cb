"""Sentence-level signals shared by ``relevance`` and ``rounds``.

``analyse(title, text, published)`` splits an article into sentences and, for each,
records:

* the money mentions with a *role* -- ``round`` (the amount being raised), ``valuation``,
  ``past_valuation``, ``total`` (cumulative funding), ``past_round``, ``revenue``,
  ``fund`` (a VC fund's size), ``deal`` (acquisition price), ``conversion`` ("(about $12
  million)") or ``other`` -- decided from the words around the amount in its clause;
* round labels ("Series B extension", "seed round", "credit facility") with their type
  and whether they refer to a past round;
* the sentence *event*: ``raise`` (a new capital raise), or a hard negative --
  ``acquisition``, ``fund`` (a VC closing its own fund), ``ipo`` (filing/rumour without
  terms), ``tender`` (employee share sales), ``donation``; the earliest trigger in the
  sentence wins, so "raises $50M to acquire rivals" is a raise and "acquires X, which
  raised $12M in 2022" is an acquisition;
* rumour markers ("in talks", "according to people familiar").

The result is cached so ``classify`` and ``extract_rounds`` share the work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from ._text import (
    PLACES,
    blank_repeated_title,
    Gated,
    GatedAny,
    GatedSet,
    Sentence,
    dateline_end,
    forms,
    parse_dateline_date,
    phrase_regex,
    split_sentences,
    words_of,
)
from .money import Money, find_money

# --------------------------------------------------------------------------- vocabularies
RAISE_VERBS = phrase_regex(forms(
    "rais:e,es,ed,ing", "secur:e,es,ed,ing", "clos:e,es,ed,ing", "land:,s,ed,ing",
    "nab:,s,bed,bing", "bag:,s,ged,ging", "snag:,s,ged,ging", "get:,s,ting", "got",
    "receiv:e,es,ed,ing", "pull in", "pulls in", "pulled in", "rake in", "rakes in",
    "snap up", "snaps up", "snapped up", "scoop up", "scoops up", "scooped up",
    "raked in", "scor:e,es,ed,ing", "pick up", "picks up", "picked up", "bank:,s,ed",
    "attract:,s,ed,ing", "draw:,s,n", "drew", "win:,s,ning", "won", "complet:e,es,ed,ing",
    "obtain:,s,ed", "collect:,s,ed", "haul:,s,ed", "award:,ed", "add:,s,ed,ing",
    "extend:,s,ed,ing", "announc:e,es,ed,ing", "unveil:,s,ed", "ink:,s,ed", "seal:,s,ed",
    "tap:,s,ped", "bring in", "brings in", "brought in", "lock in", "locks in", "locked in",
    "finaliz:e,es,ed,ing", "finalis:e,es,ed,ing", "capt:a,ou,ar,ando", "levant:a,ou,ar",
    "receb:e,eu", "recaud:a,ó,ar", "cierra",
    "consigue", "obtiene", "sammelt", "eingesammelt", "erhält", "erhielt", "lève", "levé",
    "lèvent", "boucle", "bouclé",
))
INVEST_VERBS = phrase_regex(forms(
    "lead:,s,ing", "led", "co-lead:,s,ing", "co-led", "colead:,s", "coled",
    "invest:,s,ed,ing", "back:s,ed,ing", "bet:,s,ting", "pour:,s,ed,ing", "inject:,s,ed,ing",
    "participat:e,es,ed,ing", "plow:,s,ed", "pump:,s,ed", "put", "puts", "putting",
    "sink:,s", "sank", "liderad:a,o,as,os",
    "encabezad:a,o", "angeführt",
))
FUNDING_NOUN_RE = re.compile(
    r"\b(?:funding|financing|round|investment|capital|raise|fundraise|fundraising|backing|"
    r"cash\s+injection|war\s+chest|grant|tranche|rodada|aporte|investimento|financiamento|"
    r"ronda|financiaci[óo]n|inversi[óo]n|Finanzierungsrunde|Finanzierung|Runde|levée|tour\s+de\s+"
    r"table)\b",
    re.I,
)
# "raise new funding": a raise verb with a funding noun but no amount or label.
_BARE_RAISE_RE = Gated(
    r"\b(?:rais(?:e|es|ed|ing)|secur(?:e|es|ed|ing)|clos(?:e|es|ed|ing)|land(?:s|ed)?|"
    r"announc(?:e|es|ed|ing)|receiv(?:e|es|ed|ing))\s+"
    r"(?:\w+\s+){0,2}?(?:funding|financing|capital|money|investment)\b",
    "funding financing capital money investment",
    re.I,
)

# after a capitalised trigger, what shows it is the end of a name, not a verb
_NAME_WORD_NEXT_RE = re.compile(
    r"\s*,|\s+(?:has|have|had|is|was|will|said|says|today|announced|"
    r"secur\w*|rais\w*|clos\w*|land\w*|nab\w*|bag\w*|snag\w*|gets?)\b", re.I)
_NAMED_SOURCE_RE = re.compile(r"\s+(?:from|by)\s+(?:the\s+)?[A-Z]")
_BACKED_BY_RE = re.compile(r"backed\s+by\b", re.I)
# "Investors poured $97 billion into AI startups": money put into a whole market, no raise
_INTO_MANY_RE = re.compile(r"[^.;]{0,40}?\b(?:into|in)\s+(?:[\w-]+\s+){0,3}?(?:startups|companies|"
                           r"firms|businesses|ventures|deals|the\s+(?:sector|space|industry|"
                           r"market))\b", re.I)
# verbs of putting money in that are also nouns: they count only with the money right after
_PUT_VERBS = frozenset("pour pours poured pump pumps pumped plow plows plowed sink sinks sank "
                       "put puts putting inject injects injected bank banks banked".split())
_MONEY_NEXT_RE = re.compile(r"\s+(?:(?:in|an?\s+(?:additional|further)|another|about|nearly|"
                            r"over|some|around|roughly)\s+)?(?:[$€£¥₹]|(?:US|CA|C|A|S|HK|NZ|R)\$|"
                            r"(?:USD|EUR|GBP|INR|Rs\.?|SEK|CHF|NIS)\s*\d|\d)", re.I)
_ROUNDS_BEFORE_RE = re.compile(r"\brounds\s+(?:are\s+|were\s+|often\s+|usually\s+)?$", re.I)
MAKES_INVESTMENT_RE = re.compile(r"\b(?:makes?|made|making|tak(?:es|en|ing)|took)\s+(?:an?\s+)?"
                                 r"(?:\w+\s+)?$", re.I)  # "has taken a minority stake in X"
_RAISED_AT_RE = re.compile(r"\b(?:rais(?:es|ed|ing)|clos(?:es|ed|ing)|secur(?:es|ed|ing))\s+"
                           r"(?:\w+\s+)?(?:at|valuing\s+\w+\s+at)\s+(?:an?\s+)?$", re.I)

# (round_type, pattern); "series" is resolved to series_a..series_j from the letter.
_LABEL_PATTERNS: list[tuple[str, str, int]] = [
    ("pre_seed", r"\bpre-?seed(?:\s+(?:round|funding|financing|investment))?\b", re.I),
    ("series", r"\b(?:[Ss]eries|S[ée]rie)\s+(?P<letter>[A-J])(?:[-\s]?[1-9]\b|\+|\s?prime\b)?"
               r"(?:\s+(?:extension|expansion|top-?up|round|funding|financing))?\b"
               # "completed B round financing": the letter alone (not "A round", a word)
               r"|\b(?P<letter2>[B-J])\+?\s+round(?:\s+(?:of\s+)?(?:financing|funding))?\b", 0),
    ("seed", r"\bseed(?:[\s-]stage)?(?:\+|\s+(?:extension|round|funding|financing|"
             r"investment|capital|money))?(?![\w-])"
             r"(?!\s+(?:investors?|funds?|firms?|investing|programs?|stage\s+funds?))", re.I),
    ("bridge", r"\bbridge\s+(?:round|financing|funding|loan|notes?|investment)\b", re.I),
    ("convertible_note", r"\bconvertible\s+(?:notes?|loans?|debt|bonds?|financing)\b|"
                         r"\bSAFE\s+(?:notes?|round|financing)\b|\bSAFEs\b", 0),
    ("corporate_round", r"(?:\bstrategic\s+(?:investment|round|funding|financing|backing|stake)\b|"
                        r"\bcorporate\s+(?:round|investment)\b|\bminority\s+stake\b)"
                        # not "EDBI, the corporate investment arm of ..."
                        r"(?!\s+(?:arm|unit|fund|vehicle|division|subsidiary)\b)", re.I),
    ("private_equity", r"\b(?:private|growth)[- ]equity\s+(?:round|investment|financing|"
                       r"deal|funding|backing)\b|\binvestment\s+from\s+(?:the\s+)?"
                       r"private[- ]equity\s+(?:firm|group|investor|giant|house)\b", re.I),
    ("debt", r"\b(?:venture\s+)?debt\s+(?:financing|facility|funding|round|raise|deal)\b|"
             r"\bventure\s+debt\b|\bcredit\s+(?:facility|line)\b|\bline\s+of\s+credit\b|"
             r"\b(?:term|loan)\s+(?:loan|facility)\b|\bfinanciamento\s+de\s+d[íi]vida\b|"
             r"\bd[íi]vida\b|\bdeuda\b|\brevenue-based\s+(?:financing|funding|loan)\b", re.I),
    ("grant", r"\b(?:grants?|Grants?(?!\s+[A-Z][a-z]))\b"  # not "signed Grant Gillespie"
              r"(?!\s+(?:to|for)\s+(?:universit|research|academ|nonprofit))"
              r"|\b(?:SBIR|STTR)\b(?:\)?\s+Phase\s+(?:I{1,3}|[12]))?(?:\s+(?:contract|award))?",
     0),
    ("secondary", r"\bsecondary\s+(?:round|transaction|offering|investment|component)\b", re.I),
    ("ipo", r"\bIPO\b|\binitial\s+public\s+offering\b", re.I),
    ("series_unknown", r"\b(?:growth|venture|funding|financing|investment|equity|new|latest|"
                       r"fresh)\s+(?:funding\s+)?round\b|\bround\s+of\s+(?:funding|financing|"
                       r"investment)\b|\b[Ss]eries\s+unknown\b|\brodada\b|\bronda\b|"
                       r"\bFinanzierungsrunde\b|\btour\s+de\s+table\b|\blevée\s+de\s+fonds\b",
     0),
    # not "the last round of the AdWords API Workshops", "a round of talks"
    ("round", r"\b(?:a|the|this|its)\s+(?:\w+\s+)?round\b(?!-)(?!\s+of\s+(?!(?:\w+\s+)?"
              r"(?:funding|financing|investment|capital|fundraising)\b))", re.I),
]
_LABEL_HINTS = {
    "pre_seed": "pre preseed", "series": "series serie série round", "seed": "seed",
    "bridge": "bridge", "convertible_note": "convertible safe safes",
    "corporate_round": "strategic corporate minority", "private_equity": "equity",
    "debt": "debt credit loan dívida divida deuda revenue", "grant": "grant grants sbir sttr",
    "secondary": "secondary", "ipo": "ipo offering",
    "series_unknown": "round rodada ronda finanzierungsrunde series tour levée",
    "round": "round",
}
LABEL_RES = GatedSet([(t, Gated(p, _LABEL_HINTS[t], f)) for t, p, f in _LABEL_PATTERNS])
GENERIC_LABEL_TYPES = {"series_unknown", "round"}

# ---- hard negatives
ACQUISITION_RE = Gated(
    r"\b(?:acquir(?:e|es|ed|ing)|acquisition\s+(?:of|by)|acqui-?hir\w*|buy(?:s|ing)?\s+(?!back|in\b|into\b)"
    r"|bought|snap(?:s|ped)?\s+up(?!\s+(?:about\s+|nearly\s+|over\s+)?[$€£¥₹]|\s+(?:US|CA|S|A)\$)"
    r"|tak(?:e|es|ing)\s+over|took\s+over|merg(?:e|es|ed|ing)\s+"
    r"with|merger|agree[sd]?\s+to\s+(?:buy|acquire|merge)|purchas(?:e|es|ed)\s+(?:of\s+)?[A-Z])",
    "acquire acquires acquired acquiring acquisition acqui acquihire acquihires acquihired "
    "buy buys buying bought snap snaps snapped take takes taking took merge merges merged "
    "merging merger agree agrees agreed purchase purchases purchased",
    re.I,
)
_FUND_ADJ = (r"(?:new|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|debut|"
             r"inaugural|maiden|latest|next|flagship|opportunity|opportunities|growth|venture|"
             r"seed|early-stage|late-stage|climate|continuation|two|three|four|dedicated|"
             r"oversubscribed|[\w-]+-focused|[\w-]+-stage)")
FUND_RE = Gated(
    rf"\b{_FUND_ADJ}\s+(?:[\w-]+\s+){{0,2}}?(?:fund|funds|vehicles?)\b"
    r"|\b(?:[Ff]und)\s+(?:[IVX]{1,4}|\d)\b|\blimited\s+partners\b|\bLPs\b"
    r"|\b(?:first|final)\s+close\b|\bhard\s+cap\b|\bcapital\s+commitments\b"
    r"|\b(?:its|their|a|the)\s+(?:\$[\d.,]+\s*\w+\s+)?fund\s+(?:at|of|with|totaling|totalling)\s",
    # "limited", not "partners", for "limited partners": investors' names end in Partners
    "fund funds vehicle vehicles limited lps close cap commitments",
)
_FUND_OWNER_RE = re.compile(r"(?:['’]s?|\bfrom|\bby|\bof|\bvia|\bthrough)\s+(?:[\w-]+\s+)?$")
IPO_RE = Gated(
    r"\bIPO\b|\binitial\s+public\s+offering\b|\bgo(?:es|ing)?\s+public\b|\bpublic\s+listing\b|"
    r"\bdirect\s+listing\b|\bdraft\s+registration\s+statement\b|\b[SF]-1\b|"
    r"\b(?:stock\s+)?market\s+debut\b|\bSPAC\b|\blist(?:ing)?\s+(?:its\s+)?shares\b|"
    r"\b(?:secondary|second|dual|stock|share|Hong\s+Kong|New\s+York|London|Nasdaq|NYSE)\s+"
    r"listing\b",  # "Alibaba to raise up to $12.9bn in landmark Hong Kong listing"
    # "S-1": the words s, 1; "list its shares": "list", rarer than "shares"
    "ipo initial public listing registration 1 debut spac list",
    re.I,
)
IPO_PRICED_RE = re.compile(r"\b(?:priced|prices|pricing|raised|raising|raises|sold|selling)\b",
                           re.I)
IPO_NOT_YET_RE = re.compile(
    r"\b(?:files?|filed|filing|confidential\w*|draft|plans?|planning|consider\w*|weigh\w*|"
    r"explor\w+|prepar\w+|could|may|might|would|hire[sd]?|banks|as\s+soon\s+as|expected|"
    r"aims?|intends?|rumou?r\w*|talks|potential|proposed|eyes|eyeing|mulls?|seeks?|"
    r"seeking|targets?|targeting)\b",
    re.I,
)
TENDER_RE = Gated(
    r"\btender\s+offers?\b|\bemployee\s+(?:share|stock)\s+sales?\b|"
    r"\bsecondary\s+(?:share\s+|stock\s+)?(?:sales?|transactions?)\b|"
    r"\bsell\b[^.;]{0,50}?\b(?:their|existing|vested)\s+(?:shares|stock|stakes?)\b|"
    r"\b(?:share|stock)\s+(?:buyback|repurchase)s?\b|\bbuy\s?backs?\b",
    "tender employee secondary sell buyback buybacks buy repurchase repurchases",
    re.I,
)
DONATION_RE = Gated(
    r"\bpledg(?:e|es|ed|ing)\b|\bdonat(?:e|es|ed|ing|ion|ions)\b|\bphilanthrop\w*|"
    r"\bcharitable\b|\bendowment\b|\bbequest\b|\bgift(?:s|ed)?\s+(?:of\s+)?(?:\$|€|£)",
    "pledge pledges pledged pledging donate donates donated donating donation donations "
    "philanthropy philanthropic philanthropist philanthropists philanthropies charitable "
    "endowment bequest gift gifts gifted",
    re.I,
)
NEGATIVE_EVENTS = ("acquisition", "fund", "ipo", "tender", "donation")

RUMOUR_RE = GatedAny(
    "talks discussions negotiations according people familiar sources source per reportedly "
    "said raising seeking looking raise seek seeks value near nears close term negociações "
    "negociacoes segundo según segun gesprächen", [
    Gated(r"\bin\s+(?:early|advanced|preliminary|final|late-stage|exclusive)?\s*"
          r"(?:talks|discussions|negotiations)\b", "in talks discussions negotiations", re.I),
    Gated(r"\baccording\s+to\s+(?:\w+\s+){0,3}?(?:people|persons?|sources?|reports?|documents?|"
          r"a\s+report|media\s+reports?|someone)\b", "according", re.I),
    Gated(r"\bpeople\s+(?:familiar|briefed|close|with\s+knowledge|involved|aware)\b", "people",
          re.I),
    Gated(r"\bfamiliar\s+with\s+the\s+(?:matter|plans|deal|talks|discussions|situation)\b",
          "familiar", re.I),
    Gated(r"\bsources?\s+(?:say|said|says|told|tell|close\s+to)\b", "source sources", re.I),
    Gated(r"\bper\s+(?:people|sources|a\s+(?:report|person|source))\b", "per", re.I),
    Gated(r"\breportedly\b", "reportedly", re.I),
    Gated(r"\b(?:is|are)\s+said\s+to\s+be\b", "said", re.I),
    Gated(r"\b(?:is|are)\s+(?:reportedly\s+)?(?:raising|seeking|looking\s+to\s+raise|"
          r"in\s+the\s+process\s+of\s+raising|about\s+to\s+raise)\b|"
          r"\bseek(?:s|ing)?\s+to\s+raise\b|\blooking\s+to\s+raise\b|\b(?:set|poised|aims?|"
          r"plans?|planning|hopes?|expected)\s+to\s+raise\b", "raising seeking raise", re.I),
    Gated(r"\b(?:would|could)\s+value\b", "value", re.I),
    Gated(r"\bnears?\s+(?:a\s+)?(?:deal|funding|round)\b", "near nears", re.I),
    Gated(r"\bclose\s+to\s+(?:raising|a\s+deal|finaliz\w+|closing)\b", "close", re.I),
    Gated(r"\bterm\s+sheet\b", "term", re.I),
    Gated(r"\bem\s+negocia[çc][õo]es\b",
          "negociações negociaçoes negociacões negociacoes", re.I),
    Gated(r"\bsegundo\s+fontes\b", "segundo", re.I),
    Gated(r"\bseg[uú]n\s+fuentes\b", "según segun", re.I),
    Gated(r"\bin\s+Gesprächen\b", "gesprächen", re.I),
])
_FUTURE_RE = Gated(
    r"\b(?:plans?|planning|intends?|expects?|hopes?|aims?|wants?|would\s+like|looking)\s+to\s+"
    r"(?:\w+\s+){0,2}raise\b|\bwill\s+(?:\w+\s+)?raise\b|\b(?:next|later\s+this)\s+year\b|"
    r"\bin\s+the\s+(?:future|coming\s+(?:months|years))\b",
    "raise year future coming",
    re.I,
)
CONFIRMED_RE = Gated(r"\bconfirm(?:ed|s|ing)?\b", "confirm confirmed confirms confirming", re.I)
NOT_CONFIRMED_RE = re.compile(
    r"\b(?:declined|refused|did\s+not|didn't|could\s+not|couldn't|would\s+not|wouldn't|"
    r"not\s+immediately|unable|yet)\s+(?:to\s+)?(?:immediately\s+)?confirm\b|\bunconfirmed\b",
    re.I,
)
ROUNDUP_TITLE_RE = re.compile(
    r"\b(?:round-?ups?|round\s+up|week(?:'s|ly)|this\s+week|week\s+in\s+review|"
    r"biggest\s+(?:\w+\s+)?(?:rounds|deals|raises)|largest\s+(?:\w+\s+)?(?:rounds|deals)|"
    r"top\s+\d+|funding\s+(?:report|recap|digest|tracker)|deals\s+of\s+the|newsletter|"
    r"digest|who\s+raised|recap|(?:the\s+)?\d+\s+(?:biggest|largest|startups|companies))\b",
    re.I,
)
LIST_LINE_RE = re.compile(r"^\s*(?:\d{1,2}[.)]|[-•*–])\s+")
ABOUT_RE = re.compile(
    r"^(?:About\s+(?!\$|the\s+round|us\b)\S.{0,60}$|ABOUT\s+\S.{0,60}$|Sobre\s+(?:a|o)\s+\S.{0,50}$|"
    r"Über\s+\S.{0,50}$|Media\s+(?:contact|inquiries)|Press\s+contact|Contacts?:?$|###|"
    r"Forward-looking\s+statements|Safe\s+Harbor)",
)
# An inline link to another story: "Also Read: This startup just raised US$25 million".
RELATED_LINK_RE = re.compile(r"^\s*(?:Also\s+read|Read\s+(?:also|more|next)|Related|"
                             r"Recommended|See\s+also|More\s+from\s+\w+)\s*:", re.I)
# Page navigation scraped with the story: "* Latest * Startups * AI * Apps", "2 hours ago * AI".
NAVIGATION_RE = re.compile(r"(?:\s\*\s+\S[^*]{0,30}){3}|\b\d+\s+(?:minutes?|hours?|days?)\s+ago\s+\*\s")
_MENU_WORD_RE = re.compile(r"[A-Z0-9&][\w&.'’-]*$")


def _is_navigation(text: str) -> bool:
    """A site menu or story list: bullets, or a long run of capitalised words with no
    comma and no lower-case word ("Latest AI Amazon Apps Biotech & Health Climate ...")."""
    if "*" in text and NAVIGATION_RE.search(text):  # every match has a "*": most sentences skip
        return True
    if "," in text:
        return False
    words = text.split()
    return len(words) >= 12 and all(_MENU_WORD_RE.match(w) or w in ("and", "of") for w in words)

# ---- money roles
_YEAR_TOKEN_RE = re.compile(r"\b(20[0-4]\d)\b")
_LEFT_CUT_RE = re.compile(r"[,;:(\[]|\s(?:[—–]|--?)\s")
_RIGHT_CUT_RE = re.compile(r"[,;:)\]]|\s(?:[—–]|--)\s|\.(?:\s|$)")
_PREVIOUSLY_NEW_RE = re.compile(r"\b(?:previously|formerly)\s+un(?:announced|disclosed|reported)\b"
                                r"|\bnot\s+previously\s+(?:announced|disclosed|reported)\b", re.I)
_PAST_LEFT_RE = re.compile(
    r"\b(?:previously|earlier|prior|last|original|which\s+had\s+raised|after|ago|"
    r"follows?|following|followed|(?:which|that)\s+(?:has\s+)?raised|who\s+(?:has\s+)?raised|"
    r"(?:which|who)\s+(?:also\s+)?(?:co-)?led|"
    r"since\s+raising|was\s+valued|were\s+valued|had\s+been\s+valued|up\s+from|from\s+a|"
    r"compared\s+(?:with|to)|fresh\s+off|on\s+the\s+heels|once\s+valued|initially|"
    r"first\s+raised|back\s+in|went\s+on\s+to(?:\s+\w+)?)\b",
    re.I,
)
_PAST_RIGHT_RE = re.compile(
    r"^[^,;]{0,60}?\b(?<!after\sthe\s)(?<!since\sthe\s)(?<!than\sthe\s)(?<!after\s)(?<!since\s)"
    r"(?:last\s+(?:year|month|spring|summer|fall|autumn|winter|quarter|round)|"
    r"(?:a|one|two|three|four|\d+)\s+(?:years?|months?)\s+ago|earlier\s+this\s+year|"
    r"in\s+its\s+(?:previous|last|prior)|previously|prior\s+round)\b",
    re.I,
)
_YEAR_RE = re.compile(r"\b(?:in|during|back\s+in|of|since)\s+(?:(?:early|late|mid-?)\s*)?"
                      r"(?:[A-Z][a-z]+,?\s+)?((?:19|20)\d\d)\b")
_TOTAL_LEFT_RE = re.compile(
    r"\b(?:total(?:ling|ing|s)?|bring(?:s|ing)?|brought|cumulative|overall|aggregate|"
    r"in\s+all|altogether|to\s+date|lifetime)\b|\b(?:is|are|been|was)\s+backed\s+by\s*$",
    re.I,
)
_TOTAL_RIGHT_RE = re.compile(
    r"^\s*(?:in\s+total|to\s+date|so\s+far|since\s+(?:its\s+)?(?:founding|inception|launch|"
    r"\d{4}|it\s+was\s+founded)|overall|altogether|in\s+(?:total\s+)?(?:funding|capital|"
    r"venture\s+funding)\s+(?:to\s+date|so\s+far|since))",
    re.I,
)
# "has raised $310 million in venture funding, including a $200 million Series C": a total
_TOTAL_INCLUDING_RE = re.compile(r"\s*(?:in\s+(?:[\w-]+\s+){0,2}(?:funding|capital|financing)\s*)?,"
                                 r"\s*including\s+(?:an?\s+|its\s+)?(?:[$€£]|US\$|(?:[\w-]+\s+){0,3}"
                                 r"(?:rounds?|seed|series))", re.I)
_LABEL_RIGHT_RE = re.compile(
    r"\s*(?:\([^)]*\)\s*)?(?:in\s+)?(?:(?:a|an|its|the)\s+)?(?:new\s+)?"
    r"(?:pre-?seed|seed|angel|series\s+[a-k])\b(?!\s+(?:to\s+date|so\s+far))", re.I)
_VALUATION_LEFT_RE = re.compile(
    r"(?:\bvalu(?:e|es|ed|ing|ation)\b[^,;$€£]{0,40}?\b(?:at|of)|\bvaluation\b|\bworth|"
    r"\b(?:post|pre)-money(?:\s+valuation)?(?:\s+of)?|\bvaluing\s+(?:\w+\s+){1,3}at|"
    r"\bavalia(?:da|do|ção)\s+em|\bvalorada\s+en|\bbewertet\s+mit)\s*(?:(?:to|at)\s+)?(?:an?\s+)?"
    r"(?:(?:just|only|about|around|roughly|nearly|almost|some|more\s+than|over)\s+)?$",
    re.I,
)
# "processes payments worth INR 8,000 Cr": a volume, not what the company is worth
_VOLUME_WORTH_RE = re.compile(r"\b(?:payments|transactions|orders|goods|products|contracts|"
                              r"loans|deals|sales|trades|volumes?|shipments|claims)\s+worth\s*"
                              r"(?:(?:about|around|over|nearly|more\s+than)\s+)?$", re.I)
# "several startups have been valued at more than RMB 10 billion": not this company
_OTHERS_VALUED_RE = re.compile(r"\b(?:startups|companies|rivals|competitors|peers|others|"
                               r"players)\s+(?:have\s+been|had\s+been|were|are|was)\s+valued\b",
                               re.I)
# "Basketly raised a Series B in 2022. That round valued the company at $400M": the past
_THAT_ROUND_RE = re.compile(r"(?:that|the\s+(?:earlier|previous|prior|last))\s+(?:round|deal|"
                            r"financing|raise|investment)\b", re.I)
# "... did not disclose its valuation, but a person said it was roughly $900 million"
_VALUATION_COPULA_RE = re.compile(r"\b(?:it|which|that)\s+(?:was|is|would\s+be|stood|stands)"
                                  r"\s*$|\b(?:which|that)\s+(?:\w+\s+){0,3}?(?:put|puts|"
                                  r"estimated?)\s+(?:it\s+)?at\s+(?:about\s+|around\s+)?$", re.I)
_VALUATION_WORD_RE = re.compile(r"\bvaluation\b", re.I)
_VALUATION_RIGHT_RE = re.compile(
    r"^\s*(?:(?:post-money\s+|pre-money\s+)?(?:valuation|val\.)|bewertet)\b", re.I)
_REVENUE_LEFT_RE = re.compile(
    r"\b(?:revenues?|ARR|sales|bookings|run[- ]rate|GMV|turnover|profits?|income|loss(?:es)?|"
    r"payroll|salar(?:y|ies)|spend(?:ing)?|budget|contract|costs?|price[sd]?|priced)\b"
    r"[^,;$€£]{0,30}$",
    re.I,
)
_REVENUE_RIGHT_RE = re.compile(
    r"^\s*(?:(?:in|of)\s+)?(?:annual(?:ized)?\s+|annual\s+recurring\s+|recurring\s+)?"
    r"(?:revenue|ARR|sales|bookings|run[- ]rate|GMV|turnover|contract|order|a\s+year|"
    r"per\s+(?:year|month|share)|a\s+month|a\s+share|each|in\s+losses|"
    r"(?:transfer\s+)?fees?|fines?|penalt(?:y|ies)|settlement|damages|release\s+clause|"
    r"prize|bonus|salary|wages)\b",  # "both teams received $250,000 fines"
    re.I,
)
_FUND_RIGHT_RE = re.compile(
    rf"^\s*(?:(?:across|for|in)\s+)?(?:(?:its|their|a|an|the|{_FUND_ADJ})\s+){{0,4}}"
    r"(?:fund|funds|vehicles?|Fund\s+[IVX]+)\b"
)
_FUND_LEFT_RE = re.compile(r"\b(?:fund|funds|vehicle|Fund\s+[IVX]+)\b[^,;$€£]{0,25}?"
                           r"\b(?:at|of|with|totaling|totalling|sized\s+at)\s*$")
_DEAL_LEFT_RE = re.compile(
    r"\b(?:acqui\w+|buy(?:s|ing)?|bought|purchas\w+|takeover|sold|sells?)\b[^,;$€£]{0,50}?"
    r"\b(?:for|valued\s+at|worth|of)\s*(?:an?\s+)?$",
    re.I,
)
_DEAL_RIGHT_RE = re.compile(r"\s*(?:[\w-]+\s+){0,3}?(?:contract|partnership|licen[sc]ing\s+(?:deal|agreement)|"
                            r"supply\s+(?:deal|agreement)|purchase\s+(?:order|agreement))\b"
                            r"|\s+to\s+(?:license|acquire|buy)\b", re.I)
_GRANT_PROGRAMME_RE = re.compile(r"\b(?:SBIR|STTR)\b")
_CONVERSION_LEFT_RE = re.compile(r"(?:\(|\bor)\s*(?:about|approximately|approx\.|roughly|"
                                 r"around|~|some|equivalent\s+to|c\.)?\s*$", re.I)


@dataclass(slots=True)
class MoneyRef:
    """A money mention placed in its sentence (``start``/``end`` are sentence-local)."""

    money: Money
    role: str
    start: int
    end: int
    pre_money: bool = False


@dataclass(slots=True)
class Label:
    """A round label ("Series B extension") found in a sentence (sentence-local offsets)."""

    round_type: str
    text: str
    start: int
    end: int
    past: bool


@dataclass(slots=True)
class SentenceInfo:
    sentence: Sentence
    body: int  # sentence-local offset after any dateline
    words: frozenset[str] = frozenset()  # lower-case word set, for gated regexes
    money: list[MoneyRef] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    event: str = ""  # "raise", one of NEGATIVE_EVENTS, or ""
    trigger: str = ""  # the words that decided the event
    raise_at: int = -1  # sentence-local offset of the raise trigger
    boilerplate: bool = False
    navigation: bool = False  # a site menu or a list of other stories, not the article
    list_item: bool = False
    # read on first use (see ``rumour``): None until then
    _rumour: bool | None = field(default=None, repr=False, compare=False)
    _confirmed: bool | None = field(default=None, repr=False, compare=False)

    @property
    def text(self) -> str:
        return self.sentence.text

    @property
    def rumour(self) -> bool:
        """Told as talks or through sources ("in talks", "according to people familiar").

        Looked for on first use, as is ``confirmed``: only the raise sentences of a
        funding story (and the one after) are ever asked, a few of the page's sentences."""
        if self._rumour is None:
            self._rumour = RUMOUR_RE.found(self.text, self.words)
        return self._rumour

    @property
    def confirmed(self) -> bool:
        if self._confirmed is None:
            s = self.text
            self._confirmed = (bool(CONFIRMED_RE.search(s, self.words))
                               and not NOT_CONFIRMED_RE.search(s))
        return self._confirmed

    @property
    def round_money(self) -> list[MoneyRef]:
        return [m for m in self.money if m.role == "round"]


@dataclass(slots=True)
class Analysis:
    title: SentenceInfo | None
    sentences: list[SentenceInfo]
    published: date | None
    ref_year: int | None
    dateline_date: date | None
    roundup: bool

    def all(self) -> list[SentenceInfo]:
        return ([self.title] if self.title else []) + self.sentences


# --------------------------------------------------------------------------- helpers
def _left_clause(s: str, pos: int, floor: int) -> str:
    left = s[max(floor, pos - 110) : pos]
    cuts = [m.end() for m in _LEFT_CUT_RE.finditer(left)]
    return left[cuts[-1] :] if cuts else left


def _right_clause(s: str, pos: int, ceiling: int) -> str:
    right = s[pos : min(ceiling, pos + 70)]
    m = _RIGHT_CUT_RE.search(right)
    return right[: m.start()] if m else right


_NEW_BEFORE_RE = re.compile(r"\b(?:a|an|its|the)\s+(?:new|fresh|latest)\s+(?:\w+\s+)?$", re.I)


# "Fernhill, now valued at $1.2bn after raising $90m": the raise that set the valuation;
# the same before its amount and before its label ("... after raising $90m in a Series C").
# Both need the word "valued": callers look for it in the sentence's words first.
_VALUED_AFTER = (r"(?<!was\s)(?<!were\s)(?<!been\s)(?<!once\s)\bvalued\s+at\s+[^,;]{1,30}?\s+"
                 r"after\s+")
_RAISING = r"(?:raising|closing|securing|landing)\s+"
_VALUED_AFTER_RE = re.compile(
    rf"{_VALUED_AFTER}(?:{_RAISING})?(?:(?:a|an|its|the)\s+(?:new\s+|fresh\s+|latest\s+)?)?$",
    re.I)
_VALUED_AFTER_LABEL_RE = re.compile(
    rf"{_VALUED_AFTER}{_RAISING}[^,;]{{1,30}}?\s+in\s+(?:a|an|its|the)\s+(?:new\s+)?$", re.I)


def _is_past(left: str, right: str, ref_year: int | None) -> bool:
    if _NEW_BEFORE_RE.search(left):  # "Acme, which has raised a new $600 million round"
        return False
    if "reviously" in left or "ormerly" in left:  # cheap pre-check, any case
        left = _PREVIOUSLY_NEW_RE.sub(" ", left)
    if "reviously" in right or "ormerly" in right:
        right = _PREVIOUSLY_NEW_RE.sub(" ", right)
    if _PAST_LEFT_RE.search(left) or _PAST_RIGHT_RE.search(right):
        return True
    if ref_year:
        for ctx in (left, right[:60]):
            if "19" not in ctx and "20" not in ctx:
                continue  # no year to read (a cheap pre-check)
            for m in _YEAR_RE.finditer(ctx):
                if int(m.group(1)) < ref_year:
                    return True
    return False


def _money_role(s: str, ref: MoneyRef, prev_end: int, next_start: int,
                ref_year: int | None, words: frozenset[str]) -> str:
    left = _left_clause(s, ref.start, prev_end)
    right = _right_clause(s, ref.end, next_start)
    if "valued" in words and _VALUED_AFTER_RE.search(s, max(0, ref.start - 80), ref.start):
        past = _is_past("", right, ref_year)  # what comes before is this raise's valuation
    else:
        past = _is_past(left, right, ref_year)
    if prev_end and ref.start - prev_end <= 4 and _CONVERSION_LEFT_RE.search(s[prev_end:ref.start]):
        return "conversion"
    if ((_VALUATION_LEFT_RE.search(left) or _VALUATION_RIGHT_RE.search(right)
            or (_VALUATION_COPULA_RE.search(left) and _VALUATION_WORD_RE.search(s, 0, ref.start)))
            and not _VOLUME_WORTH_RE.search(left) and not _OTHERS_VALUED_RE.search(left)):
        ref.pre_money = "pre-money" in (left + right).lower()
        past = past or bool(_THAT_ROUND_RE.match(s))
        return "past_valuation" if past else "valuation"
    if ref.money.amount is not None and ref.money.amount < 10_000:
        return "other"  # prices per share, per-seat fees
    if _FUND_RIGHT_RE.search(right) or _FUND_LEFT_RE.search(left):
        return "fund"
    if _DEAL_LEFT_RE.search(left) or (_DEAL_RIGHT_RE.match(right)
                                      and not _GRANT_PROGRAMME_RE.search(s)):
        return "deal"  # "a $650M licensing deal", "wins $99 million Army contract"
    if _REVENUE_LEFT_RE.search(left) or _REVENUE_RIGHT_RE.search(right):
        return "revenue"
    if ((_TOTAL_LEFT_RE.search(left) and not _LABEL_RIGHT_RE.match(s, ref.end))
            or _TOTAL_RIGHT_RE.search(right) or _TOTAL_INCLUDING_RE.match(s, ref.end)):
        return "total"  # but "raised a total of S$1M (US$739,165) seed funding" is the round
    if past:
        return "past_round"
    return "round"


# "to invest $8 billion in AI infrastructure in Japan", "invests $3.2 billion in a Virginia
# data center campus": a company's own spending
_SPENT_ON_RE = re.compile(
    r"\s+(?:up\s+to\s+|about\s+|around\s+|more\s+than\s+|over\s+|another\s+|nearly\s+)?"
    r"\S*\d[\d.,]*\s*(?:[a-z]+\s+)?(?:[a-z]+\s+){0,5}?(?:in|into|to\s+(?:build|develop|expand|"
    r"construct|open))\s+(?:the\s+|an?\s+)?(?:\d[\w-]*\s+)?"
    r"(?:(?:its|their)\s+own\s+)?(?P<obj>[\w-]+(?:\s+[\w-]+){0,4})", re.I)
_SPENDING_NOUN_RE = re.compile(
    r"\b(?:infrastructure|data\s+cent(?:er|re)s?|campus(?:es)?|facilit(?:y|ies)|plants?|"
    r"factor(?:y|ies)|operations|manufacturing|capacity|network|R&D|expansion)\b", re.I)


def _spends_on(s: str, verb_end: int) -> bool:
    m = _SPENT_ON_RE.match(s, verb_end)
    if m is None:
        return False
    obj = m.group("obj")
    if _SPENDING_NOUN_RE.search(obj) or obj.lower() in PLACES:
        return True
    return obj.split()[0].lower() in PLACES and not _STARTUP_NOUN_RE.search(obj)


_STARTUP_NOUN_RE = re.compile(r"\b(?:startups?|start-ups?|company|firm|maker|developer|"
                              r"provider|platform)\b", re.I)


_AHEAD_OF_RE = re.compile(r"\b(?:ahead\s+of|before|in\s+preparation\s+for)\s+(?:its|an?|the|their)?"
                          r"\s*(?:planned\s+|expected\s+|eventual\s+|upcoming\s+|likely\s+)?$",
                          re.I)


# "Series A rounds now routinely exceed $20M", "seed rounds led by top firms": rounds in
# general; "its seed and Series A rounds", "both rounds" name the company's own
_PLURAL_ROUNDS_RE = re.compile(r"\s+rounds\b", re.I)
_OWN_ROUNDS_BEFORE_RE = re.compile(r"\b(?:its|their|his|her|the|both|these|those|two|three|"
                                   r"combined|\w+'s|\w+’s)\s+(?:[\w$€£.-]+\s+){0,5}$", re.I)


# a capitalised word right before "Grant", after neither an article nor an amount ("a
# Smart Grant", "a £500,000 Smart Grant" are grants)
_SURNAME_GRANT_RE = re.compile(r"(?:^|[\s(])(?!(?:a|an|the|its|their)\s)[^\s\d$€£¥₹]+\s+[A-Z][a-z]+\s$")


def _titled(s: str) -> bool:
    """Written in title case ("Acme Closes Seed Round"), where capitals tell nothing."""
    tokens = s.split()
    return sum(t[:1].isupper() for t in tokens) > 0.6 * len(tokens)


_CAPITALISED_BEFORE_RE = re.compile(r"(?<![.!?:]\s)(?<!^)\b[A-Z][\w&'’-]*\s+$")
_CAPITALISED_NEXT_RE = re.compile(r"\s+[A-Z]")


def _find_labels(s: str, words: frozenset[str], ref_year: int | None) -> list[Label]:
    found: list[Label] = []
    for rtype, rx in LABEL_RES.active(words):
        for m in rx.regex.finditer(s):
            if any(lab.start <= m.start() < lab.end or m.start() <= lab.start < m.end()
                   for lab in found):
                continue  # an earlier (more specific) pattern already covers this span
            round_type = (f"series_{(m.group('letter') or m.group('letter2')).lower()}"
                          if rtype == "series" else rtype)
            if round_type == "ipo" and _AHEAD_OF_RE.search(s, max(0, m.start() - 30), m.start()):
                continue  # "a $100M investment ... ahead of its IPO": a private round
            if (round_type == "grant" and m.group(0)[:1] == "G"
                    and _SURNAME_GRANT_RE.search(s, max(0, m.start() - 30), m.start())):
                continue  # "Wise's ex-head of product Oliver Grant": a surname, not a grant
            if (round_type == "seed" and m.group(0)[:1] == "S"
                    and (_CAPITALISED_BEFORE_RE.search(s, max(0, m.start() - 30), m.start())
                         or _CAPITALISED_NEXT_RE.match(s, m.end())) and not _titled(s)):
                continue  # "Sarsia Seed", "Seed Capital Denmark": an investor's name
            if (_PLURAL_ROUNDS_RE.match(s, m.end())
                    and not _OWN_ROUNDS_BEFORE_RE.search(s, max(0, m.start() - 40), m.start())):
                continue  # rounds in general, no round of anyone's
            left = ("" if "valued" in words
                    and _VALUED_AFTER_LABEL_RE.search(s, max(0, m.start() - 110), m.start())
                    else _left_clause(s, m.start(), 0))  # "valued at $1.2bn after raising $90m in a"
            past = _is_past(left, _right_clause(s, m.end(), len(s)), ref_year)
            found.append(Label(round_type, m.group(0), m.start(), m.end(), past))
    found.sort(key=lambda lab: lab.start)
    return found


def _fund_trigger(s: str, words: frozenset[str]) -> re.Match | None:
    for m in FUND_RE.finditer(s, words):
        if _FUND_AS_INVESTOR_RE.match(s, m.end()):
            continue  # "SoftBank Vision Fund 2 leads", "the hardware-focused fund Root Ventures"
        if not _FUND_OWNER_RE.search(s[max(0, m.start() - 25) : m.start()]):
            return m
    return None


_FUND_AS_INVESTOR_RE = re.compile(r"\s+(?:(?-i:[A-Z])[\w&.-]*\s+(?-i:[A-Z])|(?-i:[A-Z])[\w&.-]+\s+"
                                  r"(?:led|leads|participated|joined|invested)\b|(?:co-)?leads?\b|"
                                  r"(?:co-)?led\b|participat\w*|invested\b|joined\b|backs?\b|"
                                  r"backed\b)", re.I)


def _verb_near_round(s: str, verb: re.Match, money: list[MoneyRef], labels: list[Label]) -> bool:
    """A raise/invest verb counts when a new amount, a label or a funding noun is close."""
    start, end = verb.start(), verb.end()
    return (any(0 <= x.start - end <= 110 or -90 <= x.start - start <= 0 for x in money)
            or any(0 <= lab.start - end <= 110 for lab in labels)
            or any(-90 <= lab.start - start <= 0 for lab in labels
                   if lab.round_type not in GENERIC_LABEL_TYPES)
            or bool(FUNDING_NOUN_RE.search(s, end, end + 60)))


def _raise_trigger(info: SentenceInfo) -> tuple[int, str] | None:
    """Offset and text of the first trigger announcing a *new* raise, if any."""
    s = info.text
    new_money = [m for m in info.money if m.role == "round"]
    new_labels = [lab for lab in info.labels if not lab.past]
    if not new_money and not new_labels:
        return _bare_raise(info)
    if not new_money and _FUTURE_RE.search(s, info.words, info.body):
        return None  # "plans to raise a Series B next year"
    money_spans = [(m.start, m.end) for m in info.money]
    candidates: list[tuple[int, str]] = []
    for rx in (RAISE_VERBS, INVEST_VERBS):
        for m in rx.finditer(s, info.words, info.body):
            if any(a <= m.start() < b for a, b in money_spans):
                continue  # "close to $5M" is a status word, not a verb
            if rx is INVEST_VERBS and candidates and _BACKED_BY_RE.match(s, m.start()):
                continue  # "Kuku, a platform backed by Google, has raised": the raise is the verb
            if (m.group(0).lower() in _PUT_VERBS and not _MONEY_NEXT_RE.match(s, m.end())):
                continue  # "services residential heat pumps", "community banks": nouns;
                # "pumps $5M into", "banks $45M" are not
            if rx is INVEST_VERBS and (_INTO_MANY_RE.match(s, m.end()) or _ROUNDS_BEFORE_RE.search(
                    s, max(0, m.start() - 24), m.start())):
                continue  # "Investors poured $97B into AI startups", "seed rounds led by": a market
            if rx is INVEST_VERBS and _spends_on(s, m.end()):
                continue  # "Amazon has invested $40 billion in India": spending, not a round
            if m.group(0)[:1].isupper() and m.start() > 0 and _NAME_WORD_NEXT_RE.match(s, m.end()):
                continue  # "Varo Bank, a neobank, has raised", "Open Bank secures": a name
            if _verb_near_round(s, m, new_money, new_labels):
                candidates.append((m.start(), m.group(0)))
                break
    if not candidates:
        # Noun phrases such as "$42 million Series B" or "Series B funding of $42M".
        for x in new_money:
            for lab in new_labels:
                if abs(lab.start - x.end) <= 25 or abs(x.start - lab.end) <= 25:
                    candidates.append((min(x.start, lab.start), s[min(x.start, lab.start):
                                                                max(x.end, lab.end)]))
    if not candidates:
        # "Microsoft makes strategic investment into Builder.ai"
        for lab in new_labels:
            if lab.round_type not in GENERIC_LABEL_TYPES and MAKES_INVESTMENT_RE.search(
                    s, max(0, lab.start - 16), lab.start):
                candidates.append((lab.start, lab.text))
    if (not candidates and new_money and any(m.role == "valuation" for m in info.money)
            and FUNDING_NOUN_RE.match(s, new_money[0].end + 1)):
        # "A new $100 million investment values Postmates at $1.85 billion"; not "rounds
        # exceed $20 million, ... can value companies at $50 million"
        candidates.append((new_money[0].start, new_money[0].money.raw))
    return min(candidates) if candidates else None


def _bare_raise(info: SentenceInfo) -> tuple[int, str] | None:
    """"raise new funding at a $10B valuation": a raise without amount or round label.

    Only accepted in the title or when the sentence states a current valuation or an
    undisclosed amount, so that generic talk about raising money does not count.
    """
    stated = info.sentence.source == "title" or any(
        m.role == "valuation" or m.money.status == "undisclosed" for m in info.money)
    if _FUTURE_RE.search(info.text, info.words, info.body):
        return None
    m = _BARE_RAISE_RE.search(info.text, info.words, info.body)
    if m and (stated or _NAMED_SOURCE_RE.match(info.text, m.end())):
        # "... has announced a new investment from Lead Edge Capital": a named backer
        # makes it a raise, where "raising money is hard" is not
        return m.start(), m.group(0)
    if not stated:
        return None
    # "Fal AI already raised at $4B+ valuation"
    for v in info.money:
        if v.role == "valuation":
            verb = _RAISED_AT_RE.search(info.text, max(info.body, v.start - 20), v.start)
            if verb:
                return verb.start(), verb.group(0)
    return None


def _negative_triggers(info: SentenceInfo) -> list[tuple[int, str, str]]:
    s = info.text
    found: list[tuple[int, str, str]] = []
    w = info.words
    for kind, m in (("acquisition", ACQUISITION_RE.search(s, w, info.body)),
                    ("fund", _fund_trigger(s, w)),
                    ("tender", TENDER_RE.search(s, w, info.body)),
                    ("donation", DONATION_RE.search(s, w, info.body))):
        if m:
            found.append((m.start(), kind, m.group(0)))
    if any(m.role == "fund" for m in info.money):
        first_fund = next(m for m in info.money if m.role == "fund")
        found.append((first_fund.start, "fund", first_fund.money.raw))
    ipo = IPO_RE.search(s, w, info.body)
    if ipo:
        priced = IPO_PRICED_RE.search(s) and not IPO_NOT_YET_RE.search(s) and any(
            m.money.amount and m.role in ("round", "other") for m in info.money)
        if not priced:
            found.append((ipo.start(), "ipo", ipo.group(0)))
    return found


_RAISE_IN_OFFERING_RE = re.compile(r"[^,;]{0,80}?\b(?:in|through|via|from)\s+(?:its|an?|the)?\s*"
                                   r"(?:[\w-]+\s+){0,3}$", re.I)


def _decide_event(info: SentenceInfo) -> None:
    raise_hit = _raise_trigger(info)
    negatives = _negative_triggers(info)
    if raise_hit:
        info.raise_at = raise_hit[0]
    if raise_hit:
        # "to raise up to $12.9bn in landmark Hong Kong listing": an offering, not a round
        offering = next((n for n in negatives if n[1] == "ipo" and n[0] > raise_hit[0]
                         and _RAISE_IN_OFFERING_RE.match(info.text, raise_hit[0], n[0])), None)
        if offering is not None:
            raise_hit = None
    options = sorted(negatives + ([(raise_hit[0], "raise", raise_hit[1])] if raise_hit else []),
                     key=lambda x: (x[0], x[1] == "raise"))
    if options:
        _, info.event, info.trigger = options[0]


# Every hint word of every gated pattern that finds a label or an event: a sentence without
# money and without any of these words cannot carry either (a rumour is looked for alone).
_SIGNAL_HINTS = frozenset().union(
    *(g.hints for _, g in LABEL_RES.entries),
    *(g.hints for g in (ACQUISITION_RE, FUND_RE, IPO_RE, TENDER_RE, DONATION_RE,
                        _BARE_RAISE_RE)),
)


def _analyse_sentence(sent: Sentence, money: list[Money], body: int,
                      ref_year: int | None) -> SentenceInfo:
    """Signals for one sentence; ``body`` skips a dateline ("BOSTON -- ")."""
    s = sent.text
    info = SentenceInfo(sent, body, words_of(s))
    info.list_item = bool(LIST_LINE_RE.match(s))
    if not money and _SIGNAL_HINTS.isdisjoint(info.words):
        # fast path: no raise and no negative here (but "according to people familiar with
        # the matter" may qualify the raise of the sentence before: see ``rumour``)
        return info
    refs = [MoneyRef(m, "", m.start - sent.start, m.end - sent.start) for m in money]
    for i, ref in enumerate(refs):
        prev_end = refs[i - 1].end if i else 0
        next_start = refs[i + 1].start if i + 1 < len(refs) else len(s)
        ref.role = _money_role(s, ref, prev_end, next_start, ref_year, info.words)
    info.money = refs
    info.labels = _find_labels(s, info.words, ref_year)
    _decide_event(info)
    return info


def _ref_year(published: date | None, text: str) -> tuple[int | None, date | None]:
    head = text[:200]
    dl = parse_dateline_date(head) if head else None
    if published:
        return published.year, dl
    if dl:
        return dl.year, dl
    years = [int(y) for y in _YEAR_TOKEN_RE.findall(text)]
    return (max(years) if years else None), dl


def _bucket(money: list[Money], sentences: list[Sentence]) -> list[list[Money]]:
    out: list[list[Money]] = [[] for _ in sentences]
    i = 0
    for m in money:
        while i < len(sentences) and sentences[i].end <= m.start:
            i += 1
        if i < len(sentences) and sentences[i].start <= m.start:
            out[i].append(m)
    return out


def _is_roundup(title: SentenceInfo | None, infos: list[SentenceInfo]) -> bool:
    with_money = [i for i in infos if any(m.money.amount for m in i.money)]
    listed = [i for i in with_money if i.list_item]
    distinct_new = {m.money.amount for i in infos if i.event == "raise" and not i.boilerplate
                    for m in i.round_money if m.money.amount}
    if len(listed) >= 4:
        return True
    if title is not None and ROUNDUP_TITLE_RE.search(title.text) and len(with_money) >= 3:
        return True
    if title is not None and title.event == "raise" and title.round_money:
        return False  # "Ola bags $300M from Hyundai": one raise, whatever else the story recalls
    return len(distinct_new) >= 5


@lru_cache(maxsize=256)
def analyse(title: str, text: str, published: date | None = None) -> Analysis:
    """Compute sentence signals for one article (cached on the arguments).

    The result is shared between callers through the cache: treat it as read-only.
    """
    title = title or ""
    text = blank_repeated_title(title, text or "")
    ref_year, dl_date = _ref_year(published, text)
    title_info = None
    if title.strip():
        tsent = Sentence(0, "title", 0, len(title), title)
        title_info = _analyse_sentence(tsent, find_money(title), 0, ref_year)
    sentences = split_sentences(text)
    buckets = _bucket(find_money(text), sentences)
    infos: list[SentenceInfo] = []
    boiler = False
    for sent, money in zip(sentences, buckets, strict=True):
        # a wire's sub-headline line may come before the dateline
        body = dateline_end(sent.text) if sent.index < 2 else 0
        info = _analyse_sentence(sent, money, body, ref_year)
        boiler = boiler or bool(ABOUT_RE.match(sent.text))
        info.navigation = _is_navigation(sent.text)
        info.boilerplate = boiler or info.navigation or bool(RELATED_LINK_RE.match(sent.text))
        infos.append(info)
    return Analysis(title_info, infos, published, ref_year, dl_date,
                    _is_roundup(title_info, infos))
