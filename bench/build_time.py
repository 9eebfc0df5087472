"""Time `mkdocs build --strict` of the real site, cold (an empty cache: every chart image drawn, the schema
checks compiled) and warm (the cache of the build before), and print the figures. No assertions.

Usage: .venv/bin/python bench/build_time.py [runs]   (default 3 of each)
"""
from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build_once(out: Path, cache: Path) -> float:
    """One strict build into `out` with `cache` as the build cache; wall seconds."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(out)], cwd=ROOT,
                   check=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "QWEN_LINEAGE_CACHE": str(cache)})
    return time.perf_counter() - start


def summary(name: str, times: list[float]) -> str:
    return f"  {name}: min {min(times):.2f} s · median {statistics.median(times):.2f} s · max {max(times):.2f} s"


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    with tempfile.TemporaryDirectory() as tmp:
        cold, warm = [], []
        for i in range(runs):
            cache = Path(tmp) / f"cache{i}"
            cold.append(build_once(Path(tmp) / f"cold{i}", cache))
            warm.append(build_once(Path(tmp) / f"warm{i}", cache))
        site = Path(tmp) / "warm0"
        pages = sum(1 for _ in site.rglob("*.html"))
        size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
        images = sum(1 for _ in (Path(tmp) / "cache0" / "charts").glob("*.*"))
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"mkdocs build --strict of the real site, {runs} runs of each, {os.cpu_count()} cores")
    print(summary(f"cold (empty cache: {images} chart images drawn)", cold))
    print(summary("warm (every image cached)", warm))
    print(f"  output: {pages} HTML pages, {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
