"""The chart registry: for each chart its slug, words, height, figure, data rows and computed summary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TypeVar

import plotly.graph_objects as go

from . import figures, fmt
from .architecture import LINES
from .records import Dataset

K = TypeVar("K", int, str)
Cell = str | int | float
Rows = tuple[tuple[str, ...], Sequence[tuple[Cell, ...]]]


def trace_rows(fig: go.Figure) -> Rows:
    """The points of a figure as rows (series, x, y, release id): the data table of a chart whose registry
    entry gives no rows function of its own."""
    rows: list[tuple[Cell, ...]] = []
    for trace in fig.data:
        ids = list(trace.customdata) if trace.customdata is not None else []
        for i, (x, y) in enumerate(zip(trace.x or (), trace.y or (), strict=False)):
            if x is not None and y is not None:
                rows.append((trace.name or "", x, y, ids[i] if i < len(ids) and ids[i] is not None else ""))
    return ("series", "x", "y", "release_id"), rows


@dataclass(frozen=True)
class Chart:
    """One chart of the site: its words, its height, the function that draws it, and what its data table,
    summary and source line are made of. The registry (CHARTS) is the one list of charts: pages, the embed
    kit, the files and images each chart publishes, and the tests all follow from it."""

    slug: str
    title: str
    caption: str
    height: int
    draw: Callable[[Dataset], go.Figure]
    data_rows: Callable[[Dataset], Rows] | None = None
    summarise: Callable[[Dataset], str] | None = None
    basis: str = "releases"  # what the chart is drawn from: "releases" or "milestones"
    # A chart whose every label must stay readable takes the (width, height) its data needs, and pages scroll
    # it rather than shrink it; the others fill the column's width at `height`.
    size: Callable[[Dataset], tuple[int, int]] | None = None

    def dimensions(self, data: Dataset) -> tuple[int | None, int]:
        """(width, height) in px: the width is None when the chart fills the width it is given."""
        return self.size(data) if self.size else (None, self.height)

    def figure(self, data: Dataset) -> go.Figure:
        """The chart's figure, with its slug, title and size."""
        fig = self.draw(data)
        width, height = self.dimensions(data)
        if width is not None:
            fig.update_layout(width=width, autosize=False)
        fig.update_layout(
            meta={"slug": self.slug},
            height=height,
            title={"text": self.title, "x": 0, "xanchor": "left", "y": 1, "yref": "container", "yanchor": "top", "pad": {"t": 10}},
        )
        return fig

    def rows(self, data: Dataset) -> Rows:
        """The data behind the chart: (header, rows)."""
        return self.data_rows(data) if self.data_rows else trace_rows(self.figure(data))

    def summary(self, data: Dataset) -> str:
        """What the chart shows, in a sentence or two computed from the data (its caption when it has none)."""
        return self.summarise(data) if self.summarise else self.caption

    def basis_text(self, data: Dataset) -> str:
        """What the data behind the chart is, for its source line."""
        if self.basis == "milestones":
            return f"{plural(len(data.milestones), 'dated adoption figure')}, each with its scope and sources"
        return f"{plural(len(data.models), 'release')}, each with its sources"


def plural(n: int, word: str, words: str = "") -> str:
    """Count a noun: '1 release', '2 releases'."""
    return f"{n} {word if n == 1 else (words or word + 's')}"


def blank(value: float | int | None) -> Cell:
    """Turn a missing number into an empty CSV cell."""
    return "" if value is None else value


def busiest(counter: Counter[K]) -> tuple[K, int]:
    """Pick the (key, count) with the highest count, the smallest key on ties."""
    return min(counter.items(), key=lambda kv: (-kv[1], kv[0]))


# ---------------------------------------------------------------- 1. release timeline


def timeline_rows(data: Dataset) -> Rows:
    """List one row per release, oldest first."""
    header = ("release_id", "release", "released", "track", "weights", "largest_params_b", "sizes", "native_context", "longest_context")
    rows = [
        (
            m.id,
            m.name,
            m.released.iso,
            m.track,
            fmt.weights(m),
            blank(m.largest_params_b),
            fmt.sizes(m),
            blank(m.native_context),
            blank(m.longest_context),
        )
        for m in figures.by_date(data.models)
    ]
    return header, rows


def timeline_summary(data: Dataset) -> str:
    """Say how many releases span which dates, how many are open, and the busiest year."""
    models = figures.by_date(data.models)
    if not models:
        return "No releases recorded yet."
    states = Counter(fmt.weights(m) for m in models)
    partly = f", {states['Partly open']} partly open" if states["Partly open"] else ""
    year, count = busiest(Counter(m.released.value.year for m in models))
    return (
        f"{plural(len(models), 'release')} from {models[0].released.label} to {models[-1].released.label}; "
        f"{states['Open']} with open weights{partly} and {states['Closed']} closed. "
        f"The busiest year was {year} with {plural(count, 'release')}."
    )


# ---------------------------------------------------------------- 2. lineage


def lineage_rows(data: Dataset) -> Rows:
    """List one row per parent link, plus one per release without a parent, children oldest first."""
    header = ("release_id", "release", "released", "track", "relation", "parent_id", "parent", "parent_released")
    known = {m.id: m for m in data.models}
    rows: list[tuple[Cell, ...]] = []
    for m in figures.by_date(data.models):
        links = [(p.relation, known[p.id]) for p in m.parents if p.id in known]
        rows += [(m.id, m.name, m.released.iso, m.track, r, p.id, p.name, p.released.iso) for r, p in links]
        rows += [] if links else [(m.id, m.name, m.released.iso, m.track, "", "", "", "")]
    return header, rows


def lineage_summary(data: Dataset) -> str:
    """Say how many links join the releases, the commonest relation and the most prolific parent."""
    edges = figures.lineage_edges(data)
    if not edges:
        return f"{plural(len(data.models), 'release')}, none linked to a parent yet."
    roots = sum(1 for m in data.models if not m.parents)
    relation, links = busiest(Counter(r for _, _, r in edges))
    parent_id, children = busiest(Counter(p.id for p, _, _ in edges))
    return (
        f"{plural(len(edges), 'parent link')} join {plural(len(data.models), 'release')}; "
        f"{plural(roots, 'release has', 'releases have')} no recorded parent. "
        f"The commonest link is “{figures.relation_label(relation).lower()}” ({links}), and "
        f"{data.model(parent_id).name} has the most direct descendants ({children})."
    )


# ---------------------------------------------------------------- 3. parameter scale


def scale_rows(data: Dataset) -> Rows:
    """List one row per plotted point: dense sizes, and MoE total and active sizes."""
    header = ("release_id", "release", "variants", "released", "series", "params_b")
    rows = [
        (p.model.id, p.model.name, p.names, p.released.iso, series, value)
        for p in figures.size_points(data)
        for series, value in figures.size_series(p)
    ]
    return header, rows


def scale_summary(data: Dataset) -> str:
    """Say how many sizes are disclosed, their range, and when mixture-of-experts arrived."""
    points = figures.size_points(data)
    if not points:
        return "No model sizes disclosed yet."
    variants = sum(len(p.variants) for p in points)
    small = min(points, key=lambda p: (p.total, p.released.value))
    large = min(points, key=lambda p: (-p.total, p.released.value))
    text = (
        f"{plural(variants, 'variant')} with a disclosed size, from {fmt.params(small.total)} to "
        f"{fmt.params(large.total)} ({large.names.split(' · ')[0]}, {large.released.label})."
    )
    moe = [p for p in points if p.active is not None]
    if moe:
        text += (
            f" {plural(sum(len(p.variants) for p in moe), 'is a', 'are')} mixture-of-experts "
            f"model{'s' if len(moe) > 1 else ''}, the first being {moe[0].model.name} ({moe[0].released.label})."
        )
    return text


# ---------------------------------------------------------------- 4. context length


def context_rows(data: Dataset) -> Rows:
    """List one row per plotted point: a release's context window from the date it changed, oldest first."""
    header = ("release_id", "release", "released", "track", "native_context", "longest_context", "plotted_context")
    rows = [
        (p.model.id, p.model.name, p.released.iso, p.model.track, blank(p.native), p.longest, p.plotted)
        for p in figures.context_points(data)
    ]
    return header, rows


def context_summary(data: Dataset) -> str:
    """Say how the native and extended context grew, and who reached the maximum first."""
    points = figures.context_points(data)
    if not points:
        return "No context windows disclosed yet."
    first = points[0]
    top = min(points, key=lambda p: (-p.plotted, p.released.value, p.model.id))
    longest = min(points, key=lambda p: (-p.longest, p.released.value, p.model.id))
    releases = len({p.model.id for p in points})
    return (
        f"{plural(releases, 'release')} disclose a context window: from "
        f"{fmt.tokens(first.plotted)} tokens ({first.model.name}, {first.released.label}) to "
        f"{fmt.tokens(top.plotted)} ({top.model.name}, {top.released.label}). "
        f"The longest window with extension is {fmt.tokens(longest.longest)}, "
        f"first reached by {longest.model.name} ({longest.released.label})."
    )


# ---------------------------------------------------------------- 5. technique adoption


def adoption_rows(data: Dataset) -> Rows:
    """List one row per (technique, release using it), techniques in order of first use."""
    header = ("technique_id", "technique", "release_id", "release", "released", "first_use")
    rows = [(t.id, t.name, m.id, m.name, m.released.iso, "yes" if first else "no") for t, m, first in figures.adoption_points(data)]
    return header, rows


def adoption_summary(data: Dataset) -> str:
    """Say how many techniques arrived over which span, the most used one and the busiest year."""
    adopted = figures.adopted(data)
    if not adopted:
        return "No techniques recorded yet."
    widest = min(adopted, key=lambda tm: (-len(data.models_using(tm[0].id)), tm[1].released.value, tm[0].name))
    year, count = busiest(Counter(m.released.value.year for _, m in adopted))
    return (
        f"{plural(len(adopted), 'technique')} entered the family between {adopted[0][1].released.label} "
        f"and {adopted[-1][1].released.label}. The most widely used is {widest[0].name}, listed by "
        f"{plural(len(data.models_using(widest[0].id)), 'release')}; {year} brought in the most ({count})."
    )


def downloads_rows(data: Dataset) -> tuple[tuple[str, ...], list[tuple[str | int | float, ...]]]:
    """One row per plotted download figure."""
    header = ("id", "date", "scope", "downloads", "as_stated", "qualifier", "verdict", "source")
    return header, [
        (m.id, m.date.iso, m.scope, int(m.value or 0), m.value_text, m.qualifier, m.verdict, m.sources[0].url)
        for m in figures.download_points(data)
    ]


def downloads_summary(data: Dataset) -> str:
    """Say what the download figures show, scope by scope."""
    points = figures.download_points(data)
    if not points:
        return "No download figures are recorded."
    latest = max(points, key=lambda m: (m.date.value, m.value or 0))
    scopes = len({m.scope for m in points})
    return (
        f"{plural(len(points), 'figure')} in {plural(scopes, 'scope')} of measurement, kept as separate lines. "
        f"The latest is {latest.value_text} ({latest.date.label}, {figures.SCOPES[latest.scope][0]})."
    )


def arena_rows(data: Dataset) -> tuple[tuple[str, ...], list[tuple[str | int | float, ...]]]:
    """One row per lab in the standings."""
    return ("id", "date", "lab", "elo", "source"), [
        (m.id, m.date.iso, m.subject, int(m.value or 0), m.sources[0].url) for m in figures.arena_points(data)
    ]


def arena_summary(data: Dataset) -> str:
    """Say who leads and where Alibaba stands."""
    points = figures.arena_points(data)
    if not points:
        return "No Arena Elo standings are recorded."
    rank = next((i for i, m in enumerate(points, 1) if m.subject in ("alibaba", "qwen-family")), None)
    where = f" Alibaba's best model ranks {rank} of {len(points)} at {points[rank - 1].value:,.0f}." if rank else ""
    return f"{points[0].label.rsplit(' ', 1)[0]} leads with {points[0].value:,.0f} ({points[0].date.label}).{where}"


def kv_rows(data: Dataset) -> Rows:
    """One row per plotted model: its line, generation, release, date and the numbers its KV cache comes from."""
    header = (
        "line",
        "generation",
        "release_id",
        "variant",
        "released",
        "kv_bytes_per_token",
        "layers_with_kv_cache",
        "kv_heads",
        "head_size",
    )
    rows: list[tuple[Cell, ...]] = []
    for slug, generation, m, v in figures.kv_cache_points(data):
        s = v.shape
        if s is not None:
            rows.append(
                (
                    slug,
                    generation,
                    m.id,
                    v.name,
                    m.variant_released(v).iso,
                    blank(s.kv_bytes_per_token),
                    blank(s.kv_layers),
                    blank(s.kv_heads),
                    blank(s.head_size),
                )
            )
    return header, rows


def kv_summary(data: Dataset) -> str:
    """Say how the KV cache per token changed along each line, from its first model to its last."""
    points = figures.kv_cache_points(data)
    parts = []
    for line in LINES:
        series = [v for slug, _, _, v in points if slug == line.slug and v.shape]
        if len(series) >= 2 and series[0].shape and series[-1].shape:
            first, last = (series[0].shape.kv_bytes_per_token or 0) / 1024, (series[-1].shape.kv_bytes_per_token or 0) / 1024
            parts.append(
                f"{line.title.removeprefix('The ')}: {first:,.0f} KiB per token for {series[0].name}, {last:,.0f} KiB for {series[-1].name}"
            )
    return ("; ".join(parts) + ".") if parts else "Too few models have a recorded architecture to compare yet."


CHARTS: Mapping[str, Chart] = MappingProxyType(
    {
        c.slug: c
        for c in (
            Chart(
                "release-timeline",
                "Every Qwen release on one time line",
                "Each release by date and track; marker size follows its largest disclosed model, and filled, "
                "hollow or dotted markers show open, closed or partly open weights.",
                560,
                figures.release_timeline,
                timeline_rows,
                timeline_summary,
            ),
            Chart(
                "lineage",
                "How each release descends from earlier ones",
                "Every release by track (rows) and half year (columns), joined to its parents by lines whose colour and "
                "dash give the relation.",
                640,
                figures.lineage,
                lineage_rows,
                lineage_summary,
                size=figures.lineage_size,
            ),
            Chart(
                "parameter-scale",
                "Model sizes over time",
                "Every disclosed variant size on a log scale, with mixture-of-experts models shown at both their "
                "total and their active parameter counts.",
                520,
                figures.parameter_scale,
                scale_rows,
                scale_summary,
            ),
            Chart(
                "context-length",
                "Context windows over time",
                "Each release's native context window on a log scale, with a bar up to the longest window it reaches with extension.",
                520,
                figures.context_length,
                context_rows,
                context_summary,
            ),
            Chart(
                "technique-adoption",
                "When each technique entered the family",
                "Each architecture or training technique against the releases that use it; a star marks its first use in the family.",
                560,
                figures.technique_adoption,
                adoption_rows,
                adoption_summary,
            ),
            Chart(
                "downloads",
                "Cumulative downloads of Qwen models",
                "Download totals reported for the Qwen family over time; each way of counting is its own line, never "
                "joined, and a triangle marks a figure reported as “at least”.",
                480,
                figures.downloads,
                downloads_rows,
                downloads_summary,
                "milestones",
            ),
            Chart(
                "kv-cache",
                "KV cache per token across generations",
                "Bytes of key-value cache each token takes at bf16, for like-for-like sizes: grouped-query attention "
                "and the hybrid layers cut it while the models grew.",
                520,
                figures.kv_cache,
                kv_rows,
                kv_summary,
            ),
            Chart(
                "arena-elo",
                "Arena Elo standings by lab",
                "The best model of each lab in the text arena, as reported for the Stanford 2026 AI Index.",
                420,
                figures.arena_elo,
                arena_rows,
                arena_summary,
                "milestones",
            ),
        )
    }
)


def chart(slug: str, charts: Mapping[str, Chart] = CHARTS) -> Chart:
    """Look a chart up by slug, with a message that lists the known ones."""
    if slug not in charts:
        raise KeyError(f"unknown chart '{slug}'; known charts: {', '.join(charts)}")
    return charts[slug]
