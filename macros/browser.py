"""Chart images drawn by Chromium through kaleido: the one module that knows kaleido and plotly.js.

The build hands a DrawingJob the images missing from the cache. The job draws them in one Chromium
session on one background thread, which Material's social plugin does for its cards too: the pages render
meanwhile, and on_post_build waits for the job. Every wait has a deadline. Chromium that does not start,
does not answer, or dies mid-drawing fails the build within `timeout` seconds, naming the image it was on,
and the browser is closed or killed either way.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PLOTLY_DIST = ROOT / "node_modules" / "plotly.js-basic-dist-min"  # `npm ci` installs it (package.json)
PLOTLY_JS = PLOTLY_DIST / "plotly-basic.min.js"
# The versions this module was written against: tests/test_browser_module.py fails when a pin moves, so
# that someone reads kaleido's and plotly.js's changes before the images change behind the cache's back.
KALEIDO_VERSION = "1.5.0"
PLOTLY_JS_VERSION = "4.1.1"
DEFAULT_TIMEOUT = 60.0  # seconds a single step (Chromium's start, one drawing, its close) may take
SLACK = 5.0  # the build's own deadline on the drawing thread: a step's timeout plus this


class DrawingError(Exception):
    """Chromium was there, but an image could not be drawn."""


def find_chromium() -> str | None:
    """The Chromium to draw with: $BROWSER_PATH, else chromium on PATH; None when there is none."""
    path = os.environ.get("BROWSER_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    return path if path and os.path.isfile(path) and os.access(path, os.X_OK) else None


def renderer() -> str:
    """What besides the figure decides an image's bytes on this side: the kaleido and plotly.js versions."""
    try:
        bundle = json.loads((PLOTLY_DIST / "package.json").read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError):
        bundle = "missing"  # the build stops at copying the bundle; no image is made without it
    return f"kaleido {version('kaleido')}, plotly.js {bundle}, stable ids 1"


@dataclass(frozen=True)
class Drawing:
    """One image to draw: what messages call it, the figure (made in the drawing thread), and its format."""

    label: str
    figure: Callable[[], dict[str, Any]]
    fmt: str
    width: int
    height: int
    scale: float = 1


class DrawingJob:
    """Draws `drawings` in one Chromium on a thread of its own, handing each image to `save` as it is made."""

    def __init__(
        self,
        drawings: list[Drawing],
        save: Callable[[Drawing, bytes], None],
        chromium: str,
        timeout: float = DEFAULT_TIMEOUT,
        slack: float = SLACK,
    ) -> None:
        self.drawings = drawings
        self.save = save
        self.chromium = chromium
        self.timeout = timeout
        self.slack = slack
        self._step = ("starting Chromium for", drawings[0].label if drawings else "")
        self._since = time.monotonic()
        self._failure: BaseException | None = None
        self._session: Any = None
        self._thread = threading.Thread(target=self._run, name="qwen-lineage-images", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def wait(self) -> None:
        """Wait for the images; raise DrawingError when one failed or a step overran its deadline."""
        while self._thread.is_alive():
            self._thread.join(0.2)
            doing, label = self._step
            if self._thread.is_alive() and time.monotonic() - self._since > self.timeout + self.slack:
                self.abort()
                raise DrawingError(f"Chromium did not finish {doing} {label} within {self.timeout:g} s")
        if self._failure is not None:
            raise DrawingError(str(self._failure)) from self._failure

    def abort(self) -> None:
        """Stop the browser this job started (a build that failed, or gave up waiting)."""
        stop(getattr(self._session, "subprocess", None))

    def _progress(self, doing: str, label: str) -> None:
        self._step, self._since = (doing, label), time.monotonic()

    def _run(self) -> None:
        try:
            asyncio.run(self._draw_all())
        except BaseException as exc:
            self._failure = exc

    async def _draw_all(self) -> None:
        import kaleido  # here, not at the top: a build with every image cached never imports it

        session = self._session = kaleido.Kaleido(n=1, timeout=None, plotlyjs=str(PLOTLY_JS), mathjax=False, path=self.chromium)
        done = False
        try:
            await self._within(session.open(), "starting Chromium for", self.drawings[0].label)
            for drawing in self.drawings:
                self._progress("drawing", drawing.label)  # making the figure is part of drawing it
                figure = drawing.figure()
                opts = {"format": drawing.fmt, "width": drawing.width, "height": drawing.height, "scale": drawing.scale}
                image = await self._within(session.calc_fig(figure, opts=opts), "drawing", drawing.label)
                self.save(drawing, stable_svg(image, drawing.label) if drawing.fmt == "svg" else image)
            done = True
        finally:
            if not done:  # a browser that failed or hangs goes first: kaleido's close would wait on it for long
                self.abort()
            try:
                await asyncio.wait_for(session.close(), SLACK)
            except BaseException:
                self.abort()

    async def _within(self, step: Any, doing: str, label: str) -> Any:
        """Await one step of the drawing with the job's deadline; name the image when it fails."""
        self._progress(doing, label)
        started = time.monotonic()
        try:
            return await asyncio.wait_for(step, self.timeout)
        except (Exception, asyncio.CancelledError) as exc:
            # choreographer turns the deadline's cancellation of its start into an error of its own
            if isinstance(exc, TimeoutError) or time.monotonic() - started >= self.timeout:
                raise DrawingError(f"Chromium did not answer within {self.timeout:g} s while {doing} {label}") from None
            process = getattr(self._session, "subprocess", None)
            if isinstance(exc, asyncio.CancelledError) or (process is not None and process.poll() is not None):
                raise DrawingError(f"Chromium stopped while {doing} {label}") from None
            first = str(exc).splitlines()[0][:300] if str(exc) else ""
            raise DrawingError(f"Chromium failed while {doing} {label}: {type(exc).__name__}: {first}") from exc


def stop(process: subprocess.Popen[bytes] | None) -> None:
    """End a browser at once: the process choreographer started leads a process group of its own (its pipe
    wrapper, Chromium and Chromium's helpers), and the whole group goes."""
    if process is None or process.poll() is not None:
        return
    try:
        if os.getpgid(process.pid) == process.pid:
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    except ProcessLookupError:
        pass
    with contextlib.suppress(subprocess.TimeoutExpired):  # SIGKILL cannot be refused; the table catches up
        process.wait(SLACK)


# An id of letters (and a legend's number: legend2…), then the drawing's six hex digits.
_RANDOM_ID = re.compile(rb'id="[a-z]+[2-9]?-?([0-9a-f]{6})(?![0-9a-f])')


def stable_svg(svg: bytes, name: str) -> bytes:
    """Replace the random per-drawing ids plotly.js writes (clip3381db…, legend3381db, defs-585304) with ids
    derived from the image's name, so two builds of the same data give byte-identical images."""
    for n, uid in enumerate(dict.fromkeys(_RANDOM_ID.findall(svg))):
        stable = hashlib.sha256(f"{name}:{n}".encode()).hexdigest()[:6].encode("ascii")
        svg = re.sub(rb"(?:(?<=[a-z-])|(?<=[a-z][2-9]))" + uid + rb"(?![0-9a-f])", stable, svg)
    return svg
