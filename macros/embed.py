"""The one place that decides how a chart becomes HTML: themes, static-first markup, embed kit.

A chart first shows its build-time SVG (light or dark, matching the palette), so it reads at once and
without JavaScript. docs/assets/javascripts/charts.js fetches plotly.js (the site's own partial bundle)
only when a reader reaches for a chart (mouse over it, a tap or click, focus on its "Interactive chart"
button), then swaps in the interactive chart in the same box.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go

from .charts import CHARTS, Chart
from .figures import TRANSPARENT
from .finish import CSP
from .fmt import esc
from .records import Dataset

PLOTLY_JS = "assets/vendor/plotly-basic.min.js"
PLOTLY_LICENSE = "assets/vendor/plotly.js-LICENSE.txt"
REPORT_SIZE = (1200, 675)  # px of the published SVG and PNG (PNG at 2x), at least: a chart that needs more gets more
PAGE_WIDTH = 760  # px of the page's static SVGs: about the width of the content column
# px of the phone variants (screens up to 600 px): a 390 px phone's column (358 px) shows them unscaled, so no
# text drawn at 11 px shrinks below it
NARROW_WIDTH = 350
LICENCE = "CC BY 4.0"
# The frame of a report image (px): the title's line, each line of the subtitle, the footer's line
TITLE_PX, SUBTITLE_LINE_PX, FOOTER_PX = 40, 18, 32
MUTED = {"light": "#57606a", "dark": "#a0a6b1"}  # subtitle and footer text: 4.5:1 or more on the background
RELEASE_LINK = "models/{id}/"  # where a click on a release opens, relative to the site root

# Layout overrides per colour scheme, as Plotly.relayout keys: the exported SVGs and the live charts
# use the same values (the page passes them to charts.js in data attributes).
THEMES: dict[str, dict[str, Any]] = {
    "light": {
        "font.color": "#1f2328",
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "xaxis.gridcolor": "#e1e4e8",
        "yaxis.gridcolor": "#e1e4e8",
        "xaxis.linecolor": "#8c959f",
        "yaxis.linecolor": "#8c959f",
        "xaxis.zerolinecolor": "#d0d7de",
        "yaxis.zerolinecolor": "#d0d7de",
        "hoverlabel.bgcolor": "#ffffff",
        "hoverlabel.font.color": "#1f2328",
        "legend.font.color": "#1f2328",
    },
    "dark": {
        "font.color": "#e2e4e9",
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "xaxis.gridcolor": "#3a3f4b",
        "yaxis.gridcolor": "#3a3f4b",
        "xaxis.linecolor": "#6e7681",
        "yaxis.linecolor": "#6e7681",
        "xaxis.zerolinecolor": "#4a505c",
        "yaxis.zerolinecolor": "#4a505c",
        "hoverlabel.bgcolor": "#1e2129",
        "hoverlabel.font.color": "#e2e4e9",
        "legend.font.color": "#e2e4e9",
    },
}
# On pages the figcaption carries the title, so the plot drops its own (exports for reports keep it).
PAGE_LAYOUT: dict[str, Any] = {"title.text": ""}
# Export backgrounds: images stand alone (PNG for reports), so they get the scheme's page colour.
BACKGROUNDS = {"light": "#ffffff", "dark": "#1e2129"}


@dataclass(frozen=True)
class Site:
    """What the embed kit needs to know about the deployment."""

    url: str  # absolute site URL ending in '/', e.g. https://qwen-lineage.github.io/qwen-lineage/
    name: str
    version: str  # data version: commit and date, or 'unversioned'
    year: str
    images: bool  # whether static SVG/PNG exist for this build


def plain(fig: go.Figure) -> go.Figure:
    """A copy without Plotly's default template, so the JSON is small and themes apply cleanly."""
    out = go.Figure(fig)
    out.layout.template = None
    return out


def themed(
    fig: go.Figure, scheme: str, *, background: bool = False, page: bool = False, narrow: bool = False, words: tuple[str, str] | None = None
) -> go.Figure:
    """A copy styled for 'light' or 'dark'; `background`: opaque (reports); `page`: as shown on a page;
    `narrow`: a phone's width, where the callouts placed for a phone's plot (figures.place) stand in for the
    page's; `words`: (subtitle, footer) of an image that must stand alone."""
    out = plain(fig)
    overrides = {key.replace(".", "_"): value for key, value in {**THEMES[scheme], **(PAGE_LAYOUT if page else {})}.items()}
    if background:
        overrides["paper_bgcolor"] = overrides["plot_bgcolor"] = BACKGROUNDS[scheme]
    out.update_layout(**overrides)
    if narrow:
        out.update_annotations(visible=False, selector={"name": "key"})
        out.update_annotations(visible=False, selector={"name": "detail"})
        out.update_annotations(visible=True, selector={"name": "narrow"})
    if words is not None:
        report_frame(out, scheme, *words)
    for index, trace in enumerate(out.data):
        trace.uid = f"t{index}"  # else plotly.js names each trace's SVG group with a random id
    return out


def subtitle_lines(text: str, width: int) -> list[str]:
    """The subtitle broken into lines that fit `width` px at 13 px (plotly does not wrap text)."""
    return textwrap.wrap(text, max(40, int((width - 32) / 7)))


def report_size(chart: Chart, data: Dataset) -> tuple[int, int]:
    """(width, height) of the report images: REPORT_SIZE, or the chart's own size and its frame when it needs more."""
    width, height = chart.dimensions(data)
    if width is None:
        return REPORT_SIZE
    w = max(REPORT_SIZE[0], width)
    return w, height + TITLE_PX + SUBTITLE_LINE_PX * len(subtitle_lines(chart.caption, w)) + FOOTER_PX


def footer_text(chart: Chart, site: Site) -> str:
    """The line under every report image: where it comes from, its address, its licence, its data version."""
    return f"Source: {site.name} · {site.url}{files(chart.slug)['page']} · {LICENCE} · Data version {site.version}"


def report_frame(fig: go.Figure, scheme: str, subtitle: str, footer: str) -> None:
    """Give an image what it needs to stand alone, as Our World in Data's exports do: the title, a subtitle
    under it and a footer line (source, address, licence, data version). The title and subtitle sit in a band
    added above the figure's own top margin; the footer is a legend of its own at the bottom (plotly places
    only legends and the title relative to the whole image, and keeps the plot clear of them)."""
    width = int(fig.layout.width or REPORT_SIZE[0])
    height = int(fig.layout.height or REPORT_SIZE[1])
    lines = subtitle_lines(subtitle, width)
    muted = MUTED[scheme]
    fig.update_layout(
        title={
            "font": {"size": 20},
            "x": 0,
            "xref": "container",
            "pad": {"t": 14, "l": 16},
            "subtitle": {"text": "<br>".join(html_text(line) for line in lines), "font": {"size": 13, "color": muted}},
        },
        margin={"t": (fig.layout.margin.t or 0) + TITLE_PX + SUBTITLE_LINE_PX * len(lines)},
        legend={"y": FOOTER_PX / height},
        legend2={
            "title": {"text": html_text(footer), "side": "left", "font": {"size": 11, "color": muted}},
            "orientation": "h",
            "x": 16 / width,
            "xref": "container",
            "xanchor": "left",
            "y": 6 / height,
            "yref": "container",
            "yanchor": "bottom",
            "itemwidth": 30,
            "itemclick": False,
            "itemdoubleclick": False,
        },
    )
    fig.add_trace(  # the footer legend's one, invisible item: a legend with no item is not drawn
        go.Scatter(
            x=[None], y=[None], name=" ", mode="markers", marker={"color": TRANSPARENT, "size": 1}, legend="legend2", hoverinfo="skip"
        )
    )


def html_text(text: str) -> str:
    """Escape a string for plotly's text markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def figure_json(fig: go.Figure) -> str:
    """The published figure JSON: compact, template-free, deterministic."""
    return json.dumps(json.loads(plain(fig).to_json()), separators=(",", ":"), sort_keys=True)


def files(slug: str) -> dict[str, str]:
    """Site-relative paths of every artefact of a chart."""
    return {
        "page": f"charts/{slug}/",
        "svg": f"charts/{slug}.svg",
        "svg_dark": f"charts/{slug}-dark.svg",
        "png": f"charts/{slug}.png",
        "thumb": f"charts/{slug}-thumb.png",
        "json": f"charts/{slug}.json",
        "csv": f"charts/{slug}.csv",
        "light": f"charts/static/{slug}-light.svg",
        "dark": f"charts/static/{slug}-dark.svg",
        "light_narrow": f"charts/static/{slug}-light-narrow.svg",
        "dark_narrow": f"charts/static/{slug}-dark-narrow.svg",
    }


def citation(chart: Chart, site: Site) -> tuple[str, str]:
    """A ready citation as plain text and as BibTeX."""
    url = site.url + files(chart.slug)["page"]
    text = f"{site.name} ({site.year}). {chart.title} [chart]. {url} (data version {site.version})."
    key = "qwenlineage_" + chart.slug.replace("-", "_")
    bibtex = (
        f"@misc{{{key},\n  title = {{{chart.title}}},\n  author = {{{{{site.name} contributors}}}},\n"
        f"  year = {{{site.year}}},\n  howpublished = {{\\url{{{url}}}}},\n"
        f"  note = {{Chart, data version {site.version}}}\n}}"
    )
    return text, bibtex


def _static(chart: Chart, root: str, site: Site, size: tuple[int | None, int]) -> str:
    """The two build-time SVGs (CSS shows the one matching the palette), or a note when none exist. A chart of
    its own size has one image per scheme, shown at that size on every screen."""
    f = files(chart.slug)
    if not site.images:
        return '<p class="ql-chart__noimage">The static image of this chart was not built; the interactive chart loads here.</p>'
    alt = esc(f"{chart.title}. {chart.caption}")
    width, height = size
    pictures = []
    for scheme, extra in (("light", f'alt="{alt}"'), ("dark", 'alt="" loading="lazy"')):
        narrow = "" if width else f'<source media="(max-width: 600px)" srcset="{root}{f[scheme + "_narrow"]}">'
        pictures.append(
            f'<picture class="ql-chart__static ql-chart__static--{scheme}">{narrow}'
            f'<img src="{root}{f[scheme]}" {extra} width="{width or PAGE_WIDTH}" height="{height}" decoding="async">'
            "</picture>"
        )
    return "".join(pictures)


def frame(chart: Chart, data: Dataset, root: str, site: Site, link: str) -> str:
    """The chart box: static images, the live plot's container, its button and what charts.js needs. A chart
    of its own size (Chart.size) scrolls sideways in its box instead of shrinking, so every label keeps its
    size; the box can then take keyboard focus, to scroll it."""
    f = files(chart.slug)
    width, height = size = chart.dimensions(data)
    themes = esc(json.dumps({k: {**v, **PAGE_LAYOUT} for k, v in THEMES.items()}, separators=(",", ":")))
    # Hidden until charts.js runs (without JavaScript it could do nothing); it overlays the empty band
    # above the plot, so showing it moves nothing. Its name starts with its visible text and says which chart.
    button = (
        f'<button type="button" class="ql-chart__live" aria-label="Interactive chart: {esc(chart.title)}" hidden>Interactive chart</button>'
    )
    wide = (
        f' ql-chart__frame--wide" style="--ql-chart-height:{height}px;--ql-chart-width:{width}px" tabindex="0" role="region" '
        f'aria-label="{esc(chart.title)} (scrolls sideways)"'
        if width
        else f'" style="--ql-chart-height:{height}px"'
    )
    return (
        f'<div class="ql-chart__frame{wide} data-ql-chart="{esc(chart.slug)}" '
        f'data-figure="{root}{f["json"]}" data-plotly="{root}{PLOTLY_JS}" data-link="{esc(link)}" data-themes="{themes}">'
        f'{_static(chart, root, site, size)}<div class="ql-chart__plot" aria-hidden="true"></div>{button}</div>'
    )


def data_table(chart: Chart, data: Dataset) -> str:
    """The data behind the chart as an HTML table."""
    header, rows = chart.rows(data)
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in header)
    body = "".join("<tr>" + "".join(f"<td>{esc(v)}</td>" for v in row) + "</tr>" for row in rows)
    return f'<div class="ql-table-wrap"><table class="ql-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def embed_panel(chart: Chart, data: Dataset, root: str, site: Site) -> str:
    """'Embed / download': iframe snippet, file links, citation — each with a copy button."""
    f = files(chart.slug)
    page_url = site.url + f["page"]
    height = chart.dimensions(data)[1]
    iframe = f'<iframe src="{page_url}" title="{chart.title}" width="100%" height="{height + 76}" style="border:0" loading="lazy"></iframe>'
    text, bibtex = citation(chart, site)
    w, h = report_size(chart, data)
    links = [
        ("Chart page (for iframes)", f["page"]),
        (f"SVG, {w} × {h}", f["svg"]),
        ("SVG, dark", f["svg_dark"]),
        (f"PNG, {2 * w} × {2 * h}", f["png"]),
        ("Figure JSON", f["json"]),
        ("Data CSV", f["csv"]),
    ]
    if not site.images:
        links = [link for link in links if link[1] not in (f["svg"], f["svg_dark"], f["png"])]
    items = "".join(f'<li><a href="{root}{path}">{esc(label)}</a></li>' for label, path in links)
    blocks = [("iframe", "Embed with an iframe", iframe), ("cite", "Cite (plain text)", text), ("bibtex", "Cite (BibTeX)", bibtex)]
    snippets = "".join(
        f'<p class="ql-label" id="{chart.slug}-{key}-label">{title}</p>'
        f'<div class="ql-snippet"><pre><code id="{chart.slug}-{key}">{esc(value)}</code></pre>'
        f'<button type="button" class="md-button ql-copy" data-ql-copy="{chart.slug}-{key}" '
        f'aria-describedby="{chart.slug}-{key}-label">Copy</button></div>'
        for key, title, value in blocks
    )
    return (
        f'<details class="ql-embed" data-search-exclude><summary>Embed / download</summary>'
        f'<ul class="ql-embed__files">{items}</ul>{snippets}</details>'
    )


def chart_figure(
    chart: Chart, data: Dataset, root: str, site: Site, *, compact: bool = False, data_at: tuple[str, str] | None = None
) -> str:
    """The full `<figure>`: chart, caption, summary, data table, sources and embed kit. `data_at` (link,
    words) points to a table on the same page that already holds the chart's data, in place of a copy."""
    link = root + RELEASE_LINK
    header = f"<figcaption><strong>{esc(chart.title)}</strong> — {esc(chart.caption)}</figcaption>"
    summary = f'<p class="ql-chart__summary">{esc(chart.summary(data))}</p>'
    if compact:
        more = f'<p><a href="{root}charts/{esc(chart.slug)}/">Open this chart on its own page</a></p>'
        return (
            f'<figure class="ql-chart ql-chart--compact" id="chart-{esc(chart.slug)}" data-search-exclude>{header}'
            f"{frame(chart, data, root, site, link)}{summary}{more}</figure>"
        )
    sources = (
        f'<p class="ql-chart__sources">Data: Qwen Lineage, {esc(chart.basis_text(data))} '
        f'(<a href="{root}sources/">how facts are sourced</a>). Data version {esc(site.version)}.</p>'
    )
    data_note = (
        ""
        if data_at is None
        else (
            f'<p class="ql-chart__data">Data behind this chart: <a href="{esc(data_at[0])}">{esc(data_at[1])}</a>, '
            f'and as <a href="{root}{files(chart.slug)["csv"]}">CSV</a>.</p>'
        )
    )
    # The data table and the embed kit follow the figure as blocks of their own: search skips them whole.
    table = (
        ""
        if data_at is not None
        else f'\n\n<details class="ql-chart__table" data-search-exclude><summary>Data behind this chart</summary>'
        f"{data_table(chart, data)}</details>"
    )
    return (
        f'<figure class="ql-chart" id="chart-{esc(chart.slug)}">{header}{frame(chart, data, root, site, link)}'
        f"{summary}{data_note}{sources}</figure>{table}\n\n{embed_panel(chart, data, root, site)}"
    )


def data_link(slug: str, anchor: str, label: str) -> tuple[str, str] | None:
    """chart()'s data_at/data_label: both (a link to '#anchor' on the same page, and its words) or neither."""
    if not anchor and not label:
        return None
    if not anchor.startswith("#") or len(anchor) < 2 or not label.strip():
        raise ValueError(
            f'chart("{slug}"): data_at must be an anchor on the page ("#all-releases") and data_label '
            f"the words of the link; give both or neither (got data_at={anchor!r}, data_label={label!r})"
        )
    return anchor, label


def standalone_page(chart: Chart, data: Dataset, site: Site) -> str:
    """/charts/<slug>/: only the chart and a one-line source, for an <iframe>; follows prefers-color-scheme."""
    root = "../../"
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP.format(hashes="")}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="{esc(chart.caption)}">
<meta name="color-scheme" content="light dark">
<title>{esc(chart.title)} · {esc(site.name)}</title>
<link rel="canonical" href="{esc(site.url + files(chart.slug)["page"])}">
<link rel="icon" href="{root}assets/images/favicon.png">
<link rel="stylesheet" href="{root}assets/stylesheets/chart-page.css">
</head>
<body class="ql-standalone">
<main>
<figure class="ql-chart" id="chart-{esc(chart.slug)}">
<h1 class="ql-standalone__title">{esc(chart.title)}</h1>
{frame(chart, data, root, site, site.url + RELEASE_LINK)}
<p class="ql-chart__summary">{esc(chart.summary(data))}</p>
<figcaption class="ql-standalone__source">Source: <a href="{esc(site.url)}" target="_top">{esc(site.name)}</a>, data version {esc(site.version)} · <a href="{esc(site.url)}charts/" target="_top">Cite or download</a></figcaption>
</figure>
</main>
<script src="{root}assets/javascripts/charts.js"></script>
</body>
</html>
"""


def gallery(data: Dataset, root: str, site: Site, charts: Mapping[str, Chart] = CHARTS) -> str:
    """/charts/: every chart with its thumbnail, linking to its page and files."""
    cards = []
    for chart in charts.values():
        f = files(chart.slug)
        w, h = report_size(chart, data)
        thumb = f'<img src="{root}{f["thumb"]}" alt="" width="{w // 2}" height="{h // 2}" loading="lazy">' if site.images else ""
        cards.append(
            f'<li class="ql-gallery__item"><a href="{root}{f["page"]}">{thumb}<strong>{esc(chart.title)}</strong></a>'
            f'<p>{esc(chart.caption)}</p><p class="ql-gallery__files"><a href="{root}{f["json"]}">JSON</a> · '
            f'<a href="{root}{f["csv"]}">CSV</a>'
            + (f' · <a href="{root}{f["svg"]}">SVG</a> · <a href="{root}{f["png"]}">PNG</a>' if site.images else "")
            + "</p></li>"
        )
    return f'<ul class="ql-gallery">{"".join(cards)}</ul>'
