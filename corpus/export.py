"""Datasets out of the corpus with DuckDB's COPY: Parquet, CSV or JSON lines."""

from __future__ import annotations

from pathlib import Path

import duckdb

from corpus.db import CorpusError, connection

EXPORT_FORMATS = {"parquet": "(FORMAT parquet, COMPRESSION zstd)", "csv": "(FORMAT csv, HEADER)",
                  "jsonl": "(FORMAT json)"}


def export(db: str, out: str | Path, fmt: str, query: str) -> int:
    """Write the rows of `query` to `out`; returns the number of rows written."""
    if fmt not in EXPORT_FORMATS:
        raise CorpusError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    out = Path(out)
    if not out.parent.exists():
        raise CorpusError(f"cannot write {out}: folder {out.parent} does not exist")
    target = str(out).replace("'", "''")
    with connection(db, read_only=True) as con:
        try:
            con.execute(f"COPY ({query}) TO '{target}' {EXPORT_FORMATS[fmt]}")
            return con.execute(f"SELECT count(*) FROM ({query})").fetchone()[0]
        except duckdb.Error as exc:
            raise CorpusError(f"export failed: {str(exc).splitlines()[0]}") from None
