"""Time how long `mkdocs serve` takes to show an edit to data/models.yaml. Prints figures; no assertions.

Works on a temporary copy of the repository (the real data is never touched): starts `mkdocs serve`,
waits until it answers, appends a marker to one release's summary, and polls that release's page until
the marker appears.

Usage: .venv/bin/python bench/rebuild.py [edits]
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(url: str, text: str, limit: float = 120) -> float:
    """Seconds until `text` appears at `url` (polling every 50 ms), or the limit."""
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        if text in fetch(url):
            return time.perf_counter() - start
        time.sleep(0.05)
    return float("inf")


def with_summary(text: str, model_id: str, summary: str) -> str:
    """The models file with one release's summary replaced by a one-line text."""
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line == f"- id: {model_id}\n")
    at = next(i for i in range(start, len(lines)) if lines[i].startswith("  summary:"))
    end = next(i for i in range(at + 1, len(lines)) if not lines[i].startswith("    "))
    return "".join(lines[:at] + [f"  summary: {summary}\n"] + lines[end:])


def main() -> None:
    edits = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "repo"
        tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
        for name in tracked:
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, copy / name)
        (copy / "node_modules").symlink_to(ROOT / "node_modules")
        subprocess.run(["git", "init", "-q"], cwd=copy, check=True)
        port = free_port()
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=copy,
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        base = f"http://127.0.0.1:{port}/qwen-lineage/"
        try:
            startup = wait_for(base + "models/qwen3/", "Qwen3")
            models = copy / "data" / "models.yaml"
            original = models.read_text(encoding="utf-8")
            times = []
            for n in range(edits):
                marker = f"Rebuild marker {n} {time.time_ns()}"
                models.write_text(with_summary(original, "qwen3", marker), encoding="utf-8")
                times.append(wait_for(base + "models/qwen3/", marker))
                time.sleep(1)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    print("mkdocs serve: an edit to data/models.yaml until the release page shows it")
    print(f"  first build before serving: {startup:.2f} s")
    print(f"  rebuild after an edit: " + ", ".join(f"{t:.2f} s" for t in times)
          + f" (median {statistics.median(times):.2f} s)")


if __name__ == "__main__":
    main()
