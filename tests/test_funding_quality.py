"""Quality gate: relevance and extraction metrics on the hand-labelled dev set.

``bench/eval_funding.py`` computes the metrics; this test fails when any of them drops
below its floor.  The floors sit just under what the extractor reaches (all metrics were
1.000 on 124 articles / 90 gold rounds when the floors were set), leaving room for about
one or two errors per metric -- tighten them when the extractor improves.

Note that the dev set is also the tuning set.  The numbers measured on batches of it
*before* tuning (see ``tests/devset/README.md``) are the honest estimate of quality on
unseen text.
"""

import importlib.util
import json
from pathlib import Path

import pytest

from analysis import fx
from analysis.rounds import ROUND_TYPES

ROOT = Path(__file__).resolve().parents[1]
DEVSET = ROOT / "tests" / "devset" / "articles.jsonl"

# Floors (reached: 1.000 for every metric; ~2 errors of slack on 124 articles / 90 rounds).
MIN_FUNDING_F1 = 0.97
MIN_FUNDING_PRECISION = 0.96
MIN_AI_F1 = 0.96
MIN_UNCONFIRMED_ACCURACY = 0.95
MIN_NEGATIVES_WITHOUT_ROUNDS = 0.95
MIN_FIELD_ACCURACY = {
    "company": 0.97,
    "amount": 0.97,
    "currency": 0.97,
    "round_type": 0.96,
    "lead_investors": 0.95,
    "valuation": 0.96,
}
MAX_MS_PER_ARTICLE = 5.0  # CPU time of classify + extract_rounds


def _load_eval():
    spec = importlib.util.spec_from_file_location("eval_funding",
                                                  ROOT / "bench" / "eval_funding.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def metrics():
    return _load_eval().evaluate(DEVSET)


def test_funding_classification(metrics):
    assert metrics["is_funding"]["f1"] >= MIN_FUNDING_F1, metrics["mismatches"]
    assert metrics["is_funding"]["precision"] >= MIN_FUNDING_PRECISION, metrics["mismatches"]


def test_ai_classification(metrics):
    assert metrics["is_ai"]["f1"] >= MIN_AI_F1, metrics["mismatches"]


def test_unconfirmed_and_negatives(metrics):
    assert metrics["unconfirmed_accuracy"] >= MIN_UNCONFIRMED_ACCURACY, metrics["mismatches"]
    assert metrics["negatives_without_rounds"] >= MIN_NEGATIVES_WITHOUT_ROUNDS


@pytest.mark.parametrize("field", sorted(MIN_FIELD_ACCURACY))
def test_field_accuracy(metrics, field):
    assert metrics["fields"][field] >= MIN_FIELD_ACCURACY[field], [
        x for x in metrics["mismatches"] if f": {field} " in x]


def test_speed(metrics):
    assert metrics["ms_per_article"] < MAX_MS_PER_ARTICLE


# --------------------------------------------------------------------------- the data itself
def _articles():
    with DEVSET.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def test_devset_is_large_enough_and_well_formed():
    arts = _articles()
    assert len(arts) >= 90
    assert len({a["id"] for a in arts}) == len(arts)
    currencies = set(fx.supported_currencies())
    for a in arts:
        assert set(a) == {"id", "title", "text", "published", "labels"}, a["id"]
        labels = a["labels"]
        assert set(labels) == {"is_ai", "is_funding", "unconfirmed", "rounds"}, a["id"]
        assert bool(labels["rounds"]) == labels["is_funding"], a["id"]
        assert not labels["unconfirmed"] or labels["is_funding"], a["id"]
        for r in labels["rounds"]:
            assert set(r) == {"company", "round_type", "amount", "currency",
                              "lead_investors", "valuation"}, a["id"]
            assert r["round_type"] in ROUND_TYPES, a["id"]
            assert r["currency"] is None or r["currency"] in currencies, a["id"]
            assert (r["amount"] is None) == (r["currency"] is None), a["id"]


def test_devset_covers_every_pattern():
    arts = _articles()
    text = "\n".join(a["title"] + "\n" + a["text"] for a in arts)
    for form in ("$6.6B", "US$ 20 bilhões", "€1,5 Mrd", "£10m", "Rs 100 crore", "₹", "¥10 billion",
                 "CA$", "C$30", "A$25m", "S$12", "HK$80", "CHF 20", "40 million dollars",
                 "$1.2bn", "$2.5M", "₩150", "SEK 200"):
        assert form in text, form
    funding = [a for a in arts if a["labels"]["is_funding"]]
    negatives = [a for a in arts if not a["labels"]["is_funding"]]
    assert sum(a["labels"]["unconfirmed"] for a in arts) >= 4
    assert sum(not a["labels"]["is_ai"] for a in funding) >= 10  # fintech, biotech, climate
    assert len(negatives) >= 30
    assert len({r["round_type"] for a in funding for r in a["labels"]["rounds"]}) >= 12
    assert sum(len(a["text"]) > 2500 for a in arts) >= 3  # some long press releases


MIN_PROBES_RIGHT = 0.85  # reached after fixes: 36/37, 18/20, 23/23, 55/60 (see README)


def test_the_probe_batches_stay_right():
    spec = importlib.util.spec_from_file_location("eval_probes", ROOT / "bench" / "eval_probes.py")
    probes = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(probes)
    batches = sorted((ROOT / "bench" / "probes").glob("*.jsonl"))
    assert len(batches) >= 4
    for batch in batches:
        items = [json.loads(line) for line in batch.read_text(encoding="utf-8").splitlines() if line]
        right = sum(not probes.wrong_fields(p) for p in items)
        assert right >= MIN_PROBES_RIGHT * len(items), (batch.name, right, len(items))
