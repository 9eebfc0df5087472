"""Renderers and formatting on the small fixture: values computed by hand from tests/fixtures/valid."""
from __future__ import annotations

import re

import pytest

from macros import fmt, tables
from macros.dataset import load_dataset

from .conftest import VALID

DATA = load_dataset(VALID)


@pytest.mark.parametrize(("value", "expected"), [(0.5, "0.5B"), (7, "7B"), (72.0, "72B"), (2400, "2.4T"), (1000, "1T")])
def test_params(value: float, expected: str) -> None:
    assert fmt.params(value) == expected


@pytest.mark.parametrize(("value", "expected"), [(2048, "2K"), (32768, "32K"), (131072, "128K"), (262144, "256K"),
                                                 (1_000_000, "1M"), (1_010_000, "1.01M"), (500, "500")])
def test_tokens(value: int, expected: str) -> None:
    assert fmt.tokens(value) == expected


def test_markdown_escape_neutralises_markup() -> None:
    out = fmt.md("[x](javascript:alert(1)) *b* <i>")
    assert "<i>" not in out and "\\[x\\]\\(javascript:alert\\(1\\)\\)" in out and "\\*b\\*" in out


def test_headline_figures() -> None:
    f = tables.headline_figures(DATA)
    assert f["releases"] == "3" and f["variants"] == "4"
    assert f["open_share"] == "2 of 3 (67%)"  # alpha and beta open, gamma API-only
    assert f["largest"].startswith("Beta-30B-A3B (30B-A3B, 1 Jul 2024)")  # the variant's own date
    assert f["longest_context"] == "128K tokens (Beta)"
    assert f["first"] == "Alpha (3 Aug 2023)" and f["latest"] == "Gamma (28 Jan 2025)"


def test_timeline_is_newest_first_with_anchors() -> None:
    html = tables.timeline_table(DATA, "../")
    assert re.findall(r'<tr id="([^"]+)"', html) == ["gamma", "beta", "alpha"]
    beta_row = re.search(r'<tr id="beta".*?</tr>', html).group(0)
    assert "secondary sources only" in beta_row, "a release with only secondary sources must say so"
    assert "secondary sources only" not in re.search(r'<tr id="alpha".*?</tr>', html).group(0)
    assert ">2024-06<" in beta_row, "a month-precision date shows as YYYY-MM"
    assert "14B · 30B-A3B" in beta_row and "32K (up to 128K)" in beta_row


def test_timeline_marks_errata_and_closed_weights() -> None:
    html = tables.timeline_table(DATA, "../")
    alpha = re.search(r'<tr id="alpha".*?</tr>', html).group(0)
    gamma = re.search(r'<tr id="gamma".*?</tr>', html).group(0)
    assert 'href="../errata/#no-such-row"' in alpha
    assert ">Closed<" in gamma and "Proprietary (API only)" in gamma and "undisclosed" in gamma


def test_technique_sections_have_stable_anchors_and_users() -> None:
    md = tables.technique_sections(DATA, "../")
    assert "## Technique A {#tech-a}" in md and "## Technique B {#tech-b}" in md
    assert "Used by 2 releases:" in md and 'href="../models/alpha/"' in md
    assert 'href="https://arxiv.org/abs/2305.13245"' in md


def test_team_marks_unverified_names() -> None:
    md = tables.team_sections(DATA, "../")
    assert "### Test Person {#test-person}" in md and "unverified" in md and 'lang="zh-Hans"' in md


def test_deep_dive_table_accounts_every_row() -> None:
    html = tables.deep_dive_rows_table(DATA, "../")
    assert "not accounted for" not in html
    assert 'release <a href="../models/alpha/">Alpha</a>' in html and 'href="#no-such-row"' in html


def test_milestones_keep_scope_and_mark_secondary_figures() -> None:
    md = tables.milestone_tables(DATA, "../")
    assert "## Cumulative downloads {#cumulative-downloads}" in md and "## Arena Elo standings {#arena-elo}" in md
    rows = dict(re.findall(r'<tr id="([^"]+)">(.*?)</tr>', md))
    assert "hugging face" in rows["downloads-a"], "every figure shows its scope"
    assert "secondary sources only" in rows["downloads-b"] and "secondary sources only" not in rows["downloads-a"]
    assert list(rows).index("downloads-a") < list(rows).index("downloads-b"), "figures in date order"


def test_ecosystem_sections_link_releases_and_sources() -> None:
    md = tables.ecosystem_sections(DATA, "../")
    for section in ("tools", "integrations", "partners", "events", "modelscope", "landscape"):
        assert f"{{#{section}}}" in md, section
    tool = re.search(r'<li class="ql-eco" id="tools-tool-a">.*?</li>', md).group(0)
    assert 'href="https://example.org/tool"' in tool and 'href="../models/beta/"' in tool
    partner = re.search(r'<li class="ql-eco" id="partners-partner-a">.*?</li>', md).group(0)
    assert "secondary sources only" in partner


def test_source_links_are_lean_and_still_tell_primary_from_secondary() -> None:
    html = tables.timeline_table(DATA, "../")
    links = re.findall(r"<a( class=\"[^\"]*\")? href=\"https://[^\"]*\" aria-label=\"source (\d+), (\w+)\">(\d+s?)</a>", html)
    assert links and len(links) == html.count('aria-label="source '), "every source link has the lean form"
    for css, number, kind, text in links:
        assert text == number + ("" if kind == "primary" else "s"), "a secondary source is marked in its text"
        assert css == ("" if kind == "primary" else ' class="ql-src--secondary"'), "only a secondary link has a class"
    assert {kind for _, _, kind, _ in links} == {"primary", "secondary"}


def test_timeline_carries_sort_values_only_where_text_sorts_wrongly() -> None:
    row = re.search(r'<tr id="beta".*?</tr>', tables.timeline_table(DATA, "../")).group(0)
    assert re.findall(r'data-label="([^"]+)" data-value', row) == ["Sizes", "Context"], \
        "30B-A3B and 128K need a numeric sort value; dates sort by <time datetime>, the rest by their text"
    assert '<time datetime="2024-06">' in row


def test_home_page_lists_the_latest_releases_newest_first_and_how_current_the_data_is() -> None:
    from dataclasses import replace
    from datetime import date

    from macros.records import PartialDate

    html = tables.latest_releases(DATA, "")
    ids = re.findall(r'<a href="models/([^/]+)/">', html)
    newest = sorted(DATA.models, key=lambda m: (m.released.value, m.id), reverse=True)
    assert ids == [m.id for m in newest][: tables.LATEST], "the newest releases, newest first, each linking to its page"
    for m in newest[: tables.LATEST]:
        assert f'<time datetime="{m.released.iso}">{m.released.label}</time>' in html, f"{m.id}: its date"
        assert fmt.esc(tables.first_sentence(m.summary)) in html, f"{m.id}: its one-line summary"
    assert DATA.checked is not None and f"Data checked through <a href=\"sources/#currency\"><time datetime=\"{DATA.checked.data_checked.iso}\">" in html
    many = replace(DATA, models=tuple(replace(DATA.models[0], id=f"m{i}", released=PartialDate(date(2020, 1, i + 1), "day"))
                                      for i in range(8)))
    assert len(re.findall(r"<li>", tables.latest_releases(many, ""))) == tables.LATEST, "five at most"


@pytest.mark.parametrize(("summary", "expected"), [
    ("An open driving model. It adds a planning expert to a vision model. Then more.",
     "An open driving model. It adds a planning expert to a vision model."),
    ("A long first sentence that says enough on its own about the release in question. Second.",
     "A long first sentence that says enough on its own about the release in question."),
    ("Qwen3.8-Max is v3.8 of the series, e.g. the flagship. More words here.", "Qwen3.8-Max is v3.8 of the series, e.g. the flagship. More words here."),
])
def test_first_sentence_is_a_short_summary(summary: str, expected: str) -> None:
    assert tables.first_sentence(summary) == expected
