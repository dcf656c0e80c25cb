"""Score the probe articles: short texts in our own words, written after the rules.

Each batch in ``bench/probes/*.jsonl`` was written by someone who had not read the rules
(one line per article: ``title``, ``text`` and ``gold`` with the labels' conventions of
``shared/realworld/funding-dev``: ``is_funding``, ``is_ai``, ``company``, ``amount``,
``currency``, ``round``, ``leads``, ``investors``, ``valuation``; a field left out is not
scored). The first score of a batch, taken before any rule was changed for it, is an
honest estimate for text the rules have not seen; README keeps it. Rules fixed afterwards
make the batch *seen*, like the dev set.

    python bench/eval_probes.py                  # every batch, its failures
    python bench/eval_probes.py bench/probes/b.jsonl -q
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from analysis.merge import company_key  # noqa: E402
from analysis.relevance import classify  # noqa: E402
from analysis.rounds import extract_rounds  # noqa: E402
from bench.eval_real import (  # noqa: E402
    ROUND_VOCABULARY, _close, _names, format_real, score_articles)

PROBES = ROOT / "bench" / "probes"


def wrong_fields(probe: dict) -> list[str]:
    """What the rules got wrong on one probe, as ``field got`` strings (``[]``: all right)."""
    g = probe["gold"]
    rel = classify(probe["title"], probe["text"])
    errs = []
    if rel.is_funding != g["is_funding"]:
        errs.append(f"is_funding {rel.is_funding}")
    if "is_ai" in g and g["is_funding"] and rel.is_ai != g["is_ai"]:
        errs.append(f"is_ai {rel.is_ai}")
    if not g["is_funding"]:
        return errs
    rounds = extract_rounds(probe["title"], probe["text"], relevance=rel)
    key = company_key(g["company"])
    r = next((x for x in rounds if company_key(x.company) == key), rounds[0] if rounds else None)
    if r is None:
        return errs + ["no round"]
    checks = {
        "company": company_key(r.company) == key,
        "amount": _close(r.amount, g.get("amount")),
        "currency": r.currency == g.get("currency"),
        "round": ROUND_VOCABULARY.get(r.round_type, r.round_type) == g.get("round"),
        "leads": _names(r.lead_investors) == _names(g.get("leads")),
        "investors": _names(r.investors) == _names(g.get("investors")),
        "valuation": _close(r.valuation, g.get("valuation")),
    }
    got = {"company": r.company, "amount": r.amount, "currency": r.currency,
           "round": r.round_type, "leads": r.lead_investors, "investors": r.investors,
           "valuation": r.valuation}
    return errs + [f"{f} {got[f]!r}" for f, ok in checks.items()
                   if not ok and (f == "company" or f in g)]


FIELDS = ("is_funding", "is_ai", "company", "amount", "currency", "round", "leads", "investors",
          "valuation")


def field_scores(probes: list[dict], wrong: dict[str, list[str]]) -> dict[str, tuple[int, int]]:
    """field -> (right, scored): a field counts where the gold has it (company, amount and the
    rest on funding stories only; a missed story is wrong in all of them)."""
    scores = {}
    for field in FIELDS:
        scored = [p for p in probes if field in p["gold"]
                  and (field in ("is_funding",) or p["gold"]["is_funding"])]
        right = sum(1 for p in scored if not any(
            e.split()[0] in (field, "no") or (e.startswith("is_funding") and field != "is_ai")
            for e in wrong.get(p["title"], [])))
        scores[field] = (right, len(scored))
    return scores


_LABEL_KEYS = {"is_ai": "is_ai", "company": "company", "amount": "amount",
               "currency": "currency", "round": "round", "leads": "lead_investors",
               "investors": "other_investors"}


def as_labelled(probes: list[dict], name: str) -> list[dict]:
    """Probes in the real set's label format, for ``eval_real``'s table (issue 10's
    measures: precision/recall, F1 of the investors)."""
    out = []
    for i, p in enumerate(probes):
        g = p["gold"]
        label = {"is_funding_news": g["is_funding"], "is_ai": g.get("is_ai", False)}
        label |= {key: g[field] for field, key in _LABEL_KEYS.items() if field in g}
        if ("lead_investors" in label) != ("other_investors" in label):
            label.pop("lead_investors", None)  # all investors are scored as one set
            label.pop("other_investors", None)
        out.append({"file": f"{name}#{i + 1}", "title": p["title"], "text": p["text"],
                    "published": None, "label": label})
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", help="probe batches (default: bench/probes/*.jsonl)")
    parser.add_argument("-q", "--quiet", action="store_true", help="the counts only")
    parser.add_argument("--table", action="store_true",
                        help="issue 10's table (as for the real set) over the given batches")
    args = parser.parse_args(argv)
    files = [Path(f) for f in args.files] or sorted(PROBES.glob("*.jsonl"))
    batches = {path: [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
                      if line.strip()] for path in files}
    if args.table:
        articles = [a for path, probes in batches.items() for a in as_labelled(probes, path.stem)]
        m = score_articles(articles) | {"name": " + ".join(p.stem for p in files)}
        print(format_real(m, errors=not args.quiet))
        return 0
    for path, probes in batches.items():
        wrong = [(p["title"], errs) for p in probes if (errs := wrong_fields(p))]
        print(f"{path.name}: {len(probes) - len(wrong)}/{len(probes)} probes right in every field")
        print("  " + ", ".join(f"{field} {right}/{total}" for field, (right, total)
                               in field_scores(probes, dict(wrong)).items()))
        if not args.quiet:
            for title, errs in wrong:
                print(f"  {title[:70]}: {'; '.join(errs)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
