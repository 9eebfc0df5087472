"""Each model's architecture: the rows of a shape, the table on a release page, and like-for-like sizes compared
across generations, each change marked and linked to the technique that explains it. Pure: records in, HTML out."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import fmt
from .fmt import esc
from .records import Dataset, Model, Shape, Variant


def _number(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) else fmt.number(value)


def _bytes(value: int) -> str:
    return f"{value / 1024:,.0f} KiB" if value >= 1024 else f"{value} B"


@dataclass(frozen=True)
class Row:
    """One architecture number: its label, how to read it from a variant, how to write it, whether the site
    computes it, and the technique whose adoption changes it."""

    label: str
    value: Callable[[Variant], Any]
    text: Callable[[Any], str] = _number
    derived: bool = False
    technique: str = ""


def _shape(read: Callable[[Shape], Any]) -> Callable[[Variant], Any]:
    return lambda v: None if v.shape is None else read(v.shape)


ROWS = (
    Row("Layers", _shape(lambda s: s.layers)),
    Row("Layer pattern", _shape(lambda s: s.layer_pattern or None), str, technique="hybrid-attention"),
    Row("Full attention every", _shape(lambda s: s.full_attention_interval), lambda n: f"{n}th layer", technique="hybrid-attention"),
    Row("Hidden size", _shape(lambda s: s.hidden_size)),
    Row("Feed-forward width", _shape(lambda s: s.intermediate_size)),
    Row("Query heads", _shape(lambda s: s.attention_heads)),
    Row("Key/value heads", _shape(lambda s: s.kv_heads), technique="gqa"),
    Row("Query heads per KV head", _shape(lambda s: s.query_per_kv_head), fmt.number, derived=True, technique="gqa"),
    Row("Head size", _shape(lambda s: s.head_size), derived=True),
    Row("Vocabulary", _shape(lambda s: s.vocab_size)),
    Row("RoPE base", _shape(lambda s: s.rope_theta), technique="rope-abf"),
    Row("Position embeddings", _shape(lambda s: s.max_position_embeddings)),
    Row("Tied embeddings", _shape(lambda s: s.tie_word_embeddings), lambda b: "yes" if b else "no"),
    Row("Routed experts", _shape(lambda s: s.experts), technique="moe"),
    Row("Experts per token", _shape(lambda s: s.experts_per_token), technique="moe"),
    Row("Shared experts", _shape(lambda s: s.shared_experts), technique="moe"),
    Row("Expert width", _shape(lambda s: s.moe_intermediate_size), technique="moe"),
    Row("KV cache per token (bf16)", _shape(lambda s: s.kv_bytes_per_token), _bytes, derived=True),
    Row("Parameters per layer", lambda v: v.params_per_layer_m, lambda m: f"{fmt.number(m)}M", derived=True),
)
DERIVED_NOTE = (
    "Values in italics are computed by the site from the others: the head size where the config leaves it "
    "to hidden size / query heads, the query heads per KV head, the KV cache per token at bf16 (keys and "
    "values x layers that keep them x KV heads x head size x 2 bytes) and the parameters per layer (the "
    "total less the embeddings, over the layers)."
)


def cell(row: Row, v: Variant) -> str:
    """A row's value for a variant as table text ('–' when not given); derived values in italics. Head size is
    derived only where the config does not state it."""
    value = row.value(v)
    if value is None:
        return "–"
    derived = row.derived and not (row.label == "Head size" and v.shape is not None and v.shape.head_dim is not None)
    return f'<i class="ql-derived">{esc(row.text(value))}</i>' if derived else esc(row.text(value))


def release_table(m: Model) -> str:
    """The architecture of a release's variants, one column each, for its page; empty when none is recorded."""
    shaped = [v for v in m.variants if v.shape is not None]
    if not shaped:
        return ""
    head = "".join(f'<th scope="col">{esc(v.name)}</th>' for v in shaped)
    rows = [
        f'<tr><th scope="row">{esc(r.label)}</th>{"".join(f"<td>{cell(r, v)}</td>" for v in shaped)}</tr>'
        for r in ROWS
        if any(r.value(v) is not None for v in shaped)
    ]
    sources = "".join(f'<td><a href="{esc(v.shape.source)}" rel="noopener">config</a></td>' for v in shaped if v.shape)
    rows.append(f'<tr><th scope="row">Source</th>{sources}</tr>')
    notes = "".join(f"<li>{esc(v.name)}: {esc(v.shape.note)}</li>" for v in shaped if v.shape and v.shape.note)
    return (
        f'<div class="ql-table-wrap"><table class="ql-table ql-table--arch"><thead><tr><th scope="col">Variant</th>{head}'
        f'</tr></thead><tbody>{"".join(rows)}</tbody></table></div><p class="ql-muted">{esc(DERIVED_NOTE)}</p>'
        + (f'<ul class="ql-muted">{notes}</ul>' if notes else "")
    )


# ---------------------------------------------------------------- like-for-like sizes across generations

Pick = tuple[Model, Variant]


@dataclass(frozen=True)
class Line:
    """A like-for-like size followed across generations: which variants qualify, and which one a generation
    shows when several do (`rank`: the lowest wins; ties go to the earliest release)."""

    slug: str
    title: str
    description: str
    qualifies: Callable[[Variant], bool]
    rank: Callable[[Variant], float]


def _dense(low: float, high: float) -> Callable[[Variant], bool]:
    return lambda v: not v.is_moe and v.params_b is not None and low <= v.params_b <= high


LINES = (
    Line(
        "line-7b",
        "The ~7B line",
        "The dense model nearest 7B of each generation: Qwen-7B to Qwen3-8B and on.",
        _dense(6, 10),
        lambda v: abs(math.log((v.params_b or 7) / 7)),
    ),
    Line(
        "line-72b",
        "The ~72B line",
        "The dense model nearest 72B of each generation that has one.",
        _dense(60, 120),
        lambda v: abs(math.log((v.params_b or 72) / 72)),
    ),
    Line(
        "line-moe",
        "The flagship mixture-of-experts line",
        "The largest open mixture-of-experts model of each generation.",
        lambda v: v.is_moe and v.params_b is not None,
        lambda v: -(v.params_b or 0),
    ),
)


def line_picks(data: Dataset, line: Line) -> list[tuple[str, Model, Variant]]:
    """(generation, release, variant) of a line, oldest generation first: among the open text models (track
    base) with a recorded shape, the best-ranked qualifying variant of each generation."""
    best: dict[str, tuple[tuple[float, Any, str], Model, Variant]] = {}
    for m in data.models:
        if m.track != "base" or not m.open_weights:
            continue
        generation = fmt.generation(data, m)
        for v in m.variants:
            if v.shape is None or not m.variant_open(v) or not line.qualifies(v):
                continue
            key = (line.rank(v), m.variant_released(v).value, v.name)
            if generation not in best or key < best[generation][0]:
                best[generation] = (key, m, v)
    picks = sorted(best.items(), key=lambda item: item[1][1].variant_released(item[1][2]).value)
    return [(generation, m, v) for generation, (_, m, v) in picks]


def changes(previous: Variant | None, current: Variant) -> set[str]:
    """The rows whose value differs from the previous generation's, where both are given."""
    if previous is None:
        return set()
    return {r.label for r in ROWS if None not in (r.value(previous), r.value(current)) and r.value(previous) != r.value(current)}


def line_table(data: Dataset, line: Line, root: str) -> str:
    """A line as a table: a row per generation, a column per architecture number; a cell that changed from the
    generation before is marked, with a link to the technique that explains the change where the release uses it."""
    picks = line_picks(data, line)
    if not picks:
        return "<p>No release of this line has a recorded architecture yet.</p>"
    rows = [r for r in ROWS if any(r.value(v) is not None for _, _, v in picks)]
    techniques = {t.id: t for t in data.techniques}
    head = "".join(f'<th scope="col">{esc(r.label)}</th>' for r in rows)
    body, previous = [], None
    for generation, m, v in picks:
        changed = changes(previous, v)
        cells = []
        for r in rows:
            text = cell(r, v)
            if r.label in changed:
                why = (
                    f' <a class="ql-why" href="{root}techniques/#{esc(r.technique)}">{esc(techniques[r.technique].short or techniques[r.technique].name)}</a>'
                    if r.technique in techniques and r.technique in m.techniques
                    else ""
                )
                cells.append(f'<td class="ql-changed" data-changed>{text}{why}</td>')
            else:
                cells.append(f"<td>{text}</td>")
        body.append(
            f'<tr><th scope="row">{esc(generation)}: <a href="{root}models/{esc(m.id)}/">{esc(v.name)}</a></th>{"".join(cells)}</tr>'
        )
        previous = v
    return (
        f'<div class="ql-table-wrap"><table class="ql-table ql-table--arch" id="{esc(line.slug)}-table"><thead><tr>'
        f'<th scope="col">Generation</th>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'
    )


def generation_sections(data: Dataset, root: str) -> str:
    """Every line as a section: its description and its table."""
    return "\n\n".join(
        f"## {fmt.md(line.title)} {{#{line.slug}}}\n\n<p>{esc(line.description)}</p>{line_table(data, line, root)}" for line in LINES
    )
