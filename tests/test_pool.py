"""The worker pool the crawl awaits from its event loop: answers, failures, hung and dead workers.

Tasks are standard-library functions, so real worker processes run them without importing
this module."""

from __future__ import annotations

import asyncio
import operator
import os
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
