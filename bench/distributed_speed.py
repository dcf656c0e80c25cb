"""Scale-out: what one loader absorbs, and what a worker costs per page.

``loader``: a results stream filled with N analysed articles as workers hand them on
(synthetic rows from ``load_speed``, each with its gzip WARC record, MinHash signature
and fetch log), then ``Loader.run`` in this process drains it into a fresh corpus:
articles/s over the whole drain (Redis reads, unpickling, archive, Arrow write, stories,
acknowledgements). Goal: >= 2,000 articles/s, the output of some fifty workers. The
baseline in the same run: the same rows through the local crawl's write path
(``corpus/batches.py``: archive, ``CorpusStore.write``, stories) with no Redis; the
ratio is the stream's overhead.

``worker``: the synthetic site crawled by ``fundnews crawl --workers 0`` and by one
``fundnews worker --workers 0`` (seeded by ``fundnews crawl --redis``, drained by a
``fundnews load``), CPU ms per page of each process tree, medians of ``--runs``.

Redis: ``$FUNDNEWS_REDIS`` or 127.0.0.1:6379, keys under a prefix of their own.
"""

from __future__ import annotations

import os
import pickle
import shutil
import uuid
from pathlib import Path

from bench import median, rate, ratio, run_measured, say, timed

REDIS = os.environ.get("FUNDNEWS_REDIS") or "redis://127.0.0.1:6379/0"


def _redis_or_reason() -> tuple[object | None, str]:
    import redis

    client = redis.Redis.from_url(REDIS, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        return None, f"no Redis at {REDIS}: {exc}"
    return client, ""


def _drop_prefix(client, prefix: str) -> None:
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)


def analysed_articles(count: int) -> list[dict]:
    """What a worker hands on per article: the store's rows, raw page, signature, fetch log."""
    from corpus import warc
    from bench.load_speed import synthetic_rows
    from analysis.neardup import signature, signature_to_bytes

    articles = []
    for row in synthetic_rows(count):
        for name in ("warc_file", "warc_offset", "warc_length", "duplicate_of"):
            row.pop(name, None)
        html = f"<html><body><article>{row['text']}</article></body></html>"
        row["warc_gz"] = warc.record_bytes(row["url"], row["fetched_at"], html)
        page = {"url_key": row["canonical_url"], "status": 200, "fetched_at": row["fetched_at"],
                "etag": row["etag"], "last_modified": row["last_modified"]}
        articles.append({"row": row, "mentions": [], "evidence": [],
                         "minhash": signature_to_bytes(signature(row["text"])), "pages": [page]})
    return articles


def _fill(client, prefix: str, articles: list[dict]) -> None:
    key = f"{prefix}:results"
    for start in range(0, len(articles), 500):
        pipe = client.pipeline(transaction=False)
        for article in articles[start:start + 500]:
            pipe.xadd(key, {"kind": "article", "crawl": 1, "data": pickle.dumps(article)})
        pipe.execute()


def _fresh(path: Path) -> str:
    for suffix in ("", ".wal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    shutil.rmtree(f"{path}.warc", ignore_errors=True)
    return str(path)


def loader_once(client, workdir: Path, articles: list[dict], tag: str) -> float:
    from crawler.loader import Loader

    prefix = f"fundnews-bench-{uuid.uuid4().hex[:8]}"
    os.environ["FUNDNEWS_REDIS_PREFIX"] = prefix
    try:
        _fill(client, prefix, articles)
        loader = Loader(REDIS, _fresh(workdir / f"loader-{tag}.duckdb"), progress=False, idle_exit=0)
        seconds, _ = timed(loader.run)
        if loader.loaded != len(articles):
            raise RuntimeError(f"the loader wrote {loader.loaded} of {len(articles)} articles")
        return rate(len(articles), seconds)
    finally:
        _drop_prefix(client, prefix)
        os.environ.pop("FUNDNEWS_REDIS_PREFIX", None)


def local_write_once(workdir: Path, articles: list[dict], tag: str) -> float:
    """The local crawl's write path (``corpus/batches.py``) on the same rows, 500 at a time."""
    from corpus.batches import Batch, BatchWriter

    writer = BatchWriter(_fresh(workdir / f"local-{tag}.duckdb"))
    writer.store.migrate()
    batches = []
    for start in range(0, len(articles), 500):
        batch = Batch()
        for article in pickle.loads(pickle.dumps(articles[start:start + 500])):
            batch.add({**article["row"], "crawl_id": 1}, article["mentions"], article["evidence"],
                      article["minhash"])
            batch.pages += [{**page, "crawl_id": 1} for page in article["pages"]]
        batches.append(batch)

    def write() -> None:
        writer.open()
        for batch in batches:
            outcome = writer.write(batch)
            if outcome.error is not None:
                raise outcome.error

    seconds, _ = timed(write)
    return rate(len(articles), seconds)


def bench_loader(workdir: Path, count: int, runs: int) -> dict:
    client, reason = _redis_or_reason()
    if client is None:
        return {"skipped": reason}
    say(f"  building {count} analysed articles...")
    articles = analysed_articles(count)
    loader, local = [], []
    for run in range(1, runs + 1):
        loader.append(loader_once(client, workdir, articles, str(run)))
        local.append(local_write_once(workdir, articles, str(run)))
        say(f"  run {run}/{runs}: loader {loader[-1]:.0f} articles/s, local write path {local[-1]:.0f}/s")
    return {"articles": count, "runs": runs, "loader_articles_per_s": round(median(loader)),
            "local_write_articles_per_s": round(median(local)),
            "loader_vs_local": round(ratio(median(loader), median(local)), 2),
            "all_runs": {"loader": [round(x) for x in loader], "local": [round(x) for x in local]}}


def bench_worker(workdir: Path, pages: int, runs: int) -> dict:
    from bench.crawl_speed import count_articles, fundnews_command, served_site

    client, reason = _redis_or_reason()
    if client is None:
        return {"skipped": reason}
    fundnews = fundnews_command()
    results: dict[str, list[float]] = {"crawl": [], "worker": [], "loader": []}
    with served_site(workdir, pages) as served:
        for run in range(1, runs + 1):
            db = _fresh(workdir / f"crawl-w0-{run}.duckdb")
            local = run_measured([*fundnews, "crawl", "--sources", str(served.sources), "--db", db,
                                  "--workers", "0"], workdir / f"crawl-w0-{run}.log")
            results["crawl"].append(local.usage.tree_cpu * 1000 / max(count_articles(Path(db)), 1))
            prefix = f"fundnews-bench-{uuid.uuid4().hex[:8]}"
            env = {"FUNDNEWS_REDIS": REDIS, "FUNDNEWS_REDIS_PREFIX": prefix}
            db = _fresh(workdir / f"dist-{run}.duckdb")
            try:
                run_measured([*fundnews, "crawl", "--sources", str(served.sources)], workdir / "seed.log", env=env)
                worker = run_measured([*fundnews, "worker", "--sources", str(served.sources), "--workers", "0",
                                       "--idle-exit", "1"], workdir / f"worker-{run}.log", env=env)
                loader = run_measured([*fundnews, "load", "--db", db, "--idle-exit", "1"],
                                      workdir / f"load-{run}.log", env=env)
            finally:
                _drop_prefix(client, prefix)
            stored = max(count_articles(Path(db)), 1)
            results["worker"].append(worker.usage.tree_cpu * 1000 / stored)
            results["loader"].append(loader.usage.tree_cpu * 1000 / stored)
            say(f"  run {run}/{runs}: CPU ms/page crawl {results['crawl'][-1]:.1f}, worker "
                f"{results['worker'][-1]:.1f}, loader {results['loader'][-1]:.1f} ({stored} articles)")
    summary = {f"{k}_cpu_ms_per_page": round(median(v), 1) for k, v in results.items()}
    summary.update(pages=pages, runs=runs, worker_vs_crawl=round(
        ratio(summary["worker_cpu_ms_per_page"], summary["crawl_cpu_ms_per_page"]), 2))
    return summary
