"""Worker processes awaited from the reactor, with no helper threads while the crawl runs.

``multiprocessing.Pool`` runs three threads in the process that owns it: one feeds
tasks, one reads results and one watches the workers, and the watcher wakes up each
time the pool runs out of tasks, which in a crawl is after nearly every page. On
2,000 pages of the bench site those threads spent 2.5 s of the crawl process's CPU
(1.7 s of it the watcher), more than a third of what the reactor itself spent.

Here every worker has its own socket pair. A task is pickled and sent on the reactor
thread, and the reactor's event loop reads the answer when the socket becomes readable.
Each worker holds up to ``DEPTH`` tasks: the one it is on and the next, waiting in its
socket, so that it starts the next page as soon as it has answered instead of waiting
for the crawl process's event loop to get round to its answer (measured on the bench
site: the workers waited ~13% of a crawl that way, with pages queued for them at
nearly every answer). The next task goes only to a worker whose socket buffer holds it
whole, so the reactor never blocks on a send.

The workers start in the background: a forkserver that imports and warms the page
analysis takes ~1 s before it forks the first worker, and the crawl process would
otherwise wait for it before its first request (0.96 s of a 10-page crawl's 2.7 s). One
short-lived thread starts them while the reactor fetches robots.txt, the sitemaps and
the first pages; tasks queue until the workers are there.

A worker that dies fails the task it was on (the next one goes back to the queue) and
is replaced; a task that overruns ``timeout`` fails, and its worker, which may be stuck
on it, is replaced too. A worker whose memory has grown by more than ``recycle_bytes``
since it started (big pages leave native memory behind that the allocator does not
return) gets no more tasks, and once it has answered those it holds it is replaced by a
fresh one; nothing is lost. Workers ignore Ctrl-C: the crawl process decides when they
stop (``close``), so a crawl stopping on Ctrl-C still gets the pages it is waiting for.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import socket
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.reduction import ForkingPickler
from typing import Any

DEPTH = 2  # tasks a worker holds: the one it is on and the next
SEND_BUFFER = 4 * 2**20  # bytes asked for; the kernel caps it at net.core.wmem_max


def _rss_bytes() -> int:
    """This process's resident memory (0 where /proc is not there: no recycling)."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, IndexError, ValueError):
        return 0


def _serve(conn: Connection, initializer: Callable[[], None] | None) -> None:
    """A worker: run the tasks that arrive, answer each with (ok, result or exception,
    how many bytes of memory it has grown by since it started)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if initializer is not None:
        initializer()
    started_rss = _rss_bytes()
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        function, args = task
        try:
            ok, result = True, function(*args)
        except Exception as exc:  # noqa: BLE001 - the caller decides what a failure means
            ok, result = False, exc
        grown = _rss_bytes() - started_rss
        try:
            conn.send((ok, result, grown))
        except Exception as exc:  # noqa: BLE001 - an answer that does not pickle
            conn.send((False, RuntimeError(f"unpicklable answer: {exc!r}"), grown))


@dataclass
class _Task:
    function: Callable
    args: tuple
    future: asyncio.Future
    message: bytes | None = None  # (function, args) pickled, once it is next in line


class _Worker:
    def __init__(self, context, initializer: Callable[[], None] | None):
        self.conn, child = context.Pipe(duplex=True)
        with socket.socket(fileno=os.dup(self.conn.fileno())) as end:  # the same socket
            end.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SEND_BUFFER)
            # a next task waits in the socket while the worker is busy: at most half of
            # what the kernel granted (it doubles the value asked for its own bookkeeping)
            self.next_task_bytes = end.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF) // 4
        self.process = context.Process(target=_serve, args=(child, initializer), daemon=True)
        self.process.start()
        child.close()
        self.tasks: deque[_Task] = deque()  # sent, not yet answered, in the order sent
        self.retiring = False  # grown too big: no more tasks, replaced once it has answered

    def takes(self, task: _Task) -> bool:
        if self.retiring or len(self.tasks) >= DEPTH:
            return False
        return not self.tasks or len(task.message) <= self.next_task_bytes


def start_forkserver(preload: tuple[str, ...]) -> None:
    """Start this process's forkserver now, importing ``preload`` once; a pool made later
    forks its workers from it. The import (the page analysis: ~1 s) then runs on the other
    core while this process is still starting up, not after it has made the pool."""
    from multiprocessing import forkserver

    multiprocessing.get_context("forkserver").set_forkserver_preload(list(preload))
    forkserver.ensure_running()  # starts the server and returns; it imports in its own time


class WorkerPool:
    def __init__(self, workers: int, timeout: float, initializer: Callable[[], None] | None = None,
                 preload: tuple[str, ...] = (), recycle_bytes: int | None = None):
        """``preload``: modules the forkserver imports once, so each worker starts with them
        (it takes effect where this process starts its forkserver: here, or earlier in
        ``start_forkserver``).
        ``recycle_bytes``: replace a worker once its resident memory has grown by more than
        this since it started (None: never)."""
        self.timeout = timeout
        self.initializer = initializer
        self.recycle_bytes = recycle_bytes
        self.context = multiprocessing.get_context("forkserver")
        if preload:
            start_forkserver(preload)  # unless it runs already (the crawl starts it early)
        self.workers: list[_Worker] = []  # the started ones, once the event loop has them
        starter = ThreadPoolExecutor(1, thread_name_prefix="fundnews-pool-start")
        self.starting: Future[list[_Worker]] | None = starter.submit(
            lambda: [_Worker(self.context, initializer) for _ in range(workers)])
        starter.shutdown(wait=False)  # its one thread ends once the workers are started
        self.waiting: deque[_Task] = deque()
        self.stopped: list[_Worker] = []  # killed, not yet reaped
        self.recycled = 0  # workers replaced for their memory
        self.loop: asyncio.AbstractEventLoop | None = None
        self.closed = False

    async def run(self, function: Callable, *args: Any) -> Any:
        """function(*args) in a worker; its exception is raised here, TimeoutError after `timeout`."""
        if self.starting is not None:
            await self._started()
        if self.closed:
            raise RuntimeError("the worker pool is closed")
        future = self.loop.create_future()
        self.waiting.append(_Task(function, args, future))
        self._dispatch()
        try:
            return await asyncio.wait_for(future, self.timeout)
        except TimeoutError:
            self._replace_worker_of(future)  # wait_for has cancelled the future
            raise

    async def _started(self) -> None:
        """Wait for the workers' start (the first tasks all wait here), then listen to them."""
        workers = await asyncio.wrap_future(self.starting)
        if self.starting is not None:  # the first task back here takes them in
            self.starting = None
            self.loop = asyncio.get_running_loop()
            self.workers.extend(workers)
            for worker in workers:
                self._listen(worker)

    def _listen(self, worker: _Worker) -> None:
        self.loop.add_reader(worker.conn.fileno(), self._answered, worker)

    def _dispatch(self) -> None:
        """Send queued tasks, in order, to the workers holding the fewest. Only the next in
        line is pickled before a worker takes it: queued pages are not held twice."""
        while self.waiting:
            task = self.waiting[0]
            if task.future.done():  # cancelled meanwhile
                self.waiting.popleft()
                continue
            if task.message is None:
                try:
                    task.message = bytes(ForkingPickler.dumps((task.function, task.args)))
                except Exception as exc:  # noqa: BLE001 - arguments that do not pickle
                    self.waiting.popleft()
                    task.future.set_exception(exc)
                    continue
            worker = min((w for w in self.workers if w.takes(task)),
                         key=lambda w: len(w.tasks), default=None)
            if worker is None:
                return
            self.waiting.popleft()
            worker.tasks.append(task)
            message, task.message = task.message, None  # a task given back is pickled again
            try:
                worker.conn.send_bytes(message)
            except (OSError, ValueError) as exc:  # a dead worker
                self._lost(worker, exc)

    def _answered(self, worker: _Worker) -> None:
        try:
            ok, result, grown = worker.conn.recv()
        except (EOFError, OSError) as exc:
            self._lost(worker, exc)
            return
        except Exception as exc:  # noqa: BLE001 - an answer that does not unpickle here
            ok, result, grown = False, exc, 0
        future = worker.tasks.popleft().future
        if not future.done():
            if ok:
                future.set_result(result)
            else:
                future.set_exception(result)
        if self.recycle_bytes is not None and grown > self.recycle_bytes:
            worker.retiring = True
        if worker.retiring and not worker.tasks and not self.closed:
            self.recycled += 1
            self._replace(worker)
        self._dispatch()

    def _lost(self, worker: _Worker, error: BaseException) -> None:
        """A worker died (the OS killed it) or was stopped: fail the task it was on, queue
        the others it held again, start another."""
        if worker.tasks:
            future = worker.tasks.popleft().future
            if not future.done():
                future.set_exception(RuntimeError(f"the worker process died: {error!r}"))
        self.waiting.extendleft(reversed(worker.tasks))
        worker.tasks.clear()
        self._replace(worker)

    def _replace(self, worker: _Worker) -> None:
        self._retire(worker)
        if not self.closed:
            fresh = _Worker(self.context, self.initializer)
            self.workers.append(fresh)
            if self.loop is not None:
                self._listen(fresh)
            self._dispatch()

    def _retire(self, worker: _Worker) -> None:
        """Stop a worker without waiting on it: the kernel frees a big worker's memory in
        its own time, and ``close`` reaps it."""
        if worker in self.workers:
            self.workers.remove(worker)
        if self.loop is not None:
            self.loop.remove_reader(worker.conn.fileno())
        if worker.process.is_alive():
            worker.process.kill()
        worker.conn.close()
        self.stopped = [w for w in self.stopped if w.process.exitcode is None]  # reaps the gone
        self.stopped.append(worker)

    def _replace_worker_of(self, future: asyncio.Future) -> None:
        """A task overran: its worker may be stuck on it for good."""
        for worker in self.workers:
            if worker.tasks and worker.tasks[0].future is future:
                self._lost(worker, TimeoutError("task timed out"))
                return
        for worker in self.workers:  # still in a worker's socket, behind another task
            if any(task.future is future for task in worker.tasks):
                worker.tasks = deque(task for task in worker.tasks if task.future is not future)
                return

    def close(self) -> None:
        """Stop the workers once they have finished what they hold (at most `timeout`)."""
        self.closed = True
        if self.starting is not None:  # no task ever ran: stop the workers all the same
            try:
                self.workers.extend(self.starting.result())
            except Exception:  # noqa: BLE001 - they did not start: nothing to stop
                pass
            self.starting = None
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
        for worker in self.stopped:
            worker.process.join()
        self.workers.clear()
        self.stopped.clear()
