"""Round extraction: company, amount, type, investors, valuation, evidence."""

from datetime import date

import pytest

from analysis.relevance import classify
from analysis.rounds import ROUND_TYPES, extract_rounds

PUB = date(2025, 6, 1)


def one(title: str, text: str, published: date | None = PUB):
    rounds = extract_rounds(title, text, published)
    assert len(rounds) == 1, rounds
    return rounds[0]


# --------------------------------------------------------------------------- company
@pytest.mark.parametrize(
    ("title", "text", "company"),
    [
        ("Acme raises $20M", "Acme, backed by Sequoia, raised $20 million in a Series A led by "
         "Index Ventures.", "Acme"),
        ("Sequoia leads $20M round in Acme", "Sequoia Capital led a $20 million round in Acme, "
         "a startup that automates payroll.", "Acme"),
        ("Freshlane raises $35M", "Freshlane has raised $35 million. Freshlane's customer "
         "Walmart uses its forecasts.", "Freshlane"),
        ("Helio raises $18M", "Helio, whose customers include Siemens and BMW, has raised $18 "
         "million in a Series A round.", "Helio"),
        ("Paris-based AI startup Mistral AI raises €600M", "", "Mistral AI"),
        ("Varo Bank secures $63M", "Varo Bank, a US neobank, has raised $63 million in a "
         "Series E led by Warburg Pincus.", "Varo Bank"),
        ("Open Bank raises €20M", "Madrid-based Open Bank has raised €20 million.", "Open Bank"),
        ("Bengaluru's Kritika AI raises Rs 100 crore", "", "Kritika AI"),
        ("Fintech Ledgerly raises $150M", "", "Ledgerly"),
        ("Lumora Labs Raises $42 Million Series B",
         "SAN FRANCISCO, March 4, 2025 /PRNewswire/ -- Lumora Labs, Inc., the enterprise "
         "platform for AI agents, today announced it has raised $42 million in Series B "
         "funding.", "Lumora Labs"),
        ("Khetify raises ₹45 crore", "NEW DELHI: Khetify, an agritech startup, said on "
         "Wednesday it had raised ₹45 crore in a Series A round.", "Khetify"),
        ("Two former DeepMind researchers raise $4.5M pre-seed for Kiln",
         "Kiln, a startup founded by two former DeepMind researchers, has raised $4.5 million "
         "in pre-seed funding.", "Kiln"),
        ("Berlin's lovelace raises €30 million", "lovelace, a Berlin-based edtech startup, has "
         "raised €30 million in a Series B round.", "lovelace"),
        ("Nvidia to invest up to $50 million in robotics startup Gaitwise",
         "Gaitwise said Nvidia has agreed to make a strategic investment of up to $50 million "
         "in the company.", "Gaitwise"),
        ("Salesforce Ventures backs Qwilt AI in $25 million round", "", "Qwilt AI"),
        ("Mistral AI lève 600 millions d'euros", "La start-up française Mistral AI a levé "
         "600 millions d'euros lors d'un tour de table mené par General Catalyst.",
         "Mistral AI"),
        ('Arbor Intelligence raises $150M', 'BOSTON -- Arbor Intelligence ("Arbor"), the agentic '
         'AI platform for banks, today announced that it has raised $150 million.',
         "Arbor Intelligence"),
        ("Harbor of Light's answer to Stripe just got $30m funding",
         "Payvine, the region's biggest Stripe-like processor, has pocketed $30 million, it "
         "said today. Payvine was founded in 2019. Payvine serves 4,000 shops. Its founder "
         "sold Payvine's first version to banks.", "Payvine"),
        ("Remember the shop that sells used TVs? It just got $9m",
         "Zefora resells used TVs. To do that, it has closed a Series B round of $9 million. "
         "Zefora buys televisions from sellers, and Zefora repairs them. Kaur says demand is up. "
         "Kaur says Kaur wants more. Kaur said so.", "Zefora"),
        ("Microsoft makes strategic investment into Pixelgrove, adds it to Teams",
         "Pixelgrove makes apps for small firms.", "Pixelgrove"),
        ("Video platform 90 Frames nabs $20 million Series B",
         "90 Frames, a platform that connects brands with videographers, announced today that "
         "it has raised a $20 million Series B.", "90 Frames"),
        ("Builder Nova Secures Series B Funding",
         "Contractor Software Leader Builder Nova Closes Series B Round. Builder Nova makes "
         "software for contractors.", "Builder Nova"),
        ("Lumen Systems raises $10 million",
         "Boston-based Lumen Systems — not to be confused with Lumen, the telecoms group — "
         "this week said it has raised $10 million in a Series A led by Index Ventures.",
         "Lumen Systems"),
    ],
)
def test_company_is_the_one_that_raised(title, text, company):
    assert one(title, text).company == company


# --------------------------------------------------------------------------- amount & type
@pytest.mark.parametrize(
    ("text", "amount", "currency", "status", "round_type", "label"),
    [
        ("Acme has raised $42 million in Series B funding.", 42e6, "USD", "exact", "series_b",
         "Series B funding"),
        ("Acme has added $30 million to its Series B. The Series B extension was led by "
         "Samsung Next.", 30e6, "USD", "exact", "series_b", "Series B extension"),
        ("Acme has raised $20 million in a Series A-2 round.", 20e6, "USD", "exact",
         "series_a", "Series A-2 round"),
        ("Acme raised $4.5 million in pre-seed funding.", 4.5e6, "USD", "exact", "pre_seed",
         "pre-seed funding"),
        ("Acme raised nearly $10 million in a seed round.", 10e6, "USD", "approximate", "seed",
         "seed round"),
        ("Acme has raised an $8 million bridge round.", 8e6, "USD", "exact", "bridge",
         "bridge round"),
        ("Acme said it had raised $12 million in convertible notes.", 12e6, "USD", "exact",
         "convertible_note", "convertible notes"),
        ("Acme received a $30 million strategic investment from Samsung.", 30e6, "USD",
         "exact", "corporate_round", "strategic investment"),
        ("Acme secured a $1 billion private equity investment from KKR.", 1e9, "USD", "exact",
         "private_equity", "private equity investment"),
        ("Acme has secured a $150 million credit facility from SVB.", 150e6, "USD", "exact",
         "debt", "credit facility"),
        ("Acme has been awarded a €2.5 million grant from the EIC.", 2.5e6, "EUR", "exact",
         "grant", "grant"),
        ("Acme has raised a total of S$1 million (US$739,165) seed funding from Kodama.", 1e6,
         "SGD", "exact", "seed", "seed funding"),
        ("Acme has raised more than $100 million in a Series C financing.", 100e6, "USD",
         "more_than", "series_c", "Series C financing"),
        ("Acme secured 40 million dollars in a round led by Partech.", 40e6, "USD", "exact",
         "series_unknown", None),
        ("Acme has raised Rs 100 crore (about $12 million) in a Series A round.", 1e9, "INR",
         "exact", "series_a", "Series A round"),
        ("Acme raised an undisclosed amount in a seed round led by Y Combinator.", None, None,
         "undisclosed", "seed", "seed round"),
    ],
)
def test_amount_and_round_type(text, amount, currency, status, round_type, label):
    r = one("", text)
    assert (r.amount, r.currency, r.amount_status) == (amount, currency, status)
    assert r.round_type == round_type
    assert r.round_label == label
    assert r.round_type in ROUND_TYPES


def test_a_later_sentence_with_the_same_amount_gives_the_round_type():
    r = one("Isoflow raises $1.9m",
            "Isoflow has raised $1.9 million to map molecules. Isoflow's $1.9M pre-seed round "
            "is led by Founderful, with participation from Tiny.vc.")
    assert (r.round_type, r.lead_investors, r.investors) == ("pre_seed", ["Founderful"],
                                                             ["Tiny.vc"])


def test_a_sentence_far_below_with_the_same_amount_gives_the_round_type():
    story = " ".join(f"Acme's product number {n} helps retailers plan their shelves." for n in range(10))
    r = one("Acme raises $2.6m", "Acme has raised $2.6m from Elevation Capital. " + story
            + " Deploying its $2.6m seed round in R&D, Acme looks to expand in the US.")
    assert r.round_type == "seed"


def test_the_title_types_a_round_the_body_calls_a_funding_round():
    r = one("Lalamove raises US$300M in Series D funding round",
            "Lalamove announced that it has raised US$300 million in a funding round led by "
            "Hillhouse Capital.")
    assert r.round_type == "series_d"


def test_participants_named_right_after_a_far_lead_sentence_are_read():
    filler = " ".join(f"Acme's platform serves {n} clinics in Asia." for n in range(10, 20))
    r = one("Acme raises $5.2 million series A",
            "Acme has raised $5.2 million in a series A. " + filler + " The round, which was "
            "led by UST, is one of the largest in the region. Venture firm Wavemaker Partners "
            "also participated in Acme's series A investment.")
    assert (r.lead_investors, r.investors) == (["UST"], ["Wavemaker Partners"])


def test_investors_named_far_below_with_the_rounds_own_type_are_read():
    filler = " ".join(f"Acme's voice model answers {n} languages." for n in range(10, 20))
    r = one("Acme raises $250M", "Acme has raised $250 million in a Series B. " + filler +
            " Investors in the Acme Series B include Ridge Partners, Spark Hill and others. "
            "Earlier investors in its seed round include Old Oak Ventures.")
    assert (r.lead_investors, r.investors) == ([], ["Ridge Partners", "Spark Hill"])


def test_a_far_sentence_naming_the_lead_investors_of_this_round_is_read():
    filler = " ".join(f"Acme lists {n} thousand homes in Asia." for n in range(10, 20))
    r = one("Acme just got $300m", "Acme has raised US$300 million in funding. " + filler +
            " The lead investors in this round were Kestrel and Plover Capital, with Wren "
            "Fund also participating.")
    assert (r.lead_investors, r.investors) == (["Kestrel", "Plover Capital"], ["Wren Fund"])


def test_a_company_the_raiser_is_compared_to_is_not_the_raiser():
    r = one("The Asian answer to Zillow just got $30m",
            "Tallo, Asia's biggest Zillow-like portal, has raised US$30 million in funding.")
    assert r.company == "Tallo"


def test_a_private_round_ahead_of_an_ipo_is_not_an_ipo():
    r = one("A new $100 million investment values Acme at $2 billion ahead of its IPO",
            "Acme has raised $100 million just before it plans to go public. Raising money "
            "privately before an IPO makes sense for some companies.")
    assert (r.amount, r.round_type) == (100e6, "series_unknown")


def test_a_backer_in_the_appositive_is_not_this_rounds_lead():
    r = one("Kuku snags $85M",
            "Kuku, an Indian storytelling platform backed by Google, has raised $85 million in "
            "fresh funding. The Series C round, led by Granite Asia, values Kuku at more than "
            "double its previous valuation to around $500 million.")
    assert (r.amount, r.round_type, r.lead_investors, r.valuation) == (
        85e6, "series_c", ["Granite Asia"], 500e6)


def test_a_related_story_link_is_not_the_round():
    r = one("Acme secures seed funding from Kodama",
            "Acme, a hostel startup, said today it has raised a total of S$1 million to date "
            "from Kodama. Also Read: This Singapore startup just raised US$25 million in a "
            "Series B The company will use the money to open hostels.")
    assert (r.amount, r.round_type) == (None, "seed")


def test_the_anchor_is_the_sentence_with_the_new_round():
    r = one("It just got $9m",
            "Zefora resells used TVs. Last year, when it raised its first funding round, it "
            "had 3,000 buyers. Now it has closed a Series B funding round of US$9.2 million "
            "from its earlier investors.")
    assert (r.company, r.amount, r.round_type) == ("Zefora", 9.2e6, "series_b")


def test_which_has_raised_a_new_round_is_this_round():
    r = one("Acme's new $7 billion valuation is a bet on grocery delivery",
            "Some investors bet there is room for one more: Acme, which has raised a new $600 "
            "million round of funding that values the startup at $7.6 billion. The new "
            "financing, led by the hedge fund Kodama Partners, comes six months after Acme "
            "closed a $350 million investment.")
    assert (r.company, r.amount, r.valuation) == ("Acme", 600e6, 7.6e9)
    assert r.lead_investors == ["Kodama Partners"]


def test_the_exact_figure_the_title_repeats_is_the_amount():
    r = one("Acme raises $940 million for robot deliveries",
            "Acme, a robotics startup, has attracted venture capital. Kodama Group today "
            "announced that it has invested almost $1 billion — $940 million — in Acme.")
    assert r.amount == 940e6


def test_a_new_investment_from_a_named_backer_is_the_round_and_the_title_name_is_completed():
    r = one("Acme Secures Growth Investment From Lead Ridge",
            "Washington, D.C.-based Acme, which builds property software, has announced a new "
            "investment from Lead Ridge Capital, a growth equity firm in New York. The company "
            "did not disclose the size of the investment. Acme's previous backers include "
            "Norland Fund and Vesta Holdings.")
    assert (r.company, r.amount, r.lead_investors, r.investors) == (
        "Acme", None, ["Lead Ridge Capital"], [])


def test_one_investor_named_with_and_without_its_legal_suffix_is_one_investor():
    r = one("", "Acme announced a $9 million Series A round co-led by Kodama Ventures Inc., "
                "with participation from Orbit Capital. \u201cWe thank Kodama Ventures and "
                "Orbit Capital,\u201d said its CEO; Kodama Ventures led the round.")
    assert r.lead_investors == ["Kodama Ventures Inc"]
    assert r.investors == ["Orbit Capital"]


def test_the_round_raised_now_wins_over_the_rounds_before_it():
    r = one("Acme wants to bring efficiency to hospitals",
            "Acme started in 2018. The startup went on to raise £167,000 ($211,000) in angel "
            "funding, before closing a £1 million ($1.25 million) pre-seed round of funding "
            "from Orbit Labs in September, 2020. To spur its growth it has now raised a "
            "further £4.3 million ($5.4 million) in seed funding.",
            date(2023, 5, 11))
    assert (r.amount, r.currency, r.round_type) == (4.3e6, "GBP", "seed")


def test_rounds_told_as_one_total_are_one_round_of_the_later_type():
    # "$8M in combined pre-seed and seed": the text never splits the total, so the user
    # gets one round with the amount and both rounds' leads, not two rounds without one
    rounds = extract_rounds(
        "Acme secures $8M in seed and pre-seed funding",
        "Acme today announced $8 million in combined pre-seed and seed funding. The seed round "
        "was led by Kodama Ventures, and the pre-seed was led by Orbit Capital.", PUB)
    got = [(r.round_type, r.amount, r.lead_investors) for r in rounds]
    assert got == [("seed", 8e6, ["Kodama Ventures", "Orbit Capital"])]


def test_each_round_told_as_one_keeps_the_leads_that_led_it():
    # the leads come before the round they led, and "the earlier seed round" is one of the
    # two just announced, not a past round
    r = one("Brindle comes out of stealth with $30M",
            "Brindle came out of stealth on Monday with $30 million in combined seed and "
            "Series A funding. Quarry Ventures led the Series A, while Halyard Capital led "
            "the earlier seed round; Tamsin Fund took part in both.")
    assert (r.round_type, r.amount) == ("series_a", 30e6)
    assert (r.lead_investors, r.investors) == (["Quarry Ventures", "Halyard Capital"],
                                               ["Tamsin Fund"])


def test_investors_listed_one_a_line_are_read():
    r = one("Acme raises $5M", "Acme has raised $5 million from investors including:\n"
            "Kodama Ventures\n- Orbit Capital\nQuay Partners\nAcme will use the money to hire.")
    assert r.investors == ["Kodama Ventures", "Orbit Capital", "Quay Partners"]


def test_amount_is_the_new_round_not_the_total_or_valuation():
    r = one("Acme raises $60M", "Acme has raised $60 million at a $400 million valuation. "
            "The round brings its total funding to $95 million.")
    assert (r.amount, r.valuation) == (60e6, 400e6)


def test_amount_usd_is_converted():
    r = one("", "Acme has raised £10m in a seed round.", date(2024, 6, 1))
    assert 12e6 < r.amount_usd < 13.5e6


def test_two_distinct_rounds_in_one_sentence():
    rounds = extract_rounds("Orbitline raises $25M Series A and previously unannounced $6M seed",
                            "Orbitline today announced $31 million in funding: a $25 million "
                            "Series A led by Accel and a previously unannounced $6 million "
                            "seed round led by Precursor Ventures.", PUB)
    got = [(r.round_type, r.amount, r.lead_investors) for r in rounds]
    assert got == [("series_a", 25e6, ["Accel"]), ("seed", 6e6, ["Precursor Ventures"])]


def test_combined_rounds_get_their_own_amounts_and_leads():
    rounds = extract_rounds("Plume Bio banks $45M seed and Series A", "Plume Bio has emerged "
                            "from stealth with $45 million in combined seed and Series A "
                            "funding. The Series A, which accounts for $35 million of the "
                            "total, was led by Frazier Life Sciences. The seed round was led "
                            "by Arch Venture Partners.", PUB)
    got = {r.round_type: (r.amount, r.lead_investors) for r in rounds}
    assert got == {"series_a": (35e6, ["Frazier Life Sciences"]),
                   "seed": (None, ["Arch Venture Partners"])}


def test_equity_and_debt_are_two_rounds():
    rounds = extract_rounds("", "Cobalt has raised a $60 million Series B led by Bessemer and "
                            "$20 million in venture debt from Trinity Capital.", PUB)
    assert [(r.round_type, r.amount) for r in rounds] == [("series_b", 60e6), ("debt", 20e6)]


# --------------------------------------------------------------------------- investors
@pytest.mark.parametrize(
    ("text", "leads", "investors"),
    [
        ("Acme raised $42 million in Series B funding led by Redpoint Ventures, with "
         "participation from existing investors Greylock Partners, Amplify Partners and SV "
         "Angel.", ["Redpoint Ventures"], ["Greylock Partners", "Amplify Partners", "SV Angel"]),
        ("Acme raised $95 million in a Series C financing co-led by OrbiMed and RA Capital "
         "Management. Existing investors Atlas Venture and Polaris Partners also participated.",
         ["OrbiMed", "RA Capital Management"], ["Atlas Venture", "Polaris Partners"]),
        ("Acme raised $60 million in a Series B. Lightspeed led the round, with existing "
         "investors including Menlo Ventures and Felicis also participating.",
         ["Lightspeed"], ["Menlo Ventures", "Felicis"]),
        ("Acme raised $40 million in a Series A. The round was led by Greenoaks, joined by "
         "Elad Gil and Nat Friedman.", ["Greenoaks"], ["Elad Gil", "Nat Friedman"]),
        ("Acme raised $75 million in a Series B led by Kleiner Perkins as well as existing "
         "investors CRV and Lux Capital.", ["Kleiner Perkins"], ["CRV", "Lux Capital"]),
        ("Acme secured $15 million in a Founders Fund-led Series A round.", ["Founders Fund"],
         []),
        ("Acme raised $22 million. The round, with Bessemer Venture Partners leading, also "
         "included Emergence Capital and Y Combinator.", ["Bessemer Venture Partners"],
         ["Emergence Capital", "Y Combinator"]),
        ("Acme raised $85 million in a Series C led by Oak HC/FT. Additional investors include "
         "Optum Ventures, Define Ventures and LRVHealth, among others.", ["Oak HC/FT"],
         ["Optum Ventures", "Define Ventures", "LRVHealth"]),
        ("Acme raised $180 million in a Series D. The round was led by Accel and Nvidia's "
         "venture arm NVentures, with GV also investing.", ["Accel", "NVentures"], ["GV"]),
        ("Acme raised $15 million in a Series A led by Kaizen Partners. Existing investor "
         "Shorooq Partners and a clutch of angel investors also participated.",
         ["Kaizen Partners"], ["Shorooq Partners"]),
        ("Acme raised $150 million from Silicon Valley Bank and Hercules Capital to finance "
         "trucks.", [], ["Silicon Valley Bank", "Hercules Capital"]),
        ("Acme raised $12 million in a funding round led by Vertex Ventures Southeast Asia and "
         "India.", ["Vertex Ventures Southeast Asia and India"], []),
        ("Acme has raised $37 million in Series B funding, led by Theory Ventures and joined "
         "by Madrona, Decibel Ventures, Pioneer Square Labs, and IQT.", ["Theory Ventures"],
         ["Madrona", "Decibel Ventures", "Pioneer Square Labs", "IQT"]),
        ("Acme has raised $2.5 million in seed funding. The funding round was led by RTP Global "
         "and also saw participation from Picus Capital and marquee angel investors.",
         ["RTP Global"], ["Picus Capital"]),
        ("Acme raised $4 million in a Seed round, led by Glasswing Ventures. Panache, RedBud, "
         "and MGV also participated, with follow-on support from Ripple Ventures.",
         ["Glasswing Ventures"], ["Ripple Ventures", "Panache", "RedBud", "MGV"]),
        ("Acme raised $125 million in a Series B. The deal was led by IVP. New investors "
         "CapitalG and Sapphire Ventures joined in, as did existing investors Sequoia and "
         "Amplify.", ["IVP"], ["Sequoia", "Amplify", "CapitalG", "Sapphire Ventures"]),
        ("Acme raised $115 million in a Series B from Franklin Templeton and J.P. Morgan Asset "
         "Management.", [], ["Franklin Templeton", "J.P. Morgan Asset Management"]),
        ("Acme has raised $2.6 million from Elevation Capital. Acme was founded by Jane Roe "
         "and Raj Patel, who previously led the AI team at Kodama.", ["Elevation Capital"], []),
        ("Acme announced a $1.5M pre-seed round led by Era. Led by Jane Roe (formerly of "
         "Mastercard) and Raj Patel, Acme offers accounts to students.", ["Era"], []),
        ("Acme announced a $3M funding round led by Elevation Capital. The round also saw "
         "participation from angel investors including founders of Postman and Groww.",
         ["Elevation Capital"], []),
        ("Acme closed a $9 million Series B from Sequoia India and Beenext from Japan.", [],
         ["Sequoia India", "Beenext"]),
        ("Acme raised $24 million in a Series A led by BlueYard. Chairman of Walden and Intel "
         "CEO Lip-Bu Tan has joined as an investor.", ["BlueYard"], ["Lip-Bu Tan"]),
        ("Acme closed a $47M Series A led by NEA. Bethesda, Md.-based Lockheed Martin "
         "Ventures, Arlington, Va.-based Harbour Partners and others joined the round.",
         ["NEA"], ["Lockheed Martin Ventures", "Harbour Partners"]),
        ("Acme today announced it has raised $100 million in Series B funding less than a "
         "year after the last round. The round was led by Evolution Equity, with continued "
         "participation from Ballistic Ventures.", ["Evolution Equity"], ["Ballistic Ventures"]),
        ("Acme has closed a Series B funding round of $20 million in which Thai property "
         "developer Sansiri was the sole participant.", ["Sansiri"], []),
        ("Acme raised $62 million in a Series A. The round is co-led by Cherry Ventures and "
         "imec.xpand, with participation from another.vc.", ["Cherry Ventures", "imec.xpand"],
         ["another.vc"]),
        ("Acme has raised $2 million in seed funding to make medicines cheaper. The fresh "
         "investment was led by Founderful and complements an earlier $5 million grant, "
         "bringing total funds raised to $7 million.", ["Founderful"], []),
        ("Acme raised a $7.6 million seed round led by Sequoia Capital India. Jane Roe's "
         "Agaeti Ventures; Raj Patel, co-founder of Northstar Group; Intudo Ventures; and "
         "Innoven Capital also participated in the round.", ["Sequoia Capital India"],
         ["Agaeti Ventures", "Raj Patel", "Intudo Ventures", "Innoven Capital"]),
        ("Acme has secured US$1.8 million in seed funding from investors like US-based "
         "learning firm Kodama Inc, Singapore-based asset management firm Paladigm Capital, "
         "and a private investor.", [], ["Kodama Inc", "Paladigm Capital"]),
        ("Acme has raised $300 million in funding. The lead investors in this round were "
         "Kodama and Lumen Capital, with Ferrovia Fund also participating.",
         ["Kodama", "Lumen Capital"], ["Ferrovia Fund"]),
        ("Acme raised $7 million in a seed round. Funders include Pepper Capital, Orbit "
         "Labs and Quay Partners.", [], ["Pepper Capital", "Orbit Labs", "Quay Partners"]),
        ("Acme raised $300 million in a Series C. Also joining in are Norland Fund and "
         "Vesta Holdings.", [], ["Norland Fund", "Vesta Holdings"]),
        ("Acme raised $30 million in a Series D round led by Harrow Capital. Tellis Ventures, "
         "Pine Capital, and existing investors such as Quill Partners also participated.",
         ["Harrow Capital"], ["Tellis Ventures", "Pine Capital", "Quill Partners"]),
        ("Acme raised $1.6 million in a pre-seed round. Angel investors included Jane Roe, "
         "Datadog CEO; Raj Patel, Orbit CEO; and Ann Lee, founder of Ben Labs.", [],
         ["Jane Roe", "Raj Patel", "Ann Lee"]),
        ("Acme has raised $100 million in new funding. The investment includes participation "
         "from a new backer, the public-market investor Rockfield, as well as Tide Global.",
         [], ["Rockfield", "Tide Global"]),
        ("Acme raised $300 million for its Series C round. Investors include Norland Fund. "
         "Acme wants to grow its station network. Also joining in are Vesta Holdings and "
         "Orbit Labs. Existing investors also participated, including founding investor Dr. "
         "Jane Roe, Quay Partners, and more.", [],
         ["Norland Fund", "Vesta Holdings", "Orbit Labs", "Jane Roe", "Quay Partners"]),
        ("Acme raised $3.5 million in seed funding. The round was led by Luge Capital, "
         "alongside Developer Capital and Supply Chain Angels.", ["Luge Capital"],
         ["Developer Capital", "Supply Chain Angels"]),
        ("Acme has raised $115 million in a series D round led by Franklin Templeton. "
         "Qualcomm, Eileses Capital, and “clients advised by J.P. Morgan Asset Management” "
         "also participated in the round.", ["Franklin Templeton"],
         ["Qualcomm", "Eileses Capital", "J.P. Morgan Asset Management"]),
        ("Acme is today announcing it has raised $15M to help cancer centers. The company "
         "has raised from several Silicon Valley firms making investments in health, "
         "including Pepper Capital, Orbit Labs and Quay Partners.", [],
         ["Pepper Capital", "Orbit Labs", "Quay Partners"]),
        ("Acme raised $5.5 million in a Series A led by Quay Partners. The round was joined "
         "by Razer, and Jane Roe, designer of the iPod and co-founder of Nest Labs.",
         ["Quay Partners"], ["Razer", "Jane Roe"]),
        ("Acme has closed a $15 million seed round led by Decibel, with participation from "
         "strategic investors, including Raj Patel and Ann Lee, Oracle's senior vice "
         "president of Cloud Operations.", ["Decibel"], ["Raj Patel", "Ann Lee"]),
        ("Acme has closed a $7 million pre-seed round led by HongShan Capital Group, formerly "
         "known as Sequoia CN, BitKraft and HackVC.",
         ["HongShan Capital Group", "BitKraft", "HackVC"], []),
        ("Acme has closed an $11M Series A co-led by Accomplice. Its CEO has also worked at "
         "Goldman Sachs and Circle, where he led the launch of a stablecoin.",
         ["Accomplice"], []),
        ("Acme raised $540 million led by Naspers Ventures. In a statement, Jane Roe, who "
         "heads investments at Naspers Ventures, said his firm invested in the company "
         "because it believes in it.", ["Naspers Ventures"], []),
        ("Acme raised $24 million in a Series A led by BlueYard. Intel CEO Lip-Bu Tan has "
         "joined as a board director and investor, in addition to Raj Patel (former CEO of "
         "Kodama), also joining the board.", ["BlueYard"], ["Lip-Bu Tan"]),
        ("Kodama Capital is expected to lead a financing round of at least $500 million in "
         "Acme, according to people familiar with the matter. The team is led by CEO Jane "
         "Roe, who was the chief technology officer at Orbit.", ["Kodama Capital"], []),
        ("Acme has completed a $12 million financing round. The round was led by Kodama "
         "Capital and included Israel Innovation Authority and Orbit Labs.", ["Kodama Capital"],
         ["Israel Innovation Authority", "Orbit Labs"]),
        ("Kodama Corp invests $10 billion in Acme, extending a partnership that began in "
         "2019.", ["Kodama Corp"], []),
        ("The Orbit Fund has invested in a $2.5 million seed round for Acme led by Quay "
         "Partners.", ["Quay Partners"], ["Orbit Fund"]),
        ("Acme has closed a series B funding round of US$9.2 million from the same set of "
         "investors who put in US$6 million last year: Norland Fund, Vesta Holdings, and "
         "Beenext from Japan.", [], ["Norland Fund", "Vesta Holdings", "Beenext"]),
    ],
)
def test_lead_and_other_investors(text, leads, investors):
    r = one("", text)
    assert r.lead_investors == leads
    assert r.investors == investors


def test_investor_subject_is_lead_not_company():
    r = one("Index Ventures and Accel co-lead $50M Series B in Vantage AI",
            "Index Ventures and Accel have co-led a $50 million Series B investment in Vantage "
            "AI, a computer vision startup.")
    assert r.company == "Vantage AI"
    assert r.lead_investors == ["Index Ventures", "Accel"]


def test_past_round_investors_are_not_this_rounds_leads():
    r = one("Stratus raises $320M Series C", "Stratus has raised a $320 million Series C led "
            "by Coatue. Stratus previously raised a $110 million Series B in 2023 led by Index "
            "Ventures.")
    assert r.lead_investors == ["Coatue"]
    assert (r.round_type, r.amount) == ("series_c", 320e6)


# --------------------------------------------------------------------------- valuation
@pytest.mark.parametrize(
    ("text", "valuation", "basis"),
    [
        ("Acme raised $60 million at a $400 million valuation.", 400e6, "post_money"),
        ("Acme raised $1.2bn in a funding round valuing the company at $9bn.", 9e9,
         "post_money"),
        ("Acme announced a $320 million Series C at a post-money valuation of $2.4 billion.",
         2.4e9, "post_money"),
        ("Acme raised $200 million in a Series D at a pre-money valuation of $1.8 billion.",
         1.8e9, "pre_money"),
        ("Acme is in talks to raise $2 billion. The deal would value Acme at $40 billion, up "
         "from $18 billion in its previous round.", 40e9, "post_money"),
        ("Acme raised $50 million in a Series B. It was valued at $200 million in 2023.",
         None, None),
    ],
)
def test_valuation(text, valuation, basis):
    r = one("", text)
    assert r.valuation == valuation
    assert r.valuation_basis == basis
    if valuation:
        assert r.valuation_currency == "USD" and r.valuation_usd == pytest.approx(valuation)


# --------------------------------------------------------------------------- status, dates
def test_unconfirmed_round_in_talks():
    r = one("Exclusive: Vireo AI in talks to raise $600 million at $4 billion valuation",
            "Vireo AI is in talks to raise about $600 million in a new funding round that "
            "would value the company at $4 billion, according to three people familiar with "
            "the matter.")
    assert r.unconfirmed and r.amount_status == "approximate"
    assert (r.company, r.amount, r.valuation) == ("Vireo AI", 600e6, 4e9)


def test_talks_without_amount_keep_the_valuation():
    r = one("Helix in early talks to raise funding at $10 billion valuation",
            "Helix is in early talks with investors to raise new funding at a valuation of "
            "about $10 billion, according to people familiar with the discussions.")
    assert (r.amount, r.round_type, r.valuation, r.unconfirmed) == (
        None, "undisclosed", 10e9, True)


def test_announced_on_prefers_the_dateline():
    r = one("", "AUSTIN, Texas, Dec. 10, 2025 (GLOBE NEWSWIRE) -- Gigawatt Cloud today "
            "announced a $500 million Series C.", date(2025, 12, 12))
    assert r.announced_on == date(2025, 12, 10)
    assert one("", "Acme has raised $5 million in a seed round.",
               date(2025, 2, 3)).announced_on == date(2025, 2, 3)


def test_published_may_be_an_iso_string():
    r = extract_rounds("", "Acme has raised $5 million in a seed round.", "2025-02-03")[0]
    assert r.announced_on == date(2025, 2, 3)


# --------------------------------------------------------------------------- not funding
@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("Northwind acquires Pixelgrove", "Northwind has acquired Pixelgrove, which raised $12 "
         "million in a Series A round led by Foundry Group in 2022."),
        ("Tessellate launches agent builder", "Tessellate, which has raised $50 million to "
         "date, launched Studio on Wednesday."),
        ("Harborline closes $350 million third fund", "Harborline Ventures closed its third "
         "fund at $350 million."),
        ("Northwind to raise up to $12.9bn in landmark Hong Kong listing", "Northwind is set "
         "to raise up to $12.9bn from its second listing in Hong Kong, pricing its shares at a "
         "discount to their New York close."),
        ("Harbor FC activate £71.6m release clause to sign their keeper", "Harbor FC have paid "
         "the £71.6million fee this morning to secure the record signing of the keeper."),
        ("Two players suspended after a fight", "Cleveland's Jane Roe also received a one-game "
         "suspension, and both teams received $250,000 fines."),
    ],
)
def test_no_rounds_for_non_funding_articles(title, text):
    assert extract_rounds(title, text, PUB) == []


# --------------------------------------------------------------------------- evidence
def test_evidence_spans_point_at_the_source_text():
    title = "Solace Grid lands $60M"
    text = ("Solace Grid, an Oakland startup, has raised $60 million at a $400 million "
            "valuation. The Series B round was led by Breakthrough Energy Ventures.")
    r = one(title, text)
    ev = r.evidence
    assert text[ev["company"].start : ev["company"].end] == "Solace Grid"
    assert text[ev["amount"].start : ev["amount"].end] == "$60 million"
    assert text[ev["valuation"].start : ev["valuation"].end] == "$400 million"
    assert text[ev["round_type"].start : ev["round_type"].end] == "Series B round"
    lead = ev["lead_investors"]
    assert text[lead.start : lead.end] == "Breakthrough Energy Ventures"
    assert lead.sentence.startswith("The Series B round") and lead.source == "text"
    assert all(e.field == name for name, e in ev.items())


def test_title_evidence_is_marked_as_title():
    r = one("Acme raises $5M seed round", "")
    assert r.evidence["amount"].source == "title"
    assert r.evidence["amount"].start == 12


def test_participants_who_took_part_followed_on_or_are_angels_such_as_are_read():
    r = one("Brindle raises $9M", "Brindle has raised $9 million in a seed round led by Corrie "
            "Ventures and included angels such as Tove Hansen, former CFO of Klarna. Pelham "
            "Partners and Drayton Capital also took part.")
    assert r.lead_investors == ["Corrie Ventures"]
    assert r.investors == ["Tove Hansen", "Pelham Partners", "Drayton Capital"]
    r = one("Saltmarsh raises 300 million yuan", "Saltmarsh has completed a Series B round of "
            "300 million yuan, led by Yellowpine Capital. Existing shareholders Larkfield "
            "Ventures and Orrin Capital followed on.")
    assert r.investors == ["Larkfield Ventures", "Orrin Capital"]


def test_a_raise_by_the_company_goes_to_the_name_just_above_not_a_sentence_opener():
    r = one("The quiet software fixing hospital rosters",
            "Walk onto any ward at shift change and you will see the problem. Rostrum thinks "
            "it can fix it. On Monday, the Leeds company said it had raised £4 million in a "
            "seed round led by Fieldhouse Ventures. Rostrum's scheduler now runs in 30 "
            "hospitals.")
    assert r.company == "Rostrum" and r.amount == 4e6 and r.currency == "GBP"


def test_an_investor_that_backs_a_round_others_join_is_no_lead():
    r = one("Harrowgate Ventures backs Pinfold in $18 million round",
            "Harrowgate Ventures has backed Pinfold, a maker of billing software, in an $18 "
            "million Series A round, the company said. The round also included Kelso Capital.")
    assert r.lead_investors == [] and r.investors == ["Harrowgate Ventures", "Kelso Capital"]
    r = one("Harrowgate Ventures backs Pinfold in $18 million round",
            "Harrowgate Ventures has backed Pinfold, a maker of billing software, in an $18 "
            "million Series A round, the company said.")
    assert r.lead_investors == ["Harrowgate Ventures"]  # alone: it made the whole investment


def test_a_german_lead_written_first_keeps_the_name_not_its_descriptor():
    r = one("Kölner Start-up Felsquell sammelt 20 Millionen Euro ein",
            "Das Kölner Start-up Felsquell hat in einer Finanzierungsrunde 20 Millionen Euro "
            "eingesammelt. Angeführt wurde die Runde vom US-Investor Brookline Partners.")
    assert r.lead_investors == ["Brookline Partners"]


def test_a_valuation_set_after_a_raise_is_this_rounds_and_snapping_up_money_is_a_raise():
    r = one("Quayside valued at $900m after $70m raise",
            "Quayside, the Bristol-based AI platform for port logistics, is now valued at $900m "
            "after raising $70m in a Series C round led by Atomico.")
    assert (r.amount, r.valuation, r.round_type) == (70e6, 900e6, "series_c")
    assert r.lead_investors == ["Atomico"]
    r = one("Tillwater snaps up €4 million seed", "Tillwater has snapped up €4 million in seed "
            "funding from Ardent Ventures to build soil sensors.")
    assert (r.company, r.amount, r.currency, r.round_type) == ("Tillwater", 4e6, "EUR", "seed")


def test_a_business_wire_dateline_is_no_company():
    r = one("Corvid Raises $50 Million Series C", "AUSTIN, Texas--(BUSINESS WIRE)--Corvid, the "
            "data platform, today announced it has raised $50 million in Series C funding led by "
            "Tidewell Partners.")
    assert r.company == "Corvid" and r.lead_investors == ["Tidewell Partners"]


def test_investor_lists_read_to_their_end():
    r = one("Fennick raises €9M seed", "Fennick has raised €9 million in seed funding led by "
            "Ardent Ventures, with participation from Holm Capital and the logistics-focused fund "
            "Baltic Harbour Ventures.")
    assert r.investors == ["Holm Capital", "Baltic Harbour Ventures"]
    r = one("Fennick raises €9M seed", "Fennick has raised €9 million in a seed round. Investors "
            "include Holm Capital, Oakridge Labs and Plug and Play.")
    assert r.investors == ["Holm Capital", "Oakridge Labs", "Plug and Play"]
    r = one("Fennick raises $5M seed", "Fennick has raised a $5 million seed round led by Ardent "
            "Ventures. The round also drew a long list of angel investors, including former "
            "Stripe engineer Mara Olsen and Figma designer Theo Park.")
    assert r.investors == ["Mara Olsen", "Theo Park"]
    r = one("Fennick raises 300 million yuan", "Fennick has completed a Series B round of 300 "
            "million yuan. The round was led by Yellowpine Capital, followed by Orrin Capital.")
    assert (r.lead_investors, r.investors) == (["Yellowpine Capital"], ["Orrin Capital"])


def test_a_place_the_company_expands_from_is_no_investor():
    r = one("Fennick raises $9M", "Fennick said it had raised $9 million in seed funding, which "
            "it will use to expand from Norway into Chile. The round was led by Ardent Ventures.")
    assert r.investors == [] and r.lead_investors == ["Ardent Ventures"]


def test_a_backer_described_by_the_round_it_led_before_is_a_participant_now():
    r = one("Ardent Ventures leads $30M round in Fennick", "Ardent Ventures has led a $30 million "
            "Series B investment in Fennick, a maker of workflow software. Holm Capital, which "
            "led Fennick's Series A, also participated.")
    assert (r.round_type, r.lead_investors, r.investors) == ("series_b", ["Ardent Ventures"],
                                                             ["Holm Capital"])


def test_a_person_named_grant_is_no_grant_and_a_heat_pump_is_no_investment():
    r = one("Fennick raises £7m seed", "Fennick has raised £7 million in a seed round led by "
            "Ardent Ventures. Angel investors including former Monzo engineer Mara Olsen and "
            "Wise's ex-head of design Oliver Grant also joined.")
    assert r.round_type == "seed" and r.investors == ["Mara Olsen", "Oliver Grant"]
    rel = classify("Fennick raises SEK 80 million", "Stockholm-based Fennick, which installs "
                   "and services heat pumps, has raised SEK 80 million.")
    assert "funding: 'raised' in lead" in rel.reasons  # the verb, not "pumps"
    r = one("Acme wins Smart Grant", "Acme has won a £500,000 Smart Grant from Innovate UK.")
    assert r.round_type == "grant"


def test_names_set_off_by_what_describes_them_or_after_also_investing_were():
    r = one("Fennick raises $6M", "Fennick has raised $6 million. Holm Ventures, Google's "
            "AI-focused fund, and Orrin Capital co-led the seed round.")
    assert r.lead_investors == ["Holm Ventures", "Orrin Capital"]
    r = one("Fennick lands $20 million", "Fennick has raised $20 million in a Series A round. "
            "Holm Ventures led the round. Also investing were Orrin Capital and Figma CEO "
            "Dylan Field.")
    assert r.investors == ["Orrin Capital", "Dylan Field"]
    r = one("Fennick raises $2M seed", "Fennick has raised a $2 million seed round led by Holm "
            "Ventures. Holm Ventures, based in Leeds, specializes in investing in early-stage "
            "software companies.")
    assert r.investors == []


def test_the_one_investor_the_money_comes_from_is_the_lead():
    r = one("Fennick raises SEK 80 million", "Stockholm-based Fennick has raised SEK 80 million. "
            "The investment comes from Holm Capital, the impact fund founded by Mara Olsen.")
    assert r.lead_investors == ["Holm Capital"] and r.investors == []


@pytest.mark.parametrize(
    ("text", "giver"),
    [
        ("Ghent-based Lumatek has won a €1.8 million grant from the Flanders Innovation Agency "
         "(FIA) Growth Boost programme.", "Flanders Innovation Agency"),
        ("Lumatek has been awarded a €1.8 million grant. The funding comes from Quay Agency's "
         "Farming Innovation Programme.", "Quay Agency"),
    ],
)
def test_a_grant_from_a_bodys_programme_is_the_bodys(text, giver):
    r = one("Lumatek wins €1.8M grant", text)
    assert (r.round_type, r.lead_investors) == ("grant", [giver])


@pytest.mark.parametrize(
    ("support", "investors"),
    [
        # the backers of this round told with verbs of their own
        ("Quarry Ventures returned for the new round, as did Halyard Capital.",
         ["Quarry Ventures", "Halyard Capital"]),
        ("Existing backers Quarry Ventures and Tamsin Fund are also expected to participate.",
         ["Quarry Ventures", "Tamsin Fund"]),
        ("Existing shareholder Quarry Ventures continued to invest.", ["Quarry Ventures"]),
        ("Angel investors Mira Solberg, co-founder of Fjordpay, and Tom Aske, the former head "
         "of sales at a bank, also put money in.", ["Mira Solberg", "Tom Aske"]),
        # names before "angel investors including", a title before a name, an appositive
        ("Quarry Ventures, Tamsin Fund and angel investors including Mira Solberg also "
         "participated.", ["Quarry Ventures", "Tamsin Fund", "Mira Solberg"]),
        ("Quarry Ventures, Tamsin Fund and Dr. Mira Solberg, who founded a clinic chain, "
         "also invested.", ["Quarry Ventures", "Tamsin Fund", "Mira Solberg"]),
        # ... in other words, tenses and forms
        ("Angel investors Mira Solberg, a former vice president of engineering at Twilio, and "
         "Tom Aske, founder of Tracewell, also invested.", ["Mira Solberg", "Tom Aske"]),
        ("Existing investors Tamsin Fund and Orrin Capital are also set to take part.",
         ["Tamsin Fund", "Orrin Capital"]),
        ("New investors Kaiyo Ventures, the corporate venture arm of chipmaker Kaiyo Semi, and "
         "the Fjord Investment Authority joined the round.",
         ["Kaiyo Ventures", "Fjord Investment Authority"]),
        ("Tamsin Fund and the Orrin Foundation also take part.",
         ["Tamsin Fund", "Orrin Foundation"]),
        ("Existing investor Tamsin Fund is also expected to put in money.", ["Tamsin Fund"]),
        ("This round saw follow-on investment by old shareholders Tamsin Fund and Orrin Capital.",
         ["Tamsin Fund", "Orrin Capital"]),
    ],
)
def test_participants_told_in_a_sentence_of_their_own(support, investors):
    r = one("Fennick raises $9M", "Fennick has raised $9 million in a seed round led by Ardent "
            "Ventures. " + support)
    assert (r.lead_investors, sorted(r.investors)) == (["Ardent Ventures"], sorted(investors))


@pytest.mark.parametrize(
    "tail",
    [
        "with participation from Tamsin Fund, the investment arm of Orrin Bank, and Quay "
        "Partners.",
        "with participation from Tamsin Fund and a large pension fund, as well as existing "
        "investor Quay Partners.",
        "with participation from Tamsin Fund and Orrin Bank's investment arm, Quay Partners.",
    ],
)
def test_a_list_goes_on_past_what_describes_a_name(tail):
    r = one("Fennick raises $9M", "Fennick has raised $9 million in a seed round led by climate "
            "VC Ardent Ventures, " + tail)
    assert (r.lead_investors, r.investors) == (["Ardent Ventures"], ["Tamsin Fund", "Quay Partners"])


def test_a_note_funded_by_several_backers_has_no_lead():
    r = one("Ostrava Foods raises $2M convertible note", "Ostrava Foods has raised $2 million "
            "through a convertible note. The note was funded by existing backers Quay Partners "
            "and Tamsin Fund, as well as Mira Solberg, the founder of a bakery chain.")
    assert (r.round_type, r.lead_investors) == ("convertible_note", [])
    assert r.investors == ["Quay Partners", "Tamsin Fund", "Mira Solberg"]


def test_a_company_named_short_most_of_the_time_keeps_its_full_name():
    r = one("Harlow Marine lands $4M", "Harlow Marine wants to clean ship hulls with robots.\n\n"
            "The Bergen startup has raised a $4 million seed round. Harlow's crawlers attach to "
            "the hull. Harlow was spun out of a shipyard. Harlow has 9 staff.")
    assert r.company == "Harlow Marine"


@pytest.mark.parametrize(
    ("text", "round_type"),
    [
        ("Ostrava Labs has been awarded a $1.1 million Small Business Innovation Research "
         "(SBIR) Phase II contract by the US Navy.", "grant"),
        ("Ostrava Labs has received a $90 million growth investment from private equity firm "
         "Quay Partners.", "private_equity"),
    ],
)
def test_round_types_named_by_the_programme_or_the_kind_of_investor(text, round_type):
    assert one("", text).round_type == round_type


def test_a_bank_in_a_name_or_a_market_is_no_raise():
    rel = classify("Halden Bank signs $10 million deal with Ostrava AI", "Halden Bank has signed "
                   "a three-year, $10 million contract with Ostrava AI to run its call centre.")
    assert not rel.is_funding
    assert one("Plume Bio banks $45M", "Plume Bio banks $45 million.").amount == 45e6


def test_a_sentence_that_breaks_the_round_down_names_its_investors():
    r = one("Halden Solar secures $40 million Series B", "Halden Solar said Monday it has closed "
            "a $40 million Series B. The round includes $30 million in equity led by Quay "
            "Partners, with participation from Tamsin Fund, and a $10 million credit facility.")
    assert (r.amount, r.round_type) == (40e6, "series_b")
    assert (r.lead_investors, r.investors) == (["Quay Partners"], ["Tamsin Fund"])


def test_seed_in_an_investors_name_is_no_seed_round():
    r = one("Halden Data hauls in NOK 80 million", "Bergen-based Halden Data has raised NOK 80 "
            "million in a Series A.\nState-owned venture investor Quay Invest led the round, "
            "with participation from Fjord Seed and Seed Capital Norway.")
    assert (r.round_type, r.lead_investors) == ("series_a", ["Quay Invest"])
    assert r.investors == ["Fjord Seed", "Seed Capital Norway"]


def test_a_wire_release_with_a_sub_headline_before_its_dateline():
    r = one("Halden Announces $22 Million Series A Financing", "Round led by Quay Partners, with "
            "participation from Tamsin Fund\nSAN FRANCISCO--(BUSINESS WIRE)--Halden, Inc., the "
            "AI platform for sales teams, today announced it has closed a $22 million Series A "
            "financing round. The round was led by Quay Partners.")
    assert (r.company, r.amount, r.lead_investors) == ("Halden", 22e6, ["Quay Partners"])


def test_backers_after_a_past_round_told_in_an_aside_or_set_off_by_a_description():
    r = one("Halden raises $60M Series B", "Halden has raised a $60 million Series B round led "
            "by Quay Partners. Tamsin Fund, which led Halden's Series A last year, returned for "
            "the round, and Orrin Ventures, the investment arm of a hospital group, joined as a "
            "new investor. Existing investors Fjord Capital and Lumen VC are also expected to "
            "take part.")
    assert r.investors == ["Tamsin Fund", "Orrin Ventures", "Fjord Capital", "Lumen VC"]


def test_revenue_based_financing_is_debt():
    assert one("", "Halden has secured COP 40 billion in revenue-based financing from Quay "
               "Flex.").round_type == "debt"


def test_a_volume_worth_an_amount_and_a_past_rounds_valuation_are_not_this_valuation():
    r = one("Halden raises INR 250 Cr", "Halden has raised INR 250 Cr in its Series B round led "
            "by Quay Partners. It processes payments worth INR 8,000 Cr annually.")
    assert r.valuation is None
    r = one("Halden secures $30 million venture debt facility", "Halden said it had secured a "
            "$30 million venture debt facility from Quay Credit. Halden raised a $60 million "
            "Series B led by Tamsin Fund in 2022. That round valued the company at around $400 "
            "million.")
    assert (r.round_type, r.valuation) == ("debt", None)


def test_angels_with_roles_before_their_names_and_among_the_investors():
    r = one("Halden raises $4.2M seed", "Halden has raised a $4.2 million seed round. Quay "
            "Partners led the round. Also participating were Tamsin Fund, former Stripe CTO Mira "
            "Solberg, Plaid head of product Anita Shah and Tom Aske, the founder of Chargewell.")
    assert r.investors == ["Tamsin Fund", "Mira Solberg", "Anita Shah", "Tom Aske"]
    r = one("Halden raises CHF 12 million seed round", "Halden AG has closed a seed round of CHF "
            "12 million. The round was led by Quay Partners, with Tamsin Fund and a group of "
            "private investors also participating. Among the private investors is Mira Solberg, "
            "co-founder of Transflow.")
    assert r.investors == ["Tamsin Fund", "Mira Solberg"]


def test_what_others_are_valued_at_is_not_this_valuation():
    r = one("Halden closes RMB 500 million Series B", "Halden has closed a Series B round of RMB "
            "500 million. Several startups have been valued at more than RMB 10 billion.")
    assert r.valuation is None


def test_a_round_told_investor_by_investor_from_a_filing():
    r = one("Halden raises Rs 18 Cr in Series A", "Edtech startup Halden Plus has raised Rs 18 "
            "crore in its Series A round, according to its regulatory filings. The board has "
            "passed a resolution to allot 5,450 Series A CCPS at Rs 33,030 each to Quay "
            "Ventures, Tamsin Capital and Orrin Fund. Quay Ventures invested Rs 9 crore, while "
            "Tamsin Capital and Orrin Fund put in Rs 5 crore and Rs 4 crore. The remaining "
            "amount came from angel investor Mira Solberg.")
    assert r.company == "Halden Plus"
    assert r.investors == ["Quay Ventures", "Tamsin Capital", "Orrin Fund", "Mira Solberg"]
    # what others put into another round so far is not this round's
    r = one("Halden bags $300 million from Quay", "Halden has secured a $300 million investment "
            "from Quay Motors. So far, participants in the J round include Mira Solberg, who "
            "has invested $92 million, and Tamsin Capital, which has invested $75 million.")
    assert r.investors == [] and r.lead_investors == ["Quay Motors"]


def test_a_valuation_people_put_at_an_amount():
    r = one("Halden raises €150mn", "Halden has raised €150mn in a Series C round led by Quay "
            "Partners. The company declined to comment on its valuation, which two people put "
            "at about €1.5bn.")
    assert r.valuation == 1.5e9


def test_names_after_initials_spelled_out_or_set_off_by_one_of():
    r = one("Halden raises DKK 60 million seed round", "Halden has raised DKK 60 million in seed "
            "funding. The round was led by Quay Partners, with participation from Tamsin Fund "
            "and EIFO, the Export and Investment Fund of Denmark.")
    assert r.investors == ["Tamsin Fund", "EIFO"]
    r = one("Halden raises R$50 million Series A", "Halden raised R$50 million in a Series A "
            "round led by Quay Partners. Tamsin Fund and Cooperativa Vale Verde, one of the "
            "largest grain cooperatives in Mato Grosso, also participated.")
    assert r.investors == ["Tamsin Fund", "Cooperativa Vale Verde"]


def test_the_lead_of_the_original_round_is_not_the_extensions():
    r = one("Halden raises $3m seed extension", "Halden has raised a $3 million seed extension "
            "led by Quay Partners. Tamsin Fund also participated in the extension. Halden's "
            "original $3 million seed round, announced last year, was led by Tamsin Fund.")
    assert (r.lead_investors, r.investors) == (["Quay Partners"], ["Tamsin Fund"])


def test_a_development_finance_institution_by_its_initials_is_one_investor():
    from analysis.merge import investor_key
    assert investor_key("IFC") == investor_key("International Finance Corporation")


def test_two_rounds_under_a_title_total_are_the_raise_the_title_tells():
    # the title tells one raise of the rounds' sum: one round, the later type, both leads
    r = one("Halden emerges from stealth with $25 million", "Halden emerged from stealth on "
            "Thursday. The total comprises a previously unannounced $5 million seed round led "
            "by Quay Partners and a $20 million Series A led by Tamsin Fund. Orrin Capital and "
            "the Fjord Commons fund also participated in the Series A.")
    assert (r.amount, r.round_type) == (25e6, "series_a")
    assert sorted(r.lead_investors) == ["Quay Partners", "Tamsin Fund"]
    assert r.investors == ["Orrin Capital", "Fjord Commons"]


def test_a_round_told_in_the_ceos_words():
    r = one("'We wanted the partners': Halden's CEO on its new round", "Mira Solberg co-founded "
            "Halden, a London company whose AI reviews contracts. \"We've closed a $35 million "
            "Series B, led by Quay Partners, and Tamsin Capital, who led our A, came back in "
            "with their full pro rata,\" Solberg said.")
    assert (r.company, r.amount) == ("Halden", 35e6)
    assert r.lead_investors == ["Quay Partners"]

def test_angels_among_them_and_a_past_lead_returning():
    r = one("Halden raises $4.2M seed", "Halden has raised a $4.2 million seed round. Quay "
            "Partners led the round, with Tamsin Fund and a handful of angels participating, "
            "among them former Stripe engineer Mira Solberg and Tom Aske.")
    assert r.investors == ["Tamsin Fund", "Mira Solberg", "Tom Aske"]
    r = one("Halden raises A$30 million Series B", "Halden has raised A$30 million in a Series B "
            "led by Quay Ventures. Tamsin Capital, which led the company's Series A, returned "
            "for the round.")
    assert (r.lead_investors, r.investors) == (["Quay Ventures"], ["Tamsin Capital"])


def test_a_ceo_leading_the_company_and_a_corporate_investment_arm_are_not_rounds_facts():
    r = one("Halden Therapeutics launches with $110M", "Halden Therapeutics launched Tuesday with "
            "$110 million in Series A financing. The round was co-led by Quay Partners and "
            "Tamsin Bio, with participation from EDBI, the corporate investment arm of the "
            "Fjord Economic Development Board of the region, and Orrin Ventures. Halden is led "
            "by CEO Tom Aske.")
    assert r.lead_investors == ["Quay Partners", "Tamsin Bio"]
    assert r.investors == ["EDBI", "Orrin Ventures"]


def test_names_in_the_alias_table_are_kept_whole():
    r = one("Halden raises £1.8m pre-seed", "Halden has raised £1.8m in pre-seed funding. The "
            "round was led by Quay Ventures, with participation from Entrepreneur First and "
            "Singapore-based Monk's Hill Ventures.")
    assert r.investors == ["Entrepreneur First", "Monk's Hill Ventures"]

def test_a_note_that_came_from_several_backers_and_a_bare_letter_round():
    r = one("Halden raises $3 million convertible note", "Halden has raised $3 million through a "
            "convertible note. The note came from existing backers Quay Fund and Tamsin "
            "Ventures, as well as a new investor, Mira Solberg, who founded a clinic network.")
    assert (r.lead_investors, r.investors) == ([], ["Quay Fund", "Tamsin Ventures", "Mira Solberg"])
    r = one("Halden completes nearly 500 million yuan B round financing", "Halden announced the "
            "completion of B round financing of nearly 500 million yuan, led by Quay Partners.")
    assert r.round_type == "series_b"
