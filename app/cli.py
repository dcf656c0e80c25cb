"""The ``fundnews`` command: crawl, demo, query, search, export, stats, sources.

Every command takes ``--db PATH`` (default ``data/corpus.duckdb`` or $FUNDNEWS_DB).
Bad input ends with one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
DEMO_DIR = REPO_ROOT / "demo"
DEMO_DB = "data/demo.duckdb"
DEMO_PORT = 8765


class UserError(Exception):
    """Bad input: reported as one line, exit status 2."""


# -- crawling -------------------------------------------------------------------------


def _scrapy_settings(db: str, workers: int | None, verbose: bool, progress: bool):
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    settings.set("FUNDNEWS_DB", db, priority="cmdline")
    if workers is not None:
        settings.set("FUNDNEWS_EXTRACT_WORKERS", workers, priority="cmdline")
    from corpus.progress import progress_every

    settings.set("FUNDNEWS_PROGRESS_SECONDS", progress_every(5) if progress else 0, priority="cmdline")
    settings.set("LOG_LEVEL", "INFO" if verbose else "WARNING", priority="cmdline")
    return settings


def run_crawl(sources: list, db: str, workers: int | None = None, verbose: bool = False,
              progress: bool = True, spider: type | None = None) -> int | None:
    """Crawl these sources in one Scrapy process into the corpus; returns the crawl id.
    A crawl whose writes the corpus refused prints its summary, then raises CorpusError
    (one line, exit status 2)."""
    from crawler import settings as defaults
    from crawler.pool import start_forkserver

    if (defaults.FUNDNEWS_EXTRACT_WORKERS if workers is None else workers) > 0:
        start_forkserver(defaults.FUNDNEWS_WORKER_PRELOAD)  # warms up while Scrapy starts
    from scrapy.crawler import CrawlerProcess

    from corpus.db import CorpusError, init_db
    from crawler.source_spider import spider_for

    init_db(db)
    settings = _scrapy_settings(db, workers, verbose, progress)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(spider or spider_for(sources))
    process.crawl(crawler)
    process.start()
    failure, unrecorded = (crawler.stats.get_value(f"fundnews/{key}") for key in ("failure", "unrecorded"))
    if failure:
        if not unrecorded:
            print_crawl_summary(db, crawler.stats.get_value("fundnews/crawl_id"))
        raise CorpusError(f"the crawl failed: {failure}" + (
            f" (not recorded in the corpus: {unrecorded})" if unrecorded and unrecorded != failure else ""))
    return crawler.stats.get_value("fundnews/crawl_id")


def print_crawl_summary(db: str, crawl_id: int | None) -> None:
    from corpus.db import connection
    from corpus.queries import sql

    if crawl_id is None:
        print("the crawl did not start; see the log above", file=sys.stderr)
        return
    with connection(db, read_only=True) as con:
        row = con.execute(sql("crawl_by_id"), [crawl_id]).fetchone()
        columns = [d[0] for d in con.description]
        stats_json = con.execute(sql("crawl_stats"), [crawl_id]).fetchone()[0]
        stored_by_source = dict(con.execute(sql("crawl_stored_by_source"), [crawl_id]).fetchall())
    if row is None or stats_json is None:
        print(f"crawl {crawl_id} was not recorded as finished; see the log above", file=sys.stderr)
        return
    stats = json.loads(stats_json)
    crawl = dict(zip(columns, row, strict=True))
    skipped = json.loads(crawl["skipped"] or "{}")
    statuses = json.loads(crawl["responses_by_status"] or "{}")
    print(f"\nCrawl {crawl_id} {crawl['status']} in {crawl['seconds']}s into {db}")
    print(f"  requests {crawl['requests']}  responses {statuses or '{}'}")
    print(f"  stored {crawl['items_stored']} (new {crawl['new']}, updated {crawl['updated']},"
          f" unchanged {crawl['unchanged']})  not fetched again {crawl['known']}"
          f"  copies {crawl['exact_copies']} exact, {crawl['near_copies']} near  errors {crawl['errors']}")
    if skipped:
        print("  skipped " + ", ".join(f"{k} {v}" for k, v in sorted(skipped.items())))
    extracted = {  # articles that reached the store; what is in the corpus may be fewer
        key.split("/")[2]: value for key, value in stats.items()
        if key.startswith("fundnews/fields/") and key.endswith("/articles")
    }
    for source_id in sorted(extracted.keys() | stored_by_source.keys(),
                            key=lambda s: (-stored_by_source.get(s, 0), s)):
        stored = stored_by_source.get(source_id, 0)
        lost = extracted.get(source_id, 0) - stored
        print(f"    {source_id:<28} {stored} articles stored"
              + (f" ({lost} more extracted but not stored)" if lost > 0 else ""))
    refused = stats.get("fundnews/refused/private_address")
    if refused:
        print(f"  refused {refused} requests to private addresses")


def cmd_crawl(args: argparse.Namespace) -> int:
    from app.locks import SourceLocks
    from crawler.registry import load_registry
    from app.schedule import due_sources

    registry = load_registry(args.sources)
    if not registry.sources:
        raise UserError(f"no usable source in {args.sources or 'the built-in registry'}")
    sources = registry.select(args.ids)
    if args.redis:
        if args.due:
            raise UserError("--due is for a local crawl; `fundnews schedule --redis URL` queues due sources")
        return cmd_crawl_redis(args, sources)
    if args.due:
        sources = due_sources(sources, args.db)
        if not sources:
            print("no source is due")
            return 0
    locks = SourceLocks(args.db)
    locked, busy = locks.acquire([s.id for s in sources])
    if busy:
        print(f"skipping sources another crawl is running: {', '.join(busy)}", file=sys.stderr)
    try:
        if not locked:
            return 0
        crawl_id = run_crawl([s for s in sources if s.id in locked], args.db,
                             workers=args.workers, verbose=args.verbose)
    finally:
        locks.release()
    print_crawl_summary(args.db, crawl_id)
    return _crawl_exit_status(args.db, crawl_id, sorted(locked))


def _crawl_exit_status(db: str, crawl_id: int | None, source_ids: list[str]) -> int:
    """1 when not one of the sources could be crawled (no entry point answered), so cron and
    systemd notice; 0 otherwise, partial failures included (they are in `fundnews stats`)."""
    from corpus.db import connection
    from corpus.queries import sql

    if crawl_id is None:
        return 1
    with connection(db, read_only=True) as con:
        stats_json = con.execute(sql("crawl_stats"), [crawl_id]).fetchone()[0]
        status = con.execute(sql("crawl_by_id"), [crawl_id]).fetchone()
    stats = json.loads(stats_json or "{}")
    if status is None or not source_ids or any(stats.get(f"fundnews/reached/{s}") for s in source_ids):
        return 0
    if stats.get("finish_reason", "finished") != "finished":
        return 0  # stopped (Ctrl-C, SIGTERM) before it got anywhere: not a failure of the sources
    print(f"fundnews: no selected source could be crawled ({', '.join(source_ids)}); "
          "see the errors above and `fundnews stats`", file=sys.stderr)
    return 1


def cmd_schedule(args: argparse.Namespace) -> int:
    from crawler.registry import load_registry
    from app.schedule import Scheduler

    def load_sources() -> list:
        registry = load_registry(args.sources)  # re-read each time: edits apply without a restart
        return registry.select(args.ids)

    load_sources()  # bad ids or folder: fail now, with one line
    if args.redis:
        from app.schedule import schedule_redis

        print(f"fundnews schedule: seeding due sources into {args.redis}", flush=True)
        return _redis_call(schedule_redis, args.redis, load_sources, args.tick, args.max_runs)
    print(f"fundnews schedule: {args.db}; Ctrl-C stops after the running crawl flushes", flush=True)
    return Scheduler(args.db, args.sources, tick=args.tick, max_runs=args.max_runs,
                     workers=args.workers).run(load_sources)


def cmd_reprocess(args: argparse.Namespace) -> int:
    from corpus.db import open_db
    from crawler.reprocess import ReprocessSpider

    open_db(args.db, read_only=True).close()  # a clear error when there is no corpus
    spider = type("Reprocess", (ReprocessSpider,), {"source_ids": tuple(args.ids)})
    crawl_id = run_crawl([], args.db, workers=args.workers, verbose=args.verbose, spider=spider)
    print_crawl_summary(args.db, crawl_id)
    return 0


# -- scale-out: a shared queue on Redis, workers, one loader (crawler/distributed.py) ------------


def _redis_call(function, url: str, *args: Any) -> Any:
    import redis

    try:
        return function(url, *args)
    except redis.ConnectionError as exc:
        raise UserError(f"cannot reach Redis at {url}: {exc}") from None


def cmd_crawl_redis(args: argparse.Namespace, sources: list) -> int:
    from crawler.distributed import seed

    crawl, opened, count = _redis_call(seed, args.redis, sources)
    print(f"crawl {crawl} ({'opened' if opened else 'joined, still running'}): queued {count} entry"
          f" points of {len(sources)} sources on {args.redis}; `fundnews worker` fetches them,"
          " `fundnews load` writes the corpus")
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    from crawler.distributed import run_worker
    from crawler.registry import load_registry

    if not args.redis:
        raise UserError("fundnews worker needs --redis URL (or $FUNDNEWS_REDIS)")
    sources = list(load_registry(args.sources).sources.values())
    settings = _scrapy_settings(args.db, args.workers, args.verbose, progress=False)
    return _redis_call(run_worker, args.redis, settings, sources, args.idle_exit)


def cmd_load(args: argparse.Namespace) -> int:
    from crawler.loader import Loader

    if not args.redis:
        raise UserError("fundnews load needs --redis URL (or $FUNDNEWS_REDIS)")
    return _redis_call(lambda url: Loader(url, args.db, args.batch_size, args.idle_exit).run(), args.redis)


# -- demo ---------------------------------------------------------------------------------


def _demo_sources(base_url: str, target: Path) -> Path:
    """The demo's source files, pointed at wherever the sample site is served."""
    host = base_url.split("//", 1)[1].rstrip("/")
    for path in (DEMO_DIR / "sources").glob("*.toml"):
        text = path.read_text(encoding="utf-8").replace(f"127.0.0.1:{DEMO_PORT}", host)
        (target / path.name).write_text(text, encoding="utf-8")
    return target


def cmd_demo(args: argparse.Namespace) -> int:
    from corpus.db import connection
    from corpus.output import render
    from crawler.registry import load_registry
    from app.sitehost import SiteHost

    db = args.db if args.db_given else DEMO_DB
    for suffix in ("", ".wal"):
        Path(db + suffix).unlink(missing_ok=True)
    placeholder = f"127.0.0.1:{DEMO_PORT}"
    try:
        site = SiteHost(DEMO_DIR / "site", port=DEMO_PORT, placeholder=placeholder)
    except OSError:  # 8765 busy: any free port, the site's own links rewritten to it
        site = SiteHost(DEMO_DIR / "site", port=0, placeholder=placeholder)
    with site, tempfile.TemporaryDirectory() as tmp:
        print(f"Serving the bundled sample site at {site.base_url}")
        registry = load_registry(_demo_sources(site.base_url, Path(tmp)))
        crawl_id = run_crawl(registry.select(), db, workers=args.workers, verbose=args.verbose)
    print_crawl_summary(db, crawl_id)
    examples = [
        ("The biggest AI rounds (one row per event, merged from every article)",
         "SELECT company, round_type, usd_millions, valuation_usd_millions, announced_on, "
         "lead_investors, articles FROM biggest_ai_rounds"),
        ("Funding news that is not about AI, or not a new raise",
         "SELECT CAST(published_at AS DATE) AS published, title, is_ai, is_funding FROM articles "
         "WHERE NOT (is_ai AND is_funding) ORDER BY published_at"),
    ]
    with connection(db, read_only=True) as con:
        for title, query in examples:
            cursor = con.execute(query)
            print(f"\n{title}:\n  fundnews query --db {db} \"{query}\"\n")
            print(render([d[0] for d in cursor.description], cursor.fetchall()))
    _demo_report(db)
    return 0


def _demo_report(db: str) -> None:
    """The demo corpus's HTML report, beside it; its path is the demo's last line."""
    from corpus.report import write_report

    out = Path(db).with_name(Path(db).stem + "-report.html")
    write_report(db, out)
    print(f"\nThe demo corpus as charts and tables (fundnews report --db {db} --out {out}):\n"
          f"  {out.resolve()}")


# -- reading the corpus --------------------------------------------------------------------


def cmd_query(args: argparse.Namespace) -> int:
    import duckdb

    from corpus.db import connection, load_fts, lock_down
    from corpus.output import render

    with connection(args.db, read_only=True) as con:
        load_fts(con)  # for the search index's functions; then nothing else can be loaded
        lock_down(con)
        try:
            cursor = con.execute(args.sql)
        except duckdb.Error as exc:
            hint = ("; `fundnews query` only reads the corpus: no files, ATTACH, LOAD, INSTALL or SET"
                    if isinstance(exc, duckdb.PermissionException) or "locked" in str(exc) else "")
            raise UserError(f"query failed: {str(exc).splitlines()[0]}{hint}") from None
        if cursor.description is None:
            return 0
        print(render([d[0] for d in cursor.description], cursor.fetchall(), args.format))
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from corpus.output import render
    from corpus.search import search

    columns, rows = search(args.db, " ".join(args.terms), args.limit)
    print(render(columns, rows, args.format))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from corpus.export import export

    if args.dataset:
        return _export_dataset(args)
    if not args.out:
        raise UserError("export needs --out PATH (one file) or --dataset DIR (a dataset folder)")
    query = args.query or f"SELECT * FROM {args.table}"
    if args.table and not args.table.replace("_", "").isalnum():
        raise UserError(f"not a table or view name: {args.table!r}")
    rows = export(args.db, args.out, args.format, query)
    print(f"wrote {rows} rows to {args.out} ({args.format})")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from corpus.report import write_report

    if args.days is not None and args.days < 1:
        raise UserError("--days takes a number of days, 1 or more")
    report = write_report(args.db, args.out, days=args.days)
    what = "empty corpus" if report.empty else f"{report.articles} articles, {report.rounds} rounds"
    print(f"wrote {args.out} ({what}, {len(report.charts)} charts): file://{Path(args.out).resolve()}")
    return 0


def _export_dataset(args: argparse.Namespace) -> int:
    from corpus.dataset import export_dataset

    if args.out or args.query:
        raise UserError("--dataset writes every table with its card; it takes no --out or --query")
    counts = export_dataset(args.db, args.dataset, sources=_known_sources(args.sources))
    print(f"wrote the dataset to {args.dataset}: "
          + ", ".join(f"{name} {n:,}" for name, n in counts.items()) + f" rows; card: {args.dataset}/README.md")
    return 0


def _known_sources(folder: str | None) -> dict:
    """Source id -> registry entry, from the built-in registry, the demo's and `folder`."""
    from crawler.registry import load_registry

    known = {}
    for directory in (None, DEMO_DIR / "sources", *([folder] if folder else [])):  # None: built-in
        known.update(load_registry(directory).sources)
    return known


def cmd_stats(args: argparse.Namespace) -> int:
    from corpus.db import connection
    from corpus.output import render
    from corpus.queries import sql

    _print_source_schedule(args)
    with connection(args.db, read_only=True) as con:
        total = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        print(f"\n{total} articles in {args.db}\n\nBy source:")
        for title, query, params in (
            (None, "stats_by_source", []),
            (f"\nBy day (last {args.days}):", "stats_by_day", [args.days]),
            ("\nLast crawls:", "last_crawls", [args.crawls]),
        ):
            if title:
                print(title)
            cursor = con.execute(sql(query), params)
            print(render([d[0] for d in cursor.description], cursor.fetchall()))
    return 0


def _print_source_schedule(args: argparse.Namespace) -> None:
    """Each source of this corpus (and of --sources DIR): last run, next due time, last error."""
    from corpus.db import connection
    from corpus.output import render
    from corpus.queries import sql
    from crawler.registry import load_registry
    from app.schedule import last_runs, next_due
    from crawler.clock import utcnow

    with connection(args.db, read_only=True) as con:  # a clear error when there is no corpus
        ids = [row[0] for row in con.execute(sql("corpus_source_ids")).fetchall()]
    known = _known_sources(args.sources)
    if args.sources:
        ids = sorted(set(ids) | set(load_registry(args.sources).sources))
    runs, now = last_runs(args.db), utcnow()
    rows = []
    for source_id in ids:
        run, source = runs.get(source_id, {}), known.get(source_id)
        due = next_due(source, run.get("started_at"), now) if source else None
        rows.append((source_id, source.every if source else "(not in the registry)", run.get("started_at"),
                     run.get("status"), run.get("stored"),
                     "" if due is None else "now" if due <= now else due.replace(microsecond=0),
                     run.get("last_error") or ""))
    rows.sort(key=lambda r: (r[2] is None, r[0]))
    if not rows:
        print("Sources: none yet; no source has been crawled into this corpus")
        return
    print("Sources:")
    print(render(["source", "every", "last_run", "status", "stored", "next_due", "last_error"], rows))


# -- sources ---------------------------------------------------------------------------------


def cmd_sources_list(args: argparse.Namespace) -> int:
    from corpus.output import render
    from crawler.registry import load_registry

    registry = load_registry(args.sources)
    rows = [
        (s.id, s.kind, "yes" if s.enabled else "no", s.every,
         " → ".join(e.type for e in s.entries), s.entries[0].url)
        for s in registry.sources.values()
    ]
    print(render(["id", "kind", "enabled", "every", "entries", "first entry"], rows, args.format))
    for error in registry.errors:
        print(f"broken source file: {error}", file=sys.stderr)
    return 1 if registry.errors else 0


def cmd_sources_check(args: argparse.Namespace) -> int:
    from corpus.db import default_db_path
    from corpus.output import render
    from crawler.check import check_sources
    from crawler.registry import load_registry

    registry = load_registry(args.sources)
    sources = registry.select(args.ids)
    jobs = [(s, e) for s in sources for e in s.entries]
    print(f"checking {len(jobs)} entry points of {len(sources)} sources (robots.txt, host "
          f"delays and the private-address guard as in a crawl)...", file=sys.stderr)
    settings = _scrapy_settings(args.db or default_db_path(), 0, False, False)
    rows = check_sources(sources, settings, args.timeout)
    print(render(["source", "entry", "answer", "url"], rows))
    return 0 if all(row[2].startswith("200") for row in rows) else 1


# -- argument parsing --------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    from corpus.db import default_db_path
    from corpus.output import FORMATS

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=None, help="corpus file (default: data/corpus.duckdb or $FUNDNEWS_DB)")
    crawl_opts = argparse.ArgumentParser(add_help=False)
    crawl_opts.add_argument("--workers", type=int, default=None,
                            help="analysis processes: extraction, labels, rounds (default: one per core; 0: inline)")
    crawl_opts.add_argument("-v", "--verbose", action="store_true", help="Scrapy's INFO log")
    redis_opts = argparse.ArgumentParser(add_help=False)
    redis_opts.add_argument("--redis", metavar="URL", default=os.environ.get("FUNDNEWS_REDIS") or None,
                            help="scale out: the shared queue (default: $FUNDNEWS_REDIS; none: this process)")
    idle_opts = argparse.ArgumentParser(add_help=False)
    idle_opts.add_argument("--idle-exit", type=float, default=None, metavar="SECONDS",
                           help="exit once there has been no work anywhere for this long")

    parser = argparse.ArgumentParser(prog="fundnews", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = commands.add_parser("crawl", parents=[common, crawl_opts, redis_opts],
                            help="crawl sources into the corpus (with --redis: queue them for workers)")
    p.add_argument("ids", nargs="*", metavar="SOURCE", help="source ids (default: every enabled source)")
    p.add_argument("--sources", metavar="DIR", help="folder of source files instead of the built-in registry")
    p.add_argument("--due", action="store_true", help="only the sources whose cadence says they are due")
    p.set_defaults(func=cmd_crawl)

    p = commands.add_parser("schedule", parents=[common, crawl_opts, redis_opts],
                            help="run in the foreground, crawling each source when it is due")
    p.add_argument("ids", nargs="*", metavar="SOURCE", help="only these sources (default: every enabled one)")
    p.add_argument("--sources", metavar="DIR")
    p.add_argument("--tick", type=float, default=60.0, help="longest sleep between checks, seconds")
    p.add_argument("--max-runs", type=int, default=None, help="stop after this many crawls")
    p.set_defaults(func=cmd_schedule)

    p = commands.add_parser("worker", parents=[common, crawl_opts, redis_opts, idle_opts],
                            help="scale out: fetch and analyse from the shared queue")
    p.add_argument("--sources", metavar="DIR", help="folder of source files instead of the built-in registry")
    p.set_defaults(func=cmd_worker)

    p = commands.add_parser("load", parents=[common, redis_opts, idle_opts],
                            help="scale out: the one writer, from the workers' results into the corpus")
    p.add_argument("--batch-size", type=int, default=2000, help="articles per corpus write")
    p.set_defaults(func=cmd_load)

    p = commands.add_parser("reprocess", parents=[common, crawl_opts],
                            help="re-extract stored raw pages through the pipelines, fetching nothing")
    p.add_argument("ids", nargs="*", metavar="SOURCE", help="only these sources (default: all)")
    p.set_defaults(func=cmd_reprocess)

    p = commands.add_parser("demo", parents=[common, crawl_opts],
                            help="crawl the bundled sample site offline into data/demo.duckdb")
    p.set_defaults(func=cmd_demo)

    p = commands.add_parser("query", parents=[common], help="run SQL against the corpus")
    p.add_argument("sql")
    p.add_argument("--format", choices=FORMATS, default="table")
    p.set_defaults(func=cmd_query)

    p = commands.add_parser("search", parents=[common], help="full-text search of titles and texts")
    p.add_argument("terms", nargs="+")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--format", choices=FORMATS, default="table")
    p.set_defaults(func=cmd_search)

    p = commands.add_parser("export", parents=[common], help="export a dataset (Parquet, CSV, JSON lines)")
    p.add_argument("--format", choices=["parquet", "csv", "jsonl"], default="parquet")
    p.add_argument("--out", metavar="PATH", help="the file to write")
    p.add_argument("--dataset", metavar="DIR", help="instead: a Hugging Face dataset folder "
                   "(Parquet per table and a README.md card)")
    p.add_argument("--sources", metavar="DIR", help="source files to name in the card, besides the built-in ones")
    what = p.add_mutually_exclusive_group()
    what.add_argument("--table", default="articles", help="table or view to export (default: articles)")
    what.add_argument("--query", metavar="SQL", help="export the rows of this query instead")
    p.set_defaults(func=cmd_export)

    p = commands.add_parser("report", parents=[common],
                            help="one HTML page of charts and tables that opens offline")
    p.add_argument("--out", default="report.html", metavar="PATH", help="default: report.html")
    p.add_argument("--days", type=int, default=None, help="only the last N days (default: all)")
    p.set_defaults(func=cmd_report)

    p = commands.add_parser("stats", parents=[common],
                            help="sources (last run, next due, last error), articles by source and day, last crawls")
    p.add_argument("--sources", metavar="DIR", help="also list this folder's sources, crawled or not")
    p.add_argument("--days", type=int, default=14)
    p.add_argument("--crawls", type=int, default=10)
    p.set_defaults(func=cmd_stats)

    p = commands.add_parser("sources", help="the source registry")
    sources = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    s = sources.add_parser("list", parents=[common], help="list the sources")
    s.add_argument("--sources", metavar="DIR")
    s.add_argument("--format", choices=FORMATS, default="table")
    s.set_defaults(func=cmd_sources_list)
    s = sources.add_parser("check", parents=[common], help="does each entry point answer? (online)")
    s.add_argument("ids", nargs="*", metavar="SOURCE")
    s.add_argument("--sources", metavar="DIR")
    s.add_argument("--timeout", type=float, default=15.0)
    s.set_defaults(func=cmd_sources_check)

    parser.set_defaults(default_db=default_db_path())
    return parser


def main(argv: list[str] | None = None) -> int:
    from corpus.db import CorpusError
    from crawler.registry import SourceError

    args = build_parser().parse_args(argv)
    args.db_given = args.__dict__.get("db") is not None
    if "db" in args.__dict__ and args.db is None:
        args.db = args.default_db
    started = time.monotonic()
    try:
        return args.func(args)
    except (UserError, CorpusError, SourceError) as exc:
        print(f"fundnews: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"\nfundnews: interrupted after {time.monotonic() - started:.0f}s", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
