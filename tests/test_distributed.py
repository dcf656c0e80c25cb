"""Scale-out on a real Redis: `fundnews crawl --redis` seeds, `fundnews worker` processes
fetch and analyse, one `fundnews load` writes the corpus. Every process is a real
subprocess against fixture sites on 127.0.0.1; each test has its own key prefix.

Redis: 127.0.0.1:6379 when it answers, else a `redis-server` started on a free port,
else these tests skip, saying why.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest
import redis
from conftest import FEED_SOURCE, FIXTURES, PLACEHOLDER, REPO, Workspace, query, run_cli
from test_politeness import source as polite_source
from test_politeness import write_site

from app.sitehost import SiteHost


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def redis_server():
    """A Redis URL: the machine's, or one of our own."""
    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1).ping()
        yield "redis://127.0.0.1:6379/0"
        return
    except redis.RedisError:
        pass
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("no Redis: nothing answers on 127.0.0.1:6379 and there is no redis-server binary")
    port = _free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no"], stdout=subprocess.DEVNULL)
    client = redis.Redis(host="127.0.0.1", port=port)
    for _ in range(50):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.1)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(10)


class Cluster:
    """Processes sharing one key prefix: seeders, workers, a loader."""

    def __init__(self, url: str, ws: Workspace):
        self.url, self.ws = url, ws
        self.prefix = f"fundnews-test-{uuid.uuid4().hex[:8]}"
        self.env = {**os.environ, "FUNDNEWS_REDIS": url, "FUNDNEWS_REDIS_PREFIX": self.prefix,
                    "FUNDNEWS_REDIS_LEASE": "2"}
        self.client = redis.Redis.from_url(url)
        self.processes: list[subprocess.Popen] = []

    def cli(self, *args: str):
        result = run_cli(*args, cwd=self.ws.root, env=self.env)
        assert result.returncode == 0, result.stderr[-3000:]
        return result

    def seed(self, *ids: str):
        return self.cli("crawl", *ids, "--sources", str(self.ws.sources), "--db", str(self.ws.db))

    def start(self, command: str, *args: str) -> subprocess.Popen:
        process = subprocess.Popen(
            [sys.executable, "-m", "app.cli", command, *args], cwd=self.ws.root, env=self.env,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.processes.append(process)
        return process

    def worker(self, idle_exit: float | None = 3) -> subprocess.Popen:
        args = ["--sources", str(self.ws.sources), "--workers", "0"]
        return self.start("worker", *args, *(["--idle-exit", str(idle_exit)] if idle_exit else []))

    def loader(self, idle_exit: float | None = 3, batch_size: int = 500) -> subprocess.Popen:
        args = ["--db", str(self.ws.db), "--batch-size", str(batch_size)]
        return self.start("load", *args, *(["--idle-exit", str(idle_exit)] if idle_exit else []))

    def wait(self, *processes: subprocess.Popen, timeout: float = 180) -> list[str]:
        outputs = []
        for process in processes:
            out, err = process.communicate(timeout=timeout)
            assert process.returncode == 0, err[-3000:]
            outputs.append(out)
        return outputs

    def run(self, workers: int = 3) -> list[str]:
        """Workers and a loader until the seeded crawl is over; their outputs."""
        started = [self.worker() for _ in range(workers)] + [self.loader()]
        return self.wait(*started)

    def close(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.kill()
                process.communicate()
        keys = list(self.client.scan_iter(f"{self.prefix}:*"))
        if keys:
            self.client.delete(*keys)


@pytest.fixture
def cluster(redis_server, tmp_path):
    clusters = []

    def make(site: SiteHost, name: str = "dist") -> Cluster:
        (tmp_path / name).mkdir()
        made = Cluster(redis_server, Workspace(tmp_path / name, site))
        clusters.append(made)
        return made

    yield make
    for made in clusters:
        made.close()


def corpus(db: Path) -> dict:
    """What a user compares: articles, their stories, the rounds."""
    articles = query(db, "SELECT canonical_url, title, published_at, language, content_hash, is_ai, is_funding,"
                         " length(text) AS chars FROM articles ORDER BY canonical_url")
    stories = query(db, "SELECT list(canonical_url ORDER BY canonical_url) AS urls FROM articles"
                        " GROUP BY story_id ORDER BY urls")
    rounds = query(db, "SELECT company, round_type, amount_usd, lead_investors, investors, announced_on, articles"
                       " FROM funding_rounds ORDER BY company, round_type")
    return {"articles": articles, "stories": stories, "rounds": rounds}


def crawls(db: Path) -> list[dict]:
    return query(db, "SELECT * FROM crawls ORDER BY crawl_id")


def test_three_workers_and_a_loader_make_the_corpus_one_crawl_makes(site, cluster, tmp_path):
    (tmp_path / "local").mkdir()
    local = Workspace(tmp_path / "local", site)
    local.source("fixture", FEED_SOURCE)
    local.crawl()
    local_fetches = Counter(site.paths())
    site.clear_log()

    dist = cluster(site)
    dist.ws.source("fixture", FEED_SOURCE)
    seeded = dist.seed()
    assert "queued 1 entry points" in seeded.stdout
    outputs = dist.run(workers=3)

    expected = corpus(local.db)
    assert expected["articles"] and expected["rounds"]
    assert corpus(dist.ws.db) == expected
    fetches = Counter(site.paths())
    robots = fetches.pop("/robots.txt")
    local_fetches.pop("/robots.txt")
    assert fetches == local_fetches  # each page as often as one crawl fetches it (a 500 is retried)
    assert 1 <= robots <= 3  # each worker reads robots.txt once, if it fetches anything
    assert not any(p.startswith("/private/") for p in fetches)  # robots.txt holds in workers
    row = crawls(dist.ws.db)[-1]
    local_row = crawls(local.db)[-1]
    assert row["status"] == "finished" and row["items_stored"] == len(expected["articles"])
    runs = "SELECT source_id, stored FROM source_runs"  # what the loader wrote for the source
    assert query(dist.ws.db, runs) == query(local.db, runs) == [
        {"source_id": "fixture", "stored": len(expected["articles"])}]
    assert json.loads(row["skipped"]) == json.loads(local_row["skipped"])
    stats = json.loads(row["stats"])
    assert stats["fundnews/distributed/crawl"] == 1
    assert stats["fundnews/funding/rounds"] == len(expected["rounds"])
    assert "crawl 1 finished" in outputs[-1]
    assert dist.client.xlen(f"{dist.prefix}:results") == 0  # every entry written and acknowledged


def test_a_host_delay_holds_across_workers(tmp_path, cluster):
    write_site(tmp_path / "site", 8)
    with SiteHost(tmp_path / "site", placeholder=PLACEHOLDER) as site:
        dist = cluster(site)
        dist.ws.source("polite", polite_source("{base}", delay=1.0, concurrency=2))
        dist.seed()
        outputs = dist.run(workers=3)
        assert len([p for p in site.paths() if p.startswith("/a/")]) == 8
        gaps = site.gaps("/")  # robots.txt, the feed and the pages, whichever worker sent them
        assert min(gaps) >= 1.0 - 0.02, sorted(gaps)[:3]
        senders = [out for out in outputs[:3] if " 0 requests" not in out.splitlines()[-1]]
        assert len(senders) >= 2, outputs  # the host's turns were shared between workers
        assert len(query(dist.ws.db, "SELECT url FROM articles")) == 8


def test_the_private_address_guard_holds_in_workers(site, cluster):
    dist = cluster(site)
    dist.ws.source("fixture", FEED_SOURCE.replace("allow_private_addresses = true",
                                                  "allow_private_addresses = false"))
    dist.seed()
    dist.run(workers=1)
    assert site.paths() == []
    row = crawls(dist.ws.db)[-1]
    assert row["status"] == "finished" and row["items_stored"] == 0
    assert json.loads(row["stats"])["fundnews/refused/private_address"] >= 1


def wait_for_pages(site: SiteHost, worker: subprocess.Popen, count: int) -> None:
    """Until the worker has fetched `count` article pages of the site."""
    deadline = time.monotonic() + 60
    while len([p for p in site.paths() if p.startswith("/a/")]) < count:
        assert time.monotonic() < deadline and worker.poll() is None
        time.sleep(0.05)


def test_a_killed_workers_pages_are_crawled_by_another(tmp_path, cluster):
    pages = 12
    write_site(tmp_path / "site", pages, {"slow": {f"/a/{i}.html": 0.4 for i in range(pages)}})
    with SiteHost(tmp_path / "site", placeholder=PLACEHOLDER) as site:
        dist = cluster(site)
        dist.ws.source("slow", polite_source("{base}", delay=0, concurrency=2))
        dist.seed()
        first = dist.worker(idle_exit=None)
        wait_for_pages(site, first, 3)
        first.send_signal(signal.SIGKILL)
        first.communicate()
        taken = [k for k in dist.client.scan_iter(f"{dist.prefix}:taken:*") if dist.client.hlen(k)]
        assert taken  # it died holding requests
        fetched_by_first = {p for p in site.paths() if p.startswith("/a/")}
        assert len(fetched_by_first) < pages
        dist.run(workers=1)
        stored = {r["url"].rsplit("/", 1)[1] for r in query(dist.ws.db, "SELECT url FROM articles")}
        assert stored == {f"{i}.html" for i in range(pages)}
        assert query(dist.ws.db, "SELECT count(*) AS n FROM articles")[0]["n"] == pages
        row = crawls(dist.ws.db)[-1]
        assert row["status"] == "finished"
        assert json.loads(row["stats"])["fundnews/distributed/reclaimed"] >= 1


def test_a_killed_loader_loses_nothing_and_doubles_nothing(tmp_path, cluster):
    pages = 20
    write_site(tmp_path / "site", pages)
    with SiteHost(tmp_path / "site", placeholder=PLACEHOLDER) as site:
        dist = cluster(site)
        dist.ws.source("many", polite_source("{base}", delay=0, concurrency=4))
        dist.seed()
        dist.wait(dist.worker())  # the stream fills; no loader yet
        assert dist.client.xlen(f"{dist.prefix}:results") >= pages
        loader = dist.loader(idle_exit=None, batch_size=3)
        for line in loader.stdout:
            if line.startswith("loaded "):
                break
        loader.send_signal(signal.SIGKILL)
        loader.communicate()
        partial = query(dist.ws.db, "SELECT count(*) AS n FROM articles")[0]["n"]
        assert 0 < partial < pages
        dist.wait(dist.loader(batch_size=3))
        urls = [r["url"] for r in query(dist.ws.db, "SELECT url FROM articles")]
        assert len(urls) == len(set(urls)) == pages
        assert {u.rsplit("/", 1)[1] for u in urls} == {f"{i}.html" for i in range(pages)}
        assert dist.client.xlen(f"{dist.prefix}:results") == 0
        assert dist.client.xpending(f"{dist.prefix}:results", "loader")["pending"] == 0
        row = crawls(dist.ws.db)[-1]
        assert row["status"] == "finished" and row["items_stored"] >= pages


def test_a_distributed_recrawl_fetches_no_article_again_and_stats_show_both(tmp_path, cluster):
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "sites" / "newsroom", root)
    with SiteHost(root, placeholder=PLACEHOLDER) as site:
        dist = cluster(site)
        dist.ws.source("fixture", FEED_SOURCE)
        dist.seed()
        dist.run(workers=2)
        first = len(query(dist.ws.db, "SELECT url FROM articles"))
        site.clear_log()
        dist.seed()
        dist.run(workers=2)
        assert [p for p in site.paths() if p.startswith("/articles/")] == []
        assert set(site.paths()) <= {"/feed.xml", "/robots.txt"}
        assert len(query(dist.ws.db, "SELECT url FROM articles")) == first
        rows = crawls(dist.ws.db)
        assert [r["status"] for r in rows] == ["finished", "finished"]
        stats = dist.cli("stats", "--db", str(dist.ws.db), "--sources", str(dist.ws.sources)).stdout
        last_crawls = stats.split("Last crawls:")[1]
        assert all(f"\n{r['crawl_id']} " in last_crawls for r in rows)
        assert "finished" in last_crawls


def test_the_local_crawl_needs_no_redis(ws):
    """No --redis and no $FUNDNEWS_REDIS: one process, as before."""
    ws.source("fixture", FEED_SOURCE)
    env = {k: v for k, v in os.environ.items() if k != "FUNDNEWS_REDIS"}
    result = run_cli("crawl", "--sources", str(ws.sources), "--db", str(ws.db), "--workers", "0",
                     cwd=ws.root, env={**env, "FUNDNEWS_REDIS_PREFIX": "unused"})
    assert result.returncode == 0, result.stderr[-2000:]
    assert ws.last_crawl()["status"] == "finished" and ws.last_crawl()["items_stored"] == 4


def test_a_worker_without_redis_says_so_in_one_line(ws):
    result = run_cli("worker", "--redis", f"redis://127.0.0.1:{_free_port()}/0", cwd=REPO)
    assert result.returncode == 2
    assert result.stderr.strip().startswith("fundnews: error: cannot reach Redis at")
    assert len(result.stderr.strip().splitlines()) == 1


def test_schedule_seeds_due_sources_and_a_second_seed_joins_the_open_crawl(site, cluster):
    dist = cluster(site)
    dist.ws.source("fixture", FEED_SOURCE)
    out = dist.cli("schedule", "--sources", str(dist.ws.sources), "--max-runs", "1").stdout
    assert "crawl 1: queued 1 entry points of fixture" in out
    assert dist.client.zcard(f"{dist.prefix}:requests") == 1
    joined = dist.seed().stdout
    assert joined.startswith("crawl 1 (joined, still running)")
    assert dist.client.zcard(f"{dist.prefix}:requests") == 1  # the same entry point, queued once
    dist.run(workers=1)
    assert len(crawls(dist.ws.db)) == 1 and crawls(dist.ws.db)[0]["status"] == "finished"


def test_a_source_the_workers_do_not_know_is_counted_and_the_crawl_still_ends(site, cluster):
    dist = cluster(site)
    dist.ws.source("fixture", FEED_SOURCE)
    elsewhere = dist.ws.root / "seeder-sources"
    elsewhere.mkdir()
    (elsewhere / "ghost.toml").write_text(
        (dist.ws.sources / "fixture.toml").read_text().replace("Fixture feed", "Ghost"))
    dist.cli("crawl", "--sources", str(elsewhere))
    dist.run(workers=1)
    assert site.paths() == []
    row = crawls(dist.ws.db)[-1]
    assert row["status"] == "finished" and row["errors"] >= 1
    assert json.loads(row["stats"])["fundnews/errors/unknown_source"] == 1


def test_a_new_corpus_file_replaces_what_workers_skip_as_known(site, cluster, tmp_path):
    dist = cluster(site)
    dist.ws.source("fixture", FEED_SOURCE)
    dist.seed()
    dist.run(workers=1)
    first = len(query(dist.ws.db, "SELECT url FROM articles"))
    dist.ws.db = tmp_path / "fresh.duckdb"  # the loader now writes another, empty corpus
    site.clear_log()
    loader = dist.loader()
    assert loader.stdout.readline().startswith("fundnews load:")  # it has published what it knows
    dist.seed()
    dist.wait(dist.worker(), loader)
    assert len(query(dist.ws.db, "SELECT url FROM articles")) == first  # fetched again, not skipped
    assert len([p for p in site.paths() if p.startswith("/articles/")]) >= first


def test_a_stopped_worker_gives_its_loans_back_at_once(tmp_path, cluster):
    pages = 10
    write_site(tmp_path / "site", pages, {"slow": {f"/a/{i}.html": 0.4 for i in range(pages)}})
    with SiteHost(tmp_path / "site", placeholder=PLACEHOLDER) as site:
        dist = cluster(site)
        dist.env["FUNDNEWS_REDIS_LEASE"] = "600"  # a reclaim after the lease would take 10 minutes
        dist.ws.source("slow", polite_source("{base}", delay=0, concurrency=2))
        dist.seed()
        first = dist.worker(idle_exit=None)
        wait_for_pages(site, first, 2)
        first.send_signal(signal.SIGTERM)
        first.communicate(timeout=60)
        assert not [k for k in dist.client.scan_iter(f"{dist.prefix}:taken:*") if dist.client.hlen(k)]
        started = time.monotonic()
        dist.run(workers=1)
        assert time.monotonic() - started < 120
        stored = {r["url"].rsplit("/", 1)[1] for r in query(dist.ws.db, "SELECT url FROM articles")}
        assert stored == {f"{i}.html" for i in range(pages)}
