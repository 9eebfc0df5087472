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
    THEMES,
    Site,
    figure_json,
    files,
    footer_text,
    report_size,
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


def image_specs(chart: Chart, data: Dataset, site: Site) -> list[ImageSpec]:
    """The images a chart publishes: for reports an SVG (light and dark), a 2x PNG and a thumbnail, all
    opaque, with a title, subtitle and footer, to stand alone; for pages, untitled SVGs at the column's width
    and a phone's, light and dark (one width only for a chart of its own size, which pages scroll)."""
    f, (width, height) = files(chart.slug), report_size(chart, data)
    words = (chart.caption, footer_text(chart, site))
    report = [
        ImageSpec(chart.slug, f["svg"], "svg", "light", width, height, background=True, words=words),
        ImageSpec(chart.slug, f["svg_dark"], "svg", "dark", width, height, background=True, words=words),
        ImageSpec(chart.slug, f["png"], "png", "light", width, height, 2, background=True, words=words),
        ImageSpec(chart.slug, f["thumb"], "png", "light", width, height, 0.5, background=True, words=words),
    ]
    own_width, page_height = chart.dimensions(data)
    sizes = [("", own_width)] if own_width else [("", PAGE_WIDTH), ("_narrow", NARROW_WIDTH)]
    page = [
        ImageSpec(chart.slug, f[f"{scheme}{suffix}"], "svg", scheme, size, page_height, page=True, narrow=suffix == "_narrow")
        for suffix, size in sizes
        for scheme in ("light", "dark")
    ]
    return report + page


def image_style() -> str:
    """Everything besides the figure and an image's own settings that decides its bytes (part of its key)."""
    return json.dumps([THEMES, PAGE_LAYOUT, BACKGROUNDS, renderer()], sort_keys=True)


def themed_figure(fig_json: str, spec: ImageSpec) -> dict[str, Any]:
    """The published figure styled as the image shows it, as plotly.js takes it."""
    import plotly.graph_objects as go

    fig = go.Figure(json.loads(fig_json))
    fig.update_layout(width=spec.width, height=spec.height)  # what the report frame is laid out for
    figure: dict[str, Any] = themed(
        fig, spec.scheme, background=spec.background, page=spec.page, narrow=spec.narrow, words=spec.words
    ).to_plotly_json()
    return figure


def chart_figures(charts: Mapping[str, Chart], data: Dataset) -> dict[str, str]:
    """Each chart's published figure JSON, by slug."""
    return {slug: figure_json(chart.figure(data)) for slug, chart in charts.items()}
