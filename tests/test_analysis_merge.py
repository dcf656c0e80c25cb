"""One round per funding event: company keys and clustering of mentions."""

import random
from datetime import date, timedelta

import pytest

from analysis.merge import Mention, cluster_mentions, company_key, investor_key
from analysis.rounds import Round

D0 = date(2025, 3, 4)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Mistral AI", "mistral"),
        ("Mistral", "mistral"),
        ("MISTRAL AI SAS", "mistral"),
        ("AI", "ai"),  # a suffix is never the whole name
        ("Acme, Inc.", "acme"),
        ("Acme Inc", "acme"),
        ("The Acme Co., Inc.", "acme"),
        ("Acme GmbH", "acme"),
        ("Acme Ltd.", "acme"),
        ("Acme Corp", "acme"),
        ("Character.AI", "character"),
        ("Hugging Face", "huggingface"),
        ("HuggingFace", "huggingface"),
        ("Zürich Robotics", "zurichrobotics"),
        ("Ben & Jerry's", "benandjerry"),
        ("The Browser Company", "browsercompany"),
        ("The", "the"),
        ("", ""),
        (None, ""),
    ],
)
def test_company_key(name, key):
    assert company_key(name) == key


def test_company_key_keeps_distinct_companies_apart():
    assert company_key("xAI") != company_key("x")
    assert company_key("Scale AI") != company_key("Scale Venture Partners")


def test_investor_key_keeps_ai_suffix():
    assert investor_key("Radical AI") == "radicalai"
    assert investor_key("The Qatar Investment Authority") == investor_key(
        "Qatar Investment Authority")


def rnd(company="Acme", round_type="series_b", amount=40e6, currency="USD", status="exact",
        leads=(), investors=(), when=D0, valuation=None, unconfirmed=False, label=None):
    return Round(company=company, round_type=round_type, round_label=label, amount=amount,
                 currency=currency, amount_usd=None, amount_status=status,
                 valuation=valuation, valuation_currency="USD" if valuation else None,
                 lead_investors=list(leads), investors=list(investors), announced_on=when,
                 unconfirmed=unconfirmed)


def m(mid, r, article=None, published=None):
    return Mention(mid, article or f"art-{mid}", published, r)


def groups(merged):
    return sorted(tuple(x.mention_ids) for x in merged)


# --------------------------------------------------------------------------- the rule
@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (rnd(), rnd(company="Acme, Inc."), True),
        (rnd(), rnd(company="Acme Robotics"), False),
        (rnd(), rnd(round_type="series_unknown"), True),
        (rnd(), rnd(round_type="undisclosed", amount=None, status="undisclosed"), True),
        (rnd(), rnd(round_type="series_c"), False),
        (rnd(amount=40e6), rnd(amount=44e6), True),  # 9% apart
        (rnd(amount=40e6), rnd(amount=50e6), False),  # 20% apart
        (rnd(amount=40e6), rnd(amount=None, status="undisclosed"), True),
        (rnd(amount=10e6, currency="GBP"), rnd(amount=12.7e6, currency="USD"), True),
        (rnd(when=D0), rnd(when=D0 + timedelta(days=45)), True),
        (rnd(when=D0), rnd(when=D0 + timedelta(days=46)), False),
        (rnd(when=None), rnd(when=D0 + timedelta(days=400)), True),
        (rnd(company=None), rnd(company=None), False),
    ],
)
def test_compatibility_rule(a, b, same):
    merged = cluster_mentions([m("1", a), m("2", b)])
    assert len(merged) == (1 if same else 2)


def test_published_date_is_used_when_round_has_no_date():
    a = m("1", rnd(when=None), published=D0)
    b = m("2", rnd(when=None), published=D0 + timedelta(days=200))
    assert len(cluster_mentions([a, b])) == 2


def test_chain_through_untyped_mention_is_split_by_type():
    mentions = [
        m("a", rnd(round_type="series_a", amount=None, status="undisclosed", when=D0)),
        m("u", rnd(round_type="series_unknown", amount=None, status="undisclosed",
                   when=D0 + timedelta(days=20))),
        m("b", rnd(round_type="series_b", amount=None, status="undisclosed",
                   when=D0 + timedelta(days=30))),
    ]
    merged = cluster_mentions(mentions)
    assert groups(merged) == [("a",), ("b", "u")]  # "u" joins the nearer date
    assert sorted(x.round_type for x in merged) == ["series_a", "series_b"]


# --------------------------------------------------------------------------- merged values
def test_merged_values_come_from_the_mentions():
    mentions = [
        m("1", rnd(amount=42e6, leads=["Ridgeline"], investors=["Greystone"], when=D0,
                   label="Series B", unconfirmed=True)),
        m("2", rnd(amount=42e6, leads=["Ridgeline"], investors=["SV Angel"],
                   when=D0 + timedelta(days=1), label="Series B funding")),
        m("3", rnd(amount=40e6, status="approximate", leads=["Ridgeline", "Greystone"],
                   when=D0 - timedelta(days=2), valuation=400e6, label="Series B")),
        m("4", rnd(company="Acme, Inc.", round_type="series_unknown", amount=None,
                   status="undisclosed", when=D0)),
    ]
    [r] = cluster_mentions(mentions)
    assert r.mention_ids == ["1", "2", "3", "4"]
    assert (r.company, r.company_key, r.round_type, r.round_label) == (
        "Acme", "acme", "series_b", "Series B")
    assert (r.amount, r.currency, r.amount_status) == (42e6, "USD", "exact")
    assert r.amount_usd == pytest.approx(42e6)
    assert r.lead_investors == ["Ridgeline"]  # Greystone led in 1 of 3 reports only
    assert r.investors == ["Greystone", "SV Angel"]
    assert r.valuation == 400e6
    assert r.announced_on == D0 - timedelta(days=2)
    assert r.unconfirmed is False  # confirmed by at least one mention


def test_most_frequent_exact_amount_wins_over_approximate_ones():
    mentions = [m("1", rnd(amount=100e6, status="approximate")),
                m("2", rnd(amount=100e6, status="approximate")),
                m("3", rnd(amount=105e6))]
    [r] = cluster_mentions(mentions)
    assert (r.amount, r.amount_status) == (105e6, "exact")


def test_nothing_is_invented():
    [r] = cluster_mentions([m("1", rnd(amount=None, status="undisclosed", round_type="seed"))])
    assert (r.amount, r.currency, r.amount_usd, r.valuation) == (None, None, None, None)
    assert (r.lead_investors, r.investors) == ([], [])


def test_all_unconfirmed_stays_unconfirmed():
    [r] = cluster_mentions([m("1", rnd(unconfirmed=True)), m("2", rnd(unconfirmed=True))])
    assert r.unconfirmed is True


# --------------------------------------------------------------------------- stability
def _sample():
    out = []
    for i, (co, rt, amt, day) in enumerate([
        ("Acme", "series_b", 40e6, 0), ("Acme Inc.", "series_unknown", 41e6, 3),
        ("Acme", "series_b", None, 10), ("Acme", "series_c", 120e6, 200),
        ("Beta AI", "seed", 5e6, 1), ("Beta", "seed", 5.2e6, 30), ("Beta", "seed", 5e6, 400),
        ("Gamma", "undisclosed", None, 50),
    ]):
        out.append(m(f"m{i}", rnd(company=co, round_type=rt, amount=amt,
                                  status="exact" if amt else "undisclosed",
                                  when=D0 + timedelta(days=day))))
    return out


def test_deterministic_and_order_independent():
    mentions = _sample()
    expected = cluster_mentions(mentions)
    rng = random.Random(7)
    for _ in range(20):
        shuffled = mentions[:]
        rng.shuffle(shuffled)
        assert cluster_mentions(shuffled) == expected
    assert groups(expected) == [("m0", "m1", "m2"), ("m3",), ("m4", "m5"), ("m6",), ("m7",)]


def test_idempotent_and_duplicate_ids_count_once():
    mentions = _sample()
    once = cluster_mentions(mentions)
    assert cluster_mentions(mentions + mentions) == once


def test_adding_mentions_never_duplicates_a_round():
    mentions = _sample()
    before = cluster_mentions(mentions)
    extra = [m("n1", rnd(company="ACME", round_type="series_b", amount=40.5e6,
                         when=D0 + timedelta(days=5))),
             m("n2", rnd(company="Beta", round_type="seed", amount=5.1e6,
                         when=D0 + timedelta(days=15)))]
    after = cluster_mentions(mentions + extra)
    assert len(after) == len(before)
    by_first = {r.mention_ids[0]: r.mention_ids for r in after}
    assert "n1" in by_first["m0"] and "n2" in by_first["m4"]
