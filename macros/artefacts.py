"""The files a build adds to the site from the data: the API, the CSV, the feed, and for each chart its
figure JSON, data CSV, standalone page and the images it publishes. Pure: data in, bytes by site path out."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from typing import Any

from . import api
from .browser import renderer
from .charts import Chart
from .embed import (
    BACKGROUNDS,
    NARROW_WIDTH,
    PAGE_LAYOUT,
    PAGE_WIDTH,
    REPORT_SIZE,
    THEMES,
    Site,
    figure_json,
    files,
    standalone_page,
    themed,
)
from .imagecache import ImageSpec
from .records import Dataset


def data_files(data: Dataset, site: Site, generated_at: str) -> dict[str, bytes]:
    """The API documents, the per-variant CSV and the Atom feed."""
    return {
        **api.api_documents(data, site.url, generated_at, site.version),
        "downloads/models.csv": api.models_csv(data, site.url),
        "feed.xml": api.atom_feed(data, site.url, site.name, generated_at),
    }


def rows_csv(chart: Chart, data: Dataset) -> str:
    """The data behind a chart as CSV (header row first, RFC 4180 quoting)."""
    header, rows = chart.rows(data)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def chart_files(chart: Chart, data: Dataset, site: Site, fig_json: str) -> dict[str, bytes]:
    """A chart's figure JSON, data CSV and standalone page (for iframes)."""
    f = files(chart.slug)
    return {
        f["json"]: fig_json.encode("utf-8"),
        f["csv"]: rows_csv(chart, data).encode("utf-8"),
        f["page"] + "index.html": standalone_page(chart, data, site).encode("utf-8"),
    }


def image_specs(chart: Chart) -> list[ImageSpec]:
    """The images a chart publishes: for reports an SVG (light and dark), a 2x PNG and a thumbnail, all
    opaque and titled; for pages, untitled SVGs at the column's width and a phone's, light and dark."""
    f, (width, height) = files(chart.slug), REPORT_SIZE
    report = [
        ImageSpec(chart.slug, f["svg"], "svg", "light", width, height, background=True),
        ImageSpec(chart.slug, f["svg_dark"], "svg", "dark", width, height, background=True),
        ImageSpec(chart.slug, f["png"], "png", "light", width, height, 2, background=True),
        ImageSpec(chart.slug, f["thumb"], "png", "light", width, height, 0.5, background=True),
    ]
    page = [
        ImageSpec(chart.slug, f[f"{scheme}{suffix}"], "svg", scheme, size, chart.height, page=True)
        for suffix, size in (("", PAGE_WIDTH), ("_narrow", NARROW_WIDTH))
        for scheme in ("light", "dark")
    ]
    return report + page


def image_style() -> str:
    """Everything besides the figure and an image's own settings that decides its bytes (part of its key)."""
    return json.dumps([THEMES, PAGE_LAYOUT, BACKGROUNDS, renderer()], sort_keys=True)


def themed_figure(fig_json: str, spec: ImageSpec) -> dict[str, Any]:
    """The published figure styled as the image shows it, as plotly.js takes it."""
    import plotly.graph_objects as go

    figure: dict[str, Any] = themed(
        go.Figure(json.loads(fig_json)), spec.scheme, background=spec.background, page=spec.page
    ).to_plotly_json()
    return figure


def chart_figures(charts: Mapping[str, Chart], data: Dataset) -> dict[str, str]:
    """Each chart's published figure JSON, by slug."""
    return {slug: figure_json(chart.figure(data)) for slug, chart in charts.items()}
