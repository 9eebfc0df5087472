"""Every property of every schema reaches its record and its API document: records are built from their
dataclass fields, and the API writes records field by field, so no hand-kept list can drop a field."""
from __future__ import annotations

import json
import typing
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

import pytest

from macros import api
from macros.dataset import load_dataset
from macros.load import FIELD_TYPES, KINDS, read_yaml
from macros.records import from_loader
from macros.validate import schema

from .conftest import DATA, VALID


def _resolve(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = defs[node["$ref"].split("/")[-1]]
    return node


def _record_type(kind: Any) -> Any:
    """The record class a field holds (itself, in a tuple, or optional), or None for plain values."""
    for arg in (kind, *typing.get_args(kind)):
        if is_dataclass(arg):
            return arg
    return None


def _mismatches(node: dict[str, Any], cls: type, defs: dict[str, Any], where: str) -> list[str]:
    """Schema properties without a field, and fields without a property, for one record class and below."""
    node = _resolve(node, defs)
    names = set(node.get("properties", {}))
    own = {f.name for f in fields(cls) if not from_loader(f)}
    out = [f"{where}.{n}: no field in {cls.__name__}" for n in sorted(names - own)]
    out += [f"{where}: {cls.__name__}.{n} is no property of the schema" for n in sorted(own - names)]
    for name in sorted(names & own):
        inner = _record_type(FIELD_TYPES[cls][name])
        prop = _resolve(node["properties"][name], defs)
        item = _resolve(prop.get("items", {}), defs) if prop.get("type") == "array" else prop
        if inner is not None and "properties" in item:
            out += _mismatches(item, inner, defs, f"{where}.{name}")
    return out


def _modelscope(s: dict[str, Any], key: str) -> dict[str, Any]:
    return _resolve(_resolve(s["properties"]["modelscope"], s["$defs"])["properties"][key], s["$defs"])["items"]


SCHEMA_ROOTS = {  # kind -> the schemas of its entries, from its file's schema
    "ecosystem": lambda s: [_resolve(p, s["$defs"])["items"] for name, p in s["properties"].items() if name != "modelscope"]
    + [_modelscope(s, "figures")],
    "conflicts": lambda s: [_modelscope(s, "conflicts")],
    "checked": lambda s: [s],  # a file that is one entry
}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_schema_property_has_a_record_field(kind: str) -> None:
    rules = schema(KINDS[kind].schema)
    defs = rules.get("$defs", {})
    roots = SCHEMA_ROOTS[kind](rules) if kind in SCHEMA_ROOTS else [rules["items"]]
    if kind == "ecosystem":  # one record for every section: the union of their properties
        union = {name: prop for root in roots for name, prop in _resolve(root, defs)["properties"].items()}
        assert set(_resolve(rules["properties"]["modelscope"], defs)["properties"]) == {"summary", "figures", "conflicts"}, \
            "modelscope has a property besides summary, figures and conflicts: give it a place in Dataset"
        roots = [{"properties": union}]
    problems = [p for root in roots for p in _mismatches(root, KINDS[kind].record, defs, kind)]
    assert not problems, "schema and record disagree; add the field to macros/records.py (or the property to the schema):\n" + "\n".join(problems)


def _contains(whole: Any, part: Any) -> bool:
    """Whether every key and value of `part` (data as read) is in `whole` (data as published)."""
    if isinstance(part, dict):
        return isinstance(whole, dict) and all(k in whole and _contains(whole[k], v) for k, v in part.items())
    if isinstance(part, list):
        return isinstance(whole, list) and len(whole) == len(part) and all(_contains(w, p) for w, p in zip(whole, part))
    return whole == part


API = {"models": ("models", "models"), "people": ("people", "people"), "techniques": ("techniques", "techniques"),
       "errata": ("errata", "errata"), "milestones": ("milestones", "milestones"), "deep_dive": ("deep-dive-rows", "deep_dive_rows")}


@pytest.mark.parametrize("folder", [VALID, DATA], ids=["fixture", "data"])
def test_every_value_in_the_data_reaches_its_record_and_the_api(folder: Path) -> None:
    data = load_dataset(folder)
    documents = {path: json.loads(body) for path, body in api.api_documents(data, "https://example.org/", "t", "v").items()}
    problems = []
    for name, kind in KINDS.items():
        raws = [raw for _, raw in kind.entries(read_yaml(folder / kind.file, kind.file).data)]
        records = getattr(data, name)
        if kind.single:
            assert records is not None and _contains(api.as_json(records), raws[0]), f"{kind.file}: the record lost a value"
            published = documents["api/v1/models.json"]
            assert (published["data_checked"], published["checked_through"]) == (raws[0]["data_checked"], raws[0]["checked_through"]), \
                "every API document carries when the data was checked"
            continue
        if name in API:
            file, key = API[name]
            published = documents[f"api/v1/{file}.json"][key]
        else:
            body = documents["api/v1/ecosystem.json"]["ecosystem"]
            published = body["entries"] if name == "ecosystem" else body["conflicts"]
        assert len(published) == len(raws) == len(records), f"{kind.file}: every entry is a record and is published"
        by_key = {(doc.get("section") if name == "ecosystem" else None, doc.get("id") or doc.get("row")): doc for doc in published}
        for raw, record in zip(raws, records, strict=True):
            label = raw.get("id") or raw.get("row")
            doc = by_key[(getattr(record, "section", None) if name == "ecosystem" else None, label)]
            if not _contains(api.as_json(record), raw):
                problems.append(f"{kind.file} › {label}: the record lost a value")
            if not _contains(doc, raw):
                problems.append(f"{kind.file} › {label}: the API document lost a value")
    assert not problems, "\n".join(problems)
