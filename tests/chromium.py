"""Open a page in real headless Chromium and see what a user's browser would do with it.

Chromium is driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``: fd 3
in, fd 4 out, NUL-separated JSON), so no websocket client, no port and no browser
download: Debian's ``chromium`` package at /usr/bin/chromium, or $CHROMIUM. The page's
every request (Network events), console error, uncaught exception and browser log error
is recorded; name resolution is mapped to nothing, so a request that slipped through
could not leave the machine either.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--mute-audio",
    "--hide-scrollbars",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--remote-debugging-pipe",
]


def chromium_path() -> str | None:
    """$CHROMIUM, or chromium on PATH; None when there is none that can run."""
    for candidate in (
        os.environ.get("CHROMIUM"),
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


@dataclass
class PageVisit:
    url: str
    result: object = None  # what the page's check expression returned
    requests: list[str] = field(default_factory=list)  # every URL the page asked for
    errors: list[str] = field(default_factory=list)  # console errors, exceptions, log errors
    screenshot: bytes = b""


class _Pipe:
    def __init__(self, proc: subprocess.Popen, to_browser: int, from_browser: int):
        self.proc, self.out, self.inp = proc, to_browser, from_browser
        self.buffer, self.next_id, self.events = b"", 0, []

    def send(
        self,
        method: str,
        params: dict | None = None,
        session: str | None = None,
        timeout: float = 30,
    ) -> dict:
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.out, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read(deadline)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str, timeout: float = 30) -> dict:
        deadline = time.monotonic() + timeout
        for event in self.events:
            if event.get("method") == method:
                return event
        while True:
            event = self._read(deadline)
            self.events.append(event)
            if event.get("method") == method:
                return event

    def _read(self, deadline: float) -> dict:
        while b"\0" not in self.buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("chromium did not answer in time")
            chunk = os.read(self.inp, 1 << 16)
            if not chunk:
                raise RuntimeError(f"chromium exited (status {self.proc.poll()})")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)


def visit(
    path: Path,
    check: str = "true",
    width: int = 1100,
    screenshot: bool = False,
    clip_height: int | None = None,
) -> PageVisit:
    """Open `path` from disk, run the JavaScript expression `check` once it loaded.

    `screenshot`: the whole page as PNG, or its top `clip_height` pixels."""
    url = path.resolve().as_uri()
    to_browser_r, to_browser_w = os.pipe()
    from_browser_r, from_browser_w = os.pipe()

    def on_fds_3_and_4():  # in the child: the ends Chromium expects, whatever their numbers
        low = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (to_browser_r, from_browser_w)]
        os.dup2(low[0], 3)
        os.dup2(low[1], 4)

    with tempfile.TemporaryDirectory() as profile:
        proc = subprocess.Popen(
            [chromium_path(), *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(3, 4),
            preexec_fn=on_fds_3_and_4,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        pipe = _Pipe(proc, to_browser_w, from_browser_r)
        try:
            return _drive(pipe, url, check, width, screenshot, clip_height)
        finally:
            try:
                pipe.send("Browser.close", timeout=5)
            except (RuntimeError, TimeoutError, OSError):
                pass
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            os.close(to_browser_w)
            os.close(from_browser_r)


def _drive(
    pipe: _Pipe, url: str, check: str, width: int, screenshot: bool, clip_height: int | None
) -> PageVisit:
    target = pipe.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = pipe.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for domain in ("Network", "Runtime", "Log", "Page"):
        pipe.send(f"{domain}.enable", session=session)
    pipe.send(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False},
        session=session,
    )
    pipe.events.clear()  # what about:blank did is not the page's
    pipe.send("Page.navigate", {"url": url}, session=session)
    pipe.wait_for("Page.loadEventFired")
    time.sleep(0.5)  # anything the page would start after load
    visit = PageVisit(url)
    visit.result = pipe.send(
        "Runtime.evaluate", {"expression": check, "returnByValue": True}, session=session
    )["result"].get("value")
    if screenshot:
        options = {"format": "png", "captureBeyondViewport": True}
        if clip_height:
            options["clip"] = {"x": 0, "y": 0, "width": width, "height": clip_height, "scale": 1}
        shot = pipe.send("Page.captureScreenshot", options, session=session)
        visit.screenshot = base64.b64decode(shot["data"])
    for event in pipe.events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Network.requestWillBeSent":
            visit.requests.append(params["request"]["url"])
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            visit.errors.append(
                "console: "
                + " ".join(
                    str(a.get("value", a.get("description"))) for a in params.get("args", [])
                )
            )
        elif method == "Runtime.exceptionThrown":
            visit.errors.append("exception: " + params["exceptionDetails"].get("text", ""))
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            visit.errors.append(
                f"log: {params['entry'].get('text')} {params['entry'].get('url', '')}"
            )
    return visit


if __name__ == "__main__":  # the README's screenshot: python tests/chromium.py REPORT.html OUT.png
    import sys

    page = visit(Path(sys.argv[1]), screenshot=True, width=1000, clip_height=1150)
    if page.errors or page.requests != [page.url]:
        sys.exit(f"not a clean page: errors {page.errors}, requests {page.requests}")
    Path(sys.argv[2]).write_bytes(page.screenshot)
