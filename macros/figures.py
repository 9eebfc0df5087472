"""Pure figure builders: records in, plotly Figure out. No file access, no template, no state.

Every point carries its release id as `customdata` so the site's script can open the release; hover
text sits in `hovertext` and every data string in it is escaped. The site applies the light or dark
template itself, so figures set no `template` and keep transparent backgrounds.
"""

from __future__ import annotations

import html
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

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


# ---------------------------------------------------------------- landmarks and labels


REASONS = {"first-moe": "First MoE", "first-1m-context": "First 1M-token context", "largest": "Largest", "flagship": "Flagship"}


@dataclass(frozen=True)
class Landmark:
    """A model that a chart calls out, found in the data (never typed): the first mixture-of-experts model,
    the first with a 1M-token context, the largest, and each generation's flagship (its largest disclosed
    model among the base and hosted releases)."""

    reasons: tuple[str, ...]  # keys of REASONS, in that order
    model: Model
    variant: Variant

    @property
    def released(self) -> PartialDate:
        return self.model.variant_released(self.variant)

    @property
    def text(self) -> str:
        """'First MoE: Qwen1.5-MoE-A2.7B', 'Largest · Flagship: Qwen3.8-2.4T-A95B' (plain words)."""
        return f"{' · '.join(REASONS[r] for r in self.reasons)}: {self.variant.name}"

    @property
    def key(self) -> bool:
        """Kept on the narrowest images, where a flagship and nothing more gives way."""
        return self.reasons != ("flagship",)


MILLION_TOKENS = 1_000_000
FLAGSHIP_TRACKS = ("base", "api")  # where a generation's flagship is looked for


def landmarks(data: Dataset) -> list[Landmark]:
    """The landmarks of the data, one per model called out (with all its reasons), in the order of REASONS."""
    variants = sorted(
        ((m, v) for m in data.models for v in m.variants), key=lambda mv: (mv[0].variant_released(mv[1]).value, mv[0].id, mv[1].name)
    )
    sized = [(m, v) for m, v in variants if v.params_b is not None]
    found: list[tuple[str, Model, Variant]] = []
    moe = next(((m, v) for m, v in variants if v.is_moe), None)
    if moe:
        found.append(("first-moe", *moe))
    long = next(((m, v) for m, v in variants if (v.context_max or v.context or 0) >= MILLION_TOKENS), None)
    if long:
        found.append(("first-1m-context", *long))
    if sized:
        found.append(("largest", *max(sized, key=lambda mv: mv[1].params_b or 0)))  # max keeps the first: the earliest
    generations: dict[str, list[tuple[Model, Variant]]] = defaultdict(list)
    for m, v in sized:
        if m.track in FLAGSHIP_TRACKS:
            generations[fmt.generation(data, m)].append((m, v))
    found += [("flagship", *max(members, key=lambda mv: mv[1].params_b or 0)) for g, members in generations.items() if g != fmt.OTHER]
    reasons: dict[int, list[str]] = defaultdict(list)
    owners: dict[int, tuple[Model, Variant]] = {}
    for reason, m, v in found:
        reasons[id(v)].append(reason)
        owners.setdefault(id(v), (m, v))
    return [Landmark(tuple(reasons[key]), *owners[key]) for key in owners]


LABEL_FONT = 11  # px: the smallest text any chart draws
CHAR_WIDTH = 6.4  # px per character of an 11 px label, a little over the average so estimates err wide
LABEL_HEIGHT = 16
# Where a callout's text may sit relative to its point (px right, px down), tried in order.
OFFSETS = tuple((ax, ay) for ay in (-30, 30, -50, 50, -70, 70) for ax in (0, 60, -60, 120, -120))
Box = tuple[float, float, float, float]  # left, top, right, bottom in plot px


@dataclass(frozen=True)
class Callout:
    """A label with a leader line to one point: where the point is (data and estimated plot pixels)."""

    x: str | float
    y: str | float
    px: float
    py: float
    text: str  # plain words
    key: bool = True


def label_width(text: str) -> float:
    return len(text) * CHAR_WIDTH + 8


def marker_box(px: float, py: float, size: float) -> Box:
    return (px - size / 2, py - size / 2, px + size / 2, py + size / 2)


def place(
    callouts: Iterable[Callout],
    plot: tuple[float, float],
    obstacles: Iterable[Box] = (),
    top: float = 46,  # px of margin above the plot a label may use (style: 48)
    narrow: tuple[float, float] | None = None,
) -> list[dict[str, object]]:
    """Annotations for the callouts, each at the first offset whose estimated box stays inside the plot (or the
    `top` px of margin above it), shifted sideways to fit, and clear of the markers (`obstacles`) and of the
    boxes placed before it. Estimates are made for the page's width; wider images only give labels more room.

    With `narrow` (the plot's size on a phone), the key callouts are placed a second time for it, their points
    and markers scaled to it: these annotations (named "narrow") are hidden, and the phone's images and live
    charts show them instead of the others (macros/embed.py `themed`, charts.js)."""
    callouts, fixed = list(callouts), list(obstacles)
    out = _placed(callouts, plot, fixed, top, lambda c: "key" if c.key else "detail")
    if narrow is not None:
        sx, sy = narrow[0] / plot[0], narrow[1] / plot[1]
        scaled = [replace(c, px=c.px * sx, py=c.py * sy) for c in callouts if c.key]
        markers = [marker_box((a + b) / 2 * sx, (t + u) / 2 * sy, b - a) for a, t, b, u in fixed]  # markers keep their size
        out += [{**a, "visible": False} for a in _placed(scaled, narrow, markers, top, lambda c: "narrow")]
    return out


def _placed(
    callouts: list[Callout], plot: tuple[float, float], fixed: list[Box], top: float, name: Callable[[Callout], str]
) -> list[dict[str, object]]:
    width, height = plot
    taken: list[Box] = []
    out: list[dict[str, object]] = []
    for c in callouts:
        w = label_width(c.text)
        boxes: list[tuple[int, int, Box]] = []
        for dx, ay in OFFSETS:
            left = min(max(c.px + dx - w / 2, 0), width - w)  # slide along its row to stay inside the plot
            boxes.append((round(left + w / 2 - c.px), ay, (left, c.py + ay - LABEL_HEIGHT / 2, left + w, c.py + ay + LABEL_HEIGHT / 2)))
        inside = [b for b in boxes if b[2][1] >= -top and b[2][3] <= height]
        clear = [b for b in inside if not any(overlaps(b[2], t) for t in taken + fixed)]
        apart = [b for b in inside if not any(overlaps(b[2], t) for t in taken)]
        ax, ay, box = (clear or apart or boxes)[0]
        taken.append(box)
        out.append(
            {
                "x": c.x,
                "y": c.y,
                "ax": ax,
                "ay": ay,
                "text": esc(c.text),
                "showarrow": True,
                "arrowhead": 0,
                "arrowwidth": 1,
                "arrowcolor": GREY,
                "standoff": 4,
                "font": {"size": LABEL_FONT},
                "name": name(c),
            }
        )
    return out


def overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def date_scale(first: date, last: date, width: float, pad_days: int = 45) -> tuple[list[str], Callable[[date], float]]:
    """An explicit date range (padded) and the estimated pixel x of a date in a plot `width` px wide."""
    start, end = first - timedelta(days=pad_days), last + timedelta(days=pad_days)
    span = max((end - start).days, 1)
    return [start.isoformat(), end.isoformat()], lambda d: (d - start).days / span * width


def log_scale(smallest: float, largest: float, height: float, pad: float) -> tuple[list[float], Callable[[float], float]]:
    """An explicit log-axis range (the values widened by `pad` times each way, as exponents, which plotly
    takes for a log axis) and the estimated pixel y of a value, from the top of a plot `height` px tall."""
    low, high = math.log10(smallest / pad), math.log10(largest * pad)
    return [low, high], lambda v: (high - math.log10(v)) / (high - low) * height


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


TIMELINE_PLOT = (610, 424)  # px of the plot area, estimated at the page's width and the chart's height
TIMELINE_NARROW = (199, 386)  # px of the plot area in the phone's image (NARROW_WIDTH)


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
    track_ids = lanes(models)
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=[fmt.TRACKS[t] for t in track_ids], autorange="reversed")
    if models:
        x_range, x_px = date_scale(models[0].released.value, models[-1].released.value, TIMELINE_PLOT[0])
        fig.update_xaxes(range=x_range)
        lane_px = TIMELINE_PLOT[1] / len(track_ids)
        callouts = [
            Callout(
                day(mark.model.released),
                track_ids.index(mark.model.track),
                x_px(mark.model.released.value),
                (track_ids.index(mark.model.track) + 0.5) * lane_px,
                mark.text if mark.released == mark.model.released else f"{mark.text} ({mark.released.label})",
                mark.key,
            )
            for mark in landmarks(data)
        ]
        markers = [
            marker_box(x_px(m.released.value), (track_ids.index(m.track) + 0.5) * lane_px, marker_size(m.largest_params_b)) for m in models
        ]
        fig.update_layout(annotations=place(callouts, TIMELINE_PLOT, markers, narrow=TIMELINE_NARROW))
    return fig


# ---------------------------------------------------------------- 2. lineage


@dataclass(frozen=True)
class TreeLayout:
    """Where the lineage draws each release: a column per half year, a band per track, and within a band one
    row per release of the same track and half year, so that no two labels share a place."""

    positions: dict[str, tuple[int, int]]  # release id -> (column, row)
    columns: list[str]  # column labels, '2023 H2' …
    bands: list[tuple[str, int, int]]  # (track, first row, rows)

    @property
    def rows(self) -> int:
        return sum(rows for _, _, rows in self.bands)


def half_year(released: PartialDate) -> tuple[int, int]:
    return released.value.year, 1 if released.value.month <= 6 else 2


def tree_layout(models: Iterable[Model]) -> TreeLayout:
    """Lay the releases out as a family tree by track, time in columns."""
    ordered = by_date(models)
    if not ordered:
        return TreeLayout({}, [], [])
    halves = sorted({half_year(m.released) for m in ordered})
    first, last = halves[0], halves[-1]
    columns = [(y, h) for y in range(first[0], last[0] + 1) for h in (1, 2) if first <= (y, h) <= last]
    column_of = {half: i for i, half in enumerate(columns)}
    cells: dict[tuple[str, int], list[Model]] = defaultdict(list)
    for m in ordered:
        cells[(m.track, column_of[half_year(m.released)])].append(m)
    positions, bands, row = {}, [], 0
    for track in lanes(ordered):
        depth = max(len(members) for (t, _), members in cells.items() if t == track)
        for (t, column), members in cells.items():
            if t == track:
                for k, m in enumerate(members):
                    positions[m.id] = (column, row + k)
        bands.append((track, row, depth))
        row += depth
    return TreeLayout(positions, [f"{y} H{h}" for y, h in columns], bands)


LINEAGE_ROW = 22  # px per row of the lineage: one 11 px label and room between
LINEAGE_MARGINS = (190, 160)  # px around the tree: track names on the left; axis, legend and title


def lineage_column(models: Iterable[Model]) -> int:
    """Px per half-year column: the marker, then the longest release name, then a gap before the next column."""
    longest = max((len(m.name) for m in models), default=10)
    return max(120, math.ceil(20 + label_width("x" * longest) + 12))


def lineage_size(data: Dataset) -> tuple[int, int]:
    """(width, height) in px the lineage needs for every release's name to be readable and apart: it grows
    with the data, and pages scroll it rather than shrink it."""
    layout = tree_layout(data.models)
    return (
        LINEAGE_MARGINS[0] + lineage_column(data.models) * max(len(layout.columns), 1),
        LINEAGE_MARGINS[1] + LINEAGE_ROW * max(layout.rows, 1),
    )


def lineage_edges(data: Dataset) -> list[tuple[Model, Model, str]]:
    """List every parent link as (parent, child, relation), children oldest first."""
    known = {m.id: m for m in data.models}
    return [(known[p.id], m, p.relation) for m in by_date(data.models) for p in m.parents if p.id in known]


def lineage_hover(m: Model, names: dict[str, str]) -> str:
    """Label a lineage node for hover: name, date and each parent with its relation."""
    parents = [f"{esc(fmt.RELATIONS.get(p.relation, p.relation))} {esc(names.get(p.id, p.id))}" for p in m.parents]
    return hover(esc(m.name), esc(m.released.label), *(parents or ["no recorded parent"]))


def lineage(data: Dataset) -> go.Figure:
    """Draw the lineage as a family tree: a band per track, a column per half year, every release labelled
    with its name, and one line trace per relation from parent to child."""
    fig = go.Figure()
    models = by_date(data.models)
    layout = tree_layout(models)
    pos = layout.positions
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
                line={"color": colour, "dash": dash, "width": 1.4},
                opacity=0.75,
            )
        )
    names = {m.id: m.name for m in models}
    fig.add_trace(
        go.Scatter(
            name="Release",
            mode="markers+text",
            showlegend=False,
            x=[pos[m.id][0] for m in models],
            y=[pos[m.id][1] for m in models],
            text=[esc(m.name) for m in models],
            textposition="middle right",
            textfont={"size": LABEL_FONT},
            cliponaxis=False,
            customdata=[m.id for m in models],
            hovertext=[lineage_hover(m, names) for m in models],
            hovertemplate="%{hovertext}<extra></extra>",
            marker={"symbol": "circle", "size": 9, "color": "#FFFFFF", "line": {"width": 1.5, "color": OUTLINE}},
        )
    )
    style(fig, "Release date (half years)", "Track", "Parent → child link:")
    fig.update_layout(margin={"l": 8, "r": 24, "t": 72, "b": 8})  # room for the column labels and their title above
    fig.update_xaxes(
        type="linear",
        tickmode="array",
        tickvals=list(range(len(layout.columns))),
        ticktext=layout.columns,
        range=[-0.3, max(len(layout.columns), 1) - 0.05],
        showgrid=True,
        zeroline=False,
        side="top",
    )
    fig.update_yaxes(
        tickmode="array",
        tickvals=[start + (rows - 1) / 2 for _, start, rows in layout.bands],
        ticktext=[fmt.TRACKS[track] for track, _, _ in layout.bands],
        autorange="reversed",
        zeroline=False,
        showgrid=False,
        range=[max(layout.rows, 1) - 0.5, -0.6],
    )
    for _, start, _ in layout.bands[1:]:  # a rule between tracks
        fig.add_hline(y=start - 0.5, line={"width": 1, "color": GREY, "dash": "dot"}, opacity=0.35)
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


SCALE_PLOT = (670, 380)
SCALE_NARROW = (281, 384)  # px of the plot area in the phone's image (NARROW_WIDTH)


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
    y_range, y_px = log_scale(min(sizes), max(sizes), SCALE_PLOT[1], 1.6)
    fig.update_yaxes(type="log", tickmode="array", tickvals=ticks, ticktext=[fmt.params(v) for v in ticks], range=y_range)
    if points:
        x_range, x_px = date_scale(points[0].released.value, points[-1].released.value, SCALE_PLOT[0])
        fig.update_xaxes(range=x_range)
        callouts = [
            Callout(
                day(mark.released),
                math.log10(mark.variant.params_b or 1),  # annotations on a log axis take the exponent
                x_px(mark.released.value),
                y_px(mark.variant.params_b or 1),
                mark.text,
                mark.key,
            )
            for mark in landmarks(data)
            if mark.variant.params_b is not None
        ]
        markers = [marker_box(x_px(p.released.value), y_px(b), 10) for p in points for _, b in size_series(p)]
        fig.update_layout(annotations=place(callouts, SCALE_PLOT, markers, narrow=SCALE_NARROW))
    return fig


# ---------------------------------------------------------------- 4. context length


@dataclass(frozen=True)
class ContextPoint:
    """The context window a release offered from one date: its first variants', then each later variant's
    or snapshot's that widened it (a hosted model whose window grew shows each step at its own date)."""

    model: Model
    released: PartialDate
    native: int | None
    longest: int

    @property
    def plotted(self) -> int:
        """Where the point sits: the native window, or the longest when native is undisclosed."""
        return self.native or self.longest

    @property
    def extension(self) -> int:
        """How far the extended maximum reaches above the point (0 when it does not)."""
        return max(self.longest - self.plotted, 0)


def context_points(data: Dataset) -> list[ContextPoint]:
    """Every release's disclosed context window at each date it grew, oldest first."""
    points: list[ContextPoint] = []
    for m in data.models:
        dated: dict[date, list[Variant]] = defaultdict(list)
        for v in m.variants:
            if v.context or v.context_max:
                dated[m.variant_released(v).value].append(v)
        native, longest = 0, 0
        for _, group in sorted(dated.items()):  # a point where the release's best window so far grows
            grown = (
                max(native, max((v.context or 0 for v in group), default=0)),
                max(longest, max(v.context_max or v.context or 0 for v in group)),
            )
            if grown != (native, longest):
                native, longest = grown
                points.append(ContextPoint(m, m.variant_released(group[0]), native or None, longest))
    return sorted(points, key=lambda p: (p.released.value, p.model.id))


def context_hover(point: ContextPoint) -> str:
    """Label a context point for hover: name, date, native and extended context."""
    native = f"Native: {fmt.tokens(point.native)}" if point.native else "Native: undisclosed"
    longest = f"Extended: up to {fmt.tokens(point.longest)}" if point.extension or not point.native else ""
    return hover(esc(point.model.name), f"{esc(point.released.label)} · {esc(fmt.TRACKS[point.model.track])}", native, longest)


CONTEXT_PLOT = (600, 380)
CONTEXT_NARROW = (281, 232)  # px of the plot area in the phone's image (NARROW_WIDTH)


def context_length(data: Dataset) -> go.Figure:
    """Plot each release's context window over time on a log axis, extension as an upward bar."""
    fig = go.Figure()
    points = context_points(data)
    for track in lanes(p.model for p in points):
        group = [p for p in points if p.model.track == track]
        colour, symbol = track_style(track)
        fig.add_trace(
            go.Scatter(
                name=fmt.TRACKS[track],
                mode="markers",
                x=[day(p.released) for p in group],
                y=[p.plotted for p in group],
                customdata=[p.model.id for p in group],
                hovertext=[context_hover(p) for p in group],
                hovertemplate="%{hovertext}<extra></extra>",
                marker={"symbol": symbol, "color": colour, "size": 10, "opacity": 0.9},
                # plotly drops a bar whose minus side is missing, hence the zeros
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": [p.extension for p in group],
                    "arrayminus": [0] * len(group),
                    "color": colour,
                    "thickness": 1.5,
                    "width": 4,
                },
            )
        )
    style(fig, "Release date", "Context window, tokens (log scale)", "Track (bar up = extended maximum):")
    values = [v for p in points for v in (p.plotted, p.longest)] or [1024]
    ticks = token_ticks(min(values), max(values))
    y_range, y_px = log_scale(min(values), max(values), CONTEXT_PLOT[1], 1.6)
    fig.update_yaxes(type="log", tickmode="array", tickvals=ticks, ticktext=[fmt.tokens(v) for v in ticks], range=y_range)
    mark = next((m for m in landmarks(data) if "first-1m-context" in m.reasons), None)
    first = next((p for p in points if mark and p.model is mark.model and p.released == mark.released), None)
    if mark is not None and first is not None:
        x_range, x_px = date_scale(points[0].released.value, points[-1].released.value, CONTEXT_PLOT[0])
        fig.update_xaxes(range=x_range)
        callout = Callout(
            day(first.released),
            math.log10(first.plotted),
            x_px(first.released.value),
            y_px(first.plotted),
            mark.text,
        )
        fig.update_layout(annotations=place([callout], CONTEXT_PLOT, narrow=CONTEXT_NARROW))
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
# scope -> (name, colour, dash, the short label written at the line's end)
SCOPES = {
    "unspecified": ("Alibaba's headline totals (platforms not named)", BLUE, "solid", "Alibaba's headline total"),
    "hugging-face": ("Hugging Face, as reported", ORANGE, "dash", "Hugging Face, as reported"),
    "hugging-face-official": ("Hugging Face's own statistics", SKY, "dashdot", "Hugging Face's statistics"),
    "atom-report-tracked-set": ("ATOM Report's tracked set of ~1.5K models", GREEN, "dot", "ATOM Report's set"),
    "atom-project-tracked-set": ("ATOM Project's tracked set", PURPLE, "longdash", "ATOM Project's set"),
}
DOWNLOADS_PLOT = (670, 350)
DOWNLOADS_NARROW = (272, 392)  # px of the plot area in the phone's image (NARROW_WIDTH)


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
    ends: list[tuple[Milestone, str]] = []
    for scope, (label, colour, dash, short) in SCOPES.items():
        series = [m for m in points if m.scope == scope]
        if not series:
            continue
        ends.append((series[-1], short))
        fig.add_trace(
            go.Scatter(
                x=[day(m.date) for m in series],
                y=[round((m.value or 0) / 1e6, 1) for m in series],
                name=label,
                showlegend=False,  # each line is named at its end
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
    style(fig, "Date (as of)", "Downloads (millions)")
    if points:
        dates = sorted(m.date.value for m in points)
        top = max(m.value or 0 for m in points) / 1e6 * 1.15
        x_range, x_px = date_scale(dates[0], dates[-1], DOWNLOADS_PLOT[0], 30)
        fig.update_xaxes(range=x_range)
        fig.update_yaxes(range=[0, top])
        callouts = [
            Callout(
                day(m.date), round((m.value or 0) / 1e6, 1), x_px(m.date.value), (1 - (m.value or 0) / 1e6 / top) * DOWNLOADS_PLOT[1], short
            )
            for m, short in ends
        ]
        fig.update_layout(annotations=place(callouts, DOWNLOADS_PLOT, narrow=DOWNLOADS_NARROW))
    fig.update_yaxes(ticksuffix="M")
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


KV_PLOT = (640, 380)
KV_NARROW = (260, 432)  # px of the plot area in the phone's image (NARROW_WIDTH)


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
                mode="lines+markers",
                showlegend=False,  # every point is named, and each line at its last point
                x=[day(m.variant_released(v)) for m, v in series],
                y=[round((v.shape.kv_bytes_per_token or 0) / 1024, 1) for m, v in series if v.shape],
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
    style(fig, "Release date", "KV cache per token, KiB at bf16 (log scale)")
    values = [(v.shape.kv_bytes_per_token or 1024) / 1024 for *_, v in points if v.shape] or [1.0]
    ticks = log_ticks(min(values), max(values))
    y_range, y_px = log_scale(min(values), max(values), KV_PLOT[1], 2)
    fig.update_yaxes(type="log", tickmode="array", tickvals=ticks, ticktext=[f"{fmt.number(t)} KiB" for t in ticks], range=y_range)
    if points:
        dates = sorted(m.variant_released(v).value for _, _, m, v in points)
        x_range, x_px = date_scale(dates[0], dates[-1], KV_PLOT[0], 60)
        fig.update_xaxes(range=x_range)
        callouts = []
        for line in LINES:
            series = [(m, v) for slug, _, m, v in points if slug == line.slug]
            for i, (m, v) in enumerate(series):
                kib = round((v.shape.kv_bytes_per_token or 0) / 1024, 1) if v.shape else 1.0
                last = i == len(series) - 1
                text = f"{line.title.removeprefix('The ').removesuffix(' line')}: {v.name}" if last else v.name
                at = m.variant_released(v)
                callouts.append(Callout(day(at), math.log10(kib), x_px(at.value), y_px(kib), text))
        fig.update_layout(annotations=place(callouts, KV_PLOT, narrow=KV_NARROW))
    return fig
