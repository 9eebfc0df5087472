"""Build artefacts of the charts: figure JSON, CSV, standalone pages, SVG and PNG images.

Images come from kaleido driving the system's Chromium through one long-lived export session
(kaleido's sync server). Results are cached on disk by content, so a rebuild re-exports only the
charts whose data changed. Without Chromium the build goes on and says that images were skipped.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import os
import re
import shutil
from collections.abc import Callable
from importlib.metadata import version as _version
from pathlib import Path

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


class ImageExporter:
    """Turn figures into SVG/PNG bytes with one kaleido session; cache results by content."""

    def __init__(self, cache_dir: Path) -> None:
        self.cache_dir = cache_dir
        self.available: bool | None = None
        self.reason = ""
        self.exported = 0

    def _start(self) -> bool:
        if self.available is None:
            if os.environ.get("QWEN_LINEAGE_IMAGES", "").lower() in ("0", "off", "no", "false"):
                self.available, self.reason = False, "QWEN_LINEAGE_IMAGES is off"
                return False
            browser = _browser()
            if browser is None:
                self.available, self.reason = False, "no Chromium found (BROWSER_PATH or chromium on PATH)"
                return False
            try:
                import kaleido

                kaleido.start_sync_server(silence_warnings=True)
                kaleido.calc_fig_sync(go.Figure(), opts={"format": "svg", "width": 10, "height": 10})
                self.available = True
            except Exception as exc:  # noqa: BLE001 - any failure to start Chromium means: no images
                self.available, self.reason = False, f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
        return bool(self.available)

    def image(self, key: str, make: Callable[[], go.Figure], fmt: str, width: int, height: int,
              scale: float = 1) -> bytes | None:
        """SVG or PNG bytes of the figure `make` returns, cached under `key` (which must determine the
        figure); `make` runs only on a cache miss. None when no browser is available."""
        cached = self.cache_dir / f"{key}.{fmt}"
        if cached.exists():
            return cached.read_bytes()
        if not self._start():
            return None
        import kaleido

        content = kaleido.calc_fig_sync(make(), opts={"format": fmt, "width": width, "height": height, "scale": scale})
        if fmt == "svg":
            content = stable_svg(content, key)
        self.exported += 1
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        cached.write_bytes(content)
        return content

    def close(self) -> None:
        if self.available:
            import kaleido

            kaleido.stop_sync_server(silence_warnings=True)
            self.available = None


_RANDOM_ID = re.compile(rb'id="[a-z]+-?([0-9a-f]{6})')


def stable_svg(svg: bytes, key: str) -> bytes:
    """Replace the random per-render ids plotly.js writes (clip3381db…, legend3381db, defs-585304) with ids
    derived from the content, so two builds of the same data give byte-identical images."""
    for n, uid in enumerate(dict.fromkeys(_RANDOM_ID.findall(svg))):
        stable = hashlib.sha256(f"{key}:{n}".encode("ascii")).hexdigest()[:6].encode("ascii")
        svg = re.sub(rb"(?<=[a-z-])" + uid + rb"(?![0-9a-f])", stable, svg)
    return svg


def _browser() -> str | None:
    """The Chromium kaleido would start, if it exists: $BROWSER_PATH, else chromium on PATH."""
    path = os.environ.get("BROWSER_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    return path if path and os.path.isfile(path) and os.access(path, os.X_OK) else None


# Everything besides the figure that decides how an image looks: the themes and the two renderers.
STYLE = json.dumps([THEMES, PAGE_LAYOUT, BACKGROUNDS, plotly.__version__, _version("kaleido")], sort_keys=True)


def image_key(fig_json: str, *spec: object) -> str:
    """The cache key of one image: the published figure, the style, and how the image is made."""
    return hashlib.sha256("|".join([fig_json, STYLE, *map(str, spec)]).encode("utf-8")).hexdigest()[:32]


def chart_images(chart: Chart, fig: go.Figure, exporter: ImageExporter, fig_json: str) -> dict[str, bytes] | None:
    """Report images (SVG light/dark, PNG at 2x, thumbnail) and the page's static SVGs; None without a browser.
    Each image is cached under a hash of the figure's JSON, the style and its size, so a warm build never
    restyles or serialises the figure again (that costs seconds per chart at 10,000 releases)."""
    if exporter.available is False:
        return None
    f = files(chart.slug)
    w, h = REPORT_SIZE
    styled: dict[tuple[str, bool, bool], go.Figure] = {}

    def make(scheme: str, background: bool, page: bool) -> Callable[[], go.Figure]:
        def build() -> go.Figure:
            if (scheme, background, page) not in styled:
                styled[scheme, background, page] = themed(fig, scheme, background=background, page=page)
            return styled[scheme, background, page]
        return build

    jobs: list[tuple[str, str, bool, bool, str, int, int, float]] = [
        (f["svg"], "light", True, False, "svg", w, h, 1), (f["svg_dark"], "dark", True, False, "svg", w, h, 1),
        (f["png"], "light", True, False, "png", w, h, 2), (f["thumb"], "light", True, False, "png", w, h, 0.5),
    ]
    for scheme in ("light", "dark"):
        jobs.append((f[scheme], scheme, False, True, "svg", PAGE_WIDTH, chart.height, 1))
        jobs.append((f[scheme + "_narrow"], scheme, False, True, "svg", NARROW_WIDTH, chart.height, 1))
    out: dict[str, bytes] = {}
    for path, scheme, background, page, fmt, width, height, scale in jobs:
        key = image_key(fig_json, scheme, background, page, fmt, width, height, scale)
        content = exporter.image(key, make(scheme, background, page), fmt, width, height, scale)
        if content is None:
            return None
        out[path] = content
    return out


def artefacts(data: Dataset, site_for: Callable[[bool], Site], exporter: ImageExporter) -> dict[str, bytes]:
    """Every generated file of every chart, keyed by its site-relative path."""
    figures = {slug: chart.figure(data) for slug, chart in CHARTS.items()}
    published = {slug: figure_json(fig) for slug, fig in figures.items()}
    images: dict[str, bytes] = {}
    ok = True
    for slug, chart in CHARTS.items():
        made = chart_images(chart, figures[slug], exporter, published[slug]) if ok else None
        if made is None:
            ok = False
            images.clear()
            continue
        images.update(made)
    if not ok:
        log.info("Chart images skipped (%s): pages show the interactive charts only. "
                 "Install Debian's chromium (or set BROWSER_PATH) to build them.", exporter.reason or "no browser")
    site = site_for(ok)
    out: dict[str, bytes] = dict(images)
    for slug, chart in CHARTS.items():
        f = files(slug)
        out[f["json"]] = published[slug].encode("utf-8")
        out[f["csv"]] = rows_csv(chart, data).encode("utf-8")
        out[f["page"] + "index.html"] = standalone_page(chart, data, site).encode("utf-8")
    return out
