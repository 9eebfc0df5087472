"""`make linkcheck` finds every external URL and tells live from dead (tested on loopback, never online)."""
from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

from macros import linkcheck

from .conftest import ROOT


def test_collect_finds_data_and_page_urls_with_places() -> None:
    places = linkcheck.collect(ROOT)
    assert "https://github.com/QwenLM/qwen-code" in places, "URLs in data files must be checked"
    assert all(url.startswith("https://") for url in places)
    where = places["https://github.com/QwenLM/qwen-code"][0]
    file, line = where.rsplit(":", 1)
    assert (ROOT / file).is_file() and "https://github.com/QwenLM/qwen-code" in (ROOT / file).read_text(encoding="utf-8").splitlines()[int(line) - 1]


def test_status_tells_live_from_dead(tmp_path: Path) -> None:
    (tmp_path / "live.html").write_text("ok", encoding="utf-8")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        assert linkcheck.status(base + "live.html", timeout=5) == "ok"
        assert linkcheck.status(base + "gone.html", timeout=5) == "HTTP 404"
    finally:
        server.shutdown()
    assert linkcheck.status("http://127.0.0.1:9/", timeout=2).startswith("URLError"), "a refused connection is dead"
