"""What a reader sees without hovering, in a real browser: every page of a section within reach of the others,
chart labels that can be read (no text under 11 px on a phone, no two labels on top of each other), and chart
images that carry their source with them."""
from __future__ import annotations

import re
import urllib.request
from collections.abc import Iterator

import pytest
import yaml

from macros.charts import CHARTS

from .conftest import ROOT

pytestmark = [pytest.mark.build, pytest.mark.browser]

DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
RELEASE_PAGE = "models/qwen3/"  # a release page: out of the menu, but part of the Releases section
SMALLEST_TEXT = 11  # px
# Whether a finger on the link's centre would land on it: inside the viewport and not under another panel.
ON_TOP = """a => { const r = a.getBoundingClientRect(), x = r.x + r.width / 2, y = r.y + r.height / 2;
  if (!r.width || !r.height || x < 0 || y < 0 || x > innerWidth || y > innerHeight) return false;
  const hit = document.elementFromPoint(x, y); return !!hit && a.contains(hit); }"""


class _Tags(yaml.SafeLoader):
    """Reads mkdocs.yml, taking an !ENV tag's default."""


_Tags.add_constructor("!ENV", lambda loader, node: loader.construct_sequence(node)[-1])


def _url(doc: str) -> str:
    """A page's path under the site: 'timeline.md' -> 'timeline/', 'models/index.md' -> 'models/'."""
    path = doc.removesuffix(".md")
    return "" if path == "index" else path.removesuffix("index") if path.endswith("/index") else path + "/"


def sections() -> dict[str, list[str]]:
    """The menu's sections with more than one page, from mkdocs.yml: title -> page paths."""
    nav = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Tags)["nav"]
    out = {}
    for entry in nav:
        (title, value), = entry.items()
        if isinstance(value, list) and len(value) > 1:
            out[title] = [_url(next(iter(item.values()))) for item in value]
    return out


def chart_pages() -> dict[str, list[str]]:
    """Page path -> the charts it shows, from the chart() calls in docs/."""
    out: dict[str, list[str]] = {}
    for doc in sorted((ROOT / "docs").rglob("*.md")):
        slugs = re.findall(r'chart\("([a-z0-9-]+)"', doc.read_text(encoding="utf-8"))
        if slugs:
            out[_url(doc.relative_to(ROOT / "docs").as_posix())] = slugs
    return out


SECTIONS = sections()
CHART_PAGES = chart_pages()


@pytest.fixture
def tab_for(browser) -> Iterator:
    contexts = []

    def make(device: dict) -> object:
        context = browser.new_context(**device)
        contexts.append(context)
        tab = context.new_page()
        tab.errors = []  # type: ignore[attr-defined]
        tab.on("pageerror", lambda e: tab.errors.append(str(e)))
        return tab

    yield make
    for context in contexts:
        context.close()


def _menu_links(tab, phone: bool) -> dict[str, object]:
    """The menu links a reader can see now (absolute URL -> link), opening the drawer on a phone."""
    if phone and not tab.evaluate("() => document.getElementById('__drawer').checked"):
        tab.click(".md-header label[for=__drawer]")
        tab.wait_for_function("() => document.getElementById('__drawer').checked")
        # the drawer slides in: until it is still, a tap lands on the overlay
        tab.wait_for_function("""() => { const r = document.querySelector('.md-sidebar--primary').getBoundingClientRect();
          return Math.round(r.left) === 0 && !document.getAnimations().some(a => a.playState === 'running'); }""")
    links = tab.locator(".md-sidebar--primary a.md-nav__link")
    reachable = [links.nth(i) for i in range(links.count()) if links.nth(i).is_visible()]
    if phone:  # the drawer stacks one panel per section; only the links on top of the stack can be tapped
        reachable = [link for link in reachable if link.evaluate(ON_TOP)]
    return {link.evaluate("a => a.href"): link for link in reachable}


def test_the_menu_has_sections_to_check() -> None:
    assert SECTIONS.get("Releases", [])[:1] == ["timeline/"] and {"lineage/", "scale/", "models/"} <= set(SECTIONS["Releases"]), \
        "the Releases section must be read from mkdocs.yml"


@pytest.mark.parametrize("device", ["desktop", "phone"])
@pytest.mark.parametrize("section", list(SECTIONS))
def test_every_page_of_a_section_reaches_every_other(tab_for, served_site: str, section: str, device: str) -> None:
    phone = device == "phone"
    tab = tab_for(PHONE if phone else DESKTOP)
    members = SECTIONS[section]
    visits = members + ([RELEASE_PAGE] if section == "Releases" else [])
    for page in visits:
        tab.goto(served_site + page)
        seen = _menu_links(tab, phone)
        missing = [other for other in members if other != page and served_site + other not in seen]
        assert not missing, f"{device}: from /{page} the menu shows no link to {missing}"
    # Follow the links round the section: from each page, click the next one's link and land there.
    tab.goto(served_site + members[-1])
    for page in members:
        _menu_links(tab, phone)[served_site + page].click()
        tab.wait_for_url(served_site + page)
    assert not tab.errors, tab.errors


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_lineage_keeps_every_label_legible_and_apart(tab_for, served_site: str, device: str) -> None:
    tab = tab_for(PHONE if device == "phone" else DESKTOP)
    tab.goto(served_site + "lineage/")
    frame = tab.locator('[data-ql-chart="lineage"]')
    shown = frame.locator(".ql-chart__static--light img").evaluate(
        "img => ({natural: img.naturalWidth, shown: img.getBoundingClientRect().width, box: img.closest('.ql-chart__frame').clientWidth})")
    assert abs(shown["shown"] - shown["natural"]) <= 1, f"{device}: the lineage is shown at its own size, not shrunk: {shown}"
    if shown["natural"] > shown["box"]:
        assert frame.evaluate("f => f.scrollWidth > f.clientWidth && getComputedStyle(f).overflowX === 'auto'"), \
            "a lineage wider than the screen scrolls sideways in its box"
    measured = [_labels(tab, "lineage static image", served_site + "charts/static/lineage-light.svg")]
    tab.goto(served_site + "lineage/")
    tab.locator('[data-ql-chart="lineage"]').dispatch_event("click")
    tab.wait_for_function("() => document.querySelector('[data-ql-chart=lineage]').dataset.state === 'interactive'", timeout=30_000)
    measured.append(_labels(tab, "interactive lineage", None))
    for where, found in measured:
        assert found["labels"] >= 60, f"{where}: every release is labelled ({found['labels']} labels found)"
        assert found["smallest"] >= SMALLEST_TEXT, f"{where}: text at {found['smallest']} px"
        assert not found["overlaps"], f"{where}: labels on top of each other: {found['overlaps'][:5]}"
    assert measured[0][1]["labels"] == measured[1][1]["labels"], "the image and the live chart label the same releases"
    assert not tab.errors, tab.errors


# In the page: every <text> of the chart's SVG (the file itself, or the live plot), the smallest rendered
# size, and the release labels (plotly's .textpoint) and callouts (.annotation) whose boxes intersect.
_MEASURE = """root => {
  const texts = [...root.querySelectorAll('text')].filter(t => t.textContent.trim() && t.getBoundingClientRect().width > 0);
  const labels = [...root.querySelectorAll('.textpoint text, .annotation-text')].filter(t => t.textContent.trim());
  const boxes = labels.map(t => [t.textContent, t.getBoundingClientRect()]);
  const overlaps = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const [a, r] = boxes[i], [b, s] = boxes[j];
    if (r.left < s.right - 1 && s.left < r.right - 1 && r.top < s.bottom - 1 && s.top < r.bottom - 1) overlaps.push(a + ' / ' + b);
  }
  return {smallest: Math.min(...texts.map(t => parseFloat(getComputedStyle(t).fontSize))), labels: labels.length, overlaps};
}"""


def _labels(tab, where: str, url: str | None) -> tuple[str, dict]:
    """Measure the labels of an SVG file (url) or of the live lineage on the page (url None)."""
    if url is not None:
        tab.goto(url)
        return where, tab.evaluate(f"({_MEASURE})(document.documentElement)")
    return where, tab.locator('[data-ql-chart="lineage"] .ql-chart__plot .main-svg').first.evaluate(
        f"(svg) => ({_MEASURE})(svg.parentElement)")


def _font_sizes(svg: str) -> list[float]:
    return [float(v) for v in re.findall(r"font-size:\s*([\d.]+)px", svg)]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")


@pytest.mark.parametrize("path", list(CHART_PAGES))
def test_no_chart_text_under_11_px_on_a_phone(tab_for, served_site: str, path: str) -> None:
    tab = tab_for(PHONE)
    tab.goto(served_site + path)
    for slug in CHART_PAGES[path]:
        img = tab.locator(f'[data-ql-chart="{slug}"] .ql-chart__static--light img')
        img.evaluate("i => i.decode()")
        shown = img.evaluate("i => ({src: i.currentSrc, w: i.naturalWidth, h: i.naturalHeight, bw: i.clientWidth, bh: i.clientHeight})")
        scale = min(shown["bw"] / shown["w"], shown["bh"] / shown["h"], 1.0) if shown["w"] else 0  # object-fit: contain
        sizes = _font_sizes(_get(shown["src"]))
        assert sizes, f"{slug}: no text found in {shown['src']}"
        assert min(sizes) * scale >= SMALLEST_TEXT - 0.05, \
            f"{slug} on /{path}: the phone image shows text at {min(sizes) * scale:.1f} px ({shown['src']} at {scale:.2f}x)"
        tab.locator(f'[data-ql-chart="{slug}"]').dispatch_event("click")
    tab.wait_for_function(f"() => document.querySelectorAll('.ql-chart__frame[data-state=interactive]').length === {len(CHART_PAGES[path])}",
                          timeout=30_000)
    smallest = tab.evaluate("() => Math.min(...[...document.querySelectorAll('.ql-chart__plot text')]"
                            ".filter(t => t.textContent.trim()).map(t => parseFloat(getComputedStyle(t).fontSize)))")
    assert smallest >= SMALLEST_TEXT, f"/{path}: the interactive charts draw text at {smallest} px on a phone"
    for slug in CHART_PAGES[path]:
        found = tab.locator(f'[data-ql-chart="{slug}"] .ql-chart__plot').evaluate(f"(plot) => ({_MEASURE})(plot)")
        assert not found["overlaps"], f"{slug} on /{path}: the live chart's labels overlap on a phone: {found['overlaps'][:5]}"


@pytest.mark.parametrize("slug", list(CHARTS))
def test_page_images_keep_their_callouts_apart(tab_for, served_site: str, slug: str) -> None:
    tab = tab_for(DESKTOP)
    for name in ("light", "light_narrow") if CHARTS[slug].size is None else ("light",):
        suffix = "-narrow" if name.endswith("narrow") else ""
        where, found = _labels(tab, f"{slug}{suffix}", f"{served_site}charts/static/{slug}-light{suffix}.svg")
        assert not found["overlaps"], f"{where}: labels on top of each other: {found['overlaps'][:5]}"
        assert found["smallest"] >= SMALLEST_TEXT, f"{where}: text at {found['smallest']} px"


@pytest.mark.parametrize("slug", list(CHARTS))
def test_exported_images_carry_their_footer(tab_for, served_site: str, slug: str) -> None:
    for name in (f"charts/{slug}.svg", f"charts/{slug}-dark.svg"):
        svg = _get(served_site + name)
        text = re.sub(r"<[^>]+>", " ", svg).replace("&amp;", "&")
        for part in ("Source: Qwen Lineage", f"{served_site}charts/{slug}/", "CC BY 4.0", "Data version"):
            assert part in text, f"{name}: the footer must say {part!r}"
        assert CHARTS[slug].title in text, f"{name}: the image carries its title"
    tab = tab_for(DESKTOP)
    tab.goto(served_site + f"charts/{slug}.png")
    ink = tab.evaluate("""() => {
      const img = document.images[0], c = document.createElement('canvas');
      c.width = img.naturalWidth; c.height = img.naturalHeight;
      const g = c.getContext('2d'); g.drawImage(img, 0, 0);
      const band = (top, height) => { const d = g.getImageData(0, top, Math.floor(c.width * 0.6), height).data; let n = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i] + d[i + 1] + d[i + 2] < 600) n++; return n; };
      const top = Math.floor(c.height * 0.92);  // the bottom 8%: the footer line, at any export scale
      return {footer: band(top, c.height - 4 - top), below: band(c.height - 4, 4), height: c.height};
    }""")
    assert ink["footer"] > 200, f"charts/{slug}.png: no text drawn in the footer band ({ink})"
    assert ink["below"] == 0, f"charts/{slug}.png: the footer must sit inside the image, not cut at its edge ({ink})"


def test_the_iframe_page_stays_clean(tab_for, served_site: str) -> None:
    tab = tab_for(DESKTOP)
    tab.goto(served_site + "charts/lineage/")
    words = tab.locator("body").inner_text()
    assert "CC BY 4.0" not in words and words.count("Source:") == 1, "the page around the chart says its source once; no image footer"
    assert tab.locator("img").first.get_attribute("src").endswith("static/lineage-light.svg"), "it shows the clean page image"
