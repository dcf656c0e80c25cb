"""Worker processes awaited from the reactor, with no helper threads in the crawl process.

``multiprocessing.Pool`` runs three threads in the process that owns it: one feeds
tasks, one reads results and one watches the workers, and the watcher wakes up each
time the pool runs out of tasks, which in a crawl is after nearly every page. On
2,000 pages of the bench site those threads spent 2.5 s of the crawl process's CPU
(1.7 s of it the watcher), more than a third of what the reactor itself spent.

Here every worker has its own socket pair. A task is pickled and sent on the reactor
thread to an idle worker (a socket buffer holds a page, and the idle worker is reading),
and the reactor's event loop reads the answer when the socket becomes readable. A
worker that dies fails its task and is replaced; a task that overruns ``timeout`` fails,
and its worker, which may be stuck on it, is replaced too. Workers ignore Ctrl-C: the
crawl process decides when they stop (``close``), so a crawl stopping on Ctrl-C still
gets the pages it is waiting for.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import socket
from collections import deque
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any


def _serve(conn: Connection, initializer: Callable[[], None] | None) -> None:
    """A worker: run the tasks that arrive, answer each with (ok, result or exception)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if initializer is not None:
        initializer()
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        function, args = task
        try:
            answer = (True, function(*args))
        except Exception as exc:  # noqa: BLE001 - the caller decides what a failure means
            answer = (False, exc)
        try:
            conn.send(answer)
        except Exception as exc:  # noqa: BLE001 - an answer that does not pickle
            conn.send((False, RuntimeError(f"unpicklable answer: {exc!r}")))


SEND_BUFFER = 4 * 2**20  # bytes: a task is written at once, however busy the worker's core is


class _Worker:
    def __init__(self, context, initializer: Callable[[], None] | None):
        self.conn, child = context.Pipe(duplex=True)
        with socket.socket(fileno=os.dup(self.conn.fileno())) as end:  # the same socket
            end.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SEND_BUFFER)  # capped by wmem_max
        self.process = context.Process(target=_serve, args=(child, initializer), daemon=True)
        self.process.start()
        child.close()
        self.future: asyncio.Future | None = None  # the task it is on


class WorkerPool:
    def __init__(self, workers: int, timeout: float, initializer: Callable[[], None] | None = None,
                 preload: tuple[str, ...] = ()):
        """``preload``: modules the forkserver imports once, so each worker starts with them
        (it takes effect when this process starts its forkserver, at the first pool)."""
        self.timeout = timeout
        self.initializer = initializer
        self.context = multiprocessing.get_context("forkserver")
        if preload:
            self.context.set_forkserver_preload(list(preload))
        self.workers = [_Worker(self.context, initializer) for _ in range(workers)]
        self.idle: deque[_Worker] = deque(self.workers)
        self.waiting: deque[tuple[Callable, tuple, asyncio.Future]] = deque()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.closed = False

    async def run(self, function: Callable, *args: Any) -> Any:
        """function(*args) in a worker; its exception is raised here, TimeoutError after `timeout`."""
        if self.closed:
            raise RuntimeError("the worker pool is closed")
        if self.loop is None:
            self.loop = asyncio.get_running_loop()
            for worker in self.workers:
                self._listen(worker)
        future = self.loop.create_future()
        self.waiting.append((function, args, future))
        self._dispatch()
        try:
            return await asyncio.wait_for(future, self.timeout)
        except TimeoutError:
            self._replace_worker_of(future)  # wait_for has cancelled the future
            raise

    def _listen(self, worker: _Worker) -> None:
        self.loop.add_reader(worker.conn.fileno(), self._answered, worker)

    def _dispatch(self) -> None:
        while self.idle and self.waiting:
            function, args, future = self.waiting.popleft()
            if future.done():  # cancelled meanwhile
                continue
            worker = self.idle.popleft()
            worker.future = future
            try:
                worker.conn.send((function, args))
            except (OSError, ValueError) as exc:  # a dead worker
                self._lost(worker, exc)
            except Exception as exc:  # noqa: BLE001 - arguments that do not pickle
                worker.future = None
                self.idle.appendleft(worker)
                future.set_exception(exc)

    def _answered(self, worker: _Worker) -> None:
        try:
            ok, result = worker.conn.recv()
        except (EOFError, OSError) as exc:
            self._lost(worker, exc)
            return
        future, worker.future = worker.future, None
        if future is not None and not future.done():
            if ok:
                future.set_result(result)
            else:
                future.set_exception(result)
        self.idle.append(worker)
        self._dispatch()

    def _lost(self, worker: _Worker, error: BaseException) -> None:
        """A worker died (the OS killed it) or was stopped: fail its task, start another."""
        future, worker.future = worker.future, None
        if future is not None and not future.done():
            future.set_exception(RuntimeError(f"the worker process died: {error!r}"))
        self._retire(worker)
        if not self.closed:
            fresh = _Worker(self.context, self.initializer)
            self.workers.append(fresh)
            self.idle.append(fresh)
            self._listen(fresh)
            self._dispatch()

    def _retire(self, worker: _Worker) -> None:
        if worker in self.workers:
            self.workers.remove(worker)
        if worker in self.idle:
            self.idle.remove(worker)
        if self.loop is not None:
            self.loop.remove_reader(worker.conn.fileno())
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join()
        worker.conn.close()

    def _replace_worker_of(self, future: asyncio.Future) -> None:
        """A task overran: its worker may be stuck on it for good."""
        for worker in self.workers:
            if worker.future is future:
                self._lost(worker, TimeoutError("task timed out"))
                return

    def close(self) -> None:
        """Stop the workers once they have finished what they are on (at most `timeout`)."""
        self.closed = True
        for worker in self.workers:
            if self.loop is not None:
                self.loop.remove_reader(worker.conn.fileno())
            try:
                worker.conn.send(None)
            except OSError:
                pass
        for worker in self.workers:
            worker.process.join(self.timeout)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.conn.close()
        self.workers.clear()
        self.idle.clear()
