"""Hostile data: every string and number field of every kind of entry gets HTML, JavaScript, Jinja,
Markdown link tricks, javascript: and data: URLs, 100 KB strings, bidi overrides, control characters
and absurd numbers. Each entry is rejected with a clear message, or renders inert: never executed,
never breaking the page or the other entries."""
from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import markupsafe
import pytest
import yaml

from macros import api, embed, pages
from macros.build import TABLES
from macros.charts import CHARTS
from macros.dataset import load_dataset
from macros.fmt import esc
from macros.load import KINDS, DataErrors, read_yaml

from .conftest import VALID, fast_check_disagreements

STRINGS = {
    "html": '<script>alert("x")</script><img src=x onerror=alert(1)>',
    "jinja": "{{ config }}{% include 'mkdocs.yml' %}{# comment #}",
    "markdown": "[click](javascript:alert(1)) ![x](data:text/html,<script>alert(1)</script>) <javascript:alert(1)>",
    "javascript-url": "javascript:alert(1)",
    "data-url": "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "huge": "A" * 100_000,
    "bidi": "safe\u202etxt.exe",
    "control": "bell\u0007and\u0000nul",
}
NUMBERS = {"negative": -1, "huge": 1e308, "infinite": math.inf, "not-a-number": math.nan, "big-int": 10**30}
SITE = embed.Site(url="https://example.org/", name="Qwen Lineage", version="test", year="2026", images=False)


def _fields(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every leaf of an entry (strings and numbers), by path."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _fields(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _fields(item, path + (i,))
    elif isinstance(value, (str, int, float)) and not isinstance(value, bool):
        yield path, value


def _cases() -> list[tuple[str, tuple[Any, ...], str, Any]]:
    """(file, path to a leaf, payload name, payload) for the first entry of every file."""
    cases = []
    for kind in KINDS.values():
        doc = read_yaml(VALID / kind.file, kind.file)
        entry_path, raw = kind.entries(doc.data)[0]
        for path, value in _fields(raw, entry_path):
            payloads = STRINGS if isinstance(value, str) else NUMBERS
            cases += [(kind.file, path, name, payload) for name, payload in payloads.items()]
    return cases


CASES = _cases()


def _render_all(data: Any) -> dict[str, str]:
    """Everything the site renders from data, without a build: pages, release pages, charts, API, feed."""
    out = {name: render(data, "../") for name, render in TABLES.items()}
    out["models_index"] = pages.models_index(data, "../")
    for m in data.models:
        out[f"release {m.id}"] = pages.release_page(data, m, "../../", "https://example.org/edit#L1")
        out[f"description {m.id}"] = f'<meta name="description" content="{esc(m.summary or m.name)}">'
    for slug, chart in CHARTS.items():
        out[f"chart {slug}"] = embed.chart_figure(chart, data, "../", SITE)
        out[f"figure {slug}"] = embed.figure_json(chart.figure(data))
    out["feed"] = api.atom_feed(data, SITE.url, SITE.name, "2026-01-01T00:00:00Z").decode("utf-8")
    out["api"] = json.dumps({k: v.decode("utf-8") for k, v in api.api_documents(data, SITE.url, "x", "y").items()})
    return out


@pytest.mark.parametrize(("file", "path", "name", "payload"), CASES,
                         ids=[f"{f}:{'.'.join(map(str, p))}:{n}" for f, p, n, _ in CASES])
def test_hostile_value_is_rejected_or_inert(tmp_path: Path, file: str, path: tuple[Any, ...], name: str, payload: Any) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    for kind in KINDS.values():
        (folder / kind.file).write_text((VALID / kind.file).read_text(encoding="utf-8"), encoding="utf-8")
    doc = read_yaml(VALID / file, file)
    node = doc.data
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = payload
    (folder / file).write_text(yaml.safe_dump(doc.data, allow_unicode=False, sort_keys=False, width=10**9), encoding="utf-8")
    assert not fast_check_disagreements(folder), "the compiled schema check must never pass what jsonschema rejects"
    try:
        data = load_dataset(folder)
    except DataErrors as exc:
        mine = [e for e in exc.errors if e.file.endswith(file)]
        assert mine, f"rejected, but no error points at {file}:\n{exc.report()}"
        assert all(" — " in str(e) and e.line >= 1 for e in exc.errors), "every rejection says where and what to do"
        return
    rendered = _render_all(data)
    for document in json.loads(rendered.pop("api")).values():
        json.loads(document)  # the API carries the raw value, as data: it must still be valid JSON
    for where, html in rendered.items():
        assert '<script>alert("x")' not in html and "<img src=x" not in html, f"{where}: HTML from data went through"
        assert 'href="javascript:' not in html and 'src="javascript:' not in html, f"{where}: a javascript: link"
        assert 'href="data:' not in html and 'src="data:' not in html, f"{where}: a data: link from data"
        if where.startswith("description"):
            assert html.count('"') == 4, f"{where}: a value from data left the description's attribute"
    timeline = rendered["timeline_table"]
    assert timeline.count("<tr id=") == len(data.models), "one hostile entry must not drop the others"
    ET.fromstring(rendered["feed"])  # the feed still parses


# ---------------------------------------------------------------- what reaches a page's head

@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from .conftest import build_hostile_site

    return build_hostile_site(tmp_path_factory.mktemp("hostile"))


def _head(html: str) -> str:
    return html.split("</head>", 1)[0]


@pytest.mark.build
def test_values_in_a_pages_head_arrive_inert(hostile_site: Path) -> None:
    """A release's description, a name with quotes and an ampersand, and a title that Material's striptags would
    decode into `</title><meta http-equiv=refresh …>` all stay text: no page of the site gets a refresh, a second
    title or any tag from data in its head."""
    from .conftest import HOSTILE_NAME, HOSTILE_SUMMARY

    for page in sorted(hostile_site.rglob("*.html")):
        head = _head(page.read_text(encoding="utf-8"))
        where = page.relative_to(hostile_site)
        assert 'http-equiv="refresh"' not in head.lower() and "http-equiv=refresh" not in head.lower(), f"{where}: a refresh reached the head"
        assert head.count("<title>") == 1 and "<img" not in head, f"{where}: markup from data reached the head"
    alpha = _head((hostile_site / "models" / "alpha" / "index.html").read_text(encoding="utf-8"))
    assert f'<meta name="description" content="{esc(HOSTILE_SUMMARY)}">' in alpha, "the description is the summary, escaped"
    assert f"<title>{markupsafe.escape(HOSTILE_NAME)} - Qwen Lineage</title>" in alpha, "the title is the name, escaped once"
    page = _head((hostile_site / "hostile" / "index.html").read_text(encoding="utf-8"))
    assert "<title>Page &lt;/title&gt;&lt;meta http-equiv=&#34;refresh&#34;" in page, "a title written with entities stays text"
    feed = ET.fromstring((hostile_site / "feed.xml").read_bytes())
    titles = [e.text for e in feed.iter("{http://www.w3.org/2005/Atom}title")]
    assert HOSTILE_NAME in titles, "the feed carries the name as text"
