"""Build artefacts of the charts: figure JSON, CSV, standalone pages, SVG and PNG images.

Images come from kaleido driving the system's Chromium in one session. All of it runs in a forked process
while MkDocs renders the pages. Results are cached on disk by content, so a rebuild re-exports only the
charts whose data changed. Without Chromium the build goes on and says that images were skipped.
"""
from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import csv
import hashlib
import io
import json
import logging
import multiprocessing
import os
import re
import shutil
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from importlib.metadata import version as _version
from pathlib import Path
from typing import Any

from .charts import CHARTS, Chart
from .embed import (
    BACKGROUNDS, NARROW_WIDTH, PAGE_LAYOUT, PAGE_WIDTH, REPORT_SIZE, THEMES, Site, figure_json, files, standalone_page, themed,
)
from .lazy import LazyModule
from .records import Dataset

go = LazyModule("plotly.graph_objects")

PLOTLY_DIST = Path(__file__).resolve().parent.parent / "node_modules" / "plotly.js-basic-dist-min"  # `npm ci` installs it

log = logging.getLogger("mkdocs.plugins.qwen_lineage")


def rows_csv(chart: Chart, data: Dataset) -> str:
    """The data behind a chart as CSV (header row first, RFC 4180 quoting)."""
    header, rows = chart.rows(data)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


@dataclass(frozen=True)
class Image:
    """One image file: where it goes in the site, its cache key, and how it comes from its drawing's SVG:
    as it is, recoloured light to dark (`dark`), or rasterised to PNG at `scale`."""

    path: str
    key: str
    fmt: str
    scale: float = 1
    dark: bool = False


@dataclass(frozen=True)
class Render:
    """One drawing of a figure by plotly.js at one size, and the images made from it. plotly.js lays a
    figure out and draws every point again for each drawing (seconds per chart at 10,000 releases), so one
    drawing gives the light SVG, its dark recolouring and the PNGs; a drawing per image made 8 per chart."""

    make: Callable[[], go.Figure]
    width: int
    height: int
    background: bool  # opaque, as the report images are
    images: tuple[Image, ...]


class ExportError(Exception):
    """Chromium was there but images could not be made."""


KEEP_DAYS = 30  # an image no build has used for this long leaves the cache
INPUTS = "inputs.sha256"  # in the cache: what the last build with all its images was made from


class ImageExporter:
    """Make SVG/PNG images with kaleido in one Chromium session; cache them on disk by content, so a build
    re-exports only the charts whose data or style changed. A cached image's time is its last use, and
    `prune` drops those unused for KEEP_DAYS, so a cache kept between CI runs stays the size of what recent
    builds need."""

    def __init__(self, cache_dir: Path) -> None:
        self.cache_dir = cache_dir
        self._painter: Painter | None = None
        self._inputs = ""

    def cached(self, key: str, fmt: str) -> bytes | None:
        path = self.cache_dir / f"{key}.{fmt}"
        try:
            content = path.read_bytes()
        except FileNotFoundError:
            return None
        os.utime(path)  # used now
        return content

    def prune(self) -> int:
        """Delete the images no build has used for KEEP_DAYS days; how many went."""
        cutoff = time.time() - KEEP_DAYS * 86400
        gone = 0
        for path in self.cache_dir.glob("*.*"):  # nothing when the folder is missing
            if path.suffix in (".svg", ".png") and path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
                gone += 1
        return gone

    def can_export(self) -> tuple[bool, str]:
        """(True, '') when images may be exported here, else (False, why not)."""
        if os.environ.get("QWEN_LINEAGE_IMAGES", "").lower() in ("0", "off", "no", "false"):
            return False, "QWEN_LINEAGE_IMAGES is off"
        if _browser() is None:
            return False, "no Chromium found (BROWSER_PATH or chromium on PATH)"
        return True, ""

    def expect(self, inputs: bytes) -> bool:
        """Note what this build's charts are made from (the data and the code), and whether it differs from
        what the last build that had all its images was made from: if not, every image is most likely
        cached, and starting Chromium early would only cost time. A wrong guess costs time, never images:
        images are found in the cache by their own keys."""
        self._inputs = hashlib.sha256(inputs + STYLE.encode("utf-8")).hexdigest()
        try:
            return (self.cache_dir / INPUTS).read_text(encoding="ascii") != self._inputs
        except (OSError, ValueError):
            return True

    def complete(self) -> None:
        """Record that every image of the expected inputs is in the cache."""
        if self._inputs:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            (self.cache_dir / INPUTS).write_text(self._inputs, encoding="ascii")

    def start(self) -> None:
        """Start Chromium now, in a process of its own, for the export later in this build (see Painter)."""
        if self._painter is None:
            self._painter = Painter()

    def stop(self) -> None:
        """Close the Chromium this process started, drawn or not."""
        painter, self._painter = self._painter, None
        if painter is not None:
            painter.close()

    def export(self, renders: list[Render]) -> dict[str, bytes]:
        """Draw `renders` in one session (the one `start` began, else a new one), make their images, cache
        them, and return them by site path."""
        painter, self._painter = self._painter or Painter(), None
        made: dict[str, bytes] = {}
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        try:
            for render, contents in painter.images(renders):
                for image, content in zip(render.images, contents, strict=True):
                    (self.cache_dir / f"{image.key}.{image.fmt}").write_bytes(content)
                    made[image.path] = content
        finally:
            painter.close()
        return made


class Painter:
    """Chromium with the site's plotly.js, in a process of its own from the moment it is made. The build
    makes it before it reads the data (`ImageExporter.start` in on_config), so the browser's start, most
    of a second, overlaps the reading and the figures instead of delaying the first drawing. It draws the
    renders it is sent in order and sends back each render's images; the figures are themed and
    serialised in a thread, so the next one is ready while Chromium draws. Without fork it runs in a
    thread of this process."""

    def __init__(self) -> None:
        self._owner = os.getpid()
        requests, self._requests = multiprocessing.Pipe(duplex=False)
        self._replies, replies = multiprocessing.Pipe(duplex=False)
        forked = "fork" in multiprocessing.get_all_start_methods()
        runner = multiprocessing.get_context("fork").Process if forked else threading.Thread
        self._process: Any = runner(target=_paint, args=(requests, replies), name="qwen-lineage-chromium", daemon=True)
        self._process.start()
        if forked:  # the painter's ends: its exit must end this side's reads and writes
            requests.close()
            replies.close()

    def images(self, renders: list[Render]) -> Iterator[tuple[Render, list[bytes]]]:
        """Each render with its images (in the order of render.images), in order; then the painter closes
        Chromium and ends. Raises ExportError when Chromium, plotly.js or a figure failed."""
        failed: list[BaseException] = []

        def send() -> None:
            try:
                for render in renders:
                    self._requests.send((render.make().to_json(remove_uids=False), render.width, render.height,
                                         render.background, render.images))  # see KeptTab.draw
            except (BrokenPipeError, OSError):  # the painter stopped; its reply says why
                pass
            except BaseException as exc:  # noqa: BLE001 - reported by the loop below
                failed.append(exc)
            finally:
                try:
                    self._requests.send(None)  # the painter closes Chromium and ends
                except (BrokenPipeError, OSError):
                    pass
        sender = threading.Thread(target=send, name="qwen-lineage-figures", daemon=True)
        sender.start()
        received = 0
        try:
            for render in renders:
                try:
                    status, value = self._replies.recv()
                except EOFError:
                    sender.join()
                    if failed:
                        raise ExportError(_reason(failed[0])) from failed[0]
                    raise ExportError("the Chromium process stopped before it drew every chart") from None
                if status != "ok":
                    raise ExportError(value)
                received += 1
                yield render, value
        finally:
            if received < len(renders):  # stopped early: read what the painter still sends until it ends, so
                while True:              # that neither it nor the sender waits forever on a full pipe
                    try:
                        self._replies.recv()
                    except (EOFError, OSError):
                        break
            sender.join()

    def close(self) -> None:
        """Let the painter close Chromium and end (at once, if it has nothing to draw), and wait for it.
        Only the process that made it waits; a forked worker that used it leaves that to its parent."""
        try:
            self._requests.send(None)
        except (BrokenPipeError, OSError):  # it has ended already
            pass
        if os.getpid() == self._owner:
            self._process.join(30)
            if isinstance(self._process, multiprocessing.process.BaseProcess) and self._process.is_alive():
                self._process.terminate()
                self._process.join()


def _paint(requests: Any, replies: Any) -> None:
    """The painter: start the session, then draw each request until None (or the end of the pipe)."""
    def receive() -> Any:
        try:
            return requests.recv()
        except (EOFError, OSError):
            return None

    async def serve() -> None:
        loop = asyncio.get_running_loop()
        async with _session() as k:
            while (request := await loop.run_in_executor(None, receive)) is not None:
                replies.send(("ok", await _images(k, *request)))
    try:
        run_coroutine(serve())
    except BaseException as exc:  # noqa: BLE001 - sent to the build, which fails with it
        try:
            replies.send(("error", _reason(exc)))
        except (BrokenPipeError, OSError):
            pass
    finally:
        replies.close()
        requests.close()


def _reason(exc: BaseException) -> str:
    """An exception as the one line the build reports: its type and the first line of its message."""
    return f"{type(exc).__name__}: {str(exc).splitlines()[0][:300] if str(exc) else ''}"


async def _images(k: Any, fig_json: str, width: int, height: int, background: bool, images: tuple[Image, ...]) -> list[bytes]:
    """One drawing and its images: the canonical SVG, its dark recolouring, and its PNGs."""
    drawn = await k.draw(fig_json, width, height)
    svg = stable_svg(drawn["svg"].encode("utf-8"), images[0].key)
    scales = [image.scale for image in images if image.fmt == "png"]
    pngs = iter(await k.rasterise(svg, width, height, scales) if scales else [])
    return [next(pngs) if image.fmt == "png" else recolour(svg, background) if image.dark else svg for image in images]


def run_coroutine(coroutine: Any) -> Any:
    """Run a coroutine to its end: in this thread, or, when this thread already runs an event loop
    (Playwright's sync API, a notebook), in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:  # the usual case: no event loop in this thread
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


# Draws a figure once at its final margins. plotly.js lays a figure out, draws it, measures the tick
# labels and legend, and when they need more margin draws every point again (automargin). Here a probe,
# the figure with only the points that decide the axis ranges (per trace and marker size, the lowest and
# highest x and y, error bars included), settles the margins first; then the whole figure is drawn into
# the same plot once. Should the probe ever settle on other margins, plotly.js redraws as it always does,
# so the image is plotly.js's own either way (`settled` says whether the one drawing sufficed).
_DRAW = r"""async function(json, width, height) {
  const fig = JSON.parse(json);
  const subset = (value, n, keep) => Array.isArray(value) ? (value.length === n ? keep.map((i) => value[i]) : value)
    : value && typeof value === "object" ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, subset(v, n, keep)])) : value;
  const bounds = (trace, axis) => {
    const values = trace[axis], error = trace["error_" + axis];
    const up = error && error.visible !== false && Array.isArray(error.array) ? error.array : null;
    const down = error && error.visible !== false ? (Array.isArray(error.arrayminus) ? error.arrayminus : up) : null;
    return (i) => [up || down ? values[i] - ((down && down[i]) || 0) : values[i], up ? values[i] + (up[i] || 0) : values[i]];
  };
  const probe = (trace) => {
    const n = Array.isArray(trace.x) && Array.isArray(trace.y) && trace.x.length === trace.y.length ? trace.x.length : 0;
    const numeric = (values) => values.every((v) => v === null || typeof v === "number");
    if (n < 64 || !numeric(trace.y) || !(numeric(trace.x) || trace.x.every((v) => v === null || /^\d{4}-\d\d-\d\d$/.test(v)))) return trace;
    const sizes = trace.marker && Array.isArray(trace.marker.size) ? trace.marker.size : [];
    const x = bounds(trace, "x"), y = bounds(trace, "y"), groups = new Map();
    for (let i = 0; i < n; i++) {
      if (trace.x[i] === null || trace.y[i] === null) continue;
      const [xlo, xhi] = x(i), [ylo, yhi] = y(i), group = groups.get(sizes[i]);
      if (!group) { groups.set(sizes[i], [[i, xlo], [i, xhi], [i, ylo], [i, yhi]]); continue; }
      if (xlo < group[0][1]) group[0] = [i, xlo];
      if (xhi > group[1][1]) group[1] = [i, xhi];
      if (ylo < group[2][1]) group[2] = [i, ylo];
      if (yhi > group[3][1]) group[3] = [i, yhi];
    }
    const keep = [...new Set([...groups.values()].flat().map(([i]) => i))].sort((a, b) => a - b);
    return subset(trace, n, keep);
  };
  const layout = {...fig.layout, width, height};
  const config = {staticPlot: true, displaylogo: false, showLink: false, showTips: false};
  const gd = document.createElement("div");
  document.body.appendChild(gd);
  const points = (data) => data.reduce((sum, trace) => sum + (Array.isArray(trace.x) ? trace.x.length : 0), 0);
  try {
    const probed = fig.data.map(probe);
    await Plotly.newPlot(gd, probed, layout, config);
    const margins = JSON.stringify(gd._fullLayout._size);
    await Plotly.react(gd, fig.data, layout, config);
    const settled = JSON.stringify(gd._fullLayout._size) === margins && !gd._fullLayout._redrawFromAutoMarginCount;
    return JSON.stringify({svg: Plotly.Snapshot.toSVG(gd, "svg", 1), settled, probed: points(probed), points: points(fig.data)});
  } finally {
    Plotly.purge(gd);
    gd.remove();
  }
}"""


# Draws an SVG on a canvas at each scale and returns the PNGs (base64), as plotly.js's own PNG export
# does after drawing the figure again: the bytes are the same (a test compares them).
_RASTERISE = r"""async function(svg, width, height, scales) {
  const url = URL.createObjectURL(new Blob([svg], {type: "image/svg+xml;charset=utf-8"}));
  try {
    const img = new Image();
    await new Promise((ok, fail) => { img.onload = ok; img.onerror = () => fail(new Error("the SVG did not load")); img.src = url; });
    return JSON.stringify(scales.map((scale) => {
      const canvas = document.createElement("canvas");
      canvas.width = width * scale;
      canvas.height = height * scale;
      canvas.getContext("2d").drawImage(img, 0, 0, width * scale, height * scale);
      return canvas.toDataURL("image/png").slice("data:image/png;base64,".length);
    }));
  } finally {
    URL.revokeObjectURL(url);
  }
}"""


def _session() -> Any:
    """A kaleido session that keeps its tab between images. Stock kaleido reloads the tab, and so parses
    plotly.js again, after every image: two thirds of the export time. Without the reload plotly.js may
    order an element's attributes differently, so stable_svg writes canonical XML (C14N 2.0, attributes
    sorted); a test checks that an image made after others equals one made in a fresh tab."""
    import kaleido

    from kaleido._kaleido_tab import _devtools_utils

    class KeptTab(kaleido.Kaleido):  # type: ignore[misc]
        async def _return_kaleido_tab(self, tab: Any) -> None:
            await self.tabs_ready.put(tab)

        async def call(self, function: str, *args: Any) -> Any:
            """Run one of this module's functions in the tab; its JSON result."""
            tab = await self._get_kaleido_tab()
            try:
                reply = await _devtools_utils.exec_js_fn(tab.tab, tab._current_js_id, function, *args)
            finally:
                await self._return_kaleido_tab(tab)
            result = reply.get("result", {})
            if "exceptionDetails" in result or "value" not in result.get("result", {}):
                raise ExportError(f"plotly.js failed in the export tab: {str(reply)[:300]}")
            return json.loads(result["result"]["value"])

        async def draw(self, fig_json: str, width: int, height: int) -> dict[str, Any]:
            """The figure (its JSON, uids kept: they name the SVG groups) drawn once at its final margins:
            {svg, settled (one drawing sufficed), probed and points (how many points the probe and the
            figure have)}."""
            return await self.call(_DRAW, fig_json, width, height)

        async def rasterise(self, svg: bytes, width: int, height: int, scales: list[float]) -> list[bytes]:
            return [base64.b64decode(png) for png in await self.call(_RASTERISE, svg.decode("utf-8"), width, height, scales)]

    # The site's own plotly.js bundle (the live charts use it too): a quarter of the size of the full one
    # plotly.py ships, so the tab starts in about a third of the time. No MathJax: no chart has TeX, and
    # kaleido would fetch it from a CDN.
    return KeptTab(n=1, plotlyjs=str(PLOTLY_DIST / "plotly-basic.min.js"), mathjax=False)


_RANDOM_ID = re.compile(rb'id="[a-z]+-?([0-9a-f]{6})')


def stable_svg(svg: bytes, key: str) -> bytes:
    """Replace the random per-render ids plotly.js writes (clip3381db…, legend3381db, defs-585304) with ids
    derived from the content, and write the result as canonical XML, so two builds of the same data give
    byte-identical images whatever was rendered before."""
    for n, uid in enumerate(dict.fromkeys(_RANDOM_ID.findall(svg))):
        stable = hashlib.sha256(f"{key}:{n}".encode("ascii")).hexdigest()[:6].encode("ascii")
        svg = re.sub(rb"(?<=[a-z-])" + uid + rb"(?![0-9a-f])", stable, svg)
    return ET.canonicalize(svg.decode("utf-8")).encode("utf-8")


def _browser() -> str | None:
    """The Chromium kaleido would start, if it exists: $BROWSER_PATH, else chromium on PATH."""
    path = os.environ.get("BROWSER_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    return path if path and os.path.isfile(path) and os.access(path, os.X_OK) else None


def _bundle_version() -> str:
    try:
        return str(json.loads((PLOTLY_DIST / "package.json").read_text(encoding="utf-8"))["version"])
    except (OSError, ValueError, KeyError):
        return "missing"  # the build stops at copying the bundle; no image is made without it


# Everything besides the figure that decides an image's bytes: the themes, plotly.js and kaleido, and how
# the SVG is drawn and post-processed (bump IMAGE_FORMAT when _DRAW, stable_svg, recolour or _RASTERISE change).
IMAGE_FORMAT = "c14n-2"
STYLE = json.dumps([THEMES, PAGE_LAYOUT, BACKGROUNDS, _bundle_version(), _version("kaleido"), IMAGE_FORMAT], sort_keys=True)


def image_key(fig_json: str, *spec: object) -> str:
    """The cache key of one image: the published figure, the style, and how the image is made."""
    return hashlib.sha256("|".join([fig_json, STYLE, *map(str, spec)]).encode("utf-8")).hexdigest()[:32]


def renders(chart: Chart, fig: go.Figure, fig_json: str) -> list[Render]:
    """The drawings of one chart and their images: the report's SVG, 2x PNG and thumbnail, and the page's
    wide and narrow static SVGs, each light and dark. The dark SVG is the light one recoloured, unless the
    figure itself uses a colour of the light theme (then it is drawn in dark too). Each image is keyed by a
    hash of the published figure JSON, the style and how it is made, so a warm build never restyles or
    serialises the figure again (that costs seconds per chart at 10,000 releases)."""
    f = files(chart.slug)
    styled: dict[tuple[str, bool, bool], go.Figure] = {}

    def make(scheme: str, background: bool, page: bool) -> Callable[[], go.Figure]:
        def build() -> go.Figure:
            if (scheme, background, page) not in styled:
                styled[scheme, background, page] = themed(fig, scheme, background=background, page=page)
            return styled[scheme, background, page]
        return build

    out: list[Render] = []
    layouts: list[tuple[bool, bool, int, int, list[tuple[str, str, float]], str]] = [
        (True, False, *REPORT_SIZE, [(f["svg"], "svg", 1), (f["png"], "png", 2), (f["thumb"], "png", 0.5)], f["svg_dark"]),
        (False, True, PAGE_WIDTH, chart.height, [(f["light"], "svg", 1)], f["dark"]),
        (False, True, NARROW_WIDTH, chart.height, [(f["light_narrow"], "svg", 1)], f["dark_narrow"]),
    ]
    for background, page, width, height, light, dark_path in layouts:
        def key(scheme: str, fmt: str, scale: float, *how: str) -> str:
            return image_key(fig_json, scheme, background, page, fmt, width, height, scale, *how)
        images = [Image(path, key("light", fmt, scale), fmt, scale) for path, fmt, scale in light]
        if recolourable(fig_json, background):
            out.append(Render(make("light", background, page), width, height, background,
                              (*images, Image(dark_path, key("dark", "svg", 1, "recoloured"), "svg", dark=True))))
        else:
            out.append(Render(make("light", background, page), width, height, background, tuple(images)))
            out.append(Render(make("dark", background, page), width, height, background, (Image(dark_path, key("dark", "svg", 1), "svg"),)))
    return out


_HEX = re.compile(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})(?![0-9a-zA-Z])")
_RGB = re.compile(r"rgba?\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*(,\s*[\d.]+\s*)?\)", re.I)
_NAMED = {"white": (255, 255, 255), "black": (0, 0, 0)}
_NAMED_RE = re.compile(r"\b(" + "|".join(_NAMED) + r")\b", re.I)


def _rgb(colour: str) -> tuple[int, int, int] | None:
    """An opaque colour as (r, g, b); None for a transparent one or a form this module does not write."""
    if hex_ := _HEX.fullmatch(colour):
        digits = hex_.group(1) if len(hex_.group(1)) == 6 else "".join(c * 2 for c in hex_.group(1))
        return int(digits[:2], 16), int(digits[2:4], 16), int(digits[4:], 16)
    if (rgb := _RGB.fullmatch(colour)) and not rgb.group(4):
        return int(rgb.group(1)), int(rgb.group(2)), int(rgb.group(3))
    return _NAMED.get(colour.lower())


def recolouring(background: bool) -> dict[tuple[int, int, int], tuple[int, int, int]] | None:
    """Light colour -> dark colour of every theme setting a static image shows (hover labels are never
    drawn), or None when light to dark is not a function of the colour (one light colour, two dark ones,
    or a transparent colour that changes)."""
    pairs = [(value, THEMES["dark"][name]) for name, value in THEMES["light"].items() if not name.startswith("hoverlabel.")
             and not (background and name in ("paper_bgcolor", "plot_bgcolor"))]
    if background:
        pairs.append((BACKGROUNDS["light"], BACKGROUNDS["dark"]))
    mapping: dict[tuple[int, int, int], tuple[int, int, int]] = {}
    for light, dark in pairs:
        if light == dark:
            continue
        a, b = _rgb(light), _rgb(dark)
        if a is None or b is None or mapping.setdefault(a, b) != b:
            return None
    return mapping if not set(mapping) & {_rgb(light) for light, dark in pairs if light == dark} else None


def recolourable(fig_json: str, background: bool) -> bool:
    """Whether the dark image may be the light one recoloured: the mapping exists and no colour it changes
    appears anywhere in the figure, as a trace colour or inside a text (a name could read "rgb(31, 35, 40)")."""
    mapping = recolouring(background)
    if mapping is None:
        return False
    used = {(int(m[1]), int(m[2]), int(m[3])) for m in _RGB.finditer(fig_json)}
    used |= {_rgb("#" + m.group(1)) for m in _HEX.finditer(fig_json)} | {_NAMED[m.group(1).lower()] for m in _NAMED_RE.finditer(fig_json)}
    return not used & set(mapping)


def recolour(svg: bytes, background: bool) -> bytes:
    """The light SVG in the dark theme: every colour of the light theme, as plotly.js writes it
    ("rgb(31, 35, 40)"), replaced in one pass by its dark counterpart."""
    mapping = recolouring(background)
    assert mapping is not None, "recolour is only called when recolourable() said yes"
    table = {f"rgb({r}, {g}, {b})".encode("ascii"): "rgb({}, {}, {})".format(*mapping[r, g, b]).encode("ascii")
             for r, g, b in mapping}
    return re.sub(b"|".join(map(re.escape, table)), lambda m: table[m.group(0)], svg) if table else svg


def images_planned(exporter: ImageExporter) -> bool:
    """Whether this build makes chart images (decided before any page renders: pages link to them)."""
    ok, reason = exporter.can_export()
    if not ok:
        log.info("Chart images skipped (%s): pages show the interactive charts only. "
                 "Install Debian's chromium (or set BROWSER_PATH) to build them.", reason)
    return ok


def artefacts(data: Dataset, site: Site, exporter: ImageExporter) -> dict[str, bytes]:
    """Every generated file of every chart, keyed by its site-relative path: figure JSON, CSV, standalone
    page, and (when site.images) every image, from the cache or exported now."""
    figures = {slug: chart.figure(data) for slug, chart in CHARTS.items()}
    published = {slug: figure_json(fig) for slug, fig in figures.items()}
    out: dict[str, bytes] = {}
    if site.images:
        drawings = [r for slug, chart in CHARTS.items() for r in renders(chart, figures[slug], published[slug])]
        out.update({image.path: content for r in drawings for image in r.images
                    if (content := exporter.cached(image.key, image.fmt)) is not None})
        pending = [r for r in drawings if any(image.path not in out for image in r.images)]
        if pending:
            out.update(exporter.export(pending))
        exporter.stop()  # a Chromium started for this build and not needed closes now
        exporter.complete()
        exporter.prune()
    for slug, chart in CHARTS.items():
        f = files(slug)
        out[f["json"]] = published[slug].encode("utf-8")
        out[f["csv"]] = rows_csv(chart, data).encode("utf-8")
        out[f["page"] + "index.html"] = standalone_page(chart, data, site).encode("utf-8")
    return out


def write_files(files: dict[str, bytes], site_dir: Path, keep: Collection[str] = ()) -> dict[str, bytes]:
    """Write `files` (by site path) into `site_dir`, except those in `keep`, which are returned."""
    kept = {}
    made_dirs: set[Path] = set()
    for path, content in files.items():
        if path in keep:
            kept[path] = content
            continue
        target = site_dir / path
        if target.parent not in made_dirs:
            target.parent.mkdir(parents=True, exist_ok=True)
            made_dirs.add(target.parent)
        target.write_bytes(content)
    return kept


class Background:
    """Files made by a forked process while MkDocs renders the pages (Python runs one thread at a time; a
    second process uses the second core). `make` returns the files by site path. Where fork is not
    available it runs in place."""

    def __init__(self, make: Callable[[], dict[str, bytes]]) -> None:
        self._done: dict[str, bytes] | None = None
        self._process: Any = None
        if "fork" not in multiprocessing.get_all_start_methods():
            self._done = make()
            return
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_work, args=(send, make), name="qwen-lineage-files", daemon=True)
        self._process.start()
        send.close()

    def result(self) -> dict[str, bytes]:
        """The files by site path; raises ExportError when the process failed."""
        if self._done is None:
            try:
                status, value = self._receive.recv()
            except EOFError:
                status, value = "error", f"the worker process stopped (exit code {self._process.exitcode})"
            self._process.join()
            if status != "ok":
                raise ExportError(value)
            self._done = value
        return self._done

    def stop(self) -> None:
        if self._process is not None and self._process.is_alive():
            self._process.terminate()
            self._process.join()


def _work(send: Any, make: Callable[[], dict[str, bytes]]) -> None:
    try:
        send.send(("ok", make()))
    except BaseException as exc:  # noqa: BLE001 - reported by Background.result in the build
        send.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        send.close()
