"""Figures and the chart registry: exact values on the small fixture, properties on the real data.

As plotly.express's tests do, these assert on `fig.data` and `fig.layout`, never on pixels. Fixture values
are computed by hand from tests/fixtures/valid; real-data tests state properties, never copied numbers.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from typing import Any

import plotly.graph_objects as go
import pytest

from macros import figures, fmt
from macros.charts import CHARTS, Chart, chart
from macros.load import DataErrors
from macros.records import Dataset, PartialDate
from macros.dataset import load_dataset

from .conftest import DATA, VALID

FIXTURE = load_dataset(VALID)
SLUGS = list(CHARTS)  # the registry is the one list of charts
RELEASE_SLUGS = [slug for slug, chart in CHARTS.items() if chart.basis == "releases"]  # the others chart adoption figures


@pytest.fixture(scope="module")
def real() -> Dataset:
    """The real data/ (being edited by others: tests state properties, never its numbers)."""
    try:
        return load_dataset(DATA)
    except DataErrors as exc:
        pytest.fail("data/ does not validate, so the charts cannot be checked:\n" + exc.report())


# ---------------------------------------------------------------- helpers

def trace(fig: go.Figure, name: str) -> Any:
    """The one trace called `name`."""
    found = [t for t in fig.data if t.name == name]
    assert len(found) == 1, f"expected one trace named {name!r}, found {[t.name for t in fig.data]}"
    return found[0]


def marker_traces(fig: go.Figure) -> list[Any]:
    """Traces that draw points (as opposed to connector lines)."""
    return [t for t in fig.data if "markers" in (t.mode or "")]


def points(fig: go.Figure) -> Iterator[tuple[str, Any, Any, str]]:
    """Every plotted point as (trace name, x, y, customdata)."""
    for t in marker_traces(fig):
        yield from ((t.name, x, y, c) for x, y, c in zip(t.x, t.y, t.customdata, strict=True))


def segments(t: Any) -> list[tuple[tuple[Any, Any], tuple[Any, Any]]]:
    """Line segments of a trace whose segments are separated by None."""
    xs, ys = list(t.x), list(t.y)
    assert len(xs) % 3 == 0 and xs[2::3] == [None] * (len(xs) // 3), f"{t.name}: segments must be 'a, b, None' triples"
    return [((xs[i], ys[i]), (xs[i + 1], ys[i + 1])) for i in range(0, len(xs), 3)]


def hover_of(t: Any, release_id: str) -> list[str]:
    """Hover texts of a trace's points that belong to one release."""
    return [h for h, c in zip(t.hovertext, t.customdata, strict=True) if c == release_id]


# ---------------------------------------------------------------- fixture: values by hand

def test_timeline_on_fixture() -> None:
    fig = figures.release_timeline(FIXTURE)
    assert [t.name for t in fig.data] == ["Open", "Closed"], "one trace per weights state present, in fixed order"
    open_, closed = trace(fig, "Open"), trace(fig, "Closed")
    assert list(open_.x) == ["2023-08-03", "2024-06-01"], "a month-precision date (beta, 2024-06) sits at the 1st"
    assert list(open_.y) == ["Base LLM", "Code"] and list(closed.y) == ["Hosted API"], "lanes use fmt.TRACKS labels"
    assert list(open_.customdata) == ["alpha", "beta"] and list(closed.customdata) == ["gamma"]
    assert (open_.marker.symbol, closed.marker.symbol) == ("circle", "circle-open"), "filled = open, hollow = closed"
    alpha, beta = open_.marker.size
    assert beta > alpha > closed.marker.size[0], "beta (30B largest) > alpha (7B) > gamma (undisclosed)"
    hover = hover_of(open_, "beta")[0]
    assert all(s in hover for s in ("Beta", "Jun 2024", "14B · 30B-A3B", "32K (up to 128K)", "Open")), hover
    assert list(fig.layout.yaxis.categoryarray) == ["Base LLM", "Code", "Hosted API"], "lanes in fmt.TRACKS order"
    assert fig.layout.yaxis.autorange == "reversed", "the first track (Base LLM) belongs at the top"


def test_lineage_on_fixture() -> None:
    fig = figures.lineage(FIXTURE)
    assert [t.name for t in fig.data] == ["Successor", "Built on", "Release"], \
        "one trace per relation used, in fmt.RELATIONS order, then the nodes"
    nodes = trace(fig, "Release")
    pos = {c: (x, y) for x, y, c in zip(nodes.x, nodes.y, nodes.customdata, strict=True)}
    # columns are half years from 2023 H2 (alpha, Aug 2023) to 2025 H1 (gamma, Jan 2025); a row per track here
    assert pos == {"alpha": (0, 0), "beta": (1, 1), "gamma": (3, 2)}
    assert list(fig.layout.xaxis.ticktext) == ["2023 H2", "2024 H1", "2024 H2", "2025 H1"], "every half year is a column, empty ones too"
    assert list(fig.layout.yaxis.ticktext) == ["Base LLM", "Code", "Hosted API"], "a band per track, in fmt.TRACKS order"
    assert list(nodes.text) == ["Alpha", "Beta", "Gamma"] and "text" in nodes.mode, "every release is labelled with its name"
    assert nodes.textfont.size >= 11, "labels are drawn at 11 px or more"
    assert segments(trace(fig, "Successor")) == [(pos["alpha"], pos["beta"])], "beta is the successor of alpha"
    assert segments(trace(fig, "Built on")) == [(pos["beta"], pos["gamma"])], "gamma is built on beta"
    assert "built on Beta" in hover_of(nodes, "gamma")[0] and "no recorded parent" in hover_of(nodes, "alpha")[0]
    successor, built_on = trace(fig, "Successor").line, trace(fig, "Built on").line
    assert successor.color != built_on.color and successor.dash != built_on.dash, "relations differ in colour and dash"


def test_lineage_gives_releases_of_one_track_and_half_year_rows_of_their_own() -> None:
    moved = replace(FIXTURE.model("gamma"), track="coder", released=PartialDate(date(2024, 6, 20), "day"))
    data = replace(FIXTURE, models=tuple(moved if m.id == "gamma" else m for m in FIXTURE.models))
    layout = figures.tree_layout(data.models)
    assert layout.positions["beta"][0] == layout.positions["gamma"][0], "beta (Jun 2024) and gamma (20 Jun 2024) share 2024 H1"
    assert layout.positions["beta"][1] != layout.positions["gamma"][1], "two releases of one track and half year get two rows"
    assert layout.bands == [("base", 0, 1), ("coder", 1, 2)], "the coder band grows to hold both; bands do not overlap"
    nodes = trace(figures.lineage(data), "Release")
    assert len(set(zip(nodes.x, nodes.y, strict=True))) == 3, "no two releases share a place"


def test_lineage_grows_with_the_data_so_labels_keep_their_size() -> None:
    width, height = figures.lineage_size(FIXTURE)
    layout = figures.tree_layout(FIXTURE.models)
    column = figures.lineage_column(FIXTURE.models)
    assert width == figures.LINEAGE_MARGINS[0] + column * len(layout.columns)
    assert height == figures.LINEAGE_MARGINS[1] + figures.LINEAGE_ROW * layout.rows
    longer = replace(FIXTURE, models=tuple(replace(m, name=m.name + "-With-A-Much-Longer-Name") for m in FIXTURE.models))
    assert figures.lineage_column(longer.models) > column, "a longer name widens the columns instead of overlapping the next one"
    assert figures.lineage_column(longer.models) >= figures.label_width("x" * 30), "a column holds its longest label"
    assert CHARTS["lineage"].dimensions(FIXTURE) == (width, height), "the registry takes the lineage's size from its data"


def test_parameter_scale_on_fixture() -> None:
    fig = figures.parameter_scale(FIXTURE)
    dense, total, active = trace(fig, "Dense (total)"), trace(fig, "MoE total"), trace(fig, "MoE active")
    assert (list(dense.x), list(dense.y)) == (["2023-08-03", "2024-06-01"], [7, 14]), "alpha 7B, beta 14B dense"
    assert (list(total.x), list(total.y), list(active.y)) == (["2024-07-01"], [30], [3]), "30B-A3B at its own date"
    assert list(total.customdata) == list(active.customdata) == ["beta"]
    connector = trace(fig, "MoE total → active")
    assert segments(connector) == [(("2024-07-01", 30), ("2024-07-01", 3))] and connector.hoverinfo == "skip"
    assert fig.layout.yaxis.type == "log" and "10B" in fig.layout.yaxis.ticktext


def test_context_length_on_fixture() -> None:
    fig = figures.context_length(FIXTURE)
    assert [t.name for t in fig.data] == ["Base LLM", "Code"], "only tracks with a context window get a trace"
    base, code = trace(fig, "Base LLM"), trace(fig, "Code")
    # beta's 30B-A3B (Jul 2024, 32K) widens nothing beyond its 14B's 32K up to 128K (Jun 2024): one point
    assert (list(base.y), list(code.y)) == ([8192], [32768]), "each release at its native context"
    assert list(code.error_y.array) == [131072 - 32768] and list(base.error_y.array) == [0], "bar up to the maximum"
    assert fig.layout.yaxis.type == "log" and {"8K", "32K", "128K"} <= set(fig.layout.yaxis.ticktext)


def test_context_length_shows_each_step_of_a_window_that_grew() -> None:
    grown = replace(FIXTURE.model("alpha"), variants=(
        *FIXTURE.model("alpha").variants,
        replace(FIXTURE.model("alpha").variants[0], name="Alpha-7B-2024", context=32768, context_max=None,
                released=PartialDate(date(2024, 3, 1), "day")),
    ))
    data = replace(FIXTURE, models=tuple(grown if m.id == "alpha" else m for m in FIXTURE.models))
    base = trace(figures.context_length(data), "Base LLM")
    assert list(zip(base.x, base.y)) == [("2023-08-03", 8192), ("2024-03-01", 32768)], \
        "a later snapshot with a wider window is a second point at its own date, not the release's date"


def test_technique_adoption_on_fixture() -> None:
    fig = figures.technique_adoption(FIXTURE)
    assert list(fig.layout.yaxis.categoryarray) == ["TA", "Technique B"], "short label, else the name; first use first"
    first, used = trace(fig, "First use in the family"), trace(fig, "Release using it")
    assert list(zip(first.y, first.x, first.customdata)) == [("TA", "2023-08-03", "alpha"),
                                                             ("Technique B", "2024-06-01", "beta")]
    assert list(zip(used.y, used.customdata)) == [("TA", "beta")], "tech-a is also used by beta"
    assert first.marker.symbol == "star" and first.marker.size > used.marker.size


def test_rows_on_fixture() -> None:
    header, rows = CHARTS["release-timeline"].rows(FIXTURE)
    assert dict(zip(header, rows[1])) == {
        "release_id": "beta", "release": "Beta", "released": "2024-06", "track": "coder", "weights": "Open",
        "largest_params_b": 30, "sizes": "14B · 30B-A3B", "native_context": 32768, "longest_context": 131072}
    assert dict(zip(header, rows[2]))["largest_params_b"] == "", "an undisclosed size is an empty cell"
    _, lineage_rows = CHARTS["lineage"].rows(FIXTURE)
    assert [(r[0], r[4], r[5]) for r in lineage_rows] == [("alpha", "", ""), ("beta", "successor", "alpha"),
                                                          ("gamma", "built-on", "beta")]
    _, scale_rows = CHARTS["parameter-scale"].rows(FIXTURE)
    assert [(r[2], r[4], r[5]) for r in scale_rows] == [
        ("Alpha-7B", "dense", 7), ("Beta-14B", "dense", 14),
        ("Beta-30B-A3B", "moe-total", 30), ("Beta-30B-A3B", "moe-active", 3)]


def test_summaries_on_fixture() -> None:
    timeline = CHARTS["release-timeline"].summary(FIXTURE)
    assert "3 releases" in timeline and "3 Aug 2023" in timeline and "28 Jan 2025" in timeline, timeline
    assert "2 with open weights" in timeline and "1 closed" in timeline, timeline
    assert "2 parent links" in CHARTS["lineage"].summary(FIXTURE)
    assert "30B" in CHARTS["parameter-scale"].summary(FIXTURE) and "Beta" in CHARTS["parameter-scale"].summary(FIXTURE)
    assert "128K" in CHARTS["context-length"].summary(FIXTURE)
    assert "2 techniques" in CHARTS["technique-adoption"].summary(FIXTURE)


def test_hover_escapes_data_strings() -> None:
    evil = "<img src=x onerror=alert(1)> & co"
    data = replace(FIXTURE, models=tuple(replace(m, name=evil, variants=tuple(replace(v, name=f"{evil} {v.name}") for v in m.variants))
                                         if m.id == "beta" else m for m in FIXTURE.models))
    for slug in RELEASE_SLUGS:
        traces = marker_traces(CHARTS[slug].figure(data))
        texts = [h for t in traces for h in t.hovertext]
        assert not any("<img" in h for h in texts), f"{slug}: a release name reached the hover label unescaped"
        if any("beta" in (t.customdata or ()) for t in traces):  # the chart plots the poisoned release
            assert any("&lt;img src=x onerror=alert(1)&gt; &amp; co" in h for h in texts), f"{slug}: name not shown escaped"


# ---------------------------------------------------------------- every chart, real data: the shared contract

def test_registry_keys_are_the_charts_slugs() -> None:
    assert all(isinstance(c, Chart) and c.slug == s for s, c in CHARTS.items()), "each key is its chart's slug"
    assert len({c.title for c in CHARTS.values()}) == len(CHARTS), "each chart has a title of its own"
    with pytest.raises(KeyError, match="known charts: release-timeline"):
        chart("no-such-chart")


@pytest.mark.parametrize("slug", SLUGS)
def test_layout_contract(slug: str, real: Dataset) -> None:
    chart = CHARTS[slug]
    fig = chart.figure(real)
    layout = fig.to_dict()["layout"]
    assert "template" not in layout, f"{slug}: set no template; the site applies light and dark templates itself"
    assert layout["meta"] == {"slug": slug}, f"{slug}: layout.meta must carry the slug"
    width, height = chart.dimensions(real)
    assert layout["height"] == height and 420 <= chart.height <= 640, f"{slug}: height must match the registry"
    if chart.size is None:
        assert "width" not in layout and layout["autosize"] is True, f"{slug}: no fixed width; the page sizes the chart"
    else:
        assert (layout["width"], layout["autosize"]) == (width, False), f"{slug}: a chart of its own size keeps it"
    assert layout["paper_bgcolor"] == layout["plot_bgcolor"] == "rgba(0,0,0,0)", f"{slug}: backgrounds must be clear"
    assert layout["hovermode"] == "closest" and layout["legend"]["orientation"] == "h", f"{slug}: hover/legend"
    assert layout["title"]["text"] and layout["xaxis"]["title"]["text"] and layout["yaxis"]["title"]["text"], \
        f"{slug}: the chart and both axes need titles"
    assert chart.title and chart.caption.endswith("."), f"{slug}: give the registry entry a title and a sentence"


@pytest.mark.parametrize("slug", SLUGS)
def test_deterministic(slug: str, real: Dataset) -> None:
    chart = CHARTS[slug]
    assert chart.figure(real).to_json() == chart.figure(real).to_json(), f"{slug}: same data must give the same JSON"
    assert chart.rows(real) == chart.rows(real) and chart.summary(real) == chart.summary(real), f"{slug}: rows/summary"


@pytest.mark.parametrize("slug", SLUGS)
def test_json_stays_compact(slug: str, real: Dataset) -> None:
    size = len(CHARTS[slug].figure(real).to_json())
    assert size < 60_000, f"{slug}: figure JSON is {size} bytes; round floats and use scalars instead of arrays"


@pytest.mark.parametrize("slug", RELEASE_SLUGS)
def test_every_point_opens_a_known_release(slug: str, real: Dataset) -> None:
    fig, ids = CHARTS[slug].figure(real), {m.id for m in real.models}
    allowed = ids
    for t in fig.data:
        if "markers" in (t.mode or ""):
            assert t.customdata is not None and len(t.customdata) == len(t.x), f"{slug}/{t.name}: customdata per point"
            assert set(t.customdata) <= allowed, f"{slug}/{t.name}: unknown release ids {set(t.customdata) - allowed}"
            assert len(t.hovertext) == len(t.x), f"{slug}/{t.name}: a hover label per point"
        else:
            assert t.hoverinfo == "skip" and t.customdata is None, f"{slug}/{t.name}: lines carry no hover or ids"


def expected_rows(slug: str, fig: go.Figure, data: Dataset) -> int:
    """How many rows the CSV must have: one per plotted point (lineage: one per link, plus each root)."""
    if slug == "lineage":
        links = sum(len(segments(t)) for t in fig.data if t.mode == "lines")
        return links + sum(1 for m in data.models if not m.parents)
    return sum(len(t.x) for t in marker_traces(fig))


@pytest.mark.parametrize("slug", RELEASE_SLUGS)
def test_rows_cover_every_point(slug: str, real: Dataset) -> None:
    chart = CHARTS[slug]
    fig = chart.figure(real)
    header, rows = chart.rows(real)
    assert len(rows) == expected_rows(slug, fig, real), f"{slug}: rows() must have a row per plotted point"
    assert all(len(r) == len(header) for r in rows), f"{slug}: every row needs one cell per header column"
    cells = [c for r in rows for c in r]
    assert all(type(c) in (str, int, float) for c in cells), f"{slug}: cells must be plain str, int or float"
    id_column = header.index("release_id")
    plotted = {c for _, _, _, c in points(fig)}
    assert {r[id_column] for r in rows} == plotted, f"{slug}: rows and figure must show the same releases"


def summary_count(slug: str, data: Dataset) -> str | None:
    """The computed phrase a summary must contain, for the charts whose summary states a count."""
    return {
        "release-timeline": f"{len(data.models)} releases",
        "lineage": f"{sum(len(m.parents) for m in data.models)} parent links",
        "parameter-scale": f"{sum(len(m.sized) for m in data.models)} variants",
        "context-length": f"{sum(1 for m in data.models if m.longest_context)} releases",
        "technique-adoption": f"{sum(1 for t in data.techniques if data.models_using(t.id))} techniques",
    }.get(slug)


@pytest.mark.parametrize("slug", RELEASE_SLUGS)
def test_summary_states_computed_count(slug: str, real: Dataset) -> None:
    summary, count = CHARTS[slug].summary(real), summary_count(slug, real)
    assert count is None or count in summary, f"{slug}: summary must state {count!r}: {summary}"
    assert summary != CHARTS[slug].caption, f"{slug}: give the chart a summary computed from the data (summarise=...)"
    assert 1 <= summary.count(". ") + 1 <= 3, f"{slug}: keep the summary to one to three sentences: {summary}"


# ---------------------------------------------------------------- each chart, real data: its own properties

def test_timeline_shows_every_release_once(real: Dataset) -> None:
    fig = figures.release_timeline(real)
    seen = Counter(c for _, _, _, c in points(fig))
    assert seen == Counter(m.id for m in real.models), "every release must appear exactly once on the time line"
    for name, x, y, c in points(fig):
        m = real.model(c)
        assert (name, x, y) == (fmt.weights(m), m.released.value.isoformat(), fmt.TRACKS[m.track]), f"{c}: misplaced"
    symbols = [t.marker.symbol for t in fig.data]
    assert len(set(symbols)) == len(symbols), "weights states must differ by marker symbol, not colour alone"


def test_timeline_marker_grows_with_size(real: Dataset) -> None:
    fig = figures.release_timeline(real)
    sizes = {c: s for t in fig.data for c, s in zip(t.customdata, t.marker.size, strict=True)}
    ranked = sorted(real.models, key=lambda m: (m.largest_params_b is not None, m.largest_params_b or 0))
    assert [sizes[m.id] for m in ranked] == sorted(sizes[m.id] for m in ranked), \
        "a larger disclosed model must never get a smaller marker (and undisclosed the smallest)"


def test_lineage_draws_every_parent_link(real: Dataset) -> None:
    fig = figures.lineage(real)
    nodes = trace(fig, "Release")
    assert Counter(nodes.customdata) == Counter(m.id for m in real.models), "each release is one node"
    pos = {c: (x, y) for x, y, c in zip(nodes.x, nodes.y, nodes.customdata, strict=True)}
    assert len(set(pos.values())) == len(pos), "two releases share a position: spread same-lane, same-month nodes"
    links = Counter((p.relation, p.id, m.id) for m in real.models for p in m.parents)
    edges = [t for t in fig.data if t.mode == "lines"]
    release_at = {xy: release_id for release_id, xy in pos.items()}
    drawn: Counter[tuple[str, str, str]] = Counter()
    for t in edges:
        relation = next(r for r in fmt.RELATIONS if figures.relation_label(r) == t.name)
        drawn.update((relation, release_at[a], release_at[b]) for a, b in segments(t))
    assert drawn == links, "every parent link must be drawn once, from parent to child, in its relation's trace"
    styles = [(t.line.color, t.line.dash) for t in edges]
    assert len(set(styles)) == len(styles), "each relation needs its own colour and dash pair"
    assert len(edges) == len({p.relation for m in real.models for p in m.parents}), "one trace per relation used"


def test_parameter_scale_plots_every_disclosed_variant(real: Dataset) -> None:
    fig = figures.parameter_scale(real)
    dense, total, active = trace(fig, "Dense (total)"), trace(fig, "MoE total"), trace(fig, "MoE active")
    assert fig.layout.yaxis.type == "log", "parameters must be on a log axis"

    def plotted(t: Any, name: str) -> list[tuple[str, Any, str]]:
        return [(x, y, c) for x, y, c, h in zip(t.x, t.y, t.customdata, t.hovertext, strict=True) if name in h]

    for m in real.models:
        for v in m.sized:
            at = m.variant_released(v).value.isoformat()
            if v.is_moe:
                assert (at, v.params_b, m.id) in plotted(total, v.name), f"{v.name}: missing from MoE total"
                assert (at, v.active_params_b, m.id) in plotted(active, v.name), f"{v.name}: missing from MoE active"
            else:
                assert (at, v.params_b, m.id) in plotted(dense, v.name), f"{v.name}: missing from the dense trace"
    connector = trace(fig, "MoE total → active")
    assert len(segments(connector)) == len(total.x) == len(active.x), "one connector per MoE point pair"
    assert connector.showlegend is False and connector.hoverinfo == "skip"


def test_context_length_places_each_release_where_its_window_grew(real: Dataset) -> None:
    fig = figures.context_length(real)
    assert fig.layout.yaxis.type == "log", "context must be on a log axis"
    assert list(fig.layout.yaxis.ticktext) == [fmt.tokens(v) for v in fig.layout.yaxis.tickvals], "ticks like 32K"
    with_context = [m for m in real.models if m.longest_context]
    assert {c for _, _, _, c in points(fig)} == {m.id for m in with_context}, "every release with a window is plotted"
    by_release: dict[str, list[tuple[str, int, int]]] = {}
    for t in fig.data:
        for x, y, c, up in zip(t.x, t.y, t.customdata, t.error_y.array, strict=True):
            assert t.name == fmt.TRACKS[real.model(c).track], f"{c}: in the wrong track's trace"
            by_release.setdefault(c, []).append((x, y, y + up))
    for m in with_context:
        steps = sorted(by_release[m.id])
        assert steps[0][0] == min(m.variant_released(v).value.isoformat() for v in m.variants if v.context or v.context_max), \
            f"{m.id}: the first point is the first variant with a window"
        assert steps[-1][2] == m.longest_context, f"{m.id}: the last step reaches the release's longest window"
        tops = [top for _, _, top in steps]
        assert all((b[1], b[2]) != (a[1], a[2]) and b[2] >= a[2] for a, b in zip(steps, steps[1:])), f"{m.id}: a step only where the window grew"
        assert tops == sorted(tops)


def test_technique_adoption_stars_each_first_use(real: Dataset) -> None:
    fig = figures.technique_adoption(real)
    first, used = trace(fig, "First use in the family"), trace(fig, "Release using it")
    labels = figures.technique_labels(real.techniques)
    adopted = [t for t in real.techniques if real.models_using(t.id)]
    stars = Counter(zip(first.y, first.x, first.customdata))
    for t in adopted:
        m = real.model(t.first_release)
        assert stars[(labels[t.id], m.released.value.isoformat(), m.id)] == 1, f"{t.id}: star its first_release once"
    assert len(first.x) == len(adopted), "exactly one first-use star per technique with users"
    pairs = Counter(zip(list(first.y) + list(used.y), list(first.customdata) + list(used.customdata)))
    assert pairs == Counter((labels[t.id], m.id) for t in adopted for m in real.models_using(t.id)), \
        "every release listing a technique must appear once in its row"
    order = list(fig.layout.yaxis.categoryarray)
    by_row = sorted(adopted, key=lambda t: order.index(labels[t.id]))
    dates = [real.model(t.first_release).released.value for t in by_row]
    assert dates == sorted(dates) and fig.layout.yaxis.autorange == "reversed", "rows by first use, earliest on top"


# ---------------------------------------------------------------- 6, 7. adoption charts on the fixture

def test_downloads_one_line_per_scope_never_joined() -> None:
    fig = figures.downloads(FIXTURE)
    assert [t.name for t in fig.data] == [figures.SCOPES["hugging-face"][0]], "the fixture has one scope: one line"
    assert list(fig.data[0].y) == [1.0, 5.0] and list(fig.data[0].x) == ["2024-06-01", "2025-01-10"]
    assert list(fig.data[0].marker.symbol) == ["triangle-up", "circle"], "'at least' figures are triangles"
    assert list(fig.data[0].customdata) == ["alpha", None]


def test_downloads_separates_scopes(real: Dataset) -> None:
    fig = figures.downloads(real)
    points = figures.download_points(real)
    assert len(fig.data) == len({m.scope for m in points}), "one trace per scope"
    for trace in fig.data:
        scope = next(s for s, (label, *_) in figures.SCOPES.items() if label == trace.name)
        assert len(trace.x) == sum(1 for m in points if m.scope == scope), f"{scope}: only its own figures"


def test_arena_elo_bars_best_first() -> None:
    fig = figures.arena_elo(FIXTURE)
    assert fig.data[0].type == "bar" and list(fig.data[0].x) == [1400] and fig.layout.yaxis.autorange == "reversed"
    assert fig.data[0].marker.color[0] == figures.VERMILLION, "Alibaba's bar is highlighted"


@pytest.mark.parametrize("slug", ["downloads", "arena-elo"])
def test_adoption_charts_rows_points_and_ids(slug: str, real: Dataset) -> None:
    """Adoption figures need not concern one release: a point carries a release id or None, never an unknown id."""
    fig, (header, rows) = CHARTS[slug].figure(real), CHARTS[slug].rows(real)
    plotted = sum(len(t.x) for t in fig.data)
    assert len(rows) == plotted and all(len(r) == len(header) for r in rows), f"{slug}: a row per plotted point"
    ids = {m.id for m in real.models} | {None}
    assert all(set(t.customdata) <= ids for t in fig.data), f"{slug}: unknown release ids"
    assert str(plotted) in CHARTS[slug].summary(real) or f"of {plotted}" in CHARTS[slug].summary(real)


# ---------------------------------------------------------------- landmarks and labels: computed, never typed

def test_landmarks_on_fixture() -> None:
    marks = figures.landmarks(FIXTURE)
    assert [(m.reasons, m.variant.name) for m in marks] == [(("first-moe", "largest"), "Beta-30B-A3B")], \
        "the fixture's one MoE (30B) is also its largest: one callout with both reasons; no 1M window, no numbered generation"
    timeline = figures.release_timeline(FIXTURE)
    assert [(a.text, a.x, a.y) for a in _page_notes(timeline)] == [
        ("First MoE · Largest: Beta-30B-A3B (1 Jul 2024)", "2024-06-01", 1)], \
        "on the timeline the callout points at beta's release (Code lane), with the variant's own date"
    scale = figures.parameter_scale(FIXTURE)
    assert [(a.text, a.x, a.y) for a in _page_notes(scale)] == [
        ("First MoE · Largest: Beta-30B-A3B", "2024-07-01", pytest.approx(math.log10(30)))], \
        "on the scale chart it points at the 30B point (a log axis takes the exponent)"
    assert not figures.context_length(FIXTURE).layout.annotations, "no window reaches 1M tokens in the fixture"


def test_landmarks_are_what_the_data_says(real: Dataset) -> None:
    marks = figures.landmarks(real)
    by_reason = {r: m for m in marks for r in m.reasons if r != "flagship"}
    variants = [(m, v, m.variant_released(v).value) for m in real.models for v in m.variants]
    moe = by_reason["first-moe"]
    assert moe.variant.is_moe and not [v for _, v, d in variants if v.is_moe and d < moe.released.value]
    long = by_reason["first-1m-context"]
    assert (long.variant.context_max or long.variant.context or 0) >= 1_000_000
    assert not [v for _, v, d in variants if (v.context_max or v.context or 0) >= 1_000_000 and d < long.released.value]
    largest = by_reason["largest"]
    assert not [v for _, v, _ in variants if (v.params_b or 0) > (largest.variant.params_b or 0)]
    flagships = [m for m in marks if "flagship" in m.reasons]
    generations = [fmt.generation(real, m.model) for m in flagships]
    assert len(generations) == len(set(generations)) and fmt.OTHER not in generations, "one flagship per numbered generation"
    for mark, generation in zip(flagships, generations, strict=True):
        rivals = [v for m, v, _ in variants if m.track in figures.FLAGSHIP_TRACKS and fmt.generation(real, m) == generation]
        assert mark.variant.params_b == max(v.params_b or 0 for v in rivals), f"{generation}: the flagship is its largest"
    called = [m.variant.name for m in marks]
    assert len(called) == len(set(called)), "a model is called out once, with all its reasons"


def test_timeline_scale_and_context_charts_call_out_the_landmarks(real: Dataset) -> None:
    marks = figures.landmarks(real)
    lanes = list(figures.release_timeline(real).layout.yaxis.categoryarray)
    timeline = {a.text: a for a in _page_notes(figures.release_timeline(real))}
    for mark in marks:
        found = [a for text, a in timeline.items() if text.startswith(mark.text)]
        assert len(found) == 1, f"the timeline must call out {mark.text}"
        assert (found[0].x, found[0].y) == (mark.model.released.value.isoformat(), lanes.index(fmt.TRACKS[mark.model.track]))
    scale = {a.text: a for a in _page_notes(figures.parameter_scale(real))}
    sized = [m for m in marks if m.variant.params_b is not None]
    assert set(scale) == {m.text for m in sized}, "the scale chart calls out every landmark with a size"
    for mark in sized:
        assert (scale[mark.text].x, scale[mark.text].y) == (mark.released.value.isoformat(), pytest.approx(math.log10(mark.variant.params_b)))
    context = _page_notes(figures.context_length(real))
    first = next(m for m in marks if "first-1m-context" in m.reasons)
    assert [a.text for a in context] == [first.text] and context[0].x == first.released.value.isoformat()
    for fig in (figures.release_timeline(real), figures.parameter_scale(real), figures.context_length(real)):
        for a in fig.layout.annotations:
            assert a.font.size >= 11 and a.showarrow, f"{a.text}: callouts are 11 px or more, with a leader line to their point"
        for a in _page_notes(fig):
            assert a.name == ("detail" if a.text.startswith("Flagship:") else "key"), "flagships give way on phones; the rest stay"
        phone = [(a.text, a.x, a.y) for a in fig.layout.annotations if a.name == "narrow"]
        assert phone == [(a.text, a.x, a.y) for a in _page_notes(fig) if a.name == "key"], \
            "the key callouts are placed again for a phone's plot, pointing at the same points"
        assert all(a.visible is False for a in fig.layout.annotations if a.name == "narrow"), "the phone's callouts start hidden"


def _page_notes(fig: go.Figure) -> list:
    """The callouts a page's chart shows at the column's width (not those placed for a phone)."""
    return [a for a in fig.layout.annotations if a.name != "narrow"]


def test_phone_images_keep_the_key_callouts_only(real: Dataset) -> None:
    from macros import embed

    fig = CHARTS["release-timeline"].figure(real)
    narrow = embed.themed(fig, "light", page=True, narrow=True)
    shown = [a for a in narrow.layout.annotations if a.visible is not False]
    assert shown and all(a.name == "narrow" for a in shown), "on a phone only the key callouts remain, placed for its width"
    assert len(shown) == sum(1 for m in figures.landmarks(real) if m.key)
    wide = embed.themed(fig, "light", page=True)
    assert all((a.visible is not False) == (a.name != "narrow") for a in wide.layout.annotations), \
        "at the column's width every callout shows, and none of the phone's"


def test_lines_are_named_where_they_end_not_in_a_legend() -> None:
    fig = figures.downloads(FIXTURE)
    line = fig.data[0]
    assert line.showlegend is False, "the line is named in place"
    assert [(a.text, a.x, a.y, a.name) for a in fig.layout.annotations] == [
        (figures.esc(figures.SCOPES["hugging-face"][3]), line.x[-1], line.y[-1], name) for name in ("key", "narrow")], \
        "its name sits at its last point, on a page and on a phone"


def test_callouts_keep_apart_and_inside_the_plot() -> None:
    crowd = [figures.Callout("2024-01-01", 0, 5, 100, f"Label number {i}") for i in range(4)]
    placed = figures.place(crowd, (400, 300))
    boxes = []
    for c, a in zip(crowd, placed, strict=True):
        w = figures.label_width(c.text)
        left, top = c.px + a["ax"] - w / 2, c.py + a["ay"] - figures.LABEL_HEIGHT / 2
        boxes.append((left, top, left + w, top + figures.LABEL_HEIGHT))
    assert all(b[0] >= 0 and b[2] <= 400 for b in boxes), "a label near the edge slides inside the plot"
    assert not any(figures.overlaps(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]), "four labels on one point keep apart"


def test_key_callouts_are_placed_again_for_a_phone() -> None:
    crowd = [figures.Callout("2024-01-01", 0, 300 + 40 * i, 100, f"Key label number {i}") for i in range(3)]
    crowd.append(figures.Callout("2024-01-01", 0, 500, 100, "A detail that gives way", key=False))
    placed = figures.place(crowd, (600, 300), narrow=(200, 300))
    phone = [a for a in placed if a["name"] == "narrow"]
    assert [a["text"] for a in phone] == [c.text for c in crowd if c.key], "every key callout, and only those"
    boxes = []
    for c, a in zip(crowd, phone, strict=False):
        w, px = figures.label_width(c.text), c.px * 200 / 600
        left = px + a["ax"] - w / 2
        boxes.append((left, c.py + a["ay"] - figures.LABEL_HEIGHT / 2, left + w, c.py + a["ay"] + figures.LABEL_HEIGHT / 2))
    assert all(b[0] >= 0 and b[2] <= 200 for b in boxes), "at the phone's width each label still fits the plot"
    assert not any(figures.overlaps(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]), "and the labels keep apart"
