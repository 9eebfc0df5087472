"""The validator: a corpus of malformed inputs, each failing with the exact file, line and a fix.

Each case edits one file of the small valid fixture. The line the error must point at carries the
marker `# <-` in the edited text, so the expected line is read from the data, not typed twice.
"""
from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from macros.load import DataErrors
from macros.dataset import load_dataset

from .conftest import ROOT, VALID, fast_check_disagreements, mkdocs_build

MARK = "# <-"


@dataclass(frozen=True)
class Case:
    id: str
    file: str
    old: str
    new: str
    message: str
    also: tuple[tuple[str, str], ...] = ()

    def apply(self, folder: Path) -> int:
        """Edit the file; return the 1-based line of the marker (1 when there is none)."""
        path = folder / self.file
        text = path.read_text(encoding="utf-8")
        for old, new in ((self.old, self.new),) + self.also:
            assert text.count(old) == 1, f"case {self.id}: the text to replace must occur once in {self.file}"
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
        return next((i for i, line in enumerate(text.splitlines(), 1) if MARK in line), 1)


CASES = [
    Case("duplicate-id", "models.yaml", "- id: gamma", f"- id: alpha  {MARK}", "duplicate id 'alpha'"),
    Case("duplicate-key", "models.yaml", "  name: Alpha\n", f"  name: Alpha\n  name: Again  {MARK}\n", "duplicate key 'name'"),
    Case("impossible-date", "models.yaml", "released: 2023-08-03", f"released: 2024-13-45  {MARK}", "'2024-13-45' is not a date"),
    Case("february-30", "models.yaml", "released: 2025-01-28", f"released: 2025-02-30  {MARK}", "'2025-02-30' is not a date"),
    Case("malformed-date", "models.yaml", "released: 2025-01-28", f"released: 28/01/2025  {MARK}", "is not a date"),
    Case("future-date", "models.yaml", "released: 2025-01-28", f"released: 2999-01-01  {MARK}", "is in the future"),
    Case("unknown-field", "models.yaml", "  track: base\n", f"  track: base\n  colour: red  {MARK}\n", "unknown field 'colour'"),
    Case("missing-field", "models.yaml", "- id: alpha\n  name: Alpha\n  released: 2023-08-03\n  track: base\n",
         f"- id: alpha  {MARK}\n  name: Alpha\n  released: 2023-08-03\n", "missing required field 'track'"),
    Case("wrong-type", "models.yaml", "      params_b: 7\n", f"      params_b: seven  {MARK}\n", "is not of type number"),
    Case("bad-enum", "models.yaml", "  track: coder", f"  track: robots  {MARK}", "'robots' is not an allowed value"),
    Case("bad-id", "models.yaml", "- id: gamma", f"- id: Gamma Model  {MARK}", "is not a valid id"),
    Case("unresolved-technique", "models.yaml", "  techniques: [tech-a, tech-b]", f"  techniques: [tech-a, tech-z]  {MARK}",
         "'tech-z' is not an id in data/techniques.yaml"),
    Case("unresolved-parent", "models.yaml", "    - id: beta\n", f"    - id: delta  {MARK}\n", "'delta' is not an id in data/models.yaml"),
    Case("unresolved-person-release", "people.yaml", "  releases: [alpha, beta]", f"  releases: [alpha, omega]  {MARK}",
         "'omega' is not an id in data/models.yaml"),
    Case("unresolved-erratum-subject", "errata.yaml", "  releases: [alpha]", f"  releases: [zeta]  {MARK}", "'zeta' is not an id"),
    Case("lineage-cycle", "models.yaml", "  techniques: [tech-a]\n  parents: []\n",
         f"  techniques: [tech-a]\n  parents:\n    - id: gamma  {MARK}\n      relation: update\n", "lineage cycle: alpha → gamma → beta → alpha"),
    Case("parent-newer", "models.yaml", "    - id: alpha\n      relation: successor", f"    - id: alpha  {MARK}\n      relation: successor",
         "parent 'alpha' (2024-12-01) is newer", also=(("released: 2023-08-03", "released: 2024-12-01"),)),
    Case("http-url", "models.yaml", "    blog: https://example.org/alpha/", f"    blog: http://example.org/alpha/  {MARK}", "is not an https:// URL"),
    Case("javascript-url", "models.yaml", "    - url: https://news.example.org/beta", f"    - url: javascript:alert(1)  {MARK}", "is not an https:// URL"),
    Case("yaml-syntax", "models.yaml", "  name: Beta\n", f"  name: Beta: Again  {MARK}\n", "YAML syntax error"),
    Case("empty-file", "people.yaml", VALID.joinpath("people.yaml").read_text(encoding="utf-8"), "", "the file is empty"),
    Case("not-a-list", "techniques.yaml", VALID.joinpath("techniques.yaml").read_text(encoding="utf-8"),
         f"# a mapping instead of a list\ntech-a:  {MARK}\n  id: tech-a\n", "must hold a YAML list"),
    Case("active-above-total", "models.yaml", "      active_params_b: 3", f"      active_params_b: 40  {MARK}", "40B active is more than 30B total"),
    Case("context-max-below", "models.yaml", "      context_max: 131072", f"      context_max: 1024  {MARK}", "below the native"),
    Case("closed-with-licence", "models.yaml", "      license: proprietary", f"      license: apache-2.0  {MARK}", "closed weights with licence 'apache-2.0'"),
    Case("dense-with-moe", "models.yaml", "  architecture: dense-and-moe", "  architecture: dense", "a dense release has an MoE variant"),
    Case("first-release-mismatch", "techniques.yaml", "  first_release: beta", f"  first_release: gamma  {MARK}", "does not list technique 'tech-b'"),
    Case("row-unaccounted", "models.yaml", '  deep_dive_rows: ["Alpha"]\n', "", "deep-dive row 'Alpha' is not accounted for"),
    Case("python-tag", "models.yaml", "  name: Gamma", f"  name: !!python/object/apply:os.system [echo]  {MARK}", "cannot read this value"),
    Case("milestone-duplicate-id", "milestones.yaml", "- id: downloads-b", f"- id: downloads-a  {MARK}", "duplicate id 'downloads-a'"),
    Case("milestone-future-date", "milestones.yaml", "  date: 2025-01-10\n  metric: cumulative-downloads",
         f"  date: 2999-01-10  {MARK}\n  metric: cumulative-downloads", "'2999-01-10' is in the future"),
    Case("milestone-unresolved-release", "milestones.yaml", "  releases: [alpha]", f"  releases: [omega]  {MARK}",
         "'omega' is not an id in data/models.yaml"),
    Case("ecosystem-unresolved-release", "ecosystem.yaml", "    verdict: primary\n    releases: [beta]\n    sources:\n      - url: https://example.org/tool",
         f"    verdict: primary\n    releases: [zeta]  {MARK}\n    sources:\n      - url: https://example.org/tool",
         "tools › tool-a › releases[0]: 'zeta' is not an id in data/models.yaml"),
    Case("ecosystem-bad-url", "ecosystem.yaml", "    url: https://example.org/runtime", f"    url: javascript:alert(1)  {MARK}",
         "integrations › runtime-a › url: 'javascript:alert(1)' is not an https:// URL"),
    Case("variant-before-release", "models.yaml", "      released: 2024-07-01", f"      released: 2024-01-01  {MARK}", "before the release date"),
    Case("shape-kv-heads", "models.yaml", "        kv_heads: 8\n", f"        kv_heads: 7  {MARK}\n", "7 key/value heads do not divide 40 query heads"),
    Case("shape-experts-per-token", "models.yaml", "        experts_per_token: 8\n", f"        experts_per_token: 200  {MARK}\n",
         "200 experts per token out of 128"),
    Case("shape-experts-on-dense", "models.yaml", "        kv_heads: 8\n", f"        kv_heads: 8\n        experts: 8  {MARK}\n",
         "experts on a variant without active parameters"),
    Case("shape-layer-pattern", "models.yaml", "        moe_intermediate_size: 768\n",
         f"        moe_intermediate_size: 768\n        full_attention_interval: 5  {MARK}\n", "48 layers are not a whole number of groups of 5"),
    Case("shape-unknown-key", "models.yaml", "        moe_intermediate_size: 768\n", f"        moe_intermediate_size: 768\n        num_layers: 48  {MARK}\n",
         "unknown field 'num_layers'"),
    Case("shape-without-source", "models.yaml", "      released: 2024-07-01\n      shape:\n", f"      released: 2024-07-01\n      shape:  {MARK}\n",
         "missing required field 'source'", also=(("        source: https://example.org/beta/moe/config.json\n", ""),)),
]

MARKLESS = {"dense-with-moe": ("models.yaml", "      active_params_b: 3"),
            "row-unaccounted": ("deep-dive-rows.yaml", '- row: "Alpha"')}


def _line_of(folder: Path, file: str, text: str) -> int:
    return next(i for i, line in enumerate((folder / file).read_text(encoding="utf-8").splitlines(), 1) if text in line)


def test_valid_fixture_passes() -> None:
    data = load_dataset(VALID)
    assert [m.id for m in data.models] == ["alpha", "beta", "gamma"], "the fixture must load in file order"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_malformed_input_is_located(case: Case, data_copy: Path) -> None:
    line = case.apply(data_copy)
    if case.id in MARKLESS:
        file, text = MARKLESS[case.id]
        line = _line_of(data_copy, file, text)
    else:
        file = case.file
    with pytest.raises(DataErrors) as caught:
        load_dataset(data_copy)
    found = [e for e in caught.value.errors if case.message in str(e)]
    assert found, f"expected an error containing {case.message!r}; got:\n{caught.value.report()}"
    where = [(Path(e.file).name, e.line) for e in found]
    assert (file, line) in where, f"expected the error at {file}:{line}, got {where}:\n{caught.value.report()}"
    assert all(" — " in str(e) for e in found), "every error must say what to do after ' — '"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_fast_schema_check_never_passes_what_jsonschema_rejects(case: Case, data_copy: Path) -> None:
    case.apply(data_copy)
    assert not fast_check_disagreements(data_copy)


def test_every_error_is_listed_before_failing(data_copy: Path) -> None:
    CASES[2].apply(data_copy)   # impossible date
    CASES[11].apply(data_copy)  # unresolved technique
    CASES[13].apply(data_copy)  # unresolved person release
    with pytest.raises(DataErrors) as caught:
        load_dataset(data_copy)
    text = caught.value.report()
    for expected in ("'2024-13-45' is not a date", "'tech-z' is not an id", "'omega' is not an id"):
        assert expected in text, f"all problems must be reported together; missing {expected!r} in:\n{text}"


def test_error_names_file_line_entry_and_field(data_copy: Path) -> None:
    line = CASES[2].apply(data_copy)
    with pytest.raises(DataErrors) as caught:
        load_dataset(data_copy)
    text = str(next(e for e in caught.value.errors if "not a date" in str(e)))
    assert text.startswith(f"{data_copy / 'models.yaml'}:{line}: alpha › released: '2024-13-45' is not a date — write"), text


def test_cli_prints_the_same_messages(data_copy: Path) -> None:
    CASES[2].apply(data_copy)
    result = subprocess.run([sys.executable, "-m", "macros.dataset", str(data_copy)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, "python -m macros.dataset must exit non-zero on bad data"
    assert "alpha › released: '2024-13-45' is not a date" in result.stderr, result.stderr


def test_cli_accepts_valid_data() -> None:
    result = subprocess.run([sys.executable, "-m", "macros.dataset", str(VALID)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "data OK: 3 releases" in result.stdout


@pytest.mark.build
def test_build_fails_on_bad_data(data_copy: Path, tmp_path: Path) -> None:
    line = CASES[2].apply(data_copy)
    result = mkdocs_build(tmp_path / "site", data_copy)
    assert result.returncode != 0, "mkdocs build must exit non-zero when the data is malformed"
    assert f"models.yaml:{line}: alpha › released: '2024-13-45' is not a date" in result.stderr, result.stderr[-3000:]


# ---------------------------------------------------------------- one fault, one message

def test_one_bad_date_gives_one_message_and_no_echo(data_copy: Path) -> None:
    """An entry with an error of its own is left out of the records, but the rules across entries still count
    it: its deep-dive row and its id stay accounted for, so the contributor sees one message, not three."""
    line = CASES[2].apply(data_copy)  # alpha's date; alpha accounts for the deep-dive row "Alpha" and is a parent
    with pytest.raises(DataErrors) as caught:
        load_dataset(data_copy)
    assert [(e.line, e.field) for e in caught.value.errors] == [(line, "released")], caught.value.report()


NAMES = [("close-title", "</title><meta http-equiv=refresh content=0;url=https://example.org/>"), ("tag", "Qwen <b>X</b>"),
         ("entity", "Qwen &lt;/title&gt;"), ("numeric-entity", "Qwen &#60;script&#62;"), ("hex-entity", "Qwen &#x3c;x")]


@pytest.mark.parametrize(("file", "old"), [("models.yaml", "  name: Alpha\n"), ("people.yaml", "  name: Test Person\n"),
                                           ("techniques.yaml", "  name: Technique A\n")], ids=["release", "person", "technique"])
@pytest.mark.parametrize(("case", "name"), NAMES, ids=[n for n, _ in NAMES])
def test_a_name_with_markup_is_refused(data_copy: Path, file: str, old: str, case: str, name: str) -> None:
    """Names become page titles, headings and link text: markup, or an entity a template could decode into
    markup, has no place in one."""
    path = data_copy / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"the fixture's {file} must hold {old!r} once"
    path.write_text(text.replace(old, f"  name: {json.dumps(name)}\n"), encoding="utf-8")
    with pytest.raises(DataErrors) as caught:
        load_dataset(data_copy)
    assert any("a name must be plain text" in str(e) and e.field == "name" for e in caught.value.errors), caught.value.report()


def test_a_name_with_an_ampersand_or_quotes_is_plain_text(data_copy: Path) -> None:
    path = data_copy / "models.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  name: Alpha\n", '  name: "Alpha & \\"Co\\" 1.0"\n'), encoding="utf-8")
    assert load_dataset(data_copy).model("alpha").name == 'Alpha & "Co" 1.0'


@pytest.mark.parametrize(("edges", "expected"), [
    ({"a": [], "b": ["a"], "c": ["b"]}, []),
    ({"a": ["c"], "b": ["a"], "c": ["b"]}, [["a", "c", "b"]]),
    ({"a": ["a"]}, []),  # a release that is its own parent gets its own message (model_rules)
    ({"a": ["b"], "b": ["a"], "c": ["d"], "d": ["c"]}, [["a", "b"], ["c", "d"]]),
], ids=["none", "three", "self", "two"])
def test_each_lineage_cycle_is_found_once(edges: dict[str, list[str]], expected: list[list[str]]) -> None:
    from datetime import date

    from macros.records import Links, Modalities, Model, Parent, PartialDate
    from macros.validate import lineage_cycles

    models = tuple(Model(id=i, name=i, released=PartialDate(date(2024, 1, 1), "day"), track="base", architecture="dense",
                         modalities=Modalities(input=("text",), output=("text",)), open_weights=True, variants=(),
                         parents=tuple(Parent(id=p, relation="successor") for p in ps), links=Links()) for i, ps in edges.items())
    assert lineage_cycles(models) == expected
