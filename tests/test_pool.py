"""The worker pool the crawl awaits from its event loop: answers, failures, hung and dead workers.

Tasks are standard-library functions, so real worker processes run them without importing
this module."""

from __future__ import annotations

import asyncio
import operator
import os
import subprocess
import sys
import time

import pytest

from crawler.pool import WorkerPool


def run(coro_fn, workers: int = 2, timeout: float = 30.0):
    async def main():
        pool = WorkerPool(workers, timeout)
        try:
            return await coro_fn(pool)
        finally:
            pool.close()

    return asyncio.run(main())


def test_answers_every_task_in_parallel_workers():
    async def work(pool):
        return await asyncio.gather(*(pool.run(pow, n, 2) for n in range(50)),
                                    pool.run(os.getpid), pool.run(os.getpid))

    answers = run(work)
    assert answers[:50] == [n * n for n in range(50)]
    assert os.getpid() not in answers[50:]  # they ran in other processes


def test_a_failing_task_raises_its_exception_and_the_pool_goes_on():
    async def work(pool):
        with pytest.raises(ZeroDivisionError):
            await pool.run(operator.truediv, 1, 0)
        return await pool.run(operator.add, 2, 3)

    assert run(work, workers=1) == 5


def test_a_task_that_overruns_fails_and_its_worker_is_replaced():
    async def work(pool):
        started = time.monotonic()
        with pytest.raises(TimeoutError):
            await pool.run(time.sleep, 30)
        waited = time.monotonic() - started
        return waited, await pool.run(operator.add, 1, 1)  # the only worker was the stuck one

    waited, answer = run(work, workers=1, timeout=1.0)
    assert waited < 10
    assert answer == 2


def test_a_worker_that_dies_fails_its_task_and_is_replaced():
    async def work(pool):
        with pytest.raises(RuntimeError, match="died"):
            await pool.run(os._exit, 3)
        return await asyncio.gather(*(pool.run(operator.mul, n, 3) for n in range(5)))

    assert run(work, workers=1) == [0, 3, 6, 9, 12]


def test_a_worker_holds_its_next_task_so_it_goes_on_while_the_event_loop_is_busy(tmp_path):
    marker = tmp_path / "second-task-ran"

    async def work(pool):
        await pool.run(operator.add, 0, 0)  # the worker has started
        first = pool.run(operator.add, 1, 1)
        second = pool.run(os.mkdir, str(marker))
        tasks = [asyncio.ensure_future(first), asyncio.ensure_future(second)]
        await asyncio.sleep(0)  # both submitted: the one worker holds both
        deadline = time.monotonic() + 20
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.01)  # the event loop is busy: nobody reads the first answer
        ran_meanwhile = marker.exists()
        return ran_meanwhile, await asyncio.gather(*tasks)

    ran_meanwhile, answers = run(work, workers=1)
    assert ran_meanwhile
    assert answers == [2, None]


def test_a_worker_that_dies_gives_back_the_task_it_was_holding():
    async def work(pool):
        tasks = [asyncio.ensure_future(pool.run(os._exit, 3)),
                 *(asyncio.ensure_future(pool.run(operator.mul, n, 3)) for n in range(4))]
        died, *rest = await asyncio.gather(*tasks, return_exceptions=True)
        return died, rest

    died, rest = run(work, workers=1)
    assert isinstance(died, RuntimeError) and "died" in str(died)
    assert rest == [0, 3, 6, 9]  # the next task, already in the dead worker's socket, too


def _big_page(number: int, kb: int = 200) -> str:
    """An article of `kb` KB of text, its number in the title."""
    words = ["funding", "startup", "raised", "million", "investors", "round", "series",
             "company", "market", "platform", "growth", "capital", "ventures", "customers"]
    paragraphs, size, k = [], 0, number
    while size < kb * 1024:
        text = " ".join(f"{words[(k + i) % len(words)]}{(k * 31 + i) % 997}" for i in range(80))
        paragraphs.append(f"<p>{text}.</p>")
        size += len(text)
        k += 7
    return (f"<html><head><title>Acme {number}</title></head><body><article>"
            f"<h1>Acme {number} raises $10M</h1>{''.join(paragraphs)}</article></body></html>")


def test_a_worker_grown_past_its_budget_on_big_pages_is_replaced_and_no_page_is_lost():
    from datetime import datetime

    from crawler.page_analysis import Page, analyse_page, warm_up

    PAGES = 30  # noqa: N806
    budget = 40 * 2**20  # a worker grows ~2 MB a page of 200 KB of text, ~26 MB on the first

    async def work(pool):
        titles, pids, rss = [], [], []
        for number in range(PAGES):
            page = Page(_big_page(number), f"http://news.example/{number}", datetime(2026, 1, 1))
            result = await pool.run(analyse_page, page, 200)
            titles.append(result.title)
            pid = await pool.run(os.getpid)
            pids.append(pid)
            with open(f"/proc/{pid}/statm") as statm:
                rss.append(int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE"))
        return titles, pids, rss, pool.recycled

    async def main():
        pool = WorkerPool(1, 120.0, initializer=warm_up, recycle_bytes=budget)
        try:
            return await work(pool)
        finally:
            pool.close()

    titles, pids, rss, recycled = asyncio.run(main())
    assert titles == [f"Acme {n} raises $10M" for n in range(PAGES)]  # each page, in its order
    assert recycled >= 2 and len(set(pids)) == recycled + 1
    # no worker got far past its budget: at most one page's growth over it
    # bounded: no worker got much past its budget (without recycling: +2 MB a page, ~80 MB)
    assert max(rss) - min(rss) < budget + 16 * 2**20


def test_arguments_that_do_not_pickle_fail_their_task_and_the_pool_goes_on():
    async def work(pool):
        with pytest.raises(Exception, match="pickle"):
            await pool.run(operator.add, lambda: 1, 2)
        return await pool.run(operator.add, 2, 3)

    assert run(work, workers=1) == 5


def _run_in_fresh_process(tmp_path, script: str) -> list[str]:
    """Run `script` in a new Python process (one with no forkserver yet), with `tmp_path`
    on PYTHONPATH, where the forkserver finds it too; its output's words."""
    path = os.pathsep.join(filter(None, [str(tmp_path), os.environ.get("PYTHONPATH")]))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=30, env={**os.environ, "PYTHONPATH": path})
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_the_workers_start_in_the_background_so_the_crawl_fetches_while_they_warm_up(tmp_path):
    """A forkserver warming a slow analysis does not hold up the caller: here the warm-up
    waits for a file that the caller writes only once the pool has been made. A pool that
    waited for its workers to start would never get there (the run times out)."""
    go = tmp_path / "go"
    (tmp_path / "slow_warm_up.py").write_text(
        f"import os, time\nwhile not os.path.exists({str(go)!r}):\n    time.sleep(0.01)\n")
    script = f"""
import asyncio, operator
from crawler.pool import WorkerPool

async def main():
    pool = WorkerPool(1, 60.0, preload=("slow_warm_up",))  # this process's first forkserver
    open({str(go)!r}, "w").close()  # reached only if making the pool did not wait
    print(await pool.run(operator.add, 2, 3))
    pool.close()

asyncio.run(main())
"""
    try:
        assert _run_in_fresh_process(tmp_path, script) == ["5"]
    except subprocess.TimeoutExpired:
        pytest.fail("making the pool waited for the forkserver's warm-up")


def test_a_forkserver_started_early_imports_the_analysis_once_for_every_worker(tmp_path):
    """``start_forkserver`` (the crawl calls it before Scrapy starts) imports the preload
    in the forkserver once; the pool made later forks its workers from that server."""
    imports = tmp_path / "imports"
    (tmp_path / "warm_module.py").write_text(
        f"import os\nwith open({str(imports)!r}, 'a') as f:\n    f.write(f'{{os.getpid()}}\\n')\n")
    script = """
import asyncio, os
from crawler.pool import WorkerPool, start_forkserver

start_forkserver(("warm_module",))

async def main():
    pool = WorkerPool(2, 60.0)
    parents = await asyncio.gather(*(pool.run(os.getppid) for _ in range(8)))
    pool.close()
    print(*sorted(set(parents)))

asyncio.run(main())
"""
    parents = _run_in_fresh_process(tmp_path, script)
    assert imports.read_text().split() == parents  # imported once, where the workers came from
