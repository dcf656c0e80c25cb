"""Label an article: is it about AI, and does it report a new funding round?

``classify(title, text)`` never drops anything; it returns scores, booleans and the
human-readable ``reasons`` that decided them.

Funding
    Each sentence gets an *event* (see ``_signals``): a new raise, or a hard negative --
    an acquisition or acqui-hire, a VC closing its own fund, an IPO filing or rumour
    without terms, an employee tender offer / secondary sale, a philanthropic pledge.
    Amounts described as past or cumulative ("has raised $50M to date", "raised a seed
    round in 2023") do not count as a raise.  The title weighs most, then the lead
    (first three sentences), then the body; boilerplate after "About X" is ignored.
    Weekly round-ups and newsletters listing many deals are not funding news.
    ``unconfirmed`` is set when the raise is reported as talks or through sources
    ("in talks to raise", "according to people familiar") and not confirmed.

AI
    A weighted lexicon of AI evidence ("large language model", "AI-powered", "GPU",
    "computer vision", the token "AI" with word boundaries and in upper case) counted
    by region (title x3, lead x2, body x1) with diminishing returns per term.  Phrases
    that mention AI only as market context ("the AI boom", "amid AI hype", "non-AI")
    are masked first, so a biotech story that opens with the AI funding frenzy is not
    an AI story.  For round-ups, whose body lists unrelated companies, only the title
    and the intro count.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date

from ._signals import GENERIC_LABEL_TYPES, NEGATIVE_EVENTS, Analysis, SentenceInfo, analyse
from ._text import PLACES, Gated, GatedSet

__all__ = ["Relevance", "classify", "ai_evidence"]


@dataclass(slots=True)
class Relevance:
    """Relevance labels for one article."""

    is_ai: bool
    ai_score: float
    is_funding: bool
    funding_score: float
    unconfirmed: bool
    reasons: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- AI lexicon
# (label, pattern, weight, case_sensitive)
_AI_TERMS: list[tuple[str, str, float, bool, str]] = [
    ("artificial intelligence", r"artificial[- ]intelligence|intelig[êe]ncia artificial|"
                                r"inteligencia artificial|k[üu]nstliche[rn]? Intelligenz", 2.0,
     False, "intelligence intelligenz"),
    ("machine learning", r"machine[- ]learning", 2.0, False, "learning"),
    ("deep learning", r"deep[- ]learning", 2.0, False, "learning"),
    ("large language model", r"large[- ]language[- ]models?|LLMs?", 2.5, False,
     "llm llms language"),
    ("language model", r"(?:small |open(?:-weight)? )?language models?", 2.0, False, "language"),
    ("generative AI", r"generative AI|gen-?AI", 2.5, False, "generative genai gen"),
    ("foundation model", r"foundation(?:al)? models?|frontier models?", 2.5, False,
     "model models"),
    ("neural network", r"neural (?:networks?|nets?)", 2.0, False, "neural"),
    ("computer vision", r"computer[- ]vision|machine[- ]vision|vision-guided", 2.0, False, "vision"),
    ("NLP", r"natural[- ]language (?:processing|understanding)|NLP", 2.0, False, "nlp natural"),
    ("reinforcement learning", r"reinforcement learning|imitation learning", 2.0, False,
     "learning"),
    ("AI agents", r"AI agents?|agentic|autonomous agents?", 2.5, False, "agent agents agentic"),
    ("AI models", r"AI models?|(?:vision|speech|reasoning|diffusion|transformer|"
                  r"vision-language|multimodal) models?", 2.0, False, "model models"),
    ("AI-powered", r"AI-(?:powered|driven|native|first|based|enabled|generated)", 2.0, False,
     "ai"),
    ("AI company", r"AI (?:[\w-]+ ){0,2}(?:startup|start-up|company|lab|labs|firm|developer|"
                   r"unicorn|research|safety|chips?|chipmaker|accelerators?|infrastructure|"
                   r"data cent(?:er|re)s?|compute|cloud|platform|assistant|scribe|copilot|"
                   r"maker|tools?|software|system|systems|products?|search|agents?)",
     2.5, False, "ai"),
    ("uses AI", r"(?:uses?|using|applies|applying|leverag(?:es?|ing)|built on|powered by|"
                r"based on|with the help of)\s+(?:generative\s+)?(?:AI|artificial intelligence|"
                r"machine learning|large language models|computer vision|deep learning)",
     2.0, False, "uses use using applies applying leverage leverages leveraging built powered "
     "based help"),
    ("GPU", r"GPUs?|inference|model training|training runs?|AI workloads?", 1.5, False,
     "gpu gpus inference training workloads workload"),
    ("chatbot", r"chatbots?|copilots?|conversational AI|virtual assistants?", 1.5, False,
     "chatbot chatbots copilot copilots conversational virtual"),
    ("speech recognition", r"speech recognition|text-to-speech|voice AI|transcri(?:be|ption)",
     1.0, False, "speech voice transcribe transcription"),
    # a robot alone is often remotely operated or plain machinery; driving itself is AI
    ("robotics", r"robot(?:s|ics)?", 0.5, False, "robot robots robotics"),
    ("autonomous driving", r"humanoids?|autonomous (?:vehicles?|driving|trucks?|delivery)|"
                           r"self-driving", 1.0, False,
     "humanoid humanoids autonomous driving"),
    ("fine-tuning", r"fine-?tun(?:e|ed|ing)|embeddings|retrieval-augmented|open-weight", 1.5,
     False, "fine finetune finetuned finetuning embeddings retrieval weight"),
    ("AI", r"AI|A\.I\.|IA|KI", 1.5, True, "ai i ia ki"),
    ("ML", r"ML|MLOps", 1.0, True, "ml mlops"),
    ("algorithms", r"algorithms?|predictive analytics|data science", 0.5, False,
     "algorithm algorithms predictive science"),
]
# (label, gated regex, weight): each term only runs on sentences containing a hint word.
_AI_RES = GatedSet([
    ((label, w), Gated(rf"(?<![\w-])(?:{pat})(?![\w])", hints, 0 if cs else re.I))
    for label, pat, w, cs, hints in _AI_TERMS
])
# AI as market context rather than as the subject; masked before counting.
_USE_OF_FUNDS_RE = Gated(
    r"\b(?:will|would|plans?\s+to|intends?\s+to|aims?\s+to|expects?\s+to)\s+(?:\w+\s+)?"
    r"(?:use|deploy|put|spend|invest)\s+(?:the|its|this|their|these|our)\s+(?:new\s+|latest\s+|"
    r"fresh\s+)?(?:funding|funds|capital|money|investment|proceeds|financing|round)\b",
    "use deploy put spend invest", re.I)
_AI_CONTEXT_RE = Gated(
    r"\b(?:the\s+|an?\s+)?(?:AI|A\.I\.|artificial[- ]intelligence)[- ](?:boom|frenzy|hype|"
    r"craze|race|bubble|mania|gold\s+rush|arms\s+race|spending(?:\s+spree)?|wave|fever|"
    r"summer|winter|era|age|revolution|deals?|funding|investments?|investors?|darlings?|"
    r"trade|stocks?|rally|valuations?)\b"
    r"|\b(?:non|not\s+an?|beyond|outside(?:\s+of)?|rather\s+than|unlike)[- ](?:AI|"
    r"artificial intelligence)\b"
    r"|\b(?:amid|despite)\s+(?:the\s+)?(?:AI|artificial intelligence)\b"
    r"|\b(?:adoption|rise|spread)\s+of\s+(?:generative\s+)?(?:AI|artificial intelligence)\b"
    r"|\b(?:pour(?:s|ed|ing)?|flock(?:s|ed|ing)?|rush(?:es|ed|ing)?|flow(?:s|ed|ing)?|go(?:es|ing)?|"
    r"went)\s+(?:money\s+|capital\s+)?(?:in)?to\s+(?:AI|artificial intelligence)"
    r"(?:\s+(?:startups|companies))?"
    r"|\b(?:talk|talking|talks)\s+about\s+AI\b"
    r"|\b(?:AI|artificial intelligence)\s+(?:accounted|made\s+up)\s+for\b",
    # the word that is not AI's, one for each branch: most sentences naming AI have none
    "boom frenzy hype craze race bubble mania gold arms spending wave fever summer winter era "
    "age revolution deal deals funding investment investments investor investors darling "
    "darlings trade stock stocks rally valuation valuations "
    "non not beyond outside rather unlike amid despite adoption rise spread "
    "pour pours poured pouring flock flocks flocked flocking rush rushes rushed rushing "
    "flow flows flowed flowing go goes going went talk talking talks accounted made",
    re.I,
)
_AI_HINT_WORDS = frozenset({"ai", "i", "artificial"})
_AI_THRESHOLD = 4.0
_BODY_ONLY_WEIGHT = 2 / 3  # AI terms only in the body need 1.5x the evidence
_REGION_WEIGHT = {"title": 3.0, "lead": 2.0, "body": 1.0}
_LEAD_SENTENCES = 3
_LEAD_MIN_WORDS = 8
_STATED_SHARE = 0.4  # a raise stated in the body counts when in the first 40% of the story
_ROUNDUP_INTRO = 2

# --------------------------------------------------------------------------- funding score
_W_TITLE_RAISE, _W_TITLE_NEG = 0.6, -0.8
_W_LEAD_RAISE, _W_LEAD_RAISE_MORE, _W_LEAD_NEG = 0.4, 0.1, -0.3
_W_BODY_RAISE, _W_BODY_CAP = 0.05, 0.15
_W_ROUNDUP = -1.0
_W_NOT_STARTUP = -1.0
_FUNDING_THRESHOLD = 0.35


def _logistic(x: float, centre: float, k: float = 6.0) -> float:
    return 1.0 / (1.0 + math.exp(-k * (x - centre)))


def _region(info: SentenceInfo, lead_ids: set[int]) -> str | None:
    if info.sentence.source == "title":
        return "title"
    if info.sentence.index in lead_ids:
        return "lead"
    return "body"


def _lead_ids(a: Analysis) -> set[int]:
    """The first sentences of the story: bylines, datelines and timestamps scraped before
    it ("Marina Temkin 1:12 PM PDT") are too short to be one."""
    ids = [i.sentence.index for i in a.sentences
           if not i.boilerplate and len(i.words) >= _LEAD_MIN_WORDS]
    return set(ids[:_LEAD_SENTENCES])


def ai_evidence(a: Analysis) -> tuple[float, list[str]]:
    """AI score (unbounded) and the reasons that contributed most."""
    lead = _lead_ids(a)
    per_term: dict[str, list[float]] = {}
    counts: dict[str, int] = {}
    where: dict[str, str] = {}
    context_seen = False
    infos = a.all()
    if a.roundup:  # a list of many companies: the theme is in the title and the intro
        infos = infos[: 1 + _ROUNDUP_INTRO] if a.title else infos[:_ROUNDUP_INTRO]
    for info in infos:
        terms = _AI_RES.active(info.words)
        context = not a.roundup and not _AI_HINT_WORDS.isdisjoint(info.words)
        if not terms and not context:
            continue  # no AI word: nothing to count (most sentences)
        if info.navigation or _USE_OF_FUNDS_RE.search(info.text, info.words):
            # "* Latest * Startups * AI * Apps" says nothing about this company, nor does a
            # plan: "will use the funding to ... incorporate generative AI"
            continue
        region = _region(info, lead)
        text = info.text
        if context and _AI_CONTEXT_RE.search(text, info.words):
            context_seen = True
            text = _AI_CONTEXT_RE.regex.sub(" ", text)
        for (label, weight), rx in terms:
            n = len(rx.regex.findall(text))
            if n:
                counts[label] = counts.get(label, 0) + n
                where.setdefault(label, region)
                per_term.setdefault(label, []).extend([weight * _REGION_WEIGHT[region]] * n)
    score = 0.0
    contrib: list[tuple[float, str]] = []
    for label, values in per_term.items():
        values.sort(reverse=True)
        # diminishing returns: 1, 1/2, 1/3 ... of the strongest occurrences
        s = sum(v / (i + 1) for i, v in enumerate(values[:6]))
        score += s
        contrib.append((s, label))
    if score and set(where.values()) == {"body"}:
        # AI named only below the lead is most often a tool the company uses ("uses
        # generative AI to dub its shows"), not what it is: it counts for less
        score *= _BODY_ONLY_WEIGHT
    contrib.sort(reverse=True)
    reasons = []
    for _, label in contrib[:3]:
        n = counts[label]
        suffix = " in title" if where[label] == "title" else ""
        reasons.append(f"ai: '{label}'" + (f" x{n}" if n > 1 else "") + suffix)
    if context_seen:
        reasons.append("ai: market-context mentions ('AI boom', ...) ignored")
    if score and set(where.values()) == {"body"}:
        reasons.append("ai: only named below the lead")
    return score, reasons


def funding_evidence(a: Analysis) -> tuple[float, list[str]]:
    """Funding score (unbounded, threshold 0.35) and its reasons."""
    lead = _lead_ids(a)
    score = 0.0
    reasons: list[str] = []
    lead_raises = body = 0.0
    negatives_seen: set[str] = set()
    title_raise = False
    stated_in_body = None  # the first body sentence stating a new priced raise
    stealth = a.title is not None and bool(_STEALTH_TITLE_RE.search(a.title.text))
    for info in a.all():
        if info.boilerplate or not info.event:
            continue
        region = _region(info, lead)
        title_raise = title_raise or (region == "title" and info.event == "raise")
        if (region == "body" and info.event == "raise" and stated_in_body is None
                and _states_new_round(info, len(a.sentences), stealth)):
            stated_in_body = info
        where = {"title": "in title", "lead": "in lead", "body": "in body"}[region]
        if info.event == "raise":
            if region == "title":
                score += _W_TITLE_RAISE
            elif region == "lead":
                score += _W_LEAD_RAISE if not lead_raises else _W_LEAD_RAISE_MORE
                lead_raises += 1
            else:
                body += _W_BODY_RAISE
            if region != "body" or len(reasons) < 3:
                reasons.append(f"funding: '{_short(info.trigger)}' {where}")
        elif info.event in NEGATIVE_EVENTS:
            if region == "title":
                score += _W_TITLE_NEG
            elif region == "lead":
                score += _W_LEAD_NEG
            else:
                continue
            if info.event not in negatives_seen:
                negatives_seen.add(info.event)
                reasons.append(f"negative: {info.event} ('{_short(info.trigger)}' {where})")
    score += min(body, _W_BODY_CAP)
    for why in _not_a_startup_raise(a, lead, negatives_seen):
        score += _W_NOT_STARTUP
        reasons.append(f"negative: {why}")
    if stated_in_body is not None and not title_raise and not lead_raises and not negatives_seen:
        # A feature headline ("MediShout wants to bring ...") over a raise the body states
        # plainly ("... has raised £4.3M in a seed round led by ..."): that is the news.
        score += _W_LEAD_RAISE
        reasons.append(f"funding: '{_short(stated_in_body.trigger)}' stated in body")
    if a.roundup:
        score += _W_ROUNDUP
        reasons.append("negative: roundup/newsletter listing several deals")
    if not any(i.event == "raise" for i in a.all()):
        past = [m for i in a.all() for m in i.money if m.role in ("total", "past_round")]
        if past:
            reasons.append(f"negative: only past/total funding mentioned ('{past[0].money.raw}')")
    return score, reasons


# An investment firm raising its own fund: "Zeal Capital Partners closes $82M fund II".
_FIRM_SUBJECT_RE = re.compile(
    r"\b(?:Capital|Ventures|Partners|Fund|VC|Investments|Management|Equity|Advisors|"
    r"venture\s+(?:capital\s+)?firm|VC\s+firm|investment\s+firm|(?:private\s+equity|PE)\s+"
    r"firm)\b")
# A listed company's own financing (at-the-market sales, credit lines): "(Nasdaq: INTS)".
_TICKER_RE = re.compile(r"\((?:NASDAQ|Nasdaq|NYSE(?:\s+American)?|OTC\w*|TSXV?|TSX-V|ASX|LSE|"
                        r"AIM|CSE|Cboe|NSE|BSE|HKEX|SGX)\s*:\s*[A-Za-z.]+\s*[),;]")
# ... or said in words: "the NYSE-listed maker of chips ... priced a public offering of
# 14 million shares" (an IPO is not this: "initial public offering")
_LISTED_RE = re.compile(
    r"\b(?:NYSE|Nasdaq|NASDAQ|LSE|TSX|ASX|AIM)-listed\b|\bpublicly[- ]traded\b|"
    r"\bshares\s+(?:jump|jumped|rise|rose|surge|surged|fall|fell|soar|soared|slump|slumped|"
    r"climb|climbed|tumble|tumbled)\b|\brecord\s+quarter\b|\bquarterly\s+(?:results|earnings)\b|"
    r"\bamended\s+and\s+restated\b|\brevolving\s+credit\s+(?:facility|line)\b|"
    r"\b(?<!initial\s)(?:public|secondary|follow-on|registered\s+direct|at-the-market|stock|"
    r"share)\s+offering\b|\boffering\s+of\s+[\d.,]+\s+(?:million\s+)?(?:shares|ordinary\s+shares|"
    r"ADSs)\b", re.I)
# Advice and how-to pieces about fundraising: "4 lessons we learnt raising money".
_ADVICE_TITLE_RE = re.compile(r"\b(?:lessons?|tips|how\s+to|guide|advice|mistakes|playbook|"
                              r"here['’]s\s+(?:what|how|why)|what\s+investors\s+(?:\w+\s+)?"
                              r"(?:want|look\s+for|expect)|^why\s+(?:your|you|founders|startups)\b|"
                              r"\bshould\s+(?:you|founders|startups)\b|"
                              r"\byour\s+(?:seed|series|next|first)\s+(?:round|raise)\b|"
                              r"what\s+(?:I|we)\s+learn\w*|what\s+it['’]s\s+like)\b", re.I)
# A company's bonds: "raises $750 million through senior notes", "notes due 2031"
_BONDS_RE = re.compile(r"\b(?:senior|unsecured|secured|subordinated|guaranteed)\s+(?:unsecured\s+)?"
                       r"(?:notes|bonds|debentures)\b|\b(?:notes|bonds)\s+due\s+(?:in\s+)?20\d\d\b|"
                       r"\bbond\s+(?:offering|issue|sale)\b|\bdebentures\b", re.I)
# "Zeptara has denied the report": talks the company says are not happening
_DENIED_RE = Gated(r"\b(?:we['’]re|we\s+are)\s+not\s+raising\b|"
                   r"\b(?:has\s+|have\s+)?denied\s+(?:the|a|these|those|such)\s+"
                   r"(?:media\s+)?(?:reports?|claims?)\b|\bcompany\s+denies\b|\bis\s+not\s+"
                   r"(?:currently\s+)?raising\s+(?:any\s+)?(?:funds|money|capital)\b",
                   "raising denied denies", re.I)
# "Early backer sells $200 million Zenvo stake to Tiger Global in secondary deal"
_SECONDARY_RE = re.compile(r"\bsecondary\s+(?:deal|transaction|sale|share\s+sale)\b|\bsells?\s+"
                           r"(?:a\s+|its\s+|part\s+of\s+its\s+)?(?:[$€£][\d.,]+\s*\w*\s+)?"
                           r"(?:[\w-]+\s+)?stake\b", re.I)
_OPINION_TITLE_RE = re.compile(r"^\s*(?:opinion|op-ed|commentary|column|editorial|perspective|"
                               r"viewpoint)\s*[:|—–]", re.I)
# "Plume shuts down after raising $80 million": the news is the end, the money is the past
_SHUTDOWN_RE = re.compile(
    r"\b(?:shut(?:s|ting)?\s+down|wind(?:s|ing)?\s+down|clos(?:es|ing)\s+(?:its|their)\s+doors|"
    r"collaps(?:es|ed|ing)|goes\s+bust|went\s+bust|fil(?:es|ed|ing)\s+for\s+(?:bankruptcy|"
    r"insolvency)|enter(?:s|ed|ing)\s+administration|ceas(?:es|ed|ing)\s+operations|"
    r"lay(?:s|ing)?\s+off|laid\s+off|cuts?\s+(?:\d+|hundreds\s+of)\s+jobs)\b", re.I)
# Many companies' money, not one round: "20 AI Startups, €34M Raised", "41 startups raised".
_MANY_COMPANIES_RE = re.compile(
    r"(?<!\bone\sof\s)"  # "Glacio was one of 71 startups selected": a cohort's member
    r"\b(?:\d+|dozens\s+of|hundreds\s+of|several)\s+(?:[\w/-]+\s+){0,2}?"
    r"(?:startups|start-ups|companies|firms)\b"
    r"|\b(?:startups|start-ups|companies)\s+(?:have\s+|had\s+)?$"
    r"|\b(?:startup|venture|VC|tech)\s+funding\s+(?:in\s+)?(?:19|20)\d\d\b", re.I)
# An investor's programme for many startups: "Line Ventures to put in $20M to back Thai startups".
_FOR_MANY_STARTUPS_RE = re.compile(
    r"\bto\s+(?:back|fund|support|invest\s+in)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:startups|start-ups|founders|entrepreneurs)\b"
    # "EU opens €300 million call for AI and deep-tech startups"
    r"|\b(?:call|programme|program|scheme|competition)\s+for\s+(?:[\w-]+\s+){0,4}?"
    r"(?:startups|start-ups|founders|entrepreneurs|SMEs|companies)\b", re.I)
# "Zipwheel restructures $80 million in debt as lenders take control": no new round
_RESTRUCTURING_RE = re.compile(r"\brestructur(?:es|ed|ing|e)\s+(?:(?:about|some|its|nearly|"
                               r"around)\s+)?(?:[$€£][\d.,]+\s*\w*\s+)?(?:in\s+|of\s+)?"
                               r"(?:its\s+)?(?:debt|loans|liabilities)\b|\bdebt\s+restructuring\b",
                               re.I)
_PLACE_SUBJECT_RE = re.compile(r"\s*((?:the\s+)?[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)(?:['’]s\s+"
                               r"government)?\s+(?:to\s+invest|invests|will\s+invest|commits|"
                               r"pledges|to\s+spend|earmarks)\b")
# A crypto project's token sale: "Solvane's public token sale raises $30 million"
_TOKEN_SALE_RE = re.compile(r"\btoken\s+(?:sale|offering|generation\s+event)\b|\b(?:ICO|IDO|IEO)\b|"
                            r"\bsale\s+of\s+(?:its\s+)?[\w$]+\s+tokens\b", re.I)


def _not_a_startup_raise(a: Analysis, lead: set[int], negatives: set[str]) -> list[str]:
    """Raises that are real money but not a startup's round (see the labels' README)."""
    out = []
    t = a.title
    opening = [t.text[: max(t.raise_at, 0)] if t is not None and t.event == "raise" else ""]
    first = next((i for i in a.sentences if i.sentence.index in lead), None)
    if first is not None:
        opening.append(first.text[: first.raise_at if first.event == "raise" else 200])
    if "fund" in negatives and any(_FIRM_SUBJECT_RE.search(x) for x in opening):
        out.append("an investment firm raising its own fund")
    if (any(_TICKER_RE.search(x) or _LISTED_RE.search(x) for x in opening)
            or (t is not None and (_TICKER_RE.search(t.text) or _LISTED_RE.search(t.text)))):
        out.append("a listed company's own financing")
    if t is not None and _ADVICE_TITLE_RE.search(t.text):
        out.append("advice about fundraising")
    if t is not None and _SECONDARY_RE.search(t.text):
        out.append("a secondary sale of shares, not a round")
    if t is not None and _OPINION_TITLE_RE.search(t.text):
        out.append("an opinion piece")
    if any(_SHUTDOWN_RE.search(x) for x in opening):
        out.append("a shutdown or layoffs, not a raise")
    if (t is not None and _BONDS_RE.search(t.text)) or any(_BONDS_RE.search(x) for x in opening):
        out.append("a company's bonds, not a round")
    head = [t] if t is not None else []
    if any(_DENIED_RE.search(i.text, i.words) for i in head + a.sentences[:_DENIAL_SENTENCES]):
        out.append("talks the company denies")
    raising = [i for i in a.sentences if i.sentence.index in lead and i.event == "raise"]
    if any(_MANY_COMPANIES_RE.search(x) for x in opening  # the first raise tells whose it is
           + [i.text[: i.raise_at] for i in raising[:1]]):
        out.append("money raised by many companies (a report or a cohort)")
    if any(_RESTRUCTURING_RE.search(x) for x in opening) or (
            t is not None and _RESTRUCTURING_RE.search(t.text)):
        out.append("a debt restructuring, not a round")
    if t is not None and (m := _PLACE_SUBJECT_RE.match(t.text)) and m.group(1).lower() in PLACES:
        out.append("a government's spending, not a round")  # "Singapore to invest S$1B in AI"
    if any(_TOKEN_SALE_RE.search(x) for x in opening):
        out.append("a token sale, not an equity round")
    if t is not None and _FOR_MANY_STARTUPS_RE.search(t.text):
        out.append("an investor's money for many startups (a fund or programme)")
    if t is not None and t.text.rstrip().endswith("?") and t.event != "raise":
        out.append("a question headline (analysis, not a raise)")
    return out


_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_TODAY_RE = re.compile(rf"\b(?:today|this\s+week|(?:said|announced|on)\s+{_WEEKDAY})\b", re.I)


# "Cardamom has raised a $6 million bridge round led by Base10": told as this week's news
_HAS_RAISED_RE = re.compile(r"\b(?:has|have)\s+(?:just\s+|now\s+)?(?:raised|closed|secured|landed|"
                            r"completed|received|banked)\b[^.;]*?\b(?:(?:co-)?led\s+by|today|"
                            rf"this\s+week|said\s+(?:on\s+)?{_WEEKDAY})\b", re.I)
_STEALTH_TITLE_RE = re.compile(r"\b(?:emerg\w*|comes?|coming|came)\s+(?:out\s+)?(?:of|from)\s+"
                               r"stealth\b", re.I)
_LATE_SHARE = 0.6  # how far down a feature may tell its raise as news
_DENIAL_SENTENCES = 6  # a denial is told near the report it denies


def _states_new_round(info: SentenceInfo, n_sentences: int, stealth: bool = False) -> bool:
    """A body sentence in the story's first part that states a priced, labelled (or
    today's) raise: "Gogoro announced today it's raised US$300 million for its series C".

    A feature may tell it further down as news ("Cardamom has raised a $6 million bridge
    round led by Base10"), and a story about a company coming out of ``stealth`` anywhere
    (but the boilerplate, which the caller skips)."""
    late = stealth or (info.sentence.index <= _LATE_SHARE * n_sentences
                       and _HAS_RAISED_RE.search(info.text))
    if info.sentence.index > max(_STATED_SHARE * n_sentences, _LEAD_SENTENCES + 1) and not late:
        return False  # a short story's first two body sentences count too
    if not any(m.money.amount for m in info.round_money):
        return False
    return (any(not lab.past and lab.round_type not in GENERIC_LABEL_TYPES
                for lab in info.labels) or bool(_TODAY_RE.search(info.text))
            or bool(_HAS_RAISED_RE.search(info.text)))


def _short(s: str, n: int = 40) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _unconfirmed(a: Analysis) -> tuple[bool, str | None]:
    """A raise reported as talks/sources, looked for in the title and lead raise sentences."""
    lead = _lead_ids(a)
    raises = [i for i in a.all() if i.event == "raise" and not i.boilerplate
              and (i.sentence.source == "title" or i.sentence.index in lead)]
    if not raises:
        raises = [i for i in a.sentences if i.event == "raise" and not i.boilerplate][:1]
    if any(i.confirmed for i in raises):
        return False, None
    for info in raises:
        if info.rumour:
            return True, "unconfirmed: reported as talks / via sources"
    # "..., according to people familiar with the matter." often sits in the next sentence.
    if raises and raises[0].sentence.source == "text":
        nxt = raises[0].sentence.index + 1
        if nxt < len(a.sentences) and a.sentences[nxt].rumour and not a.sentences[nxt].confirmed:
            return True, "unconfirmed: reported as talks / via sources"
    return False, None


def classify(title: str, text: str, published: date | None = None) -> Relevance:
    """Classify one article by its title and clean text.

    ``published`` is optional; it only helps to tell past rounds ("raised $10M in 2023")
    from new ones.
    """
    a = analyse(title or "", text or "", published)
    return classify_analysis(a)


def classify_analysis(a: Analysis) -> Relevance:
    """``classify`` on an already computed analysis (used by ``extract_rounds``)."""
    ai_raw, ai_reasons = ai_evidence(a)
    f_raw, f_reasons = funding_evidence(a)
    is_funding = f_raw >= _FUNDING_THRESHOLD
    unconfirmed, why = _unconfirmed(a) if is_funding else (False, None)
    reasons = f_reasons + ai_reasons + ([why] if why else [])
    return Relevance(
        is_ai=ai_raw >= _AI_THRESHOLD,
        ai_score=round(ai_raw / (ai_raw + _AI_THRESHOLD), 4),
        is_funding=is_funding,
        funding_score=round(_logistic(f_raw, _FUNDING_THRESHOLD), 4),
        unconfirmed=unconfirmed,
        reasons=reasons,
    )
