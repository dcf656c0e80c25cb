"""Merge round mentions from many articles into one record per funding event.

Rule
----
Two mentions are *compatible* when all of these hold:

* same ``company_key`` (non-empty);
* compatible round types: equal, or one of them is ``series_unknown``/``undisclosed``;
* amounts within ``AMOUNT_TOLERANCE`` (15%) of the larger one, compared in USD
  (``amount_usd``, else converted with ``fx.to_usd``), or at least one amount missing;
* dates (``round.announced_on``, else the mention's ``published``) at most
  ``DATE_WINDOW_DAYS`` (45) apart, or at least one date missing.

Clusters are the connected components of the compatibility graph.  Because components
do not depend on input order, clustering is deterministic and idempotent, and adding
mentions can only grow or join existing clusters -- a new article about a known round
never creates a second round.  One guard against chaining: if a component contains
several *specific* round types (e.g. a Series A and a Series B linked through a
"series_unknown" mention), it is split by type and each untyped mention joins the
compatible group with the nearest date.

Merged values are taken from the mentions, never invented:

* names: one per company and per investor across all the mentions given (the corpus):
  the alias table's canonical name (``aliases.py``; "a16z" is "Andreessen Horowitz"),
  else the most frequent spelling of the key (ties: longest, then alphabetical);
* company: that name for the cluster's company key;
* round type: most frequent specific type, else ``series_unknown``, else ``undisclosed``;
  the label is the most frequent label of that type;
* amount: most frequent *exact* amount (ties: the most precise figure, then the
  earliest mention), else the most frequent approximate one; currency goes with it;
* valuation: most frequent reported valuation;
* lead investors: names reported as lead by at least half of the mentions that name
  any lead; investors: union of all other investors (and of minority leads);
* announced_on: earliest date; unconfirmed: only if every mention is unconfirmed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from ._names import company_norm, investor_norm
from .aliases import alias_rows, user_alias_files
from .fx import to_usd
from .rounds import Round

__all__ = ["company_key", "investor_key", "canonical_company", "canonical_investor", "Mention",
           "MergedRound", "cluster_mentions", "compatible", "AMOUNT_TOLERANCE",
           "DATE_WINDOW_DAYS"]

AMOUNT_TOLERANCE = 0.15
DATE_WINDOW_DAYS = 45
_UNTYPED = {"series_unknown", "undisclosed"}

_NORMS = {"company": company_norm, "investor": investor_norm}


@lru_cache(maxsize=4)
def _alias_tables(user_files: tuple[str, ...]) -> dict[str, dict[str, tuple[str, str]]]:
    """Per kind: normalised name -> (canonical name, its key), chains of aliases followed."""
    tables = {}
    for kind, norm in _NORMS.items():
        target: dict[str, str] = {}
        for row_kind, canonical, alias in alias_rows(user_files):
            if row_kind in (kind, "both"):
                target.setdefault(norm(canonical), canonical)
                target[norm(alias)] = canonical
        resolved = {}
        for key, canonical in target.items():
            seen = {key}
            while (k := norm(canonical)) not in seen and target.get(k, canonical) != canonical:
                seen.add(k)  # a -> b -> c is a -> c; a cycle stops where it closes
                canonical = target[k]
            resolved[key] = (canonical, norm(canonical))
        tables[kind] = resolved
    return tables


def _canonical(kind: str, name: str | None) -> tuple[str | None, str]:
    """(name as the corpus spells it, key): the alias table's canonical name if listed."""
    if not name:
        return name, ""
    key = _NORMS[kind](name)
    return _alias_tables(user_alias_files())[kind].get(key, (name, key))


def company_key(name: str | None) -> str:
    """Normalise a company name for matching, after the alias table (``aliases.py``).

    Lower-cases, strips accents, punctuation, a leading "the", domain endings and legal
    suffixes (Inc, Ltd, GmbH, SAS, Corp, ... and a trailing "AI"), then removes spaces.
    A suffix is never removed when it is the whole name. An alias gets its canonical
    name's key.

    >>> [company_key(n) for n in ("Mistral AI", "The Acme Co., Inc.", "AI", "Character.AI")]
    ['mistral', 'acme', 'ai', 'character']
    >>> company_key("DeepMind") == company_key("Google DeepMind")
    True
    >>> company_key("Byju’s") == company_key("Byju")
    True
    """
    return _canonical("company", name)[1]


def investor_key(name: str | None) -> str:
    """Normalise an investor name (as ``company_key``, but keeps a trailing "AI").

    >>> investor_key("a16z") == investor_key("Andreessen Horowitz")
    True
    """
    return _canonical("investor", name)[1]


def canonical_company(name: str | None) -> str | None:
    """The alias table's canonical name for a company, else ``name`` itself."""
    return _canonical("company", name)[0]


def canonical_investor(name: str | None) -> str | None:
    """The alias table's canonical name for an investor, else ``name`` itself."""
    return _canonical("investor", name)[0]


class Mention(NamedTuple):
    """One round as reported by one article."""

    mention_id: str
    article_id: str
    published: date | None
    round: Round


@dataclass(slots=True)
class MergedRound(Round):
    """One funding event: a ``Round`` whose values are merged from its mentions."""

    company_key: str = ""
    mention_ids: list[str] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- compatibility
def _date(m: Mention) -> date | None:
    return m.round.announced_on or m.published


def _usd(m: Mention) -> float | None:
    r = m.round
    if r.amount is None or r.amount_status == "undisclosed":
        return None
    return r.amount_usd if r.amount_usd is not None else to_usd(r.amount, r.currency, _date(m))


def _types_ok(a: str, b: str) -> bool:
    return a == b or a in _UNTYPED or b in _UNTYPED


def compatible(a: Mention, b: Mention) -> bool:
    """True if two mentions can describe the same round (see the module docstring)."""
    ka = company_key(a.round.company)
    if not ka or ka != company_key(b.round.company):
        return False
    if not _types_ok(a.round.round_type, b.round.round_type):
        return False
    ua, ub = _usd(a), _usd(b)
    if ua is not None and ub is not None and abs(ua - ub) > AMOUNT_TOLERANCE * max(ua, ub):
        return False
    da, db = _date(a), _date(b)
    return da is None or db is None or abs((da - db).days) <= DATE_WINDOW_DAYS


def _sort_key(m: Mention) -> tuple:
    d = _date(m)
    return (d is None, d or date.min, m.mention_id)


def _components(mentions: list[Mention]) -> list[list[Mention]]:
    parent = list(range(len(mentions)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_key: dict[str, list[int]] = {}
    for i, m in enumerate(mentions):
        by_key.setdefault(company_key(m.round.company), []).append(i)
    for key, idx in by_key.items():
        if not key:
            continue
        for x, i in enumerate(idx):
            for j in idx[x + 1 :]:
                if compatible(mentions[i], mentions[j]):
                    parent[find(j)] = find(i)
    groups: dict[int, list[Mention]] = {}
    for i, m in enumerate(mentions):
        groups.setdefault(find(i), []).append(m)
    return [sorted(g, key=_sort_key) for g in groups.values()]


def _split_by_type(group: list[Mention]) -> list[list[Mention]]:
    specific = sorted({m.round.round_type for m in group} - _UNTYPED)
    if len(specific) <= 1:
        return [group]
    parts: dict[str, list[Mention]] = {t: [m for m in group if m.round.round_type == t]
                                       for t in specific}
    for m in group:
        if m.round.round_type not in _UNTYPED:
            continue
        options = []
        for t, members in parts.items():
            if any(compatible(m, o) for o in members if o.round.round_type == t):
                gap = min(abs(((_date(m) or date.min) - (_date(o) or date.min)).days)
                          for o in members)
                options.append((gap, t))
        target = min(options)[1] if options else specific[0]
        parts[target].append(m)
    return [sorted(p, key=_sort_key) for p in parts.values()]


# --------------------------------------------------------------------------- merging
def _most_common(values: list, tiebreak=lambda v: ()) -> object | None:
    values = [v for v in values if v is not None]
    if not values:
        return None
    counts = Counter(values)
    first_seen = {v: i for i, v in reversed(list(enumerate(values)))}
    return min(counts, key=lambda v: (-counts[v], tiebreak(v), first_seen[v]))


def _precision(amount: float) -> int:
    """More significant digits = more precise figure ("$42.5M" beats "$42M")."""
    return -len(f"{amount:.6g}".rstrip("0").rstrip(".").replace(".", "").lstrip("0"))


def _merge_amount(group: list[Mention]) -> tuple[float | None, str | None, str]:
    for statuses in (("exact",), ("approximate", "more_than", "up_to")):
        vals = [(round(m.round.amount, 2), m.round.currency) for m in group
                if m.round.amount is not None and m.round.amount_status in statuses]
        if vals:
            amount, currency = _most_common(vals, lambda v: (_precision(v[0]),))
            status = next(m.round.amount_status for m in group
                          if m.round.amount is not None and round(m.round.amount, 2) == amount
                          and m.round.currency == currency)
            return amount, currency, status
    return None, None, "undisclosed"


class _Names(NamedTuple):
    """Key -> the one name the corpus uses for it, per kind."""

    company: dict[str, str]
    investor: dict[str, str]


def _corpus_names(mentions: list[Mention]) -> _Names:
    """The alias table's canonical name, else the most frequent spelling (ties: longest,
    then alphabetical), so that a company or investor has one name in every round."""
    spellings: dict[str, dict[str, list[str]]] = {"company": {}, "investor": {}}
    for m in mentions:
        named = [("company", m.round.company)] + [
            ("investor", n) for n in [*m.round.lead_investors, *m.round.investors]]
        for kind, raw in named:
            name, key = _canonical(kind, raw)
            if key:
                spellings[kind].setdefault(key, []).append(name)
    return _Names(**{kind: {k: _most_common(v, lambda n: (-len(n), n)) for k, v in keys.items()}
                     for kind, keys in spellings.items()})


def _merge_investors(group: list[Mention], names: _Names) -> tuple[list[str], list[str]]:
    reporting = [m for m in group if m.round.lead_investors]
    lead_counts: Counter[str] = Counter()
    order: dict[str, None] = {}
    for m in group:
        for name in [*m.round.lead_investors, *m.round.investors]:
            if k := investor_key(name):
                order.setdefault(k)
    for m in reporting:
        for k in {investor_key(n) for n in m.round.lead_investors}:
            lead_counts[k] += 1
    leads = [k for k in order if lead_counts[k] and 2 * lead_counts[k] >= len(reporting)]
    others = [k for k in order if k not in leads]
    return [names.investor[k] for k in leads], [names.investor[k] for k in others]


def _merge(group: list[Mention], names: _Names) -> MergedRound:
    rounds = [m.round for m in group]
    company = _most_common([r.company for r in rounds], lambda v: (-len(v), v))
    company = names.company.get(company_key(company), company)
    specific = [r.round_type for r in rounds if r.round_type not in _UNTYPED]
    if specific:
        rtype = _most_common(specific)
    else:
        rtype = "series_unknown" if any(r.round_type == "series_unknown" for r in rounds) \
            else "undisclosed"
    label = _most_common([r.round_label for r in rounds if r.round_type == rtype],
                         lambda v: (-len(v),))
    amount, currency, status = _merge_amount(group)
    dates = [d for d in (_date(m) for m in group) if d is not None]
    when = min(dates) if dates else None
    vals = [(r.valuation, r.valuation_currency) for r in rounds if r.valuation is not None]
    valuation, vcur = _most_common(vals) or (None, None)
    basis = next((r.valuation_basis for r in rounds
                  if (r.valuation, r.valuation_currency) == (valuation, vcur)), None)
    leads, investors = _merge_investors(group, names)
    return MergedRound(
        company=company,
        company_key=company_key(company),
        round_type=rtype,
        round_label=label,
        amount=amount,
        currency=currency,
        amount_usd=to_usd(amount, currency, when),
        amount_status=status,
        valuation=valuation,
        valuation_currency=vcur,
        valuation_usd=to_usd(valuation, vcur, when),
        valuation_basis=basis,
        lead_investors=leads,
        investors=investors,
        announced_on=when,
        unconfirmed=all(r.unconfirmed for r in rounds),
        mention_ids=sorted(m.mention_id for m in group),
        article_ids=sorted({m.article_id for m in group}),
    )


def cluster_mentions(mentions: list[Mention]) -> list[MergedRound]:
    """Group mentions of the same funding event and merge their values.

    The output is sorted by (announced_on, company_key, round_type, first mention id)
    and does not depend on the order of ``mentions``.  A mention id given twice is
    counted once (its first occurrence is used).
    """
    unique: dict[str, Mention] = {}
    for m in mentions:
        unique.setdefault(m.mention_id, m)
    ordered = sorted(unique.values(), key=_sort_key)
    groups = [part for comp in _components(ordered) for part in _split_by_type(comp)]
    names = _corpus_names(ordered)
    merged = [_merge(g, names) for g in groups]
    merged.sort(key=lambda r: (r.announced_on is None, r.announced_on or date.min,
                               r.company_key, r.round_type, r.mention_ids[0]))
    return merged
