"""`make serve` answers on the address the README promises."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
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
