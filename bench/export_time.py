"""Time drawing every chart image of the real data (QWEN_LINEAGE_DATA or data/) as a cold build does: one
Chromium session on the build's drawing thread (macros/browser.py), each image drawn by kaleido. Prints the
start-up, the seconds per image and per chart, and the total. No assertions.

Usage: .venv/bin/python bench/export_time.py
"""
from __future__ import annotations

import os
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from macros import artefacts  # noqa: E402
from macros.browser import Drawing, DrawingJob, find_chromium  # noqa: E402
from macros.charts import CHARTS  # noqa: E402
from macros.embed import Site  # noqa: E402
from macros.dataset import load_dataset  # noqa: E402


SITE = Site(url="https://qwen-lineage.github.io/qwen-lineage/", name="Qwen Lineage", version="bench", year="2026", images=True)


def main() -> None:
    chromium = find_chromium()
    if chromium is None:
        raise SystemExit("no Chromium: install Debian's chromium or set BROWSER_PATH")
    data = load_dataset(Path(os.environ.get("QWEN_LINEAGE_DATA") or ROOT / "data"))
    figures = artefacts.chart_figures(CHARTS, data)
    drawings = [Drawing(spec.label, lambda j=figures[slug], s=spec: artefacts.themed_figure(j, s), spec.fmt, spec.width,
                        spec.height, spec.scale)
                for slug, chart in CHARTS.items() for spec in artefacts.image_specs(chart, data, SITE)]
    done: list[tuple[str, float]] = []
    start = time.perf_counter()
    job = DrawingJob(drawings, lambda d, image: done.append((d.label, time.perf_counter())), chromium)
    job.start()
    job.wait()
    total = time.perf_counter() - start
    per_chart: dict[str, float] = defaultdict(float)
    previous = None
    for label, at in done:
        if previous is not None:
            per_chart[label.split(" ", 1)[0]] += at - previous
        previous = at
    first = done[0][1] - start
    print(f"{len(drawings)} images of {len(CHARTS)} charts ({len(data.models)} releases) in {total:.1f} s, one Chromium session")
    print(f"  Chromium's start and the first image: {first:.2f} s; each further image: {(total - first) / (len(done) - 1):.2f} s on average")
    for slug, seconds in per_chart.items():
        print(f"  {slug:>20}: {seconds:.2f} s")


if __name__ == "__main__":
    main()
