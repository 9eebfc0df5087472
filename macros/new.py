"""Scaffold a release entry in data/models.yaml at its place by date, then validate the result.

Run `python -m macros.new --id qwen9-example --name "Qwen9-Example" --date 2026-11-20 [--data data]`
(or `make new-model ID=… NAME=… DATE=…`). The skeleton validates as written: every value that the
contributor must still replace says TODO (in the value or in its comment), and the test suite refuses
TODO in the real data, so a skeleton cannot be merged unfinished.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import textwrap
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from .dataset import ROOT, load_dataset
from .load import KINDS, DataErrors, Document, parse_date, read_yaml
from .records import PartialDate
from .validate import SCHEMA_DIR

MARKER = "TODO"
PLACEHOLDER_SOURCE = "https://github.com/QwenLM"
COMMENT_COLUMN = 31  # where the `#` of a key's comment starts, as in CONTRIBUTING.md's template
WRAP = 120  # longest line the skeleton writes, comments included
MODELS = KINDS["models"]


class Refusal(Exception):
    """A request the command will not carry out: what is wrong and what to do instead."""

    def __init__(self, problem: str, fix: str):
        super().__init__(f"new-model: {problem} — {fix}")


@dataclass(frozen=True)
class Place:
    """Where the new entry goes: a 0-based line index and the entries around it."""

    index: int
    after: str | None
    before: str | None


# ---------------------------------------------------------------- arguments


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Read --id, --name, --date and --data."""
    parser = argparse.ArgumentParser(prog="python -m macros.new", description="Scaffold a release entry in data/models.yaml.")
    parser.add_argument("--id", required=True, help="lower-case slug, unique, e.g. qwen9-example")
    parser.add_argument("--name", required=True, help="the name as the Qwen team writes it, e.g. Qwen9-Example")
    parser.add_argument("--date", required=True, help="YYYY-MM-DD of the announcement, or YYYY-MM")
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="the data folder (default: data/)")
    return parser.parse_args(argv)


def _schema_defs() -> dict[str, Any]:
    """The `$defs` of the releases schema, the single definition of ids, dates and allowed values."""
    defs: dict[str, Any] = json.loads((SCHEMA_DIR / MODELS.schema).read_text(encoding="utf-8"))["$defs"]
    return defs


def check_id(entry_id: str, known: set[str]) -> str:
    """Refuse an id that is empty, malformed or already taken."""
    pattern = _schema_defs()["id"]["pattern"]
    if not entry_id:
        raise Refusal("the id is empty", "pass --id (make: ID=), a lower-case slug such as qwen9-example")
    if not re.fullmatch(pattern, entry_id):
        raise Refusal(f"'{entry_id}' is not a valid id", "use lower-case letters and digits joined by '.' or '-', such as qwen9-example")
    if entry_id in known:
        raise Refusal(
            f"the id '{entry_id}' is already in data/{MODELS.file}", "pick another id, or add a variant to the existing entry instead"
        )
    return entry_id


def check_name(name: str) -> str:
    """Refuse an empty or multi-line name; return it without surrounding spaces."""
    clean = name.strip()
    if not clean:
        raise Refusal("the name is empty", "pass --name (make: NAME=), the name as the Qwen team writes it")
    if any(ch in clean for ch in "\r\n\t"):
        raise Refusal("the name spans several lines", "pass the release name on one line")
    return clean


def check_date(text: str, today: date) -> PartialDate:
    """Refuse a date that is malformed, not in the calendar or in the future."""
    pattern = _schema_defs()["date"]["pattern"]
    parsed = parse_date(text) if re.fullmatch(pattern, text) else None
    if parsed is None:
        raise Refusal(f"'{text}' is not a date", "write a real calendar date as YYYY-MM-DD, or YYYY-MM if only the month is known")
    if parsed.value > today:
        raise Refusal(f"'{text}' is in the future", f"data records releases that happened; today is {today.isoformat()}")
    return parsed


# ---------------------------------------------------------------- the skeleton


def yaml_scalar(text: str) -> str:
    """Write `text` bare when YAML reads it back unchanged, else double-quoted."""
    try:
        bare_ok = yaml.safe_load(f"key: {text}\n") == {"key": text}
    except yaml.YAMLError:
        bare_ok = False
    return text if bare_ok else json.dumps(text, ensure_ascii=False)


def _line(code: str, comment: str = "", above: str = "") -> list[str]:
    """A line of YAML, its comment aligned at COMMENT_COLUMN, and any longer note as comment lines above it."""
    indent = " " * (len(code) - len(code.lstrip()))
    notes = textwrap.wrap(above, WRAP - len(indent) - 4, break_on_hyphens=False, break_long_words=False)
    lines = [f"{indent}# {n}" if i == 0 else f"{indent}#   {n}" for i, n in enumerate(notes)]
    width = max(COMMENT_COLUMN, len(code) + 2)
    return lines + [f"{code.ljust(width)}# {comment}" if comment else code]


def _allowed(name: str) -> str:
    """The allowed values of a schema definition, comma-separated."""
    return ", ".join(_schema_defs()[name]["enum"])


def _release_enum(key: str) -> str:
    """The allowed values of one key of a release, comma-separated."""
    return ", ".join(_schema_defs()["release"]["properties"][key]["enum"])


def skeleton(entry_id: str, name: str, released: str) -> list[str]:
    """The lines of a release entry that validates as written, with TODO on what to replace."""
    lines = [
        (f"- id: {entry_id}", "required: lower-case slug, unique; used in URLs and references", ""),
        (f"  name: {yaml_scalar(name)}", "required: the name as the Qwen team writes it", ""),
        (f"  released: {released}", "required: YYYY-MM-DD of the announcement (YYYY-MM if only the month is known)", ""),
        ("  # date_note: …", "optional: when sources disagree on the day (Beijing vs UTC, blog vs repo)", ""),
        ("  summary: >-", "required: one or two sentences in your own words", ""),
        (f"    {MARKER}: say what the release is and what is new about it.", "", ""),
        ("  track: base", f"required, {MARKER}: one of the tracks above", f"tracks: {_release_enum('track')}"),
        (
            "  architecture: undisclosed",
            f"required, {MARKER}: as the sources state it",
            f"architectures: {_release_enum('architecture')} (keep undisclosed when the sources do not say; do not guess)",
        ),
        ("  modalities:", f"required, {MARKER}: what goes in and what comes out", ""),
        ("    input: [text]", "", f"allowed: {_allowed('modality')}"),
        ("    output: [text]", "", ""),
        ("  open_weights: false", f"required, {MARKER}: true when the weights are published", ""),
        ("  variants:", "required: one per published size (or API snapshot)", ""),
        (f"    - name: {yaml_scalar(name)}", f"required, {MARKER}: the published name of this size", ""),
        (
            "      license: not-verified",
            f"required, {MARKER}: the licence the source states",
            f"licences: {_allowed('licence')} (proprietary: API only; not-verified: no source settles it)",
        ),
        ("      # params_b: 7", "optional: total parameters in billions; omit when undisclosed", ""),
        ("      # active_params_b: 1", "optional: MoE only; at most params_b", ""),
        ("      # context: 131072", "optional: native context window in tokens", ""),
        ("      # context_max: 1010000", "optional: with extension (YaRN, DCA …); at least context", ""),
        ("      # flavours: [base, instruct]", "optional: base, instruct, thinking, fp8, … (see the schema)", ""),
        ("  techniques: []", f"required (may be []), {MARKER}: ids from data/techniques.yaml, e.g. [moe, yarn]", ""),
        (
            "  parents: []",
            f"required (may be []), {MARKER}: the older releases it comes from",
            "parents, e.g. [{id: qwen3, relation: successor}]; relations are listed in docs/schema/models.schema.json",
        ),
        ("  links: {}", f"required (may be {{}}), {MARKER}: blog, repo, weights, paper, docs (https only)", ""),
        ("  sources:", "required: at least one, https only", ""),
        (f"    - url: {PLACEHOLDER_SOURCE}", f"{MARKER}: the announcement (blog post, model card, README)", ""),
        ("      kind: primary", "primary: the Qwen team's own; secondary: press, trackers", ""),
        ("      title: QwenLM on GitHub", "", ""),
        (f'      note: "{MARKER}: replace with the announcement and say what it supports (date, sizes, licence)."', "", ""),
    ]
    return [text for code, comment, above in lines for text in _line(code, comment, above)]


# ---------------------------------------------------------------- placing it


def _entry_start(lines: list[str], mapping_line: int) -> int:
    """0-based index of the `- ` line that opens the entry whose mapping starts on `mapping_line` (1-based)."""
    index = mapping_line - 1
    while index > 0 and not lines[index].startswith("-"):
        index -= 1
    return index


def _is_divider(line: str) -> bool:
    """A section divider such as `# ------ 2023 – September 2025` belongs to the file, not to one entry."""
    return bool(re.match(r"#\s*[-=]{3,}", line))


def place(lines: list[str], doc: Document, released: PartialDate) -> Place:
    """Before the first entry with a later date, above the comments attached to it (not above a divider)."""
    entries = [(i, raw) for i, raw in enumerate(doc.data) if isinstance(raw, dict)] if isinstance(doc.data, list) else []
    after: str | None = None
    for index, raw in entries:
        when = parse_date(str(raw.get("released", "")))
        if when is not None and when.value > released.value:
            at = _entry_start(lines, doc.line((index,)))
            while at > 0 and lines[at - 1].startswith("#") and not _is_divider(lines[at - 1]):
                at -= 1
            return Place(at, after, str(raw.get("id")))
        after = str(raw.get("id"))
    return Place(len(lines), after, None)


def split_lines(text: str) -> list[str]:
    """Lines with their endings, split on \\n only (as YAML counts lines in these files)."""
    return re.findall(r"[^\n]*\n|[^\n]+$", text)


def insert(text: str, at: int, block: list[str]) -> tuple[str, int]:
    """Insert `block` before line `at`, one blank line from its neighbours; return the text and the block's 1-based line."""
    lines = split_lines(text)
    eol = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += eol
    above = lines[at - 1].strip() if at > 0 else ""
    gap = [eol] if above and not above.startswith("#") else []
    new = gap + [f"{line}{eol}" for line in block] + ([eol] if at < len(lines) and lines[at].strip() else [])
    return "".join(lines[:at] + new + lines[at:]), at + len(gap) + 1


# ---------------------------------------------------------------- the command


def checklist(entry_id: str, file: Path, line: int, where: Place) -> str:
    """What was written, and what the contributor must fill in before opening a pull request."""
    around = ", ".join(p for p in (f"after {where.after}" if where.after else "", f"before {where.before}" if where.before else "") if p)
    return "\n".join(
        [
            f"Added '{entry_id}' to {file} at line {line}{f' ({around})' if around else ''}.",
            f"It validates as written. Replace every {MARKER} before you open a pull request (the tests refuse {MARKER}):",
            "  [ ] summary: one or two sentences in your own words",
            "  [ ] track, architecture, modalities, open_weights: as the announcement states them",
            "  [ ] variants: one per published size, with params_b, context and the licence (not-verified until a source says)",
            "  [ ] techniques, parents, links: technique ids, the older releases it comes from, https links",
            f"  [ ] sources: replace {PLACEHOLDER_SOURCE} with the announcement; mark press and trackers kind: secondary",
            "  [ ] delete the optional lines you do not use and the comments, then run `make validate` and `make serve`",
        ]
    )


class Invalid(Exception):
    """The data did not validate with the new entry; the file was restored."""

    def __init__(self, report: str, already: bool):
        self.report, self.already = report, already
        super().__init__(report)


def scaffold(data_dir: Path, entry_id: str, name: str, when: str, today: date) -> str:
    """Check the request, insert the skeleton and validate; restore the file and raise Invalid if that fails."""
    path = data_dir / MODELS.file
    if not path.is_file():
        raise Refusal(f"{path} does not exist", "pass --data with the folder that holds models.yaml")
    original = path.read_bytes()
    try:
        doc = read_yaml(path, str(path))
    except DataErrors as exc:
        raise Refusal(f"{path} cannot be read ({exc.errors[0]})", "fix it first: make validate") from exc
    known = {str(raw.get("id")) for raw in doc.data if isinstance(raw, dict)} if isinstance(doc.data, list) else set()
    entry_id, name = check_id(entry_id, known), check_name(name)
    released = check_date(when, today)
    text = original.decode("utf-8")
    where = place([line.rstrip("\r\n") for line in split_lines(text)], doc, released)
    new_text, line = insert(text, where.index, skeleton(entry_id, name, when))
    path.write_text(new_text, encoding="utf-8", newline="")
    try:
        load_dataset(data_dir, today)
    except DataErrors as exc:
        path.write_bytes(original)
        raise Invalid(exc.report(), already=not _valid(data_dir, today)) from exc
    except BaseException:
        path.write_bytes(original)  # never leave a half-checked entry behind, whatever stopped the check
        raise
    return checklist(entry_id, _shown(path), line, where)


def _shown(path: Path) -> Path:
    """The path as the contributor typed it: relative to the working directory when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd())
    except ValueError:
        return path


def _valid(data_dir: Path, today: date) -> bool:
    """True when the data folder validates."""
    try:
        load_dataset(data_dir, today)
    except DataErrors:
        return False
    return True


def main(argv: list[str] | None = None) -> int:
    """Scaffold the entry; exit 2 when the request is refused, 1 when the result does not validate."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        print(scaffold(args.data, args.id, args.name, args.date, date.today()))
    except Refusal as exc:
        print(exc, file=sys.stderr)
        return 2
    except Invalid as exc:
        cause = (
            "the data already had these problems before the new entry: fix them first (make validate)"
            if exc.already
            else "the new entry did not validate"
        )
        print(f"new-model: {cause}; {_shown(args.data / MODELS.file)} is restored unchanged.", file=sys.stderr)
        print(exc.report, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
