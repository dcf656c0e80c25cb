"""A small static web server on 127.0.0.1 for the bundled demo site and the test fixture sites.

Serves a folder as a website, logs every request (path, headers) so tests can
assert what a crawl fetched, answers conditional GETs with 304, and reads
special routes from an optional ``_routes.json`` at the folder's root::

    {"redirect": {"/old.html": "/new.html"},      # 301 to the target
     "status":   {"/boom.html": 500},             # an empty page with that status
     "content_type": {"/feed.txt": "text/plain"},  # override the guessed type
     "headers":  {"/bomb.html": {"Content-Encoding": "gzip"}},  # extra response headers
     "slow":     {"/slow.html": 5},               # wait this many seconds before answering
     "busy":     {"/busy.html": {"status": 429, "retry_after": 2, "times": 1}}}
                                                  # the first `times` requests get that status and a
                                                  # Retry-After of so many seconds (an HTTP-date with
                                                  # "as_date": true), later ones the page

Each logged request carries ``started`` and ``finished`` (``time.monotonic()`` when it
arrived and when its answer was written), for politeness checks: ``gaps()`` and
``max_in_flight()``.
"""

from __future__ import annotations

import email.utils
import gzip
import hashlib
import json
import mimetypes
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".xml": "application/xml",
    ".gz": "application/gzip",
    ".json": "application/json",
    ".pdf": "application/pdf",
    ".txt": "text/plain",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
}


class _Server(ThreadingHTTPServer):
    # listen backlog: the default of 5 drops the connects of a crawl opening 16 at once (every
    # answer closes its connection), and each dropped SYN costs the crawler a 1 s retransmit
    request_queue_size = 128


@dataclass
class LoggedRequest:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    started: float = 0.0
    finished: float | None = None


class SiteHost:
    """A running server; ``base_url`` ends with '/'; ``requests`` is the log."""

    def __init__(self, root: Path | str, port: int = 0, host: str = "127.0.0.1",
                 placeholder: str | None = None):
        """Serve `root`; occurrences of `placeholder` (e.g. "127.0.0.1:PORT") in the files,
        gzip files included, are served as this server's own host:port."""
        self.root = Path(root).resolve()
        routes_file = self.root / "_routes.json"
        self.routes = json.loads(routes_file.read_text()) if routes_file.exists() else {}
        self.requests: list[LoggedRequest] = []
        self._lock = threading.Lock()
        self.server = _Server((host, port), _make_handler(self))
        self.server.daemon_threads = True
        self.base_url = f"http://{host}:{self.server.server_address[1]}/"
        own = self.base_url[len("http://"):-1]
        self.rewrite = {placeholder.encode(): own.encode()} if placeholder and placeholder != own else {}
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> SiteHost:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> SiteHost:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def log(self, request: LoggedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def paths(self) -> list[str]:
        with self._lock:
            return [r.path for r in self.requests]

    def rewritten(self, body: bytes) -> bytes:
        if not self.rewrite:
            return body
        packed = body[:2] == b"\x1f\x8b"
        text = gzip.decompress(body) if packed else body
        for old, new in self.rewrite.items():
            text = text.replace(old, new)
        return gzip.compress(text, mtime=0) if packed else text

    def max_in_flight(self) -> int:
        """The most requests this server was answering at one moment."""
        with self._lock:
            events = sorted([(r.started, 1) for r in self.requests]
                            + [(r.finished, -1) for r in self.requests if r.finished is not None],
                            key=lambda e: (e[0], e[1]))  # an answer written frees its place first
        most = current = 0
        for _, change in events:
            current += change
            most = max(most, current)
        return most

    def gaps(self, path_prefix: str = "/") -> list[float]:
        """Seconds between the arrivals of consecutive requests whose path starts so."""
        with self._lock:
            times = sorted(r.started for r in self.requests if r.path.startswith(path_prefix))
        return [later - earlier for earlier, later in zip(times, times[1:])]

    def answer_count(self, path: str) -> int:
        """How many requests for path were answered so far (the `busy` route's counter)."""
        with self._lock:
            return sum(1 for r in self.requests if urlsplit(r.path).path == path)

    def clear_log(self) -> None:
        with self._lock:
            self.requests.clear()


def _make_handler(site: SiteHost) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "fundnews-sitehost"

        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            path = urlsplit(self.path).path
            logged = LoggedRequest("GET", self.path, {k.lower(): v for k, v in self.headers.items()},
                                   started=time.monotonic())
            site.log(logged)
            try:
                self._answer(path)
            finally:
                logged.finished = time.monotonic()

        def _answer(self, path: str) -> None:
            if path in site.routes.get("slow", {}):
                time.sleep(float(site.routes["slow"][path]))
            busy = site.routes.get("busy", {}).get(path)
            if busy and site.answer_count(path) <= busy.get("times", 1):
                wait = busy["retry_after"]
                retry_after = email.utils.formatdate(time.time() + wait, usegmt=True) \
                    if busy.get("as_date") else str(wait)
                self._send(int(busy["status"]), b"<html><body>busy</body></html>",
                           {"Content-Type": "text/html", "Retry-After": retry_after})
                return
            if path in site.routes.get("redirect", {}):
                self._send(301, b"", {"Location": site.routes["redirect"][path]})
                return
            if path in site.routes.get("status", {}):
                self._send(int(site.routes["status"][path]), b"<html><body>error</body></html>",
                           {"Content-Type": "text/html"})
                return
            file = (site.root / unquote(path).lstrip("/")).resolve()
            if file.is_dir():
                file = file / "index.html"
            if site.root not in file.parents or not file.is_file() or file.name == "_routes.json":
                self._send(404, b"<html><body><h1>Not found</h1></body></html>", {"Content-Type": "text/html"})
                return
            body = site.rewritten(file.read_bytes())
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            modified = email.utils.formatdate(file.stat().st_mtime, usegmt=True)
            ctype = site.routes.get("content_type", {}).get(path) or TYPES.get(file.suffix) \
                or mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            headers = {"Content-Type": ctype, "ETag": etag, "Last-Modified": modified,
                       **site.routes.get("headers", {}).get(path, {})}
            if self.headers.get("If-None-Match") == etag or (
                not self.headers.get("If-None-Match") and self.headers.get("If-Modified-Since") == modified
            ):
                self._send(304, b"", headers)
                return
            self._send(200, body, headers)

        def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if status != 304:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if status != 304:
                self.wfile.write(body)

    return Handler
