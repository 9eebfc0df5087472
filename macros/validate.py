"""Validate data/: JSON Schema for shape, then the cross-entry rules a schema cannot state.

Run `python -m macros.validate` to print every problem without building the site.
"""
from __future__ import annotations

import functools
import hashlib
import json
import marshal
import math
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import fastjsonschema

from .load import (
    DataError, DataErrors, Document, entry_name, error_at, gc_paused, parse_date, read_yaml, to_deep_dive_row, to_ecosystem,
    to_erratum, to_milestone, to_model, to_person, to_technique,
)
from .records import Dataset, Model, PartialDate

if TYPE_CHECKING:
    import jsonschema

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_DIR = ROOT / "docs" / "schema"


Entries = list[tuple[tuple[Any, ...], dict[str, Any]]]


def list_entries(data: Any) -> Entries:
    """Entries of a file that is a top-level list."""
    return [((i,), raw) for i, raw in enumerate(data)] if isinstance(data, list) else []


def ecosystem_entries(data: Any) -> Entries:
    """Entries of data/ecosystem.yaml: the items of each section's list (ModelScope's figures too)."""
    out: Entries = []
    if not isinstance(data, dict):
        return out
    for section, value in data.items():
        if isinstance(value, list):
            out += [((section, i), raw) for i, raw in enumerate(value)]
        elif isinstance(value, dict) and isinstance(value.get("figures"), list):
            out += [((section, "figures", i), raw) for i, raw in enumerate(value["figures"])]
    return out


@dataclass(frozen=True)
class Kind:
    """One data file: its name, schema, how to find its entries and how to build a record from one."""

    file: str
    schema: str
    build: Callable[[dict[str, Any], int, tuple[Any, ...]], Any]
    entries: Callable[[Any], Entries] = list_entries


KINDS = {
    "models": Kind("models.yaml", "models.schema.json", lambda raw, line, _: to_model(raw, line)),
    "people": Kind("people.yaml", "people.schema.json", lambda raw, line, _: to_person(raw, line)),
    "techniques": Kind("techniques.yaml", "techniques.schema.json", lambda raw, line, _: to_technique(raw, line)),
    "errata": Kind("errata.yaml", "errata.schema.json", lambda raw, line, _: to_erratum(raw, line)),
    "deep_dive": Kind("deep-dive-rows.yaml", "deep-dive-rows.schema.json", lambda raw, line, _: to_deep_dive_row(raw, line)),
    "milestones": Kind("milestones.yaml", "milestones.schema.json", lambda raw, line, _: to_milestone(raw, line)),
    "ecosystem": Kind("ecosystem.yaml", "ecosystem.schema.json", lambda raw, line, path: to_ecosystem(raw, line, path[0]),
                      ecosystem_entries),
}


def load_dataset(data_dir: Path, today: date | None = None) -> Dataset:
    """Read, check and cross-reference every data file; raise DataErrors listing all problems."""
    with gc_paused():  # (see gc_paused: checking and building records makes as many objects again)
        return _load_dataset(data_dir, today or date.today())


def _load_dataset(data_dir: Path, today: date) -> Dataset:
    errors: list[DataError] = []
    docs: dict[str, Document] = {}
    for name, kind in KINDS.items():
        label = _label(data_dir / kind.file)
        try:
            docs[name] = read_yaml(data_dir / kind.file, label)
        except FileNotFoundError:
            errors.append(DataError(label, 1, "", "", "the file is missing", f"create it (see docs/schema/{kind.schema})"))
        except DataErrors as exc:
            errors.extend(exc.errors)
    records: dict[str, tuple[Any, ...]] = {}
    for name, doc in docs.items():
        found, valid = schema_errors(doc, KINDS[name].schema), []
        errors.extend(found)
        bad = {e.entry for e in found}
        for path, raw in KINDS[name].entries(doc.data):
            entry_errors = _entry_errors(doc, path, today)
            errors.extend(entry_errors)
            if entry_name(doc.data, path) not in bad and not entry_errors and isinstance(raw, dict):
                valid.append(KINDS[name].build(raw, doc.line(path), path))
        records[name] = tuple(valid)
    known = {name: {raw.get("id") for _, raw in KINDS[name].entries(doc.data) if isinstance(raw, dict)}
             for name, doc in docs.items()}
    dataset = Dataset(models=records.get("models", ()), people=records.get("people", ()),
                      techniques=records.get("techniques", ()), errata=records.get("errata", ()),
                      deep_dive=records.get("deep_dive", ()), milestones=records.get("milestones", ()),
                      ecosystem=records.get("ecosystem", ()))
    errors.extend(cross_errors(dataset, docs, known))
    if errors:
        raise DataErrors(errors)
    return dataset


def _label(path: Path) -> str:
    """Path as the contributor sees it: relative to the repository when inside it."""
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


# ---------------------------------------------------------------- schema

def _schema(name: str) -> dict[str, Any]:
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


@functools.cache
def _fast_check(schema_name: str) -> Callable[[Any], Any]:
    """The schema compiled to Python by fastjsonschema (about 7x faster than jsonschema on valid data).
    Every keyword the schemas use means the same in draft 7, which fastjsonschema implements, and no
    `$ref` has sibling keywords; tests/test_schema.py checks both, and that the two never disagree.
    Generating and compiling the code takes longer than checking 1,000 releases, so the compiled code is
    kept in .cache/schemas/ under a hash of the schema and the fastjsonschema and Python versions."""
    schema = _schema(schema_name)
    schema.pop("$schema", None)
    name = "validate_" + hashlib.sha256(json.dumps(schema, sort_keys=True).encode("utf-8")).hexdigest()[:20]
    cached = ROOT / ".cache" / "schemas" / f"{name}-{fastjsonschema.VERSION}-{sys.implementation.cache_tag}.marshal"
    try:
        code = marshal.loads(cached.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        source = fastjsonschema.compile_to_code(schema, use_default=False, use_formats=False)
        entry = fastjsonschema.RefResolver.from_schema(schema).get_scope_name()
        code = compile(f"{source}\n{name} = {entry}\n", str(cached), "exec")
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            cached.write_bytes(marshal.dumps(code))
        except OSError:
            pass  # a read-only checkout compiles every time
    namespace: dict[str, Any] = {}
    exec(code, namespace)  # noqa: S102 - code generated from our own schema
    return namespace[name]


def schema_errors(doc: Document, schema_name: str) -> list[DataError]:
    """Every JSON Schema violation in one document, located and explained. Valid documents (nearly all
    builds) pass the compiled check; any failure is re-examined by jsonschema, which finds every error."""
    try:
        _fast_check(schema_name)(doc.data)
        return []
    except fastjsonschema.JsonSchemaException:
        pass
    schema = _schema(schema_name)
    import jsonschema  # only for data that fails: it takes longer to import than the fast check runs

    validator = jsonschema.Draft202012Validator(schema)
    out: list[DataError] = []
    for err in validator.iter_errors(doc.data):
        for path, message, hint in _explain(err, schema_name):
            out.append(error_at(doc.file, doc.data, path, doc.line(path), message, hint))
    return out


def _explain(err: jsonschema.ValidationError, schema_name: str) -> Iterable[tuple[tuple[Any, ...], str, str]]:
    """Turn a jsonschema error into (path, message, what to do) triples."""
    path, value, rule = tuple(err.absolute_path), err.instance, err.validator
    described = err.schema.get("description", "") if isinstance(err.schema, dict) else ""
    if rule == "additionalProperties" and isinstance(value, dict):
        allowed = sorted(err.schema.get("properties", {}))
        for key in sorted(set(value) - set(allowed)):
            yield path + (key,), f"unknown field '{key}'", f"remove it or fix its spelling; allowed: {', '.join(allowed)}"
        return
    if rule == "required":
        missing = err.message.split("'")[1] if "'" in err.message else err.message
        yield path, f"missing required field '{missing}'", f"add `{missing}:` (see docs/schema/{schema_name})"
        return
    if rule == "type" and path == ():
        yield path, "the file must hold a YAML list of entries", "start each entry with `- id: …`"
        return
    if rule == "type":
        yield path, f"{value!r} is not of type {err.validator_value}", f"write a {err.validator_value}"
        return
    if rule == "enum":
        yield path, f"{value!r} is not an allowed value", "use one of: " + ", ".join(map(str, err.validator_value))
        return
    if rule == "pattern":
        pattern = str(err.validator_value)
        if pattern.startswith("^https://"):
            yield path, f"{_short(value)} is not an https:// URL", "use a full https:// address (http, javascript: and data: are refused)"
        elif pattern.startswith("^[0-9]{4}-"):
            yield path, f"{_short(value)} is not a date", "write YYYY-MM-DD, or YYYY-MM when only the month is known"
        elif pattern.startswith("^[a-z0-9]"):
            yield path, f"{_short(value)} is not a valid id", "use a lower-case slug such as qwen2.5-coder"
        else:
            yield path, f"{_short(value)} does not match {pattern}", described or "see the schema"
        return
    if rule in ("maxLength", "maxItems"):
        yield path, f"is longer than {err.validator_value} characters", f"shorten it to at most {err.validator_value}"
        return
    if rule in ("minItems", "minLength"):
        yield path, "must not be empty", described or "add at least one item"
        return
    if rule == "uniqueItems":
        yield path, "lists the same item twice", "remove the repeated item"
        return
    yield path, err.message if len(err.message) < 200 else err.message[:200] + "…", described or f"see docs/schema/{schema_name}"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "…'"


DATE_KEYS = ("released", "date", "start", "end", "period_start", "period_end")


def _entry_errors(doc: Document, entry: tuple[Any, ...], today: date) -> list[DataError]:
    """In one walk over an entry: dates that match the pattern but do not exist or lie after the build
    date, strings with invisible control characters, and numbers that are not finite."""
    out: list[DataError] = []
    node: Any = doc.data
    for step in entry:
        node = node[step]
    for path, value in [(entry, node), *_walk(node, entry)]:
        if isinstance(value, str):
            bad = _INVISIBLE.search(value)
            if bad is not None:
                out.append(error_at(doc.file, doc.data, path, doc.line(path),
                                    f"contains the invisible control character U+{ord(bad.group()):04X}",
                                    "remove it: it can reorder or hide text on the page"))
            if path and path[-1] in DATE_KEYS:
                parsed = parse_date(value)
                if parsed is None and _looks_like_date(value):
                    out.append(error_at(doc.file, doc.data, path, doc.line(path), f"'{value}' is not a date",
                                        "write a real calendar date as YYYY-MM-DD (or YYYY-MM)"))
                elif parsed is not None and parsed.value > today:
                    out.append(error_at(doc.file, doc.data, path, doc.line(path), f"'{value}' is in the future",
                                        f"data records what happened; the build date is {today.isoformat()}"))
        elif isinstance(value, float) and not math.isfinite(value):
            out.append(error_at(doc.file, doc.data, path, doc.line(path), f"{value} is not a finite number",
                                "write an ordinary number"))
    return out


# Characters that change how text displays without being seen: C0/C1 controls (tab and newline aside),
# bidirectional embeddings, overrides and isolates, and zero-width format characters.
_INVISIBLE = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(
    {c for c in range(0x20) if c not in (0x09, 0x0A)} | set(range(0x7F, 0xA0)) | set(range(0x202A, 0x202F))
    | set(range(0x2066, 0x206A)) | {0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF})) + "]")


def _looks_like_date(value: str) -> bool:
    parts = value.split("-")
    return len(parts) in (2, 3) and all(p.isdigit() for p in parts) and len(parts[0]) == 4


def _walk(value: Any, path: tuple[Any, ...]) -> Iterable[tuple[tuple[Any, ...], Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield path + (key,), item
            yield from _walk(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _walk(item, path + (i,))


# ---------------------------------------------------------------- cross-entry rules

def cross_errors(data: Dataset, docs: dict[str, Document], known: dict[str, set[Any]]) -> list[DataError]:
    """Rules across entries and files: unique ids, references, lineage, numbers, licences."""
    out: list[DataError] = []

    def err(kind: str, entry_id: str, field: tuple[Any, ...], message: str, hint: str, section: str = "") -> None:
        doc = docs[kind]
        path = next((p for p, raw in KINDS[kind].entries(doc.data) if isinstance(raw, dict) and raw.get("id") == entry_id
                     and (not section or p[0] == section)), (0,)) + field
        out.append(error_at(doc.file, doc.data, path, doc.line(path), message, hint))

    for kind, doc in docs.items():
        first_seen: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        for path, raw in KINDS[kind].entries(doc.data):
            if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
                continue
            key = path[:-1] + (raw["id"],)  # ids are unique within a file, or within a section of it
            if key in first_seen:
                out.append(error_at(doc.file, doc.data, path + ("id",), doc.line(path + ("id",)),
                                    f"duplicate id '{raw['id']}' (first on line {doc.line(first_seen[key])})",
                                    "ids must be unique: rename one entry"))
            else:
                first_seen[key] = path

    def ref(kind: str, entry_id: str, field: tuple[Any, ...], target: str, value: str) -> None:
        if target in known and value not in known[target]:
            err(kind, entry_id, field, f"'{value}' is not an id in data/{KINDS[target].file}",
                f"use an existing id from data/{KINDS[target].file}, or add that entry first")

    if "models" in docs:
        for m in data.models:
            for i, t in enumerate(m.techniques):
                ref("models", m.id, ("techniques", i), "techniques", t)
            for i, p in enumerate(m.parents):
                ref("models", m.id, ("parents", i, "id"), "models", p.id)
            _model_rules(m, data, err)
        out.extend(_cycle_errors(data.models, err))
    if "people" in docs:
        for person in data.people:
            for i, r in enumerate(person.releases):
                ref("people", person.id, ("releases", i), "models", r)
    by_id = data.by_id
    if "techniques" in docs:
        for t in data.techniques:
            ref("techniques", t.id, ("first_release",), "models", t.first_release)
            users = data.models_using(t.id)
            first = by_id.get(t.first_release)
            if first is not None and first not in users:
                err("techniques", t.id, ("first_release",), f"release '{t.first_release}' does not list technique '{t.id}'",
                    f"add '{t.id}' to that release's techniques in data/models.yaml, or name the release that first used it")
            elif first is not None and users and users[0].released.value < first.released.value:
                err("techniques", t.id, ("first_release",), f"'{users[0].id}' ({users[0].released.iso}) lists it earlier than '{t.first_release}'",
                    f"set first_release to {users[0].id}, or remove '{t.id}' from that release")
    if "errata" in docs:
        for e in data.errata:
            for field, target in (("releases", "models"), ("people", "people"), ("techniques", "techniques")):
                for i, value in enumerate(getattr(e, field)):
                    ref("errata", e.id, (field, i), target, value)
            if not (e.releases or e.people or e.techniques):
                err("errata", e.id, (), "names nothing it concerns", "add releases:, people: or techniques: with at least one id")
    for milestone in data.milestones:
        for i, r in enumerate(milestone.releases):
            ref("milestones", milestone.id, ("releases", i), "models", r)
    for item in data.ecosystem:
        for i, r in enumerate(item.releases):
            if r not in known.get("models", set()):
                err("ecosystem", item.id, ("releases", i), f"'{r}' is not an id in data/models.yaml",
                    "use an existing id from data/models.yaml, or add that entry first", section=item.section)
    out.extend(_deep_dive_errors(data, docs, err))
    return out


def _deep_dive_errors(data: Dataset, docs: dict[str, Document], err: Callable[..., None]) -> list[DataError]:
    """Every deep-dive row is accounted for exactly once, and only known rows are named."""
    if "deep_dive" not in docs or "models" not in docs or "errata" not in docs:
        return []
    labels = {r.row for r in data.deep_dive}
    claims = [("models", m.id, ("deep_dive_rows", i), r) for m in data.models for i, r in enumerate(m.deep_dive_rows)]
    claims += [("errata", e.id, ("deep_dive_row",), e.deep_dive_row) for e in data.errata if e.deep_dive_row]
    counts = Counter(label for *_, label in claims)
    for kind, entry_id, field, label in claims:
        if label not in labels:
            err(kind, entry_id, field, f"'{label}' is not a row of the deep-dive's timeline",
                "copy the row label exactly from data/deep-dive-rows.yaml")
        elif counts[label] > 1:
            err(kind, entry_id, field, f"deep-dive row '{label}' is accounted for more than once",
                "name each deep-dive row on one release or one erratum only")
    doc, out = docs["deep_dive"], []
    for row in data.deep_dive:
        if counts[row.row] == 0:
            index = next(i for i, raw in enumerate(doc.data) if raw.get("row") == row.row)
            out.append(error_at(doc.file, doc.data, (index,), row.line, f"deep-dive row '{row.row}' is not accounted for",
                                "add it to a release's deep_dive_rows, or record an erratum with deep_dive_row"))
    return out


def _model_rules(m: Model, data: Dataset, err: Callable[..., None]) -> None:
    """Per-release rules: numbers, dates, architecture and licences agree."""
    for i, v in enumerate(m.variants):
        at = ("variants", i)
        if v.active_params_b is not None and v.params_b is not None and v.active_params_b > v.params_b:
            err("models", m.id, at + ("active_params_b",), f"{v.active_params_b}B active is more than {v.params_b}B total",
                "active parameters cannot exceed the total: check both numbers")
        if v.active_params_b is not None and v.params_b is None:
            err("models", m.id, at + ("active_params_b",), "active parameters without a total", "add params_b")
        if v.context_max is not None and v.context is not None and v.context_max < v.context:
            err("models", m.id, at + ("context_max",), f"context_max {v.context_max} is below the native {v.context}",
                "context_max is the extended window: at least `context`")
        if v.released is not None and v.released.value < m.released.value:
            err("models", m.id, at + ("released",), f"{v.released.iso} is before the release date {m.released.iso}",
                "the release date is the first variant's date: move it earlier")
        if m.architecture == "dense" and v.is_moe:
            err("models", m.id, at + ("active_params_b",), "a dense release has an MoE variant",
                "set architecture: dense-and-moe, moe or hybrid")
        if m.architecture == "moe" and v.params_b is not None and not v.is_moe:
            err("models", m.id, at + ("params_b",), "an MoE release has a variant without active_params_b",
                "add active_params_b, or set architecture: dense-and-moe")
        is_open = m.variant_open(v)
        if is_open and v.license == "proprietary":
            err("models", m.id, at + ("license",), "open weights under a proprietary licence",
                "give the weights' licence, or set open_weights: false")
        if not is_open and v.license not in ("proprietary", "not-verified"):
            err("models", m.id, at + ("license",), f"closed weights with licence '{v.license}'",
                "use proprietary (API only) or not-verified, or set open_weights: true")
    by_id = data.by_id
    for i, p in enumerate(m.parents):
        parent = by_id.get(p.id)
        if parent is not None and parent.released.value > m.released.value:
            err("models", m.id, ("parents", i, "id"), f"parent '{p.id}' ({parent.released.iso}) is newer than this release",
                "a parent must be released before its child: check the relation's direction")
        if p.id == m.id:
            err("models", m.id, ("parents", i, "id"), "a release cannot be its own parent", "remove this parent")


def _cycle_errors(models: tuple[Model, ...], err: Callable[..., None]) -> list[DataError]:
    """Report each lineage cycle once, at the edge leaving the cycle's first entry in the file."""
    order = {m.id: i for i, m in enumerate(models)}
    graph = {m.id: [p.id for p in m.parents if p.id != m.id and p.id in order] for m in models}
    state: dict[str, int] = {}
    reported: set[frozenset[str]] = set()
    for start in graph:
        if start in state:
            continue
        # Iterative depth-first search: the lineage may be thousands of releases deep.
        stack: list[tuple[str, int]] = [(start, 0)]
        trail: list[str] = [start]
        state[start] = 1
        while stack:
            node, index = stack[-1]
            if index < len(graph[node]):
                stack[-1] = (node, index + 1)
                nxt = graph[node][index]
                if state.get(nxt) == 1:
                    cycle = trail[trail.index(nxt):]
                    if frozenset(cycle) not in reported:
                        reported.add(frozenset(cycle))
                        _report_cycle(cycle, graph, order, err)
                elif nxt not in state:
                    state[nxt] = 1
                    stack.append((nxt, 0))
                    trail.append(nxt)
            else:
                state[node] = 2
                stack.pop()
                trail.pop()
    return []


def _report_cycle(cycle: list[str], graph: dict[str, list[str]], order: dict[str, int], err: Callable[..., None]) -> None:
    first = min(range(len(cycle)), key=lambda i: order[cycle[i]])
    ring = cycle[first:] + cycle[:first]
    node, nxt = ring[0], ring[1 % len(ring)]
    err("models", node, ("parents", graph[node].index(nxt), "id"), "lineage cycle: " + " → ".join(ring + [node]),
        "parents must point to older releases; remove one edge of the cycle")


def main(argv: list[str] | None = None) -> int:
    """Print every problem in data/ (or the folder given) and exit non-zero if any."""
    args = argv if argv is not None else sys.argv[1:]
    data_dir = Path(args[0]) if args else ROOT / "data"
    try:
        data = load_dataset(data_dir)
    except DataErrors as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    print(f"data OK: {len(data.models)} releases, {sum(len(m.variants) for m in data.models)} variants, "
          f"{len(data.people)} people, {len(data.techniques)} techniques, {len(data.errata)} errata, "
          f"{len(data.milestones)} milestones, {len(data.ecosystem)} ecosystem entries")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
