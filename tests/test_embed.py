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
    width, height = CHARTS[slug].dimensions(DATA)
    assert html.startswith(f'<figure class="ql-chart" id="chart-{slug}">') and "<figcaption>" in html
    assert f'src="../{f["light"]}"' in html and f'src="../{f["dark"]}"' in html, "both palettes' static SVGs must be referenced"
    if width is None:
        assert f'srcset="../{f["light_narrow"]}"' in html, "phones get the narrow static SVG"
    else:
        assert "srcset" not in html and f'width="{width}" height="{height}"' in html, "a chart of its own size keeps it on phones"
        assert f"--ql-chart-width:{width}px" in html and "ql-chart__frame--wide" in html, "and scrolls sideways in its box"
        assert 'tabindex="0" role="region"' in html and "(scrolls sideways)" in html, "a box that scrolls takes keyboard focus, named"
    assert f'data-figure="../{f["json"]}"' in html and f'data-plotly="../{embed.PLOTLY_JS}"' in html
    assert f"--ql-chart-height:{height}px" in html, "the frame reserves the chart's height (no layout shift)"
    assert "<script" not in html, "charts are drawn by the site's script, never by inline scripts"
    assert 'class="ql-chart__summary"' in html and "Data behind this chart" in html and "Embed / download" in html


def test_frame_passes_themes_and_release_link() -> None:
    html = embed.frame(CHARTS["release-timeline"], DATA, "../", SITE, "../models/{id}/")
    themes = json.loads(re.search(r'data-themes="([^"]+)"', html).group(1).replace("&quot;", '"'))
    assert set(themes) == {"light", "dark"} and themes["dark"]["font.color"] != themes["light"]["font.color"]
    assert themes["light"]["title.text"] == "", "on pages the figcaption carries the title"
    assert 'data-link="../models/{id}/"' in html


def test_frame_has_a_button_that_only_the_script_reveals() -> None:
    html = embed.frame(CHARTS["release-timeline"], DATA, "../", SITE, "../models/{id}/")
    button = re.search(r'<button type="button" class="ql-chart__live" aria-label="([^"]*)" hidden>Interactive chart</button>', html)
    assert button, "the chart box needs its 'Interactive chart' button, hidden until charts.js shows it (without scripts it would do nothing)"
    assert button.group(1) == f"Interactive chart: {CHARTS['release-timeline'].title}", "the button's name must start with its text and say which chart"
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
    html = embed.embed_panel(CHARTS["release-timeline"], DATA, "../", SITE)
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


# ---------------------------------------------------------------- images that stand alone

@pytest.mark.parametrize("slug", list(CHARTS))
def test_report_images_carry_title_subtitle_and_footer(slug: str) -> None:
    chart = CHARTS[slug]
    specs = artefacts.image_specs(chart, DATA, SITE)
    report = [s for s in specs if s.background]
    assert {(s.fmt, s.scheme) for s in report} >= {("svg", "light"), ("svg", "dark"), ("png", "light")}, "SVG and PNG, light and dark"
    footer = embed.footer_text(chart, SITE)
    for part in ("Source: Qwen Lineage", f"https://example.org/ql/charts/{slug}/", "CC BY 4.0", "Data version abc1234, 2026-11-28"):
        assert part in footer, f"the footer must carry {part!r}"
    assert all(s.words == (chart.caption, footer) for s in report), "every report image gets the subtitle and footer"
    assert all(s.words is None for s in specs if s.page), "the page's own images stay clean: the page around them says it all"
    fig_json = embed.figure_json(chart.figure(DATA))
    for spec in report:
        drawn = artefacts.themed_figure(fig_json, spec)
        layout = drawn["layout"]
        assert layout["title"]["text"] == chart.title, "the title stays in the image"
        subtitle = layout["title"]["subtitle"]["text"].replace("<br>", " ")
        assert subtitle == embed.html_text(chart.caption), "the subtitle is the chart's caption, wrapped to the width"
        assert layout["legend2"]["title"]["text"] == embed.html_text(footer) and layout["legend2"]["yref"] == "container"
        assert layout["legend2"]["title"]["font"]["color"] == embed.MUTED[spec.scheme], "the footer is muted in either scheme"
        assert [t for t in drawn["data"] if t.get("legend") == "legend2"], "the footer legend has its one invisible item"
        assert layout["margin"]["t"] > chart.figure(DATA).layout.margin.t, "the title band is added above the chart's own"


def test_the_footer_and_subtitle_are_escaped_and_change_the_image_key() -> None:
    from macros.imagecache import image_key

    hostile = embed.Site(**{**SITE.__dict__, "name": "Q <b>&</b>"})
    chart = CHARTS["release-timeline"]
    spec = next(s for s in artefacts.image_specs(chart, DATA, hostile) if s.background)
    drawn = artefacts.themed_figure(embed.figure_json(chart.figure(DATA)), spec)
    assert "<b>" not in drawn["layout"]["legend2"]["title"]["text"] and "Q &lt;b&gt;&amp;&lt;/b&gt;" in drawn["layout"]["legend2"]["title"]["text"]
    plain = next(s for s in artefacts.image_specs(chart, DATA, SITE) if s.background)
    later = next(s for s in artefacts.image_specs(chart, DATA, embed.Site(**{**SITE.__dict__, "version": "def5678, 2026-12-01"})) if s.background)
    fig_json = embed.figure_json(chart.figure(DATA))
    assert image_key(fig_json, plain, "") != image_key(fig_json, later, ""), "a new data version redraws the images that print it"


def test_a_chart_of_its_own_size_publishes_images_at_that_size() -> None:
    chart = CHARTS["lineage"]
    width, height = chart.dimensions(DATA)
    specs = artefacts.image_specs(chart, DATA, SITE)
    page = [s for s in specs if s.page]
    assert {(s.width, s.height) for s in page} == {(width, height)} and not any(s.narrow for s in page), \
        "one page image per scheme at the chart's own size: phones scroll it rather than get a shrunken copy"
    report_w, report_h = embed.report_size(chart, DATA)
    assert report_w >= max(width, embed.REPORT_SIZE[0]) and report_h > height, "the report image fits the chart and its frame"
    assert all((s.width, s.height) == (report_w, report_h) for s in specs if s.background)
    timeline = artefacts.image_specs(CHARTS["release-timeline"], DATA, SITE)
    assert {s.width for s in timeline if s.page} == {embed.PAGE_WIDTH, embed.NARROW_WIDTH}
    assert embed.NARROW_WIDTH <= 358, "a 390 px phone's column (358 px) shows the phone image unscaled: 11 px text stays 11 px"
