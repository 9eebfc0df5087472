"""Each model's architecture: derived values against hand-computed cases, the release page's table, and the
comparison across generations, which marks a change exactly where two generations differ."""
from __future__ import annotations

import math
import re
from dataclasses import replace
from datetime import date

import pytest

from macros import architecture, figures
from macros.charts import CHARTS
from macros.dataset import load_dataset
from macros.records import Dataset, Links, Modalities, Model, PartialDate, Shape, Technique, Variant

from .conftest import DATA


@pytest.mark.parametrize(("shape", "head", "kv", "ratio"), [
    # Qwen2.5-7B: 28 layers, 4 KV heads, head size 3584 / 28 = 128: 2 x 28 x 4 x 128 x 2 bytes
    (Shape(source="x", layers=28, hidden_size=3584, attention_heads=28, kv_heads=4), 128, 57_344, 7.0),
    # Qwen1.5-7B, multi-head attention: 32 layers x 32 KV heads x 128: 2 x 32 x 32 x 128 x 2
    (Shape(source="x", layers=32, hidden_size=4096, attention_heads=32, kv_heads=32), 128, 524_288, 1.0),
    # Qwen3-4B states head_dim 128 though 2560 / 32 = 80: the stated size wins; 36 layers, 8 KV heads
    (Shape(source="x", layers=36, hidden_size=2560, attention_heads=32, kv_heads=8, head_dim=128), 128, 147_456, 4.0),
    # Qwen3-Next: 48 layers, full attention every 4th, so 12 keep a cache; 2 KV heads of 256: 2 x 12 x 2 x 256 x 2
    (Shape(source="x", layers=48, attention_heads=16, kv_heads=2, head_dim=256, full_attention_interval=4), 256, 24_576, 8.0),
    # no KV heads given: no cache figure, never a guess
    (Shape(source="x", layers=32, hidden_size=4096, attention_heads=32), 128, None, None),
], ids=["gqa", "mha", "stated-head", "hybrid", "unknown"])
def test_derived_values_match_hand_computed_cases(shape: Shape, head: int | None, kv: int | None, ratio: float | None) -> None:
    assert (shape.head_size, shape.kv_bytes_per_token, shape.query_per_kv_head) == (head, kv, ratio)


def test_parameters_per_layer_leave_out_the_embeddings() -> None:
    # Qwen2.5-7B: 7.61B, embeddings 152,064 x 3,584 twice (untied): (7.61e9 - 1,090,002,944) / 28 = 232.9M
    untied = Shape(source="x", layers=28, hidden_size=3584, vocab_size=152_064, tie_word_embeddings=False)
    assert Variant(name="a", license="x", params_b=7.61, shape=untied).params_per_layer_m == 232.9
    # Qwen2.5-0.5B, tied: (0.49e9 - 151,936 x 896) / 24 = 14.7M
    tied = Shape(source="x", layers=24, hidden_size=896, vocab_size=151_936, tie_word_embeddings=True)
    assert Variant(name="b", license="x", params_b=0.49, shape=tied).params_per_layer_m == 14.7
    assert Variant(name="c", license="x", params_b=0.49, shape=replace(tied, tie_word_embeddings=None)).params_per_layer_m is None


def _model(mid: str, when: str, shape: Shape, techniques: tuple[str, ...] = (), params: float = 7.0) -> Model:
    year, month, day = map(int, when.split("-"))
    return Model(id=mid, name=mid.capitalize(), released=PartialDate(date(year, month, day), "day"), track="base", architecture="dense",
                 modalities=Modalities(input=("text",), output=("text",)), open_weights=True,
                 variants=(Variant(name=f"{mid}-7B", license="apache-2.0", params_b=params, shape=shape),), techniques=techniques, links=Links())


GQA = Technique(id="gqa", name="Grouped-query attention", short="GQA", category="architecture", summary="s", origin="external",
                first_release="qwen2")


def test_the_comparison_marks_a_change_exactly_where_two_generations_differ() -> None:
    base = Shape(source="x", layers=32, hidden_size=4096, attention_heads=32, kv_heads=32, vocab_size=151_936)
    data = Dataset(models=(
        _model("qwen1.5", "2024-02-05", base),
        _model("qwen2", "2024-06-07", replace(base, layers=28, kv_heads=4), ("gqa",)),  # layers and KV heads change
        _model("qwen2.5", "2024-09-19", replace(base, layers=28, kv_heads=4, vocab_size=None)),  # nothing comparable changes
    ), techniques=(GQA,))
    html = architecture.line_table(data, architecture.LINES[0], "../")
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</th>(.*?)</tr>", html)
    header = re.findall(r'<th scope="col">(.*?)</th>', html)[1:]
    marked = {(re.sub("<[^>]+>", "", name), header[i]) for name, cells in rows for i, c in enumerate(re.findall(r"<td[^>]*>.*?</td>", cells))
              if 'data-changed' in c}
    assert marked == {("Qwen2: qwen2-7B", "Layers"), ("Qwen2: qwen2-7B", "Key/value heads"),
                      ("Qwen2: qwen2-7B", "Query heads per KV head"), ("Qwen2: qwen2-7B", "KV cache per token (bf16)")}
    assert html.count('href="../techniques/#gqa"') == 2, "each changed cell a technique explains links to it, where the release uses it"
    assert "Qwen2.5" in html and "–" in html, "a value no source gives is shown blank and never counts as a change"


def test_a_line_takes_one_variant_per_generation_by_its_rule() -> None:
    near = Shape(source="x", layers=28, kv_heads=4, attention_heads=28, hidden_size=3584)
    data = Dataset(models=(_model("qwen2", "2024-06-07", near, params=7.07), _model("qwen2-big", "2024-06-08", near, params=9.5),
                           _model("qwen2.5", "2024-09-19", near, params=12)))
    picks = [(g, v.name) for g, _, v in architecture.line_picks(data, architecture.LINES[0])]
    assert picks == [("Qwen2", "qwen2-7B")], "the size nearest 7B of a generation, and none outside 6-10B"


def test_a_release_page_shows_each_variants_architecture_with_its_source() -> None:
    data = load_dataset(DATA)
    m = next(m for m in data.models if sum(v.shape is not None for v in m.variants) >= 2)
    html = architecture.release_table(m)
    for v in m.variants:
        if v.shape is not None:
            assert f">{v.name}</th>" in html and f'href="{v.shape.source}"' in html
    assert 'class="ql-derived"' in html, "computed values are told apart from the config's"
    assert architecture.release_table(replace(m, variants=tuple(replace(v, shape=None) for v in m.variants))) == ""


def test_every_line_on_the_real_data_follows_its_rule() -> None:
    data = load_dataset(DATA)
    for line in architecture.LINES:
        picks = architecture.line_picks(data, line)
        dates = [m.variant_released(v).value for _, m, v in picks]
        assert dates == sorted(dates), f"{line.slug}: generations oldest first"
        assert len({g for g, _, _ in picks}) == len(picks), f"{line.slug}: one model per generation"
        assert all(m.track == "base" and line.qualifies(v) and v.shape is not None for _, m, v in picks)


def test_the_kv_cache_chart_labels_every_point_with_its_model_and_each_line_in_place() -> None:
    data = load_dataset(DATA)
    fig = CHARTS["kv-cache"].figure(data)
    labels: dict[tuple[str, float], list[str]] = {}
    for a in fig.layout.annotations:
        labels.setdefault((a.x, round(a.y, 6)), []).append(a.text)
    for trace in fig.data:
        assert trace.showlegend is False, "each line is named where it ends, not in a legend"
        assert all(mid in data.by_id for mid in trace.customdata)
        for i, (x, y) in enumerate(zip(trace.x, trace.y, strict=True)):
            texts = labels.get((x, round(math.log10(y), 6)), [])  # annotations on a log axis take the exponent
            assert texts, f"{trace.name}: the point at {x} has no label"
            if i == len(trace.x) - 1:
                short = trace.name.removeprefix("The ").removesuffix(" line")
                assert any(t.startswith(short + ":") for t in texts), f"the last point of {trace.name} must name its line: {texts}"
    points = figures.kv_cache_points(data)
    assert {v.name for *_, v in points} <= {t.split(": ")[-1] for texts in labels.values() for t in texts}, "every plotted model is named"
    assert fig.layout.yaxis.type == "log"
