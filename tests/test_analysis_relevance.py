"""Relevance labels: new funding vs hard negatives, AI vs not, unconfirmed rounds."""

from datetime import date

import pytest

from analysis.relevance import classify
from analysis.rounds import extract_rounds

AI_BODY = ("The company builds large language models and AI agents for enterprises, "
           "trained on its own GPU cluster.")
FINTECH_BODY = "The company sells invoicing software to small businesses in Spain."

# (case id, title, text, is_funding)
FUNDING_CASES = [
    ("plain raise", "Acme raises $40M Series B", "Acme has raised $40 million in a Series B "
     "round led by Sequoia Capital.", True),
    ("raise only in body", "Acme wants to fix invoicing",
     "Acme said on Tuesday it had closed a €12 million Series A led by Point Nine. "
     + FINTECH_BODY, True),
    ("investor is the subject", "Sequoia leads $20M round in Acme",
     "Sequoia Capital has led a $20 million Series A investment in Acme.", True),
    ("grant", "Acme wins €2.5 million EIC grant",
     "Acme has been awarded a €2.5 million grant from the European Innovation Council.", True),
    ("debt", "Acme secures $150 million credit facility",
     "Acme has secured a $150 million credit facility from Hercules Capital.", True),
    ("priced IPO raises money", "Medco prices IPO at $18 a share, raising $420 million",
     "Medco priced its initial public offering at $18 a share, raising $420 million.", True),
    ("acquisition", "Northwind acquires vision startup Pixelgrove",
     "Northwind said it has acquired Pixelgrove for an undisclosed sum. Pixelgrove, which "
     "raised $12 million in a Series A round in 2022, will keep its brand.", False),
    ("acqui-hire", "Meridian hires Noodle founders in acqui-hire",
     "Meridian has hired the founders of Noodle in an acqui-hire. Noodle had raised $18 "
     "million from investors including Greylock.", False),
    ("merger", "Lattice and Prism agree to merge",
     "Lattice and Prism have agreed to merge in an all-stock deal. Together they have raised "
     "more than $90 million.", False),
    ("vc fund close", "Harborline Ventures closes $350 million third fund",
     "Harborline Ventures has closed its third fund at $350 million. Limited partners "
     "include endowments.", False),
    ("vc fund with roman numeral", "Wildflower Capital closes $95M Fund IV",
     "Wildflower Capital has closed Fund IV with $95 million in commitments.", False),
    ("ipo filing", "Cobalt files confidentially for U.S. IPO",
     "Cobalt has confidentially submitted a draft registration statement for a proposed "
     "initial public offering. Cobalt last raised $250 million in a Series D in 2024.", False),
    ("ipo rumour", "Tensile weighs Hong Kong IPO, sources say",
     "Tensile is considering an initial public offering that could raise at least $500 "
     "million, according to people familiar with the matter.", False),
    ("tender offer", "Stellaris staff can sell shares in $1.5 billion tender offer",
     "Stellaris is letting employees sell up to $1.5 billion of their shares in a tender "
     "offer. The tender does not raise new money.", False),
    ("employee share sale", "Brightline arranges $300 million employee share sale",
     "Brightline is arranging a secondary share sale that lets employees sell $300 million "
     "of stock.", False),
    ("pledge", "Founder pledges $100 million to AI safety research",
     "The founder has pledged $100 million to a new foundation. The donation will fund "
     "grants to universities.", False),
    ("donation", "Couple donates $50 million to university",
     "The couple donated $50 million to create an institute. The gift will endow ten "
     "positions.", False),
    ("investors buying in is no purchase", "Ravelin wants to end the spreadsheet, and "
     "investors are buying in", "Ravelin, a New York startup, said on Tuesday it had raised $30 "
     "million in a Series B round led by Index Ventures.", True),
    ("a listed company's share offering", "Corvane Semiconductor prices $900 million stock "
     "offering", "Corvane Semiconductor, the Nasdaq-listed chipmaker, said it had priced a "
     "public offering of 10 million shares at $90 each, raising about $900 million.", False),
    ("layoffs after a raise", "Months after a $40M Series B, Tallis lays off 25% of staff",
     "Tallis, the support software startup that raised a $40 million Series B led by Accel in "
     "March, has laid off about a quarter of its workforce.", False),
    ("market statistics", "Why seed valuations keep climbing",
     "Investors put $41 billion into robotics startups last year, a record. Series A rounds "
     "now often top $15 million, and seed rounds led by well-known firms can value "
     "companies at $40 million before launch.", False),
    ("weekly roundup", "The week's 10 biggest funding rounds",
     "Here is our weekly roundup.\n1. Kestrel, $120 million, Series C.\n2. Ondine, $85 "
     "million, Series B.\n3. Paxfield, $70 million, Series B.\n4. Sablewood, $55 million, "
     "Series A.\n5. Tidewater, $40 million.", False),
    ("newsletter bullets", "Funding Daily: who raised this week",
     "- Ravel raised $22 million in a Series A.\n- Lumen closed a $45 million Series B.\n"
     "- Kodama landed $8 million in seed funding.\n- Tapestry raised $31 million.", False),
    ("product launch with total funding", "Tessellate launches agent builder",
     "Tessellate, which has raised $50 million to date from Index Ventures, on Wednesday "
     "launched Studio. Its last funding was a $35 million Series B in 2024.", False),
    ("profile with past round", "Inside Corvid, the startup teaching robots to fold laundry",
     "Corvid trains robots with imitation learning. The company raised a $30 million Series "
     "A led by Lux Capital last year.", False),
    ("backed by total", "Ozone releases a reasoning model",
     "Ozone released a model on Tuesday. The company, which is backed by $200 million from "
     "Sequoia, plans to charge for a hosted version.", False),
    ("launch a month after raising", "Siftly adds shopping agent",
     "Siftly launched an agent on Thursday. The launch comes a month after Siftly raised "
     "€14 million in a Series A round.", False),
    ("future raise is not a raise", "Ferrovia pilots track inspection",
     "Ferrovia started a pilot on Monday. The startup plans to raise a Series B next year.",
     False),
    ("investor's strategic investment", "Northwind makes strategic investment into Pixelgrove",
     "Northwind has made an undisclosed equity investment in Pixelgrove, whose app it will "
     "sell to its customers.", True),
    ("one raise among recalled amounts", "Tessarine bags $300 million from Northwind",
     "Tessarine has secured a $300 million investment from Northwind. Its spin-off raised "
     "$56 million in a Series A last month. Lumen has invested $92 million in the Series J "
     "round. Kodama has invested $75 million in the Series J round. Rival Ferrovia raised "
     "$40 million in a Series B in May.", True),
    ("cohort of startups", "Harbor Lab's cohort: 20 AI startups, €34M raised",
     "Three quarters of the 20 startups selected have raised pre-seed rounds, totalling €34 "
     "million across the cohort.", False),
    ("market data", "Baltic startups raise $1.1B in 2025",
     "Startups in the Baltics raised $1.1 billion in 2025, led by a $200 million Series C.",
     False),
    ("investor programme for many startups", "Kodama Ventures to put in $20M to back Thai "
     "startups", "Kodama Ventures will invest $20 million in a programme that gives seed "
     "money to local startups.", False),
    ("question headline", "Could robotics be Europe's next big bet?",
     "Europe's robotics startups attracted $2 billion last year, and Corvid raised a $30 "
     "million Series A in March.", False),
    ("listed company with two tickers", "Orbital Secures $66 Million in Private Placement",
     "Orbital Networks (NASDAQ: ORBL, TASE: ORBL) announced today that it has received "
     "commitments of $66 million from institutional investors.", False),
    ("what it's like", "What it's like to raise money when the market is down",
     "Founders raised less money this year. One founder said she raised a $3 million seed "
     "round after 80 meetings.", False),
    ("a round of workshops", "Check out the latest workshop content!",
     "We have completed the last round of the Orbit API Workshops, and you can check out all "
     "the content online.", False),
    ("a footballer named Grant", "Transfer deadline day live",
     "Harbor United have signed Grant Gillespie from Hamilton, to add to their squad for an "
     "undisclosed fee.", False),
    ("opinion piece",
     "Opinion: Giant seed rounds are a warning sign", "When Halden Labs raised a $90 million "
     "seed round this spring, founders cheered. They should have worried.", False),
    ("shutdown after raising",
     "Ostrava Scooters shuts down after raising $60 million", "Ostrava Scooters, the "
     "scooter startup, is shutting down after failing to raise new funding. It had raised "
     "about $60 million from investors including Quay Partners.", False),
    ("raise after layoffs",
     "Ostrava Scooters raises $10M bridge after layoffs",
     "Ostrava Scooters has raised a $10 million bridge round led by Quay Partners, months "
     "after it laid off a third of its staff.", True),
    ("senior notes",
     "Halden Telecom raises $750 million through senior notes", "Halden Telecom Ltd., the "
     "mobile operator, said it had raised $750 million through an offering of senior "
     "unsecured notes due 2031.", False),
    ("denied talks",
     "Quick commerce startup Ostrava in talks to raise $200 Mn; company denies report",
     "Ostrava is in advanced talks to raise around $200 Mn, according to a report citing "
     "people familiar with the matter. However, Ostrava has denied the report.", False),
    ("call for startups",
     "EU opens €300 million call for AI and deep-tech startups", "The European Innovation "
     "Council has opened applications for its programme, with around €300 million "
     "available. Successful applicants can receive grants of up to €2.5 million, as well "
     "as equity investments of up to €15 million.", False),
    ("token sale",
     "Halden's public token sale raises $30 million in under an hour", "Halden, a "
     "blockchain network, said its public sale of HALD tokens raised $30 million.", False),
    ("debt restructuring",
     "Halden restructures $80 million in debt as lenders take control", "Halden, the "
     "scooter company, has reached an agreement with its lenders to restructure about $80 "
     "million in debt. Lenders led by Quay Credit will convert their loans into equity and "
     "provide $15 million in new financing.", False),
    ("spending on data centres",
     "Halden Telecom to invest S$1 billion in AI data centres", "Halden Telecom will invest "
     "S$1 billion over the next five years to build data centres for AI workloads.", False),
    ("spending on a campus",
     "Halden Partners invests $3.2 billion in Virginia data center campus", "Halden Partners "
     "said it will invest $3.2 billion to develop a 600-megawatt data center campus.", False),
    ("invested in a country",
     "We're not late: Halden's boss", "Halden has invested $40 billion in India in the 15 "
     "years to 2024, its boss said.", False),
    ("here's what investors want",
     "Raising a Series A in 2025? Here's what investors actually want to see", "Founders "
     "who raised a $10 million Series A last year say the bar has moved.", False),
    ("army contract",
     "Defense startup Halden wins $99 million Army contract", "Halden has won a $99 million "
     "contract from the U.S. Army, the company said. Founded in 2019, Halden has raised "
     "$310 million in venture funding, including a $200 million Series C led by Quay "
     "Partners last year.", False),
    ("partnership",
     "Halden Cloud and Orrin Bank Announce $200 Million Strategic Partnership", "Halden "
     "Cloud and Orrin Bank today announced a $200 million strategic partnership.", False),
    ("amended credit facility",
     "Halden Retail Enters Into $1.2 Billion Amended and Restated Revolving Credit Facility",
     "Halden Retail Group today announced that it has entered into a $1.2 billion amended "
     "and restated revolving credit facility.", False),
    ("why your seed round",
     "Why your seed round should be smaller than you think", "Halden has raised a $4 "
     "million seed round led by Quay Partners, and its founders already wish they had "
     "raised half of it.", False),
    ("share moves",
     "Halden shares jump after AI demand drives record quarter", "Halden said revenue rose "
     "40% to $2.1 billion in the quarter; it raised $500 million in a bond sale in May.",
     False),
    ("government spending",
     "Singapore to invest more than S$1 billion in AI over five years",
     "Singapore will invest more than S$1 billion over the next five years in artificial "
     "intelligence, to fund compute, talent and startups.", False),
    ("we're not raising",
     "'We're not raising right now': Halden's CEO on profitability", "Halden closed a $40 "
     "million Series B led by Quay Partners. \"We're not raising right now,\" its CEO "
     "said.", False),
    ("revolving credit line",
     "Telecom group Halden secures revolving credit line over 2 billion euros", "Halden has "
     "secured a revolving credit line of 2.1 billion euros from a group of banks.", False),
]


@pytest.mark.parametrize(("title", "text", "expected"),
                         [c[1:] for c in FUNDING_CASES], ids=[c[0] for c in FUNDING_CASES])
def test_is_funding(title, text, expected):
    rel = classify(title, text)
    assert rel.is_funding is expected, rel.reasons


@pytest.mark.parametrize(
    ("title", "text", "reason"),
    [
        ("Northwind acquires Pixelgrove", "Northwind has acquired Pixelgrove.",
         "negative: acquisition"),
        ("Harborline closes $350 million third fund", "", "negative: fund"),
        ("Cobalt files for IPO", "Cobalt filed for an initial public offering.",
         "negative: ipo"),
        ("Staff to sell $2 billion of stock in tender offer", "", "negative: tender"),
        ("Founder pledges $100 million to charity", "", "negative: donation"),
        ("The week's biggest funding rounds", "1. A, $10 million.\n2. B, $20 million.\n"
         "3. C, $30 million.\n4. D, $40 million.", "negative: roundup"),
        ("Acme raises $40 million", "", "funding: 'raises' in title"),
    ],
)
def test_reasons_name_the_deciding_signal(title, text, reason):
    assert any(r.startswith(reason) for r in classify(title, text).reasons)


# (case id, title, text, is_ai)
AI_CASES = [
    ("llm lab", "Vireo raises $600M", "Vireo develops open-weight large language models.",
     True),
    ("ai in title", "AI startup Acme raises $5M", FINTECH_BODY, True),
    ("ai application", "Quantapath raises $200M",
     "Quantapath, whose software uses AI to optimize supply chains, has raised $200 million.",
     True),
    ("ai chips", "Rebellion raises ₩150 billion",
     "Rebellion designs neural processing units and AI accelerators for data centers.", True),
    ("ai infrastructure", "Stratus raises $320M",
     "Stratus is a GPU cloud for training and inference of frontier models.", True),
    ("computer vision", "Pixelgrove raises $12M",
     "Pixelgrove uses computer vision and deep learning to track retail shelves.", True),
    ("fintech", "Zahlwerk raises €18M", FINTECH_BODY, False),
    ("site menu scraped with the story", "Zahlwerk raises €18M",
     "Skip to content * Latest * Startups * AI * Apps * Security\nLatest AI Amazon Apps "
     "Biotech & Health Climate Cloud Computing Robotics Security Startups Venture\n"
     + FINTECH_BODY + "\n3 hours ago * AI\n5 hours ago * AI", False),
    ("plans for the money are not what the company is", "Zahlwerk raises €18M",
     FINTECH_BODY + " Zahlwerk will use the funding to add generative AI and machine learning "
     "features, and plans to use the new capital to hire AI engineers.", False),
    ("ai boom is context, not subject", "Helixa raises $95M for gene therapy",
     "Even as investors pour money into the AI boom, biotech startups can still raise "
     "large rounds. Helixa raised $95 million for its gene therapy.", False),
    ("false friends: said, Thai, maintain, Dubai, Kaiser",
     "Thai food chain Baan Sabai raises $15M",
     "Baan Sabai, founded in Dubai, said it would maintain its focus. Kaizen Partners and "
     "Kaiser Permanente invested. Raisa Levin, its CEO, said sales rose.", False),
    ("the adoption of AI is the market, not the company", "Zahlwerk raises €18M",
     "Zahlwerk, whose customers face compliance risks accelerated by the adoption of "
     "generative AI, has raised €18 million for its audit software.", False),
    ("a tool named only below the lead", "Thai property portal Hearthly gets investment",
     "Hearthly, a Bangkok property portal, has secured an investment from Kodama Group. The "
     "portal lists more than 200,000 homes for sale and for rent in Thailand. Its agents pay "
     "a monthly fee to feature their listings on the site. Its engineers apply machine "
     "learning and NLP to mine listing data.", False),
    ("the same tool in the lead", "Thai property portal Hearthly gets investment",
     "Hearthly, a Bangkok property portal whose engineers apply machine learning and NLP to "
     "listing data, has secured an investment from Kodama Group. The portal lists more than "
     "200,000 homes for sale and for rent in Thailand.", True),
    ("one passing mention", "Lendstack raises $35M",
     "Lendstack sells loan software to credit unions. It has 140 customers. Later this year "
     "it may add some AI features.", False),
]


@pytest.mark.parametrize(("title", "text", "expected"),
                         [c[1:] for c in AI_CASES], ids=[c[0] for c in AI_CASES])
def test_is_ai(title, text, expected):
    rel = classify(title, text)
    assert rel.is_ai is expected, (rel.ai_score, rel.reasons)


def test_ai_reasons_count_the_evidence():
    rel = classify("Acme raises $5M", "Acme builds large language models. Its large language "
                   "model beats GPT-4. Large language models are its focus.")
    assert "ai: 'large language model' x3" in rel.reasons


@pytest.mark.parametrize(
    ("title", "text", "unconfirmed"),
    [
        ("Exclusive: Vireo in talks to raise $600 million",
         "Vireo is in talks to raise about $600 million, according to three people familiar "
         "with the matter.", True),
        ("Ledgerly is raising at a $2 billion valuation, per sources",
         "Ledgerly is raising roughly $150 million in a Series C, per sources.", True),
        ("Corvus nears $2 billion funding deal",
         "Corvus is nearing a deal to raise $2 billion in a round led by Thrive Capital, "
         "per sources familiar with the matter.", True),
        ("Acme raises $14 million",
         "Acme has raised $14 million, the company confirmed on Tuesday after reports that "
         "it was in talks with investors.", False),
        ("Acme raises $40M Series B", "Acme has raised $40 million in a Series B.", False),
    ],
)
def test_unconfirmed(title, text, unconfirmed):
    rel = classify(title, text)
    assert rel.is_funding
    assert rel.unconfirmed is unconfirmed


def test_non_funding_is_never_unconfirmed():
    rel = classify("Tensile weighs IPO", "Tensile is in talks with banks about an initial "
                   "public offering, according to people familiar with the matter.")
    assert (rel.is_funding, rel.unconfirmed) == (False, False)


@pytest.mark.parametrize("case", FUNDING_CASES[:6] + FUNDING_CASES[-6:], ids=lambda c: c[0])
def test_scores_are_probabilities_consistent_with_labels(case):
    _, title, text, _ = case
    rel = classify(title, text)
    assert 0.0 <= rel.funding_score <= 1.0 and 0.0 <= rel.ai_score <= 1.0
    assert rel.is_funding == (rel.funding_score >= 0.5)
    assert rel.is_ai == (rel.ai_score >= 0.5)


def test_empty_article():
    rel = classify("", "")
    assert (rel.is_ai, rel.is_funding, rel.unconfirmed) == (False, False, False)


def test_a_valuation_before_a_past_raise_stays_past_and_snapping_up_a_company_is_a_purchase():
    assert not classify("Quayside was valued at $1B after raising $100M in 2023",
                        "Quayside was valued at $1 billion after raising $100 million in 2023. It "
                        "now sells port software.", date(2026, 5, 1)).is_funding
    assert not classify("Harbour Group snaps up Quayside",
                        "Harbour Group has snapped up Quayside, a logistics startup, for $40 "
                        "million.").is_funding


def test_an_ai_descriptor_of_a_few_words_makes_an_ai_company():
    rel = classify("Fennick in talks to raise at $2 billion valuation",
                   "Fennick, the AI coding agent startup, is in talks to raise about $150 million "
                   "at a valuation of roughly $2 billion, according to people familiar with the "
                   "matter.")
    assert rel.is_ai and rel.is_funding
_FILLER = ("The founders grew up in families that ran shops. Their pitch is simple. Margins in "
           "the trade are thin, and most orders still come in by phone. The company now serves "
           "1,200 customers across two states. Revenue tripled last year, the founders said. ")


def test_a_feature_may_tell_its_raise_as_news_halfway_down():
    rel = classify("How Ostrava is rebuilding the spice trade", _FILLER + "Ostrava has raised a "
                   "$6 million bridge round led by Quay Partners, the company confirmed this "
                   "week. The bridge follows a $20 million Series A in 2022. " + _FILLER[:160])
    assert rel.is_funding, rel.reasons
    # a profile recalling a past round that far down is still not funding news
    rel = classify("How Ostrava is rebuilding the spice trade", _FILLER + "Ostrava raised a $20 "
                   "million Series A led by Quay Partners in 2022. " + _FILLER[:160])
    assert not rel.is_funding, rel.reasons


def test_a_company_out_of_stealth_may_state_its_raise_late():
    rel = classify("Halden Emerges from Stealth to Bring AI to Underwriting", "Halden, a company "
                   "building AI agents for insurers, today emerged from stealth. " + _FILLER +
                   "The company has raised a combined $22 million across its seed and Series A "
                   "rounds, with backing from Quay Partners.\nAbout Halden\nHalden builds AI "
                   "agents for insurers.")
    assert rel.is_funding, rel.reasons


def test_robots_alone_are_machinery_but_driving_itself_is_ai():
    rel = classify("Halden Robotics lands $7M for hull-cleaning robots", "Halden Robotics has "
                   "raised $7 million. Its robots are piloted by operators on the dock. Halden's "
                   "robots clean hulls while ships are moored.")
    assert rel.is_funding and not rel.is_ai, rel.reasons
    rel = classify("Halden raises $70M for self-driving trucks", "Halden, which builds "
                   "self-driving trucks, has raised $70 million. Its autonomous trucks run "
                   "between Dallas and Houston.")
    assert rel.is_ai, rel.reasons


def test_vision_guided_robots_are_ai():
    rel = classify("Halden Robotics raises $7.5M seed", "Halden Robotics, which builds "
                   "vision-guided robotic arms for sorting recycling, has raised $7.5 million.")
    assert rel.is_ai, rel.reasons
def test_computer_vision_hyphenated_is_ai_and_the_ai_boom_as_context_is_not():
    rel = classify("Halden Health raises £8m Series A for physiotherapy app", "Halden Health, "
                   "whose app uses a phone camera and computer-vision models to guide patients "
                   "through exercises, has raised £8m in a Series A round led by Quay Ventures.")
    assert rel.is_ai, rel.reasons
    rel = classify("Payroll startup Halden raises $28 million as some investors look beyond AI",
                   "With most venture dollars flowing to artificial intelligence, Halden is a "
                   "reminder that boring can still get funded. The company has raised $28 "
                   "million in a Series B. \"Everybody wants to talk about AI,\" its founder "
                   "said. AI accounted for roughly 46% of all venture funding last quarter.")
    assert rel.is_funding and not rel.is_ai, rel.reasons


def test_text_glued_by_a_scraper_still_tells_its_raise():
    title = "Halden's app wants to make storage as easy as booking a hotel"
    text = ("Comment\nMira Solberg 7:45 AM PST • November 14, 2023\nImage Credits: Halden\n"
            + _FILLER + "Halden said Tuesday it has raised $9 millionin a round led by Quay "
            "Partners.Also participating were Tamsin Fund and Orrin Capital. " + _FILLER[:160])
    rel = classify(title, text)
    assert rel.is_funding, rel.reasons
    r = extract_rounds(title, text, relevance=rel)[0]
    assert (r.company, r.amount) == ("Halden", 9e6)
    assert (r.lead_investors, r.investors) == (["Quay Partners"], ["Tamsin Fund", "Orrin Capital"])
def test_a_stake_taken_or_an_investment_received_from_a_corporate_is_a_round():
    title, text = ("Vollmer Industrie invests in maintenance startup Halden", "MUNICH - Vollmer "
                   "Industrie AG, the compressor maker, has taken a minority stake in Halden, a "
                   "Munich startup. Neither company disclosed the size of the investment.")
    rel = classify(title, text)
    assert rel.is_funding, rel.reasons
    r = extract_rounds(title, text, relevance=rel)[0]
    assert (r.company, r.round_type, r.lead_investors) == (
        "Halden", "corporate_round", ["Vollmer Industrie AG"])
    rel = classify("Orrin Next bets on Halden, which squeezes models onto phones", "Comment\n"
                   "Image Credits: Halden\nRunning models on a phone is still hard. Halden, a "
                   "two-year-old startup, makes tools that compress models. That pitch has "
                   "caught the eye of a phone maker. Halden has received a $10 million strategic "
                   "investment from Orrin Next, the startup said on Tuesday. As part of the "
                   "deal, Halden will work with Orrin on its phones. Halden previously raised a "
                   "$6 million seed round. Its chief executive said other phone makers are "
                   "interested too. \"This isn't an exclusive arrangement,\" she said.")
    assert rel.is_funding, rel.reasons

def test_a_fund_named_as_an_investor_is_no_fund_raise():
    rel = classify("Halden Grid Raises $120 Million Series D", "Halden Grid Raises $120 Million "
                   "Series D\nOrrin Vision Fund 2 leads round valuing company at $1.4 billion\n"
                   "DENVER--(BUSINESS WIRE)--Halden Grid, Inc. today announced that it has "
                   "closed a $120 million Series D financing round led by Orrin Vision Fund 2.")
    assert rel.is_funding, rel.reasons
    r = extract_rounds("Halden raises $3M on a convertible note", "Halden has raised $3 million "
                       "through a convertible note. Quay Fund led the note, and Tamsin Capital "
                       "and the hardware-focused fund Orrin Ventures participated.")[0]
    assert (r.lead_investors, r.investors) == (["Quay Fund"], ["Tamsin Capital", "Orrin Ventures"])

def test_one_of_a_cohort_is_its_own_raise_and_a_secondary_stake_sale_is_none():
    rel = classify("Finnish startup Halden awarded €2.5 million EIC Accelerator grant", "Helsinki-"
                   "based Halden has been awarded a €2.5 million grant from the European "
                   "Innovation Council. The company was one of 71 startups selected; most "
                   "selected companies receive a mix of grant and equity.")
    assert rel.is_funding, rel.reasons
    rel = classify("Early backer sells $200 million Halden stake to Quay in secondary deal",
                   "Halden has seen one of its earliest investors sell a $200 million stake to "
                   "Quay Global in a secondary transaction, according to people familiar.")
    assert not rel.is_funding, rel.reasons