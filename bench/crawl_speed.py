"""Crawl throughput and memory: ``fundnews crawl`` against a naive fetch-and-extract script.

Each run, on the same synthetic site served by ``app.sitehost.SiteHost``:

* ``fundnews crawl`` in a subprocess, into a fresh DuckDB file, once with the default
  extraction pool (one worker per core) and once with ``--workers 0`` (extraction
  inline on the reactor). Pages/s = articles in the corpus afterwards / wall time of
  the process (imports and pool start-up included).
* the baseline, also a subprocess: urllib fetch + ``trafilatura.extract`` per page,
  sequentially and with a small thread pool, the way a quick script would do it.
* the floors under fundnews' hot path: a no-op Scrapy crawl of the same pages
  (``bench/noop_crawl.py``), against which the crawl process's CPU per page is put, and
  ``trafilatura.extract`` with metadata on the same pages, against which the extraction
  workers' CPU per page is put: in one process per core, as the workers run, right
  before and right after the fundnews crawl (the mean of the two: this machine's speed
  drifts within minutes), and in one process alone for context.

Peak memory is polled from /proc over the crawl's process tree (the crawl process,
and the sum over it and its extraction workers).

Run alone as ``python -m bench.crawl_speed --baseline-urls FILE`` it is the baseline.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench import PYTHON, ProcessRun, ratio, mb, median, rate, run_measured, say
from bench import sitegen

MIN_TEXT_CHARS = 200  # what fundnews keeps (FUNDNEWS_MIN_TEXT_CHARS); the baseline counts the same
# the hot path's goals (issue 13), as ratios measured in the same run
GOAL_CRAWL_VS_NOOP = 2.0  # crawl process CPU/page, at most this times a no-op Scrapy crawl's
GOAL_WORKER_VS_EXTRACT = 1.25  # workers' CPU/page, at most this times trafilatura's with metadata
GOAL_VS_BASELINE = 1.0  # pages/s, at least this times the best fetch + extract baseline
BASELINE_THREADS = 4
REALWORLD_PAGES = Path("/work/shared/realworld/extraction-benchmark/html")


# -- the site -----------------------------------------------------------------------------


@dataclass
class ServedSite:
    site: sitegen.Site
    base_url: str
    sources: Path  # folder with the one source file
    urls_file: Path  # the article URLs, one a line, for the baseline


def realworld_originals() -> list[Path]:
    """The extraction benchmark's real pages, when this machine has them (users may not)."""
    return sorted(REALWORLD_PAGES.glob("*.html.gz")) if REALWORLD_PAGES.is_dir() else []


@contextmanager
def served_site(workdir: Path, pages: int, realworld: bool = False,
                words: tuple[int, int] = (400, 900)) -> Iterator[ServedSite]:
    """Generate a site of `pages` articles under workdir and serve it on 127.0.0.1: synthetic
    pages (of `words` words of text), or real third-party pages cycled (``realworld``)."""
    from app.sitehost import SiteHost

    kind = "realworld" if realworld else "synthetic"
    root = workdir / f"site-{kind}-{pages}-{words[0]}"
    root.mkdir(parents=True, exist_ok=True)
    host = SiteHost(root)  # binds a free port now; files are read per request
    started = time.perf_counter()
    if realworld:
        site = sitegen.build_realworld_site(root, pages, host.base_url, realworld_originals())
    else:
        site = sitegen.build_site(root, pages, host.base_url, words=words)
    say(f"  generated {pages} {kind} pages ({mb(site.bytes)} MB) in "
        f"{time.perf_counter() - started:.1f}s")
    sources = workdir / f"sources-{kind}-{pages}"
    sitegen.write_source(sources, site, host.base_url)
    urls_file = workdir / f"urls-{kind}-{pages}.txt"
    urls_file.write_text("\n".join(site.urls(host.base_url)) + "\n")
    with host:
        yield ServedSite(site, host.base_url, sources, urls_file)


# -- one measured run of each contender -------------------------------------------------


def fundnews_command() -> list[str]:
    script = Path(PYTHON).parent / "fundnews"
    return [str(script)] if script.exists() else [PYTHON, "-m", "app.cli"]


def count_articles(db: Path) -> int:
    import duckdb

    if not db.exists():
        return 0
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT count(*) FROM articles").fetchone()[0]


def recorded_stats(db: Path) -> dict:
    """The crawl's stats as its crawls row recorded them."""
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute("SELECT stats FROM crawls ORDER BY crawl_id DESC LIMIT 1").fetchone()
    return json.loads(row[0]) if row else {}


def recorded_peak_rss(db: Path) -> int:
    """The crawl process's peak RSS as its crawls row recorded it: the kernel's high-water
    mark (``memusage/max``), which polling every 0.1 s can miss between two samples."""
    return recorded_stats(db).get("memusage/max", 0)


def _result(run: ProcessRun, pages: int) -> dict:
    per_page = 1000 / pages if pages else float("nan")
    return {
        "seconds": round(run.seconds, 2),
        "pages": pages,
        "pages_per_s": round(rate(pages, run.seconds), 1),
        # CPU cost per page: all processes, the crawl (or script) process alone (its CPU at
        # exit), and the extraction workers (the processes the forkserver forks), summed
        "cpu_ms_per_page": round(run.usage.tree_cpu * per_page, 2),
        "main_cpu_ms_per_page": round(run.usage.main_cpu * per_page, 2),
        "worker_cpu_ms_per_page": round(run.usage.grandchildren_cpu * per_page, 2),
        "workers": run.usage.grandchildren,
        "peak_rss_main_mb": mb(run.usage.main_rss),
        "peak_rss_main_at": round(run.usage.main_peak_at / run.seconds, 2),  # fraction of the run
        "peak_rss_tree_mb": mb(run.usage.tree_rss),
        "peak_pss_tree_mb": mb(run.usage.tree_pss),
        "processes": run.usage.processes,
        "rss_main_mb_by_quarter": run.usage.rss_by_quarter(),
    }


def _check(run: ProcessRun, what: str, pages: int, expected: int) -> None:
    if run.returncode != 0:
        raise RuntimeError(f"{what} exited with {run.returncode}:\n{run.log_tail()}")
    if pages < expected:
        say(f"  warning: {what} handled {pages} of {expected} pages (log: {run.log})")


def crawl_once(served: ServedSite, workdir: Path, workers: int | None, tag: str) -> dict:
    """One ``fundnews crawl`` into a fresh corpus file."""
    db = workdir / f"crawl-{tag}.duckdb"
    for suffix in ("", ".wal"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    cmd = [*fundnews_command(), "crawl", "--sources", str(served.sources), "--db", str(db)]
    if workers is not None:
        cmd += ["--workers", str(workers)]
    run = run_measured(cmd, workdir / f"crawl-{tag}.log")
    stored = count_articles(db)
    _check(run, f"fundnews crawl ({tag})", stored, served.site.pages)
    result = _result(run, stored)
    result["peak_rss_main_mb"] = max(result["peak_rss_main_mb"], mb(recorded_peak_rss(db)))
    return result


def baseline_once(served: ServedSite, workdir: Path, threads: int, tag: str) -> dict:
    """The naive script (this module's main) on the same pages, in its own process."""
    out = workdir / f"baseline-{tag}.json"
    cmd = [PYTHON, "-m", "bench.crawl_speed", "--baseline-urls", str(served.urls_file),
           "--threads", str(threads), "--out", str(out)]
    run = run_measured(cmd, workdir / f"baseline-{tag}.log")
    extracted = json.loads(out.read_text())["extracted"] if out.exists() else 0
    _check(run, f"baseline ({tag})", extracted, served.site.pages)
    return _result(run, extracted)


def noop_once(served: ServedSite, workdir: Path, tag: str) -> dict:
    """The no-op Scrapy crawl (``bench/noop_crawl.py``) of the same pages, in its own process."""
    out = workdir / f"noop-{tag}.json"
    cmd = [PYTHON, "-m", "bench.noop_crawl", "--urls", str(served.urls_file), "--out", str(out)]
    run = run_measured(cmd, workdir / f"noop-{tag}.log")
    fetched = json.loads(out.read_text())["fetched"] if out.exists() else 0
    _check(run, f"no-op Scrapy crawl ({tag})", fetched, served.site.pages)
    return _result(run, fetched)


def extract_with_metadata(html: str, url: str) -> str | None:
    """The documented trafilatura call for text and metadata, with fundnews' options (fast,
    no comments; tables are the default)."""
    import trafilatura

    return trafilatura.extract(html, url=url, output_format="json", with_metadata=True,
                               include_comments=False, fast=True)


def _site_pages(served: ServedSite) -> list[tuple[str, str]]:
    urls = served.site.urls(served.base_url)
    return [((served.site.root / path).read_text(errors="replace"), url)
            for path, url in zip(served.site.paths, urls, strict=True)]


def _extract_cpu_seconds(pages: list[tuple[str, str]]) -> float:
    """CPU seconds of :func:`extract_with_metadata` over `pages` (the first once untimed first)."""
    extract_with_metadata(*pages[0])
    started = time.process_time()
    for html, url in pages:
        extract_with_metadata(html, url)
    return time.process_time() - started


def extract_cpu_ms_per_page(served: ServedSite, processes: int = 1) -> float:
    """CPU ms per page of :func:`extract_with_metadata` over every page of the site, in
    `processes` processes at once, each on its share of the pages. With one process per
    core the reference runs as the crawl's workers do, every core busy: on this 2-core
    machine that costs ~10-20% more CPU a page than one process alone."""
    pages = _site_pages(served)
    if processes <= 1:
        return round(_extract_cpu_seconds(pages) * 1000 / len(pages), 2)
    import multiprocessing

    shares = [pages[i::processes] for i in range(processes)]
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        seconds = pool.map(_extract_cpu_seconds, shares)
    return round(sum(seconds) * 1000 / len(pages), 2)


# -- the baseline script ------------------------------------------------------------------


def fetch_and_extract(url: str) -> bool:
    import urllib.request

    import trafilatura

    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - 127.0.0.1 only
        html = response.read().decode("utf-8", "replace")
    text = trafilatura.extract(html, url=url)
    return bool(text) and len(text) >= MIN_TEXT_CHARS


def baseline_main(urls_file: Path, threads: int, out: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    urls = urls_file.read_text().split()
    if threads <= 1:
        done = sum(map(fetch_and_extract, urls))
    else:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            done = sum(pool.map(fetch_and_extract, urls))
    out.write_text(json.dumps({"extracted": done, "urls": len(urls)}))


# -- extraction cost per page (context for the throughput numbers) ------------------------


def _realworld_sample(limit: int) -> list[tuple[str, str]]:
    """Real news pages, only when the optional real-world folder is on this machine."""
    files = realworld_originals()[:limit]
    return [(gzip.decompress(f.read_bytes()).decode("utf-8", "replace"),
             f"http://example.com/{f.name}") for f in files]


def analyse_page(html: str, url: str):
    """fundnews' whole per-page work in a worker: extraction, hash, labels, signature, WARC."""
    from datetime import datetime

    from crawler.page_analysis import Page
    from crawler.page_analysis import analyse_page as analyse

    return analyse(Page(html, url, datetime(2026, 1, 1)), min_chars=MIN_TEXT_CHARS)


def extraction_cost(served: ServedSite, sample: int = 100, realworld: bool = False) -> dict:
    """Median ms per page, one process: trafilatura.extract (the baseline's call), fundnews'
    extract_page (trafilatura with metadata, language) and analyse_page (all of a worker's
    work on a page)."""
    import trafilatura

    from crawler.page_analysis import warm_up
    from analysis.extract import extract_page

    warm_up()
    urls = served.site.urls(served.base_url)
    picked = random.Random(1).sample(range(len(urls)), min(sample, len(urls)))
    pages = [((served.site.root / served.site.paths[i]).read_text(errors="replace"), urls[i])
             for i in picked]
    functions = {"trafilatura.extract": trafilatura.extract, "extract_page": extract_page,
                 "analyse_page": analyse_page}
    if realworld:  # the served pages are the real ones
        return {"realworld": _cost(pages, functions)}
    result = {"synthetic": _cost(pages, functions)}
    real = _realworld_sample(sample)
    if real:
        result["realworld"] = _cost(real, functions)
    return result


def _cost(pages: list[tuple[str, str]], functions: dict) -> dict:
    out = {"pages": len(pages), "median_kb": round(median([len(h) for h, _ in pages]) / 1024, 1)}
    for name, fn in functions.items():
        times = []
        for html, url in pages:
            started = time.perf_counter()
            fn(html, url=url)
            times.append(time.perf_counter() - started)
        out[f"{name}_ms"] = round(median(times) * 1000, 1)
    return out


# -- the benchmark ------------------------------------------------------------------------


CONTENDERS = {
    "fundnews_default": lambda s, w, t: crawl_once(s, w, None, t),
    "fundnews_workers0": lambda s, w, t: crawl_once(s, w, 0, t),
    "baseline_sequential": lambda s, w, t: baseline_once(s, w, 1, t),
    f"baseline_threads{BASELINE_THREADS}": lambda s, w, t: baseline_once(s, w, BASELINE_THREADS, t),
    "scrapy_noop": lambda s, w, t: noop_once(s, w, t),
}


def hot_path(run: dict[str, dict], extract_ms: float, alone_ms: float) -> dict:
    """The hot path's three ratios in one run (issue 13): (a) the crawl process's CPU per
    page against the no-op Scrapy crawl's, (b) the extraction workers' CPU per page against
    trafilatura's with metadata (`extract_ms`: run as the workers run, one process per
    core; `alone_ms`: one process alone, for context), (c) fundnews' pages/s against the
    best baseline's."""
    fundnews, noop = run["fundnews_default"], run["scrapy_noop"]
    best = max(v["pages_per_s"] for k, v in run.items() if k.startswith("baseline"))
    return {
        "crawl_cpu_ms_per_page": fundnews["main_cpu_ms_per_page"],
        "noop_scrapy_cpu_ms_per_page": noop["main_cpu_ms_per_page"],
        "crawl_vs_noop": round(ratio(fundnews["main_cpu_ms_per_page"],
                                     noop["main_cpu_ms_per_page"]), 2),
        "worker_cpu_ms_per_page": fundnews["worker_cpu_ms_per_page"],
        "extract_metadata_cpu_ms_per_page": extract_ms,
        "worker_vs_extract": round(ratio(fundnews["worker_cpu_ms_per_page"], extract_ms), 2),
        "extract_metadata_alone_cpu_ms_per_page": alone_ms,
        "worker_vs_extract_alone": round(ratio(fundnews["worker_cpu_ms_per_page"], alone_ms), 2),
        "vs_best_baseline": round(ratio(fundnews["pages_per_s"], best), 2),
    }


def _summary(runs: list[dict]) -> dict:
    keys = [k for k in runs[0] if isinstance(runs[0][k], (int, float))]
    summary = {k: median([r[k] for r in runs]) for k in keys}
    summary["runs"] = [r["pages_per_s"] for r in runs]
    return summary


def bench_throughput(workdir: Path, pages: int, runs: int, realworld: bool = False) -> dict:
    """Each contender `runs` times, interleaved so that noise hits them alike."""
    if realworld and not realworld_originals():
        return {"skipped": f"no real-world pages at {REALWORLD_PAGES}"}
    with served_site(workdir, pages, realworld) as served:
        say("  extraction cost per page (in-process, median of up to 100 pages)...")
        cost = extraction_cost(served, realworld=realworld)
        site_mb = mb(served.site.bytes)
        # trafilatura (lxml) in threads crashed the process (SIGSEGV) on the real pages
        contenders = {name: run_one for name, run_one in CONTENDERS.items()
                      if not (realworld and name.startswith("baseline_threads"))}
        results: dict[str, list[dict]] = {name: [] for name in contenders}
        hot: list[dict] = []
        workers = os.cpu_count() or 1  # fundnews' default pool: one worker per core
        for run in range(1, runs + 1):
            for name, contender in contenders.items():
                if name == "fundnews_default":
                    before = extract_cpu_ms_per_page(served, processes=workers)
                result = contender(served, workdir, f"{name}-{run}")
                if name == "fundnews_default":
                    extract_ms = round((before + extract_cpu_ms_per_page(served, processes=workers)) / 2, 2)
                say(f"  run {run}/{runs} {name:<22} {result['pages_per_s']:7.1f} pages/s "
                    f"({result['pages']} pages in {result['seconds']:.1f}s, "
                    f"CPU ms/page {result['main_cpu_ms_per_page']:.1f} main, "
                    f"{result['worker_cpu_ms_per_page']:.1f} workers; "
                    f"peak RSS {result['peak_rss_main_mb']} MB, "
                    f"tree {result['peak_rss_tree_mb']} MB)")
                results[name].append(result)
            alone_ms = extract_cpu_ms_per_page(served)
            hot.append(hot_path({name: r[-1] for name, r in results.items()}, extract_ms, alone_ms))
            say(f"  run {run}/{runs} trafilatura.extract with metadata {extract_ms:.1f} CPU ms/page "
                f"in {workers} processes ({alone_ms:.1f} alone); "
                f"crawl/no-op {hot[-1]['crawl_vs_noop']:.2f}x, "
                f"worker/extract {hot[-1]['worker_vs_extract']:.2f}x, "
                f"vs best baseline {hot[-1]['vs_best_baseline']:.2f}x")
    summary = {name: _summary(r) for name, r in results.items()}
    best_baseline = max((v["pages_per_s"] for k, v in summary.items() if k.startswith("baseline")))
    fundnews = summary["fundnews_default"]["pages_per_s"]
    return {
        "site": "realworld" if realworld else "synthetic",
        "pages": pages,
        "runs": runs,
        "site_mb": site_mb,
        "extraction_cost": cost,
        "contenders": summary,
        "hot_path": {**{k: median([h[k] for h in hot]) for k in hot[0]},
                     "goals": {"crawl_vs_noop": GOAL_CRAWL_VS_NOOP,
                               "worker_vs_extract": GOAL_WORKER_VS_EXTRACT,
                               "vs_best_baseline": GOAL_VS_BASELINE},
                     "runs": hot},
        "ratio_vs_best_baseline": round(ratio(fundnews, best_baseline), 2),
        "ratio_vs_sequential_baseline":
            round(ratio(fundnews, summary["baseline_sequential"]["pages_per_s"]), 2),
        "pool_speedup": round(ratio(fundnews, summary["fundnews_workers0"]["pages_per_s"]), 2),
    }


def bench_memory(workdir: Path, pages: int, runs: int) -> dict:
    """Peak memory (and pages/s) of ``fundnews crawl`` with default workers on a larger site."""
    with served_site(workdir, pages) as served:
        results = []
        for run in range(1, runs + 1):
            result = crawl_once(served, workdir, None, f"scale-{pages}-{run}")
            say(f"  run {run}/{runs} scale {pages}: {result['pages_per_s']:.1f} pages/s, peak RSS "
                f"crawl {result['peak_rss_main_mb']} MB, tree {result['peak_rss_tree_mb']} MB "
                f"(PSS {result['peak_pss_tree_mb']} MB)")
            results.append(result)
    return {"pages": pages, "runs": runs, **_summary(results),
            "rss_main_mb_by_quarter": results[-1]["rss_main_mb_by_quarter"]}


def write_big_sitemap(served: ServedSite, urls: int) -> Path:
    """A gzip urlset of `urls` URLs: the site's pages first, then URLs that max_articles
    leaves unfetched; ~85 bytes a URL, so 537,000 URLs are the issue's 45 MB sitemap."""
    path = served.site.root / "sitemap-big.xml.gz"
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=6) as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                  '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n')
        for url in served.site.urls(served.base_url):
            out.write(f"<url><loc>{url}</loc><lastmod>2026-03-01</lastmod></url>\n")
        for i in range(urls - served.site.pages):
            out.write(f"<url><loc>{served.base_url}archive/{i}.html</loc>"
                      "<lastmod>2026-03-01</lastmod></url>\n")
        out.write("</urlset>\n")
    source = next(served.sources.glob("*.toml"))
    source.write_text(source.read_text().replace(served.site.sitemap_path, path.name))
    return path


def bench_sitemap_memory(workdir: Path, urls: int, pages: int = 200) -> dict:
    """Peak RSS of a crawl whose one entry is a gzip sitemap of `urls` URLs, `pages` of
    them fetched (the source's max_articles)."""
    with served_site(workdir, pages) as served:
        sitemap = write_big_sitemap(served, urls)
        with gzip.open(sitemap, "rb") as f:
            inflated = sum(len(chunk) for chunk in iter(lambda: f.read(2**20), b""))
        say(f"  sitemap of {urls} URLs: {mb(sitemap.stat().st_size)} MB gzip, "
            f"{mb(inflated)} MB inflated")
        result = crawl_once(served, workdir, None, f"sitemap-{urls}")
    say(f"  peak RSS crawl {result['peak_rss_main_mb']} MB, tree {result['peak_rss_tree_mb']} MB")
    return {"urls": urls, "sitemap_gzip_mb": mb(sitemap.stat().st_size),
            "sitemap_mb": mb(inflated), **result}


WORDS_PER_KB = 1024 / 6.6  # the generated prose has ~6.6 characters of text a word
MEMORY_GOAL_MB = 500


def bench_big_text_memory(workdir: Path, cases: list[tuple[int, int]]) -> dict:
    """Peak RSS of a crawl of `pages` pages of `kb` KB of text each, for each case: every
    page must be stored (big texts once made a checkpoint fail past the write
    connection's memory cap, and every later write with it)."""
    import duckdb

    results = {}
    for pages, kb in cases:
        words = round(kb * WORDS_PER_KB)
        tag = f"bigtext-{pages}x{kb}"
        with served_site(workdir, pages, words=(words * 94 // 100, words * 106 // 100)) as served:
            result = crawl_once(served, workdir, None, tag)
        db = workdir / f"crawl-{tag}.duckdb"
        with duckdb.connect(str(db), read_only=True) as con:
            text_kb = con.execute("SELECT avg(length(text)) / 1024 FROM articles").fetchone()[0] or 0
        recycled = recorded_stats(db).get("fundnews/workers/recycled", 0)
        say(f"  {pages} pages of {text_kb:.0f} KB of text: {result['pages']} stored, peak RSS crawl "
            f"{result['peak_rss_main_mb']} MB, tree {result['peak_rss_tree_mb']} MB "
            f"(PSS {result['peak_pss_tree_mb']} MB), {recycled} workers recycled")
        results[f"{pages}x{kb}KB"] = {"site_pages": pages, "text_kb": round(text_kb, 1),
                                      "workers_recycled": recycled, **result}
    return {"cases": results, "goal_mb": MEMORY_GOAL_MB}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="the naive fetch + trafilatura.extract baseline")
    parser.add_argument("--baseline-urls", type=Path, required=True)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    baseline_main(args.baseline_urls, args.threads, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
