"""`python -m macros.new` / `make new-model`: a valid skeleton at its place by date, refusals, and no skeleton left in data/."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from yamllint import linter
from yamllint.config import YamlLintConfig

from macros import new
from macros.load import parse_date, read_yaml
from macros.dataset import load_dataset

from .conftest import DATA, ROOT

MODELS = "models.yaml"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A writable copy of the whole real data/ folder."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def scaffold(data: Path, entry_id: str = "qwen9-example", name: str = "Qwen9-Example", when: str = "2025-10-15") -> int:
    """Run the command in-process on `data`; return its exit code."""
    return new.main([f"--id={entry_id}", f"--name={name}", f"--date={when}", f"--data={data}"])


def entries(path: Path) -> list[tuple[str, str]]:
    """(id, released) of every entry, in file order."""
    return [(str(raw["id"]), str(raw["released"])) for raw in read_yaml(path, path.name).data]


def expected_order(before: list[tuple[str, str]], entry_id: str, when: str) -> list[str]:
    """Ids after inserting `entry_id` before the first entry released later than `when`."""
    value = parse_date(when).value
    at = next((i for i, (_, r) in enumerate(before) if parse_date(r).value > value), len(before))
    ids = [i for i, _ in before]
    return ids[:at] + [entry_id] + ids[at:]


# ---------------------------------------------------------------- placing the entry

@pytest.mark.parametrize("when", ["2023-01-15", "2025-10-15", "2026-02-16", "2026-11"])
def test_inserts_between_its_neighbours_by_date(data_dir: Path, when: str) -> None:
    before = entries(data_dir / MODELS)
    assert scaffold(data_dir, when=when) == 0
    assert [i for i, _ in entries(data_dir / MODELS)] == expected_order(before, "qwen9-example", when), \
        "the new entry must go before the first entry released later (entries are ordered by date)"


def test_only_adds_lines_and_keeps_every_comment(data_dir: Path) -> None:
    original = (data_dir / MODELS).read_text(encoding="utf-8").splitlines()
    assert scaffold(data_dir) == 0
    result = (data_dir / MODELS).read_text(encoding="utf-8").splitlines()
    start = next(i for i, (a, b) in enumerate(zip(original, result)) if a != b)
    added = len(result) - len(original)
    assert result[:start] + result[start + added:] == original, "the command must insert text, never rewrite the file"
    kept = result[:start] + result[start + added:]
    assert [c for c in kept if c.lstrip().startswith("#")] == [c for c in original if c.lstrip().startswith("#")], \
        "every comment line of the file must stay, in order"
    assert result[start:start + added][-1] == "", "the new entry is followed by a blank line"


def test_result_validates_with_the_given_values(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    order = expected_order(entries(data_dir / MODELS), "qwen9-example", "2025-10-15")
    assert scaffold(data_dir, name="Qwen9: Example #1") == 0
    model = load_dataset(data_dir).model("qwen9-example")
    assert (model.name, model.released.iso, model.released.precision) == ("Qwen9: Example #1", "2025-10-15", "day")
    assert [v.name for v in model.variants] == ["Qwen9: Example #1"]
    assert model.sources[0].url == new.PLACEHOLDER_SOURCE and model.sources[0].primary
    out = capsys.readouterr().out
    previous = order[order.index("qwen9-example") - 1]
    assert "Added 'qwen9-example'" in out and f"after {previous}" in out, out
    assert "[ ] summary" in out and "[ ] sources" in out, "print the checklist of what to fill in"


def test_month_precision_is_accepted(data_dir: Path) -> None:
    assert scaffold(data_dir, when="2026-11") == 0
    model = load_dataset(data_dir).model("qwen9-example")
    assert (model.released.iso, model.released.precision) == ("2026-11", "month")


def test_every_placeholder_is_marked_todo() -> None:
    lines = new.skeleton("qwen9-example", "Qwen9-Example", "2026-11-20")
    for key in ("summary", "track", "architecture", "modalities", "open_weights", "license", "techniques",
                "parents", "links", "url", "note"):
        line = next(i for i, text in enumerate(lines) if re.match(rf"\s*(- )?{key}:", text))
        nearby = " ".join(lines[line:line + 2])
        assert new.MARKER in nearby, f"`{key}` holds a placeholder: mark it {new.MARKER}"


def test_skeleton_passes_yamllint(data_dir: Path) -> None:
    assert scaffold(data_dir) == 0
    config = YamlLintConfig(file=str(ROOT / ".yamllint.yml"))
    text = (data_dir / MODELS).read_text(encoding="utf-8")
    problems = [f"line {p.line}: {p.desc} ({p.rule})" for p in linter.run(text, config, "data/models.yaml")]
    assert not problems, "\n".join(problems)


def test_keeps_windows_line_endings(data_dir: Path) -> None:
    path = data_dir / MODELS
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert scaffold(data_dir) == 0
    raw = path.read_bytes()
    assert raw.count(b"\n") == raw.count(b"\r\n"), "keep the file's line endings"


SMALL = """\
# header
#
# ---------------------------------------------------------------- early
- id: a
  released: 2024-01-01

# ---------------------------------------------------------------- later

# about b
- id: b
  released: 2024-06-01
"""


@pytest.mark.parametrize(("when", "after", "before_line", "order"), [
    ("2023-01-01", "# ---------------------------------------------------------------- early", "- id: a", "xab"),
    ("2024-03-01", "", "# about b", "axb"),
    ("2024-05", "", "# about b", "axb"),
    ("2024-06-01", "", None, "abx"),
])
def test_place_keeps_dividers_and_attached_comments(tmp_path: Path, when: str, after: str, before_line: str | None,
                                                    order: str) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(SMALL, encoding="utf-8")
    where = new.place(SMALL.splitlines(), read_yaml(path, "m.yaml"), parse_date(when))
    text, line = new.insert(SMALL, where.index, ["- id: x", f"  released: {when}"])
    lines = text.splitlines()
    assert lines[line - 1] == "- id: x"
    assert lines[line - 2] == after, "a divider stays above the entries of its section; entries are one blank line apart"
    if before_line is not None:
        assert lines[line + 1:line + 3] == ["", before_line], "a comment directly above an entry stays with it"
    assert "".join(e["id"] for e in yaml.safe_load(text)) == order
    assert [line for line in lines if line.startswith("#")] == [line for line in SMALL.splitlines() if line.startswith("#")]


# ---------------------------------------------------------------- refusals: exit 2, one line, file unchanged

def refused(data: Path, capsys: pytest.CaptureFixture[str], **kwargs: str) -> str:
    """Run a request that must be refused; return its message after checking exit code and file."""
    before = (data / MODELS).read_bytes()
    assert scaffold(data, **kwargs) == 2
    assert (data / MODELS).read_bytes() == before, "a refused request must leave the file unchanged"
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and " — " in err, f"one line naming the problem and the fix: {err!r}"
    return err


def test_duplicate_id_is_refused(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert "already in" in refused(data_dir, capsys, entry_id="qwen3")


@pytest.mark.parametrize("entry_id", ["Qwen9", "qwen9_example", "-qwen9", "qwen..9", "qwen9 example", ""])
def test_malformed_id_is_refused(data_dir: Path, capsys: pytest.CaptureFixture[str], entry_id: str) -> None:
    assert "id" in refused(data_dir, capsys, entry_id=entry_id)


def test_future_date_is_refused(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    assert "in the future" in refused(data_dir, capsys, when=tomorrow)


@pytest.mark.parametrize("when", ["2026-13-01", "2025-02-30", "20251120", "2025-1-5", "next week", ""])
def test_malformed_date_is_refused(data_dir: Path, capsys: pytest.CaptureFixture[str], when: str) -> None:
    assert "is not a date" in refused(data_dir, capsys, when=when)


@pytest.mark.parametrize("name", ["", "   "])
def test_empty_name_is_refused(data_dir: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    assert "name is empty" in refused(data_dir, capsys, name=name)


# ---------------------------------------------------------------- a result that does not validate is rolled back

def test_invalid_result_is_restored(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = (data_dir / MODELS).read_bytes()
    assert scaffold(data_dir, name="Q" * 200) == 1
    assert (data_dir / MODELS).read_bytes() == before, "restore the original file when the result does not validate"
    err = capsys.readouterr().err
    assert "did not validate" in err and "qwen9-example" in err, err


def test_existing_problems_are_named_as_such(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    errata = data_dir / "errata.yaml"
    errata.write_text(errata.read_text(encoding="utf-8").replace("verdict: corrected", "verdict: wrong", 1), encoding="utf-8")
    before = (data_dir / MODELS).read_bytes()
    assert scaffold(data_dir) == 1
    assert (data_dir / MODELS).read_bytes() == before
    assert "already had these problems" in capsys.readouterr().err


# ---------------------------------------------------------------- the command line and make

def test_runs_as_a_module(data_dir: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "macros.new", "--id", "qwen3", "--name", "Qwen3", "--date", "2025-04-29",
                             "--data", str(data_dir)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and result.stderr.startswith("new-model: "), result.stderr


def test_make_target_runs_the_module() -> None:
    result = subprocess.run(["make", "-n", "new-model", "ID=qwen9-example", "NAME=Qwen9-Example", "DATE=2026-11-20"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    command = '.venv/bin/python -m macros.new --id "qwen9-example" --name "Qwen9-Example" --date "2026-11-20"'
    assert command in result.stdout.splitlines(), result.stdout


# ---------------------------------------------------------------- the real data

def test_no_unfinished_skeleton_in_data() -> None:
    """A scaffolded entry validates as written; this is what stops it from being merged unfinished."""
    text = (DATA / MODELS).read_text(encoding="utf-8")
    left = [f"data/{MODELS}:{n}" for n, line in enumerate(text.splitlines(), 1) if new.MARKER in line]
    assert not left, (f"{', '.join(left)}: replace every {new.MARKER} left by `make new-model` "
                      "with the facts and their sources, and delete the template comments")
