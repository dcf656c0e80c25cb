"""Pure-Python analysis of funding news: relevance, money, rounds, FX and merging.

Public API::

    from analysis import classify, extract_rounds, find_money, to_usd
    from analysis import company_key, cluster_mentions, Mention

Everything here is a pure function of its inputs (no I/O besides reading the bundled
FX table once), uses only the standard library and is fast enough to run inline in
the crawler pipeline (well under 5 ms per article).
"""

from .fx import to_usd
from .merge import Mention, MergedRound, cluster_mentions, company_key
from .money import Money, find_money, parse_money
from .relevance import Relevance, classify
from .rounds import ROUND_TYPES, Evidence, Round, extract_rounds

__all__ = [
    "Money", "find_money", "parse_money", "to_usd", "Relevance", "classify", "Round",
    "Evidence", "ROUND_TYPES", "extract_rounds", "Mention", "MergedRound",
    "cluster_mentions", "company_key",
]
