"""Time chart image export. Per SVG, three ways: a fresh browser per image; one kaleido session as kaleido
ships it (it reloads its tab, and so plotly.js, after every image); and the build's session, which keeps
its tab (macros/export.py). Then all 8 images of every chart (QWEN_LINEAGE_DATA or data/) two ways in the
build's session: plotly.js drawing each image, and the build's drawings (one per size, dark SVGs
recoloured, PNGs rasterised from the SVG). Prints seconds; no assertions.

Usage: .venv/bin/python bench/export_time.py [images]
"""
from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import kaleido

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from macros.charts import CHARTS  # noqa: E402
from macros.embed import REPORT_SIZE, figure_json, themed  # noqa: E402
from macros.export import Image, ImageExporter, Render, _session, renders  # noqa: E402
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
    jobs = [Render(lambda f=f: f, REPORT_SIZE[0], REPORT_SIZE[1], True, (Image(f"{n}.svg", f"k{n}", "svg"),)) for n, f in enumerate(figs)]
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
    every_image(load_dataset(Path(os.environ.get("QWEN_LINEAGE_DATA", ROOT / "data"))))


def every_image(data) -> None:  # noqa: ANN001
    """All images of all charts: a plotly.js drawing per image against the build's drawings."""
    figures = {slug: chart.figure(data) for slug, chart in CHARTS.items()}
    drawings = [r for slug, chart in CHARTS.items() for r in renders(chart, figures[slug], figure_json(figures[slug]))]
    images = [(r, image) for r in drawings for image in r.images]

    async def one_per_image() -> None:
        async with _session() as k:
            for r, image in images:
                scheme = "dark" if image.dark else "light"
                await k.calc_fig(themed(r.make(), scheme, background=r.background, page=not r.background),
                                 opts={"format": image.fmt, "width": r.width, "height": r.height, "scale": image.scale})
    each = timed(lambda: asyncio.run(one_per_image()))
    build = timed(lambda: ImageExporter(Path(tempfile.mkdtemp())).export(drawings))
    print(f"All {len(images)} images of {len(CHARTS)} charts, {sum(len(f.data) for f in figures.values())} traces, "
          f"one session each (browser start included)")
    print(f"  plotly.js draws every image:  {each:.1f} s ({len(images)} drawings)")
    print(f"  the build's drawings:         {build:.1f} s ({len(drawings)} drawings; {each / build:.1f}x faster)")


if __name__ == "__main__":
    main()
