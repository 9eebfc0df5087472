"""The real data: one test per entry (so `pytest -k qwen3` names the entry), then coverage of the sources."""
from __future__ import annotations

import dataclasses
import re

import pytest

from macros.dataset import load_dataset
from macros.load import KINDS, DataError, DataErrors, read_yaml
from macros.records import Dataset

from .conftest import DATA


def _load() -> tuple[Dataset | None, list[DataError]]:
    try:
        return load_dataset(DATA), []
    except DataErrors as exc:
        return None, exc.errors


DATASET, ERRORS = _load()


def _ids(kind: str) -> list[str]:
    doc = read_yaml(DATA / KINDS[kind].file, f"data/{KINDS[kind].file}")
    return [str(raw.get("id")) for raw in doc.data]


def _errors_for(file: str, entry: str) -> list[str]:
    return [str(e) for e in ERRORS if e.file.endswith(file) and e.entry == entry]


def _data() -> Dataset:
    assert DATASET is not None, "data/ does not validate:\n" + "\n".join(map(str, ERRORS))
    return DATASET


@pytest.mark.parametrize("model_id", _ids("models"))
def test_release(model_id: str) -> None:
    problems = _errors_for("models.yaml", model_id)
    assert not problems, "\n".join(problems)
    m = _data().model(model_id)
    assert m.summary, f"{model_id}: add a one- or two-sentence `summary` in your own words"
    assert all(s.url.startswith("https://") for s in m.sources), f"{model_id}: every source needs an https:// URL"
    assert all(v.name for v in m.variants), f"{model_id}: every variant needs its published name"


@pytest.mark.parametrize("person_id", _ids("people"))
def test_person(person_id: str) -> None:
    problems = _errors_for("people.yaml", person_id)
    assert not problems, "\n".join(problems)
    person = next(p for p in _data().people if p.id == person_id)
    if person.name_zh_status == "corrected":
        assert any(person_id in e.people and e.section == "team" for e in _data().errata), \
            f"{person_id}: a corrected Chinese name needs a team erratum naming this person"


@pytest.mark.parametrize("technique_id", _ids("techniques"))
def test_technique(technique_id: str) -> None:
    problems = _errors_for("techniques.yaml", technique_id)
    assert not problems, "\n".join(problems)
    t = next(x for x in _data().techniques if x.id == technique_id)
    assert len(t.summary.split()) >= 25, f"{technique_id}: explain it in a few sentences (at least 25 words)"
    assert _data().models_using(technique_id), f"{technique_id}: list it in the techniques of the releases that use it"


@pytest.mark.parametrize("erratum_id", _ids("errata"))
def test_erratum(erratum_id: str) -> None:
    problems = _errors_for("errata.yaml", erratum_id)
    assert not problems, "\n".join(problems)
    e = next(x for x in _data().errata if x.id == erratum_id)
    assert e.claim.strip() != e.correction.strip(), f"{erratum_id}: the correction must differ from the claim"


def test_data_validates() -> None:
    assert not ERRORS, "data/ does not validate:\n" + "\n".join(map(str, ERRORS))


# ---------------------------------------------------------------- coverage of the reference documents
# The deep-dive's timeline rows are data (data/deep-dive-rows.yaml, one entry per row in order), and the
# validator proves each is accounted for once; the lists below are the other documents' rows, copied here.

def test_refuted_rows_and_claims_are_errata() -> None:
    errata = _data().errata
    rows = {e.deep_dive_row: e.verdict for e in errata if e.deep_dive_row}
    assert rows.get("Qwen2 (Open weights)") == "removed" and rows.get("Qwen3-Math") == "removed", rows
    assert any("Qwen3-Coder-32B" in e.claim for e in errata), "the claimed Qwen3-Coder-32B needs an erratum"


# factcheck.md Table 2: each missing release, as (release id, a variant name it must hold).
TABLE_2 = [
    ("qwen-vl", "Qwen-VL"), ("qwen-audio", "Qwen-Audio"), ("qwen1.5", "Qwen1.5-32B"), ("qwen1.5", "Qwen1.5-110B"),
    ("qwen1.5-moe", "Qwen1.5-MoE-A2.7B"), ("codeqwen1.5", "CodeQwen1.5-7B"), ("qvq-72b-preview", "QVQ-72B-Preview"),
    ("qwen2.5-math-prm", "Qwen2.5-Math-PRM-7B"), ("qwen2.5-math-prm", "Qwen2.5-Math-PRM-72B"),
    ("qwen2.5-1m", "Qwen2.5-7B-Instruct-1M"), ("qwen2.5-1m", "Qwen2.5-14B-Instruct-1M"), ("qwen2.5-vl", "Qwen2.5-VL-32B"),
    ("qwen2.5-omni", "Qwen2.5-Omni-3B"), ("qwen3-embedding", "Qwen3-Embedding"), ("qwen3-embedding", "Qwen3-Reranker"),
    ("qwen3-coder", "Qwen3-Coder-30B-A3B"), ("qwen-image", "Qwen-Image"), ("qwen-image-edit", "Qwen-Image-Edit"),
    ("qwen-image-edit-2509", "Qwen-Image-Edit-2509"), ("qwen3guard", "Qwen3Guard"), ("qwen3-vl", "Qwen3-VL-2B"),
    ("qwen3-vl", "Qwen3-VL-4B"), ("qwen3-vl", "Qwen3-VL-8B"), ("qwen3-vl", "Qwen3-VL-32B"), ("qwen3-vl", "Qwen3-VL-30B-A3B"),
    ("qwen-image-layered", "Qwen-Image-Layered"), ("qwen-image-edit-2511", "Qwen-Image-Edit-2511"),
    ("qwen-image-2512", "Qwen-Image-2512"),
]


@pytest.mark.parametrize(("model_id", "variant"), TABLE_2, ids=[f"{m}:{v}" for m, v in TABLE_2])
def test_factcheck_table_2_release_present(model_id: str, variant: str) -> None:
    m = _data().model(model_id)
    assert any(v.name.startswith(variant) for v in m.variants), f"{model_id} must hold a variant named {variant}…"


# releases-2025q4-2026.md: the first name of each row (a release, or a variant of one).
LATER_RELEASES = [
    "Qwen3-Max", "Qwen3-VL-30B-A3B", "Qwen3-VL-4B", "Qwen3-VL-2B", "Qwen3-Max-Thinking", "Qwen-Image-Layered",
    "Qwen-Image-Edit-2511", "Qwen-Image-2512", "Qwen3-VL-Embedding", "Qwen3-TTS", "Qwen3-ASR", "Qwen3-Coder-Next",
    "Qwen-Image-2.0", "Qwen3.5-397B-A17B", "Qwen3.5-122B-A10B", "Qwen3.5-9B", "Qwen3.5-Max-Preview", "Qwen3.5-Omni",
    "Qwen3.6-Plus", "Qwen3.6-35B-A3B", "Qwen3.6-Max-Preview", "Qwen3.6-27B", "Qwen3.7-Max", "Qwen3.7-Plus", "Qwen-VLA",
    "Qwen-AgentWorld-35B-A3B", "Qwen-RobotNav", "Qwen3.7-Flash", "Qwen3.8-Max", "Qwen3.8-2.4T-A95B", "Qwen3.8-27B",
    "Qwen3.8-Flash-Next", "Qwen-Drive-1.0-4B", "Qwen3.8-Omni-Flash", "Qwen-Image-2.1",
]


def test_every_later_release_is_present() -> None:
    """Each row of releases-2025q4-2026.md is a release or a variant of one."""
    data = _data()
    missing = [name for name in LATER_RELEASES
               if not any(m.name == name or any(v.name.startswith(name) for v in m.variants) for m in data.models)]
    assert not missing, f"releases-2025q4-2026.md rows with no release or variant: {missing}"


# The deep-dive's "Team Background": the fifteen people, as it names them.
DEEP_DIVE_PEOPLE = ["Zhou Jingren", "Fei Huang", "Lin Junyang", "An Yang", "Binyuan Hui", "Liu Dayiheng", "Jinze Bai",
                    "Baosong Yang", "Bai Shuai", "Wu Chenfei", "Xu Jin", "Bowen Yu", "Tianyi Tang", "Peng Wang", "Steven Hoi"]


def test_fifteen_people_of_the_deep_dive() -> None:
    people = _data().people
    known = {n for p in people for n in (p.name, *p.aliases)}
    missing = [n for n in DEEP_DIVE_PEOPLE if n not in known]
    assert len(people) == 15 and not missing, f"every profile of the deep-dive must be in people.yaml (by name or alias): {missing}"


# The techniques the deep-dive describes (issue #2), by id.
DEEP_DIVE_TECHNIQUES = ["gqa", "dca", "yarn", "rope-abf", "hybrid-attention", "moe", "thinking-modes", "m-rope",
                        "dynamic-resolution", "vit-integration", "data-scaling", "data-mixture", "multi-stage-rl",
                        "three-stage-pretraining", "awq", "gptq", "fp8"]


def test_every_deep_dive_technique_is_explained() -> None:
    ids = {t.id for t in _data().techniques}
    assert not [t for t in DEEP_DIVE_TECHNIQUES if t not in ids]


# ---------------------------------------------------------------- each variant's architecture

PRIMARY_HOSTS = ("https://huggingface.co/Qwen/", "https://github.com/QwenLM/", "https://qwenlm.github.io/", "https://arxiv.org/",
                 "https://modelscope.cn/models/Qwen/", "https://www.modelscope.cn/models/Qwen/", "https://qwen.ai/")


def _shaped() -> list[tuple[str, str]]:
    doc = read_yaml(DATA / KINDS["models"].file, "data/models.yaml")
    return [(raw["id"], v["name"]) for raw in doc.data for v in raw.get("variants", []) if isinstance(v, dict) and "shape" in v]


@pytest.mark.parametrize(("model_id", "variant"), _shaped(), ids=[f"{m}:{v}" for m, v in _shaped()])
def test_variant_shape(model_id: str, variant: str) -> None:
    """A variant's architecture numbers come from its own config.json or card, or the Qwen team's report or blog."""
    v = next(x for x in _data().model(model_id).variants if x.name == variant)
    assert v.shape is not None
    assert v.shape.source.startswith(PRIMARY_HOSTS), \
        f"{model_id} › {variant} › shape › source: cite the model's own config.json or card (Qwen org), a QwenLM repository, the Qwen blog or the report"
    given = [f.name for f in dataclasses.fields(v.shape) if f.name not in ("source", "note", "layer_pattern") and getattr(v.shape, f.name) is not None]
    assert given, f"{model_id} › {variant} › shape: give at least one number from the source"
    if v.shape.experts is not None:
        assert v.is_moe, f"{model_id} › {variant}: experts belong to a mixture-of-experts variant (give active_params_b)"
