"""Pure figure builders: records in, plotly Figure out. No file access, no template, no state.

Every point carries its release id as `customdata` so the site's script can open the release; hover
text sits in `hovertext` and every data string in it is escaped. The site applies the light or dark
template itself, so figures set no `template` and keep transparent backgrounds.
"""

from __future__ import annotations

import html
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import plotly.graph_objects as go

from . import fmt
from .architecture import LINES, line_picks
from .records import Dataset, Milestone, Model, PartialDate, Technique, Variant

# Okabe–Ito: told apart under every common colour-vision deficiency.
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")
# Marks use the six that stay visible on white and on near-black without an outline (not yellow, not black).
ORANGE, SKY, GREEN, YELLOW, BLUE, VERMILLION, PURPLE, BLACK = OKABE_ITO
GREY = "#8C8C8C"  # mid grey: connectors, readable on light and dark
OUTLINE = "#444444"  # marker edges: keep white and light fills visible on a white page
TRANSPARENT = "rgba(0,0,0,0)"

# Weights state -> (symbol, colour): filled = open, hollow = closed, so colour is never the only cue.
WEIGHT_STYLES = {"Open": ("circle", BLUE), "Partly open": ("diamond-open-dot", ORANGE), "Closed": ("circle-open", VERMILLION)}
# Relation -> (colour, dash): the six most used differ from each other in both colour and dash.
# Dash periods stay short so that each pattern shows in a legend sample.
RELATION_STYLES = {
    "successor": (BLUE, "solid"),
    "built-on": (VERMILLION, "6px,4px"),
    "specialisation": (GREEN, "dot"),
    "multimodal-extension": (PURPLE, "dashdot"),
    "update": (ORANGE, "12px,4px"),
    "final-release": (SKY, "8px,3px,2px,3px,2px,3px"),
    "long-context": (SKY, "6px,4px"),
    "reasoning": (GREEN, "12px,4px"),
    "hosted-counterpart": (PURPLE, "dot"),
    "distillation": (ORANGE, "dashdot"),
}
# Track -> (colour, symbol): every pair differs, and tracks that share a colour differ in shape.
TRACK_STYLES = {
    "base": (BLUE, "circle"),
    "coder": (VERMILLION, "diamond"),
    "math": (GREEN, "square"),
    "vision": (PURPLE, "triangle-up"),
    "audio": (ORANGE, "triangle-down"),
    "omni": (SKY, "pentagon"),
    "reasoning": (GREEN, "hexagon"),
    "image": (PURPLE, "square"),
    "embedding": (ORANGE, "square"),
    "safety": (VERMILLION, "triangle-down"),
    "api": (ORANGE, "triangle-up"),
    "speech": (BLUE, "triangle-down"),
    "translation": (GREEN, "diamond"),
    "embodied": (VERMILLION, "square"),
    "agent": (VERMILLION, "cross"),
    "reward": (BLUE, "star"),
}
SIZE_SERIES = {
    "dense": ("Dense (total)", "circle", BLUE),
    "moe-total": ("MoE total", "diamond", VERMILLION),
    "moe-active": ("MoE active", "triangle-down-open", GREEN),
}


# ---------------------------------------------------------------- shared helpers


def esc(value: object) -> str:
    """Escape a data string for plotly's label markup: &, < and > (plotly decodes no &quot;)."""
    return html.escape(str(value), quote=False)


def day(released: PartialDate) -> str:
    """Plot a date: ISO day, with month-precision dates at the 1st."""
    return released.value.isoformat()


def lanes(models: Iterable[Model]) -> list[str]:
    """List the track ids present, in the fixed fmt.TRACKS order."""
    present = {m.track for m in models}
    return [t for t in fmt.TRACKS if t in present]


def by_date(models: Iterable[Model]) -> list[Model]:
    """Sort releases oldest first, ties by id."""
    return sorted(models, key=lambda m: (m.released.value, m.id))


def relation_label(relation: str) -> str:
    """Name a relation for a legend: 'multimodal-extension' -> 'Multimodal extension'."""
    return relation.replace("-", " ").capitalize()


def relation_style(relation: str) -> tuple[str, str]:
    """Give a relation its (colour, dash) pair; unknown relations get a grey dotted line."""
    return RELATION_STYLES.get(relation, (GREY, "dot"))


def track_style(track: str) -> tuple[str, str]:
    """Give a track its (colour, symbol) pair; unknown tracks get a grey cross."""
    return TRACK_STYLES.get(track, (GREY, "cross"))


def hover(title: str, *lines: str) -> str:
    """Join a bold title and the non-empty lines of a hover label (strings already escaped)."""
    return "<br>".join([f"<b>{title}</b>", *(line for line in lines if line)])


def log_ticks(low: float, high: float, steps: tuple[float, ...] = (1, 2, 5)) -> list[float]:
    """Round tick values (1, 2, 5 × 10^n) covering [low, high] on a log axis."""
    first, last = math.floor(math.log10(low)), math.ceil(math.log10(high))
    values = [round(s * 10**e, 6) for e in range(first, last + 1) for s in steps]
    return [v for v in values if low / 2.1 <= v <= high * 2.1]


def token_ticks(low: int, high: int) -> list[int]:
    """Context ticks as people say them: 1K … 512K by doubling, then 1M, 2M, 4M …"""
    values = [1024 * 2**k for k in range(10)] + [1_000_000 * 2**k for k in range(8)]
    return [v for v in values if low / 1.9 <= v <= high * 1.9]


def style(fig: go.Figure, x_title: str, y_title: str, legend_title: str = "") -> go.Figure:
    """Apply the layout every chart shares: clear background, bottom legend, no template. The chart registry
    (macros/charts.py) adds each chart's slug, title and height."""
    fig.update_layout(
        autosize=True,
        hovermode="closest",
        paper_bgcolor=TRANSPARENT,
        plot_bgcolor=TRANSPARENT,
        margin={"l": 8, "r": 16, "t": 48, "b": 8},
        legend={
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "y": 0,
            "yref": "container",
            "yanchor": "bottom",
            "title": {"text": legend_title, "side": "top"},
            "itemsizing": "constant",
        },
        xaxis={"title": {"text": x_title}, "type": "date", "automargin": True},
        yaxis={"title": {"text": y_title}, "automargin": True},
    )
    fig.layout.template = None  # go.Figure() copies plotly's default template in; the site brings its own
    return fig


# ---------------------------------------------------------------- 1. release timeline


def marker_size(params_b: float | None) -> float:
    """Size a marker by the log of the largest disclosed size; a fixed small size when undisclosed."""
    return 6.0 if params_b is None else round(7 + 5.5 * math.log10(1 + params_b), 1)


def release_hover(m: Model) -> str:
    """Label a release for hover: name, date, sizes, context, weights."""
    return hover(
        esc(m.name),
        f"{esc(m.released.label)} · {esc(fmt.TRACKS[m.track])}",
        f"Sizes: {esc(fmt.sizes(m)) or 'undisclosed'}",
        f"Context: {esc(fmt.context(m)) or 'undisclosed'}",
        f"Weights: {fmt.weights(m)}",
    )


def release_timeline(data: Dataset) -> go.Figure:
    """Plot every release on a date axis, one lane per track, sized by its largest model."""
    fig = go.Figure()
    models = by_date(data.models)
    for state, (symbol, colour) in WEIGHT_STYLES.items():
        group = [m for m in models if fmt.weights(m) == state]
        if group:
            fig.add_trace(
                go.Scatter(
                    name=state,
                    mode="markers",
                    x=[day(m.released) for m in group],
                    y=[fmt.TRACKS[m.track] for m in group],
                    customdata=[m.id for m in group],
                    hovertext=[release_hover(m) for m in group],
                    hovertemplate="%{hovertext}<extra></extra>",
                    marker={
                        "symbol": symbol,
                        "color": colour,
                        "size": [marker_size(m.largest_params_b) for m in group],
                        "opacity": 0.85,
                        "line": {"width": 2, "color": colour},
                    },
                )
            )
    style(fig, "Release date", "Track", "Weights (larger marker = larger model):")
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=[fmt.TRACKS[t] for t in lanes(models)], autorange="reversed")
    return fig


# ---------------------------------------------------------------- 2. lineage


def lineage_positions(models: Iterable[Model]) -> dict[str, tuple[str, float]]:
    """Place each release at (date, lane), spreading releases of one lane and month apart."""
    ordered = by_date(models)
    lane_of = {t: i for i, t in enumerate(lanes(ordered))}
    groups: dict[tuple[str, int, int], list[Model]] = defaultdict(list)
    for m in ordered:
        groups[(m.track, m.released.value.year, m.released.value.month)].append(m)
    positions = {}
    for (track, _, _), members in groups.items():
        step = min(0.28, 0.7 / max(len(members) - 1, 1))
        for k, m in enumerate(members):
            positions[m.id] = (day(m.released), round(lane_of[track] + (k - (len(members) - 1) / 2) * step, 3))
    return positions


def lineage_edges(data: Dataset) -> list[tuple[Model, Model, str]]:
    """List every parent link as (parent, child, relation), children oldest first."""
    known = {m.id: m for m in data.models}
    return [(known[p.id], m, p.relation) for m in by_date(data.models) for p in m.parents if p.id in known]


def lineage_hover(m: Model, names: dict[str, str]) -> str:
    """Label a lineage node for hover: name, date and each parent with its relation."""
    parents = [f"{esc(fmt.RELATIONS.get(p.relation, p.relation))} {esc(names.get(p.id, p.id))}" for p in m.parents]
    return hover(esc(m.name), esc(m.released.label), *(parents or ["no recorded parent"]))


def lineage(data: Dataset) -> go.Figure:
    """Draw the typed lineage graph: releases by date and lane, one line trace per relation."""
    fig = go.Figure()
    models = by_date(data.models)
    pos = lineage_positions(models)
    edges = lineage_edges(data)
    relations = [r for r in fmt.RELATIONS if any(e[2] == r for e in edges)]
    relations += sorted({e[2] for e in edges} - set(relations))
    for relation in relations:
        pairs = [(pos[p.id], pos[c.id]) for p, c, r in edges if r == relation]
        colour, dash = relation_style(relation)
        fig.add_trace(
            go.Scatter(
                name=relation_label(relation),
                mode="lines",
                hoverinfo="skip",
                x=[v for a, b in pairs for v in (a[0], b[0], None)],
                y=[v for a, b in pairs for v in (a[1], b[1], None)],
                line={"color": colour, "dash": dash, "width": 1.6},
            )
        )
    names = {m.id: m.name for m in models}
    fig.add_trace(
        go.Scatter(
            name="Release",
            mode="markers",
            showlegend=False,
            x=[pos[m.id][0] for m in models],
            y=[pos[m.id][1] for m in models],
            customdata=[m.id for m in models],
            hovertext=[lineage_hover(m, names) for m in models],
            hovertemplate="%{hovertext}<extra></extra>",
            marker={"symbol": "circle", "size": 9, "color": "#FFFFFF", "line": {"width": 1.5, "color": OUTLINE}},
        )
    )
    track_ids = lanes(models)
    style(fig, "Release date", "Track", "Parent → child link:")
    fig.update_yaxes(
        tickmode="array",
        tickvals=list(range(len(track_ids))),
        ticktext=[fmt.TRACKS[t] for t in track_ids],
        autorange="reversed",
        zeroline=False,
    )
    return fig


# ---------------------------------------------------------------- 3. parameter scale


@dataclass(frozen=True)
class SizePoint:
    """Variants of one release that share a size and a date: drawn as one point per series."""

    model: Model
    released: PartialDate
    variants: tuple[Variant, ...]

    @property
    def total(self) -> float:
        return self.variants[0].params_b or 0.0

    @property
    def active(self) -> float | None:
        return self.variants[0].active_params_b

    @property
    def names(self) -> str:
        return " · ".join(v.name for v in self.variants)


def size_points(data: Dataset) -> list[SizePoint]:
    """Group disclosed variants by (release, date, total, active), so twins share one point."""
    groups: dict[tuple[Model, PartialDate, float, float | None], list[Variant]] = defaultdict(list)
    for m in data.models:
        for v in m.sized:
            groups[(m, m.variant_released(v), v.params_b or 0.0, v.active_params_b)].append(v)
    points = [SizePoint(m, released, tuple(vs)) for (m, released, *_), vs in groups.items()]
    return sorted(points, key=lambda p: (p.released.value, p.model.id, p.total, p.active or 0.0))


def size_series(point: SizePoint) -> list[tuple[str, float]]:
    """Split a size point into the (series, billions) it is drawn as: dense, or MoE total and active."""
    if point.active is None:
        return [("dense", point.total)]
    return [("moe-total", point.total), ("moe-active", point.active)]


def size_hover(point: SizePoint, series: str) -> str:
    """Label a size point for hover: variant names, release, size label and what is measured."""
    what = {"dense": "dense", "moe-total": "total parameters", "moe-active": "active parameters"}[series]
    return hover(
        esc(point.names), f"{esc(point.model.name)} · {esc(point.released.label)}", f"{esc(fmt.size_label(point.variants[0]))} ({what})"
    )


def parameter_scale(data: Dataset) -> go.Figure:
    """Plot every disclosed size over time on a log axis: dense, MoE total and MoE active."""
    fig = go.Figure()
    points = size_points(data)
    moe = [p for p in points if p.active is not None]
    fig.add_trace(
        go.Scatter(
            name="MoE total → active",
            mode="lines",
            showlegend=False,
            hoverinfo="skip",
            x=[v for p in moe for v in (day(p.released), day(p.released), None)],
            y=[v for p in moe for v in (p.total, p.active, None)],
            line={"color": GREY, "width": 1},
        )
    )
    for series, (label, symbol, colour) in SIZE_SERIES.items():
        drawn = [(p, b) for p in points for s, b in size_series(p) if s == series]
        fig.add_trace(
            go.Scatter(
                name=label,
                mode="markers",
                x=[day(p.released) for p, _ in drawn],
                y=[b for _, b in drawn],
                customdata=[p.model.id for p, _ in drawn],
                hovertext=[size_hover(p, series) for p, _ in drawn],
                hovertemplate="%{hovertext}<extra></extra>",
                marker={"symbol": symbol, "color": colour, "size": 10, "opacity": 0.85, "line": {"width": 1.5, "color": colour}},
            )
        )
    style(fig, "Release date", "Parameters (log scale)")
    sizes = [b for p in points for _, b in size_series(p)] or [1.0]
    ticks = log_ticks(min(sizes), max(sizes))
    fig.update_yaxes(type="log", tickmode="array", tickvals=ticks, ticktext=[fmt.params(v) for v in ticks])
    return fig


# ---------------------------------------------------------------- 4. context length


def context_points(data: Dataset) -> list[Model]:
    """List the releases with a disclosed context window, oldest first."""
    return [m for m in by_date(data.models) if m.longest_context]


def plotted_context(m: Model) -> int:
    """Place a release at its native context, or at its longest when native is missing."""
    return m.native_context or m.longest_context or 0


def extension(m: Model) -> int:
    """Measure how far the extended maximum reaches above the plotted point (0 when it does not)."""
    return max((m.longest_context or 0) - plotted_context(m), 0)


def context_hover(m: Model) -> str:
    """Label a context point for hover: name, date, native and extended context."""
    native = f"Native: {fmt.tokens(m.native_context)}" if m.native_context else "Native: undisclosed"
    longest = f"Extended: up to {fmt.tokens(m.longest_context)}" if m.longest_context and (extension(m) or not m.native_context) else ""
    return hover(esc(m.name), f"{esc(m.released.label)} · {esc(fmt.TRACKS[m.track])}", native, longest)


def context_length(data: Dataset) -> go.Figure:
    """Plot each release's context window over time on a log axis, extension as an upward bar."""
    fig = go.Figure()
    points = context_points(data)
    for track in lanes(points):
        group = [m for m in points if m.track == track]
        colour, symbol = track_style(track)
        fig.add_trace(
            go.Scatter(
                name=fmt.TRACKS[track],
                mode="markers",
                x=[day(m.released) for m in group],
                y=[plotted_context(m) for m in group],
                customdata=[m.id for m in group],
                hovertext=[context_hover(m) for m in group],
                hovertemplate="%{hovertext}<extra></extra>",
                marker={"symbol": symbol, "color": colour, "size": 10, "opacity": 0.9},
                # plotly drops a bar whose minus side is missing, hence the zeros
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": [extension(m) for m in group],
                    "arrayminus": [0] * len(group),
                    "color": colour,
                    "thickness": 1.5,
                    "width": 4,
                },
            )
        )
    style(fig, "Release date", "Context window, tokens (log scale)", "Track (bar up = extended maximum):")
    values = [v for m in points for v in (plotted_context(m), m.longest_context or 0)] or [1024]
    ticks = token_ticks(min(values), max(values))
    fig.update_yaxes(type="log", tickmode="array", tickvals=ticks, ticktext=[fmt.tokens(v) for v in ticks])
    return fig


# ---------------------------------------------------------------- 5. technique adoption


def technique_labels(techniques: Iterable[Technique]) -> dict[str, str]:
    """Label techniques by their short form, or their full name when that is missing or shared."""
    techniques = list(techniques)
    shorts = Counter(t.short for t in techniques if t.short)
    return {t.id: esc(t.short if t.short and shorts[t.short] == 1 else t.name) for t in techniques}


def first_user(data: Dataset, t: Technique) -> Model | None:
    """Find the release recorded as a technique's first use (or its oldest user when that is missing)."""
    users = data.models_using(t.id)
    return next((m for m in users if m.id == t.first_release), users[0] if users else None)


def adopted(data: Dataset) -> list[tuple[Technique, Model]]:
    """Pair each technique that has users with its first release, earliest first (ties by name)."""
    pairs = [(t, first) for t in data.techniques if (first := first_user(data, t)) is not None]
    return sorted(pairs, key=lambda tm: (tm[1].released.value, tm[0].name, tm[0].id))


def adoption_points(data: Dataset) -> list[tuple[Technique, Model, bool]]:
    """List every (technique, release, is first use), techniques in adoption order, releases oldest first."""
    return [(t, m, m.id == first.id) for t, first in adopted(data) for m in by_date(data.models_using(t.id))]


def technique_adoption(data: Dataset) -> go.Figure:
    """Plot which releases use each technique, the first use starred, techniques by first use."""
    fig = go.Figure()
    points = adoption_points(data)
    labels = technique_labels(t for t, _ in adopted(data))
    for first, name, symbol, colour, size in (
        (False, "Release using it", "circle", SKY, 9),
        (True, "First use in the family", "star", VERMILLION, 15),
    ):
        drawn = [(t, m) for t, m, is_first in points if is_first == first]
        fig.add_trace(
            go.Scatter(
                name=name,
                mode="markers",
                x=[day(m.released) for _, m in drawn],
                y=[labels[t.id] for t, _ in drawn],
                customdata=[m.id for _, m in drawn],
                hovertemplate="%{hovertext}<extra></extra>",
                hovertext=[
                    hover(esc(t.name), f"{'First used in' if first else 'Used in'} {esc(m.name)}", esc(m.released.label)) for t, m in drawn
                ],
                marker={"symbol": symbol, "color": colour, "size": size, "line": {"width": 1, "color": OUTLINE}},
            )
        )
    style(fig, "Release date", "Technique")
    fig.update_yaxes(type="category", categoryorder="array", autorange="reversed", categoryarray=[labels[t.id] for t, _ in adopted(data)])
    return fig


# ---------------------------------------------------------------- 6. downloads (adoption)

# Download figures measure different things; each scope is its own line and they are never joined.
SCOPES = {
    "unspecified": ("Alibaba's headline totals (platforms not named)", BLUE, "solid"),
    "hugging-face": ("Hugging Face, as reported", ORANGE, "dash"),
    "hugging-face-official": ("Hugging Face's own statistics", SKY, "dashdot"),
    "atom-report-tracked-set": ("ATOM Report's tracked set of ~1.5K models", GREEN, "dot"),
    "atom-project-tracked-set": ("ATOM Project's tracked set", PURPLE, "longdash"),
}


def download_points(data: Dataset) -> list[Milestone]:
    """The Qwen family's cumulative-download figures that are charted, by scope then date."""
    points = [
        m
        for m in data.milestones
        if m.metric == "cumulative-downloads" and m.subject == "qwen-family" and m.charted and m.value is not None and m.scope in SCOPES
    ]
    return sorted(points, key=lambda m: (list(SCOPES).index(m.scope), m.date.value, m.id))


def downloads(data: Dataset) -> go.Figure:
    """Cumulative downloads of the Qwen family over time, one line per scope of measurement."""
    fig = go.Figure()
    points = download_points(data)
    for scope, (label, colour, dash) in SCOPES.items():
        series = [m for m in points if m.scope == scope]
        if not series:
            continue
        fig.add_trace(
            go.Scatter(
                x=[day(m.date) for m in series],
                y=[round((m.value or 0) / 1e6, 1) for m in series],
                name=label,
                mode="lines+markers",
                line={"color": colour, "dash": dash, "width": 2},
                marker={"size": 9, "color": colour, "symbol": ["triangle-up" if m.qualifier == "at-least" else "circle" for m in series]},
                customdata=[m.releases[0] if m.releases else None for m in series],
                hovertext=[
                    hover(
                        esc(m.label),
                        esc(m.date.label) + (" (approximate)" if m.approximate else ""),
                        f"{esc(m.value_text)} · {esc(m.verdict)} source",
                    )
                    for m in series
                ],
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    style(fig, "Date (as of)", "Downloads (millions)", "Scope of the count (a triangle means “at least”)")
    fig.update_yaxes(rangemode="tozero", ticksuffix="M")
    return fig


# ---------------------------------------------------------------- 7. Arena Elo standings


def arena_points(data: Dataset) -> list[Milestone]:
    """The Arena Elo standings, best first."""
    return sorted((m for m in data.milestones if m.metric == "arena-elo" and m.value is not None), key=lambda m: (-(m.value or 0), m.id))


def arena_elo(data: Dataset) -> go.Figure:
    """The Arena Elo standings as horizontal bars, Alibaba's highlighted."""
    points = arena_points(data)
    labels = [esc(m.label.rsplit(" ", 1)[0]) for m in points]
    colours = [VERMILLION if m.subject in ("alibaba", "qwen-family") else BLUE for m in points]
    fig = go.Figure(
        go.Bar(
            x=[m.value for m in points],
            y=labels,
            orientation="h",
            marker={"color": colours},
            text=[f"{m.value:,.0f}" for m in points],
            textposition="outside",
            cliponaxis=False,
            customdata=[m.releases[0] if m.releases else None for m in points],
            hovertext=[hover(esc(m.label), esc(m.date.label), esc(m.scope_note)) for m in points],
            hovertemplate="%{hovertext}<extra></extra>",
            showlegend=False,
        )
    )
    low = min((m.value or 0 for m in points), default=0)
    high = max((m.value or 0 for m in points), default=1)
    style(fig, "Arena Elo score", "Lab (best model)")
    fig.update_layout(xaxis={"type": "linear", "range": [low - 40, high + 25]}, yaxis={"autorange": "reversed", "type": "category"})
    return fig


# ---------------------------------------------------------------- 8. KV cache per token across generations

LINE_STYLES = {"line-7b": (BLUE, "circle", "solid"), "line-72b": (VERMILLION, "diamond", "dash"), "line-moe": (GREEN, "square", "dot")}


def kv_cache_points(data: Dataset) -> list[tuple[str, str, Model, Variant]]:
    """(line slug, generation, release, variant) of every line's pick whose KV cache per token is known."""
    return [
        (line.slug, generation, m, v)
        for line in LINES
        for generation, m, v in line_picks(data, line)
        if v.shape is not None and v.shape.kv_bytes_per_token is not None
    ]


def kv_cache(data: Dataset) -> go.Figure:
    """KV-cache bytes per token at bf16 for like-for-like sizes across generations, one line each, every point
    labelled with its model: what grouped-query attention and the hybrid layers bought."""
    fig = go.Figure()
    points = kv_cache_points(data)
    for line in LINES:
        series = [(m, v) for slug, _, m, v in points if slug == line.slug]
        if not series:
            continue
        colour, symbol, dash = LINE_STYLES.get(line.slug, (GREY, "circle", "solid"))
        fig.add_trace(
            go.Scatter(
                name=esc(line.title),
                mode="lines+markers+text",
                x=[day(m.variant_released(v)) for m, v in series],
                y=[round((v.shape.kv_bytes_per_token or 0) / 1024, 1) for m, v in series if v.shape],
                text=[esc(v.name) for _, v in series],
                textposition="top center",
                textfont={"size": 11},
                customdata=[m.id for m, _ in series],
                line={"color": colour, "dash": dash, "width": 2},
                marker={"symbol": symbol, "size": 10, "color": colour},
                hovertext=[
                    hover(
                        esc(v.name),
                        esc(m.variant_released(v).label),
                        f"KV cache: {(v.shape.kv_bytes_per_token or 0) / 1024:,.0f} KiB per token at bf16" if v.shape else "",
                    )
                    for m, v in series
                ],
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    style(fig, "Release date", "KV cache per token, KiB at bf16 (log scale)", "Like-for-like sizes:")
    values = [(v.shape.kv_bytes_per_token or 1024) / 1024 for *_, v in points if v.shape] or [1.0]
    ticks = log_ticks(min(values), max(values))
    fig.update_yaxes(type="log", tickmode="array", tickvals=ticks, ticktext=[f"{fmt.number(t)} KiB" for t in ticks])
    return fig
