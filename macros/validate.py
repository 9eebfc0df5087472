"""Validate data/: JSON Schema for shape, then the rules a schema cannot state.

Pure checks over parsed documents and built records; each returns DataErrors to collect, never raises.
macros/dataset.py runs them in order and fails once with every problem.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import fastschema
from .load import KINDS, DataError, Document, error_at, parse_date
from .records import Dataset, Model, Variant

if TYPE_CHECKING:
    import jsonschema

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "docs" / "schema"
Path_ = tuple[Any, ...]
Report = Callable[..., None]  # err(kind, entry_id, field_path, message, hint, section="")


def schema(name: str) -> dict[str, Any]:
    """A schema of docs/schema/ as data."""
    rules: dict[str, Any] = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    return rules


# ---------------------------------------------------------------- schema


def schema_errors(doc: Document, schema_name: str) -> list[DataError]:
    """Every JSON Schema violation in one document, located and explained. Valid documents (nearly every
    build) pass the compiled check (macros/fastschema.py); jsonschema re-examines any that fail."""
    rules = schema(schema_name)
    if fastschema.compile_check(rules)(doc.data):
        return []
    import jsonschema  # only for data that fails: importing it costs more than the fast check

    validator = jsonschema.Draft202012Validator(rules)
    return [
        error_at(doc.file, doc.data, path, doc.line(path), message, hint)
        for err in validator.iter_errors(doc.data)
        for path, message, hint in _explain(err, schema_name)
    ]


def _explain(err: jsonschema.ValidationError, schema_name: str) -> Iterable[tuple[Path_, str, str]]:
    """Turn a jsonschema error into (path, message, what to do) triples."""
    path, value, rule = tuple(err.absolute_path), err.instance, err.validator
    described = err.schema.get("description", "") if isinstance(err.schema, dict) else ""
    if rule == "additionalProperties" and isinstance(value, dict):
        allowed = sorted(err.schema.get("properties", {}))
        for key in sorted(set(value) - set(allowed)):
            yield path + (key,), f"unknown field '{key}'", f"remove it or fix its spelling; allowed: {', '.join(allowed)}"
    elif rule == "required":
        missing = err.message.split("'")[1] if "'" in err.message else err.message
        yield path, f"missing required field '{missing}'", f"add `{missing}:` (see docs/schema/{schema_name})"
    elif rule == "type" and path == ():
        yield path, "the file must hold a YAML list of entries", "start each entry with `- id: …`"
    elif rule == "type":
        yield path, f"{value!r} is not of type {err.validator_value}", f"write a {err.validator_value}"
    elif rule == "enum":
        yield path, f"{value!r} is not an allowed value", "use one of: " + ", ".join(map(str, err.validator_value))
    elif rule == "pattern":
        yield (path, *_pattern_message(str(err.validator_value), value, described))
    elif rule in ("maxLength", "maxItems"):
        yield path, f"is longer than {err.validator_value} characters", f"shorten it to at most {err.validator_value}"
    elif rule in ("minItems", "minLength"):
        yield path, "must not be empty", described or "add at least one item"
    elif rule == "uniqueItems":
        yield path, "lists the same item twice", "remove the repeated item"
    else:
        yield path, err.message if len(err.message) < 200 else err.message[:200] + "…", described or f"see docs/schema/{schema_name}"


def _pattern_message(pattern: str, value: Any, described: str) -> tuple[str, str]:
    """(message, hint) for a value that does not match a pattern, by what the pattern is for."""
    if pattern.startswith("^https://"):
        return f"{_short(value)} is not an https:// URL", "use a full https:// address (http, javascript: and data: are refused)"
    if pattern.startswith("^[0-9]{4}-"):
        return f"{_short(value)} is not a date", "write YYYY-MM-DD, or YYYY-MM when only the month is known"
    if pattern.startswith("^[a-z0-9]"):
        return f"{_short(value)} is not a valid id", "use a lower-case slug such as qwen2.5-coder"
    return f"{_short(value)} does not match {pattern}", described or "see the schema"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "…'"


# ---------------------------------------------------------------- values inside one entry

DATE_KEYS = ("released", "date", "start", "end", "period_start", "period_end", "data_checked", "checked_through")
NAME_KEYS = ("name", "name_zh", "aliases", "short")  # shown as page titles, headings and link text

# Characters that change how text displays without being seen: C0/C1 controls (tab and newline aside),
# bidirectional embeddings, overrides and isolates, and zero-width format characters.
_INVISIBLE = re.compile(
    "["
    + "".join(
        re.escape(chr(c))
        for c in sorted(
            {c for c in range(0x20) if c not in (0x09, 0x0A)}
            | set(range(0x7F, 0xA0))
            | set(range(0x202A, 0x202F))
            | set(range(0x2066, 0x206A))
            | {0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF}
        )
    )
    + "]"
)
# Markup in a name: a tag's brackets, or a character reference (which a template's striptags would decode).
_MARKUP = re.compile(r"[<>]|&(?:#[0-9]+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


def entry_errors(doc: Document, entry: Path_, today: date) -> list[DataError]:
    """In one walk over an entry: dates that match the pattern but do not exist or lie after the build date,
    invisible control characters, markup in names, and numbers that are not finite."""
    out: list[DataError] = []
    node: Any = doc.data
    for step in entry:
        node = node[step]
    for path, value in [(entry, node), *_walk(node, entry)]:

        def err(message: str, hint: str, path: Path_ = path) -> None:
            out.append(error_at(doc.file, doc.data, path, doc.line(path), message, hint))

        if isinstance(value, float) and not math.isfinite(value):
            err(f"{value} is not a finite number", "write an ordinary number")
        if not isinstance(value, str):
            continue
        if bad := _INVISIBLE.search(value):
            err(f"contains the invisible control character U+{ord(bad.group()):04X}", "remove it: it can reorder or hide text on the page")
        key = next((step for step in reversed(path) if isinstance(step, str)), "")
        if key in NAME_KEYS and (mark := _MARKUP.search(value)):
            err(
                f"a name must be plain text, and {mark.group()!r} is markup",
                "write the name without < > or &…; entities (it becomes a page title)",
            )
        if path[-1] in DATE_KEYS:
            parsed = parse_date(value)
            if parsed is None and _looks_like_date(value):
                err(f"'{value}' is not a date", "write a real calendar date as YYYY-MM-DD (or YYYY-MM)")
            elif parsed is not None and parsed.value > today:
                err(f"'{value}' is in the future", f"data records what happened; the build date is {today.isoformat()}")
    return out


def _looks_like_date(value: str) -> bool:
    parts = value.split("-")
    return len(parts) in (2, 3) and all(p.isdigit() for p in parts) and len(parts[0]) == 4


def _walk(value: Any, path: Path_) -> Iterable[tuple[Path_, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield path + (key,), item
            yield from _walk(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield path + (i,), item
            yield from _walk(item, path + (i,))


# ---------------------------------------------------------------- rules across entries


def reporter(docs: dict[str, Document], out: list[DataError]) -> Report:
    """err(kind, entry_id, field, message, hint, section=''): report at an entry found by its id."""

    def err(kind: str, entry_id: str, field: Path_, message: str, hint: str, section: str = "") -> None:
        doc = docs[kind]
        path = (
            next(
                (
                    p
                    for p, raw in KINDS[kind].entries(doc.data)
                    if isinstance(raw, dict) and raw.get("id") == entry_id and (not section or p[0] == section)
                ),
                (0,),
            )
            + field
        )
        out.append(error_at(doc.file, doc.data, path, doc.line(path), message, hint))

    return err


def duplicate_ids(docs: dict[str, Document]) -> list[DataError]:
    """Ids are unique within a file, or within a section of it."""
    out = []
    for kind, doc in docs.items():
        first_seen: dict[Path_, Path_] = {}
        for path, raw in KINDS[kind].entries(doc.data):
            if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
                continue
            key = path[:-1] + (raw["id"],)
            if key in first_seen:
                out.append(
                    error_at(
                        doc.file,
                        doc.data,
                        path + ("id",),
                        doc.line(path + ("id",)),
                        f"duplicate id '{raw['id']}' (first on line {doc.line(first_seen[key])})",
                        "ids must be unique: rename one entry",
                    )
                )
            else:
                first_seen[key] = path
    return out


def cross_errors(data: Dataset, docs: dict[str, Document]) -> list[DataError]:
    """Rules across entries and files: references resolve, lineage, numbers, licences, deep-dive rows.
    References and deep-dive rows are checked against every entry of a file, also those with errors of
    their own, so one fault in an entry gives one message."""
    out: list[DataError] = duplicate_ids(docs)
    err = reporter(docs, out)
    known = {kind: {raw.get("id") for _, raw in KINDS[kind].entries(doc.data) if isinstance(raw, dict)} for kind, doc in docs.items()}

    def ref(kind: str, entry_id: str, field: Path_, target: str, value: str, section: str = "") -> None:
        if target in known and value not in known[target]:
            err(
                kind,
                entry_id,
                field,
                f"'{value}' is not an id in data/{KINDS[target].file}",
                f"use an existing id from data/{KINDS[target].file}, or add that entry first",
                section,
            )

    for m in data.models:
        for i, t in enumerate(m.techniques):
            ref("models", m.id, ("techniques", i), "techniques", t)
        for i, p in enumerate(m.parents):
            ref("models", m.id, ("parents", i, "id"), "models", p.id)
        model_rules(m, data, err)
    for cycle in lineage_cycles(data.models):
        start = data.by_id[cycle[0]]
        index = next(i for i, p in enumerate(start.parents) if p.id == cycle[1 % len(cycle)])
        err(
            "models",
            cycle[0],
            ("parents", index, "id"),
            "lineage cycle: " + " → ".join(cycle + [cycle[0]]),
            "parents must point to older releases; remove one edge of the cycle",
        )
    for person in data.people:
        for i, r in enumerate(person.releases):
            ref("people", person.id, ("releases", i), "models", r)
    for technique in data.techniques:
        ref("techniques", technique.id, ("first_release",), "models", technique.first_release)
        technique_rules(technique.id, technique.first_release, data, err)
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
            ref("ecosystem", item.id, ("releases", i), "models", r, section=item.section)
    figures = {e.id for e in data.ecosystem if e.section == "modelscope"}
    for conflict in data.conflicts:
        for i, figure in enumerate(conflict.figures):
            if figure not in figures:
                err(
                    "conflicts",
                    conflict.id,
                    ("figures", i),
                    f"'{figure}' is not a ModelScope figure id",
                    "use the id of an entry under modelscope › figures in data/ecosystem.yaml",
                )
    out.extend(deep_dive_errors(docs, err))
    return out


def model_rules(m: Model, data: Dataset, err: Report) -> None:
    """Per-release rules: numbers, dates, architecture and licences agree."""
    for i, v in enumerate(m.variants):
        at = ("variants", i)
        if v.active_params_b is not None and v.params_b is not None and v.active_params_b > v.params_b:
            err(
                "models",
                m.id,
                at + ("active_params_b",),
                f"{v.active_params_b}B active is more than {v.params_b}B total",
                "active parameters cannot exceed the total: check both numbers",
            )
        if v.active_params_b is not None and v.params_b is None:
            err("models", m.id, at + ("active_params_b",), "active parameters without a total", "add params_b")
        if v.context_max is not None and v.context is not None and v.context_max < v.context:
            err(
                "models",
                m.id,
                at + ("context_max",),
                f"context_max {v.context_max} is below the native {v.context}",
                "context_max is the extended window: at least `context`",
            )
        if v.released is not None and v.released.value < m.released.value:
            err(
                "models",
                m.id,
                at + ("released",),
                f"{v.released.iso} is before the release date {m.released.iso}",
                "the release date is the first variant's date: move it earlier",
            )
        if m.architecture == "dense" and v.is_moe:
            err(
                "models",
                m.id,
                at + ("active_params_b",),
                "a dense release has an MoE variant",
                "set architecture: dense-and-moe, moe or hybrid",
            )
        if m.architecture == "moe" and v.params_b is not None and not v.is_moe:
            err(
                "models",
                m.id,
                at + ("params_b",),
                "an MoE release has a variant without active_params_b",
                "add active_params_b, or set architecture: dense-and-moe",
            )
        if v.shape is not None:
            shape_rules(m, i, v, err)
        is_open = m.variant_open(v)
        if is_open and v.license == "proprietary":
            err(
                "models",
                m.id,
                at + ("license",),
                "open weights under a proprietary licence",
                "give the weights' licence, or set open_weights: false",
            )
        if not is_open and v.license not in ("proprietary", "not-verified"):
            err(
                "models",
                m.id,
                at + ("license",),
                f"closed weights with licence '{v.license}'",
                "use proprietary (API only) or not-verified, or set open_weights: true",
            )
    for i, p in enumerate(m.parents):
        parent = data.by_id.get(p.id)
        if parent is not None and parent.released.value > m.released.value:
            err(
                "models",
                m.id,
                ("parents", i, "id"),
                f"parent '{p.id}' ({parent.released.iso}) is newer than this release",
                "a parent must be released before its child: check the relation's direction",
            )
        if p.id == m.id:
            err("models", m.id, ("parents", i, "id"), "a release cannot be its own parent", "remove this parent")


def shape_rules(m: Model, index: int, v: Variant, err: Report) -> None:
    """A variant's architecture numbers agree with each other and with the variant."""
    s, at = v.shape, ("variants", index, "shape")
    assert s is not None
    if s.kv_heads is not None and s.attention_heads is not None and (s.kv_heads > s.attention_heads or s.attention_heads % s.kv_heads):
        err(
            "models",
            m.id,
            (*at, "kv_heads"),
            f"{s.kv_heads} key/value heads do not divide {s.attention_heads} query heads",
            "each key/value head serves a whole group of query heads: check both numbers in the config",
        )
    if s.experts_per_token is not None and s.experts is not None and s.experts_per_token > s.experts:
        err(
            "models",
            m.id,
            (*at, "experts_per_token"),
            f"{s.experts_per_token} experts per token out of {s.experts}",
            "experts_per_token is num_experts_per_tok, at most num_experts",
        )
    if (s.experts is not None or s.experts_per_token is not None) and not v.is_moe:
        err(
            "models",
            m.id,
            (*at, "experts"),
            "experts on a variant without active parameters",
            "give the variant its active_params_b, or leave the expert fields out",
        )
    if s.full_attention_interval is not None:
        if s.layers is not None and s.layers % s.full_attention_interval:
            err(
                "models",
                m.id,
                (*at, "full_attention_interval"),
                f"{s.layers} layers are not a whole number of groups of {s.full_attention_interval}",
                "check num_hidden_layers and full_attention_interval in the config",
            )
        if m.architecture != "hybrid":
            err(
                "models",
                m.id,
                (*at, "full_attention_interval"),
                "a hybrid layer pattern on a release that is not hybrid",
                "set architecture: hybrid, or leave full_attention_interval out",
            )


def technique_rules(technique: str, first_release: str, data: Dataset, err: Report) -> None:
    """A technique's first release lists it, and no release lists it earlier."""
    users = data.models_using(technique)
    first = data.by_id.get(first_release)
    if first is not None and first not in users:
        err(
            "techniques",
            technique,
            ("first_release",),
            f"release '{first_release}' does not list technique '{technique}'",
            f"add '{technique}' to that release's techniques in data/models.yaml, or name the release that first used it",
        )
    elif first is not None and users and users[0].released.value < first.released.value:
        err(
            "techniques",
            technique,
            ("first_release",),
            f"'{users[0].id}' ({users[0].released.iso}) lists it earlier than '{first_release}'",
            f"set first_release to {users[0].id}, or remove '{technique}' from that release",
        )


def lineage_cycles(models: tuple[Model, ...]) -> list[list[str]]:
    """Each cycle in the lineage once, starting at the member that comes first in the file."""
    order = {m.id: i for i, m in enumerate(models)}
    graph = {m.id: [p.id for p in m.parents if p.id != m.id and p.id in order] for m in models}
    done: set[str] = set()
    found: dict[frozenset[str], list[str]] = {}
    for start in graph:
        if start in done:
            continue
        # Iterative depth-first search: the lineage may be thousands of releases deep.
        trail, stack, on_trail = [start], [iter(graph[start])], {start}
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                on_trail.discard(trail[-1])
                done.add(trail.pop())
                stack.pop()
            elif nxt in on_trail:
                cycle = trail[trail.index(nxt) :]
                first = min(range(len(cycle)), key=lambda i: order[cycle[i]])
                found.setdefault(frozenset(cycle), cycle[first:] + cycle[:first])
            elif nxt not in done:
                trail.append(nxt)
                on_trail.add(nxt)
                stack.append(iter(graph[nxt]))
    return list(found.values())


def deep_dive_errors(docs: dict[str, Document], err: Report) -> list[DataError]:
    """Every deep-dive row is accounted for exactly once, and only known rows are named."""
    if not {"deep_dive", "models", "errata"} <= set(docs):
        return []
    rows = [
        (i, raw["row"])
        for (i,), raw in KINDS["deep_dive"].entries(docs["deep_dive"].data)
        if isinstance(raw, dict) and isinstance(raw.get("row"), str)
    ]
    claims: list[tuple[str, Any, Path_, str]] = [
        ("models", raw.get("id"), ("deep_dive_rows", i), label)
        for _, raw in KINDS["models"].entries(docs["models"].data)
        if isinstance(raw, dict)
        for i, label in enumerate(raw.get("deep_dive_rows") or [])
        if isinstance(label, str)
    ]
    claims += [
        ("errata", raw.get("id"), ("deep_dive_row",), raw["deep_dive_row"])
        for _, raw in KINDS["errata"].entries(docs["errata"].data)
        if isinstance(raw, dict) and isinstance(raw.get("deep_dive_row"), str)
    ]
    counts = Counter(label for *_, label in claims)
    labels = {label for _, label in rows}
    for kind, entry_id, field, label in claims:
        if label not in labels:
            err(
                kind,
                entry_id,
                field,
                f"'{label}' is not a row of the deep-dive's timeline",
                "copy the row label exactly from data/deep-dive-rows.yaml",
            )
        elif counts[label] > 1:
            err(
                kind,
                entry_id,
                field,
                f"deep-dive row '{label}' is accounted for more than once",
                "name each deep-dive row on one release or one erratum only",
            )
    doc = docs["deep_dive"]
    return [
        error_at(
            doc.file,
            doc.data,
            (index,),
            doc.line((index,)),
            f"deep-dive row '{label}' is not accounted for",
            "add it to a release's deep_dive_rows, or record an erratum with deep_dive_row",
        )
        for index, label in rows
        if counts[label] == 0
    ]
