"""Read data/*.yaml safely, keep line numbers, and turn checked entries into records.

Records are built from their dataclass fields (`build`): each field takes the entry's key of the same name,
converted by the field's type, so no list of keys is kept here by hand.
"""

from __future__ import annotations

import calendar
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields, is_dataclass
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any, ClassVar, TypeVar

import yaml

from .records import (
    Checked,
    Conflict,
    DeepDiveRow,
    EcosystemEntry,
    Erratum,
    Milestone,
    Model,
    PartialDate,
    Person,
    Technique,
    from_loader,
)

Path_ = tuple[Any, ...]
Entries = list[tuple[Path_, Any]]
R = TypeVar("R")


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


# libyaml's parser (in PyYAML's wheels) when present; both keep line numbers and resolve tags alike.
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[valid-type, misc]
    """A safe loader that leaves dates as strings, so the validator can say what is wrong with one."""

    yaml_implicit_resolvers: ClassVar[dict[Any, list[tuple[str, Any]]]] = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


_PLAIN_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")
_STR = "tag:yaml.org,2002:str"


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


def read_yaml(path: Path, label: str) -> Document:
    """Parse one file; raise DataErrors for syntax errors, duplicate keys, tags and empty files."""
    loader = _Loader(path.read_text(encoding="utf-8"))
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise DataErrors(
            [
                DataError(
                    label,
                    mark.line + 1 if mark else 1,
                    "",
                    "",
                    f"YAML syntax error: {problem}",
                    "fix the indentation or quoting on this line",
                )
            ]
        ) from exc
    finally:
        loader.dispose()
    if node is None:
        raise DataErrors(
            [
                DataError(
                    label, 1, "", "", "the file is empty", "it must hold the entries of its schema (see the template in CONTRIBUTING.md)"
                )
            ]
        )
    lines: dict[Path_, int] = {}
    problems: list[tuple[Path_, int, str, str]] = []
    data = _plain(node, (), lines, problems, yaml.SafeLoader(""))
    if problems:
        raise DataErrors([error_at(label, data, p, line, msg, hint) for p, line, msg, hint in problems])
    return Document(label, data, lines)


def _plain(
    node: yaml.Node, path: Path_, lines: dict[Path_, int], problems: list[tuple[Path_, int, str, str]], scalars: yaml.SafeLoader
) -> Any:
    """Turn a node tree into plain data, recording lines and rejecting duplicate keys and tags."""
    lines[path] = node.start_mark.line + 1
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in _PLAIN_TAGS:
        problems.append(
            (path, lines[path], f"cannot read this value: unsupported tag {node.tag!r}", "write a plain list or mapping (no !!tags)")
        )
        return None
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) and key_node.tag == _STR else None
            key_line = key_node.start_mark.line + 1
            if not isinstance(key, str):
                problems.append((path, key_line, "a key must be plain text", "write key: value"))
            elif key in out:
                problems.append(
                    (
                        path + (key,),
                        key_line,
                        f"duplicate key '{key}' (first on line {lines[path + (key,)]})",
                        "keep one of them: YAML would silently drop the first",
                    )
                )
            else:
                out[key] = _plain(value_node, path + (key,), lines, problems, scalars)
                lines[path + (key,)] = key_line
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_plain(item, path + (i,), lines, problems, scalars) for i, item in enumerate(node.value)]
    if node.tag == _STR:
        return node.value
    try:
        return scalars.construct_object(node)
    except yaml.YAMLError as exc:
        problems.append(
            (
                path,
                lines[path],
                f"cannot read this value: {getattr(exc, 'problem', None) or 'unreadable'}",
                "write plain text, a number, true/false, a list or a mapping (no !!tags)",
            )
        )
        return None


# ---------------------------------------------------------------- where an error is


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
    prefix = field_name(path[: depth - 1])
    return f"{prefix} › {name}" if prefix else name


def error_at(label: str, data: Any, path: Path_, line: int, message: str, hint: str) -> DataError:
    """Make a DataError naming the entry (by its id) and the field that `path` points at."""
    depth = entry_path(data, path)
    if depth is None:
        return DataError(label, line, "", field_name(path), message, hint)
    return DataError(label, line, entry_name(data, path), field_name(path[depth:]), message, hint)


def field_name(path: Path_) -> str:
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
        if len(parts) == 2 and 1 <= parts[1] <= 12:
            return PartialDate(date(parts[0], parts[1], 1), "month")
        if len(parts) == 3 and parts[2] <= calendar.monthrange(parts[0], parts[1])[1]:
            return PartialDate(date(*parts), "day")
    except (ValueError, calendar.IllegalMonthError):
        return None
    return None


# ---------------------------------------------------------------- entries to records


def build(cls: type[R], raw: Mapping[str, Any], **given: Any) -> R:
    """A record from an entry that passed the schema: every field from the key of its name, converted by its
    type; LOADER fields from `given`."""
    hints = FIELD_TYPES[cls]
    values = dict(given)
    for f in fields(cls):  # type: ignore[arg-type]
        if not from_loader(f) and f.name in raw:
            values[f.name] = _convert(hints[f.name], raw[f.name])
    return cls(**values)


def _convert(kind: Any, value: Any) -> Any:
    """A YAML value as the field type `kind` holds it: dates, tuples and nested records; the rest as read."""
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        (inner,) = [arg for arg in typing.get_args(kind) if arg is not type(None)]
        return None if value is None else _convert(inner, value)
    if origin is tuple:
        return tuple(_convert(typing.get_args(kind)[0], item) for item in value)
    if kind is PartialDate:
        parsed = parse_date(value)
        assert parsed is not None, f"unchecked date {value!r}"  # the validator runs first
        return parsed
    if is_dataclass(kind):
        return build(kind, value)  # type: ignore[arg-type]
    return value


# ---------------------------------------------------------------- the data files


def list_entries(data: Any) -> Entries:
    """Entries of a file that is a top-level list."""
    return [((i,), raw) for i, raw in enumerate(data)] if isinstance(data, list) else []


def ecosystem_entries(data: Any) -> Entries:
    """Entries of data/ecosystem.yaml: the items of each section's list, and ModelScope's figures."""
    out: Entries = []
    for section, value in data.items() if isinstance(data, dict) else ():
        if isinstance(value, list):
            out += [((section, i), raw) for i, raw in enumerate(value)]
        elif isinstance(value, dict) and isinstance(value.get("figures"), list):
            out += [((section, "figures", i), raw) for i, raw in enumerate(value["figures"])]
    return out


def whole_file(data: Any) -> Entries:
    """The one entry of a file that is a single mapping."""
    return [((), data)] if isinstance(data, dict) else []


def conflict_entries(data: Any) -> Entries:
    """Where sources disagree on ModelScope's figures (data/ecosystem.yaml › modelscope › conflicts)."""
    section = data.get("modelscope") if isinstance(data, dict) else None
    items = section.get("conflicts") if isinstance(section, dict) else None
    return [(("modelscope", "conflicts", i), raw) for i, raw in enumerate(items)] if isinstance(items, list) else []


@dataclass(frozen=True)
class Kind:
    """One kind of entry: the file and schema it lives in, its record, how to find its entries, and what the
    loader gives a record from the entry's place (its line always)."""

    file: str
    schema: str
    record: type
    entries: Callable[[Any], Entries] = list_entries
    place: Callable[[Path_], dict[str, Any]] = lambda path: {}
    single: bool = False  # the file is one entry: the dataset holds the record itself, not a tuple

    def make(self, raw: Mapping[str, Any], path: Path_, line: int) -> Any:
        return build(self.record, raw, line=line, **self.place(path))


KINDS = {
    "models": Kind("models.yaml", "models.schema.json", Model),
    "people": Kind("people.yaml", "people.schema.json", Person),
    "techniques": Kind("techniques.yaml", "techniques.schema.json", Technique),
    "errata": Kind("errata.yaml", "errata.schema.json", Erratum),
    "deep_dive": Kind("deep-dive-rows.yaml", "deep-dive-rows.schema.json", DeepDiveRow),
    "milestones": Kind("milestones.yaml", "milestones.schema.json", Milestone),
    "ecosystem": Kind("ecosystem.yaml", "ecosystem.schema.json", EcosystemEntry, ecosystem_entries, lambda path: {"section": path[0]}),
    "conflicts": Kind("ecosystem.yaml", "ecosystem.schema.json", Conflict, conflict_entries),
    "checked": Kind("dataset.yaml", "dataset.schema.json", Checked, whole_file, single=True),
}


def _field_types(roots: Iterable[type]) -> Mapping[type, Mapping[str, Any]]:
    """The resolved field types of every record reachable from `roots` (resolving them takes longer than
    building a record, so it is done once, here, into a read-only table)."""
    table: dict[type, Mapping[str, Any]] = {}
    todo = list(roots)
    while todo:
        cls = todo.pop()
        if cls in table:
            continue
        table[cls] = MappingProxyType(typing.get_type_hints(cls))
        for kind in table[cls].values():
            todo += [
                arg
                for arg in (kind, *typing.get_args(kind), *(a for x in typing.get_args(kind) for a in typing.get_args(x)))
                if is_dataclass(arg) and isinstance(arg, type)
            ]
    return MappingProxyType(table)


FIELD_TYPES = _field_types(kind.record for kind in KINDS.values())
