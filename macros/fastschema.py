"""The schemas compiled to Python by fastjsonschema: a quick pass/fail check for data that is valid.

jsonschema takes 2.4 s to accept 1,000 releases; the compiled check takes 0.25 s (bench/schema_check.py
prints both). Compiling the eight checks takes 0.4 s, more than jsonschema needs for the real data, so the
compiled code is kept in .cache/schemas/ under a hash of the schema and the fastjsonschema and Python
versions: after the first build a check loads in a millisecond. Data that fails goes to jsonschema, which
finds and explains every error (validate.schema_errors), so this module only ever says "valid".

Every keyword the schemas use means the same in draft 7, which fastjsonschema implements, and no `$ref` has
sibling keywords; tests/test_schema.py checks both, and that the two validators never disagree.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import fastjsonschema

CACHE = Path(__file__).resolve().parent.parent / ".cache" / "schemas"


def compile_check(schema: dict[str, Any], cache: Path = CACHE) -> Callable[[Any], bool]:
    """A function that says whether data is valid under `schema` (True), or not (False)."""
    draft7 = {key: value for key, value in schema.items() if key != "$schema"}
    name = "validate_" + hashlib.sha256(json.dumps(draft7, sort_keys=True).encode("utf-8")).hexdigest()[:20]
    path = cache / f"{name}-{fastjsonschema.VERSION}-{sys.implementation.cache_tag}.marshal"
    try:
        code = marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        source = fastjsonschema.compile_to_code(draft7, use_default=False, use_formats=False)
        entry = fastjsonschema.RefResolver.from_schema(draft7).get_scope_name()
        code = compile(f"{source}\n{name} = {entry}\n", str(path), "exec")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(marshal.dumps(code))
        except OSError:
            pass  # a read-only checkout compiles every time
    namespace: dict[str, Any] = {}
    exec(code, namespace)
    check = namespace[name]

    def valid(data: Any) -> bool:
        try:
            check(data)
        except fastjsonschema.JsonSchemaException:
            return False
        return True

    return valid
