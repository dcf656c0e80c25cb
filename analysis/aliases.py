"""The alias table: one canonical name per company and per investor.

``aliases.csv`` next to this module ships with the project; a user adds rows, or
overrides shipped ones, in a file of the same format named by the ``FUNDNEWS_ALIASES``
environment variable (several files: separated by ``os.pathsep``)::

    kind,canonical,alias
    investor,Andreessen Horowitz,a16z
    both,Nvidia,NVIDIA Corporation

``kind`` is ``company``, ``investor`` or ``both``; lines starting with ``#`` are comments.
A later row wins over an earlier one for the same alias, and user files come after the
shipped one. A bad row or a missing file is logged and skipped, never fatal.
The merge step (``merge.py``) reads the rows, matching aliases after its normalisation.
"""

from __future__ import annotations

import csv
import logging
import os
from pathlib import Path

__all__ = ["ALIASES_PATH", "ENV", "KINDS", "alias_rows", "user_alias_files"]

log = logging.getLogger(__name__)

ALIASES_PATH = Path(__file__).with_name("aliases.csv")
ENV = "FUNDNEWS_ALIASES"
KINDS = ("company", "investor", "both")


def user_alias_files() -> tuple[str, ...]:
    """The user's alias files, from ``FUNDNEWS_ALIASES``."""
    return tuple(p for p in os.environ.get(ENV, "").split(os.pathsep) if p.strip())


def alias_rows(user_files: tuple[str, ...] = ()) -> list[tuple[str, str, str]]:
    """(kind, canonical, alias) rows of the shipped table, then of each user file."""
    rows = []
    for path in (ALIASES_PATH, *user_files):
        try:
            rows += _read(Path(path))
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            log.warning("alias file %s skipped: %s", path, exc)
    return rows


def _read(path: Path) -> list[tuple[str, str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        lines = [(n, line) for n, line in enumerate(fh, 1)
                 if line.strip() and not line.lstrip().startswith("#")]
    rows, bad = [], []
    for n, line in lines:
        fields = next(csv.reader([line]))
        kind, canonical, alias = ([f.strip() for f in fields] + ["", "", ""])[:3]
        if [kind, canonical, alias] == ["kind", "canonical", "alias"]:
            continue  # the header
        if len(fields) != 3 or kind.lower() not in KINDS or not canonical or not alias:
            bad.append(n)
            continue
        rows.append((kind.lower(), canonical, alias))
    if bad:
        log.warning("%s: %d bad alias rows skipped (lines %s); a row is kind,canonical,alias "
                    "with kind one of %s", path, len(bad), ", ".join(map(str, bad[:10])),
                    "/".join(KINDS))
    return rows
