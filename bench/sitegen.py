"""A synthetic news site: N article pages with real-world boilerplate, and their sitemaps.

Every page is a funding-news style article of 400-900 words built from a
vocabulary and sentence templates with a fixed seed, so the text differs from
page to page (trafilatura and the language detector have real work, and the
content hashes differ) while the site is the same on every run. Around the
article sits what real news pages carry: head metadata, JSON-LD, inline CSS and
scripts, a mega-menu, a trending bar, share buttons, a sidebar of most-read
links and ads, related-article teasers, a comment thread, a newsletter form and
a big footer. A page weighs 60-110 KB, like the median real news page.

The site is listed by a sitemap index whose child sitemaps hold up to 5,000
URLs each, with ``lastmod``; ``robots.txt`` points at the index.
"""

from __future__ import annotations

import html
import json
import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

SEED = 20260401
SITE_NAME = "The Compute Ledger"
SECTION = "news"
URLS_PER_SITEMAP = 5000
_SLUG_RE = re.compile(r"[^a-z0-9]+")

# -- vocabulary ---------------------------------------------------------------------------

SYLLABLES = ["ar", "bel", "cor", "dra", "el", "fen", "gal", "hel", "ix", "jun", "kor", "lum",
             "mer", "nov", "or", "pax", "quin", "ral", "syn", "tor", "ul", "vex", "wyn", "zel",
             "an", "bri", "cy", "dex", "ev", "fla", "gri", "ha", "io", "ka", "lo", "mi", "ny"]
COMPANY_SUFFIXES = ["AI", "Labs", "Robotics", "Systems", "Health", "Bio", "Analytics", "Compute",
                    "Dynamics", "Security", "Data", "Networks", "Vision", "Works", "Intelligence"]
FIRST_NAMES = ["Maya", "Daniel", "Priya", "Jonas", "Amara", "Luca", "Sofia", "Kenji", "Elena",
               "Omar", "Hannah", "Mateo", "Aisha", "Felix", "Ingrid", "Rahul", "Chloe", "Tomas",
               "Yara", "Samuel", "Leah", "Arjun", "Nadia", "Victor", "Grace", "Emeka", "Lena"]
LAST_NAMES = ["Okafor", "Lindqvist", "Chen", "Moreau", "Patel", "Haddad", "Novak", "Tanaka",
              "Brennan", "Alvarez", "Schmidt", "Kowalski", "Nakamura", "Adeyemi", "Rossi",
              "Fischer", "Silva", "Ibrahim", "Kim", "Johansson", "Mensah", "Duarte", "Weber"]
INVESTORS = ["Northgate Capital", "Lighthouse Ventures", "Granite Peak Partners", "Redwood Arc",
             "Helix Growth", "Sequoia Row", "Blue Meridian Fund", "Atlas Seed", "Kestrel Partners",
             "Obsidian Ventures", "Tidewater Capital", "Summit Grove", "Copperline VC",
             "Foundry Nine", "Polaris Street", "Harbor Light Capital", "Ironwood Ventures",
             "Silverpine Partners", "Cascade Point", "Evergreen Square"]
CITIES = ["San Francisco", "London", "Berlin", "Paris", "Toronto", "Tel Aviv", "Singapore",
          "Bangalore", "Stockholm", "New York", "Austin", "Amsterdam", "Zurich", "Seoul", "Lagos",
          "Boston", "Munich", "Sydney", "Tokyo", "Lisbon", "Dublin", "Montreal", "Warsaw"]
ROUNDS = ["pre-seed", "seed", "Series A", "Series B", "Series C", "Series D", "growth"]
SECTORS = ["drug discovery", "industrial robotics", "code generation", "fraud detection",
           "supply-chain planning", "medical imaging", "legal research", "chip design",
           "customer support", "climate modelling", "autonomous trucking", "cybersecurity",
           "insurance underwriting", "speech recognition", "warehouse automation",
           "protein engineering", "financial compliance", "retail forecasting", "agritech",
           "energy trading", "video understanding", "clinical documentation", "edge inference"]
PRODUCTS = ["agent platform", "inference engine", "foundation model", "data pipeline",
            "copilot", "vector database", "evaluation suite", "training cluster",
            "orchestration layer", "annotation tool", "simulation environment", "reasoning API"]
ADJECTIVES = ["ambitious", "crowded", "fast-growing", "capital-intensive", "fragmented",
              "regulated", "nascent", "competitive", "lucrative", "underserved", "volatile",
              "mature", "specialised", "data-hungry", "enterprise-focused", "open-source"]
NOUNS = ["customers", "margins", "benchmarks", "contracts", "engineers", "pilots", "partners",
         "regulators", "datasets", "GPUs", "workloads", "revenues", "deployments", "hospitals",
         "factories", "banks", "developers", "researchers", "retailers", "governments"]
VERBS = ["expand", "hire", "scale", "build", "train", "deploy", "license", "test", "certify",
         "acquire", "automate", "accelerate", "localise", "integrate", "commercialise"]
USES = ["hire engineers", "expand into Europe", "build out its sales team", "train larger models",
        "open an office in Asia", "grow its research team", "secure more compute",
        "launch new products", "pursue acquisitions", "scale manufacturing"]
TOPICS = ["AI", "Startups", "Venture", "Enterprise", "Robotics", "Health", "Climate", "Security",
          "Fintech", "Policy", "Hardware", "Developers", "Europe", "Asia", "Deals", "Podcasts"]

SENTENCES = [
    "{company} said the {round} round was led by {investor}, with participation from {investor2}.",
    "The {city}-based company builds {product}s for {sector}, a {adj} market that has drawn "
    "fresh attention from investors this year.",
    "Founded in {year} by {person} and {person2}, {company} now employs about {staff} people.",
    "{person}, the chief executive, told {site} that demand from {noun} had outpaced the "
    "company's ability to {verb} its {product}.",
    "\u201cWe are seeing {noun} move from pilots to production much faster than we expected,\u201d "
    "{person} said.",
    "The new funding brings the total raised by {company} to ${total} million.",
    "The company plans to use the money to {use} and to {use2}.",
    "Analysts say the {sector} market is {adj}, and that the winners will be the companies "
    "that {verb} quickly.",
    "{company} declined to disclose its valuation, but people familiar with the matter put it "
    "at around ${valuation} million.",
    "Rivals include {company2} and {company3}, both of which have raised large rounds in the "
    "past {months} months.",
    "{investor} partner {person2} will join the board as part of the deal.",
    "Revenue grew roughly {growth} percent last year, according to the company, though it "
    "remains unprofitable.",
    "The startup says its {product} cuts the cost of {sector} work by as much as {growth} "
    "percent for {noun}.",
    "Some {noun} remain cautious, pointing to unresolved questions about data quality and "
    "liability.",
    "{company} is one of several {sector} startups in {city} to raise money since January.",
    "Investors poured about ${billions} billion into {sector} startups in the last quarter, "
    "according to data from {investor}.",
    "The deal comes as {adj} competition pushes startups to {verb} before larger rivals move in.",
    "{person} previously led the {sector} group at {company2}, where the team shipped a "
    "{product} used by {staff} {noun}.",
    "The company counts {count} {noun} among its customers, including several large {noun2}.",
    "Its {product} runs on {noun2}' own hardware, which the founders say eases concerns about "
    "sending sensitive data to the cloud.",
    "A spokesperson for {investor} said the firm had tracked the company for {months} months "
    "before leading the round.",
    "Regulators in {city} have begun asking how {sector} systems reach their decisions, a "
    "question {company} says its {product} was designed to answer.",
    "The round is {company}'s first since it moved its headquarters to {city} in {year}.",
    "{company} will also use part of the proceeds to {use}, {person} said in an interview.",
    "Shares of publicly traded competitors moved little on the news.",
    "The funding environment for {adj} startups has tightened, making rounds of this size "
    "less common than two years ago.",
    "Early users report that the {product} needs careful tuning before it can {verb} reliably "
    "in {sector} settings.",
    "Existing backers {investor2} and {investor3} also took part.",
]
SUBHEADINGS = ["Why investors are betting on {sector}", "What the money is for",
               "A crowded field", "How the {product} works", "The road ahead",
               "Customers and competition", "From {city} to the world", "The bigger picture"]
HEADLINES = [
    "{company} raises ${amount} million {round} to bring its {product} to {sector}",
    "{company} lands ${amount}M {round} led by {investor}",
    "{sector} startup {company} secures ${amount} million from {investor}",
    "{company} closes ${amount} million {round} as {sector} demand grows",
    "{company} launches {product} for {sector} after ${amount}M raise",
    "{investor} leads ${amount} million bet on {city}'s {company}",
    "{company} acquires {company2} to expand its {product}",
    "{company} opens {city} office as {sector} push accelerates",
]
COMMENTS = [
    "Interesting, but I would like to see the unit economics before getting excited.",
    "Another round for another {product}. The market cannot absorb all of them.",
    "We piloted this at my company last year; the onboarding was rough but it works.",
    "Congrats to the team in {city}!", "How is this different from what {company2} sells?",
    "The valuation seems steep for a company at this stage.",
    "Good to see {sector} getting attention beyond the usual suspects.",
]


def company_name(rng: random.Random) -> str:
    stem = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
    return f"{stem} {rng.choice(COMPANY_SUFFIXES)}"


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


SLOT_MAKERS = {
    "company2": company_name, "company3": company_name,
    "investor": lambda rng: rng.choice(INVESTORS), "investor2": lambda rng: rng.choice(INVESTORS),
    "investor3": lambda rng: rng.choice(INVESTORS), "person": person_name,
    "person2": person_name, "city": lambda rng: rng.choice(CITIES),
    "round": lambda rng: rng.choice(ROUNDS), "sector": lambda rng: rng.choice(SECTORS),
    "product": lambda rng: rng.choice(PRODUCTS), "adj": lambda rng: rng.choice(ADJECTIVES),
    "noun": lambda rng: rng.choice(NOUNS), "noun2": lambda rng: rng.choice(NOUNS),
    "verb": lambda rng: rng.choice(VERBS), "use": lambda rng: rng.choice(USES),
    "use2": lambda rng: rng.choice(USES), "year": lambda rng: rng.randint(2015, 2024),
    "staff": lambda rng: rng.randint(12, 900), "total": lambda rng: rng.randint(5, 900),
    "valuation": lambda rng: rng.randint(40, 4000), "months": lambda rng: rng.randint(3, 30),
    "growth": lambda rng: rng.randint(15, 400),
    "billions": lambda rng: round(rng.uniform(0.5, 30), 1),
    "count": lambda rng: rng.randint(3, 400),
    "amount": lambda rng: rng.choice([2, 4, 6, 8, 12, 15, 20, 25, 30, 40, 55, 75, 100, 150, 250]),
}


class Slots(dict):
    """Template slot values, drawn when a template first asks for them (``str.format_map``);
    the article's own company stays the same."""

    def __init__(self, rng: random.Random, company: str):
        super().__init__(company=company, site=SITE_NAME)
        self.rng = rng

    def __missing__(self, key: str) -> object:
        value = self[key] = SLOT_MAKERS[key](self.rng)
        return value


def fill(template: str, rng: random.Random, company: str) -> str:
    return template.format_map(Slots(rng, company))


def paragraph(rng: random.Random, company: str) -> str:
    """3-6 sentences, each with freshly drawn slot values."""
    return " ".join(fill(rng.choice(SENTENCES), rng, company) for _ in range(rng.randint(3, 6)))


def article_body(rng: random.Random, company: str, words: int) -> list[tuple[str, str]]:
    """[(kind, text)] blocks: paragraphs, with a subheading every few of them."""
    blocks: list[tuple[str, str]] = []
    count = 0
    while count < words:
        if blocks and len(blocks) % 4 == 3:
            blocks.append(("h2", fill(rng.choice(SUBHEADINGS), rng, company)))
        text = paragraph(rng, company)
        blocks.append(("p", text))
        count += len(text.split())
    return blocks


def body_text(rng: random.Random, words: int) -> str:
    """Plain article text of about this many words (for synthetic corpus rows)."""
    company = company_name(rng)
    return "\n".join(text for _kind, text in article_body(rng, company, words))


# -- the pages ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PageMeta:
    index: int
    title: str
    slug: str
    path: str  # site path, from the root, no leading slash
    published: datetime
    author: str
    company: str
    topic: str


def page_metas(pages: int, seed: int = SEED) -> list[PageMeta]:
    rng = random.Random(seed)
    start = datetime(2024, 1, 1, 6, 0)
    metas = []
    for i in range(pages):
        company = company_name(rng)
        title = fill(rng.choice(HEADLINES), rng, company)
        slug = _SLUG_RE.sub("-", title.lower()).strip("-")[:80]
        published = start + timedelta(minutes=i * 47 + rng.randint(0, 40))
        path = f"{SECTION}/{published:%Y/%m}/{slug}-{i}.html"
        metas.append(PageMeta(i, title, slug, path, published, person_name(rng), company,
                              rng.choice(TOPICS)))
    return metas


def _fake_script(rng: random.Random, kilobytes: int) -> str:
    """Minified-looking analytics/ads JavaScript: real pages carry tens of KB of it."""
    parts, size = [], 0
    while size < kilobytes * 1024:
        name = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(6))
        chunk = (f"function {name}(e,t){{var n=e.{rng.choice(['cfg', 'ctx', 'q'])}||[];"
                 f"for(var r=0;r<n.length;r++)"
                 f"{{t.push({{k:'{name}'+r,v:n[r]*{rng.randint(2, 99)}}})}}"
                 f"return t.length>{rng.randint(1, 50)}?t.slice(0,{rng.randint(1, 9)}):t}}")
        parts.append(chunk)
        size += len(chunk)
    return ";".join(parts)


def _fake_css(rng: random.Random, rules: int) -> str:
    out = []
    for i in range(rules):
        out.append(f".c-{i}-{rng.choice(['hd', 'nav', 'card', 'btn', 'grid', 'ad'])}"
                   f"{{margin:{rng.randint(0, 24)}px;padding:{rng.randint(0, 16)}px;"
                   f"color:#{rng.randint(0, 0xFFFFFF):06x};font-size:{rng.randint(11, 22)}px}}")
    return "".join(out)


@dataclass(frozen=True)
class Chrome:
    """The parts of every page that do not change: built once per site."""

    style: str
    analytics: str
    ads: str
    nav: str
    footer: str


def site_chrome(rng: random.Random) -> Chrome:
    menu = []
    for topic in TOPICS[:9]:
        links = "".join(f'<li><a href="/{SECTION}/topic/{topic.lower()}/{s}/">{s.title()}</a></li>'
                        for s in rng.sample(SECTORS, 12))
        menu.append(f'<li class="menu-item"><a href="/{SECTION}/topic/{topic.lower()}/">{topic}</a>'
                    f'<ul class="sub-menu">{links}</ul></li>')
    nav = ('<nav class="site-nav" aria-label="Main"><ul class="menu">' + "".join(menu)
           + '</ul><form class="search" action="/search"><input name="q" placeholder="Search">'
           '<button>Go</button></form></nav>')
    columns = []
    for heading in ["Sections", "Company", "Events", "Newsletters", "Legal"]:
        links = "".join(f'<li><a href="/{heading.lower()}/{i}/"><span>{heading} link {i}</span>'
                        f"</a></li>" for i in range(14))
        columns.append(f'<div class="footer-col"><h4>{heading}</h4><ul>{links}</ul></div>')
    footer = (
        '<footer class="site-footer"><div class="footer-cols">' + "".join(columns) + "</div>"
        '<div class="social"><a href="https://x.example/ledger">X</a> '
        '<a href="https://linkedin.example/ledger">LinkedIn</a> '
        '<a href="https://youtube.example/ledger">YouTube</a></div>'
        f"<p class=\"legal\">&copy; 2026 {SITE_NAME} Media Inc. All rights reserved. Use of this "
        "site constitutes acceptance of our Terms of Service and Privacy Policy. We may earn a "
        "commission when you buy through links on our site. Market data provided by third "
        "parties and delayed by at least 15 minutes.</p></footer>"
    )
    return Chrome(style=_fake_css(rng, 220), analytics=_fake_script(rng, 18),
                  ads=_fake_script(rng, 9), nav=nav, footer=footer)


def _teaser(meta: PageMeta, base_url: str, rng: random.Random) -> str:
    excerpt = fill(rng.choice(SENTENCES), rng, meta.company)
    return (f'<div class="card"><div class="card-media"><a href="{base_url}{meta.path}">'
            f'<picture><source srcset="/img/{meta.index}.webp"><img src="/img/{meta.index}.jpg" '
            f'alt=""></picture></a></div><div class="card-body"><span class="kicker">{meta.topic}'
            f'</span><h3><a href="{base_url}{meta.path}">{html.escape(meta.title)}</a></h3>'
            f'<p>{html.escape(excerpt)}</p><div class="card-meta"><span>{meta.author}</span> '
            f'<span>{meta.published:%b %d}</span>{ICON}</div></div></div>')


ICON = ('<svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M4 4h16v16H4z"/>'
        '<path d="M8 8h8v8H8z"/></svg>')


def _links(metas: list[PageMeta], base_url: str) -> str:
    return "".join(f'<li><div class="item"><a href="{base_url}{m.path}"><span class="headline">'
                   f'{html.escape(m.title)}</span></a><span class="when">{m.published:%H:%M}'
                   f"</span></div></li>" for m in metas)


def render_page(meta: PageMeta, all_metas: list[PageMeta], chrome: Chrome, base_url: str,
                seed: int = SEED, words: tuple[int, int] = (400, 900)) -> str:
    rng = random.Random(seed * 1_000_003 + meta.index)
    words = rng.randint(*words)
    blocks = article_body(rng, meta.company, words)
    others = rng.sample(all_metas, min(len(all_metas), 24))
    url = f"{base_url}{meta.path}"
    title = html.escape(meta.title)
    first = blocks[0][1]
    description = html.escape(first[:180])
    when = meta.published.strftime("%Y-%m-%dT%H:%M:%S+00:00")

    company_link = (f'<a href="/company/{meta.company.lower().replace(" ", "-")}/">'
                    f"{html.escape(meta.company)}</a>")
    body = []
    for n, (kind, text) in enumerate(blocks):
        # inline markup, as editors add it: the company linked once a paragraph
        text = html.escape(text).replace(html.escape(meta.company), company_link, 1)
        body.append(f"<{kind}>{text}</{kind}>")
        if n == 2:
            body.append(f'<p class="read-more"><strong>Read more:</strong> <a href="{base_url}'
                        f'{others[0].path}">{html.escape(others[0].title)}</a></p>')
        if n == 4:
            body.append('<div class="ad-slot ad-inline" data-slot="mid-article"><span>'
                        "Advertisement</span></div>")
    comments = "".join(
        f'<li class="comment"><div class="comment-author">{person_name(rng)}</div>'
        f'<time>{rng.randint(1, 23)} hours ago</time><p>'
        f"{html.escape(fill(rng.choice(COMMENTS), rng, meta.company))}</p>"
        f'<a class="reply" href="#reply">Reply</a></li>'
        for _ in range(rng.randint(3, 8))
    )
    json_ld = json.dumps({
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": meta.title,
        "datePublished": when, "dateModified": when, "mainEntityOfPage": url,
        "author": {"@type": "Person", "name": meta.author},
        "publisher": {"@type": "Organization", "name": SITE_NAME},
        "articleSection": meta.topic, "wordCount": words,
    })
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{title} | {SITE_NAME}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="{description}">
<meta name="keywords" content="{meta.topic}, funding, {html.escape(meta.company)}, startups">
<meta name="author" content="{meta.author}">
<meta property="og:type" content="article"><meta property="og:site_name" content="{SITE_NAME}">
<meta property="og:title" content="{title}"><meta property="og:url" content="{url}">
<meta property="og:description" content="{description}">
<meta property="og:image" content="{base_url}img/{meta.index}-social.jpg">
<meta property="article:published_time" content="{when}">
<meta property="article:section" content="{meta.topic}">
<meta name="twitter:card" content="summary_large_image"><meta name="twitter:site" content="@ledger">
<link rel="canonical" href="{url}">
<link rel="alternate" type="application/rss+xml" href="{base_url}feed.xml">
<link rel="stylesheet" href="/assets/main.css">
<link rel="preload" href="/assets/font.woff2" as="font">
<style>{chrome.style}</style>
<script type="application/ld+json">{json_ld}</script>
<script>window.dataLayer=window.dataLayer||[];{chrome.analytics}</script>
</head>
<body class="single single-post postid-{meta.index}">
<div id="cookie-banner" class="consent"><p>We use cookies to personalise content and ads, to
provide social media features and to analyse our traffic.</p><button>Accept all</button>
<button>Manage preferences</button></div>
<div class="top-bar"><a href="/subscribe">Subscribe</a> <a href="/login">Sign in</a>
<a href="/events">Events</a> <a href="/newsletters">Newsletters</a></div>
<header class="site-header"><a class="logo" href="/">{SITE_NAME}</a>{chrome.nav}</header>
<div class="trending"><span>Trending:</span><ul>{_links(others[1:6], base_url)}</ul></div>
<div class="page-wrap"><main id="content">
<nav class="breadcrumb"><a href="/">Home</a> &rsaquo; <a href="/{SECTION}/">News</a> &rsaquo;
<a href="/{SECTION}/topic/{meta.topic.lower()}/">{meta.topic}</a></nav>
<article class="post">
<header class="entry-header"><h1 class="entry-title">{title}</h1>
<div class="byline">By <a rel="author" href="/author/{meta.author.lower().replace(' ', '-')}/">
{meta.author}</a> <time class="published" datetime="{when}">
{meta.published:%B %d, %Y at %H:%M} UTC</time></div>
<div class="share"><a href="https://x.example/share?u={url}">{ICON}<span>Share on X</span></a>
<a href="https://linkedin.example/share?u={url}">{ICON}<span>Share on LinkedIn</span></a>
<a href="https://facebook.example/share?u={url}">{ICON}<span>Share on Facebook</span></a>
<a href="mailto:?subject={title}">{ICON}<span>Email</span></a> <button>{ICON}Copy link</button>
</div></header>
<figure class="lead-image"><img src="{base_url}img/{meta.index}.jpg" alt="{title}">
<figcaption>Image credit: {html.escape(meta.company)}</figcaption></figure>
<div class="entry-content">
{"".join(body)}
</div>
<footer class="entry-footer"><ul class="tags"><li><a href="/tag/funding/">Funding</a></li>
<li><a href="/tag/{meta.topic.lower()}/">{meta.topic}</a></li>
<li><a href="/tag/startups/">Startups</a></li></ul>
<div class="author-box"><strong>{meta.author}</strong> covers venture capital and
{meta.topic.lower()} for {SITE_NAME}. Send tips to tips@ledger.example.</div></footer>
</article>
<section class="newsletter"><h3>Get the Daily Ledger</h3><p>The day's funding news, every
weekday morning.</p><form action="/subscribe"><input type="email" name="email">
<button>Sign up</button></form></section>
<section class="related"><h2>Related articles</h2>
{"".join(_teaser(m, base_url, rng) for m in others[6:12])}</section>
<section id="comments" class="comments"><h2>Comments</h2><ol>{comments}</ol></section>
</main>
<aside class="sidebar"><div class="widget most-read"><h3>Most read</h3>
<ol>{_links(others[12:22], base_url)}</ol></div>
<div class="ad-slot ad-sidebar"><span>Advertisement</span></div>
<div class="widget sponsored"><h3>Sponsored</h3>
{"".join(_teaser(m, base_url, rng) for m in others[22:24])}</div></aside></div>
{chrome.footer}
<script>{chrome.ads}</script>
</body></html>
"""


# -- the site -----------------------------------------------------------------------------


def _sitemap(metas: list[PageMeta], base_url: str) -> str:
    urls = "".join(f"<url><loc>{base_url}{m.path}</loc><lastmod>{m.published:%Y-%m-%dT%H:%M:%SZ}"
                   f"</lastmod></url>\n" for m in metas)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}</urlset>\n')


def _sitemap_index(children: list[str], base_url: str) -> str:
    items = "".join(f"<sitemap><loc>{base_url}{c}</loc></sitemap>\n" for c in children)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{items}'
            "</sitemapindex>\n")


@dataclass(frozen=True)
class Site:
    root: Path
    paths: tuple[str, ...]  # the article pages, from the root
    bytes: int  # total size of the article pages
    sitemap_path: str  # the sitemap index, from the root

    @property
    def pages(self) -> int:
        return len(self.paths)

    def urls(self, base_url: str) -> list[str]:
        return [f"{base_url}{path}" for path in self.paths]


def build_site(root: Path, pages: int, base_url: str, seed: int = SEED,
               words: tuple[int, int] = (400, 900)) -> Site:
    """Write `pages` article pages and their sitemaps under root, for a site at base_url.

    base_url is the address the site will be served at (``http://127.0.0.1:PORT/``);
    each article has between `words` words (about 6.5 characters of text a word).
    """
    root.mkdir(parents=True, exist_ok=True)
    metas = page_metas(pages, seed)
    chrome = site_chrome(random.Random(seed))
    return _write_site(root, metas, base_url,
                       lambda meta: render_page(meta, metas, chrome, base_url, seed, words).encode("utf-8"))


def _write_site(root: Path, metas: list[PageMeta], base_url: str, body_of) -> Site:
    """Each page's body (``body_of(meta)``, bytes) at its path, then the sitemaps."""
    total = 0
    for meta in metas:
        body = body_of(meta)
        target = root / meta.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
        total += len(body)
    _write_sitemaps(root, metas, base_url)
    return Site(root, tuple(m.path for m in metas), total, "sitemap-index.xml")


def _write_sitemaps(root: Path, metas: list[PageMeta], base_url: str) -> None:
    children = []
    for start in range(0, len(metas), URLS_PER_SITEMAP):
        name = f"sitemap-{start // URLS_PER_SITEMAP + 1}.xml"
        (root / name).write_text(_sitemap(metas[start:start + URLS_PER_SITEMAP], base_url))
        children.append(name)
    (root / "sitemap-index.xml").write_text(_sitemap_index(children, base_url))
    (root / "robots.txt").write_text(f"User-agent: *\nDisallow: /search\n"
                                     f"Sitemap: {base_url}sitemap-index.xml\n")


def build_realworld_site(root: Path, pages: int, base_url: str, originals: list[Path]) -> Site:
    """`pages` article pages that are real third-party pages (gzip files), cycled: page i is
    original i mod len(originals), at a URL of its own. For measuring on real markup, whose
    extraction costs about twice the synthetic pages'; repeated pages are stored as copies."""
    import gzip

    root.mkdir(parents=True, exist_ok=True)
    metas = page_metas(pages)
    bodies = [gzip.decompress(path.read_bytes()) for path in originals]
    return _write_site(root, metas, base_url, lambda meta: bodies[meta.index % len(bodies)])


def write_source(directory: Path, site: Site, base_url: str, source_id: str = "bench_site") -> Path:
    """A source file for crawling the site at full speed."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{source_id}.toml"
    path.write_text(f'''name = "Benchmark site ({site.pages} pages)"
homepage = "{base_url}"
kind = "newsroom"

[[entries]]
type = "sitemap"
url = "{base_url}{site.sitemap_path}"

[crawl]
allow_private_addresses = true
download_delay = 0
concurrency = 16
max_articles = {max(site.pages, 1)}
''')
    return path
