"""Build artefacts of the charts: figure JSON, CSV, standalone pages, SVG and PNG images.

Images come from kaleido driving the system's Chromium in one session that runs in a background thread
while MkDocs renders the pages. Results are cached on disk by content, so a rebuild re-exports only the
charts whose data changed. Without Chromium the build goes on and says that images were skipped.
"""
from __future__ import annotations

import asyncio
import csv
import hashlib
import io
import json
import logging
import os
import re
import shutil
import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version as _version
from pathlib import Path
from typing import Any

import plotly
import plotly.graph_objects as go

from .charts import CHARTS, Chart
from .embed import (
    BACKGROUNDS, NARROW_WIDTH, PAGE_LAYOUT, PAGE_WIDTH, REPORT_SIZE, THEMES, Site, figure_json, files, standalone_page, themed,
)
from .records import Dataset

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
    """Make SVG/PNG images with kaleido in a background thread, while MkDocs renders the pages; cache them
    on disk by content, so a build re-exports only the charts whose data or style changed."""

    def __init__(self, cache_dir: Path) -> None:
        self.cache_dir = cache_dir
        self.exported = 0
        self._thread: threading.Thread | None = None
        self._made: dict[str, bytes] = {}
        self._error: BaseException | None = None

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

    def start(self, jobs: list[ImageJob]) -> None:
        """Export `jobs` in the background; `finish` waits for them."""
        self.finish()
        self._made, self._error = {}, None
        self._thread = threading.Thread(target=self._run, args=(jobs,), name="chart-images", daemon=True)
        self._thread.start()

    def finish(self) -> dict[str, bytes]:
        """Wait for the background export; the images by site path. Raises ExportError if it failed."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._error is not None:
            error, self._error = self._error, None
            raise ExportError(f"{type(error).__name__}: {str(error).splitlines()[0][:300] if str(error) else ''}") from error
        made, self._made = self._made, {}
        return made

    def _run(self, jobs: list[ImageJob]) -> None:
        try:
            asyncio.run(self._export(jobs))
        except BaseException as exc:  # noqa: BLE001 - reported by finish() in the build's thread
            self._error = exc

    async def _export(self, jobs: list[ImageJob]) -> None:
        async with _session() as k:
            for job in jobs:
                content = await k.calc_fig(job.make(), opts={"format": job.fmt, "width": job.width,
                                                             "height": job.height, "scale": job.scale})
                if job.fmt == "svg":
                    content = stable_svg(content, job.key)
                self.cache_dir.mkdir(parents=True, exist_ok=True)
                (self.cache_dir / f"{job.key}.{job.fmt}").write_bytes(content)
                self._made[job.path] = content
                self.exported += 1

    def close(self) -> None:
        try:
            self.finish()
        except ExportError:
            pass


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
STYLE = json.dumps([THEMES, PAGE_LAYOUT, BACKGROUNDS, plotly.__version__, _version("kaleido"), IMAGE_FORMAT], sort_keys=True)


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


def artefacts(data: Dataset, site_for: Callable[[bool], Site], exporter: ImageExporter) -> tuple[dict[str, bytes], list[ImageJob]]:
    """Every generated file of every chart, keyed by its site-relative path, and the images still to
    export (the caller starts them with exporter.start and collects them with exporter.finish). Images
    are all or nothing: without a browser, and with some not cached, the pages show live charts only."""
    figures = {slug: chart.figure(data) for slug, chart in CHARTS.items()}
    published = {slug: figure_json(fig) for slug, fig in figures.items()}
    jobs = [job for slug, chart in CHARTS.items() for job in image_jobs(chart, figures[slug], published[slug])]
    images = {job.path: content for job in jobs if (content := exporter.cached(job.key, job.fmt)) is not None}
    pending = [job for job in jobs if job.path not in images]
    ok, reason = exporter.can_export() if pending else (True, "")
    if not ok:
        log.info("Chart images skipped (%s): pages show the interactive charts only. "
                 "Install Debian's chromium (or set BROWSER_PATH) to build them.", reason)
        images, pending = {}, []
    site = site_for(ok)
    out: dict[str, bytes] = dict(images)
    for slug, chart in CHARTS.items():
        f = files(slug)
        out[f["json"]] = published[slug].encode("utf-8")
        out[f["csv"]] = rows_csv(chart, data).encode("utf-8")
        out[f["page"] + "index.html"] = standalone_page(chart, data, site).encode("utf-8")
    return out, pending
