"""Chart markup and the embed kit, on the small fixture (no browser needed)."""
from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from macros import artefacts, embed
from macros.charts import CHARTS
from macros.dataset import load_dataset

from .conftest import VALID

DATA = load_dataset(VALID)
SITE = embed.Site(url="https://example.org/ql/", name="Qwen Lineage", version="abc1234, 2026-11-28", year="2026", images=True)


@pytest.mark.parametrize("slug", list(CHARTS))
def test_figure_markup_is_static_first(slug: str) -> None:
    html = embed.chart_figure(CHARTS[slug], DATA, "../", SITE)
    f = embed.files(slug)
    assert html.startswith(f'<figure class="ql-chart" id="chart-{slug}">') and "<figcaption>" in html
    assert f'src="../{f["light"]}"' in html and f'src="../{f["dark"]}"' in html, "both palettes' static SVGs must be referenced"
    assert f'srcset="../{f["light_narrow"]}"' in html, "phones get the narrow static SVG"
    assert f'data-figure="../{f["json"]}"' in html and f'data-plotly="../{embed.PLOTLY_JS}"' in html
    assert f"--ql-chart-height:{CHARTS[slug].height}px" in html, "the frame reserves the chart's height (no layout shift)"
    assert "<script" not in html, "charts are drawn by the site's script, never by inline scripts"
    assert 'class="ql-chart__summary"' in html and "Data behind this chart" in html and "Embed / download" in html


def test_frame_passes_themes_and_release_link() -> None:
    html = embed.frame(CHARTS["lineage"], "../", SITE, "../models/{id}/")
    themes = json.loads(re.search(r'data-themes="([^"]+)"', html).group(1).replace("&quot;", '"'))
    assert set(themes) == {"light", "dark"} and themes["dark"]["font.color"] != themes["light"]["font.color"]
    assert themes["light"]["title.text"] == "", "on pages the figcaption carries the title"
    assert 'data-link="../models/{id}/"' in html


def test_frame_has_a_button_that_only_the_script_reveals() -> None:
    html = embed.frame(CHARTS["lineage"], "../", SITE, "../models/{id}/")
    button = re.search(r'<button type="button" class="ql-chart__live" aria-label="([^"]*)" hidden>Interactive chart</button>', html)
    assert button, "the chart box needs its 'Interactive chart' button, hidden until charts.js shows it (without scripts it would do nothing)"
    assert button.group(1) == f"Interactive chart: {CHARTS['lineage'].title}", "the button's name must start with its text and say which chart"
    assert 'tabindex="0"' not in html, "the button is the chart's one keyboard stop"


def test_without_images_the_page_says_so_and_links_no_images() -> None:
    site = embed.Site(**{**SITE.__dict__, "images": False})
    html = embed.chart_figure(CHARTS["lineage"], DATA, "../", site)
    assert "<img" not in html and "static image of this chart was not built" in html
    assert ".png" not in html and ".svg" not in html


def test_citation_names_site_chart_url_and_version() -> None:
    text, bibtex = embed.citation(CHARTS["lineage"], SITE)
    url = "https://example.org/ql/charts/lineage/"
    for part in ("Qwen Lineage", CHARTS["lineage"].title, url, "abc1234, 2026-11-28"):
        assert part in text and part in bibtex, f"citation must contain {part!r}"
    assert bibtex.startswith("@misc{qwenlineage_lineage,") and bibtex.endswith("}")


def test_embed_panel_has_iframe_files_and_copy_buttons() -> None:
    html = embed.embed_panel(CHARTS["release-timeline"], "../", SITE)
    assert "&lt;iframe src=&quot;https://example.org/ql/charts/release-timeline/&quot;" in html
    assert html.count('data-ql-copy="release-timeline-') == 3
    for key in ("svg", "svg_dark", "png", "json", "csv", "page"):
        assert f'href="../{embed.files("release-timeline")[key]}"' in html, key


def test_standalone_page_has_only_chart_and_source() -> None:
    page = embed.standalone_page(CHARTS["lineage"], DATA, SITE)
    assert "md-header" not in page and "md-nav" not in page and "<nav" not in page, "no site chrome in the iframe page"
    assert 'src="../../assets/javascripts/charts.js"' in page and page.count("<script") == 1
    assert 'content="light dark"' in page and "Source:" in page
    assert 'data-link="https://example.org/ql/models/{id}/"' in page, "clicks from an iframe open the hosted site"


def test_gallery_lists_every_chart() -> None:
    html = embed.gallery(DATA, "../", SITE)
    for slug in CHARTS:
        assert f'href="../charts/{slug}/"' in html and f'src="../charts/{slug}-thumb.png"' in html


@pytest.mark.parametrize("slug", list(CHARTS))
def test_csv_is_the_data_behind_the_chart(slug: str) -> None:
    header, rows = CHARTS[slug].rows(DATA)
    parsed = list(csv.reader(io.StringIO(artefacts.rows_csv(CHARTS[slug], DATA))))
    assert parsed[0] == list(header) and len(parsed) == len(rows) + 1
    assert parsed[1:] == [[str(v) for v in row] for row in rows]


@pytest.mark.parametrize("slug", list(CHARTS))
def test_figure_json_is_template_free_and_deterministic(slug: str) -> None:
    first = embed.figure_json(CHARTS[slug].figure(DATA))
    assert first == embed.figure_json(CHARTS[slug].figure(DATA))
    spec = json.loads(first)
    assert "template" not in spec["layout"], "the site applies themes; the default template only adds weight"
    assert spec["data"], "a chart needs traces"


def test_a_chart_can_point_to_the_table_on_its_page_instead_of_a_copy() -> None:
    html = embed.chart_figure(CHARTS["release-timeline"], DATA, "../", SITE, data_at=("#all-releases", 'the table <b>"below"</b>'))
    assert "<table" not in html and "Data behind this chart" in html, "the data is linked, not repeated"
    assert '<a href="#all-releases">the table &lt;b&gt;&quot;below&quot;&lt;/b&gt;</a>' in html
    assert f'<a href="../{embed.files("release-timeline")["csv"]}">CSV</a>' in html
    assert embed.data_link("x", "", "") is None and embed.data_link("x", "#a", "the table") == ("#a", "the table")
    for anchor, label in (("#a", ""), ("", "words"), ("a", "words"), ("#", "words"), ("javascript:alert(1)", "words")):
        with pytest.raises(ValueError, match="give both or neither"):
            embed.data_link("x", anchor, label)
