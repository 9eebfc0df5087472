"""Read data/*.yaml safely, keep line numbers, and turn checked dicts into records."""
from __future__ import annotations

import calendar
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from .records import (
    DeepDiveRow, EcosystemEntry, Erratum, Milestone, Model, Paper, Parent, PartialDate, Person, Source, StatusChange, Technique, Variant,
)

Path_ = tuple[Any, ...]


@dataclass(frozen=True)
class DataError(Exception):
    """One problem in one place of one data file, with what to do about it."""

    file: str
    line: int
    entry: str
    field: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = " › ".join(p for p in (self.entry, self.field) if p)
        text = f"{self.file}:{self.line}: {where + ': ' if where else ''}{self.message}"
        return f"{text} — {self.hint}" if self.hint else text


class DataErrors(Exception):
    """Every problem found in the data, raised once after all checks ran."""

    def __init__(self, errors: list[DataError]):
        self.errors = sorted(errors, key=lambda e: (e.file, e.line, e.entry, e.field, e.message))
        super().__init__(self.report())

    def report(self) -> str:
        lines = [str(e) for e in self.errors]
        return f"{len(lines)} problem(s) in the data:\n" + "\n".join(lines)


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates as strings, so the validator can say what is wrong."""


# libyaml's parser (in PyYAML's wheels) composes the node tree ten times faster than the pure-Python one;
# both keep line numbers, and the same resolvers decide the tags.
_Parser: type = getattr(yaml, "CSafeLoader", _Loader)


class _FastLoader(_Parser):  # type: ignore[misc, valid-type]
    """The parser that reads data files: libyaml when available, with dates left as strings."""

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        """The tag of a node, remembered per scalar text: keys and enum values repeat thousands of times,
        and the implicit resolvers depend on nothing but the text and its quoting."""
        if kind is not yaml.ScalarNode:
            return super().resolve(kind, value, implicit)
        key = (value, implicit)
        tag = _RESOLVED.get(key)
        if tag is None:
            tag = _RESOLVED[key] = super().resolve(kind, value, implicit)
        return tag


_RESOLVED: dict[tuple[str, Any], str] = {}
_STR = "tag:yaml.org,2002:str"


for _cls in (_Loader, _FastLoader):
    _cls.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


_PLAIN_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_SCALARS = _Loader("")  # one constructor instance turns scalar nodes into str/int/float/bool/None


@dataclass(frozen=True)
class Document:
    """A parsed YAML file: plain data plus the 1-based line of every node and key."""

    file: str
    data: Any
    lines: dict[Path_, int]

    def line(self, path: Path_) -> int:
        """Line of the deepest node on `path` that exists."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return 1


@contextmanager
def gc_paused() -> Iterator[None]:
    """Hold off Python's cycle collector while data files become data. Reading them makes hundreds of
    thousands of objects and no reference cycles, yet as they pile up the collector walks them again and
    again: at 10,000 releases that was 5.2 s of the 6.4 s reading models.yaml took. Whatever cycles are
    made meanwhile are collected once it runs again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_yaml(path: Path, label: str) -> Document:
    """Parse one file; raise DataErrors for syntax errors, duplicate keys and empty files."""
    with gc_paused():
        return _read_yaml(path, label)


def _read_yaml(path: Path, label: str) -> Document:
    text = path.read_text(encoding="utf-8")
    loader = _FastLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise DataErrors([DataError(label, line, "", "", f"YAML syntax error: {problem}",
                                    "fix the indentation or quoting on this line")]) from exc
    finally:
        loader.dispose()
    if node is None:
        raise DataErrors([DataError(label, 1, "", "", "the file is empty",
                                    "it must hold a YAML list of entries (see the template in CONTRIBUTING.md)")])
    lines: dict[Path_, int] = {}
    problems: list[tuple[Path_, int, str, str]] = []
    data = _build(node, (), lines, problems)
    if problems:
        raise DataErrors([error_at(label, data, path, line, msg, hint) for path, line, msg, hint in problems])
    return Document(label, data, lines)


def entry_path(data: Any, path: Path_) -> int | None:
    """How many steps of `path` lead to the entry it is in (a list item with an id, or a top-level item)."""
    node = data
    for depth, step in enumerate(path):
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return None
        if isinstance(step, int) and isinstance(node, dict) and (depth == 0 or isinstance(node.get("id"), str)):
            return depth + 1
    return None


def entry_name(data: Any, path: Path_) -> str:
    """'qwen2.5', 'tools › qwen-code' or 'entry #3': the entry `path` points into."""
    depth = entry_path(data, path)
    if depth is None:
        return ""
    node = data
    for step in path[:depth]:
        node = node[step]
    ident = node.get("id") if isinstance(node, dict) else None
    name = ident if isinstance(ident, str) and ident else f"entry #{path[depth - 1] + 1}"
    prefix = _field(path[:depth - 1])
    return f"{prefix} › {name}" if prefix else name


def error_at(label: str, data: Any, path: Path_, line: int, message: str, hint: str) -> DataError:
    """Make a DataError naming the entry (by its id) and the field that `path` points at."""
    depth = entry_path(data, path)
    if depth is None:
        return DataError(label, line, "", _field(path), message, hint)
    return DataError(label, line, entry_name(data, path), _field(path[depth:]), message, hint)


def _build(node: yaml.Node, path: Path_, lines: dict[Path_, int], problems: list[tuple[Path_, int, str, str]]) -> Any:
    """Turn a node tree into plain data, recording lines and rejecting duplicate keys."""
    lines[path] = node.start_mark.line + 1
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in _PLAIN_TAGS:
        problems.append((path, lines[path], f"cannot read this value: unsupported tag {node.tag!r}",
                         "write a plain list or mapping (no !!tags)"))
        return None
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = (key_node.value if key_node.tag == _STR else _SCALARS.construct_object(key_node)) \
                if isinstance(key_node, yaml.ScalarNode) else None
            key_line = key_node.start_mark.line + 1
            if not isinstance(key, str):
                problems.append((path, key_line, "a key must be plain text", "write key: value"))
                continue
            if key in out:
                problems.append((path + (key,), key_line, f"duplicate key '{key}' (first on line {lines[path + (key,)]})",
                                 "keep one of them: YAML would silently drop the first"))
                continue
            out[key] = _build(value_node, path + (key,), lines, problems)
            lines[path + (key,)] = key_line
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, path + (i,), lines, problems) for i, item in enumerate(node.value)]
    if node.tag == _STR:
        return node.value
    try:
        return _SCALARS.construct_object(node)
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or "unreadable value"
        problems.append((path, lines[path], f"cannot read this value: {problem}",
                         "write plain text, a number, true/false, a list or a mapping (no !!tags)"))
        return None


def _field(path: Path_) -> str:
    """Render a path inside an entry as `variants[2] › context`."""
    parts: list[str] = []
    for step in path:
        if isinstance(step, int) and parts:
            parts[-1] += f"[{step}]"
        else:
            parts.append(str(step))
    return " › ".join(parts)


def parse_date(text: str) -> PartialDate | None:
    """Parse YYYY-MM-DD or YYYY-MM; None when it is not a real date."""
    try:
        parts = [int(p) for p in text.split("-")]
        if len(parts) == 2:
            if not 1 <= parts[1] <= 12:
                return None
            return PartialDate(date(parts[0], parts[1], 1), "month")
        if len(parts) == 3 and parts[2] <= calendar.monthrange(parts[0], parts[1])[1]:
            return PartialDate(date(*parts), "day")
    except (ValueError, calendar.IllegalMonthError):
        return None
    return None


def _date(text: str) -> PartialDate:
    parsed = parse_date(text)
    assert parsed is not None, f"unchecked date {text!r}"  # validate runs first
    return parsed


def _sources(items: list[dict[str, Any]]) -> tuple[Source, ...]:
    return tuple(Source(url=s["url"], kind=s["kind"], title=s.get("title", ""), note=s.get("note", "")) for s in items)


def to_model(raw: dict[str, Any], line: int) -> Model:
    """Build a Model from an entry that passed the schema."""
    variants = tuple(
        Variant(
            name=v["name"], license=v["license"], params_b=v.get("params_b"), active_params_b=v.get("active_params_b"),
            context=v.get("context"), context_max=v.get("context_max"),
            released=_date(v["released"]) if "released" in v else None, open_weights=v.get("open_weights"),
            flavours=tuple(v.get("flavours", ())), note=v.get("note", ""),
        )
        for v in raw["variants"]
    )
    return Model(
        id=raw["id"], name=raw["name"], released=_date(raw["released"]), track=raw["track"],
        architecture=raw["architecture"], inputs=tuple(raw["modalities"]["input"]),
        outputs=tuple(raw["modalities"]["output"]), open_weights=raw["open_weights"], variants=variants,
        techniques=tuple(raw["techniques"]),
        parents=tuple(Parent(p["id"], p["relation"], p.get("note", "")) for p in raw["parents"]),
        links=tuple(raw["links"].items()), deep_dive_rows=tuple(raw.get("deep_dive_rows", ())),
        summary=raw.get("summary", ""), date_note=raw.get("date_note", ""), sources=_sources(raw["sources"]), line=line,
    )


def to_person(raw: dict[str, Any], line: int) -> Person:
    """Build a Person from an entry that passed the schema."""
    status = tuple(
        StatusChange(date=_date(s["date"]), event=s["event"], sources=_sources(s["sources"])) for s in raw.get("status", ())
    )
    return Person(
        id=raw["id"], name=raw["name"], name_zh=raw["name_zh"], name_zh_status=raw["name_zh_status"], role=raw["role"],
        group=raw["group"], aliases=tuple(raw.get("aliases", ())), areas=tuple(raw["areas"]),
        background=tuple(raw["background"]), releases=tuple(raw["releases"]), status=status,
        sources=_sources(raw["sources"]), line=line,
    )


def to_technique(raw: dict[str, Any], line: int) -> Technique:
    """Build a Technique from an entry that passed the schema."""
    paper = raw.get("introduced_by")
    return Technique(
        id=raw["id"], name=raw["name"], short=raw.get("short", ""), category=raw["category"], summary=raw["summary"],
        origin=raw["origin"], first_release=raw["first_release"],
        introduced_by=Paper(title=paper["title"], year=paper["year"], authors=paper.get("authors", ""),
                            organisation=paper.get("organisation", ""), arxiv=paper.get("arxiv", "")) if paper else None,
        key_figures=tuple((f["label"], f["value"]) for f in raw.get("key_figures", ())),
        sources=_sources(raw["sources"]), line=line,
    )


def to_erratum(raw: dict[str, Any], line: int) -> Erratum:
    """Build an Erratum from an entry that passed the schema."""
    return Erratum(
        id=raw["id"], section=raw["section"], claim=raw["claim"], correction=raw["correction"], verdict=raw["verdict"],
        deep_dive_row=raw.get("deep_dive_row", ""), releases=tuple(raw.get("releases", ())),
        people=tuple(raw.get("people", ())), techniques=tuple(raw.get("techniques", ())),
        sources=_sources(raw["sources"]), line=line,
    )


def to_deep_dive_row(raw: dict[str, Any], line: int) -> DeepDiveRow:
    """Build a DeepDiveRow from an entry that passed the schema."""
    return DeepDiveRow(row=raw["row"], date_as_written=raw["date_as_written"],
                       open_weights_as_written=raw["open_weights_as_written"], line=line)


def to_milestone(raw: dict[str, Any], line: int) -> Milestone:
    """Build a Milestone from an entry that passed the schema."""
    return Milestone(
        id=raw["id"], date=_date(raw["date"]), approximate=raw.get("date_precision") == "approximate",
        metric=raw["metric"], value=raw.get("value"), value_text=raw["value_text"], qualifier=raw.get("qualifier", "exact"),
        scope=raw["scope"], scope_note=raw["scope_note"], subject=raw["subject"], label=raw["label"], verdict=raw["verdict"],
        charted=raw.get("charted", True), caveat=raw.get("caveat", ""), note=raw.get("note", ""),
        date_note=raw.get("date_note", ""), releases=tuple(raw.get("releases", ())), sources=_sources(raw["sources"]), line=line,
    )


ECOSYSTEM_KIND = ("kind", "sector", "maker", "place", "metric")  # the field that says what an entry is, by section
ECOSYSTEM_DETAILS = ("released", "start", "end", "date", "value_text", "qualifier", "claimed_by", "verdict_note", "date_note",
                     "note", "disputed")


def to_ecosystem(raw: dict[str, Any], line: int, section: str) -> EcosystemEntry:
    """Build an EcosystemEntry (of one section of data/ecosystem.yaml) from an entry that passed the schema."""
    kind = next((str(raw[k]) for k in ECOSYSTEM_KIND if k in raw), "")
    details = tuple((k, str(raw[k])) for k in ECOSYSTEM_DETAILS if k in raw)
    return EcosystemEntry(
        section=section, id=raw["id"], name=str(raw.get("name") or raw.get("value_text") or raw["id"]), kind=kind,
        summary=raw.get("summary", ""), url=raw.get("url", ""), verdict=raw.get("verdict", ""), details=details,
        releases=tuple(raw.get("releases", ())), sources=_sources(raw["sources"]), line=line,
    )
