"""Connecting to the corpus file and keeping its schema current.

DuckDB lets one process write a file, or many read it. fundnews holds a write
connection only for the moment of a batch write, so another process can query
while a crawl runs; both sides retry when the other holds the lock, for 30 s
($FUNDNEWS_LOCK_WAIT), and beyond while the holder is a live fundnews process whose
note says what it is doing (a long write: the text index build, the rounds rebuild).

Closing a write connection does not checkpoint. After an append, a checkpoint rewrites
the whole last row group (up to 122,880 rows) of every table with an index (a primary
key, a unique constraint): raw_pages, pages, article_signatures... ``articles`` has none
since 006 for that reason. Committed batches stay in the WAL instead (fsynced at COMMIT:
as crash-safe as the file), and DuckDB folds it into the file once it passes
``checkpoint_threshold`` (16 MB, some 7 batches of 500 articles) and at the end of a
crawl. The price: opening a connection, a reader's too, replays the WAL (~60 ms).

A write connection may use ``FUNDNEWS_DB_MEMORY`` of memory (default 64MB): DuckDB's
default, 80% of the machine, let a checkpoint inside a crawl grow the crawl process by
200-400 MB at 20,000 articles (it recompresses the table's last row group); capped, it
evicts and spills to ``<corpus>.tmp`` instead, a little slower. Write connections also
never merge row groups (``max_vacuum_tasks = 0``): DuckDB 1.5 appends each batch as a
row group of its own and a checkpoint merges neighbours into ones twice the size,
holding all their texts in memory; with 50 KB texts a merge of ~1,000 articles needed
more than 64 MB, the checkpoint failed and DuckDB refused every later write. Unmerged,
a checkpoint holds only what it writes, and a row group holds what was appended between
two checkpoints (20,000 articles of 4 KB in 500-row batches: 5 row groups, not 2, the
same query times, a file of 98 MB, not 155). Batch writes stay small
at any corpus size (500 new rows into a 2M-row indexed table: fine at 64MB). Steps that
rewrite a whole table raise their own cap: the funding rounds rebuild (256MB: it
replaces every round, 1M rounds fit; 64MB failed) and the text index build (DuckDB's
default). Readers keep DuckDB's default.
"""

from __future__ import annotations

import errno
import os
import re
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from corpus.writers import announced, live_writers

SCHEMA_DIR = Path(__file__).parent / "schema"
DEFAULT_DB = "data/corpus.duckdb"
LOCK_WAIT_SECONDS = 30.0
PROGRESS_SECONDS = 10.0
WRITE_MEMORY_LIMIT = "64MB"
_MIGRATION_RE = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


class CorpusError(RuntimeError):
    """A corpus problem worth one clear line to the user."""


_CAUSES = [os.strerror(code) for code in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO, errno.EACCES)]


def write_failure(path: str, exc: BaseException) -> str:
    """One line saying why a write to the corpus at `path` failed, the cause first (a full
    disk, DuckDB out of memory, a lock), then what DuckDB or the system said."""
    if isinstance(exc, CorpusError):
        return str(exc)
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.strerror}: cannot write {exc.filename or path}"
    said = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    cause = next((c for c in _CAUSES if c in said), None)
    if cause is None and (isinstance(exc, duckdb.OutOfMemoryException) or "failed to pin block" in said):
        cause = "out of memory"
    return f"{cause}: {said}" if cause else f"cannot write {path}: {said}"


def default_db_path() -> str:
    return os.environ.get("FUNDNEWS_DB") or DEFAULT_DB


def _is_lock_error(exc: duckdb.Error) -> bool:
    return "lock" in str(exc).lower()


def _connect_once(path: str, read_only: bool) -> duckdb.DuckDBPyConnection:
    config = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
    if not read_only:
        config["memory_limit"] = os.environ.get("FUNDNEWS_DB_MEMORY") or WRITE_MEMORY_LIMIT
        config["max_vacuum_tasks"] = 0  # no row group merges at checkpoints: see the module docstring
    con = duckdb.connect(path, read_only=read_only, config=config)
    if not read_only:
        try:
            con.execute("PRAGMA disable_checkpoint_on_shutdown")  # see the module docstring
        except duckdb.Error:
            con.close()
            raise
    return con


def lock_wait_seconds() -> float:
    return float(os.environ.get("FUNDNEWS_LOCK_WAIT") or LOCK_WAIT_SECONDS)


def open_db(path: str | os.PathLike, read_only: bool = False, wait: float | None = None):
    """A connection to the corpus file, waiting while another process writes: up to `wait` s
    (default $FUNDNEWS_LOCK_WAIT or 30), and past that as long as a live fundnews process
    says it is writing (corpus/writers.py), with a line on stderr every PROGRESS_SECONDS."""
    path = str(path)
    if read_only and not Path(path).exists():
        raise CorpusError(f"no corpus at {path}: run `fundnews crawl` or `fundnews demo` first")
    if not read_only:
        try:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CorpusError(f"cannot create the folder for {path}: {exc.strerror}") from None
    deadline = time.monotonic() + (lock_wait_seconds() if wait is None else wait)
    next_progress = deadline
    delay = 0.05
    while True:
        try:
            return _connect_once(path, read_only)
        except duckdb.IOException as exc:
            if not _is_lock_error(exc):
                raise CorpusError(f"cannot open {path}: {exc}") from None
            if time.monotonic() >= deadline:
                writers = live_writers(path)
                if not writers:
                    raise CorpusError(f"cannot open {path}: {exc}") from None
                if time.monotonic() >= next_progress:
                    pid, seconds, task = max(writers, key=lambda w: w[1])
                    print(f"fundnews: waiting for {task} of PID {pid}, running {seconds:.0f} s",
                          file=sys.stderr, flush=True)
                    next_progress = time.monotonic() + PROGRESS_SECONDS
        except duckdb.Error as exc:
            raise CorpusError(f"cannot open {path}: {exc}") from None
        time.sleep(delay)
        delay = min(delay * 2, 1.0)


@contextmanager
def connection(path: str | os.PathLike, read_only: bool = False,
               task: str = "a write") -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection for the time of a `with`; a write one tells waiters it is busy with `task`."""
    if read_only:
        con = open_db(path, read_only=True)
        try:
            yield con
        finally:
            con.close()
        return
    con = open_db(path)
    try:
        with announced(str(path), task):
            yield con
            con.close()  # before the note goes: a waiter never sees the lock held without one
    finally:
        con.close()


def rollback(con: duckdb.DuckDBPyConnection) -> None:
    """Roll back a failed transaction; a connection DuckDB gave up on (disk full, a failed
    checkpoint) has nothing to roll back, and the error that matters is the first one."""
    try:
        con.execute("ROLLBACK")
    except duckdb.Error:
        pass


def migrations() -> list[tuple[int, str, str]]:
    found = []
    for path in sorted(SCHEMA_DIR.glob("*.sql")):
        match = _MIGRATION_RE.match(path.name)
        if not match:
            raise CorpusError(f"migration file name must be NNN_name.sql: {path.name}")
        found.append((int(match.group(1)), path.stem, path.read_text(encoding="utf-8")))
    return found


# The corpus files this process has brought up to date, by (path, device, inode): the
# pieces of a crawl (the CLI, the crawl's row, the known pages, the writer) each make sure
# of the schema, and only the first one checks it.
_up_to_date: set[tuple[str, int, int]] = set()
schema_checks = 0  # how many times this process ran ``migrate``


def _file_identity(path: str | os.PathLike) -> tuple[str, int, int]:
    found = os.stat(path)
    return os.path.realpath(path), found.st_dev, found.st_ino


def migrate_once(con: duckdb.DuckDBPyConnection, path: str | os.PathLike) -> list[str]:
    """``migrate`` the corpus file at `path` (open as `con`) unless this process already
    has: only fundnews's own migrations change the schema. Another file put at that path
    (a new corpus, a backup moved back: another inode) is checked again."""
    identity = _file_identity(path)
    if identity in _up_to_date:
        return []
    applied = migrate(con)
    _up_to_date.add(identity)
    return applied


def _applied_versions(con: duckdb.DuckDBPyConnection) -> set[int]:
    return {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}


def schema_is_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether every schema/NNN_*.sql is applied: what a reader checks before it reads
    through a read-only connection (one that cannot migrate)."""
    try:
        done = _applied_versions(con)
    except duckdb.CatalogException:  # no schema_migrations: never migrated
        return False
    return {version for version, _, _ in migrations()} <= done


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply each schema/NNN_*.sql not yet applied, each in its own transaction."""
    global schema_checks
    schema_checks += 1
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations "
        "(version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP DEFAULT now())"
    )
    done = _applied_versions(con)
    applied = []
    for version, name, sql in migrations():
        if version in done:
            continue
        con.execute("BEGIN")
        try:
            con.execute(sql)
            con.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [version, name])
            con.execute("COMMIT")
        except Exception:
            rollback(con)
            raise
        applied.append(name)
    from corpus import queries

    queries.create_views_if_changed(con)
    if applied:  # into the file now, so that no later open replays the migrations
        con.execute("CHECKPOINT")
    return applied


def init_db(path: str | os.PathLike) -> None:
    """Create the corpus file if needed and bring its schema up to date."""
    with connection(path) as con:
        migrate_once(con, path)


def load_fts(con: duckdb.DuckDBPyConnection) -> None:
    """Load DuckDB's full-text-search extension from its PyPI package; never download."""
    import duckdb_extension_fts

    base = Path(duckdb_extension_fts.__file__).parent / "extensions"
    files = sorted(base.glob(f"v{duckdb.__version__}/*/fts.duckdb_extension")) or sorted(
        base.glob(f"v{duckdb.__version__}/fts.duckdb_extension")
    )
    if not files:
        raise CorpusError(f"duckdb-extension-fts does not match duckdb {duckdb.__version__}")
    con.execute(f"LOAD '{files[0]}'")


def lock_down(con: duckdb.DuckDBPyConnection, writable: list[str] = ()) -> None:
    """From here on this connection reads the corpus only: no file access but `writable`,
    no ATTACH, LOAD or INSTALL, no setting changed (``fundnews query`` and ``export``)."""
    if writable:
        con.execute("SET allowed_paths = ?", [list(writable)])
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")


def protected_paths(db: str) -> tuple[list[Path], list[Path]]:
    """(files, folders) of a corpus that nothing but fundnews itself may write."""
    base = Path(db).resolve()
    files = [base, Path(f"{base}.wal")]
    folders = [Path(f"{base}.{suffix}") for suffix in ("warc", "locks", "tmp")]
    return files, folders
