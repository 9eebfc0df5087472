"""Print what each built page transfers: at first paint and after its charts turn interactive.

Builds the site (and a plain Material site for comparison), serves both on loopback, loads every page
in Debian's chromium through Playwright, and sums the bytes of the HTML and of every script, style,
font and image it requested: raw, and gzip-compressed as a real host serves text. No assertions.

Usage: .venv/bin/python bench/page_weight.py [page ...]
"""
from __future__ import annotations

import functools
import gzip
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["", "timeline/", "lineage/", "scale/", "techniques/", "team/", "errata/", "sources/", "charts/",
         "charts/release-timeline/", "models/qwen/", "compare/?a=qwen2.5&b=qwen3"]
TEXT = (".html", ".js", ".css", ".svg", ".json", ".csv", ".xml", ".txt", "/")
PLAIN_MKDOCS = """site_name: Plain Material
site_url: {url}
theme:
  name: material
  font: false
  features: [navigation.instant, navigation.tabs, search.suggest]
"""


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, int]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]


def build(config_dir: Path, out: Path, url: str) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "QWEN_LINEAGE_SITE_URL": url}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(out)],
                   cwd=config_dir, env=env, check=True)


def sizes(site: Path, prefix: str, url: str) -> tuple[int, int]:
    """(raw, gzip) bytes of one requested URL, read from the built files."""
    path = unquote(urlsplit(url).path)[len(prefix):]
    file = site / path
    if path.endswith("/") or path == "":
        file = file / "index.html"
    if not file.is_file():
        return 0, 0
    raw = file.read_bytes()
    compressed = len(gzip.compress(raw, 6)) if file.name.endswith(TEXT) or file.suffix in TEXT else len(raw)
    return len(raw), compressed


def measure(browser, base: str, site: Path, prefix: str, page: str) -> dict[str, object]:
    """Bytes at first paint (the load event) and after every chart is interactive."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    requests: list[str] = []
    tab.on("request", lambda r: requests.append(r.url))
    tab.goto(base + page, wait_until="load")
    first = list(dict.fromkeys(requests))
    frames = tab.locator(".ql-chart__frame").count()
    for frame in tab.query_selector_all(".ql-chart__frame"):
        frame.hover()  # plotly.js loads when a reader reaches for a chart
    if frames:
        tab.wait_for_function(f"() => document.querySelectorAll('.ql-chart__frame[data-state=interactive]').length === {frames}",
                              timeout=60_000)
    tab.wait_for_timeout(300)
    context.close()
    every = list(dict.fromkeys(requests))
    local = [u for u in every if u.startswith(base.split(prefix)[0])]
    foreign = [u for u in every if u not in local and not u.startswith("data:")]
    first_raw = first_gz = all_raw = all_gz = 0
    for url in every:
        raw, gz = sizes(site, prefix, url) if url in local else (0, 0)
        all_raw, all_gz = all_raw + raw, all_gz + gz
        if url in first:
            first_raw, first_gz = first_raw + raw, first_gz + gz
    return {"page": "/" + page, "requests": len(first), "first_raw": first_raw, "first_gz": first_gz,
            "all_raw": all_raw, "all_gz": all_gz, "plotly": any("plotly" in u for u in every), "foreign": foreign}


def kb(n: int) -> str:
    return f"{n / 1024:,.1f}"


def main() -> None:
    from playwright.sync_api import sync_playwright

    pages = sys.argv[1:] or PAGES
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if chromium is None:
        sys.exit("Debian's chromium is needed: apt-get install -y chromium")
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        ours, plain = tmp_path / "ours", tmp_path / "plain"
        server_ours, port_ours = serve(ours.parent)
        url_ours = f"http://127.0.0.1:{port_ours}/ours/"
        build(ROOT, ours, url_ours)
        (tmp_path / "plain-src" / "docs").mkdir(parents=True)
        url_plain = f"http://127.0.0.1:{port_ours}/plain/"
        (tmp_path / "plain-src" / "mkdocs.yml").write_text(PLAIN_MKDOCS.format(url=url_plain), encoding="utf-8")
        (tmp_path / "plain-src" / "docs" / "index.md").write_text(
            "# Plain page\n\n" + (ROOT / "docs" / "sources.md").read_text(encoding="utf-8").split("## Coverage")[0].split("---", 2)[-1],
            encoding="utf-8")
        build(tmp_path / "plain-src", plain, url_plain)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"])
            baseline = measure(browser, url_plain, plain, "/plain/", "")
            rows = [measure(browser, url_ours, ours, "/ours/", p) for p in pages]
            browser.close()
        server_ours.shutdown()
    print("Page weight (KB; gzip as a host serves text; images as they are)")
    print(f"{'page':28} {'reqs':>4} {'first raw':>10} {'first gz':>9} {'ratio':>6} {'all raw':>9} {'all gz':>8} plotly")
    base_gz = int(baseline["first_gz"])  # type: ignore[arg-type]
    for row in [{**baseline, "page": "plain Material page"}] + rows:
        ratio = f"{int(row['first_gz']) / base_gz:.2f}x" if base_gz else "–"  # type: ignore[arg-type]
        print(f"{row['page']:28} {row['requests']:>4} {kb(row['first_raw']):>10} {kb(row['first_gz']):>9} {ratio:>6} "  # type: ignore[arg-type]
              f"{kb(row['all_raw']):>9} {kb(row['all_gz']):>8} {'yes' if row['plotly'] else 'no'}")  # type: ignore[arg-type]
    foreign = sorted({u for row in rows for u in row["foreign"]})  # type: ignore[union-attr]
    print(f"requests to other hosts: {len(foreign)}" + ("".join(f"\n  {u}" for u in foreign)))


if __name__ == "__main__":
    main()
