"""Convert amounts to US dollars with the bundled, approximate rate table.

The table (``fx_usd.csv`` next to this module) holds one row of *units per USD*
per date; see the header comment of the CSV for dates, origin and accuracy.
``to_usd`` uses the nearest row dated on or before ``on``; dates before the first
row use the first row, and ``on=None`` uses the latest row.

>>> round(to_usd(10_000_000, "GBP", date(2024, 6, 1)))
12771392
"""

from __future__ import annotations

import bisect
import csv
from datetime import date
from functools import lru_cache
from pathlib import Path

__all__ = ["to_usd", "rate", "supported_currencies", "RATES_PATH"]

RATES_PATH = Path(__file__).with_name("fx_usd.csv")


@lru_cache(maxsize=1)
def _table() -> tuple[list[date], dict[str, list[float]]]:
    with RATES_PATH.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    rows.sort(key=lambda r: r["date"])
    dates = [date.fromisoformat(r["date"]) for r in rows]
    columns = {cur: [float(r[cur]) for r in rows] for cur in rows[0] if cur != "date"}
    return dates, columns


def supported_currencies() -> list[str]:
    """ISO codes the table covers, sorted."""
    return sorted(_table()[1])


def rate(currency: str, on: date | None = None) -> float | None:
    """Units of ``currency`` per 1 USD on ``on`` (``None`` if the currency is unknown)."""
    dates, columns = _table()
    column = columns.get((currency or "").upper())
    if column is None:
        return None
    if on is None:
        return column[-1]
    i = bisect.bisect_right(dates, on) - 1
    return column[max(i, 0)]


def to_usd(amount: float | None, currency: str | None, on: date | None = None) -> float | None:
    """Convert ``amount`` of ``currency`` to USD using the nearest earlier rate.

    Returns ``None`` when the amount or currency is missing or the currency is unknown.
    """
    if amount is None or not currency:
        return None
    r = rate(currency, on)
    if r is None or r <= 0:
        return None
    return amount / r
