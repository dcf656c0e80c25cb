"""Extract structured funding rounds from a news article.

``extract_rounds(title, text, published)`` returns the *new* rounds an article reports
(usually 0 or 1).  It returns ``[]`` when ``relevance.classify`` says the article is not
funding news (acquisitions, fund closes, IPO filings, tender offers, pledges, round-ups,
profiles that only mention past funding).

How a round is read:

1. The *anchor* is the first body sentence whose event is a new raise (see
   ``_signals``); the title is used when the body has none, and to fill gaps.
2. Company: the subject of the raise verb ("Acme, a Paris-based startup, today
   announced it has raised" -> "Acme"), or the object of an investor verb ("Sequoia led
   a $20M round in Acme" -> "Acme").  Appositives ("backed by Sequoia"), datelines and
   descriptors ("AI startup", "Bengaluru's") are skipped.
3. Amount: the money whose role is ``round`` in the anchor (not a valuation, total,
   past round, revenue or conversion in brackets).  Genuinely distinct rounds give
   several ``Round`` objects: two amounts paired with two different labels ("a $25M
   Series A and a previously unannounced $6M seed", "a $60M Series B and $20M in venture
   debt"), or a combined announcement ("$45M in combined seed and Series A funding")
   whose parts are described in the following sentences.
4. Round type: the round label nearest to the amount, else one in a following sentence
   about the round, else the title; ``series_unknown`` for unlabelled priced rounds and
   ``undisclosed`` when neither type nor amount is given.
5. Investors: "led by X and Y", "co-led by", "X led the round", "X-led",
   "with participation from", "joined by", "alongside", "X and Y also participated",
   "from X" ... in the anchor and the next sentences about the same round.
6. Valuation: "at a $X valuation", "valuing the company at", "post-money valuation of";
   ``valuation_basis`` is ``pre_money`` when the text says so, else ``post_money``.

Every field records ``Evidence`` (character span in the text or title).  English is
the main target; the commonest Portuguese, Spanish, German and French phrasings of
"raised" / "led by" / "round" are recognised too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date
from itertools import chain

from . import fx
from ._names import investor_norm, leading_name, most_named, split_names, trailing_name
from ._signals import (FUNDING_NOUN_RE, GENERIC_LABEL_TYPES, LIST_LINE_RE, MAKES_INVESTMENT_RE,
                       Analysis, Label, MoneyRef, SentenceInfo, analyse)
from ._text import Gated
from .relevance import Relevance, classify_analysis

__all__ = ["Round", "Evidence", "extract_rounds", "rounds_of", "ROUND_TYPES", "ROUND_FIELDS"]

ROUND_TYPES = (
    "pre_seed", "seed", "series_a", "series_b", "series_c", "series_d", "series_e",
    "series_f", "series_g", "series_h", "series_i", "series_j", "series_unknown", "bridge",
    "convertible_note", "corporate_round", "private_equity", "debt", "grant", "secondary",
    "ipo", "undisclosed",
)


@dataclass(slots=True)
class Evidence:
    """Where a field came from.

    ``start``/``end`` are character offsets of the span in the article text, or in the
    title when ``source == "title"``; ``sentence`` is the whole sentence containing it.
    """

    field: str
    start: int
    end: int
    sentence: str
    source: str = "text"  # "text" or "title"


@dataclass(slots=True)
class Round:
    """A funding round, modelled after Crunchbase's funding round.

    ``amount`` is in full units of ``currency`` (ISO code); ``amount_usd`` and
    ``valuation_usd`` use ``fx.to_usd`` at ``announced_on``.  ``amount_status`` is one of
    ``money.STATUSES``.  ``valuation`` is post-money unless ``valuation_basis`` is
    ``"pre_money"``.  ``investors`` lists the participants other than the leads.
    ``evidence`` maps field names (company, amount, round_type, valuation,
    lead_investors, investors, announced_on) to where they were read.
    """

    company: str | None
    round_type: str
    round_label: str | None = None
    amount: float | None = None
    currency: str | None = None
    amount_usd: float | None = None
    amount_status: str = "undisclosed"
    valuation: float | None = None
    valuation_currency: str | None = None
    valuation_usd: float | None = None
    lead_investors: list[str] = field(default_factory=list)
    investors: list[str] = field(default_factory=list)
    announced_on: date | None = None
    unconfirmed: bool = False
    evidence: dict[str, Evidence] = field(default_factory=dict)
    valuation_basis: str | None = None  # "post_money" | "pre_money"


# The round's facts, in order: the columns of round_mentions and funding_rounds, the merge
# and the store all follow from this one definition (``evidence`` has a table of its own).
ROUND_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Round) if f.name != "evidence")


# --------------------------------------------------------------------------- patterns
_WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|"
           "December")
_SUBJECT_TAIL_RE = re.compile(
    rf"(?:[\s,]+(?:today|yesterday|tonight|now|just|also|recently|officially|formally|"
    rf"publicly|successfully|finally|quietly|reportedly|has|have|had|is|are|was|were|been|"
    rf"being|will|would|could|to|that|it|they|itself|announced|announces|announce|said|"
    rf"says|say|confirmed|confirms|revealed|reveals|disclosed|discloses|told\s+\w+|"
    rf"on\s+(?:{_WEEKDAYS})|(?:{_WEEKDAYS})|this\s+week|last\s+week|earlier\s+this\s+\w+|"
    rf"in\s+a\s+(?:statement|filing|(?:press\s+)?release|blog\s+post)|in\s+(?:early\s+|"
    rf"advanced\s+|final\s+)?(?:talks|discussions|negotiations)|the\s+company|set|poised|"
    rf"about|looking|seeking|seeks|aims|plans|expected|and|who|which|(?:on\s+)?(?:{_MONTHS})"
    rf"\s+\d{{1,2}}(?:,\s*\d{{4}})?|a|an|the|its|their|his|her|new|fresh|total)\s*)+$",
    re.I,
)
_ADVERBIAL_SEG_RE = re.compile(
    r"^\s*(?:Today|Yesterday|On|In|Earlier|Last|This|Meanwhile|However|Separately|According|"
    r"Also|Now|Now,|Additionally|Overall|Together|With|After|Before|Since|As|For|Per|"
    r"(?:a|an|the)\s+[a-z])\b"
)
# "Nulab founder and CEO Masanori Hashimoto announced": the company is Nulab.
_PERSON_AFTER_ORG_RE = re.compile(
    r"\s+(?:(?:co-?)?founder|CEO|chief\s+executive(?:\s+officer)?|president|chairman|CTO)"
    r"(?:\s*(?:,|and|&)\s*(?:(?:co-?)?founder|CEO|chief\s+executive(?:\s+officer)?|president|"
    r"chairman|CTO))*\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}\s*$", re.I)
_PRONOUN_RE = re.compile(r"^(?:It|They|The\s+(?:company|startup|firm|business|group|lab))$")
_PRONOUN_SUBJECT_RE = re.compile(r"\b(?:It|The\s+(?:company|startup|firm))\b")
_PARENS_RE = re.compile(r"\([^()]*\)")
_DASH_ASIDE_RE = re.compile(r"\s[—–]\s[^—–]*\s[—–]\s")  # "Acme — not to be confused with X — said"
_LOWERCASE_NAME_RE = re.compile(r"^\s*([a-z][\w.-]*[a-z0-9])\s*$")
_APPOSITIVE_START_RE = re.compile(r"^\s*(?:a|an|the)\s")
_POSSESSIVE_BEFORE_RE = re.compile(
    r"([A-Z0-9][\w.&'’-]*(?:\s+[A-Z0-9][\w.&'’-]*){0,3})['’]s\s+(?:\w+\s+)?$")
_LEAD_VERB_RE = re.compile(r"(?:co-?)?le[ad]", re.I)
_OBJECT_PREP_RE = re.compile(r"\b(?:in|into|for)\s+", re.I)
_INVESTOR_SUBJECT_VERB_RE = re.compile(
    r"\b(?:(?:co-?)?lead(?:s|ing)?|(?:co-?)?led|invest(?:s|ed|ing)?|back(?:s|ed)|bet(?:s)?|"
    r"pour(?:s|ed)|inject(?:s|ed)|put(?:s)?|plow(?:s|ed)|pump(?:s|ed))\b(?!\s+by)",
    re.I,
)
_LEAD_BY_RE = Gated(
    r"\b(?:co-?)?led\s+by\s+|\bunder\s+the\s+lead(?:ership)?\s+of\s+|"
    r"\blead\s+investors?\s+(?:(?:in|of|for)\s+(?:the|this)\s+(?:round|financing|funding)\s+)?"
    r"(?:was\s+|were\s+|is\s+|are\s+|included?\s+)?|"
    r"\bliderad[ao]s?\s+(?:por|pel[oa]s?)\s+|\bencabezad[ao]s?\s+por\s+|\bangef[üu]hrt\s+von\s+|"
    r"\bmen[ée]e?\s+par\s+|"
    r"\bangef[üu]hrt\s+(?:wurde|wird)\s+(?:die\s+\w+\s+)?vo[nm]\s+",
    "led lead leadership liderada liderado lideradas liderados encabezada encabezado "
    "angeführt angefuhrt par",
    re.I,
)
_LEAD_SUBJECT_RE = Gated(
    r"\b(?:co-?)?(?:led|leads|is\s+leading|are\s+leading|(?:is|are)\s+(?:expected|set|poised|"
    r"slated|going)\s+to\s+(?:co-?)?lead)\b(?!\s+by)"
    r"(?=\s+(?:the|a|an|this|its)\b|\s*[.,;]|\s*$|\s+(?:\$|€|£))",
    "led leads leading coled coleads lead colead co",
    re.I,
)
_WITH_LEADING_RE = Gated(r"\bwith\s+(?P<list>[^.;]{2,120}?)\s+(?:co-)?leading\b", "leading",
                         re.I)
_AS_LEAD_RE = Gated(r"\s+as\s+(?:the\s+)?(?:co-)?lead(?:\s+investors?)?\b", "lead", re.I)
_HYPHEN_LED_RE = Gated(r"(?<=\w)-(?:co-)?led\b", "led")
_PARTICIPANTS_RE = Gated(
    r"\b(?:with\s+)?(?:additional\s+|further\s+)?participation\s+(?:from|by|of)\s+|"
    r"\b(?:joined\s+by|alongside|along\s+with|together\s+with|also\s+included|as\s+did)\s+|"
    r"\b(?:with\s+)?(?:follow-on|continued|additional)\s+(?:support|investment|backing)\s+"
    r"(?:from|by)\s+|"
    r"\b(?:other|additional|existing|new|participating|returning)\s+(?:investors?|backers?)\s+"
    r"(?:in\s+the\s+round\s+)?(?:include[sd]?|including|are|were|such\s+as)\s+|"
    r"(?<!previous\s)(?<!prior\s)(?<!earlier\s)(?<!former\s)(?<!past\s)"  # who backed it before
    r"\b(?:investors?|backers?|participants|funders|angels)\s*,?\s+(?:in\s+(?:the|this)\s+[^.;,]{0,40}?)?"
    r"(?:also\s+)?(?:include[sd]?|including|such\s+as|like)\s+|"
    r"\balso\s+(?:joining(?:\s+in)?|investing|participating|taking\s+part|backing\s+the\s+"
    r"(?:round|company))\s+(?:are|were|was|is)\s+|"
    r"\b(?:raised|secured)\s+(?:\w+\s+)?from\s+[^.;:$€£]{0,120}?,\s+including\s+|"
    r"\b(?:from|by)\s+(?:the\s+same|its|a)\s+[^.;:]{0,80}?\binvestors\b[^.;:]{0,60}:\s+|"
    r"\b(?:also\s+)?(?:participated|invested|joined)(?:\s+in\s+the\s+round)?,\s+including\s+|"
    r"\b(?:the\s+)?(?:round|financing|investment)\s+(?:also\s+)?(?:included?|includes|"
    r"saw\s+participation\s+from|drew\s+(?:in\s+)?)\s+|\bcom\s+participa[çc][ãa]o\s+d[eoa]s?\s+|"
    r"\bcon\s+la\s+participaci[óo]n\s+de\s+|"
    r"\bas\s+well\s+as\s+(?:existing|new|returning|other|previous)\s+(?:investors?|backers?|"
    r"shareholders?)\s+|"
    r"\bamong\s+the\s+(?:\w+\s+)?(?:investors|backers|participants|angels)\s+"
    r"(?:is|are|was|were)\s+|"
    r"\ballot(?:s|ted)?\b[^.;]{0,100}?\bto\s+|"  # "allot 5,450 Series A CCPS at Rs 33,030 to X"
    r"\bamong\s+them\s+",  # "a handful of angels participating, among them X and Y"
    "well among them allot allots allotted "
    "participation joined alongside along together included include includes including did "
    "investing participating taking backing "
    "follow continued additional "
    "investors investor backers backer participants funders angels joining saw drew participação "
    "participacao participación participacion",
    re.I,
)
_PARTICIPANT_SUBJECT_RE = Gated(
    r"\b(?:also\s+)?(?:participated|participating|invested|investing|joined(?:\s+the\s+round)?|"
    r"joining|took\s+part|taking\s+part|chipped\s+in|contributed|followed\s+on|"
    r"were\s+also\s+among|put\s+(?:more\s+)?money\s+in|put\s+in\s+(?:more\s+)?money|"
    r"returned\s+(?:for|to)\s+(?:the|this)\s+(?:new\s+|latest\s+)?round|"
    r"continued\s+to\s+(?:invest|back|support)|"
    r"(?:is|are)\s+(?:also\s+)?(?:expected|set|poised|slated|likely)\s+to\s+(?:participate|join|"
    r"invest|take\s+part|put\s+in\s+(?:money|capital))|also\s+(?:take|takes)\s+part|"
    r"infused|put\s+in(?=\s+(?:about\s+|around\s+)?(?:Rs|INR|US\$|\$|€|£|₹)))\b"
    r"(?!\s+(?:the|its|our|their)\s+(?:board|team|company|staff))",  # "also joining the board"
    "participated participating invested investing joined joining took taking chipped "
    "contributed followed among put returned continued expected infused set poised slated "
    "likely take takes",
    re.I,
)
_SOLE_INVESTOR_RE = Gated(r"\s+(?:was|is|as)\s+the\s+(?:sole|only|single)\s+"
                          r"(?:investor|participant|backer)\b", "sole only single", re.I)
_WITH_PARTICIPATING_RE = Gated(
    r"\bwith\s+(?P<list>[^.;]{2,160}?)\s+(?:also\s+)?(?:participating|investing|joining|"
    r"taking\s+part|contributing|putting\s+in|expected\s+to\s+(?:take\s+part|participate|"
    r"join|invest))\b",
    "participating investing joining taking contributing putting expected",
    re.I,
)
_COMES_FROM_RE = Gated(r"\b(?:investment|funding|round|financing|capital|money|cash|amount|note)\s+"
                       r"(?:comes|came|is\s+coming)\s+(?:entirely\s+|solely\s+)?from\s+",
                       "comes came coming", re.I)
_FUNDED_BY_RE = Gated(r"\b(?:round|note|financing|investment|funding|raise|tranche)\s+(?:was|is|"
                      r"were|has\s+been)\s+(?:also\s+|entirely\s+|fully\s+)?(?:funded|financed|"
                      r"provided|put\s+up)\s+by\s+", "funded financed provided put", re.I)
_FUNDING_BEFORE_BY_RE = re.compile(
    r"\b(?:investment|funding|financing|round|backing|injection)\s*$", re.I)
_FROM_RE = Gated(r"\b(?:from|backed\s+by|by)\s+", "from by", re.I)
_LIST_END_RE = re.compile(
    r"(?:(?<![\s.][A-Z])(?<!\bDr)(?<!\bMr)(?<!\bMs)(?<!\bMrs)(?<!\bProf)\.|[;:!?])(?:\s|$)"
    r"|\s[—–]\s|\s--\s|\s*\((?![^)]*\))"
    r"|,?\s+(?:to|in\s+order\s+to|at|in|on|for|which|who|that|whose|bringing|valuing|"
    r"according|per|said|says|after|following|amid|as\s+part|this|last|earlier|under|during|"
    r"through|while|where|because|making|taking|giving|putting|marking|pushing|when|than|"
    r"since|into|is|was|were|are|will|would|has|have|had|also|both|led|co-led|leading|"
    r"participated|participating|invested|investing|joined|joining)\b"
    r"|,\s+(?:the|a|an|its|it|people|sources|two|three|said)\s+(?-i:(?![A-Z]))"
    r"|,\s+(?-i:[A-Z])[\w-]*\s+(?:has|have)\s+(?:learnt|learned|reported|confirmed)\b"
    r"|\s+and\s+(?:a|an|the|its|is|was|will|has|saw|included|includes|featured|drew|brings|"
    r"brought)\s+(?-i:(?![A-Z]))"
    # but "and the port-focused fund Nautica Ventures" goes on to a name
    r"(?![\w-]+(?:\s+[\w-]+){0,3}?\s+(?:fund|firm|investor|backer|VC|arm|bank)\s+(?-i:[A-Z]))"
    r"|[$€£¥₹]",
    re.I,
)
_DANGLING_AND_RE = re.compile(r"[\s,]+(?:and|&)\s*$", re.I)
# "Y Combinator, Liquid 2 Ventures and angel investors including ...": names before the list
_AND_DESCRIBED_RE = re.compile(r"[\s,]+(?:and|&)\s+(?:angel|individual|other|strategic|"
                               r"existing|new|returning|institutional)\s+$", re.I)
_LEAD_TO_PARTICIPANTS_RE = re.compile(
    r",?\s+(?:(?:and\s+)?(?:also\s+)?(?:saw\s+|with\s+)?(?:(?:additional|continued|further|"
    r"strong)\s+)?participation|with|alongside|along\s+with|together\s+with|"
    r"(?:and\s+)?joined\s+by|(?:and\s+)?followed\s+by|as\s+well\s+as|plus|com\s+participa|"
    r"and\s+(?:also\s+)?(?:included|includes|featured)|"
    r"and\s+(?=(?:existing|new|returning|other|additional)\s+(?:investors?|backers?|"
    r"shareholders?)))\b",
    re.I,
)
_ONE_LEAD_THEN_CLAUSE_RE = re.compile(r"\s*([^,;]+?),\s+and\s+[^,;]+,\s+(?:who|which)\b")
_DESCRIBED_NEXT_RE = re.compile(r",\s+the\s+[a-z]")
_WHO_BEFORE_RE = re.compile(r"\b(?:who|where\s+(?:he|she|they)|previously|formerly|once)\s+"
                            r"(?:\w+\s+)?$", re.I)  # "Circle, where he led the launch"
_MOVE_BEFORE_RE = re.compile(r"\b(?:expand(?:s|ed|ing)?|mov(?:e|es|ed|ing)|relocat(?:e|es|ed|ing)|"
                             r"grow(?:s|ing)?|grew|shift(?:s|ed|ing)?|scal(?:e|es|ed|ing)|go|going|"
                             r"went|branch(?:es|ed|ing)?\s+out)\s+(?:\w+\s+){0,2}$", re.I)
_DESCRIBING_ITEM_RE = re.compile(r"(?:an?\s+|the\s+)?(?:[\w.&'’-]+\s+){0,5}?(?:arm|unit|division|"
                                 r"affiliate|subsidiary|firm|investor|backer|fund)"
                                 r"(?:\s+(?:of|at|in|from)\s+.*)?")  # "the venture arm of X"
_LIST_INTRO_WORDS_RE = re.compile(r"^(?:(?:angel|existing|new|other|individual|strategic)\s+)?"
                                  r"(?:investors?|backers?|angels?)\s+", re.I)
# "Jane Okoro, co-founder of Shipkin, and Tom Reiss": what a person is, between names
_ROLE_ITEM_RE = re.compile(r"(?:the\s+|an?\s+)?(?:former\s+|ex-)?(?:co-?founder|founder|CEO|CTO|COO|"
                           r"CFO|chief\s+\w+\s+officer|head|(?:vice\s+)?president|VP|"
                           r"(?:general\s+|managing\s+)?partner|chair\w*|director|"
                           r"executive)\b[^,;]{0,60}", re.I)
_GERUND_OBJECT_RE = re.compile(r"\b(?:in|on|of|for|to|about|at)\s+$", re.I)
_RELATIVE_TAIL_RE = re.compile(r",\s+(?:(?:which|who)\s+|the\s+(?-i:[a-z])|one\s+of\s+)[^,;]{3,80},?"
                               r"\s*$")
_LED_ITS_EARLIER_RE = re.compile(r"\s+(?:its|their)\s+(?:previous|earlier|prior|first|last|"
                                 r"pre-?seed|seed|angel)\b"
                                 # "Square Peg, which led the company's Series A, returned"
                                 r"|\s+the\s+(?:company|startup)['’]s\s+(?:previous|earlier|prior|first|"
                                 r"last|pre-?seed|seed|angel|series\s+[a-j])\b", re.I)
_LED_A_TEAM_RE = re.compile(r"\s+(?:the|a|an|its|their)\s+(?:[\w-]+\s+){0,4}?(?:teams?|division|"
                            r"unit|group|department|efforts?|projects?|programs?|programmes?|"
                            r"practice|lab|operations|engineering|development|research)\b",
                            re.I)
_JOB_TITLE_NEXT_RE = re.compile(r"(?:its\s+|the\s+)?(?:CEO|chief\s+executive|co-?founder|founder|"
                                r"president|chair(?:man|woman)?|managing\s+director)\b", re.I)
_MANAGED_BEFORE_RE = re.compile(r"\b(?:team|company|startup|business|effort|project|lab|"
                                r"research|division|unit)\s+(?:is|was|are|were|has\s+been)\s+"
                                r"(?:\w+\s+)?$", re.I)
_SAID_BEFORE_RE = re.compile(r"\b(?:said|says|added|adds|noted|explained)\b[^,.;]{0,30}$", re.I)
_PEOPLE_OF_RE = re.compile(r"(?:[\w-]+\s+){0,5}?(?:founders|co-founders|executives|leaders|"
                           r"employees|alumni)\s+(?:of|from|at)\b", re.I)
_SUBJECT_LIST_START_RE = re.compile(
    r"(?<!\.[A-Z])(?<!\bDr)(?<!\bMr)(?<!\bMs)(?<!\bMrs)(?<!\bProf)\.\s"
    r"|[;:!?]\s|\s[—–]\s|\s--\s|\bwith\b|\bwhile\b|,\s+(?:and|but)\s|^",
    re.I)  # not the "P. " of "J.P. Morgan"
_NAME_ITEM_RE = re.compile(r"[A-Z0-9][\w.&'’-]*(?:\s+(?:[A-Z0-9&][\w.&'’-]*|of|de|and)){0,4}")
_SUBJECT_TRAIL_RE = re.compile(r"(?:\s+(?:has|have|had|also|both|jointly|together|previously|"
                               r"reportedly|will|would|is|are|was|were|all))+$", re.I)
_ROUND_REFERENCE_RE = re.compile(
    r"\b(?:round|financing|funding|investments?|raised?|tranche|extension|deal|offering|capital|"
    r"rodada|ronda|opera[çc][ãa]o|aporte|investimento|Runde|Finanzierungsrunde|inversi[óo]n)\b"
    r"|\b(?:led|co-led|participat\w+|invested|investing|joined|joining|investors?|backers?|liderad[ao]|"
    r"angef[üu]hrt|beteiligt\w*|took\s+part|taking\s+part|takes?\s+part|chipped\s+in|contributed|"
    r"followed\s+on|shareholders?)\b",
    re.I,
)
_ROUND_PARTS_RE = re.compile(r"(?:the|this)\s+(?:new\s+)?(?:round|financing|investment|raise|"
                             r"total|funding)\s+(?:includes|included|comprises|comprised|"
                             r"consists\s+of|consisted\s+of|is\s+made\s+up\s+of|was\s+made\s+up"
                             r"\s+of|breaks\s+down\s+into)\s", re.I)
_EACH_PUT_IN_RE = re.compile(r"(?<!has\s)(?<!have\s)(?<!had\s)"  # "who has invested $92M" so far
                             r"\b(?:invested|infused|put\s+in|pumped\s+in|contributed)\s+"
                             r"(?:about\s+|around\s+)?(?:Rs\.?\s?|INR\s?|US\$|\$|€|£|₹)\d")
_THIS_ROUND_RE = re.compile(r"\b(?:the|this)\s+(?:new\s+|latest\s+|funding\s+)?"
                            r"(?:round|deal|financing|investment|raise)\b", re.I)
_LABEL_JOINER_RE = re.compile(r"\s*(?:,|and|&|\+|plus)\s*(?:an?\s+)?", re.I)
_SUPPORT_WINDOW = 8
_AFTER_LATER_LEAD = 2  # sentences after a far "the round was led by" read for participants
_MOST_NAMED_MIN, _MOST_NAMED_RATIO = 3, 3  # see _most_named_company
_MAX_LIST = 300  # an investor list never runs longer than this many characters
_UNTYPED = {"series_unknown", "undisclosed"}


# --------------------------------------------------------------------------- dataclass glue
@dataclass(slots=True)
class _Span:
    text: str
    start: int  # sentence-local
    end: int
    info: SentenceInfo

    def evidence(self, name: str) -> Evidence:
        s = self.info.sentence
        return Evidence(name, s.start + self.start, s.start + self.end, s.text, s.source)


@dataclass(slots=True)
class _Draft:
    """A round being assembled from an anchor sentence."""

    at: int  # sentence-local position of the amount/label that opened this round
    money: MoneyRef | None = None
    label: Label | None = None
    info: SentenceInfo | None = None  # the anchor sentence
    money_info: SentenceInfo | None = None
    label_info: SentenceInfo | None = None
    leads: list[_Span] = field(default_factory=list)
    participants: list[_Span] = field(default_factory=list)
    sources: list[_Span] = field(default_factory=list)  # "raised $5M from X": maybe the sole one
    valuation: MoneyRef | None = None
    valuation_info: SentenceInfo | None = None
    total: MoneyRef | None = None  # "$22M in combined seed and Series A": both rounds' sum


# --------------------------------------------------------------------------- company
def _segments(prefix: str) -> list[tuple[str, int]]:
    """Split on top-level commas, returning (segment, offset)."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(prefix):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif ch == "," and depth == 0:
            out.append((prefix[start:i], start))
            start = i + 1
    out.append((prefix[start:], start))
    return out


def _subject(info: SentenceInfo, end: int) -> _Span | None:
    """The company named as the subject before sentence-local offset ``end``."""
    s = info.text
    # blank out parentheticals (same length, offsets stay valid): 'Arbor Inc. ("Arbor")'
    prefix = _PARENS_RE.sub(lambda m: " " * len(m.group(0)), s[info.body : end])
    prefix = _DASH_ASIDE_RE.sub(lambda m: " " * len(m.group(0)), prefix)
    prefix = _SUBJECT_TAIL_RE.sub("", prefix)
    segments = _segments(prefix)
    for i, (seg, off) in enumerate(segments):
        if not seg.strip() or _ADVERBIAL_SEG_RE.match(seg):
            continue
        found = trailing_name(_PERSON_AFTER_ORG_RE.sub("", seg))
        if found is None and i == 0:
            found = _lowercase_name(seg, segments[1][0] if len(segments) > 1 else "")
        if found:
            name, a, b = found
            if _PRONOUN_RE.match(name):
                return None
            base = info.body + off
            return _Span(name, base + a, base + b, info)
        if _PRONOUN_SUBJECT_RE.search(seg):
            return None
    return None


def _lowercase_name(segment: str, next_segment: str) -> tuple[str, int, int] | None:
    """A lower-case brand followed by an appositive: "lovelace, a Berlin-based startup"."""
    m = _LOWERCASE_NAME_RE.match(segment)
    if m and _APPOSITIVE_START_RE.match(next_segment):
        return m.group(1), m.start(1), m.end(1)
    return None


def _object_company(info: SentenceInfo, after: int) -> _Span | None:
    """Company after an investor verb: "led a $20M round in <Acme>", "backs <Acme>"."""
    s = info.text
    clause = s[after : after + 160]
    spans = [(m.start - after, m.end - after) for m in info.money]
    candidates = [after + m.end() for m in _OBJECT_PREP_RE.finditer(clause)
                  if not any(a <= m.start() < b for a, b in spans)]
    candidates.append(after)
    for pos in candidates:
        found = leading_name(s[pos:])
        if found:
            name, a, b = found
            if (pos + a) - after > 120:
                continue
            return _Span(name, pos + a, pos + b, info)
    return None


def _possessive_company(info: SentenceInfo, pos: int) -> _Span | None:
    """"Acme's $40M Series B" -> Acme."""
    s = info.text
    m = _POSSESSIVE_BEFORE_RE.search(s, max(0, pos - 60), pos)
    if not m:
        return None
    found = trailing_name(m.group(1))
    if not found:
        return None
    base = m.start(1)
    return _Span(found[0], base + found[1], base + found[2], info)


def _company(info: SentenceInfo) -> tuple[_Span | None, list[_Span], bool]:
    """(company, lead investors named as the subject, whether that lead is one that invests
    alone rather than one said to lead) from a raise sentence."""
    s = info.text
    at = info.raise_at
    if at < 0:
        return None, [], False
    makes = MAKES_INVESTMENT_RE.search(s, max(info.body, at - 16), at)
    if makes:  # "Microsoft makes strategic investment into Builder.ai"
        return _object_company(info, at), _subject_list(info, makes.start(), info.body), False
    verb = _INVESTOR_SUBJECT_VERB_RE.match(s, at)
    if verb:
        company = _object_company(info, verb.end())
        is_lead = bool(_LEAD_VERB_RE.match(verb.group(0)))
        # "Sequoia is expected to lead a round in the company": the subject is an investor,
        # the lead when it leads or invests alone ("Microsoft invests $10B in OpenAI")
        names = _subject_list(info, at, info.body)
        alone = len(names) == 1 and not _LEAD_BY_RE.search(s, info.words, info.body)
        return company, names if is_lead or alone else [], alone and not is_lead
    company = _subject(info, at)
    if company is None:
        money = next((m for m in info.money if m.role == "round" and m.start >= at - 2), None)
        if money:
            company = _possessive_company(info, money.start)
    return company, [], False


# --------------------------------------------------------------------------- investors
_LIST_GOES_ON_RE = re.compile(
    r",\s+the\s+[a-z][^,;.]{0,90},\s+(?:and\s+)?(?=[A-Z])"  # "X, the investment arm of Y, and Z"
    r"|\s+and\s+an?\s+[a-z][^,;.]{0,40},\s+as\s+well\s+as\s+")  # "X and a large fund, as well as Y"


def _cut_list(s: str, start: int) -> tuple[str, int]:
    pos, limit = start, start + _MAX_LIST
    while True:
        m = _LIST_END_RE.search(s, pos, limit)
        goes_on = _LIST_GOES_ON_RE.match(s, m.start()) if m else None
        if goes_on is None:
            break
        pos = goes_on.end()
    end = m.start() if m else min(len(s), limit)
    return s[start:end], end


def _spans(info: SentenceInfo, text: str, offset: int) -> list[_Span]:
    out = []
    text = _DANGLING_AND_RE.sub("", text)  # "led by Theory Ventures and| joined by ..."
    for name in split_names(text):
        i = text.find(name)
        start = offset + (i if i >= 0 else 0)
        out.append(_Span(name, start, start + len(name), info))
    return out


def _lead_list_after(info: SentenceInfo, start: int) -> tuple[list[_Span], list[_Span]]:
    """Parse "led by A and B, with participation from C" starting at ``start``."""
    s = info.text
    m = _LEAD_TO_PARTICIPANTS_RE.search(s, start, start + _MAX_LIST)
    stop = _LIST_END_RE.search(s, start, start + _MAX_LIST)
    lead_end = stop.start() if stop else min(len(s), start + _MAX_LIST)
    participants: list[_Span] = []
    one = _ONE_LEAD_THEN_CLAUSE_RE.match(s, start, start + _MAX_LIST)
    if one and one.end(1) < lead_end:
        lead_end = one.end(1)  # "led by Index, and Balderton, who led our A, came back in"
    if m and m.start() < lead_end:
        lead_end = m.start()
        tail, _ = _cut_list(s, m.end())
        tail_start = m.end()
        participants = _spans(info, tail, tail_start)
    return _spans(info, s[start:lead_end], start), participants


def _semicolon_items(info: SentenceInfo, start: int) -> list[_Span]:
    """"Jane Roe, Datadog CEO; Raj Patel, founder of Orbit; and Ann Lee, ...": the names
    before each item's comma; empty unless every item is a name and its description."""
    s = info.text
    end = s.find(".", start)
    end = len(s) if end < 0 else end
    out: list[_Span] = []
    pos = start
    for item in s[start:end].split(";"):
        head = re.sub(r"^\s*(?:and\s+)?", "", item)
        offset = pos + len(item) - len(head)
        name = head.split(",", 1)[0].strip()
        if "," not in head or not name[:1].isupper() or len(name.split()) > 4:
            return []
        out += _spans(info, name, offset)
        pos += len(item) + 1
    return out


def _subject_list(info: SentenceInfo, end: int, floor: int = 0) -> list[_Span]:
    """Names listed right before ``end`` ("A, B and C also participated")."""
    s = info.text
    found = list(_SUBJECT_LIST_START_RE.finditer(s, floor, end))
    start = found[-1].end() if found else floor
    if found and found[-1].group(0).startswith(","):
        # "Panache, RedBud, and MGV also participated": that ", and" ends a list of names
        prev = found[-2].end() if len(found) > 1 else floor
        items = [x.strip() for x in s[prev : found[-1].start()].split(",")]
        items[0] = _LIST_INTRO_WORDS_RE.sub("", items[0])  # "Angel investors Jane Okoro"
        # "Gradient Ventures, Google's AI-focused fund, and Unusual Ventures co-led": names,
        # and what describes them
        if all(_NAME_ITEM_RE.fullmatch(x) or _DESCRIBING_ITEM_RE.fullmatch(x)
               or _ROLE_ITEM_RE.fullmatch(x) for x in items) and any(
                _NAME_ITEM_RE.fullmatch(x) for x in items):
            start = prev
    while found and found[-1].group(0).startswith(";"):
        # "Pandu Sjahrir's Agaeti Ventures; Intudo Ventures; and Innoven Capital also
        # participated": items of one list, each short and capitalised
        found.pop()
        prev = found[-1].end() if found else floor
        item = s[prev:start].strip(" ;")
        if not (item[:1].isupper() and len(item.split()) <= 8):
            break
        start = prev
    chunk = _SUBJECT_TRAIL_RE.sub("", s[start:end].rstrip())
    chunk = _RELATIVE_TAIL_RE.sub("", chunk)  # "Greylock, which led its Series A, also participated"
    return _spans(info, chunk, start)


def _investor_mentions(info: SentenceInfo, company: str | None
                       ) -> list[tuple[int, str, list[_Span]]]:
    """All (position, "lead"|"participant", names) mentions in one sentence."""
    s = info.text
    out: list[tuple[int, str, list[_Span]]] = []
    w = info.words
    for m in _LEAD_BY_RE.finditer(s, w, info.body):
        if m.start() <= info.body and not FUNDING_NOUN_RE.search(s):
            continue  # "Led by Jane Doe (ex-Uber), Adro offers ...": the company's managers
        if _MANAGED_BEFORE_RE.search(s, max(0, m.start() - 40), m.start()) or \
                _JOB_TITLE_NEXT_RE.match(s, m.end()):
            continue  # "The team is led by CEO Chris Urmson", "Aureline is led by CEO Tom Varga"
        leads, parts = _lead_list_after(info, m.end())
        out.append((m.start(), "lead", leads))
        if parts:
            out.append((m.start(), "participant", parts))
    for m in _LEAD_SUBJECT_RE.finditer(s, w, info.body):
        if _WHO_BEFORE_RE.search(s, max(0, m.start() - 30), m.start()):
            continue  # "founded by A and B, who previously led the AI team at X"
        if _LED_ITS_EARLIER_RE.match(s, m.end()):
            continue  # "earlier backers include Pear VC, which led its seed": another round
        if _LED_A_TEAM_RE.match(s, m.end()):
            continue  # "Reddy led the conversational commerce team at Flipkart": a job
        names = _subject_list(info, m.start(), info.body)
        if names:
            out.append((m.start(), "lead", names))
            rest, parts = _lead_list_after(info, m.end())
            if parts:
                out.append((m.start(), "participant", parts))
    for rx, kind in ((_WITH_LEADING_RE, "lead"), (_WITH_PARTICIPATING_RE, "participant")):
        for m in rx.finditer(s, w, info.body):
            out.append((m.start(), kind, _spans(info, m.group("list"), m.start("list"))))
    for m in _AS_LEAD_RE.finditer(s, w, info.body):
        out.append((m.start(), "lead", _subject_list(info, m.start(), info.body)))
    for m in _HYPHEN_LED_RE.finditer(s, w, info.body):
        base = max(info.body, m.start() - 60)
        found = trailing_name(s[base : m.start()])
        if found:
            out.append((m.start(), "lead", [_Span(found[0], base + found[1], base + found[2],
                                                  info)]))
    for m in _SOLE_INVESTOR_RE.finditer(s, w, info.body):
        base = max(info.body, m.start() - 80)
        found = trailing_name(s[base : m.start()])
        if found:  # "in which Thai developer Sansiri was the sole participant"
            out.append((m.start(), "lead", [_Span(found[0], base + found[1], base + found[2],
                                                  info)]))
    for m in _PARTICIPANTS_RE.finditer(s, w, info.body):
        if _PEOPLE_OF_RE.match(s, m.end()):
            continue  # "angel investors including founders of Postman, Chargebee ..."
        text, end = _cut_list(s, m.end())
        names = _spans(info, text, m.end())
        if s[end : end + 1] == ";":
            names = _semicolon_items(info, m.end()) or names
        if not names and _DESCRIBED_NEXT_RE.match(s, end):
            # "participation from a new backer, the public-market investor BlackRock, ..."
            text, _ = _cut_list(s, end + 1)
            names = _spans(info, text, end + 1)
        before = _DANGLING_AND_RE.search(s, max(info.body, m.start() - 6), m.start()) or \
            _AND_DESCRIBED_RE.search(s, max(info.body, m.start() - 20), m.start())
        if before:  # "Eastern Bell, PV Capital, and existing investors such as ShunWei"
            names = _subject_list(info, before.start(), info.body) + names
        out.append((m.start(), "participant", names))
    for m in _PARTICIPANT_SUBJECT_RE.finditer(s, w, info.body):
        if _SAID_BEFORE_RE.search(s, max(0, m.start() - 40), m.start()):
            continue  # "Jane Roe, who heads X, said his firm invested": she is no investor
        if _GERUND_OBJECT_RE.search(s, max(0, m.start() - 12), m.start()):
            continue  # "X, based in La Crosse, specializes in investing in ...": what it does
        names = _subject_list(info, m.start(), info.body)
        # placed where the names are: "Greylock, which led its Series A, also participated"
        # recalls a past round after the name, not before it
        out.append((min((n.start for n in names), default=m.start()), "participant", names))
    for m in _FUNDED_BY_RE.finditer(s, w, info.body):
        text, _ = _cut_list(s, m.end())  # "The note was funded by existing backers X and Y"
        out.append((m.start(), "from", _spans(info, text, m.end())))
    for m in _COMES_FROM_RE.finditer(s, w, info.body):
        text, _ = _cut_list(s, m.end())  # "The investment comes from Norrsken VC, the ..."
        out.append((m.start(), "from", _spans(info, text, m.end())))
    if info.event == "raise" and info.raise_at >= 0:
        for m in _FROM_RE.finditer(s, w, info.raise_at):
            if _MOVE_BEFORE_RE.search(s, max(0, m.start() - 30), m.start()):
                continue  # "which it will use to expand from Norway into Chile": a place
            before = s[max(0, m.start() - 3) : m.start()]
            if (m.group(0).lower().startswith("by") and not before.strip().endswith(",")
                    and not _FUNDING_BEFORE_BY_RE.search(s, max(0, m.start() - 20), m.start())):
                continue
            text, _ = _cut_list(s, m.end())
            out.append((m.start(), "from", _spans(info, text, m.end())))
    key = (company or "").lower()
    return [(pos, kind, [n for n in names if n.text.lower() != key]) for pos, kind, names in out]


# --------------------------------------------------------------------------- rounds
def _type_of(label: Label | None, has_amount: bool) -> str:
    """Specific label -> its type; otherwise series_unknown if priced, else undisclosed."""
    if label is None or label.round_type in GENERIC_LABEL_TYPES:
        return "series_unknown" if has_amount else "undisclosed"
    return label.round_type


def _pair_label(info: SentenceInfo, money: MoneyRef) -> Label | None:
    """The round label written right next to an amount ("$25M Series A", "Series A of $25M")."""
    best, dist = None, 10**9
    others = [m for m in info.money if m is not money]
    for label in info.labels:
        if label.past:
            continue
        lo, hi = sorted((money.start, label.start))
        if any(lo < o.start < hi for o in others):
            continue  # another amount sits in between: the label is not this one's
        if 0 <= label.start - money.end <= 40:
            d = label.start - money.end
        elif 0 <= money.start - label.end <= 25:
            d = money.start - label.end + 5
        else:
            continue
        specific = label.round_type not in GENERIC_LABEL_TYPES
        d -= 100 if specific else 0
        if d < dist:
            best, dist = label, d
    return best


def _drafts(info: SentenceInfo) -> list[_Draft]:
    """Round drafts in the anchor sentence (several only for distinct labelled amounts)."""
    moneys = [m for m in info.money if m.role == "round" or
              (m.money.status == "undisclosed" and m.role not in ("deal",))]
    moneys = [m for m in moneys if m.start >= info.body]
    paired = [(m, _pair_label(info, m)) for m in moneys]
    specific = [(m, lab) for m, lab in paired if lab and lab.round_type not in GENERIC_LABEL_TYPES]
    types = {lab.round_type for _, lab in specific}
    if len(specific) >= 2 and len(types) == len(specific):
        return [_Draft(at=m.start, money=m, label=lab, info=info, money_info=info,
                       label_info=info) for m, lab in specific]
    combined = _combined_labels(info)
    if combined and sum(m.money.amount is not None for m in moneys) <= 1:
        # "$45 million in combined seed and Series A funding": one draft per round, the
        # total belongs to neither; later sentences may give each round's amount, or else
        # they are told as one (_join_combined).
        total = next((m for m in moneys if m.money.amount is not None), None)
        return [_Draft(at=lab.start, label=lab, info=info, label_info=info, total=total)
                for lab in combined]
    if moneys:
        with_amount = [p for p in paired if p[0].money.amount is not None] or paired
        m, lab = next((p for p in with_amount if p[1] is not None), with_amount[0])
        if lab is None or lab.round_type in GENERIC_LABEL_TYPES:
            lab = _nearest_label(info, m.start) or lab
        return [_Draft(at=m.start, money=m, label=lab, info=info, money_info=info,
                       label_info=info)]
    label = _nearest_label(info, info.raise_at)
    return [_Draft(at=label.start if label else max(info.raise_at, 0), label=label, info=info,
                   label_info=info)]


def _combined_labels(info: SentenceInfo) -> list[Label]:
    """Labels of distinct types written as one phrase: "seed and Series A", "A, B and C"."""
    labels = [lab for lab in info.labels
              if not lab.past and lab.round_type not in GENERIC_LABEL_TYPES]
    for first, second in zip(labels, labels[1:], strict=False):
        if (first.round_type != second.round_type
                and _LABEL_JOINER_RE.fullmatch(info.text, first.end, second.start)):
            return [first, second]
    return []


def _nearest_label(info: SentenceInfo, pos: int) -> Label | None:
    labels = [lab for lab in info.labels if not lab.past]
    specific = [lab for lab in labels if lab.round_type not in GENERIC_LABEL_TYPES]
    pool = specific or labels
    return min(pool, key=lambda lab: abs(lab.start - pos)) if pool else None


def _supports(a: Analysis, anchor: SentenceInfo, types: set[str],
              amounts: set[float] = frozenset(),
              together: set[str] = frozenset()) -> list[SentenceInfo]:
    """Sentences after the anchor that talk about the same round(s): those of the next
    ``_SUPPORT_WINDOW`` that refer to a round, and further down those that name the round's
    own type ("Wavemaker also participated in Acme's series A").

    ``types`` are the specific round types of the drafts (empty when untyped), ``amounts``
    their amounts: a later raise of the same amount is the same round told again
    ("Isospec's $1.9M pre-seed round is led by Founderful"); ``together`` as in
    ``_past_from``.
    """
    out = []
    first = anchor.sentence.index + 1
    for info in a.sentences[first:]:
        if info.boilerplate:
            break
        far = info.sentence.index >= first + _SUPPORT_WINDOW
        if far and not types and not amounts:
            break
        if info.event and info.event != "raise" and not (info.event == "ipo" and "ipo" in types):
            continue
        named = {lab.round_type for lab in info.labels} - GENERIC_LABEL_TYPES
        if _ROUND_PARTS_RE.match(info.text) or (info.money and (not named or named & types)
                                                and _EACH_PUT_IN_RE.search(info.text)):
            # "The round includes $35M in equity led by X and $15M of debt", "Blume
            # invested Rs 9 crore, while Titan put in Rs 5 crore": this round, told in parts
            # (not "participants in the J round include X, who has invested $92M")
            out.append(info)
            continue
        current_valuation = any(m.role == "valuation" for m in info.money)
        past = _past_from(info, together)
        aside = _past_only_in_asides(info)
        if not current_valuation and past < len(info.text) and not aside:
            this = _THIS_ROUND_RE.match(info.text)
            if this is None or past < this.end():
                continue  # recalls a past round; "The new financing, led by X, comes six
                # months after a $350M round" is about this one up to the recalled round
        asides = ([(m.start(), m.end()) for m in _ASIDE_RE.finditer(info.text)]
                  if info.labels else [])
        specific = {lab.round_type for lab in info.labels  # "X, which backed its seed, also"
                    if lab.round_type not in GENERIC_LABEL_TYPES and not (aside and lab.past)
                    and not any(a <= lab.start < b for a, b in asides)}
        if types and specific and not (specific & types):
            continue
        if far:
            # far below: only a sentence naming this round ("Acme's series A"), or typing an
            # untyped one by its amount ("deploying its $2.6m seed round")
            names_it = bool(specific & types)
            types_it = not types and bool(specific) and any(
                _same_amount(m.money.amount, amounts) for m in info.money if m.role == "round")
            if not (names_it or types_it):
                continue
        other_raise = info.event == "raise" and any(
            m.role == "round" and not _same_amount(m.money.amount, amounts) for m in info.money)
        if other_raise and not (specific & types):
            continue  # a different raise, not more detail about this one
        if _ROUND_REFERENCE_RE.search(info.text) or current_valuation:
            out.append(info)
    return out


_ASIDE_RE = re.compile(r",\s+(?:which|who)\s+[^,;]{3,80},")


def _past_only_in_asides(info: SentenceInfo) -> bool:
    """"Greylock, which led Relaymark's Series A, also participated": the past round is
    told in an aside; the sentence is about this round."""
    asides = [(m.start(), m.end()) for m in _ASIDE_RE.finditer(info.text)]
    if not asides:
        return False
    past = [lab.start for lab in info.labels if lab.past] + [
        m.start for m in info.money if m.role in ("past_round", "past_valuation")]
    return all(any(a <= p < b for a, b in asides) for p in past)


def _past_from(info: SentenceInfo, told_together: set[str] = frozenset()) -> int:
    """Where the sentence starts to recall a past round (its length if it never does).

    ``told_together``: the types of rounds announced as one ("combined seed and Series A"),
    where "the earlier seed round" is one of them, not a past round."""
    return min([lab.start for lab in info.labels if lab.past
                and lab.round_type not in told_together]
               + [m.start for m in info.money if m.role in ("past_round", "past_valuation")],
               default=len(info.text))


def _same_amount(amount: float | None, amounts: set[float]) -> bool:
    return amount is not None and any(abs(amount - x) <= 0.01 * x for x in amounts)


def _assign_investors(drafts: list[_Draft], info: SentenceInfo, company: str | None,
                      until: int | None = None) -> None:
    """Give the investors named in ``info`` (before ``until``) to the drafts they back."""
    for pos, kind, names in _investor_mentions(info, company):
        if not names or (until is not None and pos >= until):
            continue
        target = _target_draft(drafts, info, pos, names[-1].end)
        if target is None:
            continue
        bucket = target.leads if kind == "lead" else target.participants
        bucket.extend(names)
        if kind == "from":
            target.sources.extend(names)


_LIST_INTRO_RE = re.compile(r"\b(?:including|include[sd]?|investors?|backers?|participants|"
                            r"such\s+as|from)\s*:\s*$", re.I)
_MAX_LISTED_LINES = 20


def _assign_listed_lines(a: Analysis, info: SentenceInfo, drafts: list[_Draft]) -> None:
    """"... from investors including:" and then one name a line: the lines are its list."""
    if len(drafts) != 1 or not _LIST_INTRO_RE.search(info.text):
        return
    for line in a.sentences[info.sentence.index + 1 : info.sentence.index + 1 + _MAX_LISTED_LINES]:
        text = LIST_LINE_RE.sub("", line.text).strip(" .;,")
        names = split_names(text) if len(text.split()) <= 8 else []
        if len(names) != 1 or names[0] != text:
            return  # the list is over: a line that is not one name
        start = line.text.find(text)
        drafts[0].participants.append(_Span(text, start, start + len(text), line))


_LED_THE_RE = re.compile(r"\s+(?:co-)?(?:led|leads|headed|anchored)\s+(?:the|its|this)\s+"
                        r"(?:\w+\s+){0,2}?", re.I)


def _target_draft(drafts: list[_Draft], info: SentenceInfo, pos: int,
                  end: int | None = None) -> _Draft | None:
    """The draft a mention at ``pos`` (to ``end``) in ``info`` is about (``None`` if
    ambiguous)."""
    if len(drafts) == 1:
        return drafts[0]
    if info is drafts[0].info:  # the anchor: the nearest round opened before the mention
        before = [d for d in drafts if d.at <= pos]
        return before[-1] if before else drafts[0]
    types = {lab.round_type for lab in info.labels}
    matching = [d for d in drafts if d.label is not None and d.label.round_type in types]
    if len(matching) > 1:
        # "Lux led the Series A, while Founders Fund led the seed": the round the name leads
        after = next((lab for lab in info.labels if end is not None and lab.start >= end), None)
        if after is not None and _LED_THE_RE.fullmatch(info.text, end, after.start):
            named = after.round_type
        else:
            # "The seed round was led by A, and the pre-seed was led by B": the round named
            # last before the mention
            before = [lab.round_type for lab in info.labels if lab.start <= pos]
            named = before[-1] if before else None
        matching = [d for d in matching if d.label.round_type == named]
    return matching[0] if len(matching) == 1 else None


def _fill_amounts(drafts: list[_Draft], supports: list[SentenceInfo]) -> None:
    """Give combined-round drafts their own amount: "The Series A accounts for $35M"."""
    for info in supports:
        money = next((m for m in info.money if m.role == "round" and m.money.amount), None)
        target = _target_draft(drafts, info, 0) if money else None
        if target is not None and target.money is None:
            target.money, target.money_info = money, info


def _stage(round_type: str | None) -> int:
    """How late a round comes: pre-seed 0, seed 1, Series A 2, ... (-1: not a stage)."""
    if round_type in ("pre_seed", "seed"):
        return ("pre_seed", "seed").index(round_type)
    if round_type and round_type.startswith("series_") and len(round_type) == 8:
        return 2 + ord(round_type[-1]) - ord("a")
    return -1


def _join_combined(drafts: list[_Draft]) -> list[_Draft]:
    """Rounds told as one ("$22M in combined seed and Series A funding") stay one when the
    text never splits the total: the later round, with the total and every round's
    investors. Split ("The Series A accounts for $35M"), they stay two."""
    if len(drafts) < 2 or any(d.total is None or d.money is not None for d in drafts):
        return drafts
    latest = max(drafts, key=lambda d: _stage(d.label.round_type if d.label else None))
    latest.money, latest.money_info = latest.total, latest.info
    for d in drafts:
        if d is not latest:
            latest.leads += d.leads
            latest.participants += d.participants
            latest.sources += d.sources
    return [latest]


def _join_under_title_total(drafts: list[_Draft], title: SentenceInfo | None) -> list[_Draft]:
    """"Pallas emerges from stealth with $25 million" over "a $5 million seed led by A and a
    $20 million Series A led by B": the title tells one raise of the two rounds' sum; the
    story is one round of the later type with every lead (equity and debt stay two)."""
    if len(drafts) < 2 or title is None or len(title.round_money) != 1:
        return drafts
    if any(_stage(d.label.round_type if d.label else None) < 0 or d.money is None
           or d.money.money.amount is None for d in drafts):
        return drafts
    total = title.round_money[0]
    if {d.money.money.currency for d in drafts} != {total.money.currency} or not _same_amount(
            sum(d.money.money.amount for d in drafts), {total.money.amount or 0.0}):
        return drafts
    for d in drafts:
        d.total = total
        d.money = None
    joined = _join_combined(drafts)
    joined[0].money_info = title
    return joined


def _amount_from_next(a: Analysis, anchor: SentenceInfo, d: _Draft) -> None:
    """"Nulab announced its first-ever funding round. The firm has raised US$887,000 from
    East Ventures.": an anchor without an amount takes the one stated right after it."""
    if d.money is not None and d.money.money.amount is not None:
        return
    for info in a.sentences[anchor.sentence.index + 1 : anchor.sentence.index + 3]:
        money = next((m for m in info.round_money if m.money.amount), None)
        if info.event == "raise" and money is not None and not info.boilerplate:
            d.money, d.money_info = money, info
            _assign_investors([d], info, None)
            return


def _full_names(names: list[_Span], named: list[_Span]) -> list[_Span]:
    """A title shortens names: "... From Lead Edge" is the body's "Lead Edge Capital"."""
    out = []
    for n in names:
        if n.info.sentence.source == "title":
            longer = next((m for m in named if m.info.sentence.source != "title"
                           and m.text.startswith(n.text + " ")), None)
            n = longer or n
        out.append(n)
    return out


def _dedupe(names: list[_Span], exclude: set[str] = frozenset()) -> list[_Span]:
    seen, out = set(exclude), []
    for n in names:
        k = investor_norm(n.text)  # "X Inc" and "X" are one investor in one round
        if k not in seen:
            seen.add(k)
            out.append(n)
    return out


def _valuation(info: SentenceInfo) -> MoneyRef | None:
    return next((m for m in info.money if m.role == "valuation" and m.money.amount), None)


def _anchor(a: Analysis) -> SentenceInfo | None:
    """The first body sentence stating a raise with a new amount or a specific round label
    (so "when it raised its first funding round" loses to "it has closed a $9.2M Series B"),
    else the first stating any raise."""
    raising = [i for i in a.sentences if i.event == "raise" and not i.boilerplate]
    stating = [i for i in raising if i.round_money or any(
        not lab.past and lab.round_type not in GENERIC_LABEL_TYPES for lab in i.labels)]
    if stating:
        first = stating[0]
        now = next((i for i in stating[1:] if i.sentence.index <= first.sentence.index + 3
                    and _NOW_RAISED_RE.search(i.text)), None)
        # "The startup went on to raise £167,000 ... before closing a £1 million pre-seed.
        # ... it has now raised a further £4.3 million in seed funding"
        return now if now is not None and not _NOW_RAISED_RE.search(first.text) else first
    return raising[0] if raising else None


_NOW_RAISED_RE = re.compile(r"\b(?:now|today|this\s+week)\s+(?:\w+\s+)?(?:raised|closed|secured)\b"
                            r"|\ba\s+further\b", re.I)


def _reconcile_company(text_co: _Span | None, title_co: _Span | None,
                       anchor: SentenceInfo | None, body: str) -> _Span | None:
    if text_co is None:
        return title_co
    if title_co is None:
        return text_co
    t, x = title_co.text.lower(), text_co.text.lower()
    if t != x and t.endswith(" " + x) and title_co.text in body:
        return title_co  # "Builder Prime" over "Prime" cut from "Software Leader Builder Prime"
    if t in x or x in t:
        return text_co
    if anchor is not None and re.search(rf"(?<![\w-]){re.escape(title_co.text)}(?![\w-])",
                                        anchor.text):
        return title_co  # named in the anchor too; "Airbnb-esque" or "Uber-like" is no name
    return text_co


_THE_COMPANY_RE = re.compile(
    r"\b(?:the|this)\s+(?:[\w-]+\s+){0,3}?(?:company|startup|start-up|firm|business|"
    r"platform|maker|developer|provider|outfit)\b", re.I)
_NAMED_BEFORE_WINDOW = 3  # sentences above the anchor read for the name it refers to


def _named_before(a: Analysis, anchor: SentenceInfo | None) -> _Span | None:
    """"Opticore wants to change that. Last week, the Pittsburgh company said it had raised
    $22M": a raise by "the ... company" is by the name that opened a sentence just above,
    if the story names it again (a one-off sentence opener such as "Walk into" is none)."""
    if anchor is None or not _THE_COMPANY_RE.search(anchor.text, anchor.body, max(anchor.raise_at, 0)):
        return None
    texts = [i.text for i in a.sentences if not i.boilerplate]
    first = anchor.sentence.index
    for info in reversed(a.sentences[max(0, first - _NAMED_BEFORE_WINDOW) : first]):
        found = leading_name(info.text[info.body :])
        if found is None or _PLACE_BEFORE_RE.search(info.text, 0, info.body + found[1]):
            continue  # "On the fourth floor of a mill in Somerville, ...": a place
        named = re.compile(rf"(?<![\w.-]){re.escape(found[0])}(?![\w-])")
        if sum(len(named.findall(t)) for t in texts) >= 2:
            return _Span(found[0], info.body + found[1], info.body + found[2], info)
    return None


def _fallback_company(a: Analysis) -> _Span | None:
    """The name that opens the title ("MediShout wants to ..."), else the first sentences;
    a person who opens one ("Mira Solberg co-founded Halden") is not it, and a title's
    "Halden's CEO on its new round" names it."""
    if a.title is not None:
        boss = _COMPANYS_BOSS_RE.search(a.title.text)
        if boss:
            return _Span(boss.group(1), boss.start(1), boss.end(1), a.title)
    infos = ([a.title] if a.title is not None else []) + a.sentences[:2]
    for info in infos:
        found = leading_name(info.text[info.body :])
        if found and not _PERSON_NEXT_RE.match(info.text, info.body + found[2]):
            return _Span(found[0], info.body + found[1], info.body + found[2], info)
    return None


_PLACE_BEFORE_RE = re.compile(r"\b(?:in|at|near|outside|from)\s+$", re.I)
_COMPANYS_BOSS_RE = re.compile(r"\b((?-i:[A-Z])[\w&.-]*(?:\s+(?-i:[A-Z])[\w&.-]*){0,3})['’]s\s+"
                               r"(?:CEO|co-?founder|founder|chief\s+executive|boss|[$€£¥₹]|US\$)",
                               re.I)  # "Halden's CEO on its new round", "Halden Bio's $210M bet"
_PERSON_NEXT_RE = re.compile(r"\s+(?:co-?founded|founded|started|said|says|told)\b"
                             r"|,\s+(?:the\s+|its\s+)?(?:co-?founder|founder|CEO|chief)\b", re.I)


def _most_named_company(a: Analysis, company: _Span | None) -> _Span | None:
    """A name read off the title or a first sentence, checked against the story: when
    another name is written far more often ("China's answer to Airbnb just got $300M" over
    a story about Tujia), that name is the company."""
    texts = [i.text for i in a.sentences if not i.boilerplate]
    best, count = most_named(texts)
    if count < _MOST_NAMED_MIN:
        return company
    if company is not None:
        if company.text.startswith(best + " "):
            return company  # "Tidewell" over and over is "Tidewell Robotics" for short
        named = re.compile(rf"(?<![\w.-]){re.escape(company.text)}(?![\w-])")
        mentions = sum(len(named.findall(t)) for t in texts)
        if mentions * _MOST_NAMED_RATIO > count:
            return company
    best_rx = re.compile(rf"(?<!\w){re.escape(best)}(?!\w)")
    for info in a.sentences:
        m = best_rx.search(info.text)
        if m and not info.boilerplate:
            return _Span(best, m.start(), m.end(), info)
    return company


def _build(d: _Draft, company: _Span | None, a: Analysis, rel: Relevance,
           title: SentenceInfo | None) -> Round:
    """Turn a draft into a ``Round``; ``title`` (or ``None``) may fill amount and type."""
    when = a.dateline_date or a.published
    r = Round(company=company.text if company else None, round_type="undisclosed",
              announced_on=when, unconfirmed=rel.unconfirmed)
    if company:
        r.evidence["company"] = company.evidence("company")
    _set_amount(r, d, title, when)
    _set_type(r, d, title)
    _set_valuation(r, d, when)
    _set_investors(r, d)
    if a.dateline_date and a.sentences:
        first = a.sentences[0]
        r.evidence["announced_on"] = Evidence("announced_on", first.sentence.start,
                                              first.sentence.start + first.body, first.text)
    return r


def _set_amount(r: Round, d: _Draft, title: SentenceInfo | None, when: date | None) -> None:
    money, info = d.money, d.money_info
    if (money is None or money.money.amount is None) and title is not None and title.round_money:
        money, info = title.round_money[0], title
    if money is None or info is None:
        return
    if title is not None and title.round_money and info is not title:
        # "almost $1 billion — $940 million —" under "Nuro raises $940 million": the figure
        # the title repeats is the exact one
        said = {title.round_money[0].money.amount} - {None}
        money = next((x for x in info.round_money if _same_amount(x.money.amount, said)
                      and x.money.currency == money.money.currency), money)
    m = money.money
    r.amount, r.currency, r.amount_status = m.amount, m.currency, m.status
    r.amount_usd = fx.to_usd(m.amount, m.currency, when)
    r.evidence["amount"] = _Span(m.raw, money.start, money.end, info).evidence("amount")


def _set_type(r: Round, d: _Draft, title: SentenceInfo | None) -> None:
    label, info = d.label, d.label_info
    if title is not None and (label is None or label.round_type in GENERIC_LABEL_TYPES):
        # "raises US$300M in Series D" over the body's "in a D1 round ... funding round"
        titled = _nearest_label(title, 0)
        if titled is not None and (label is None or titled.round_type not in GENERIC_LABEL_TYPES):
            label, info = titled, title
    r.round_type = _type_of(label, r.amount is not None)
    if label is not None and info is not None:
        r.round_label = label.text if label.round_type != "round" else None
        r.evidence["round_type"] = _Span(label.text, label.start, label.end, info).evidence(
            "round_type")


def _set_valuation(r: Round, d: _Draft, when: date | None) -> None:
    if d.valuation is None or d.valuation_info is None:
        return
    v = d.valuation.money
    r.valuation, r.valuation_currency = v.amount, v.currency
    r.valuation_usd = fx.to_usd(v.amount, v.currency, when)
    r.valuation_basis = "pre_money" if d.valuation.pre_money else "post_money"
    r.evidence["valuation"] = _Span(v.raw, d.valuation.start, d.valuation.end,
                                    d.valuation_info).evidence("valuation")


def _set_investors(r: Round, d: _Draft) -> None:
    company = (r.company or "").lower()
    d.leads = [n for n in d.leads if n.text.lower() != company]
    d.participants = [n for n in d.participants if n.text.lower() != company]
    if not d.leads and d.sources:
        # "raised $5M from X": a single investor named as the source made the investment;
        # not "The remaining amount came from angel X" after the others are named
        first = [n for n in d.sources if n.info is d.sources[0].info]
        named_before = any(p.info.sentence.index < first[0].info.sentence.index
                           for p in d.participants if p.info.sentence.source == "text"
                           and first[0].info.sentence.source == "text")
        if len({n.text.lower() for n in first}) == 1 and not named_before:
            d.leads = first[:1]
    leads = _dedupe(_full_names(d.leads, d.leads + d.participants))
    others = _dedupe(_full_names(d.participants, d.leads + d.participants),
                     {investor_norm(n.text) for n in leads})
    r.lead_investors = [n.text for n in leads]
    r.investors = [n.text for n in others]
    if leads:
        r.evidence["lead_investors"] = _merge_evidence("lead_investors", leads)
    if others:
        r.evidence["investors"] = _merge_evidence("investors", others)


def _merge_evidence(name: str, spans: list[_Span]) -> Evidence:
    """One evidence span covering the names found in the first sentence that named any."""
    first = spans[0]
    same = [s for s in spans if s.info is first.info]
    return Evidence(name, first.info.sentence.start + min(s.start for s in same),
                    first.info.sentence.start + max(s.end for s in same),
                    first.info.text, first.info.sentence.source)


def extract_rounds(title: str, text: str, published: date | None = None, *,
                   relevance: Relevance | None = None) -> list[Round]:
    """Funding rounds reported by one article (``[]`` if it is not funding news)."""
    if isinstance(published, str):
        published = date.fromisoformat(published[:10])
    a = analyse(title or "", text or "", published)
    return rounds_of(a, relevance or classify_analysis(a))


def rounds_of(a: Analysis, rel: Relevance) -> list[Round]:
    """``extract_rounds`` on an analysis already made (the page's sentences, read once)."""
    if not rel.is_funding:
        return []
    anchor = _anchor(a)
    title_info = a.title if a.title is not None and a.title.event == "raise" else None
    base = anchor or title_info
    if base is None:
        return []
    drafts = _drafts(base)
    text_co, subject_leads, text_alone = _company(base)
    title_co, title_leads, title_alone = (_company(title_info) if title_info is not None
                                          else (None, [], False))
    alone = {n.text for n in (subject_leads if text_alone else []) + (title_leads if title_alone else [])}
    body = " ".join(i.text for i in a.sentences)
    company = _reconcile_company(text_co if base is anchor else None, title_co, anchor, body)
    if company is None:
        company = _named_before(a, anchor) or _fallback_company(a)
    if company is None or company.info is not anchor:
        company = _most_named_company(a, company)
    name = company.text if company else None
    drafts[0].leads.extend(subject_leads)
    _assign_investors(drafts, base, name)
    types = {_type_of(d.label, True) for d in drafts} - _UNTYPED
    amounts = {d.money.money.amount for d in drafts if d.money and d.money.money.amount}
    together = {d.label.round_type for d in drafts if d.total is not None and d.label}
    supports = _supports(a, anchor, types, amounts, together) if anchor is not None else []
    for info in supports:
        # "Kleiner, which led its Series A, returned, and Mercy joined": a past round told
        # in an aside ends nothing
        until = len(info.text) if _past_only_in_asides(info) else _past_from(info, together)
        _assign_investors(drafts, info, name, until=until)
    for info in [base] + supports:
        _assign_listed_lines(a, info, drafts)
        _upgrade_label(drafts, info)
    if anchor is not None and not any(d.leads for d in drafts):
        later = _later_lead_sentence(a, anchor, supports)
        if later is not None:
            _assign_investors(drafts[:1], later, name)
            # the participants follow the leads: "Wavemaker Partners also participated"
            for info in _supports(a, later, types, amounts)[:_AFTER_LATER_LEAD]:
                if info.sentence.index <= later.sentence.index + _AFTER_LATER_LEAD:
                    _assign_investors(drafts[:1], info, name)
    _fill_amounts(drafts, supports)
    drafts = _join_combined(drafts)
    drafts = _join_under_title_total(drafts, a.title)
    if anchor is not None and len(drafts) == 1:
        _amount_from_next(a, anchor, drafts[0])
    _title_investors(drafts, title_info, base, title_leads, name)
    d = drafts[0]
    if alone and d.leads and {n.text for n in d.leads} <= alone and any(
            p.text not in alone for p in d.participants):
        # "Salesforce Ventures has backed Qwilt AI in a $25M round ... the round also included
        # Emergence Capital": it did not invest alone, and no one is said to lead
        d.participants[:0] = d.leads
        d.leads = []
    _attach_valuation(a, drafts, base, supports, title_info)
    title_amount = a.title if len(drafts) == 1 else None  # a title total fits one round only
    return [_build(d, company, a, rel, title_amount) for d in drafts]


_ROUND_WAS_LED_RE = re.compile(
    r"\b(?:round|financing|funding|investment|raise|tranche)\b[^.;]{0,40}?\b(?:was|is|were|"
    r"has\s+been|had\s+been)\s+(?:co-)?led\s+by\b"
    r"|\blead\s+investors?\s+(?:in|of|for)\s+(?:the|this)\s+(?:round|financing|funding|"
    r"investment)\s+(?:was|were|is|are|included?)\b", re.I)


def _later_lead_sentence(a: Analysis, anchor: SentenceInfo,
                         supports: list[SentenceInfo]) -> SentenceInfo | None:
    """"The round was led by Mundi Ventures", far below the anchor: about this round unless
    the sentence recalls a past one."""
    read = {info.sentence.index for info in supports}  # (a list's "in" compares every field)
    for info in a.sentences[anchor.sentence.index + 1 :]:
        if info.boilerplate:
            return None
        led = None if info.sentence.index in read else _ROUND_WAS_LED_RE.search(info.text)
        if led is None:
            continue
        # a past round named before "was led by" is the one it led; one recalled after it
        # ("..., and complements an earlier $5M grant") is not
        if any(lab.past and lab.start < led.end() for lab in info.labels) or any(
                m.role in ("past_round", "past_valuation", "total") and m.start < led.end()
                for m in info.money):
            continue
        return info
    return None


def _title_investors(drafts: list[_Draft], title: SentenceInfo | None, base: SentenceInfo,
                     title_leads: list[_Span], company: str | None) -> None:
    """Leads named only in the title ("Sequoia leads $20M round in Acme")."""
    if not drafts[0].leads:
        drafts[0].leads.extend(title_leads)
    if title is not None and base is not title and not any(d.leads for d in drafts):
        _assign_investors(drafts[:1], title, company)
        for d in drafts:
            d.participants = [p for p in d.participants if p.info is not title]


def _upgrade_label(drafts: list[_Draft], info: SentenceInfo) -> None:
    """Use a more specific label from a supporting sentence ("Series B" -> "... extension")."""
    for d in drafts:
        for lab in info.labels:
            if lab.past or lab.round_type == "ipo":
                continue  # an IPO said near a private round is a plan, not this round's type
            if d.label is None:
                better = True
            elif d.label.round_type in GENERIC_LABEL_TYPES:
                better = lab.round_type not in GENERIC_LABEL_TYPES
            else:  # same type, longer wording: "Series B" -> "Series B extension"
                better = (lab.round_type == d.label.round_type
                          and len(lab.text) > len(d.label.text)
                          and lab.text.lower().startswith(d.label.text.lower()))
            if better:
                d.label, d.label_info = lab, info


def _attach_valuation(a: Analysis, drafts: list[_Draft], base: SentenceInfo,
                      supports: list[SentenceInfo], title: SentenceInfo | None) -> None:
    """Valuation from the anchor, its supporting sentences or the title; failing that,
    from a later sentence that names this round ("The new round values Acme at $2B")."""
    d = drafts[0]
    later: Iterable[SentenceInfo] = ()
    if base.sentence.source == "text":  # read only when the others have no valuation
        later = (i for i in a.sentences[base.sentence.index + 1 :]
                 if not i.boilerplate and _THIS_ROUND_RE.search(i.text))
    for info in chain([base], supports, [title] if title is not None else [], later):
        v = _valuation(info)
        if v is not None:
            d.valuation, d.valuation_info = v, info
            return
