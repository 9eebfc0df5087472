"""Time chart image export three ways: a fresh browser per image; one kaleido session as kaleido ships it
(it reloads its tab, and so plotly.js, after every image); and the build's session, which keeps its tab
(macros/export.py). Prints seconds per image; no assertions.

Usage: .venv/bin/python bench/export_time.py [images]
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import kaleido

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from macros.charts import CHARTS  # noqa: E402
from macros.embed import REPORT_SIZE, themed  # noqa: E402
from macros.export import ImageExporter, ImageJob  # noqa: E402
from macros.validate import load_dataset  # noqa: E402


def timed(call) -> float:  # noqa: ANN001
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    data = load_dataset(ROOT / "data")
    figs = [themed(chart.figure(data), "light", background=True) for chart in CHARTS.values()]
    figs = (figs * (count // len(figs) + 1))[:count]
    opts = {"format": "svg", "width": REPORT_SIZE[0], "height": REPORT_SIZE[1]}
    cold = [timed(lambda f=f: kaleido.calc_fig_sync(f, opts=opts)) for f in figs[:2]]
    kaleido.start_sync_server(silence_warnings=True)
    first = timed(lambda: kaleido.calc_fig_sync(figs[0], opts=opts))
    warm = [timed(lambda f=f: kaleido.calc_fig_sync(f, opts=opts)) for f in figs]
    kaleido.stop_sync_server(silence_warnings=True)
    kept = ImageExporter(Path(tempfile.mkdtemp()))
    jobs = [ImageJob(f"{n}.svg", f"k{n}", lambda f=f: f, "svg", REPORT_SIZE[0], REPORT_SIZE[1]) for n, f in enumerate(figs)]
    start = time.perf_counter()
    kept.export(jobs[:1])
    kept_first = time.perf_counter() - start
    start = time.perf_counter()
    kept.export(jobs)
    kept_all = time.perf_counter() - start
    print(f"SVG export, {REPORT_SIZE[0]}x{REPORT_SIZE[1]}, system Chromium")
    print(f"  a browser per image:        {statistics.mean(cold):.2f} s per image ({len(cold)} images)")
    print(f"  one export session, first:  {first:.2f} s (starts the browser)")
    print(f"  one export session, after:  {statistics.mean(warm):.3f} s per image (median {statistics.median(warm):.3f}, {len(warm)} images)")
    print(f"  build's session, kept tab:  {kept_all / len(jobs):.3f} s per image, browser start included "
          f"({len(jobs)} images; {kept_first:.2f} s for a session with one image)")
    print(f"  ratio: {statistics.mean(cold) / statistics.mean(warm):.1f}x faster per image (session vs browser per image), "
          f"{statistics.mean(warm) / ((kept_all - kept_first) / max(len(jobs) - 1, 1)):.1f}x more with the kept tab")


if __name__ == "__main__":
    main()
