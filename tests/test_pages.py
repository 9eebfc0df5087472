"""Release pages and the releases index, on the fixture and in the built site."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from macros import fmt, pages
from macros.validate import load_dataset

from .conftest import DATA, VALID

FIXTURE = load_dataset(VALID)


def test_release_page_has_every_section() -> None:
    html = pages.release_page(FIXTURE, FIXTURE.model("beta"), "../../", "https://example.org/edit#L24").whole
    assert html.startswith("# Beta\n")
    sections = re.findall(r"^## (.+) \{#([a-z]+) data-search-exclude=1\}$", html, flags=re.M)
    assert sections == [("Sizes and versions", "sizes"), ("Lineage", "lineage"), ("Techniques", "techniques"), ("People", "people"),
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
    assert svg.count("<a xlink:href=") == 2, "one link per parent and child, none for the release itself"
    assert "<a href=" not in svg, "Material's instant navigation cannot rewrite SVG links: use xlink:href"
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
    got = pages.generation(data, data.model(model_id))
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


def test_release_page_blocks_skip_markdown_and_none_is_lost() -> None:
    page = pages.release_page(FIXTURE, FIXTURE.model("beta"), "../../", "https://example.org/edit#L24")
    assert "<table" not in page.markdown and "<svg" not in page.markdown, "Markdown gets only headings and markers"
    assert page.body and page.late, "searchable blocks go in before the search index, the others after"
    assert any("<table" in b for b in page.late.values()) and any("ql-lead" in b for b in page.body.values())
    converted = page.markdown  # what Markdown leaves of the markers: they are HTML comments, copied as they are
    assert "ql-block" not in page.fill(page.fill(converted), late=True)
    dropped = converted.replace(next(iter(page.late)), "")
    with pytest.raises(ValueError, match="missing"):
        page.fill(dropped, late=True)


def test_stashed_macro_html_comes_back_and_a_lost_block_fails() -> None:
    from mkdocs.exceptions import PluginError

    from macros import site

    marker = site.stash("<div>x &lt; y</div>")
    assert marker.startswith("<!--") and site.unstash(f"<p>a</p>\n{marker}", "a.md") == "<p>a</p>\n<div>x &lt; y</div>"
    mixed = site.stash("## Heading {#h}\n\n<ul><li>x</li></ul>\n\n<span>inline</span> text")
    heading, block, inline = mixed.split("\n\n")
    assert heading == "## Heading {#h}", "headings stay for Markdown (the table of contents needs them)"
    assert block.startswith("<!--ql-html-"), "a block-level HTML part skips Markdown"
    assert inline == "<span>inline</span> text", "a part that Markdown would wrap in <p> stays Markdown"
    assert site.unstash(f"<h2 id=\"h\">Heading</h2>\n{block}", "m.md").endswith("<ul><li>x</li></ul>")
    assert "\n" not in fmt.esc("a\n\n## injected"), "data cannot add a blank line that would end an HTML block"
    site.stash("<div>lost</div>")
    with pytest.raises(PluginError, match="b.md"):
        site.unstash("<p>the marker was dropped</p>", "b.md")


def test_html_kept_out_of_search_goes_in_after_indexing_and_is_never_lost() -> None:
    from mkdocs.exceptions import PluginError

    from macros import site

    marker = site.stash('<div class="ql-table-wrap" data-search-exclude><table></table></div>')
    assert site.unstash(f"<p>a</p>\n{marker}", "t.md") == f"<p>a</p>\n{marker}", "the search indexer never sees it"
    assert site.unstash_late(f"<p>a</p>\n{marker}") == '<p>a</p>\n<div class="ql-table-wrap" data-search-exclude><table></table></div>'
    site.check_unstashed()
    site.stash('<div data-search-exclude="">dropped</div>')
    with pytest.raises(PluginError, match="never reached its page"):
        site.check_unstashed()


def test_elements_kept_out_of_search_are_lifted_at_any_depth() -> None:
    """A chart's data table sits inside its figure, and the timeline table after its filter controls:
    each goes in after indexing, nested elements of the same tag included, and the page comes out as written."""
    from macros import site

    figure = ('<figure class="ql-chart"><figcaption>T</figcaption><details data-search-exclude><summary>Data</summary>'
              '<details><summary>inner</summary><table><tr><td>1 &lt; 2</td></tr></table></details></details>'
              '<p class="ql-chart__sources">Data: x</p><details class="ql-embed" data-search-exclude>embed</details >'
              '<img alt="" data-search-exclude></figure>')
    marker = site.stash(figure)
    indexed = site.unstash(marker, "c.md")
    assert "<table" not in indexed and "embed" not in indexed and "inner" not in indexed, "the indexer must not see them"
    assert "Data: x" in indexed and "<figcaption>T</figcaption>" in indexed and "<img" in indexed, "the rest is indexed"
    assert site.unstash_late(indexed) == figure
    site.check_unstashed()


def test_compact_drops_template_indentation_but_keeps_preformatted_text_and_scripts() -> None:
    from macros import site

    html = ('<div>\n    <p>a\n      b</p>  \n\n\n  <pre><code>x\n    y</code></pre>\n'
            '  <script>if (a)\n  b()</script>\n <textarea>\n t</textarea><STYLE>\n  p {}</STYLE>\n</div>')
    assert site.compact(html) == ('<div>\n<p>a\nb</p>\n<pre><code>x\n    y</code></pre>\n'
                                  '<script>if (a)\n  b()</script>\n<textarea>\n t</textarea><STYLE>\n  p {}</STYLE>\n</div>')
    assert site.compact('<b>a</b>  <i>b</i> c') == '<b>a</b>  <i>b</i> c', "spaces within a line are words' spaces"
    assert site.compact('<pre>x</pre>  <b>y</b>\n  z') == '<pre>x</pre>  <b>y</b>\nz', "only whitespace at a line break goes"
    assert site.compact('a \r\n \u00a0\n\n b\n') == 'a \r\nb\n', "a carriage return stays; every whitespace after a break goes"
