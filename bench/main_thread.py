"""Print how long a page load blocks a phone's main thread, before and after Material's script starts.

Lighthouse's total blocking time moves with the moment headless Chromium happens to paint first: a paint
before Material's script makes the script's start-up count as blocking, a paint after it does not. This
measures the work itself. Each page is loaded in Debian's chromium with the CPU slowed 4x (Lighthouse's
mobile preset), and the long tasks (over 50 ms) of the load are summed as blocking time (each task's time
beyond 50 ms): all of them, and those from the moment Material's bundle has arrived (its start-up, the
site's scripts it runs, and what they force the browser to restyle and lay out). Medians over the runs;
runs of several sites are interleaved so a busy moment of the machine hits them alike. No assertions.

Usage: .venv/bin/python bench/main_thread.py [--runs N] [SITE_DIR ...]
  With no SITE_DIR it builds the checkout. Give several built sites (e.g. `mkdocs build -d DIR` at two
  commits) to compare them page by page.
"""
from __future__ import annotations

import argparse
import http.server
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serve_gzip import handler  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "/qwen-lineage/"
PAGES = ["", "timeline/", "lineage/", "models/qwen3/"]
RECORD = ("window.__long = []; new PerformanceObserver(list => { for (const e of list.getEntries()) "
          "window.__long.push([e.startTime, e.duration]) }).observe({type: 'longtask', buffered: true});")


def serve(site: Path) -> str:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler(site, PREFIX))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"


def load(browser, url: str) -> tuple[float, float]:
    """Blocking time of one load: all long tasks, and those ending after Material's bundle has arrived."""
    context = browser.new_context(viewport={"width": 412, "height": 823}, is_mobile=True, has_touch=True)
    tab = context.new_page()
    tab.add_init_script(RECORD)
    context.new_cdp_session(tab).send("Emulation.setCPUThrottlingRate", {"rate": 4})
    tab.goto(url, wait_until="load")
    tab.wait_for_timeout(2500)  # Material's start-up and the tasks it schedules run after load
    tasks = tab.evaluate("() => window.__long")
    arrived = tab.evaluate("() => performance.getEntriesByType('resource').find(r => /bundle\\.[0-9a-f]+\\.min\\.js/.test(r.name)).responseEnd")
    context.close()
    return (sum(max(0.0, d - 50) for _, d in tasks), sum(max(0.0, d - 50) for s, d in tasks if s + d > arrived))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("sites", nargs="*", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sites = args.sites
        if not sites:
            sites = [Path(tmp) / "site"]
            env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
            subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(sites[0])], cwd=ROOT, env=env, check=True)
        bases = [serve(site) for site in sites]
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"), args=["--no-sandbox"])
            results: dict[tuple[int, str], list[tuple[float, float]]] = {(i, page): [] for i in range(len(sites)) for page in PAGES}
            for _ in range(args.runs):
                for page in PAGES:
                    for i, base in enumerate(bases):
                        results[(i, page)].append(load(browser, base + page))
            browser.close()
    print(f"main-thread blocking time of a load, CPU 4x slower, median of {args.runs} runs (ms): all / from Material's script on")
    print(f"{'page':16}" + "".join(f"  {str(site)[-28:]:>28}" for site in sites))
    for page in PAGES:
        cells = []
        for i in range(len(sites)):
            runs = results[(i, page)]
            cells.append(f"{statistics.median(r[0] for r in runs):6.0f} / {statistics.median(r[1] for r in runs):6.0f}")
        print(f"{'/' + page:16}" + "".join(f"  {cell:>28}" for cell in cells))


if __name__ == "__main__":
    main()
