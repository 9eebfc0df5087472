"""The JSON Schemas: valid, consistent with each other, and referenced from every data file."""
from __future__ import annotations

import json

import jsonschema
import pytest

from macros.validate import KINDS, SCHEMA_DIR

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
