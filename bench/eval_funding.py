"""Measure relevance and round extraction on the hand-labelled development set.

Run from the repository root::

    python bench/eval_funding.py                 # metrics table
    python bench/eval_funding.py -v              # plus every mismatch
    python bench/eval_funding.py path/to/set.jsonl
    python bench/eval_funding.py --real ../shared/realworld/funding-dev            # real news
    python bench/eval_funding.py --real ../shared/realworld/funding-dev --half holdout -q

``--real DIR`` scores a folder of real articles with hand labels (``labels.jsonl``,
``index.jsonl`` and the texts, as in ``shared/realworld/funding-dev``): the metrics of
issue 10, per field, and the articles each field got wrong (``-q`` leaves them out).
``--half tune|holdout`` keeps one of two fixed halves of the set, chosen by a hash of
each file name, so that rules can be tuned on one half and measured on the other.

Metrics
    * precision / recall / F1 of ``is_funding`` and ``is_ai`` (from ``classify``);
    * accuracy of ``unconfirmed`` on the articles that are funding news;
    * per-field accuracy over the gold rounds of funding articles -- each gold round is
      matched to the predicted round of the same company (else the same position);
      a missing prediction counts as wrong: company (``company_key`` equality), amount
      (within 1%), currency, round type, lead investors (set equality of normalised
      names) and valuation (within 1%, or both absent);
    * share of non-funding articles for which no round is extracted;
    * mean CPU milliseconds per article for ``classify`` + ``extract_rounds``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from analysis._signals import analyse  # noqa: E402
from analysis.merge import company_key, investor_key  # noqa: E402
from analysis.relevance import classify  # noqa: E402
from analysis.rounds import extract_rounds  # noqa: E402

DEFAULT_PATH = ROOT / "tests" / "devset" / "articles.jsonl"
FIELDS = ("company", "amount", "currency", "round_type", "lead_investors", "valuation")


def load(path: str | Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _prf(pairs: list[tuple[bool, bool]]) -> dict[str, float]:
    tp = sum(1 for g, p in pairs if g and p)
    fp = sum(1 for g, p in pairs if p and not g)
    fn = sum(1 for g, p in pairs if g and not p)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


def _close(a: float | None, b: float | None, tol: float = 0.01) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= tol * max(abs(a), abs(b))


def _field_ok(name: str, gold: dict, pred) -> bool:
    if pred is None:
        return False
    if name == "company":
        return company_key(gold["company"]) == company_key(pred.company)
    if name == "amount":
        return _close(gold["amount"], pred.amount)
    if name == "currency":
        return gold["currency"] == pred.currency
    if name == "round_type":
        return gold["round_type"] == pred.round_type
    if name == "lead_investors":
        return ({investor_key(n) for n in gold["lead_investors"]}
                == {investor_key(n) for n in pred.lead_investors})
    if name == "valuation":
        return _close(gold.get("valuation"), pred.valuation)
    raise KeyError(name)


def _match(gold_rounds: list[dict], predicted: list) -> list:
    """Pair each gold round with a predicted one (same company and type, else position)."""
    free = list(predicted)
    out = []
    for i, g in enumerate(gold_rounds):
        key = company_key(g["company"])
        pick = next((p for p in free if company_key(p.company) == key
                     and p.round_type == g["round_type"]), None)
        pick = pick or next((p for p in free if company_key(p.company) == key), None)
        if pick is None and free and i < len(predicted) and predicted[i] in free:
            pick = predicted[i]
        if pick is None and free:
            pick = free[0]
        if pick is not None:
            free.remove(pick)
        out.append(pick)
    return out


def _published(article: dict) -> date | None:
    p = article.get("published")
    return date.fromisoformat(p) if p else None


def _time_per_article(articles: list[dict], repeat: int) -> float:
    """Mean CPU time of classify + extract_rounds, with the analysis cache cleared.

    CPU time of this process (``time.process_time``), best of ``repeat`` runs, so that a
    busy machine does not inflate the figure.
    """
    best = float("inf")
    for _ in range(repeat):
        analyse.cache_clear()
        t0 = time.process_time()
        for a in articles:
            published = _published(a)
            rel = classify(a["title"], a["text"], published)
            extract_rounds(a["title"], a["text"], published, relevance=rel)
            analyse.cache_clear()
        best = min(best, time.process_time() - t0)
    return 1000.0 * best / max(len(articles), 1)


def evaluate(path: str | Path = DEFAULT_PATH, repeat: int = 3) -> dict:
    """Run the evaluation and return all metrics (see the module docstring)."""
    articles = load(path)
    funding_pairs, ai_pairs = [], []
    unconfirmed_hits = unconfirmed_total = 0
    field_hits = dict.fromkeys(FIELDS, 0)
    n_gold_rounds = 0
    negatives = negatives_clean = 0
    mismatches: list[str] = []
    for art in articles:
        labels = art["labels"]
        published = _published(art)
        rel = classify(art["title"], art["text"], published)
        rounds = extract_rounds(art["title"], art["text"], published, relevance=rel)
        funding_pairs.append((labels["is_funding"], rel.is_funding))
        ai_pairs.append((labels["is_ai"], rel.is_ai))
        for name, gold, got in (("is_funding", labels["is_funding"], rel.is_funding),
                                ("is_ai", labels["is_ai"], rel.is_ai)):
            if gold != got:
                mismatches.append(f"{art['id']}: {name} gold={gold} got={got} {rel.reasons}")
        if not labels["is_funding"]:
            negatives += 1
            negatives_clean += not rounds
            continue
        unconfirmed_total += 1
        if labels["unconfirmed"] == rel.unconfirmed:
            unconfirmed_hits += 1
        elif rel.is_funding:
            mismatches.append(f"{art['id']}: unconfirmed gold={labels['unconfirmed']} "
                              f"got={rel.unconfirmed}")
        for gold, pred in zip(labels["rounds"], _match(labels["rounds"], rounds), strict=True):
            n_gold_rounds += 1
            for f in FIELDS:
                ok = _field_ok(f, gold, pred)
                field_hits[f] += ok
                if not ok:
                    got = getattr(pred, f) if pred is not None else "<no round>"
                    mismatches.append(f"{art['id']}: {f} gold={gold.get(f)!r} got={got!r}")
    return {
        "articles": len(articles),
        "gold_rounds": n_gold_rounds,
        "is_funding": _prf(funding_pairs),
        "is_ai": _prf(ai_pairs),
        "unconfirmed_accuracy": unconfirmed_hits / max(unconfirmed_total, 1),
        "fields": {f: field_hits[f] / max(n_gold_rounds, 1) for f in FIELDS},
        "negatives_without_rounds": negatives_clean / max(negatives, 1),
        "ms_per_article": _time_per_article(articles, repeat),
        "mismatches": mismatches,
    }


def format_report(m: dict) -> str:
    lines = [f"articles: {m['articles']}   gold rounds: {m['gold_rounds']}", "",
             f"{'metric':<28}{'precision':>10}{'recall':>10}{'F1':>10}"]
    for key in ("is_funding", "is_ai"):
        p = m[key]
        lines.append(f"{key:<28}{p['precision']:>10.3f}{p['recall']:>10.3f}{p['f1']:>10.3f}")
    lines += ["", f"{'field accuracy':<28}{'':>10}{'':>10}{'acc':>10}"]
    for f, v in m["fields"].items():
        lines.append(f"{f:<28}{'':>20}{v:>10.3f}")
    lines += [
        f"{'unconfirmed (funding arts)':<28}{'':>20}{m['unconfirmed_accuracy']:>10.3f}",
        f"{'negatives without rounds':<28}{'':>20}{m['negatives_without_rounds']:>10.3f}",
        "", f"mean time per article (classify + extract_rounds): {m['ms_per_article']:.2f} ms",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default=str(DEFAULT_PATH))
    parser.add_argument("-v", "--verbose", action="store_true", help="print every mismatch")
    parser.add_argument("--real", metavar="DIR", help="a folder of real labelled articles")
    parser.add_argument("--half", choices=("all", "tune", "holdout"), default="all",
                        help="with --real: one of the two fixed halves of the set")
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="with --real: the scores only, not the articles got wrong")
    args = parser.parse_args(argv)
    if args.real:
        from bench.eval_real import evaluate_real, format_real

        print(format_real(evaluate_real(args.real, args.half), errors=not args.quiet))
        return 0
    metrics = evaluate(args.path)
    print(format_report(metrics))
    if args.verbose and metrics["mismatches"]:
        print("\nmismatches:")
        print("\n".join("  " + x for x in metrics["mismatches"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
