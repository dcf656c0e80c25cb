"""fundnews benchmarks: ``python -m bench`` (see bench/README.md).

This module holds the helpers every benchmark shares: medians, timing, memory
of a process tree, and where scratch files and results go.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = Path(__file__).resolve().parent / "out"
PYTHON = sys.executable
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


# -- numbers ------------------------------------------------------------------------------


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values)) if values else float("nan")


def rate(count: float, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("nan")


def ratio(a: float, b: float) -> float:
    return a / b if b else float("nan")


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """(seconds, result) of one call."""
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def repeat(fn: Callable[[], Any], runs: int) -> list[float]:
    """Seconds of each of `runs` calls."""
    return [timed(fn)[0] for _ in range(runs)]


def say(message: str) -> None:
    """Progress on stderr, so stdout keeps only the results."""
    print(message, file=sys.stderr, flush=True)


# -- memory and CPU of a process tree ----------------------------------------------------


def _children_map() -> dict[int, list[int]]:
    """parent pid -> child pids, from /proc/*/stat."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        # the command name is in parentheses and may hold spaces: split after it
        ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    return children


def descendants(pid: int) -> list[int]:
    """pid and every process below it."""
    return list(descendant_depths(pid))


def descendant_depths(pid: int) -> dict[int, int]:
    """pid and every process below it -> how far below (pid 0, its children 1, ...)."""
    children = _children_map()
    found, todo = {}, [(pid, 0)]
    while todo:
        current, depth = todo.pop()
        found[current] = depth
        todo.extend((child, depth + 1) for child in children.get(current, []))
    return found


def rss_bytes(pid: int) -> int:
    """Resident set size of one process (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as f:
            return int(f.read().split()[1]) * PAGE_SIZE
    except (OSError, IndexError, ValueError):
        return 0


def pss_bytes(pid: int) -> int:
    """Proportional set size (shared pages divided among their users), 0 when unknown."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of one process so far (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
    except OSError:
        return 0.0
    fields = stat[stat.rindex(b")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


@dataclass
class TreeUsage:
    """What polling a process tree saw: memory peaks, and CPU time per process."""

    pid: int = 0  # the tree's root
    main_rss: int = 0  # peak of the root process
    main_peak_at: float = 0.0  # seconds after the start
    tree_rss: int = 0  # peak of the sum over the tree (shared pages counted once per process)
    tree_pss: int = 0  # peak of the sum over the tree, shared pages divided: the honest total
    processes: int = 0  # most processes seen at once
    samples: int = 0
    cpu: dict[int, float] = field(default_factory=dict)  # pid -> CPU seconds, as last seen
    depth: dict[int, int] = field(default_factory=dict)  # pid -> levels below the root
    timeline: list[tuple[float, int, int]] = field(default_factory=list)  # (s, root RSS, tree RSS)
    timeline_every: float = 2.0
    started: float = field(default_factory=time.perf_counter)

    @property
    def main_cpu(self) -> float:
        return self.cpu.get(self.pid, 0.0)

    @property
    def grandchildren_cpu(self) -> float:
        """CPU seconds of the processes two or more levels below the root: in a crawl, the
        extraction workers, which a forkserver (a child of the crawl process) forks."""
        return sum(cpu for pid, cpu in self.cpu.items() if self.depth.get(pid, 0) >= 2)

    @property
    def grandchildren(self) -> int:
        return sum(1 for depth in self.depth.values() if depth >= 2)

    @property
    def tree_cpu(self) -> float:
        """CPU seconds of every process seen in the tree (each as of its last sample, so a
        process loses at most one polling interval)."""
        return sum(self.cpu.values())

    def sample(self, pid: int) -> None:
        self.pid = pid
        depths = descendant_depths(pid)
        pids = list(depths)
        self.depth.update(depths)
        rss = [rss_bytes(p) for p in pids]
        now = time.perf_counter() - self.started
        if rss[0] > self.main_rss:
            self.main_rss, self.main_peak_at = rss[0], now
        self.tree_rss = max(self.tree_rss, sum(rss))
        self.tree_pss = max(self.tree_pss, sum(pss_bytes(p) for p in pids))
        self.processes = max(self.processes, sum(1 for r in rss if r))
        for p in pids:
            self.cpu[p] = max(self.cpu.get(p, 0.0), cpu_seconds(p))
        self.samples += 1
        if not self.timeline or now - self.timeline[-1][0] >= self.timeline_every:
            self.timeline.append((now, rss[0], sum(rss)))

    def rss_by_quarter(self) -> list[float]:
        """Root process RSS (MB) a quarter, half, three quarters of the way and at the end:
        flat memory shows as four similar numbers."""
        if not self.timeline:
            return []
        last = len(self.timeline) - 1
        return [mb(self.timeline[round(last * q)][1]) for q in (0.25, 0.5, 0.75, 1.0)]


@dataclass
class ProcessRun:
    returncode: int
    seconds: float  # wall time, start to exit
    usage: TreeUsage = field(default_factory=TreeUsage)
    log: Path | None = None

    def log_tail(self, lines: int = 20) -> str:
        if self.log is None or not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def run_measured(cmd: Sequence[str], log: Path, poll_seconds: float = 0.1,
                 env: dict[str, str] | None = None) -> ProcessRun:
    """Run a command to its end: wall and CPU time, peak memory of it and its children."""
    usage = TreeUsage()
    with open(log, "wb") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=REPO_ROOT,
                                env={**os.environ, **(env or {})})
        stop = threading.Event()

        def poll() -> None:
            while not stop.is_set():
                usage.sample(proc.pid)
                stop.wait(poll_seconds)

        poller = threading.Thread(target=poll, daemon=True)
        poller.start()
        # wait for the exit without reaping: the zombie's /proc entry still holds its final
        # CPU time, which a last poll up to poll_seconds earlier would miss
        os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOWAIT)
        seconds = time.perf_counter() - started
        stop.set()
        poller.join()
        usage.cpu[proc.pid] = max(usage.cpu.get(proc.pid, 0.0), cpu_seconds(proc.pid))
        returncode = proc.wait()
    return ProcessRun(returncode, seconds, usage, log)


def mb(n_bytes: float) -> float:
    return round(n_bytes / 2**20, 1)
