"""``python -m bench``: crawl throughput, memory, corpus load speed and query times.

Prints progress on stderr, a compact table on stdout, and writes everything to
bench/out/latest.json. See bench/README.md for what each number means.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from bench import OUT_DIR, say

SECTIONS = ("crawl", "crawl_real", "memory", "sitemap_memory", "big_text_memory", "load", "query",
            "loader", "worker")
FULL = {"pages": 2000, "scale_pages": 20000, "sitemap_urls": 537000, "runs": 3, "scale_runs": 1,
        "big_texts": "1000x50,400x200",
        "load_rows": 50000, "baseline_rows": 1000, "query_articles": 100000,
        "loader_articles": 20000}
QUICK = {"pages": 150, "scale_pages": 600, "sitemap_urls": 20000, "runs": 1, "scale_runs": 1,
         "big_texts": "60x50,25x200",
         "load_rows": 5000, "baseline_rows": 200, "query_articles": 3000,
         "loader_articles": 2000}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(SECTIONS),
                        help=f"comma-separated sections (default: all of {','.join(SECTIONS)})")
    parser.add_argument("--quick", action="store_true",
                        help="small sizes and one run: a smoke test of a minute or two")
    parser.add_argument("--pages", type=int,
                        help=f"site size for throughput (default {FULL['pages']})")
    parser.add_argument("--scale-pages", type=int,
                        help=f"larger site for the memory check (default {FULL['scale_pages']})")
    parser.add_argument("--sitemap-urls", type=int,
                        help=f"URLs in the big gzip sitemap (default {FULL['sitemap_urls']})")
    parser.add_argument("--big-texts", metavar="PAGESxKB,...",
                        help=f"sites of big texts for the memory check (default {FULL['big_texts']})")
    parser.add_argument("--runs", type=int, help=f"runs per measurement (default {FULL['runs']})")
    parser.add_argument("--scale-runs", type=int, help="crawls of the larger site (default 1)")
    parser.add_argument("--load-rows", type=int,
                        help=f"rows for the load test (default {FULL['load_rows']})")
    parser.add_argument("--baseline-rows", type=int,
                        help=f"rows of the one-row INSERT baseline ({FULL['baseline_rows']})")
    parser.add_argument("--query-articles", type=int,
                        help=f"size of the query corpus (default {FULL['query_articles']})")
    parser.add_argument("--loader-articles", type=int,
                        help=f"analysed articles on the stream for the loader (default {FULL['loader_articles']})")
    parser.add_argument("--keep", action="store_true",
                        help="keep the scratch folder (sites, logs, corpus files)")
    parser.add_argument("--out", type=Path, default=OUT_DIR / "latest.json")
    args = parser.parse_args(argv)
    only = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(only) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section(s): {', '.join(sorted(unknown))}")
    args.only = only
    defaults = QUICK if args.quick else FULL
    for key, value in defaults.items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    return args


def code_version() -> str:
    """The commit measured, and whether tracked files had local changes."""
    import subprocess

    from bench import REPO_ROOT

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=REPO_ROOT, capture_output=True, text=True)
        return done.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    return commit + (" (modified)" if git("status", "--porcelain", "--untracked-files=no") else "")


def machine() -> dict:
    import duckdb
    import scrapy
    import trafilatura

    return {"cpus": os.cpu_count(), "python": platform.python_version(),
            "platform": platform.platform(), "load_average": [round(x, 2) for x in os.getloadavg()],
            "code": code_version(), "duckdb": duckdb.__version__, "scrapy": scrapy.__version__,
            "trafilatura": trafilatura.__version__}


def run_sections(args: argparse.Namespace, workdir: Path) -> dict:
    from bench import crawl_speed, distributed_speed, load_speed, query_speed

    results: dict = {}
    plan = {
        "crawl": lambda: crawl_speed.bench_throughput(workdir, args.pages, args.runs),
        "crawl_real": lambda: crawl_speed.bench_throughput(workdir, args.pages, args.runs,
                                                           realworld=True),
        "memory": lambda: crawl_speed.bench_memory(workdir, args.scale_pages, args.scale_runs),
        "sitemap_memory": lambda: crawl_speed.bench_sitemap_memory(workdir, args.sitemap_urls),
        "big_text_memory": lambda: crawl_speed.bench_big_text_memory(
            workdir, [tuple(int(n) for n in case.split("x")) for case in args.big_texts.split(",")]),
        "load": lambda: load_speed.bench_load(workdir, args.load_rows, args.baseline_rows,
                                              args.runs),
        "query": lambda: query_speed.bench_query(workdir, args.query_articles, max(args.runs, 5)),
        "loader": lambda: distributed_speed.bench_loader(workdir, args.loader_articles, args.runs),
        "worker": lambda: distributed_speed.bench_worker(workdir, args.pages, args.runs),
    }
    for section in SECTIONS:
        if section not in args.only:
            continue
        say(f"\n== {section} ==")
        started = time.perf_counter()
        try:
            results[section] = plan[section]()
        except Exception as exc:  # noqa: BLE001 - one broken section must not hide the others
            say(f"  {section} failed: {exc}")
            results[section] = {"error": str(exc)}
        results[section]["section_seconds"] = round(time.perf_counter() - started, 1)
    return results


# -- the table ------------------------------------------------------------------------------


Rows = list[tuple[str, str]]  # (label, value); a row without value is a heading


def _memory_mb(n: dict) -> str:
    return (f"{n['peak_rss_main_mb']:.0f} / {n['peak_rss_tree_mb']:.0f} "
            f"({n['peak_pss_tree_mb']:.0f}) MB")


def crawl_rows(crawl: dict) -> Rows:
    rows = [(f"crawl, {crawl['pages']} {crawl['site']} pages, median of {crawl['runs']}", "")]
    for name, n in crawl["contenders"].items():
        rows.append((f"  {name} pages/s",
                     f"{n['pages_per_s']:.1f}  (CPU {n['cpu_ms_per_page']:.0f} ms/page, "
                     f"{n['main_cpu_ms_per_page']:.0f} in the main process)"))
    rows += [
        ("  fundnews / best baseline", f"{crawl['ratio_vs_best_baseline']:.2f}x  (of the medians)"),
        ("  fundnews / sequential baseline", f"{crawl['ratio_vs_sequential_baseline']:.2f}x"),
        ("  pool speed-up (default / --workers 0)", f"{crawl['pool_speedup']:.2f}x"),
        ("  peak RSS crawl process / tree (PSS)",
         _memory_mb(crawl["contenders"]["fundnews_default"])),
    ]
    for kind, cost in crawl["extraction_cost"].items():
        ms = ", ".join(f"{k.removesuffix('_ms')} {v} ms"
                       for k, v in cost.items() if k.endswith("_ms"))
        rows.append((f"  extraction per page, {kind} ({cost['median_kb']} KB)", ms))
    return rows + hot_path_rows(crawl["hot_path"])


def hot_path_rows(hot: dict) -> Rows:
    goals = hot["goals"]
    return [
        ("  hot path, CPU ms/page (median of per-run ratios)", ""),
        ("    (a) crawl process / no-op Scrapy crawl",
         f"{hot['crawl_vs_noop']:.2f}x  ({hot['crawl_cpu_ms_per_page']:.1f} / "
         f"{hot['noop_scrapy_cpu_ms_per_page']:.1f} ms; goal <= {goals['crawl_vs_noop']}x)"),
        ("    (b) workers / trafilatura.extract with metadata",
         f"{hot['worker_vs_extract']:.2f}x  ({hot['worker_cpu_ms_per_page']:.1f} / "
         f"{hot['extract_metadata_cpu_ms_per_page']:.1f} ms; goal <= {goals['worker_vs_extract']}x)"),
        ("        against it in one process alone",
         f"{hot['worker_vs_extract_alone']:.2f}x  ({hot['extract_metadata_alone_cpu_ms_per_page']:.1f} ms)"),
        ("    (c) fundnews pages/s / best baseline",
         f"{hot['vs_best_baseline']:.2f}x  (goal >= {goals['vs_best_baseline']}x)"),
    ]


def memory_rows(memory: dict) -> Rows:
    quarters = " / ".join(f"{x:.0f}" for x in memory["rss_main_mb_by_quarter"])
    return [
        (f"memory, {memory['pages']:.0f} pages (default workers)", ""),
        ("  peak RSS crawl process / tree (PSS)", _memory_mb(memory) + "  (goal < 500 MB, flat)"),
        ("  crawl process peak reached at", f"{memory['peak_rss_main_at']:.0%} of the run"),
        ("  crawl process RSS at 1/4, 1/2, 3/4, end", f"{quarters} MB"),
        ("  pages/s", f"{memory['pages_per_s']:.1f}"),
    ]


def sitemap_memory_rows(sitemap: dict) -> Rows:
    return [
        (f"sitemap memory, {sitemap['urls']} URLs ({sitemap['sitemap_mb']:.0f} MB, "
         f"{sitemap['sitemap_gzip_mb']:.0f} MB gzip), {sitemap['pages']} fetched", ""),
        ("  peak RSS crawl process / tree (PSS)", _memory_mb(sitemap) + "  (goal < 500 MB)"),
    ]


def big_text_memory_rows(big: dict) -> Rows:
    rows = [("big text memory (default workers)", "")]
    for n in big["cases"].values():
        rows.append((f"  {n['site_pages']} pages of {n['text_kb']:.0f} KB text: stored, peak RSS "
                     "crawl process / tree (PSS)",
                     f"{n['pages']}, {_memory_mb(n)}  (goal: all, < {big['goal_mb']} MB); "
                     f"{n.get('workers_recycled', 0)} workers recycled"))
    return rows


def load_rows(load: dict) -> Rows:
    rows = [(f"load, {load['rows']} rows ({load['text_mb']} MB of text) into a corpus of "
             f"{load['prefill_rows']}, median of {load['runs']}", "")]
    for batch, n in load["batched"].items():
        rows += [
            (f"  write_articles batch {batch} rows/s",
             f"{n['rows_per_s']:.0f}  ({n['ratio_vs_plain_insert']:.2f}x plain INSERT, "
             f"{n['ratio_vs_row_by_row']}x row-by-row; batch "
             f"{n['batch_ms_first_tenth']:.0f} -> {n['batch_ms_last_tenth']:.0f} ms)"),
            (f"  plain INSERT ... SELECT batch {batch} rows/s",
             f"{n['plain_insert_rows_per_s']:.0f}"),
        ]
    rb = load["row_by_row"]
    rows.append((f"  executemany one-row INSERT ({rb['rows']} rows) rows/s",
                 f"{rb['rows_per_s']:.0f}"))
    return rows


def query_rows(query: dict) -> Rows:
    corpus, terms, share = query["corpus"], query["search_terms"], query["share_of_articles"]
    rows = [
        (f"query, {corpus['articles']} articles ({corpus['file_mb']} MB), "
         f"median of {query['runs']}", ""),
        ("  corpus build (write_articles) rows/s", f"{corpus['write_rows_per_s']}"),
        ("  fts index build", f"{query['fts_index_build_s']} s"),
        ("  search terms (share of articles)",
         ", ".join(f"{k} '{terms[k]}' ({share[k]:.1%})" for k in terms)),
    ]
    return rows + [(f"  {name}", f"{q['ms']:.1f} ms") for name, q in query["queries"].items()]


def loader_rows(loader: dict) -> Rows:
    return [
        (f"loader, {loader['articles']} analysed articles on the stream, median of {loader['runs']}", ""),
        ("  fundnews load articles/s", f"{loader['loader_articles_per_s']}  (goal >= 2000)"),
        ("  local write path (no Redis) articles/s",
         f"{loader['local_write_articles_per_s']}  (loader {loader['loader_vs_local']:.2f}x of it)"),
    ]


def worker_rows(worker: dict) -> Rows:
    return [
        (f"worker, {worker['pages']} pages, --workers 0, median of {worker['runs']}", ""),
        ("  CPU ms/page fundnews crawl", f"{worker['crawl_cpu_ms_per_page']}"),
        ("  CPU ms/page fundnews worker",
         f"{worker['worker_cpu_ms_per_page']}  ({worker['worker_vs_crawl']:.2f}x the crawl's)"),
        ("  CPU ms/page fundnews load", f"{worker['loader_cpu_ms_per_page']}"),
    ]


def table_rows(results: dict) -> Rows:
    render = {"crawl": crawl_rows, "crawl_real": crawl_rows, "memory": memory_rows,
              "sitemap_memory": sitemap_memory_rows, "big_text_memory": big_text_memory_rows,
              "load": load_rows, "query": query_rows, "loader": loader_rows, "worker": worker_rows}
    rows: Rows = []
    for section, value in results.items():
        if "error" in value:
            rows.append((section, f"FAILED: {value['error'].splitlines()[0][:80]}"))
        elif "skipped" in value:
            rows.append((section, f"skipped: {value['skipped']}"))
        else:
            rows += render[section](value)
    return rows


def print_table(rows: Rows) -> None:
    width = max((len(label) for label, _ in rows), default=0)
    for label, value in rows:
        print(f"{label:<{width}}  {value}" if value else label)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="fundnews-bench-"))
    started = time.perf_counter()
    report = {"date": datetime.now().isoformat(timespec="seconds"), "machine": machine(),
              "options": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()}}
    say(f"fundnews bench in {workdir} ({', '.join(args.only)}{', quick' if args.quick else ''})")
    try:
        report["results"] = run_sections(args, workdir)
    finally:
        if args.keep:
            say(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    report["seconds"] = round(time.perf_counter() - started, 1)
    report["machine"]["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, default=str) + "\n")
    print()
    print_table(table_rows(report["results"]))
    print(f"\n{report['seconds']:.0f}s in all; written to {args.out}")
    return 1 if any("error" in v for v in report["results"].values()) else 0


if __name__ == "__main__":
    sys.exit(main())
