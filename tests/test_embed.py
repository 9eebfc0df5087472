"""Chart markup, embed kit and build artefacts, on the small fixture (no browser needed)."""
from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
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
        for render in export.renders(chart, fig, embed.figure_json(fig)):
            for image in render.images:
                (tmp_path / f"{image.key}.{image.fmt}").write_bytes(f"cached {image.path}".encode())
    monkeypatch.setattr(export, "themed", lambda *a, **k: pytest.fail("restyled a figure although its images are cached"))
    exporter = _NoBrowser(tmp_path)
    exporter.export = lambda renders: pytest.fail(f"drew {len(renders)} figures although all images are cached")  # type: ignore[method-assign]
    out = export.artefacts(DATA, embed.Site(**{**SITE.__dict__, "images": True}), exporter)
    for slug in CHARTS:
        f = embed.files(slug)
        for name in ("svg", "svg_dark", "png", "thumb", "light", "dark", "light_narrow", "dark_narrow"):
            assert out[f[name]] == f"cached {f[name]}".encode(), f"{f[name]} must come from the cache"


def test_the_image_cache_drops_what_no_build_used_for_a_month(tmp_path: Path) -> None:
    """A cache kept between CI runs must not grow with every change to the data: each use renews an image,
    and one unused for KEEP_DAYS goes."""
    import os
    import time

    old = time.time() - (export.KEEP_DAYS + 1) * 86400
    for name in ("used.svg", "stale.svg", "stale.png", "fresh.png"):
        (tmp_path / name).write_bytes(name.encode())
    for name in ("used.svg", "stale.svg", "stale.png"):
        os.utime(tmp_path / name, (old, old))
    (tmp_path / "templates").mkdir()
    os.utime(tmp_path / "templates", (old, old))
    exporter = export.ImageExporter(tmp_path)
    assert exporter.cached("used", "svg") == b"used.svg"
    assert exporter.prune() == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fresh.png", "templates", "used.svg"]
    assert export.ImageExporter(tmp_path / "missing").prune() == 0


def test_a_build_with_images_prunes_the_cache(tmp_path: Path) -> None:
    pruned = []

    class Counting(_NoBrowser):
        def export(self, renders: list[export.Render]) -> dict[str, bytes]:
            return {}

        def prune(self) -> int:
            pruned.append(self.cache_dir)
            return 0
    export.artefacts(DATA, embed.Site(**{**SITE.__dict__, "images": True}), Counting(tmp_path))
    assert pruned == [tmp_path]


def test_each_chart_is_drawn_once_per_size_and_every_image_has_its_own_key() -> None:
    for slug, chart in CHARTS.items():
        fig = chart.figure(DATA)
        drawn = export.renders(chart, fig, embed.figure_json(fig))
        images = [image for render in drawn for image in render.images]
        f = embed.files(slug)
        assert sorted(image.path for image in images) == sorted(f[n] for n in ("svg", "svg_dark", "png", "thumb", "light", "dark",
                                                                                 "light_narrow", "dark_narrow"))
        assert len({image.key for image in images}) == len(images), "two images share a cache key"
        sizes = {(r.width, r.height): r.background for r in drawn}
        assert len(sizes) == 3 and len(drawn) == sum(1 + (not export.recolourable(embed.figure_json(fig), background))
                                                     for background in sizes.values()), \
            "one drawing per size, plus a dark one only where recolouring is not safe"
        assert [(i.fmt, i.scale) for i in drawn[0].images if i.fmt == "png"] == [("png", 2), ("png", 0.5)], \
            "the report PNG (2x) and thumbnail are rasterised from the report drawing"


def test_recolouring_maps_each_light_theme_colour_to_one_dark_colour() -> None:
    for background in (False, True):
        mapping = export.recolouring(background)
        assert mapping is not None, "the themes map light to dark colour by colour"
        light = {export._rgb(v) for k, v in embed.THEMES["light"].items() if not k.startswith("hoverlabel.")}
        assert light - {export._rgb("rgba(0,0,0,0)"), None} <= set(mapping)
        assert ((255, 255, 255) in mapping) is background, "white is the report background, and only there a theme colour"


def test_recolouring_refuses_a_theme_where_one_light_colour_has_two_dark_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    themes = {"light": {**embed.THEMES["light"]}, "dark": {**embed.THEMES["dark"]}}
    themes["light"]["xaxis.gridcolor"] = themes["light"]["font.color"]  # same light colour, different dark ones
    monkeypatch.setattr(export, "THEMES", themes)
    assert export.recolouring(False) is None
    fig = CHARTS["arena-elo"].figure(DATA)
    assert all(not any(i.dark for i in r.images) for r in export.renders(CHARTS["arena-elo"], fig, embed.figure_json(fig))), \
        "without a mapping every dark image is drawn"


@pytest.mark.parametrize("figure_text", ['"color":"#1F2328"', '"color":"#fff"', '"color":"White"', '"color":"rgba(225,228,232,0.5)"',
                                         '"name":"rgb(31, 35, 40)"', '"text":"a <b>rgb(140,149,159)</b> release"'])
def test_a_figure_that_uses_a_theme_colour_is_drawn_in_dark_too(figure_text: str) -> None:
    background = "fff" in figure_text.lower() or "white" in figure_text.lower()
    assert export.recolourable('{"data":[{"x":[1]}]}', background), "a figure without theme colours may be recoloured"
    assert not export.recolourable('{"data":[{' + figure_text + '}]}', background), figure_text


def test_recolour_replaces_every_colour_in_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    themes = {"light": {"font.color": "#010101", "xaxis.gridcolor": "#020202"}, "dark": {"font.color": "#020202", "xaxis.gridcolor": "#030303"}}
    monkeypatch.setattr(export, "THEMES", themes)
    svg = b'<text style="fill: rgb(1, 1, 1);">rgb</text><path style="stroke: rgb(2, 2, 2);"/><path fill="rgb(9, 9, 9)"/>'
    assert export.recolour(svg, False) == (b'<text style="fill: rgb(2, 2, 2);">rgb</text><path style="stroke: rgb(3, 3, 3);"/>'
                                          b'<path fill="rgb(9, 9, 9)"/>'), "the font turns into the old grid colour, not the new one"


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
    render = export.renders(chart, fig, embed.figure_json(fig))[0]

    async def inside() -> dict[str, bytes]:
        return export.ImageExporter(tmp_path).export([render])
    # A thread of its own: this test thread may already run Playwright's loop (the case being tested).
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        made = pool.submit(asyncio.run, inside()).result()
    assert made[render.images[0].path].startswith(b"<svg"), "an SVG came back"
    assert made[render.images[1].path].startswith(b"\x89PNG\r\n\x1a\n"), "a PNG came back"


def test_images_from_a_kept_tab_equal_images_from_a_fresh_tab(tmp_path: Path) -> None:
    """The build's kaleido session keeps its tab between images; what was drawn before must not change
    the bytes of an image (stable_svg canonicalises the SVG)."""
    _needs_chromium()
    drawn = {slug: export.renders(CHARTS[slug], fig := CHARTS[slug].figure(DATA), embed.figure_json(fig))
             for slug in ("lineage", "parameter-scale")}
    checked = drawn["parameter-scale"][:3]  # each drawn after others of its chart; the first has the PNGs
    alone: dict[str, bytes] = {}
    for n, render in enumerate(checked):  # each drawing first in its own session
        alone.update(export.ImageExporter(tmp_path / f"fresh{n}").export([render]))
    later = export.ImageExporter(tmp_path / "after").export(drawn["lineage"] + drawn["parameter-scale"])  # build order, one tab
    for image in (image for render in checked for image in render.images):
        assert later[image.path] == alone[image.path], f"{image.path} differs when drawn after other charts"


def _dark_drawn_by_plotly(tmp_path: Path, wanted: dict[str, tuple[object, export.Render]]) -> dict[str, bytes]:
    """For each name: the figure of a render drawn by plotly.js in the dark theme, at the render's size,
    its ids seeded like the render's own SVG. One session for all."""
    drawings = [export.Render(lambda fig=fig, r=render: embed.themed(fig, "dark", background=r.background, page=not r.background),
                              render.width, render.height, render.background, (export.Image(name, render.images[0].key, "svg"),))
                for name, (fig, render) in wanted.items()]
    return export.ImageExporter(tmp_path).export(drawings)


def test_recoloured_dark_images_equal_dark_images_drawn_by_plotly(tmp_path: Path) -> None:
    """On the real data every recoloured dark SVG has the bytes plotly.js draws in the dark theme; for a
    figure that uses a light theme colour itself (the lineage's white nodes on the white report) the
    recolouring would be wrong, which is why such a figure is drawn in dark."""
    from .conftest import ROOT

    _needs_chromium()
    data = load_dataset(ROOT / "data")
    figures = {slug: chart.figure(data) for slug, chart in CHARTS.items()}
    drawn = [(figures[slug], render) for slug, chart in CHARTS.items()
             for render in export.renders(chart, figures[slug], embed.figure_json(figures[slug]))]
    made = export.ImageExporter(tmp_path / "build").export([render for fig, render in drawn])
    wanted = {image.path: (fig, render) for fig, render in drawn for image in render.images if image.dark}
    lineage_report = next(render for fig, render in drawn if fig is figures["lineage"])
    wanted["lineage report"] = (figures["lineage"], lineage_report)
    real = _dark_drawn_by_plotly(tmp_path / "real", wanted)
    assert len(wanted) > 2 * len(CHARTS), "most dark images are recoloured"
    for path in wanted.keys() - {"lineage report"}:
        assert made[path] == real[path], f"{path}: recoloured differs from drawn"
    assert not export.recolourable(embed.figure_json(figures["lineage"]), True), "the lineage's white nodes would turn dark"
    light = made[lineage_report.images[0].path]
    assert export.recolour(light, True) != real["lineage report"], "recolouring this figure would be wrong, so the guard is needed"


def test_rasterised_pngs_equal_plotlys_own_png_export(tmp_path: Path) -> None:
    _needs_chromium()
    chart = CHARTS["lineage"]
    fig = chart.figure(DATA)
    report = export.renders(chart, fig, embed.figure_json(fig))[0]
    made = export.ImageExporter(tmp_path).export([report])
    pngs = [image for image in report.images if image.fmt == "png"]

    async def plotly_pngs() -> list[bytes]:
        async with export._session() as k:
            return [await k.calc_fig(report.make(), opts={"format": "png", "width": report.width, "height": report.height,
                                                          "scale": image.scale}) for image in pngs]
    for image, own in zip(pngs, export.run_coroutine(plotly_pngs()), strict=True):
        assert made[image.path] == own, f"{image.path} at {image.scale}x differs from plotly.js's PNG"


def test_files_made_in_the_background_arrive_and_failures_are_reported() -> None:
    done = export.Background(lambda: {"a.json": b"{}", "b/c.csv": b"x\n"})
    assert done.result() == {"a.json": b"{}", "b/c.csv": b"x\n"}

    def fail() -> dict[str, bytes]:
        raise RuntimeError("no space left")
    with pytest.raises(export.ExportError, match="RuntimeError: no space left"):
        export.Background(fail).result()


def test_the_worker_writes_its_files_and_hands_back_the_ones_mkdocs_would_overwrite(tmp_path: Path) -> None:
    """MkDocs writes the linked downloads as empty placeholders after the worker starts: those come back to
    be written after the pages, every other file is written by the worker."""
    files = {"api/v1/models.json": b"[]", "api/v1/models/qwen3.json": b"{}", "charts/a/index.html": b"<p>", "feed.xml": b"<feed/>"}
    kept = export.write_files(files, tmp_path, keep=("api/v1/models.json", "feed.xml"))
    assert kept == {"api/v1/models.json": b"[]", "feed.xml": b"<feed/>"}
    assert (tmp_path / "api/v1/models/qwen3.json").read_bytes() == b"{}" and (tmp_path / "charts/a/index.html").read_bytes() == b"<p>"
    assert not (tmp_path / "api/v1/models.json").exists() and not (tmp_path / "feed.xml").exists()


def test_a_new_build_stops_the_worker_of_the_one_before(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Under `mkdocs serve` an edit can start a build while the last one's worker still runs: it must not go
    on writing into the folder the new build has just cleaned."""
    import time

    from mkdocs.config import load_config

    from macros import hooks

    def slow() -> dict[str, bytes]:
        time.sleep(30)
        return export.write_files({"late.json": b"{}"}, tmp_path)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)  # on_config sets it; give it back afterwards
    monkeypatch.setenv("QWEN_LINEAGE_IMAGES", "off")  # this build would start Chromium for its images
    worker = export.Background(slow)
    hooks._BUILD["files"] = worker
    try:
        hooks.on_config(load_config(str(Path(hooks.ROOT) / "mkdocs.yml")))
        assert "files" not in hooks._BUILD and not worker._process.is_alive()
    finally:
        worker.stop()
    assert not (tmp_path / "late.json").exists()


def _arena_report() -> export.Render:
    chart = CHARTS["arena-elo"]
    fig = chart.figure(DATA)
    return export.renders(chart, fig, embed.figure_json(fig))[0]


def test_a_chromium_started_early_draws_for_the_worker_forked_later(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The build starts Chromium in on_config, before it reads the data; the files worker, forked later,
    draws with that Chromium (it starts no other) and gets the images a fresh session makes; the build
    closes it afterwards."""
    _needs_chromium()
    render = _arena_report()
    fresh = export.ImageExporter(tmp_path / "fresh").export([render])
    exporter = export.ImageExporter(tmp_path / "build")
    exporter.start()
    painter = exporter._painter
    try:
        monkeypatch.setattr(export, "Painter", lambda: pytest.fail("the worker started a second Chromium"))
        made = export.Background(lambda: exporter.export([render])).result()
    finally:
        exporter.stop()
    assert made == fresh and set(made) == {image.path for image in render.images}
    assert not painter._process.is_alive() and painter._process.exitcode == 0, "Chromium was closed, not killed"


def test_without_fork_the_painter_runs_in_a_thread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where fork is missing (Windows), Chromium is driven from a thread of the build and gives the same images."""
    import threading

    _needs_chromium()
    render = _arena_report()
    forked = export.ImageExporter(tmp_path / "forked").export([render])
    monkeypatch.setattr(export.multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    painter = export.Painter()
    assert isinstance(painter._process, threading.Thread)
    exporter = export.ImageExporter(tmp_path / "thread")
    exporter._painter = painter
    assert exporter.export([render]) == forked
    assert not painter._process.is_alive()


def test_a_chromium_started_for_nothing_closes_when_told(tmp_path: Path) -> None:
    """A build that finds every image cached closes the Chromium it started early, whether or not the
    browser has finished starting (the painter reads the request to end only once it has)."""
    _needs_chromium()
    exporter = export.ImageExporter(tmp_path)
    exporter.start()
    painter = exporter._painter
    exporter.stop()
    assert exporter._painter is None
    assert not painter._process.is_alive() and painter._process.exitcode == 0, "it ended by itself, not by terminate()"


def test_a_chromium_that_fails_to_start_fails_the_export_with_its_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "chromium"
    broken.write_text("#!/bin/sh\nexit 1\n", encoding="ascii")
    broken.chmod(0o755)
    monkeypatch.setenv("BROWSER_PATH", str(broken))
    exporter = export.ImageExporter(tmp_path / "cache")
    exporter.start()
    with pytest.raises(export.ExportError, match="BrowserFailedError"):
        export.Background(lambda: exporter.export([_arena_report()])).result()
    exporter.stop()
    assert not list((tmp_path / "cache").glob("*.svg")), "nothing cached from a failed export"


def _within(seconds: int, work: Callable[[], object]) -> object:
    """work(), failing the test instead of hanging when it does not end (a guard, not a timing assertion).
    An alarm, so that the work stays in this thread: a process forked from another thread ends with
    exit code 1 however its work went (Python's threading shutdown in the child)."""
    import signal

    def stuck(*_: object) -> None:
        pytest.fail(f"still running after {seconds} s: a side of the painter's pipes waits forever")
    previous = signal.signal(signal.SIGALRM, stuck)
    signal.alarm(seconds)
    try:
        return work()
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_a_figure_that_fails_fails_the_export_with_its_reason(tmp_path: Path) -> None:
    import dataclasses

    _needs_chromium()
    good = _arena_report()

    def broken() -> object:
        raise ValueError("no such trace property")
    renders = [good, dataclasses.replace(good, make=broken), good]
    with pytest.raises(export.ExportError, match="ValueError: no such trace property"):
        _within(120, lambda: export.ImageExporter(tmp_path).export(renders))


def test_an_export_that_stops_early_lets_chromium_close(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """When writing an image fails, the painter still has drawings queued: they are read and dropped so
    that it closes Chromium and ends, and the error is the one that stopped the export."""
    _needs_chromium()
    made: list[export.Painter] = []
    real = export.Painter
    monkeypatch.setattr(export, "Painter", lambda: made.append(real()) or made[-1])
    figures = {slug: chart.figure(DATA) for slug, chart in CHARTS.items()}
    renders = [r for slug, chart in CHARTS.items() for r in export.renders(chart, figures[slug], embed.figure_json(figures[slug]))]
    assert sum(image.fmt == "png" for r in renders[1:] for image in r.images) > 2, "the replies left must overfill a pipe"
    (tmp_path / f"{renders[0].images[0].key}.svg").mkdir(parents=True)  # the first image cannot be written
    with pytest.raises(IsADirectoryError):
        _within(120, lambda: export.ImageExporter(tmp_path).export(renders))
    assert len(made) == 1 and not made[0]._process.is_alive() and made[0]._process.exitcode == 0


def test_chromium_starts_early_only_when_the_charts_inputs_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the charts are made from is recorded once a build has all its images; the next build with the
    same data, code and style finds them cached and starts no browser before it knows it must draw."""
    first = export.ImageExporter(tmp_path)
    assert first.expect(b"data v1") is True, "no build has recorded its inputs yet"
    first.complete()
    assert export.ImageExporter(tmp_path).expect(b"data v1") is False, "same inputs: every image is cached"
    assert export.ImageExporter(tmp_path).expect(b"data v2") is True, "the data changed"
    monkeypatch.setattr(export, "STYLE", export.STYLE + "a new theme")
    assert export.ImageExporter(tmp_path).expect(b"data v1") is True, "the style changed"
    assert export.ImageExporter(tmp_path / "elsewhere").expect(b"data v1") is True, "another (empty) cache"


def test_the_build_starts_chromium_early_when_its_data_changed(tmp_path: Path, data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from types import SimpleNamespace

    from macros import site

    started: list[Path] = []
    monkeypatch.setattr(export.ImageExporter, "start", lambda self: started.append(self.cache_dir))
    monkeypatch.setattr(export.ImageExporter, "can_export", lambda self: (True, ""))
    monkeypatch.setenv("QWEN_LINEAGE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("QWEN_LINEAGE_DATA", str(data_copy))
    config = SimpleNamespace(config_file_path=str(Path(site.ROOT) / "mkdocs.yml"))

    def build() -> int:
        monkeypatch.setitem(site._STATE, "exporter", None)  # a new MkDocs process
        site.start_drawing(config)
        site.image_exporter(config).complete()  # the build had all its images
        return len(started)
    assert build() == 1, "a cold cache: Chromium starts while the data is read"
    assert build() == 1, "nothing changed since: no Chromium before it is known to be needed"
    models = data_copy / "models.yaml"
    models.write_text(models.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert build() == 2, "the data changed"
    monkeypatch.setattr(export.ImageExporter, "can_export", lambda self: (False, "no browser"))
    models.write_text(models.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert build() == 2, "no images in this build"


def test_artefacts_close_an_unneeded_chromium_and_record_their_inputs(tmp_path: Path) -> None:
    calls: list[str] = []

    class Recording(_NoBrowser):
        def export(self, renders: list[export.Render]) -> dict[str, bytes]:
            calls.append("export")
            return {image.path: b"drawn" for render in renders for image in render.images}

        def stop(self) -> None:
            calls.append("stop")

        def complete(self) -> None:
            calls.append("complete")
    site_info = embed.Site(**{**SITE.__dict__, "images": True})
    export.artefacts(DATA, site_info, Recording(tmp_path))
    assert calls == ["export", "stop", "complete"], "cold: draw, close Chromium, then record"
    calls.clear()
    for chart in CHARTS.values():
        fig = chart.figure(DATA)
        for image in (image for render in export.renders(chart, fig, embed.figure_json(fig)) for image in render.images):
            (tmp_path / f"{image.key}.{image.fmt}").write_bytes(b"cached")
    export.artefacts(DATA, site_info, Recording(tmp_path))
    assert calls == ["stop", "complete"], "warm: close a Chromium started early, draw nothing"


def test_the_hook_starts_chromium_before_the_macros_plugin_reads_the_data(monkeypatch: pytest.MonkeyPatch) -> None:
    from mkdocs.config import load_config

    from macros import hooks

    monkeypatch.setenv("QWEN_LINEAGE_IMAGES", "off")
    config = load_config(str(Path(hooks.ROOT) / "mkdocs.yml"))
    order = [f"{getattr(e, '__self__', e).__class__.__name__}.{e.__name__}" if hasattr(e, "__self__") else f"hook.{e.__name__}"
             for e in config.plugins.events["config"]]
    assert order.index("hook.on_config") < order.index("MacrosPlugin.on_config"), order


def test_a_new_build_or_the_end_closes_the_chromium_of_the_build_before(monkeypatch: pytest.MonkeyPatch) -> None:
    from macros import hooks, site

    closed: list[str] = []

    class Painter:
        def close(self) -> None:
            closed.append("closed")
    exporter = export.ImageExporter(Path("unused"))
    exporter._painter = Painter()  # type: ignore[assignment]
    monkeypatch.setitem(site._STATE, "exporter", exporter)
    hooks.on_shutdown()
    assert closed == ["closed"] and exporter._painter is None


def test_images_are_drawn_by_the_plotly_js_the_site_serves() -> None:
    """The static images and the live charts come from one plotly.js bundle, and the export never asks a
    CDN for MathJax."""
    from macros import hooks

    _needs_chromium()
    session = export._session()
    assert Path(session._plotlyjs) == hooks.VENDOR[embed.PLOTLY_JS] and Path(session._plotlyjs).is_file()
    assert session._mathjax is False
    assert json.loads((export.PLOTLY_DIST / "package.json").read_text())["version"] in export.STYLE, \
        "a new plotly.js must not reuse cached images"


def test_one_drawing_at_settled_margins_gives_plotly_js_own_image(tmp_path: Path) -> None:
    """The export draws each figure once, its margins settled by a probe of the points that decide the
    axis ranges; the image must have the pixels plotly.js's own export gives (which draws twice), and the
    probe must settle the margins of every chart (else plotly.js draws twice anyway)."""
    from .conftest import ROOT

    _needs_chromium()
    data = load_dataset(ROOT / "data")
    figures = {slug: chart.figure(data) for slug, chart in CHARTS.items()}
    assert any(len(trace.x or ()) >= 64 for fig in figures.values() for trace in fig.data), "the probe must be exercised"

    async def both() -> list[tuple[str, bytes, bytes, bool]]:
        out = []
        async with export._session() as k:
            for slug, chart in CHARTS.items():
                for render in export.renders(chart, figures[slug], embed.figure_json(figures[slug])):
                    fig, size = render.make(), (render.width, render.height)
                    own = await k.calc_fig(fig, opts={"format": "svg", "width": size[0], "height": size[1]})
                    drawn = await k.draw(fig.to_json(remove_uids=False), *size)
                    once = drawn["svg"].encode("utf-8")
                    pixels = [(await k.rasterise(export.stable_svg(svg, "k"), *size, [1]))[0] for svg in (own, once)]
                    out.append((slug, size, *pixels, drawn))
        return out
    for slug, size, own, once, drawn in export.run_coroutine(both()):
        assert once == own, f"{slug} {size}: the one drawing differs from plotly.js's export"
        assert drawn["settled"], f"{slug} {size}: the probe did not settle the margins"
        if any(len(trace.x or ()) >= 64 for trace in figures[slug].data):
            assert drawn["probed"] < drawn["points"], f"{slug} {size}: the probe kept all {drawn['points']} points"


def test_a_chart_can_point_to_the_table_on_its_page_instead_of_a_copy() -> None:
    from macros import site

    html = embed.chart_figure(CHARTS["release-timeline"], DATA, "../", SITE, data_at=("#all-releases", 'the table <b>"below"</b>'))
    assert "<table" not in html and "Data behind this chart" in html, "the data is linked, not repeated"
    assert '<a href="#all-releases">the table &lt;b&gt;&quot;below&quot;&lt;/b&gt;</a>' in html
    assert f'<a href="../{embed.files("release-timeline")["csv"]}">CSV</a>' in html
    assert site.data_link("x", "", "") is None and site.data_link("x", "#a", "the table") == ("#a", "the table")
    for anchor, label in (("#a", ""), ("", "words"), ("a", "words"), ("#", "words"), ("javascript:alert(1)", "words")):
        with pytest.raises(ValueError, match="give both or neither"):
            site.data_link("x", anchor, label)
