"""The built site: a strict build, every internal link and anchor, escaping of data strings."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import yaml

from .conftest import ROOT, mkdocs_build

pytestmark = pytest.mark.build
PAGES = ["index.html", "timeline/index.html", "techniques/index.html", "team/index.html", "errata/index.html",
         "sources/index.html"]
BASE = "https://qwen-lineage.github.io/qwen-lineage/"  # site_url in mkdocs.yml: 404.html links absolutely


class _Collector(HTMLParser):
    """Collect element ids and every URL-bearing attribute of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.urls: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id", "name") and (name == "id" or tag == "a"):
                self.ids.add(value)
            if name in ("href", "src", "xlink:href") or (name == "content" and tag == "meta" and value.startswith(("http", "/"))):
                self.urls.append((tag, name, value))


def _pages(site: Path) -> dict[str, _Collector]:
    out = {}
    for path in sorted(site.rglob("*.html")):
        collector = _Collector()
        collector.feed(path.read_text(encoding="utf-8"))
        out[path.relative_to(site).as_posix()] = collector
    return out


def _target(site: Path, url: str) -> Path:
    rel = unquote(urlsplit(url).path)[len(urlsplit(BASE).path):]
    path = site / rel
    return path / "index.html" if rel == "" or rel.endswith("/") or path.is_dir() else path


def test_strict_build_has_no_warnings(built_site: Path) -> None:
    log = (built_site / ".build-log").read_text(encoding="utf-8")
    warnings = [line for line in log.splitlines() if "WARNING" in line or "ERROR" in line]
    assert not warnings, "mkdocs build --strict printed warnings:\n" + "\n".join(warnings)


@pytest.mark.parametrize("page", PAGES)
def test_core_page_is_built(built_site: Path, page: str) -> None:
    html = (built_site / page).read_text(encoding="utf-8")
    assert "<h1" in html and 'name="description"' in html, f"{page} needs a title and a meta description"


def test_schemas_are_published(built_site: Path) -> None:
    for name in ("models", "people", "techniques", "errata", "deep-dive-rows"):
        assert (built_site / "schema" / f"{name}.schema.json").is_file(), f"docs/schema/{name}.schema.json must be published"


def test_internal_links_and_anchors_resolve(built_site: Path) -> None:
    """Every relative link and #anchor in the HTML, raw HTML included, points at something real."""
    pages, broken = _pages(built_site), []
    for page, collector in pages.items():
        page_url = urljoin(BASE, page)
        for tag, attr, value in collector.urls:
            if value.startswith(("mailto:", "data:image/")) or urlsplit(value).scheme in ("http", "https") and not value.startswith(BASE):
                continue
            absolute = urljoin(page_url, value)
            target = _target(built_site, absolute)
            if not target.exists():
                broken.append(f"{page}: <{tag} {attr}={value!r}> → missing {target.relative_to(built_site)}")
                continue
            fragment = unquote(urlsplit(absolute).fragment)
            key = target.relative_to(built_site).as_posix()
            if fragment and key in pages and fragment not in pages[key].ids:
                broken.append(f"{page}: <{tag} {attr}={value!r}> → no id {fragment!r} in {key}")
    assert not broken, f"{len(broken)} broken internal link(s):\n" + "\n".join(broken[:50])


def test_no_third_party_assets(built_site: Path) -> None:
    """Scripts, styles, fonts and images all come from the site itself."""
    offenders = []
    for page, collector in _pages(built_site).items():
        for tag, attr, value in collector.urls:
            external = urlsplit(value).scheme in ("http", "https") or value.startswith("//")
            if external and (tag in ("script", "img", "iframe") or (tag == "link" and attr == "href" and not _is_nav_link(value))):
                offenders.append(f"{page}: <{tag} {attr}={value!r}>")
    assert not offenders, "pages load assets from other hosts:\n" + "\n".join(offenders[:20])


def _is_nav_link(value: str) -> bool:
    """<link rel=canonical> to the site's own URL is not an asset request."""
    return value.startswith(BASE)


HOSTILE = '<script>alert("pwned")</script><img src=x onerror=alert(1)> {{ 7*7 }} {% if 1 %}x{% endif %} [x](javascript:alert(1))'
HOSTILE_NAME = 'Name {{ 7*7 }} {% if 1 %}x{% endif %} [x](javascript:alert(1)) "q" & co'  # names refuse markup (test_validate)


def _poison(folder: Path, file: str, fields: dict[str, str]) -> None:
    entries = yaml.safe_load((folder / file).read_text(encoding="utf-8"))
    entries[0].update(fields)
    (folder / file).write_text(yaml.safe_dump(entries, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_data_strings_are_escaped_and_not_rendered(data_copy: Path, tmp_path: Path) -> None:
    """HTML, JavaScript, Markdown and Jinja in data appear as inert text on every page that shows them."""
    _poison(data_copy, "models.yaml", {"name": HOSTILE_NAME, "summary": HOSTILE})
    _poison(data_copy, "techniques.yaml", {"name": HOSTILE_NAME, "summary": HOSTILE})
    _poison(data_copy, "people.yaml", {"name": HOSTILE_NAME, "role": HOSTILE})
    _poison(data_copy, "errata.yaml", {"claim": HOSTILE, "correction": HOSTILE})
    site = tmp_path / "site"
    result = mkdocs_build(site, data_copy)
    assert result.returncode == 0, result.stderr[-3000:]
    for page in ("timeline/index.html", "techniques/index.html", "team/index.html", "errata/index.html", "models/alpha/index.html"):
        html = (site / page).read_text(encoding="utf-8")
        assert '<script>alert("pwned")' not in html and "<img src=x" not in html, f"{page}: data HTML went through unescaped"
        assert "&quot;q&quot; &amp; co" in html, f"{page}: the name must show, escaped"
        if page != "timeline/index.html":  # the timeline shows names; these pages show the text fields too
            assert "&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;" in html, f"{page}: the hostile text must show, escaped"
        assert "{{ 7*7 }}" in html, f"{page}: Jinja in data was rendered (or altered) instead of shown as text"
        assert "{% if 1 %}x{% endif %}" in html, f"{page}: a Jinja block in data was executed"
        assert 'href="javascript:' not in html, f"{page}: a javascript: link was made from data"


def test_chart_artefacts_are_built(built_site: Path) -> None:
    """Every chart has its page, figure JSON and CSV; images too whenever Chromium is there (always under CI)."""
    from macros import artefacts, embed
    from macros.charts import CHARTS
    from macros.dataset import load_dataset

    from .conftest import IN_CI, chromium_path

    want_images = IN_CI or chromium_path() is not None
    data, site = load_dataset(ROOT / "data"), embed.Site(url=BASE, name="Qwen Lineage", version="", year="", images=True)
    for slug, chart in CHARTS.items():
        f = embed.files(slug)
        for key in ("json", "csv"):
            assert (built_site / f[key]).is_file(), f"missing {f[key]}"
        assert (built_site / f["page"] / "index.html").is_file()
        if want_images:
            paths = [spec.path for spec in artefacts.image_specs(chart, data, site)]
            keys = ("svg", "svg_dark", "png", "thumb", "light", "dark") + (("light_narrow", "dark_narrow") if chart.size is None else ())
            assert {f[k] for k in keys} <= set(paths), f"{slug}: an image is missing from its list"
            for path in paths:
                assert (built_site / path).stat().st_size > 1000, f"missing or empty image {path}"
            assert (built_site / f["png"]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
            assert b"<svg" in (built_site / f["svg"]).read_bytes()[:400]
    assert (built_site / "assets/vendor/plotly-basic.min.js").stat().st_size > 500_000
    assert "MIT" in (built_site / "assets/vendor/plotly.js-LICENSE.txt").read_text(encoding="utf-8"), "keep plotly.js's licence"


def test_pages_without_charts_do_not_reference_plotly(built_site: Path) -> None:
    for page in ("team/index.html", "errata/index.html", "sources/index.html"):
        assert "plotly" not in (built_site / page).read_text(encoding="utf-8"), f"{page} must not load plotly.js"


def test_build_without_a_browser_succeeds_and_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-such-chromium"))
    monkeypatch.setenv("QWEN_LINEAGE_CACHE", str(tmp_path / "cache"))  # a cold cache: nothing to reuse
    result = mkdocs_build(tmp_path / "site")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Chart images skipped" in result.stderr, result.stderr[-3000:]
    timeline = (tmp_path / "site" / "timeline" / "index.html").read_text(encoding="utf-8")
    assert "static image of this chart was not built" in timeline and ".svg" not in timeline.split("ql-chart__frame")[1][:2000]


def test_every_page_has_a_strict_content_security_policy(built_site: Path) -> None:
    """Scripts only from the site itself: no 'unsafe-inline' or 'unsafe-eval', inline scripts only by hash."""
    import base64
    import hashlib

    for page in sorted(built_site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        found = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
        assert found, f"{page.relative_to(built_site)} has no Content-Security-Policy"
        policy = dict(part.strip().split(" ", 1) for part in found.group(1).split(";"))
        assert policy["script-src"].startswith("'self'") and "unsafe" not in policy["script-src"], policy["script-src"]
        assert html.index("Content-Security-Policy") < html.index("<script") if "<script" in html else True
        for body in re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.*?)</script>", html, re.S):
            digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
            assert f"'sha256-{digest}'" in policy["script-src"], f"{page.relative_to(built_site)}: an inline script is not allowed"


def test_pages_carry_no_template_indentation(built_site: Path) -> None:
    """Indentation is bytes a phone downloads and parses before its first paint (site.compact drops it)."""
    for page in sorted(built_site.rglob("*.html")):
        html = re.sub(r"<(pre|textarea|script|style)\b.*?</\1>", "", page.read_text(encoding="utf-8"), flags=re.S | re.I)
        indented = re.search(r"\n[ \t]+\S.*", html)
        assert not indented, f"{page.relative_to(built_site)} keeps indentation: {indented.group(0)[:80]!r}"


def test_the_timeline_chart_links_to_the_release_table_on_its_page(built_site: Path) -> None:
    """The timeline's chart plots the releases its page lists: it links to that table rather than repeat
    it (the copy was a tenth of the page's bytes on a phone)."""
    timeline = (built_site / "timeline" / "index.html").read_text(encoding="utf-8")
    figure = timeline.split('id="chart-release-timeline"', 1)[1].split("</figure>", 1)[0]
    assert '<a href="#all-releases">' in figure and "<table" not in figure
    assert 'id="all-releases"' in timeline and timeline.count('data-ql-table="timeline"') == 1


def test_palette_options_the_toggle_cannot_resolve_fail_the_build() -> None:
    """The site's toggle knows options tied to the light or dark system scheme; Material's automatic one
    would show a button that does nothing, so the build refuses it and says what to write instead."""
    from mkdocs.utils.yaml import yaml_load

    from macros.build import BuildError, check_palette

    with (ROOT / "mkdocs.yml").open(encoding="utf-8") as config_file:
        config = yaml_load(config_file)
    check_palette(config["theme"]["palette"])  # the site's own options pass
    automatic = [{"media": "(prefers-color-scheme)", "toggle": {"icon": "material/brightness-auto", "name": "Auto"}},
                 *config["theme"]["palette"]]
    with pytest.raises(BuildError, match=r"theme\.palette.*automatic.*prefers-color-scheme: light"):
        check_palette(automatic)


# ---------------------------------------------------------------- a build never hangs on Chromium

FAKES = Path(__file__).resolve().parent / "fakes"


def _build_with_browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, browser: Path) -> str:
    """Build the fixture with `browser` as Chromium, a cold image cache and a 3 s deadline; the build's output.
    The test's own deadline (the subprocess timeout) fails it should the build hang."""
    from .conftest import VALID

    monkeypatch.setenv("BROWSER_PATH", str(browser))
    monkeypatch.setenv("QWEN_LINEAGE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("QWEN_LINEAGE_IMAGE_TIMEOUT", "3")
    result = mkdocs_build(tmp_path / "site", VALID)
    assert result.returncode != 0, "a build whose chart images fail must fail"
    return result.stderr


def test_a_chromium_that_never_answers_fails_the_build_and_names_the_chart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stderr = _build_with_browser(tmp_path, monkeypatch, FAKES / "chromium-never-answers")
    assert "Chart images failed: Chromium did not answer within 3 s while starting Chromium for release-timeline (" in stderr, stderr[-2000:]
    assert "QWEN_LINEAGE_IMAGES=off" in stderr, "the message says how to build without images"


def test_a_chromium_that_dies_mid_drawing_fails_the_build_and_names_the_chart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from .conftest import require_chromium

    monkeypatch.setenv("QL_REAL_CHROMIUM", require_chromium())
    monkeypatch.setenv("QL_DIE_ON", "Context windows over time")  # the context-length chart's title
    stderr = _build_with_browser(tmp_path, monkeypatch, FAKES / "chromium-dies-mid-drawing")
    assert "Chart images failed: Chromium stopped while drawing context-length (svg, 1200 × 675, light)" in stderr, stderr[-2000:]
