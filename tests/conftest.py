"""Test harness: fixture sites served on 127.0.0.1, real crawls in a subprocess, real DuckDB files.

A crawl runs the way a user runs it (``fundnews crawl --sources DIR --db FILE``) in its
own process, so each test gets a fresh Twisted reactor and the whole stack is real.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from app.sitehost import SiteHost

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parents[1]
PLACEHOLDER = "127.0.0.1:PORT"


@dataclass
class CliResult:
    returncode: int
    stdout: str
    stderr: str


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 180, env: dict | None = None) -> CliResult:
    """Run ``fundnews ARGS`` in a fresh Python process."""
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        cwd=cwd or REPO, capture_output=True, text=True, timeout=timeout, env=env,
    )
    return CliResult(done.returncode, done.stdout, done.stderr)


def query(db: Path, sql: str, params: list | None = None) -> list[dict]:
    """Rows of a query against a corpus file, as dicts."""
    with duckdb.connect(str(db), read_only=True) as con:
        cursor = con.execute(sql, params or [])
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def serve_newsroom() -> SiteHost:
    return SiteHost(FIXTURES / "sites" / "newsroom", placeholder=PLACEHOLDER)


@pytest.fixture
def site():
    """The newsroom fixture site on a free port; ``site.paths()`` is its request log."""
    with serve_newsroom() as host:
        yield host


class Workspace:
    """A temp folder with a sources/ dir and a corpus path, and a crawl runner."""

    def __init__(self, root: Path, site: SiteHost | None):
        self.root = root
        self.sources = root / "sources"
        self.sources.mkdir()
        self.db = root / "corpus.duckdb"
        self.site = site

    def source(self, source_id: str, toml: str) -> Path:
        """Write a source file; ``{base}`` stands for the fixture site's base URL."""
        base = self.site.base_url if self.site else "http://127.0.0.1:9/"
        path = self.sources / f"{source_id}.toml"
        path.write_text(textwrap.dedent(toml).replace("{base}", base), encoding="utf-8")
        return path

    def crawl(self, *ids: str, workers: int = 0, expect_ok: bool = True) -> CliResult:
        result = run_cli("crawl", *ids, "--sources", str(self.sources), "--db", str(self.db),
                         "--workers", str(workers), cwd=self.root)
        if expect_ok:
            assert result.returncode == 0, result.stderr[-3000:]
        return result

    def rows(self, sql: str, params: list | None = None) -> list[dict]:
        return query(self.db, sql, params)

    def last_crawl(self) -> dict:
        return self.rows("SELECT * FROM crawls ORDER BY crawl_id DESC LIMIT 1")[0]


@pytest.fixture
def ws(tmp_path: Path, site: SiteHost) -> Workspace:
    return Workspace(tmp_path, site)


POLITE_LOCAL = """
[crawl]
allow_private_addresses = true
download_delay = 0
concurrency = 8
"""

FEED_SOURCE = """
name = "Fixture feed"
homepage = "{base}"
kind = "newsroom"
[[entries]]
type = "feed"
url = "{base}feed.xml"
""" + POLITE_LOCAL


@pytest.fixture(scope="session")
def demo_corpus(tmp_path_factory) -> tuple[Path, Path, CliResult]:
    """The demo corpus, crawled as `make demo` does (shared: tests only read it):
    its file, the report the demo ends with, and what the demo printed."""
    root = tmp_path_factory.mktemp("demo")
    result = run_cli("demo", "--db", str(root / "demo.duckdb"), "--workers", "0", cwd=root)
    assert result.returncode == 0, result.stderr[-2000:]
    report = Path(result.stdout.strip().splitlines()[-1].strip())
    return root / "demo.duckdb", report, result
