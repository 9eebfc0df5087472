"""Time `mkdocs build --strict` of the real site and print the figures (no assertions).

Usage: .venv/bin/python bench/build_time.py [runs]
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build_once(out: Path) -> float:
    """One strict build into `out`; return wall seconds."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(out)],
                   cwd=ROOT, check=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    return time.perf_counter() - start


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    with tempfile.TemporaryDirectory() as tmp:
        times = [build_once(Path(tmp) / f"site{i}") for i in range(runs)]
        pages = sum(1 for _ in (Path(tmp) / "site0").rglob("*.html"))
        size = sum(p.stat().st_size for p in (Path(tmp) / "site0").rglob("*") if p.is_file())
    print(f"mkdocs build --strict, {runs} runs, {os.cpu_count()} cores")
    print(f"  min {min(times):.2f} s · median {statistics.median(times):.2f} s · max {max(times):.2f} s")
    print(f"  output: {pages} HTML pages, {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
