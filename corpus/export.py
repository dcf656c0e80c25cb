"""Datasets out of the corpus with DuckDB's COPY: Parquet, CSV or JSON lines.

The output may not be the corpus, its WAL or anything in its archive, lock or spill
folders (symlinks and relative paths resolved), and the query runs on a locked-down
connection that can write the output file and nothing else.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from corpus.db import CorpusError, connection, lock_down, protected_paths
from corpus.progress import ticking

EXPORT_FORMATS = {"parquet": "(FORMAT parquet, COMPRESSION zstd)", "csv": "(FORMAT csv, HEADER)",
                  "jsonl": "(FORMAT json)"}


def export(db: str, out: str | Path, fmt: str, query: str) -> int:
    """Write the rows of `query` to `out`; returns the number of rows written."""
    if fmt not in EXPORT_FORMATS:
        raise CorpusError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    target = checked_output(db, out)
    quoted = str(target).replace("'", "''")
    with connection(db, read_only=True) as con:
        # COPY writes tmp_<name> first when the output exists, then renames it
        lock_down(con, writable=[str(target), str(target.with_name(f"tmp_{target.name}"))])
        try:
            _one_select(con, query)
            with ticking(f"export: writing {out}"):
                return con.execute(f"COPY ({query}\n) TO '{quoted}' {EXPORT_FORMATS[fmt]}").fetchone()[0]
        except duckdb.Error as exc:
            raise CorpusError(f"export failed: {str(exc).splitlines()[0]}") from None


def checked_output(db: str, out: str | Path) -> Path:
    """`out` resolved, if its folder exists and it is no part of the corpus `db`."""
    out = Path(out)
    if not out.parent.exists():
        raise CorpusError(f"cannot write {out}: folder {out.parent} does not exist")
    target = out.resolve()
    files, folders = protected_paths(db)
    if target in files or any(target == f or target.is_relative_to(f) for f in folders):
        raise CorpusError(f"refusing to write {out}: it is part of the corpus {db}")
    return target


def _one_select(con: duckdb.DuckDBPyConnection, query: str) -> None:
    statements = con.extract_statements(query)
    if len(statements) != 1 or statements[0].type != duckdb.StatementType.SELECT:
        raise CorpusError("export --query takes one SELECT statement")
