"""Re-crawl of an unchanged site: ``python -m bench.recrawl_speed [--pages 1000] [--runs 3]``.

Crawls a generated site (``bench/sitegen.py``) into a fresh corpus, then crawls it again
unchanged. The second crawl should ask for the sitemaps (conditionally: 304) and
robots.txt and fetch no article page. Prints, as medians of --runs, both wall times and
their ratio (the goal: under 10% of the first crawl), and checks from each crawl's
stats that the re-crawl fetched no article.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
import time
from pathlib import Path

import duckdb

from bench import median, ratio, say
from bench.crawl_speed import fundnews_command, served_site


def crawl(sources: Path, db: Path) -> float:
    started = time.perf_counter()
    subprocess.run([*fundnews_command(), "crawl", "--sources", str(sources), "--db", str(db)],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def last_stats(db: Path) -> dict:
    with duckdb.connect(str(db), read_only=True) as con:
        return json.loads(con.execute("SELECT stats FROM crawls ORDER BY crawl_id DESC LIMIT 1").fetchone()[0])


def measure(pages: int, runs: int, workdir: Path) -> dict:
    firsts, seconds = [], []
    with served_site(workdir, pages) as served:
        for run in range(runs):
            db = workdir / f"recrawl-{run}.duckdb"
            firsts.append(crawl(served.sources, db))
            stored = last_stats(db).get("fundnews/stored", 0)
            seconds.append(crawl(served.sources, db))
            again = last_stats(db)
            fetched = again.get("fundnews/pages", 0)
            say(f"  run {run + 1}: first {firsts[-1]:.1f}s ({stored} stored), "
                f"re-crawl {seconds[-1]:.1f}s ({fetched} article pages fetched, "
                f"{again.get('downloader/request_count', 0)} requests)")
            if stored < pages or fetched:
                raise SystemExit(f"unexpected: first crawl stored {stored}/{pages}, re-crawl fetched {fetched}")
    first, second = median(firsts), median(seconds)
    return {"pages": pages, "runs": runs, "first_s": round(first, 2), "recrawl_s": round(second, 2),
            "ratio": round(ratio(second, first), 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fundnews-recrawl-") as tmp:
        result = measure(args.pages, args.runs, Path(tmp))
    print(f"re-crawl of an unchanged {result['pages']}-page site (median of {result['runs']}): "
          f"first {result['first_s']}s, re-crawl {result['recrawl_s']}s, "
          f"ratio {result['ratio']:.1%} of the first crawl (goal: under 10%)")


if __name__ == "__main__":
    main()
