"""Named SQL, kept in ``queries/*.sql`` (aiosql style) rather than in Python strings.

A file holds blocks that start with ``-- name: <name>``; ``views.sql`` holds the
analyst views, recreated after each migration.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path

import duckdb

QUERY_DIR = Path(__file__).parent / "queries"
_NAME_RE = re.compile(r"^--\s*name:\s*([a-z0-9_]+)\s*$", re.M)


@cache
def _all() -> dict[str, str]:
    found: dict[str, str] = {}
    for path in sorted(QUERY_DIR.glob("*.sql")):
        if path.name == "views.sql":
            continue
        text = path.read_text(encoding="utf-8")
        parts = _NAME_RE.split(text)
        for name, body in zip(parts[1::2], parts[2::2], strict=True):
            if name in found:
                raise ValueError(f"query {name!r} defined twice ({path.name})")
            found[name] = body.strip().rstrip(";")
    return found


def sql(name: str) -> str:
    """The SQL of the named query."""
    try:
        return _all()[name]
    except KeyError:
        raise KeyError(f"no query named {name!r} in {QUERY_DIR}") from None


def create_views_if_changed(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)create the views when views.sql differs from the version the corpus has."""
    text = (QUERY_DIR / "views.sql").read_text(encoding="utf-8")
    digest = hashlib.sha1(text.encode()).hexdigest()
    con.execute("CREATE TABLE IF NOT EXISTS schema_views (sha1 VARCHAR)")
    if con.execute("SELECT sha1 FROM schema_views").fetchone() == (digest,):
        return
    con.execute("BEGIN")
    con.execute(text)
    con.execute("DELETE FROM schema_views")
    con.execute("INSERT INTO schema_views VALUES (?)", [digest])
    con.execute("COMMIT")
