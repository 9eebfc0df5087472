"""The site in a real browser (Playwright + Debian's chromium): charts, theme, navigation, phones."""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from macros.charts import CHARTS

from .conftest import watched_tab

pytestmark = [pytest.mark.build, pytest.mark.browser]
# Predicates are arrow functions ("() => …"): Playwright evaluates plain expressions with eval, which the
# site's Content-Security-Policy refuses, as it should.
CHART_PAGES = {"": ["release-timeline"], "timeline/": ["release-timeline"], "lineage/": ["lineage"],
               "scale/": ["parameter-scale", "context-length"], "techniques/": ["technique-adoption"],
               "adoption/": ["downloads"], "ecosystem/": ["arena-elo"]}
ALL_PAGES = ["", "timeline/", "lineage/", "scale/", "techniques/", "team/", "errata/", "sources/", "charts/", "models/",
             "models/qwen3/", "models/qwen-vl-ocr/", "adoption/", "ecosystem/", "data/", "contributing/"] + \
            [f"charts/{slug}/" for slug in CHARTS]


@pytest.fixture
def page(browser, served_site: str) -> Iterator:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield watched_tab(context, served_site)
    context.close()


def _make_all_interactive(tab, expected: int) -> None:
    """Point at every chart (a reader's intent: plotly.js loads on it), then wait until each has drawn its live plot."""
    frames = tab.locator(".ql-chart__frame")
    for index in range(frames.count()):
        frames.nth(index).hover()
    tab.wait_for_function(f"() => document.querySelectorAll('.ql-chart__frame[data-state=interactive]').length === {expected}",
                          timeout=30_000)


def _settle(tab) -> None:
    """Wait until the page has been idle twice: the moment a chart that loads on sight would have started."""
    tab.wait_for_load_state("load")
    for _ in range(2):
        tab.evaluate("() => new Promise(done => requestIdleCallback(() => done(), {timeout: 5000}))")


@pytest.mark.parametrize("path", list(CHART_PAGES))
def test_charts_render_on_direct_load(page, served_site: str, path: str) -> None:
    page.goto(served_site + path)
    _make_all_interactive(page, len(CHART_PAGES[path]))
    for slug in CHART_PAGES[path]:
        assert page.locator(f'[data-ql-chart="{slug}"] .ql-chart__plot .main-svg').count() >= 1, f"{slug} did not draw"
    assert not page.errors, page.errors


def test_plotly_waits_for_a_reader_to_reach_for_a_chart(page, served_site: str) -> None:
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(served_site + "scale/")
    for frame in page.locator(".ql-chart__frame").all():
        frame.scroll_into_view_if_needed()
    _settle(page)
    assert not [u for u in requested if "plotly" in u], "a chart in view must not fetch plotly.js until a reader reaches for it"
    assert page.locator(".ql-chart__frame[data-state]").count() == 0, "no chart may start loading on sight"
    page.locator('[data-ql-chart="context-length"]').hover()
    page.wait_for_function("() => document.querySelector('[data-ql-chart=context-length]').dataset.state === 'interactive'")
    assert page.locator('[data-ql-chart="parameter-scale"]').get_attribute("data-state") is None, "only the chart pointed at goes live"
    assert len([u for u in requested if "plotly" in u]) == 1, "plotly.js is fetched once per page"


def test_keyboard_focus_makes_a_chart_interactive_and_keeps_focus_in_it(page, served_site: str) -> None:
    page.goto(served_site + "lineage/")
    button = page.get_by_role("button", name=f"Interactive chart: {CHARTS['lineage'].title}")
    assert button.is_visible(), "with scripts on, the chart shows its 'Interactive chart' button"
    button.focus()
    page.wait_for_function("() => document.querySelector('[data-ql-chart=lineage]').dataset.state === 'interactive'")
    assert not button.is_visible(), "the button goes once the chart is live"
    assert page.evaluate("() => document.querySelector('[data-ql-chart=lineage]').contains(document.activeElement)"), \
        "focus must stay in the chart's box when its button hides, not fall back to the top of the page"
    assert page.locator('[data-ql-chart="lineage"] .ql-chart__plot .main-svg').count() >= 1


def test_a_tap_makes_a_chart_interactive_on_a_phone(browser, served_site: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    tab = context.new_page()
    tab.goto(served_site + "charts/lineage/")
    _settle(tab)
    assert tab.locator(".ql-chart__frame").get_attribute("data-state") is None, "nothing loads before the tap"
    tab.locator(".ql-chart__frame").tap()
    tab.wait_for_function("() => document.querySelector('.ql-chart__frame').dataset.state === 'interactive'")
    context.close()


def _tick_colour(page) -> str:
    return page.eval_on_selector(".ql-chart__plot .xtick text", "el => getComputedStyle(el).fill")


def test_palette_toggle_recolours_charts(page, served_site: str) -> None:
    page.goto(served_site + "lineage/")
    _make_all_interactive(page, 1)
    before = _tick_colour(page)
    page.click("form[data-ql-palette] label:visible")
    page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'slate'")
    page.wait_for_function(f"() => getComputedStyle(document.querySelector('.ql-chart__plot .xtick text')).fill !== '{before}'")
    assert _tick_colour(page) != before


_SCHEME_AT_EACH_FRAME = """window.__frames = [];
(function record() {
  if (document.body) window.__frames.push(document.body.getAttribute("data-md-color-scheme"));
  if (document.readyState !== "complete") requestAnimationFrame(record);
})();"""
_PALETTE_STATE = """() => ({scheme: document.body.getAttribute("data-md-color-scheme"),
  colorScheme: document.querySelector('meta[name="color-scheme"]').content,
  shown: [...document.querySelectorAll("form[data-ql-palette] label")].map(l => !l.hidden),
  stored: Object.keys(localStorage).some(k => k.endsWith(".__palette"))})"""


def test_first_visit_comes_in_the_system_scheme_from_the_first_frame(browser, served_site: str) -> None:
    context = browser.new_context(color_scheme="dark")
    tab = context.new_page()
    tab.add_init_script(_SCHEME_AT_EACH_FRAME)
    tab.goto(served_site + "lineage/")
    tab.wait_for_load_state("load")
    frames = tab.evaluate("() => window.__frames")
    state = tab.evaluate(_PALETTE_STATE)
    assert frames and set(frames) == {"slate"}, f"every frame with a body must already be dark: {frames}"
    assert state == {"scheme": "slate", "colorScheme": "dark", "shown": [False, True], "stored": False}, state
    tab.emulate_media(color_scheme="light")  # nothing chosen yet: the page follows the system
    tab.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'default'")
    assert tab.evaluate(_PALETTE_STATE) == {"scheme": "default", "colorScheme": "light", "shown": [True, False], "stored": False}
    context.close()


def test_palette_choice_is_kept_and_works_from_the_keyboard(browser, served_site: str) -> None:
    context = browser.new_context(color_scheme="light")
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.goto(served_site + "timeline/")
    assert tab.evaluate(_PALETTE_STATE)["scheme"] == "default"
    tab.click("form[data-ql-palette] label:visible")
    assert tab.evaluate(_PALETTE_STATE) == {"scheme": "slate", "colorScheme": "dark", "shown": [False, True], "stored": True}
    assert tab.evaluate("() => document.querySelector('meta[name=\"theme-color\"]').content").startswith("#")
    tab.emulate_media(color_scheme="dark")  # a reader's choice outranks the system from now on
    tab.emulate_media(color_scheme="light")
    tab.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    assert tab.evaluate(_PALETTE_STATE)["scheme"] == "slate", "a system change must not undo the reader's choice"
    tab.goto(served_site + "lineage/")
    assert tab.evaluate(_PALETTE_STATE)["scheme"] == "slate", "the choice must carry to the next page"
    tab.focus("#__palette_1")
    tab.keyboard.press("Enter")
    assert tab.evaluate(_PALETTE_STATE)["scheme"] == "default"
    assert tab.evaluate("() => document.activeElement.id") == "__palette_0", "focus follows the toggle"
    # The guard that holds transitions off during a switch goes in the next task (a setTimeout), which the
    # check above can beat: wait for it, and fail if it stays.
    tab.wait_for_function("() => !document.body.hasAttribute('data-md-color-switching')", timeout=5000)
    assert not errors, errors
    context.close()


@pytest.mark.parametrize("path", ["", "timeline/", "models/qwen3/"])
def test_nothing_moves_while_a_page_loads_on_a_slow_phone(browser, served_site: str, path: str) -> None:
    context = browser.new_context(viewport={"width": 412, "height": 823}, is_mobile=True, has_touch=True)
    tab = context.new_page()
    tab.add_init_script("window.__shifts = []; new PerformanceObserver(list => { for (const e of list.getEntries()) "
                        "window.__shifts.push([e.value, e.sources.map(s => s.node && s.node.outerHTML.slice(0, 60))]) })"
                        ".observe({type: 'layout-shift', buffered: true});")
    tab.context.new_cdp_session(tab).send("Emulation.setCPUThrottlingRate", {"rate": 4})
    tab.goto(served_site + path)
    tab.wait_for_load_state("load")
    _settle(tab)
    shifts = tab.evaluate("() => window.__shifts")
    context.close()
    assert not shifts, f"/{path}: layout shifts while loading (header buttons appearing late?): {shifts}"


def test_static_image_shows_without_javascript(browser, served_site: str) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.goto(served_site + "timeline/")
    img = tab.locator(".ql-chart__static--light img").first
    img.wait_for(state="visible")
    assert tab.evaluate("() => { const i = document.querySelector('.ql-chart__static--light img'); return i.complete && i.naturalWidth > 0 }"), \
        "the build-time SVG must show before (and without) any script"
    assert tab.locator(".ql-chart__live").first.is_hidden(), "without scripts the 'Interactive chart' button could do nothing: keep it hidden"
    assert tab.locator("html").get_attribute("class") == "no-js", "without scripts the page keeps Material's no-script layout"
    context.close()


def test_no_layout_shift_when_chart_turns_interactive(page, served_site: str) -> None:
    page.goto(served_site + "scale/")
    boxes = page.eval_on_selector_all(".ql-chart__frame", "els => els.map(e => e.getBoundingClientRect().height)")
    _make_all_interactive(page, 2)
    after = page.eval_on_selector_all(".ql-chart__frame", "els => els.map(e => e.getBoundingClientRect().height)")
    assert boxes == after, f"chart boxes changed height: {boxes} -> {after}"


@pytest.mark.parametrize("slug", list(CHARTS))
def test_standalone_chart_page_has_no_site_chrome(page, served_site: str, slug: str) -> None:
    page.goto(served_site + f"charts/{slug}/")
    _make_all_interactive(page, 1)
    assert page.locator(".md-header, .md-nav, .md-footer").count() == 0
    assert "Source:" in page.inner_text("figcaption")
    assert not page.errors, page.errors


@pytest.mark.parametrize("path", ALL_PAGES)
def test_no_horizontal_overflow_on_a_phone(browser, served_site: str, path: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True)
    tab = context.new_page()
    tab.goto(served_site + path)
    tab.wait_for_load_state("load")
    # Render what content-visibility: auto skips off screen (table cards, charts), or its width goes unmeasured.
    tab.add_style_tag(content="* { content-visibility: visible !important; }")
    width = tab.evaluate("() => document.documentElement.scrollWidth")
    context.close()
    assert width <= 390, f"/{path} is {width}px wide on a 390px phone"


@pytest.mark.parametrize("path", ALL_PAGES)
def test_no_console_errors(page, served_site: str, path: str) -> None:
    page.goto(served_site + path)
    page.wait_for_load_state("load")
    frames = page.locator(".ql-chart__frame").count()
    if frames:
        _make_all_interactive(page, frames)
    assert not page.errors, page.errors


def test_pages_without_charts_never_load_plotly(page, served_site: str) -> None:
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    for path in ("team/", "errata/", "sources/"):
        page.goto(served_site + path)
        page.wait_for_load_state("load")
        page.mouse.wheel(0, 5000)
    assert not [u for u in requested if "plotly" in u], "plotly.js must load only on pages with a chart"


def test_nothing_is_requested_from_another_host(page, served_site: str) -> None:
    foreign: list[str] = []
    page.on("request", lambda r: foreign.append(r.url) if not r.url.startswith(served_site) and not r.url.startswith("data:") else None)
    for path in ("", "timeline/", "lineage/"):
        page.goto(served_site + path)
        frames = page.locator(".ql-chart__frame").count()
        _make_all_interactive(page, frames)
    assert not foreign, foreign


def test_copy_button_copies_the_citation(browser, served_site: str) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    tab = context.new_page()
    tab.goto(served_site + "lineage/")
    tab.click(".ql-embed summary")
    tab.click('[data-ql-copy="lineage-bibtex"]')
    tab.wait_for_function("() => document.querySelector('[data-ql-copy=\"lineage-bibtex\"]').textContent === 'Copied'")
    copied = tab.evaluate("() => navigator.clipboard.readText()")
    context.close()
    assert copied.startswith("@misc{qwenlineage_lineage,"), copied


def test_clicking_a_release_opens_it(page, served_site: str) -> None:
    page.goto(served_site + "timeline/")
    _make_all_interactive(page, 1)
    release = page.evaluate("""() => {
        const plot = document.querySelector('.ql-chart__plot');
        const trace = plot.data.find(t => t.customdata && t.customdata.length);
        const id = Array.isArray(trace.customdata[0]) ? trace.customdata[0][0] : trace.customdata[0];
        plot.emit('plotly_click', {points: [{customdata: trace.customdata[0]}]});
        return id; }""")
    page.wait_for_url(f"**/models/{release}/")


def test_timeline_sorts_by_date_size_and_track(page, served_site: str) -> None:
    """Dates sort by <time datetime>, sizes by their numeric data-value, tracks by the label a reader sees."""
    page.goto(served_site + "timeline/")
    page.wait_for_selector(".ql-sort")

    def column(label: str, read: str) -> list:
        return page.evaluate(f"() => [...document.querySelectorAll('tbody td[data-label={label}]')].map(td => {read})")

    page.click("th:nth-child(1) .ql-sort")
    dates = column("Released", "td.querySelector('time').getAttribute('datetime')")
    assert dates == sorted(dates) and dates[0] == "2023-08-03", "oldest first after one click on Released"
    page.click("th:nth-child(4) .ql-sort")
    sizes = column("Sizes", "+td.dataset.value")
    assert sizes == sorted(sizes) and sizes[-1] > sizes[0]
    page.click("th:nth-child(3) .ql-sort")
    tracks = column("Track", "td.textContent")
    assert [t[0].lower() for t in tracks] == sorted(t[0].lower() for t in tracks), tracks
    assert not page.errors, page.errors


@pytest.fixture(scope="module")
def hostile_served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from .conftest import build_hostile_site, serving

    root = tmp_path_factory.mktemp("hostile-served")
    with serving(root / "www", lambda site, url: build_hostile_site(root, url, site)) as url:
        yield url


@pytest.mark.parametrize("path", ["models/alpha/", "hostile/", "timeline/", "models/", ""])
def test_a_hostile_entry_neither_redirects_nor_calls_another_host(browser, hostile_served: str, path: str) -> None:
    """Each page a hostile value reaches (its release page, the table and the index that list it, a page whose
    title tries to close <title>) loads where it was asked to and asks nothing of another host."""
    context = browser.new_context()
    tab = context.new_page()
    foreign: list[str] = []
    tab.on("request", lambda r: foreign.append(r.url) if not r.url.startswith(hostile_served) and not r.url.startswith("data:") else None)
    tab.goto(hostile_served + path)
    tab.wait_for_load_state("load")
    tab.wait_for_timeout(1500)  # a refresh with content=0 would have navigated by now
    url = tab.url
    context.close()
    assert url == hostile_served + path, f"the page navigated away to {url}"
    assert not foreign, foreign
