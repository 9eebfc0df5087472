"""Release pages and the releases index, on the fixture and in the built site."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from macros import fmt, pages
from macros.dataset import load_dataset

from .conftest import DATA, VALID

FIXTURE = load_dataset(VALID)


def test_release_page_has_every_section() -> None:
    html = pages.release_page(FIXTURE, FIXTURE.model("beta"), "../../", "https://example.org/edit#L24")
    assert html.startswith("---\nrender_macros: false\n---\n\n# Beta\n"), "its text is data: never a template"
    sections = re.findall(r"^## (.+) \{#([a-z]+) data-search-exclude=1\}$", html, flags=re.M)
    assert sections == [("Sizes and versions", "sizes"), ("Architecture", "architecture"), ("Lineage", "lineage"), ("Techniques", "techniques"), ("People", "people"),
                        ("Corrections to the deep-dive", "errata"), ("Sources", "sources")], sections
    assert "Beta-14B" in html and "Beta-30B-A3B" in html and "2024-07-01" in html, "every variant with its own date"
    assert 'href="../../models/alpha/"' in html and "successor of" in html, "parents link to their pages"
    assert 'href="../../models/gamma/"' in html and "built on" in html, "children are listed with their relation"
    assert 'href="../../techniques/#tech-a"' in html and 'href="../../team/#test-person"' in html
    assert "secondary sources only" in html, "beta rests on secondary sources alone"
    assert 'href="https://example.org/edit#L24"' in html and "Edit this entry" in html


def test_lineage_diagram_links_neighbours_and_escapes() -> None:
    svg = pages.lineage_diagram(FIXTURE, FIXTURE.model("beta"), "../../")
    assert svg.startswith('<svg class="ql-lineage"') and svg.endswith("</svg>")
    assert svg.count('<a href="../../models/') == 2, "one link per parent and child, none for the release itself"
    assert "xlink" not in svg, "Lighthouse's crawlable-anchors audit counts only href as a link (SEO 100)"
    assert "successor" in svg and "built on" in svg


def test_models_index_groups_by_generation() -> None:
    data = load_dataset(DATA)
    html = pages.models_index(data, "../")
    headings = re.findall(r"^## (.+?) \{#", html, flags=re.M)
    assert headings[0].startswith("Qwen3"), f"the newest generation comes first: {headings}"
    assert headings[-1] == "Other model lines"
    for m in data.models:
        assert html.count(f'href="../models/{m.id}/"') == 1, f"{m.id} must be listed exactly once"


@pytest.mark.parametrize(("model_id", "expected"), [("qwen2.5-coder", "Qwen2.5"), ("codeqwen1.5", "Qwen1.5"),
                                                    ("qwen", "Qwen (1.0)"), ("qwq-32b", None)])
def test_generation(model_id: str, expected: str | None) -> None:
    data = load_dataset(DATA)
    got = fmt.generation(data, data.model(model_id))
    assert got == (expected or got) and got, got


@pytest.mark.build
def test_every_release_has_a_page_reachable_from_timeline_index_and_search(built_site: Path) -> None:
    data = load_dataset(DATA)
    timeline = (built_site / "timeline" / "index.html").read_text(encoding="utf-8")
    index = (built_site / "models" / "index.html").read_text(encoding="utf-8")
    docs = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    search = {doc["location"]: doc for doc in docs}
    team = (built_site / "team" / "index.html").read_text(encoding="utf-8")
    menu = team.split("md-sidebar--primary", 1)[1].split("md-sidebar--secondary", 1)[0]
    for m in data.models:
        page = built_site / "models" / m.id / "index.html"
        assert page.is_file(), f"no page for {m.id}"
        html = page.read_text(encoding="utf-8")
        assert f"data/models.yaml#L{m.line}" in html, f"{m.id}: the edit link must point at its line"
        assert f'href="../models/{m.id}/"' in timeline, f"{m.id}: the timeline must link to its page"
        assert f'href="../models/{m.id}/"' in index, f"{m.id}: /models/ must list it"
        assert f"models/{m.id}/" in search, f"{m.id}: its page must be searchable"
        entries = [d for d in search if d.startswith(f"models/{m.id}/")]
        assert entries == [f"models/{m.id}/"], f"{m.id}: one search entry per release (its sections are out of search): {entries}"
        words = (m.summary or "").split()[:4]
        assert " ".join(words) in search[f"models/{m.id}/"]["text"], f"{m.id}: search finds a release by its summary"
        assert f"models/{m.id}/" not in menu, f"{m.id}: release pages stay out of the global menu"


def test_finished_html_skips_markdown_and_search_reads_only_what_it_indexes() -> None:
    from macros import rawhtml

    page = pages.release_page(FIXTURE, FIXTURE.model("beta"), "../../", "https://example.org/edit#L24").split("---\n", 2)[2]
    markdown, held = rawhtml.hold(page)
    assert "<table" not in markdown and "<svg" not in markdown, "Markdown gets only headings and markers"
    assert re.findall(r"^## .+$", markdown, flags=re.M) == re.findall(r"^## .+$", page, flags=re.M), "headings stay"
    early = rawhtml.restore(markdown, held, "beta")
    assert "ql-lead" in early and "<table" not in early, "search reads the lead and facts, not the excluded sections"
    assert rawhtml.restore(early, held, "beta", late=True) == page, "every block comes back where it was"
    with pytest.raises(ValueError, match="did not come through Markdown"):
        rawhtml.restore(markdown.replace("<!--ql-held-0-->", ""), held, "beta")


def test_a_block_that_is_one_excluded_element_waits_for_the_index_and_text_stays_markdown() -> None:
    from macros import rawhtml

    text = ("## Heading {#h}\n\n<ul><li>x</li></ul>\n\n<span>inline</span> text\n\n"
            '<div class="ql-table-wrap" data-search-exclude><table></table></div>')
    markdown, held = rawhtml.hold(text)
    heading, block, inline, table = markdown.split("\n\n")
    assert heading == "## Heading {#h}" and inline == "<span>inline</span> text", "headings and Markdown text stay"
    assert block.startswith("<!--ql-held-") and table.startswith("<!--ql-held-")
    early = rawhtml.restore(markdown, held, "t.md")
    assert "<ul><li>x</li></ul>" in early and "<table" not in early
    assert rawhtml.restore(early, held, "t.md", late=True) == text
    assert "\n" not in fmt.esc("a\n\n## injected"), "data cannot add a blank line that would end an HTML block"


def test_macro_blocks_marked_out_of_search_hold_nothing_else() -> None:
    """rawhtml puts a block that starts with an element marked data-search-exclude in after indexing, whole: the
    macros must write such an element as a block of its own, with nothing searchable after it."""
    from html.parser import HTMLParser

    from macros import embed, rawhtml, tables
    from macros.build import TABLES
    from macros.charts import CHARTS

    site = embed.Site(url="https://example.org/", name="Q", version="v", year="2026", images=True)
    outputs = [render(FIXTURE, "../") for render in TABLES.values()]
    outputs += [embed.chart_figure(c, FIXTURE, "../", site) for c in CHARTS.values()]
    outputs += [embed.chart_figure(c, FIXTURE, "../", site, compact=True) for c in CHARTS.values()]

    class Depth(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.depth, self.closed_at_top = 0, 0

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag not in ("img", "input", "br", "source", "meta", "link", "hr", "rect", "path"):
                self.depth += 1

        def handle_endtag(self, tag: str) -> None:
            self.depth -= 1
            self.closed_at_top += self.depth == 0

    for block in (b for out in outputs for b in out.split("\n\n") if rawhtml._EXCLUDED.match(b)):
        parser = Depth()
        parser.feed(block)
        assert parser.closed_at_top == 1, f"a block out of search must be one element: {block[:120]}"
    assert tables.timeline_table(FIXTURE, "../").count("\n\n") == 1, "the filters are searchable, the table is not"


def test_compact_drops_template_indentation_but_keeps_preformatted_text_and_scripts() -> None:
    from macros.finish import compact

    html = ('<div>\n    <p>a\n      b</p>  \n\n\n  <pre><code>x\n    y</code></pre>\n'
            '  <script>if (a)\n  b()</script>\n <textarea>\n t</textarea><STYLE>\n  p {}</STYLE>\n</div>')
    assert compact(html) == ('<div>\n<p>a\nb</p>\n<pre><code>x\n    y</code></pre>\n'
                             '<script>if (a)\n  b()</script>\n<textarea>\n t</textarea><STYLE>\n  p {}</STYLE>\n</div>')
    assert compact('<b>a</b>  <i>b</i> c') == '<b>a</b>  <i>b</i> c', "spaces within a line are words' spaces"
    assert compact('<pre>x</pre>  <b>y</b>\n  z') == '<pre>x</pre>  <b>y</b>\nz', "only whitespace at a line break goes"
    assert compact('a \r\n \u00a0\n\n b\n') == 'a \r\nb\n', "a carriage return stays; every whitespace after a break goes"
