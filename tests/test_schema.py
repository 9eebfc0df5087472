"""The JSON Schemas: valid, consistent with each other, and referenced from every data file."""
from __future__ import annotations

import json

import jsonschema
import pytest

from macros.load import KINDS
from macros.validate import SCHEMA_DIR

from .conftest import DATA

SCHEMAS = sorted(SCHEMA_DIR.glob("*.schema.json"))


@pytest.mark.parametrize("path", SCHEMAS, ids=[p.name for p in SCHEMAS])
def test_schema_is_valid_draft_2020_12(path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$id"].endswith("/schema/" + path.name), "the $id must be the schema's published URL"


def test_shared_definitions_are_identical() -> None:
    """Each schema is self-contained for editors; the definitions they share must not drift apart."""
    defs = {p.name: json.loads(p.read_text(encoding="utf-8")).get("$defs", {}) for p in SCHEMAS}
    for name in ("id", "date", "url", "source", "sources"):
        versions = {json.dumps(d[name], sort_keys=True) for d in defs.values() if name in d}
        assert len(versions) == 1, f"$defs/{name} differs between schemas: edit them together"


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_data_file_points_editors_at_its_schema(kind: str) -> None:
    first = (DATA / KINDS[kind].file).read_text(encoding="utf-8").splitlines()[0]
    expected = f"# yaml-language-server: $schema=../docs/schema/{KINDS[kind].schema}"
    assert first == expected, f"data/{KINDS[kind].file} must start with: {expected}"
    assert (SCHEMA_DIR / KINDS[kind].schema).is_file()


# The build checks valid data with the schema compiled by fastjsonschema (draft 7) and asks jsonschema
# (draft 2020-12) for the located messages only when that check fails. That is safe only while every
# keyword the schemas use means the same in both drafts and no $ref has siblings (draft 7 ignores them).
SAME_IN_DRAFT_7 = {"$schema", "$id", "$defs", "$ref", "title", "description", "type", "properties", "required",
                   "additionalProperties", "items", "enum", "const", "pattern", "minLength", "maxLength", "minItems",
                   "maxItems", "uniqueItems", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "if", "then", "else", "not", "anyOf", "oneOf", "allOf"}


def _keywords(node: object, where: str) -> list[tuple[str, str]]:
    """(keyword, location) for every schema keyword, skipping the names under `properties` and `$defs`."""
    out = []
    if isinstance(node, dict):
        for key, value in node.items():
            out.append((key, where))
            children = value.values() if key in ("properties", "$defs") and isinstance(value, dict) else [value]
            for child in children:
                out.extend(_keywords(child, f"{where}/{key}"))
    elif isinstance(node, list):
        for child in node:
            out.extend(_keywords(child, where))
    return out


@pytest.mark.parametrize("path", SCHEMAS, ids=[p.name for p in SCHEMAS])
def test_schema_means_the_same_to_the_fast_validator(path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    unknown = sorted({f"{k} at {w}" for k, w in _keywords(schema, "") if k not in SAME_IN_DRAFT_7})
    assert not unknown, f"keywords outside the shared draft-7/2020-12 set (see macros/validate._fast_check): {unknown}"

    def refs_with_siblings(node: object) -> list[object]:
        if isinstance(node, dict):
            here = [node] if "$ref" in node and set(node) - {"$ref", "description", "title"} else []
            return here + [n for v in node.values() for n in refs_with_siblings(v)]
        return [n for v in node for n in refs_with_siblings(v)] if isinstance(node, list) else []
    assert not refs_with_siblings(schema), "draft 7 ignores keywords beside $ref: wrap them in allOf"
