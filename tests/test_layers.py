"""Each package is one layer and imports only from the layers below it.

analysis (text: trafilatura, rules, signatures; no Scrapy, no DuckDB)
  < corpus (the DuckDB file)
  < crawler (Scrapy: the spider, its middlewares and extensions, the worker pool, the
    loader) and above it pipelines (the item pipelines, which use crawler's pieces;
    crawler/settings.py names them only as strings)
  < app (the fundnews command, the scheduler, locks, the demo server)
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = {  # package -> top-level modules it must not import
    "analysis": {"scrapy", "twisted", "duckdb", "pyarrow", "corpus", "crawler", "pipelines",
                 "app"},
    "corpus": {"scrapy", "twisted", "crawler", "pipelines", "app"},
    "crawler": {"pipelines", "app"},
    "pipelines": {"app"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_a_package_imports_nothing_from_the_layers_above(package):
    leaks = {str(p.relative_to(ROOT)): sorted(_imports(p) & FORBIDDEN[package])
             for p in sorted((ROOT / package).rglob("*.py"))}
    assert {f: m for f, m in leaks.items() if m} == {}


def test_the_check_sees_a_leak(tmp_path):
    leaky = tmp_path / "m.py"
    leaky.write_text("import duckdb\nfrom scrapy.http import Request\nfrom . import x\n")
    assert _imports(leaky) == {"duckdb", "scrapy"}


def test_the_scheduler_and_the_corpus_load_without_scrapy():
    """`fundnews schedule` between crawls, and analysts' corpus code, need no Scrapy."""
    import subprocess
    import sys

    code = ("import sys, app.schedule, corpus.rounds, corpus.stories, corpus.report; "
            "print(sorted(m for m in ('scrapy', 'twisted') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_docker_image_holds_every_package():
    """docker-compose.yml runs the image of ./Dockerfile: a package it does not copy makes
    `fundnews worker` fail at its first import inside the container."""
    import re
    import tomllib

    include = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "packages"]["find"]["include"]
    packages = {pattern.rstrip("*") for pattern in include}
    copied = set(re.findall(r"^COPY\s+(\w+)\s+\1\s*$", (ROOT / "Dockerfile").read_text(), re.M))
    assert packages <= copied, sorted(packages - copied)
