"""Worker processes awaited from the asyncio reactor without blocking it."""

from __future__ import annotations

import asyncio
import multiprocessing
import threading
from collections.abc import Callable
from typing import Any


class WorkerPool:
    """A ``multiprocessing`` pool (forkserver) whose tasks the reactor awaits.

    ``multiprocessing.Pool.apply_async`` hands tasks to a feeder thread, so the reactor
    never waits on a pipe (``concurrent.futures.ProcessPoolExecutor`` in Python 3.11
    writes a wake-up byte on the reactor thread for every task, measured at ~2 ms a
    page once the workers are busy). A task that never answers (a worker killed by the
    OS, a page that hangs) fails after ``timeout`` seconds instead of hanging the crawl;
    its late answer, even to a loop that is closed by then, is dropped.
    """

    def __init__(self, workers: int, timeout: float, initializer: Callable[[], None] | None = None):
        self.timeout = timeout
        self.pool = multiprocessing.get_context("forkserver").Pool(workers, initializer=initializer)

    async def run(self, function: Callable[..., Any], *args: Any) -> Any:
        loop = asyncio.get_running_loop()
        future: asyncio.Future = loop.create_future()

        def settle(result: Any, error: BaseException | None) -> None:
            # in the pool's result thread: an exception here would kill that thread and
            # leave the task in the pool's cache, and close() would wait for it forever
            try:
                loop.call_soon_threadsafe(_resolve, future, result, error)
            except RuntimeError:  # the loop is closed: nobody waits for this answer
                pass

        self.pool.apply_async(function, args, callback=lambda result: settle(result, None),
                              error_callback=lambda error: settle(None, error))
        return await asyncio.wait_for(future, self.timeout)

    def close(self, grace: float = 5.0) -> None:
        """Let the workers finish and exit; past ``grace`` seconds (a task still stuck),
        stop them."""
        self.pool.close()
        joining = threading.Thread(target=self.pool.join, name="fundnews-pool-join", daemon=True)
        joining.start()
        joining.join(grace)
        if joining.is_alive():
            self.pool.terminate()
            joining.join(grace)


def _resolve(future: asyncio.Future, result: Any, error: BaseException | None) -> None:
    if future.done():  # timed out meanwhile
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)
