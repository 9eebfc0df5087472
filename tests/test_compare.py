"""The compare view (/compare/?a=qwen2.5&b=qwen3) in a real browser (Playwright + Debian's chromium): releases side
by side, read from the site's own API. Every expectation is computed from the API document the test reads."""

from __future__ import annotations

import json
import math
import re
import urllib.request
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest

from macros import architecture, fmt, pages
from macros.api import DERIVED

from .conftest import ROOT, watched_tab

pytestmark = [pytest.mark.build, pytest.mark.browser]
READY = "[data-ql-compare-result][data-state=ready]"
SCRIPT = ROOT / "docs" / "assets" / "javascripts" / "compare.js"
# The release rows the page shows, each with how it reads a release from the API; None is "not given", which
# differs from nothing.
RELEASE_ROWS = {
    "released": lambda m: m["released"],
    "track": lambda m: m["track"],
    "architecture": lambda m: m["architecture"],
    "weights": lambda m: frozenset(v["open_weights"] for v in m["variants"]),
    "licences": lambda m: frozenset(v["license"] for v in m["variants"]),
    "sizes": lambda m: frozenset((v["params_b"], v.get("active_params_b", 0)) for v in m["variants"] if "params_b" in v) or None,
    "context": lambda m: max((v["context"] for v in m["variants"] if v.get("context")), default=None),
    "context_max": lambda m: max((v.get("context_max") or v.get("context") or 0 for v in m["variants"]), default=0) or None,
    "input": lambda m: frozenset(m["modalities"]["input"]),
    "output": lambda m: frozenset(m["modalities"]["output"]),
    "techniques": lambda m: frozenset(m["techniques"]),
    "parents": lambda m: frozenset((p["relation"], p["id"]) for p in m["parents"]),
}


def _shape_fields() -> list[tuple[str, str]]:
    """Every architecture number a variant can carry: the schema's shape fields (head_dim shows as the head size)
    and the values the site derives from them, as (where in the API variant, field)."""
    schema = json.loads((ROOT / "docs" / "schema" / "models.schema.json").read_text(encoding="utf-8"))
    shape = [("shape", f) for f in schema["$defs"]["shape"]["properties"] if f not in ("source", "note", "head_dim")]
    return shape + [("derived", name) for name, _ in DERIVED]


SHAPE_FIELDS = _shape_fields()


def _script_labels() -> dict[str, Any]:
    """compare.js's copy of the site's labels (it runs in the browser), written as JSON in `var LABELS = {…};`."""
    found = re.search(r"var LABELS = (\{.*?\n  \});", SCRIPT.read_text(encoding="utf-8"), re.S)
    assert found, "compare.js must define its labels as `var LABELS = {…};` in JSON, so that this test can read them"
    return json.loads(found.group(1))


@pytest.fixture(scope="module")
def api(served_site: str) -> dict[str, dict[str, Any]]:
    """The served site's api/v1/models.json, by release id."""
    with urllib.request.urlopen(served_site + "api/v1/models.json", timeout=30) as response:
        return {m["id"]: m for m in json.load(response)["models"]}


@pytest.fixture
def page(browser, served_site: str) -> Iterator:
    """A tab that records console errors, page errors and every request to another host."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield watched_tab(context, served_site)
    context.close()


def _open(tab, served_site: str, query: str) -> None:
    tab.goto(served_site + "compare/" + query)
    tab.wait_for_selector(READY, state="attached")


def _clean(tab) -> None:
    assert not tab.errors, f"the compare page logged errors: {tab.errors}"
    assert not tab.foreign, f"the compare page asked another host for: {tab.foreign}"


def _columns(tab) -> list[str]:
    return tab.eval_on_selector_all("thead th[data-release]", "ths => ths.map(th => th.dataset.release)")


def _rows(tab) -> dict[str, dict[str, Any]]:
    """Each row of the table by its data-field: whether it is marked, its header's text and its cells' text."""
    return {
        row["field"]: row
        for row in tab.eval_on_selector_all(
            "tbody tr[data-field]",
            """rows => rows.map(tr => ({field: tr.dataset.field, marked: tr.dataset.differs === "true",
                 classed: tr.classList.contains("ql-compare__row--differs"), header: tr.querySelector("th").textContent,
                 cells: [...tr.querySelectorAll("td")].map(td => td.textContent.trim()),
                 variants: [...tr.querySelectorAll("td")].map(td => td.dataset.variant)}))""",
        )
    }


def _query(tab) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(tab.url).query)


def _variant(model: dict[str, Any], name: str) -> dict[str, Any]:
    return next(v for v in model["variants"] if v["name"] == name)


def _value(variant: dict[str, Any] | None, where: str, field: str) -> Any:
    return None if variant is None else variant.get(where, {}).get(field)


def _date(iso: str) -> str:
    parts = iso.split("-")
    month = f"{['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][int(parts[1]) - 1]} {parts[0]}"
    return f"{int(parts[2])} {month}" if len(parts) == 3 else month


def _sizes(model: dict[str, Any]) -> str:
    seen = {(v["params_b"], v.get("active_params_b", 0)): v for v in model["variants"] if "params_b" in v}
    labels = [fmt.params(p) + (f"-A{fmt.params(a)}" if a else "") for p, a in sorted(seen)]
    return " · ".join(labels) or "not disclosed"


def _check_comparison(tab, api: dict[str, dict[str, Any]], ids: list[str]) -> None:
    """The table shows `ids` in order, with each value and each mark as the API implies."""
    models = [api[i] for i in ids]
    assert _columns(tab) == ids, f"expected a column per release in order {ids}, got {_columns(tab)}"
    rows = _rows(tab)
    names = tab.eval_on_selector_all(
        "thead th[data-release] a.ql-compare__name", "as => as.map(a => [a.textContent, a.getAttribute('href')])"
    )
    assert names == [[m["name"], f"../models/{m['id']}/"] for m in models], f"each column must name and link its release: {names}"
    assert rows["released"]["cells"] == [_date(m["released"]) for m in models], (
        f"release dates differ from the API: {rows['released']['cells']}"
    )
    assert rows["sizes"]["cells"] == [_sizes(m) for m in models], f"sizes differ from the API's variants: {rows['sizes']['cells']}"
    assert rows["track"]["cells"] == [fmt.TRACKS[m["track"]] for m in models], f"tracks differ from the API: {rows['track']['cells']}"
    for field, read in RELEASE_ROWS.items():
        values = {read(m) for m in models} - {None}
        assert field in rows, f"the table has no {field!r} row"
        _check_mark(rows[field], len(values) > 1)
    _check_techniques(tab, models)
    _check_architecture(rows, models)


def _check_mark(row: dict[str, Any], differs: bool) -> None:
    what = "differ" if differs else "agree"
    assert row["marked"] == differs and row["classed"] == differs, (
        f"the {row['field']!r} row's values {what} ({row['cells']}), so it must {'' if differs else 'not '}be marked"
    )
    assert ("differs" in row["header"]) == differs, (
        f"the {row['field']!r} row must {'' if differs else 'not '}say 'differs' in words, not by colour alone: {row['header']!r}"
    )


def _check_techniques(tab, models: list[dict[str, Any]]) -> None:
    marks = tab.eval_on_selector_all(
        "tr[data-field=techniques] td",
        """tds => tds.map(td => ({gained: [...td.querySelectorAll(".ql-compare__gained")].map(li => li.dataset.technique),
             lost: [...td.querySelectorAll(".ql-compare__lost")].map(li => li.dataset.technique),
             all: [...td.querySelectorAll("li")].map(li => li.dataset.technique), text: td.textContent}))""",
    )
    for i, (model, cell) in enumerate(zip(models, marks, strict=True)):
        before = set(models[i - 1]["techniques"]) if i else set(model["techniques"])
        gained, lost = set(model["techniques"]) - before, before - set(model["techniques"])
        assert set(cell["gained"]) == gained, f"{model['id']}: techniques marked gained {cell['gained']}, the API implies {sorted(gained)}"
        assert set(cell["lost"]) == lost, f"{model['id']}: techniques marked lost {cell['lost']}, the API implies {sorted(lost)}"
        listed = model["techniques"] + ([t for t in models[i - 1]["techniques"] if t in lost] if i else [])
        assert cell["all"] == listed, (
            f"{model['id']}: the techniques cell must list the release's techniques, then those it lost: {cell['all']}"
        )
        assert cell["text"].count("gained") == len(gained) and cell["text"].count("lost") == len(lost), (
            f"{model['id']}: each gained or lost technique must say so in words: {cell['text']!r}"
        )


def _check_architecture(rows: dict[str, dict[str, Any]], models: list[dict[str, Any]]) -> None:
    """One variant per release: one with a shape, the nearest in size to the first release's; its numbers."""
    chosen: list[dict[str, Any] | None] = []
    for model, name in zip(models, rows["variant"]["variants"], strict=True):
        shaped = [v for v in model["variants"] if "shape" in v]
        if not shaped:
            assert name == "", f"{model['id']} has no recorded shape, yet the page picked {name!r}"
            chosen.append(None)
            continue
        assert name in [v["name"] for v in shaped], f"{model['id']}: the page picked {name!r}, which has no shape in the API"
        chosen.append(_variant(model, name))
    for i, (model, variant) in enumerate(zip(models, chosen, strict=True)):
        if variant is None:
            assert rows["variant"]["cells"][i] == "not recorded", f"{model['id']} has no shape: its column must say 'not recorded'"
    reference = chosen[0]["params_b"] if chosen[0] and "params_b" in chosen[0] else None
    for model, variant in zip(models[1:], chosen[1:], strict=True):
        sized = [v for v in model["variants"] if "shape" in v and "params_b" in v]
        if variant is None or reference is None or not sized:
            continue
        best = min(abs(math.log(v["params_b"] / reference)) for v in sized)
        assert abs(math.log(variant["params_b"] / reference)) == pytest.approx(best), (
            f"{model['id']}: {variant['name']} is not the shaped variant nearest {reference}B (the first release's)"
        )
    # In the order of the release pages' architecture table (the labels test holds the script to it).
    order = [(where, field) for _, where, field, _ in _script_labels()["shape"]]
    shown = [field for where, field in order if any(_value(v, where, field) is not None for v in chosen)]
    assert [f for f in rows if f not in RELEASE_ROWS and f not in ("variant", "source")] == shown, (
        f"the architecture rows must be those some chosen variant records, in order: {shown}"
    )
    for where, field in SHAPE_FIELDS:
        if field not in shown:
            continue
        values = {json.dumps(_value(v, where, field)) for v in chosen} - {"null"}
        _check_mark(rows[field], len(values) > 1)
        for i, variant in enumerate(chosen):
            if _value(variant, where, field) is None:
                expected = "not recorded" if variant is None else "–"
                assert rows[field]["cells"][i] == expected, f"{models[i]['id']}: {field} is not given, so the cell must read {expected!r}"
    assert not rows["variant"]["marked"] and not rows["source"]["marked"], "the variant and source rows name things; they are not compared"


# ---------------------------------------------------------------------------------------------------- the tests


def test_the_script_labels_values_as_the_rest_of_the_site() -> None:
    """compare.js keeps a copy of the site's labels (it runs in the browser); they must match macros/."""
    labels = _script_labels()
    assert labels["licences"] == fmt.LICENCES, "compare.js LABELS.licences must equal macros/fmt.py LICENCES"
    assert labels["tracks"] == fmt.TRACKS, "compare.js LABELS.tracks must equal macros/fmt.py TRACKS"
    assert labels["relations"] == fmt.RELATIONS, "compare.js LABELS.relations must equal macros/fmt.py RELATIONS"
    assert labels["architectures"] == pages.ARCHITECTURES, "compare.js LABELS.architectures must equal macros/pages.py ARCHITECTURES"
    assert [row[0] for row in labels["shape"]] == [row.label for row in architecture.ROWS], (
        "compare.js LABELS.shape must list macros/architecture.py ROWS's labels in the same order"
    )
    assert sorted((row[1], row[2]) for row in labels["shape"]) == sorted(SHAPE_FIELDS), (
        "compare.js LABELS.shape must show every shape field of the schema and every derived value of the API"
    )


def test_the_page_reads_the_api_and_carries_no_release_data(served_site: str) -> None:
    with urllib.request.urlopen(served_site + "compare/", timeout=30) as response:
        html = response.read().decode("utf-8")
    found = re.search(r'data-api="([^"]+)"', html)
    assert found and found.group(1) == "../api/v1/models.json", "the page must name the API in a data-api attribute, relative to itself"
    with urllib.request.urlopen(urljoin(served_site + "compare/", found.group(1)), timeout=30) as response:
        assert json.load(response)["models"], "data-api must point at the API's list of releases"
    article = html[html.index("<article") : html.index("</article>")]
    assert "<table" not in article and "<option" not in article, "release data belongs in the API, not in the compare page's HTML"
    assert 'name="description"' in html, "the compare page needs a meta description (SEO)"
    assert html.count("compare.js") == 1 and "compare.css" in html, "the page loads its own script and stylesheet"
    with urllib.request.urlopen(served_site + "timeline/", timeout=30) as response:
        other = response.read().decode("utf-8")
    assert "compare.js" not in other and "compare.css" not in other, "compare.js and compare.css load on the compare page only"


def test_two_releases_side_by_side(page, served_site: str, api) -> None:
    _open(page, served_site, "?a=qwen2.5&b=qwen3")
    _check_comparison(page, api, ["qwen2.5", "qwen3"])
    assert page.locator("[role=status]").inner_text().strip() == "", "two known releases need no message"
    _clean(page)


def test_three_releases_one_without_a_recorded_architecture(page, served_site: str, api) -> None:
    unshaped = next(m["id"] for m in api.values() if not any("shape" in v for v in m["variants"]))
    ids = ["qwen2", "qwen2.5", unshaped]
    _open(page, served_site, f"?a={ids[0]}&b={ids[1]}&c={ids[2]}")
    _check_comparison(page, api, ids)
    _clean(page)


def test_an_unknown_id_is_named_and_the_others_still_show(page, served_site: str, api) -> None:
    _open(page, served_site, "?a=qwen2.5&b=nope&c=qwen3")
    status = page.locator("[role=status], [role=alert]").inner_text()
    assert "nope" in status and "No release" in status, f"the message must name the unknown id 'nope': {status!r}"
    _check_comparison(page, api, ["qwen2.5", "qwen3"])
    _clean(page)


def test_with_no_known_release_the_page_says_what_to_do(page, served_site: str) -> None:
    _open(page, served_site, "?a=nope")
    status = page.locator("[role=status]").inner_text()
    assert "nope" in status, f"the message must name the unknown id: {status!r}"
    assert "Add at least two releases" in status, f"with no release to show, say what to do: {status!r}"
    assert page.locator("table").count() == 0, "with no known release there is nothing to tabulate"
    _open(page, served_site, "?a=qwen3")
    status = page.locator("[role=status]").inner_text()
    assert "Add another release" in status, f"with one release, ask for another: {status!r}"
    assert _columns(page) == ["qwen3"], "the one known release still shows"
    _clean(page)


def test_adding_and_removing_releases_follows_the_url(page, served_site: str, api) -> None:
    _open(page, served_site, "?a=qwen2.5&b=qwen3")
    field = page.get_by_label("Add a release")
    field.fill("qwen2")  # by id, from the keyboard
    field.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('thead th[data-release]').length === 3")
    assert _query(page) == [("a", "qwen2.5"), ("b", "qwen3"), ("c", "qwen2")], f"the URL must follow the added column: {page.url}"
    assert field.input_value() == "", "the input empties once its release is added"
    assert f"Added {api['qwen2']['name']}" in page.locator("[role=status]").inner_text(), "an added release is announced"
    field.fill(api["qwen3-next"]["name"])  # by name, with the Add button
    page.get_by_role("button", name="Add", exact=True).click()
    page.wait_for_function("() => document.querySelectorAll('thead th[data-release]').length === 4")
    _check_comparison(page, api, ["qwen2.5", "qwen3", "qwen2", "qwen3-next"])
    field.fill("qwen3")
    field.press("Enter")
    assert "already in the comparison" in page.locator("[role=status]").inner_text(), "adding a release twice must say it is there"
    field.fill("no-such-release")
    field.press("Enter")
    assert "no-such-release" in page.locator("[role=status]").inner_text(), "an unknown release typed in must be named"
    assert len(_columns(page)) == 4, "an unknown or repeated release adds no column"

    page.get_by_role("button", name=f"Remove {api['qwen2.5']['name']}").press("Enter")
    page.wait_for_function("() => document.querySelectorAll('thead th[data-release]').length === 3")
    assert _query(page) == [("a", "qwen3"), ("b", "qwen2"), ("c", "qwen3-next")], f"the URL must follow the removal: {page.url}"
    assert page.evaluate("() => document.activeElement.matches('button[data-ql-remove]')"), "focus moves to the next Remove button"
    _check_comparison(page, api, ["qwen3", "qwen2", "qwen3-next"])

    select = page.locator("select[data-ql-variant='0']")
    other = next(o for o in select.locator("option").all_inner_texts() if o != select.input_value())
    select.select_option(other)
    page.wait_for_function(f"() => document.querySelector('tr[data-field=variant] td').dataset.variant === {json.dumps(other)}")
    assert ("av", other) in _query(page), f"a chosen variant must go into the URL: {page.url}"
    _check_comparison(page, api, ["qwen3", "qwen2", "qwen3-next"])
    page.goto(page.url)  # the shared link shows the same view
    page.wait_for_selector(READY, state="attached")
    assert page.locator("tr[data-field=variant] td").first.get_attribute("data-variant") == other, (
        "the shared link keeps the chosen variant"
    )

    for _ in range(3):
        page.locator("button[data-ql-remove='0']").click()
    page.wait_for_function("() => document.querySelectorAll('thead th[data-release]').length === 0")
    assert urlsplit(page.url).query == "", f"with every release removed the query string is empty: {page.url}"
    assert "Add at least two releases" in page.locator("[role=status]").inner_text(), "with no release left, say what to do"
    _clean(page)


def test_compare_the_two_on_a_release_page_opens_a_working_comparison(page, served_site: str, api) -> None:
    page.goto(served_site + "models/qwen3/")
    link = page.get_by_role("link", name="compare the two")
    assert link.get_attribute("href").endswith("compare/?a=qwen2.5&b=qwen3"), "/models/qwen3/ must link to compare/?a=qwen2.5&b=qwen3"
    link.click()
    page.wait_for_selector(READY, state="attached")
    _check_comparison(page, api, ["qwen2.5", "qwen3"])
    _clean(page)


def test_without_javascript_the_page_points_to_every_release(browser, served_site: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(served_site + "compare/?a=qwen2.5&b=qwen3")
    message = tab.locator(".ql-compare__noscript")
    assert message.is_visible() and "needs JavaScript" in message.inner_text(), "without scripts, say the view needs them"
    href = message.get_by_role("link", name="all releases").get_attribute("href")
    assert urljoin(tab.url, href) == served_site + "models/", f"the message must link to the list of releases, not {href!r}"
    assert tab.locator(".ql-compare__app").is_hidden(), "controls that cannot work without scripts stay hidden"
    context.close()


def test_a_phone_scrolls_the_table_not_the_page(browser, served_site: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True)
    tab = context.new_page()
    tab.goto(served_site + "compare/?a=qwen2.5&b=qwen3&c=qwen3-next&d=qwen3.5")
    tab.wait_for_selector(READY, state="attached")
    width = tab.evaluate("() => document.documentElement.scrollWidth")
    inner = tab.evaluate("() => { const w = document.querySelector('.ql-compare__scroll'); return [w.scrollWidth, w.clientWidth] }")
    context.close()
    assert width <= 390, f"the compare page is {width}px wide on a 390px phone: the table must scroll inside its box"
    assert inner[0] > inner[1], "four columns on a phone should scroll within the table's box"


def test_both_palettes_keep_the_marks_readable(page, served_site: str) -> None:
    """A marked row's word and its cells keep the page's text colour on the page's background, light or dark."""
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        _open(page, served_site, "?a=qwen2.5&b=qwen3")
        colours = page.evaluate("""() => { const b = document.querySelector('.ql-compare__badge--differs');
            const td = document.querySelector('tr[data-differs] td');
            return [getComputedStyle(b).color, getComputedStyle(td).color, getComputedStyle(document.body).color,
                    document.body.getAttribute('data-md-color-scheme')] }""")
        assert colours[3] == ("slate" if scheme == "dark" else "default"), f"the {scheme} system scheme must select its palette"
        assert colours[0] == colours[2] and colours[1] == colours[2], f"{scheme}: marks must use the page's text colour: {colours}"
    _clean(page)


def test_data_strings_arrive_as_text(browser, tmp_path_factory: pytest.TempPathFactory) -> None:
    """A release name with quotes and an ampersand (names refuse markup) shows exactly, as text."""
    from .conftest import HOSTILE_NAME, build_hostile_site, serving

    root = tmp_path_factory.mktemp("compare-hostile")
    with serving(root / "www", lambda site, url: build_hostile_site(root, url, site)) as url:
        context = browser.new_context()
        tab = context.new_page()
        errors: list[str] = []
        tab.on("pageerror", lambda e: errors.append(str(e)))
        tab.on("dialog", lambda d: errors.append(f"dialog: {d.message}"))
        tab.goto(url + "compare/?a=alpha&b=beta")
        tab.wait_for_selector(READY, state="attached")
        names = tab.eval_on_selector_all("thead a.ql-compare__name", "as => as.map(a => a.textContent)")
        option = tab.evaluate("() => document.querySelector('#ql-compare-releases option[value=alpha]').textContent")
        context.close()
    assert names[0] == HOSTILE_NAME and option == HOSTILE_NAME, f"the name must arrive as text, exactly: {names[0]!r}, {option!r}"
    assert not errors, errors


def test_the_page_is_keyboard_usable(page, served_site: str) -> None:
    """From the input, Tab reaches Add, Copy link, then the table's links, Remove buttons and variant choices."""
    _open(page, served_site, "?a=qwen2.5&b=qwen3")
    page.get_by_label("Add a release").focus()
    reached = []
    for _ in range(8):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("() => { const e = document.activeElement; return e.tagName + ':' + e.textContent.trim() }"))
    assert reached[0] == "BUTTON:Add" and reached[1] == "BUTTON:Copy link", f"Add and Copy link follow the input: {reached}"
    assert any(r.startswith("BUTTON:Remove") for r in reached), f"Tab must reach the Remove buttons: {reached}"
