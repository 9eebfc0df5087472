"""Build artefacts of the charts: figure JSON, CSV, standalone pages, SVG and PNG images.

Images come from kaleido driving the system's Chromium in one session. All of it runs in a forked process
while MkDocs renders the pages. Results are cached on disk by content, so a rebuild re-exports only the
charts whose data changed. Without Chromium the build goes on and says that images were skipped.
"""
from __future__ import annotations

import asyncio
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
import xml.etree.ElementTree as ET
from collections.abc import Callable
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
class ImageJob:
    """One image to make: where it goes in the site, its cache key, and how to make its figure."""

    path: str
    key: str
    make: Callable[[], go.Figure]
    fmt: str
    width: int
    height: int
    scale: float = 1


class ExportError(Exception):
    """Chromium was there but images could not be made."""


class ImageExporter:
    """Make SVG/PNG images with kaleido in one Chromium session; cache them on disk by content, so a build
    re-exports only the charts whose data or style changed."""

    def __init__(self, cache_dir: Path) -> None:
        self.cache_dir = cache_dir
        self.exported = 0

    def cached(self, key: str, fmt: str) -> bytes | None:
        path = self.cache_dir / f"{key}.{fmt}"
        return path.read_bytes() if path.exists() else None

    def can_export(self) -> tuple[bool, str]:
        """(True, '') when images may be exported here, else (False, why not)."""
        if os.environ.get("QWEN_LINEAGE_IMAGES", "").lower() in ("0", "off", "no", "false"):
            return False, "QWEN_LINEAGE_IMAGES is off"
        if _browser() is None:
            return False, "no Chromium found (BROWSER_PATH or chromium on PATH)"
        return True, ""

    def export(self, jobs: list[ImageJob]) -> dict[str, bytes]:
        """Make the images of `jobs` in one session, cache them, and return them by site path."""
        made: dict[str, bytes] = {}

        async def run() -> None:
            async with _session() as k:
                for job in jobs:
                    content = await k.calc_fig(job.make(), opts={"format": job.fmt, "width": job.width,
                                                                 "height": job.height, "scale": job.scale})
                    if job.fmt == "svg":
                        content = stable_svg(content, job.key)
                    self.cache_dir.mkdir(parents=True, exist_ok=True)
                    (self.cache_dir / f"{job.key}.{job.fmt}").write_bytes(content)
                    made[job.path] = content
                    self.exported += 1
        def in_own_thread() -> None:  # inside a running loop (Playwright's sync API, a notebook)
            with concurrent.futures.ThreadPoolExecutor(1) as pool:
                pool.submit(asyncio.run, run()).result()
        try:
            try:
                asyncio.get_running_loop()
            except RuntimeError:  # the usual case: no event loop in this thread
                asyncio.run(run())
            else:
                in_own_thread()
        except Exception as exc:
            raise ExportError(f"{type(exc).__name__}: {str(exc).splitlines()[0][:300] if str(exc) else ''}") from exc
        return made


def _session() -> Any:
    """A kaleido session that keeps its tab between images. Stock kaleido reloads the tab, and so parses
    plotly.js again, after every image: two thirds of the export time. Without the reload plotly.js may
    order an element's attributes differently, so stable_svg writes canonical XML (C14N 2.0, attributes
    sorted); a test checks that an image made after others equals one made in a fresh tab."""
    import kaleido

    class KeptTab(kaleido.Kaleido):  # type: ignore[misc]
        async def _return_kaleido_tab(self, tab: Any) -> None:
            await self.tabs_ready.put(tab)

    return KeptTab(n=1)


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


# Everything besides the figure that decides an image's bytes: the themes, the two renderers, and how
# the SVG is post-processed (bump IMAGE_FORMAT when stable_svg changes).
IMAGE_FORMAT = "c14n-1"
STYLE = json.dumps([THEMES, PAGE_LAYOUT, BACKGROUNDS, _version("plotly"), _version("kaleido"), IMAGE_FORMAT], sort_keys=True)


def image_key(fig_json: str, *spec: object) -> str:
    """The cache key of one image: the published figure, the style, and how the image is made."""
    return hashlib.sha256("|".join([fig_json, STYLE, *map(str, spec)]).encode("utf-8")).hexdigest()[:32]


def image_jobs(chart: Chart, fig: go.Figure, fig_json: str) -> list[ImageJob]:
    """Report images (SVG light/dark, PNG at 2x, thumbnail) and the page's static SVGs of one chart. Each
    is keyed by a hash of the published figure JSON, the style and its size, so a warm build never restyles
    or serialises the figure again (that costs seconds per chart at 10,000 releases)."""
    f = files(chart.slug)
    w, h = REPORT_SIZE
    styled: dict[tuple[str, bool, bool], go.Figure] = {}

    def make(scheme: str, background: bool, page: bool) -> Callable[[], go.Figure]:
        def build() -> go.Figure:
            if (scheme, background, page) not in styled:
                styled[scheme, background, page] = themed(fig, scheme, background=background, page=page)
            return styled[scheme, background, page]
        return build

    specs: list[tuple[str, str, bool, bool, str, int, int, float]] = [
        (f["svg"], "light", True, False, "svg", w, h, 1), (f["svg_dark"], "dark", True, False, "svg", w, h, 1),
        (f["png"], "light", True, False, "png", w, h, 2), (f["thumb"], "light", True, False, "png", w, h, 0.5),
    ]
    for scheme in ("light", "dark"):
        specs.append((f[scheme], scheme, False, True, "svg", PAGE_WIDTH, chart.height, 1))
        specs.append((f[scheme + "_narrow"], scheme, False, True, "svg", NARROW_WIDTH, chart.height, 1))
    return [ImageJob(path, image_key(fig_json, scheme, background, page, fmt, width, height, scale),
                     make(scheme, background, page), fmt, width, height, scale)
            for path, scheme, background, page, fmt, width, height, scale in specs]


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
        jobs = [job for slug, chart in CHARTS.items() for job in image_jobs(chart, figures[slug], published[slug])]
        out.update({job.path: content for job in jobs if (content := exporter.cached(job.key, job.fmt)) is not None})
        pending = [job for job in jobs if job.path not in out]
        if pending:
            out.update(exporter.export(pending))
    for slug, chart in CHARTS.items():
        f = files(slug)
        out[f["json"]] = published[slug].encode("utf-8")
        out[f["csv"]] = rows_csv(chart, data).encode("utf-8")
        out[f["page"] + "index.html"] = standalone_page(chart, data, site).encode("utf-8")
    return out


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
