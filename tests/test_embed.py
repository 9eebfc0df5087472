"""Chart markup, embed kit and build artefacts, on the small fixture (no browser needed)."""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from macros import embed, export
from macros.charts import CHARTS
from macros.validate import load_dataset

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
    parsed = list(csv.reader(io.StringIO(export.rows_csv(CHARTS[slug], DATA))))
    assert parsed[0] == list(header) and len(parsed) == len(rows) + 1
    assert parsed[1:] == [[str(v) for v in row] for row in rows]


@pytest.mark.parametrize("slug", list(CHARTS))
def test_figure_json_is_template_free_and_deterministic(slug: str) -> None:
    first = embed.figure_json(CHARTS[slug].figure(DATA))
    assert first == embed.figure_json(CHARTS[slug].figure(DATA))
    spec = json.loads(first)
    assert "template" not in spec["layout"], "the site applies themes; the default template only adds weight"
    assert spec["data"], "a chart needs traces"


class _NoBrowser(export.ImageExporter):
    def can_export(self) -> tuple[bool, str]:
        return False, "no browser (test)"


def test_artefacts_without_a_browser_skip_images_only(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    exporter = _NoBrowser(tmp_path / "cache")
    with caplog.at_level("INFO", logger="mkdocs.plugins.qwen_lineage"):
        planned = export.images_planned(exporter)
    assert planned is False
    assert "Chart images skipped (no browser (test))" in caplog.text
    out = export.artefacts(DATA, embed.Site(**{**SITE.__dict__, "images": planned}), exporter)
    for slug in CHARTS:
        f = embed.files(slug)
        assert f["json"] in out and f["csv"] in out and f["page"] + "index.html" in out
        assert f["svg"] not in out and f["png"] not in out


def test_stable_svg_replaces_plotlys_random_id() -> None:
    one = (b'<svg><defs id="defs-585304"><clipPath id="clip3381dbxyplot"/></defs>'
           b'<g id="legend3381db" clip-path="url(#clip3381dbxyplot)" fill="#3381db"/></svg>')
    two = one.replace(b"clip3381db", b"clipa12261").replace(b"legend3381db", b"legenda12261").replace(b"defs-585304", b"defs-3f2bcb")
    assert export.stable_svg(one, "abcdef0123") == export.stable_svg(two, "abcdef0123"), "same content, same bytes"
    assert b'fill="#3381db"' in export.stable_svg(one, "abcdef0123"), "colours that look like the id stay untouched"


def test_image_cache_key_covers_figure_style_and_size(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = ("light", True, False, "svg", 1200, 675, 1)
    key = export.image_key('{"data":[1]}', *spec)
    assert key != export.image_key('{"data":[2]}', *spec), "another figure"
    assert key != export.image_key('{"data":[1]}', "dark", *spec[1:]), "another scheme"
    assert key != export.image_key('{"data":[1]}', *spec[:4], 600, 675, 1), "another size"
    monkeypatch.setattr(export, "STYLE", export.STYLE + "changed theme")
    assert key != export.image_key('{"data":[1]}', *spec), "a change of theme must not reuse old images"


def test_a_warm_image_cache_never_restyles_or_exports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for slug, chart in CHARTS.items():
        fig = chart.figure(DATA)
        for job in export.image_jobs(chart, fig, embed.figure_json(fig)):
            (tmp_path / f"{job.key}.{job.fmt}").write_bytes(f"cached {job.path}".encode())
    monkeypatch.setattr(export, "themed", lambda *a, **k: pytest.fail("restyled a figure although its images are cached"))
    exporter = _NoBrowser(tmp_path)
    exporter.export = lambda jobs: pytest.fail(f"exported {len(jobs)} images although all are cached")  # type: ignore[method-assign]
    out = export.artefacts(DATA, embed.Site(**{**SITE.__dict__, "images": True}), exporter)
    for slug in CHARTS:
        f = embed.files(slug)
        assert out[f["svg"]] == f"cached {f['svg']}".encode() and out[f["png"]] == f"cached {f['png']}".encode()


def _needs_chromium() -> None:
    from .conftest import IN_CI, chromium_path

    if chromium_path() is None:
        message = "Debian's chromium is not installed (apt-get install -y chromium)"
        if IN_CI:
            pytest.fail(message + ": under CI image tests must run")
        pytest.skip(message)


def test_images_export_from_inside_a_running_event_loop(tmp_path: Path) -> None:
    """Playwright's sync API and notebooks run an event loop in the caller's thread; export must still work."""
    import asyncio
    import concurrent.futures

    _needs_chromium()
    chart = CHARTS["arena-elo"]
    fig = chart.figure(DATA)
    job = export.image_jobs(chart, fig, embed.figure_json(fig))[0]

    async def inside() -> dict[str, bytes]:
        return export.ImageExporter(tmp_path).export([job])
    # A thread of its own: this test thread may already run Playwright's loop (the case being tested).
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        made = pool.submit(asyncio.run, inside()).result()
    assert made[job.path].startswith(b"<svg"), "an SVG came back"


def test_images_from_a_kept_tab_equal_images_from_a_fresh_tab(tmp_path: Path) -> None:
    """The build's kaleido session keeps its tab between images; what was drawn before must not change
    the bytes of an image (stable_svg canonicalises the SVG)."""
    _needs_chromium()
    jobs = {slug: export.image_jobs(CHARTS[slug], fig := CHARTS[slug].figure(DATA), embed.figure_json(fig))
            for slug in ("lineage", "parameter-scale")}
    svg = [j for j in jobs["parameter-scale"] if j.fmt == "svg"][1:4]  # each drawn after others of its chart
    png = [j for j in jobs["parameter-scale"] if j.fmt == "png"][:1]
    alone: dict[str, bytes] = {}
    for n, job in enumerate(svg + png):  # each image first in its own session
        alone.update(export.ImageExporter(tmp_path / f"fresh{n}").export([job]))
    later = export.ImageExporter(tmp_path / "after").export(jobs["lineage"] + jobs["parameter-scale"])  # build order, one tab
    for job in svg + png:
        assert later[job.path] == alone[job.path], f"{job.path} differs when drawn after other charts"


def test_files_made_in_the_background_arrive_and_failures_are_reported() -> None:
    done = export.Background(lambda: {"a.json": b"{}", "b/c.csv": b"x\n"})
    assert done.result() == {"a.json": b"{}", "b/c.csv": b"x\n"}

    def fail() -> dict[str, bytes]:
        raise RuntimeError("no space left")
    with pytest.raises(export.ExportError, match="RuntimeError: no space left"):
        export.Background(fail).result()
