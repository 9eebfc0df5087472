"""The timeline's filters: kept in the URL, restored on load and on back/forward, followed by the release-timeline
chart once a reader has made it interactive (a filter alone never loads plotly.js).

What each filter should keep is computed here from the data, never copied from a run."""
from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from macros import fmt
from macros.dataset import load_dataset
from macros.records import Model

from .conftest import ROOT, watched_tab

# Every test builds the site; all but the one that reads the built HTML drive a browser (marked one by one).
pytestmark = pytest.mark.build
browser_test = pytest.mark.browser

MODELS = load_dataset(ROOT / "data").models
ALL = {m.id for m in MODELS}
NAMES = {m.id: m.name for m in MODELS}
FILTER_PARAMS = {"search", "track", "weights", "min", "max", "from", "to"}

# Predicates are arrow functions: Playwright evaluates plain expressions with eval, which the site's CSP refuses.
VISIBLE_ROWS = """() => [...document.querySelectorAll('table[data-ql-table=timeline] tbody tr')]
  .filter(r => getComputedStyle(r).display !== 'none').map(r => r.id)"""
CHART = ".ql-chart__frame[data-ql-chart='release-timeline']"
DRAWN = """() => {
  const frame = document.querySelector("@CHART@");
  if (!frame || frame.dataset.state !== 'interactive') return null;
  const plot = frame.querySelector('.ql-chart__plot');
  return {ids: plot.data.flatMap(t => (t.customdata || []).map(c => Array.isArray(c) ? c[0] : c)),
          points: plot.querySelectorAll('.scatterlayer .point').length};
}""".replace("@CHART@", CHART)
NOTE = f"{CHART} + .ql-chart__filter"
EMPTY = "No release matches the filter"


def matching(track: str | None = None, weights: str | None = None, first: int | None = None, last: int | None = None,
             least: float | None = None, most: float | None = None) -> set[str]:
    """The ids the table must show for these filters, from the data: year of release, largest disclosed size."""
    def keep(m: Model) -> bool:
        size, year = m.largest_params_b, m.released.value.year
        return ((track is None or m.track == track) and (weights is None or fmt.weights(m) == weights)
                and (first is None or year >= first) and (last is None or year <= last)
                and (least is None or (size is not None and size >= least))
                and (most is None or (size is not None and size <= most)))
    return {m.id for m in MODELS if keep(m)}


@pytest.fixture
def page(browser, served_site: str) -> Iterator:
    """A tab that records console errors, page errors, every request to another host and every plotly.js request."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = watched_tab(context, served_site)
    tab.plotly = []  # type: ignore[attr-defined]
    tab.on("request", lambda r: tab.plotly.append(r.url) if "plotly" in r.url else None)
    yield tab
    context.close()


def assert_clean(tab) -> None:
    assert not tab.errors, f"the page logged errors: {tab.errors}"
    assert not tab.foreign, f"the page asked another host for: {tab.foreign}"


def visible(tab) -> set[str]:
    return set(tab.evaluate(VISIBLE_ROWS))


def filter_params_of(url: str) -> dict[str, list[str]]:
    """The filters an address holds."""
    return {k: v for k, v in parse_qs(urlsplit(url).query).items() if k in FILTER_PARAMS}


def address(tab) -> str:
    """The page's address as the page sees it now (Playwright's page.url follows replaceState a moment later)."""
    return str(tab.evaluate("() => location.href"))


def filter_params(tab) -> dict[str, list[str]]:
    return filter_params_of(address(tab))


def activate(tab) -> None:
    """Reach for the chart as a reader does (a mouse over it), then wait until plotly.js has drawn it."""
    tab.locator(CHART).hover()
    tab.wait_for_function("chart => document.querySelector(chart).dataset.state === 'interactive'", arg=CHART, timeout=30_000)


def assert_chart_shows(tab, ids: set[str]) -> None:
    """Wait until the live chart draws exactly these releases; fail saying what it draws instead."""
    with contextlib.suppress(Exception):  # Playwright's TimeoutError: report what the chart shows instead
        tab.wait_for_function("want => { const d = (" + DRAWN + """)();
            return d !== null && d.points === want.length && [...d.ids].sort().join(' ') === want.join(' '); }""",
                              arg=sorted(ids), timeout=30_000)
    drawn = tab.evaluate(DRAWN)
    assert drawn is not None, "the chart is not interactive"
    assert set(drawn["ids"]) == ids and len(drawn["ids"]) == len(ids), \
        f"the chart must show the table's releases: it lacks {sorted(ids - set(drawn['ids']))}, has extra {sorted(set(drawn['ids']) - ids)}"
    assert drawn["points"] == len(ids), f"the chart drew {drawn['points']} markers for {len(ids)} releases"


# ---------------------------------------------------------------- the rows carry what the filters read


class _Rows(HTMLParser):
    """The attributes of each <tr id> of the timeline table, and the datetime of its first <time>."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, dict[str, str | None]] = {}
        self.current: str | None = None
        self.inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table" and a.get("data-ql-table") == "timeline":
            self.inside = True
        elif self.inside and tag == "tr" and a.get("id"):
            self.current = str(a["id"])
            self.rows[self.current] = a
        elif self.inside and tag == "time" and self.current and "time" not in self.rows[self.current]:
            self.rows[self.current]["time"] = a.get("datetime")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.inside = False


def test_rows_carry_the_values_the_filters_read(built_site: Path) -> None:
    parser = _Rows()
    parser.feed((built_site / "timeline" / "index.html").read_text(encoding="utf-8"))
    by_id = {m.id: m for m in MODELS}
    assert set(parser.rows) == ALL, "one row per release"
    for rid, attrs in parser.rows.items():
        m = by_id[rid]
        assert attrs.get("data-year") == str(m.released.value.year), f"{rid}: data-year is the year of its release date"
        assert str(attrs.get("time", "")).startswith(f"{attrs.get('data-year')}-"), f"{rid}: data-year agrees with the date shown"
        assert float(attrs.get("data-params") or "nan") == (m.largest_params_b or 0), \
            f"{rid}: data-params is its largest disclosed size in billions, 0 when undisclosed"
        assert attrs.get("data-track") == m.track and attrs.get("data-weights") == fmt.weights(m), rid
        assert "hidden" not in attrs, f"{rid}: no row is hidden in the built page"
    assert any(m.largest_params_b is None for m in MODELS), "the data must hold a release of undisclosed size"
    controls = re.search(r'<div class="ql-controls" data-ql-controls="timeline"[^>]*>', (built_site / "timeline" / "index.html").read_text())
    assert controls and " hidden" in controls.group(0), "the filters are hidden until the script shows them"


# ---------------------------------------------------------------- the URL


@browser_test
def test_arriving_with_filters_shows_exactly_the_matching_releases(page, served_site: str) -> None:
    expected = matching(track="coder", weights="Open", first=2025)
    assert expected and expected != ALL, "the data must hold some, not all, open-weight coder releases since 2025"
    page.goto(served_site + "timeline/?track=coder&weights=Open&from=2025")
    controls = page.locator(".ql-controls")
    assert controls.is_visible(), "with scripts on, the filters show"
    assert visible(page) == expected, f"shown {sorted(visible(page))}, expected {sorted(expected)}"
    assert controls.get_by_label("Track").input_value() == "coder", "the track select must show the address's track"
    assert controls.get_by_label("Weights").input_value() == "Open"
    assert controls.get_by_label("From year").input_value() == "2025"
    assert page.inner_text("[data-ql-count]") == f"{len(expected)} of {len(ALL)} releases"
    activate(page)
    assert_chart_shows(page, expected)
    assert_clean(page)


@browser_test
def test_a_filter_alone_never_loads_plotly_and_the_static_chart_says_so(page, served_site: str) -> None:
    expected = matching(weights="Closed")
    page.goto(served_site + "timeline/?weights=Closed")
    page.wait_for_load_state("load")
    for _ in range(2):  # idle twice: when a chart loading on sight would have started
        page.evaluate("() => new Promise(done => requestIdleCallback(() => done(), {timeout: 5000}))")
    assert not page.plotly, "a filtered table must not load plotly.js until a reader reaches for the chart"
    assert page.locator(CHART).get_attribute("data-state") is None, "the chart stays static"
    note = page.locator(NOTE)
    assert note.is_visible(), "a filtered table tells that the static chart shows every release"
    assert note.inner_text() == (f"Showing {len(expected)} of {len(ALL)} releases in the table — "
                                 "the chart follows the table's filter once interactive."), note.inner_text()
    activate(page)
    assert_chart_shows(page, expected)
    assert note.inner_text() == f"The chart shows the {len(expected)} of {len(ALL)} releases the table's filter keeps."
    page.get_by_role("button", name="Clear filters").click()
    assert_chart_shows(page, ALL)
    assert note.is_hidden(), "no filter, no note"
    assert_clean(page)


@browser_test
def test_no_filter_no_note(page, served_site: str) -> None:
    page.goto(served_site + "timeline/")
    page.wait_for_selector(".ql-controls:not([hidden])")
    assert page.locator(NOTE).count() == 0 or page.locator(NOTE).is_hidden()


@browser_test
@pytest.mark.parametrize(("query", "expected"), [
    ("weights=open&min=30", matching(weights="Open", least=30)),
    ("max=8&to=2024", matching(most=8, last=2024)),
    ("min=7&max=72&from=2024&to=2025", matching(least=7, most=72, first=2024, last=2025)),
])
def test_size_and_year_bounds_match_the_data(page, served_site: str, query: str, expected: set[str]) -> None:
    assert expected and expected != ALL, f"{query}: pick bounds that keep some releases and drop others"
    page.goto(served_site + "timeline/?" + query)
    shown = visible(page)
    assert shown == expected, f"{query}: missing {sorted(expected - shown)}, extra {sorted(shown - expected)}"
    activate(page)
    assert_chart_shows(page, expected)
    assert_clean(page)


@browser_test
def test_filters_round_trip_through_the_url(page, served_site: str) -> None:
    page.goto(served_site + "timeline/")
    entries = page.evaluate("() => history.length")  # a new tab's about:blank may count as one
    controls = page.locator(".ql-controls")
    chosen = {"Search": "qwen", "Track": "base", "Weights": "Open", "Min size (B)": "1", "Max size (B)": "100",
              "From year": "2024", "To year": "2025"}
    for label, value in chosen.items():
        control = controls.get_by_label(label)
        control.select_option(value) if label in ("Track", "Weights") else control.fill(value)
    params = filter_params(page)
    assert params == {"search": ["qwen"], "track": ["base"], "weights": ["Open"], "min": ["1"], "max": ["100"],
                      "from": ["2024"], "to": ["2025"]}, f"the address must hold every filter: {address(page)}"
    assert page.evaluate("() => history.length") == entries, "typing replaces the address; it adds no history entry"
    shown = visible(page)
    allowed = matching(track="base", weights="Open", least=1, most=100, first=2024, last=2025)
    assert shown and shown <= allowed, f"shown {sorted(shown)} must be some of {sorted(allowed)}"
    assert all("qwen" in NAMES[i].lower() for i in shown), "each row shown contains the search text"
    activate(page)
    assert_chart_shows(page, shown)

    page.reload()
    assert filter_params(page) == params, "a reload keeps the address"
    assert visible(page) == shown, "after a reload the same rows show"
    values = {label: controls.get_by_label(label).input_value() for label in chosen}
    assert values == chosen, f"after a reload each control shows its filter again: {values}"
    activate(page)
    assert_chart_shows(page, shown)
    assert_clean(page)


@browser_test
def test_back_and_forward_restore_the_filters_of_that_entry(page, served_site: str) -> None:
    page.goto(served_site + "timeline/?track=coder")
    page.click('.ql-chart__data a[href="#all-releases"]')  # a fragment followed: a second history entry, same filters
    page.wait_for_function("() => location.hash === '#all-releases'")
    page.locator(".ql-controls").get_by_label("Weights").select_option("Closed")
    assert filter_params(page) == {"track": ["coder"], "weights": ["Closed"]}
    assert visible(page) == matching(track="coder", weights="Closed")
    page.go_back()
    page.wait_for_function("() => location.hash === ''")
    assert filter_params(page) == {"track": ["coder"]}
    page.wait_for_function("() => document.querySelector('[data-ql-filter=weights]').value === ''")
    assert page.locator(".ql-controls").get_by_label("Track").input_value() == "coder"
    assert visible(page) == matching(track="coder"), "back restores the rows of the entry it returns to"
    page.go_forward()
    page.wait_for_function("() => document.querySelector('[data-ql-filter=weights]').value === 'Closed'")
    assert visible(page) == matching(track="coder", weights="Closed"), "forward brings the later filters back"
    assert_clean(page)


@browser_test
def test_invalid_parameters_are_ignored(page, served_site: str) -> None:
    page.goto(served_site + "timeline/?track=nonsense&weights=maybe&min=abc&max=-5&from=20x5&to=1e3&search=%20"
              "&other=kept#all-releases")
    assert visible(page) == ALL, "values that fit no filter must be ignored: every release shows"
    values = page.eval_on_selector_all(".ql-controls [data-ql-filter]", "els => els.map(e => e.value)")
    assert values == [""] * 7, f"no control may take an invalid value: {values}"
    assert page.locator(CHART).get_attribute("data-state") is None, "an unfiltered table leaves the chart static"
    assert not page.plotly, "nothing to filter: plotly.js must not load"

    page.locator(".ql-controls").get_by_label("Track").select_option("coder")
    assert visible(page) == matching(track="coder")
    query = parse_qs(urlsplit(address(page)).query)
    assert query == {"track": ["coder"], "other": ["kept"]}, \
        f"a change writes the valid filters and keeps foreign parameters, dropping invalid values: {address(page)}"
    assert urlsplit(address(page)).fragment == "all-releases", "the #fragment stays"
    assert_clean(page)


@browser_test
def test_markup_in_the_address_stays_text(page, served_site: str) -> None:
    payload = '"><img src=x onerror="window.__pwned=1">'
    page.goto(served_site + "timeline/?search=" + payload.replace("&", "%26").replace("#", "%23")
              + "&track=" + payload.replace("&", "%26"))
    assert page.locator(".ql-controls").get_by_label("Search").input_value() == payload, "the search box holds the text as text"
    assert page.evaluate("() => window.__pwned") is None and page.locator("main img[src=x]").count() == 0
    assert visible(page) == set(), "no release contains that text"
    assert page.inner_text("[data-ql-count]") == f"0 of {len(ALL)} releases"
    assert_clean(page)


@browser_test
def test_a_valid_filter_beside_an_invalid_one_still_applies(page, served_site: str) -> None:
    page.goto(served_site + "timeline/?track=coder&min=lots&from=2025")
    expected = matching(track="coder", first=2025)
    assert visible(page) == expected, f"min=lots is ignored, track and from apply: {sorted(visible(page))}"
    assert_clean(page)


# ---------------------------------------------------------------- the chart follows


@browser_test
def test_the_live_chart_follows_each_change_of_the_filter(page, served_site: str) -> None:
    page.goto(served_site + "timeline/")
    activate(page)
    assert_chart_shows(page, ALL)
    controls = page.locator(".ql-controls")
    controls.get_by_label("Track").select_option("coder")
    assert_chart_shows(page, matching(track="coder"))
    assert visible(page) == matching(track="coder")
    controls.get_by_label("From year").fill("2025")
    assert_chart_shows(page, matching(track="coder", first=2025))
    controls.get_by_label("Min size (B)").fill("20")
    assert_chart_shows(page, visible(page))
    assert visible(page) == matching(track="coder", first=2025, least=20)
    controls.get_by_label("Search").fill("qwen3")
    shown = visible(page)
    assert shown and shown <= matching(track="coder", first=2025, least=20), sorted(shown)
    assert_chart_shows(page, shown)
    page.click("th:nth-child(4) .ql-sort")
    assert_chart_shows(page, shown)  # sorting the table changes no point
    assert_clean(page)


@browser_test
def test_clearing_restores_every_row_and_point(page, served_site: str) -> None:
    page.goto(served_site + "timeline/?to=2000&other=kept")
    assert visible(page) == set(), "no release came out before 2001"
    activate(page)
    assert_chart_shows(page, set())
    assert page.locator(f"{CHART} .annotation-text").all_text_contents() == [EMPTY], \
        "an empty chart says why it is empty, and no callout points at a release it no longer shows"
    page.get_by_role("button", name="Clear filters").click()
    assert visible(page) == ALL, "clearing shows every release"
    assert filter_params(page) == {}, f"clearing removes the filters from the address: {address(page)}"
    assert parse_qs(urlsplit(address(page)).query) == {"other": ["kept"]}, "clearing keeps other parameters"
    values = page.eval_on_selector_all(".ql-controls [data-ql-filter]", "els => els.map(e => e.value)")
    assert values == [""] * 7, values
    assert_chart_shows(page, ALL)
    notes = page.locator(f"{CHART} .annotation-text").all_text_contents()
    assert EMPTY not in notes and notes, f"the empty-chart note goes once points show, and the callouts come back: {notes}"
    assert page.locator(f"{CHART} .xtick").count() > 0, "the axes come back"
    assert_clean(page)


@browser_test
def test_hover_and_click_open_a_release_of_the_filtered_chart(page, served_site: str) -> None:
    expected = matching(track="coder", weights="Open", first=2025)
    page.goto(served_site + "timeline/?track=coder&weights=Open&from=2025")
    activate(page)
    assert_chart_shows(page, expected)
    point = page.evaluate("""chart => {
        const plot = document.querySelector(chart + " .ql-chart__plot");
        const traces = [...plot.querySelectorAll('.scatterlayer .trace')];
        const index = plot.data.findIndex(t => t.customdata.length > 0);
        const box = traces[index].querySelector('.point').getBoundingClientRect();
        return {id: plot.data[index].customdata[0], x: box.x + box.width / 2, y: box.y + box.height / 2}; }""", CHART)
    assert point["id"] in expected
    page.mouse.move(point["x"], point["y"])
    label = page.locator(f"{CHART} .hoverlayer .hovertext")
    label.wait_for()
    assert NAMES[point["id"]] in label.text_content(), f"hovering {point['id']} must name it: {label.text_content()!r}"
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url(f"**/models/{point['id']}/")
    assert_clean(page)


@browser_test
def test_the_chart_hook_is_a_dom_event(page, served_site: str) -> None:
    """charts.js follows a "ql-filter" event on a chart's frame, whoever sends it: here, the home page's timeline."""
    page.goto(served_site)
    some = sorted(ALL)[:3]
    page.evaluate("""([chart, ids]) => document.querySelector(chart).dispatchEvent(
        new CustomEvent('ql-filter', {bubbles: true, detail: {ids}}))""", [CHART, some])
    assert page.locator(CHART).get_attribute("data-state") is None, "an event alone loads nothing"
    activate(page)
    assert_chart_shows(page, set(some))
    page.evaluate("""chart => document.querySelector(chart).dispatchEvent(
        new CustomEvent('ql-filter', {bubbles: true, detail: {ids: null}}))""", CHART)
    assert_chart_shows(page, ALL)
    assert_clean(page)


# ---------------------------------------------------------------- copy link, no scripts, layout


@browser_test
def test_copy_link_copies_the_filtered_address(browser, served_site: str) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    tab = context.new_page()
    tab.goto(served_site + "timeline/?track=coder")
    tab.locator(".ql-controls").get_by_label("From year").fill("2025")
    button = tab.get_by_role("button", name="Copy link")
    button.focus()
    tab.keyboard.press("Enter")
    status = tab.get_by_role("status").filter(has_text="Link copied")
    status.wait_for()
    live = status.evaluate("el => el.getAttribute('aria-live') || el.getAttribute('role')")
    copied = tab.evaluate("() => navigator.clipboard.readText()")
    url = address(tab)
    context.close()
    assert live in ("polite", "status"), "the message is announced (a live region)"
    assert copied == url, f"Copy link must copy the current address {url!r}, copied {copied!r}"
    assert filter_params_of(copied) == {"track": ["coder"], "from": ["2025"]}


@browser_test
def test_copy_link_falls_back_without_the_clipboard_api(browser, served_site: str) -> None:
    context = browser.new_context()
    tab = context.new_page()
    tab.add_init_script("Object.defineProperty(Navigator.prototype, 'clipboard', {get: () => undefined});"
                        "document.addEventListener('copy', () => { window.__copied = document.activeElement.value; });")
    tab.goto(served_site + "timeline/?weights=Closed")
    tab.get_by_role("button", name="Copy link").click()
    tab.get_by_role("status").filter(has_text="Link copied").wait_for()
    copied, url = tab.evaluate("() => window.__copied"), address(tab)
    focused = tab.evaluate("() => document.activeElement.textContent")
    context.close()
    assert copied == url, f"the fallback must copy the address {url!r}, copied {copied!r}"
    assert focused == "Copy link", "focus returns to the button after the fallback's hidden text area"


@browser_test
def test_without_javascript_every_row_shows(browser, served_site: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(served_site + "timeline/?track=coder&weights=Open&from=2025")
    rows = tab.locator("table[data-ql-table=timeline] tbody tr")
    shown = {rows.nth(i).get_attribute("id") for i in range(rows.count()) if rows.nth(i).is_visible()}
    controls_shown = tab.locator(".ql-controls").is_visible()
    context.close()
    assert shown == ALL, f"without scripts the table must show every release; missing {sorted(ALL - shown)}"
    assert not controls_shown, "without scripts the filters could do nothing: they stay hidden"


@browser_test
def test_the_releases_section_is_reachable_from_the_timeline_on_a_desktop(page, served_site: str) -> None:
    page.goto(served_site + "timeline/")
    nav = page.locator(".md-sidebar--primary .md-nav")
    for name in ("All releases", "Lineage", "Scale"):
        assert nav.get_by_role("link", name=name, exact=True).first.is_visible(), f"the navigation must show {name!r}"
    wrap = page.locator(".ql-table-wrap:has(table[data-ql-table=timeline])")
    box, content = wrap.bounding_box(), page.locator(".md-content").bounding_box()
    assert box and content and box["x"] + box["width"] <= content["x"] + content["width"] + 1, "the table stays in its column"
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1280, "the page does not scroll sideways"
    nav.get_by_role("link", name="Lineage", exact=True).first.click()
    page.wait_for_url("**/lineage/")
    assert_clean(page)


@browser_test
def test_filters_wrap_on_a_phone_and_no_text_is_tiny(browser, served_site: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True)
    tab = context.new_page()
    tab.goto(served_site + "timeline/?weights=Closed")
    tab.wait_for_selector(".ql-controls:not([hidden])")
    boxes = tab.eval_on_selector_all(".ql-controls label, .ql-controls button, .ql-controls output, .ql-chart__filter",
                                     "els => els.map(e => { const r = e.getBoundingClientRect(); return "
                                     "[e.textContent.trim().slice(0, 20), r.left, r.right, parseFloat(getComputedStyle(e).fontSize)]; })")
    width = tab.evaluate("() => document.documentElement.scrollWidth")
    context.close()
    assert width <= 390, f"the page is {width}px wide on a 390px phone"
    for text, left, right, size in boxes:
        assert left >= 0 and right <= 390, f"{text!r} reaches past the screen: {left}–{right}"
        assert size >= 11, f"{text!r} is set in {size}px"
