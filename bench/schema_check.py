"""Time the schema check of the release file at 1,000 synthetic releases: jsonschema, and the code that
fastjsonschema compiles from the same schema (macros/fastschema.py), compiled fresh and loaded from the
cache. Prints seconds; no assertions.

Usage: .venv/bin/python bench/schema_check.py [releases]   (default 1000)
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import jsonschema  # noqa: E402
from build_scale import synthetic  # noqa: E402

from macros.fastschema import compile_check  # noqa: E402
from macros.load import read_yaml  # noqa: E402
from macros.validate import schema  # noqa: E402


def timed(call) -> float:  # noqa: ANN001
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as tmp:
        synthetic(n, Path(tmp) / "data")
        data = read_yaml(Path(tmp) / "data" / "models.yaml", "models.yaml").data
        rules = schema("models.schema.json")
        cache = Path(tmp) / "cache"
        slow = timed(lambda: jsonschema.Draft202012Validator(rules).is_valid(data))
        compiled = timed(lambda: compile_check(rules, cache))
        loaded = timed(lambda: compile_check(rules, cache))
        check = compile_check(rules, cache)
        fast = timed(lambda: check(data))
    print(f"schema check of {n} releases: jsonschema {slow:.2f} s | compiled check {fast:.2f} s "
          f"(+ {compiled:.2f} s to compile it once, {loaded * 1000:.0f} ms to load it from the cache)")


if __name__ == "__main__":
    main()
