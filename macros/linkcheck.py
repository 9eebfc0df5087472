"""Check every external URL in the data and the pages online, and print the dead ones.

Opt-in (it needs the network): `make linkcheck`, which the weekly workflow runs. Never part of `make test`.
"""

from __future__ import annotations

import re
import sys
import urllib.error
import urllib.request
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
URL = re.compile(r"https://[^\s<>\"'`)\]]+")
AGENT = "Mozilla/5.0 (compatible; qwen-lineage-linkcheck; +https://github.com/qwen-lineage/qwen-lineage)"


def collect(root: Path = ROOT) -> dict[str, list[str]]:
    """Every external URL in data/*.yaml and docs/**/*.md, with the places (file:line) it appears."""
    places: dict[str, list[str]] = defaultdict(list)
    files = sorted((root / "data").glob("*.yaml")) + sorted((root / "docs").rglob("*.md"))
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for url in URL.findall(line):
                places[url.rstrip(".,;:")].append(f"{path.relative_to(root)}:{number}")
    return dict(places)


def status(url: str, timeout: float = 20) -> str:
    """'ok', or why the URL is dead (HTTP status or error); HEAD first, GET when HEAD is refused."""
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": AGENT})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return "ok" if response.status < 400 else f"HTTP {response.status}"
        except urllib.error.HTTPError as exc:
            if method == "HEAD" and exc.code in (403, 405, 429, 501):
                continue
            return f"HTTP {exc.code}"
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            return f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}"
    return "unreachable"


def main() -> int:
    """Check all URLs with a few parallel requests; print the dead ones and where they are used."""
    places = collect()
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = dict(zip(places, pool.map(status, places), strict=True))
    dead = {url: why for url, why in results.items() if why != "ok"}
    for url, why in sorted(dead.items()):
        print(f"DEAD {why}: {url}\n     used at {', '.join(places[url][:5])}")
    print(f"{len(places)} external URLs checked, {len(dead)} dead")
    return 1 if dead else 0


if __name__ == "__main__":
    sys.exit(main())
