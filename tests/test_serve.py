"""`make serve` answers on the address the README promises."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.build


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_make_serve_answers() -> None:
    port = _free_port()
    proc = subprocess.Popen(["make", "serve", f"HOST=127.0.0.1:{port}"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True, text=True)
    home = body = ""
    deadline = time.monotonic() + 120  # a readiness wait, not a timing assertion
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                # / redirects to the site_url's path (/qwen-lineage/), as on the hosted site.
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    home = response.read().decode("utf-8")
                with urllib.request.urlopen(urllib.parse.urljoin(response.url, "timeline/"), timeout=5) as response:
                    body = response.read().decode("utf-8")
                break
            except OSError:
                time.sleep(0.5)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        output = proc.communicate(timeout=30)[0]
    assert "Qwen Lineage" in home, f"make serve did not answer on /:\n{output[-3000:]}"
    assert 'data-ql-table="timeline"' in body, f"make serve did not serve the timeline:\n{output[-3000:]}"


def test_make_serve_shows_an_edit_to_the_data(tmp_path) -> None:
    """`mkdocs serve` (what `make serve` runs) rebuilds when data/ changes, with a new build object, and the
    release page shows the edit. Run on a copy of the project, so the real data is never touched."""
    from .conftest import VALID, project_copy

    config = project_copy(tmp_path / "project", data=VALID)
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-f", str(config), "-a", f"127.0.0.1:{port}"],
                            cwd=tmp_path / "project", stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
                            text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    url = f"http://127.0.0.1:{port}/qwen-lineage/models/alpha/"
    seen = ""

    def wait_for(text: str) -> str:
        deadline = time.monotonic() + 120  # a readiness wait, not a timing assertion
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    page = response.read().decode("utf-8")
                if text in page:
                    return page
            except OSError:
                pass
            time.sleep(0.3)
        return ""
    try:
        assert wait_for("The first test release."), "mkdocs serve did not serve the release page"
        models = tmp_path / "project" / "data" / "models.yaml"
        models.write_text(models.read_text(encoding="utf-8").replace("The first test release.", "An edited summary."),
                          encoding="utf-8")
        seen = wait_for("An edited summary.")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        output = proc.communicate(timeout=30)[0]
    assert seen, f"the edit to data/models.yaml never reached the page:\n{output[-3000:]}"
