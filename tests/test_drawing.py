"""macros/browser.py: chart images drawn by Chromium on a thread of their own, with a deadline on every wait.

A fake Chromium that never answers, one that dies mid-drawing, one that will not start, and a drawing thread
that is stuck: each fails with a message naming the image, within the job's deadline, and leaves no browser
behind. Tests that need the real Chromium skip outside CI when it is missing and fail under CI."""
from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest

from macros import browser
from macros.browser import Drawing, DrawingError, DrawingJob

from .conftest import ROOT, require_chromium

FAKES = Path(__file__).resolve().parent / "fakes"
pytestmark = pytest.mark.browser


def _figure(title: str) -> Callable[[], dict[str, Any]]:
    return lambda: {"data": [{"type": "scatter", "x": [1, 2, 3], "y": [3, 1, 2], "uid": "t0"}],
                    "layout": {"title": {"text": title}, "template": None}}


def _run(drawings: list[Drawing], chromium: str, timeout: float = 30, slack: float = 5) -> tuple[list[tuple[str, bytes]], DrawingJob]:
    saved: list[tuple[str, bytes]] = []
    job = DrawingJob(drawings, lambda d, image: saved.append((d.label, image)), chromium, timeout, slack)
    job.start()
    job.wait()
    return saved, job


def _assert_browser_gone(job: DrawingJob) -> None:
    process = getattr(job._session, "subprocess", None)
    assert process is None or process.poll() is not None, "the browser the job started must be gone after a failure"


def test_the_pinned_kaleido_and_plotly_js_are_the_versions_this_module_was_written_for() -> None:
    """browser.py alone knows how kaleido and plotly.js behave (its calls, plotly.js's random SVG ids). When a pin
    moves, read their changes, check stable_svg and the drawing calls, then update the versions in browser.py."""
    assert version("kaleido") == browser.KALEIDO_VERSION, (
        f"kaleido is {version('kaleido')}, browser.py was written for {browser.KALEIDO_VERSION}: check the drawing calls "
        "(Kaleido(), open, calc_fig, close, .subprocess) and update KALEIDO_VERSION")
    bundle = json.loads((browser.PLOTLY_DIST / "package.json").read_text(encoding="utf-8"))["version"]
    assert bundle == browser.PLOTLY_JS_VERSION, (
        f"plotly.js is {bundle}, browser.py was written for {browser.PLOTLY_JS_VERSION}: check that stable_svg still "
        "finds every random id in a drawn SVG (test_two_drawings_give_the_same_bytes) and update PLOTLY_JS_VERSION")
    assert browser.renderer() == f"kaleido {browser.KALEIDO_VERSION}, plotly.js {browser.PLOTLY_JS_VERSION}, stable ids 1"


def test_chromium_is_found_where_it_is_said_to_be(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\n", encoding="utf-8")
    monkeypatch.setenv("BROWSER_PATH", str(fake))
    assert browser.find_chromium() is None, "a file that cannot run is no browser"
    fake.chmod(0o755)
    assert browser.find_chromium() == str(fake)
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "missing"))
    assert browser.find_chromium() is None, "a BROWSER_PATH that names nothing means no browser, not another one"


def test_stable_svg_replaces_plotlys_random_ids() -> None:
    one = (b'<svg><defs id="defs-585304"><clipPath id="clip3381dbxyplot"/></defs>'
           b'<g id="legend3381db" clip-path="url(#clip3381dbxyplot)" fill="#3381db"/></svg>')
    two = one.replace(b"clip3381db", b"clipa12261").replace(b"legend3381db", b"legenda12261").replace(b"defs-585304", b"defs-3f2bcb")
    assert browser.stable_svg(one, "lineage (svg)") == browser.stable_svg(two, "lineage (svg)"), "same content, same bytes"
    assert b'fill="#3381db"' in browser.stable_svg(one, "x"), "colours that look like an id stay untouched"
    assert browser.stable_svg(one, "x") != browser.stable_svg(one, "y"), "ids follow the image's name"
    footer = b'<svg><clipPath id="legend2937589"/><g clip-path="url(#legend2937589)" transform="translate(1937589,0)"/></svg>'
    other = footer.replace(b"legend2937589", b"legend239b2e5")
    assert browser.stable_svg(footer, "x") == browser.stable_svg(other, "x"), "a second legend's id (legend2…) is made stable too"
    assert b"translate(1937589,0)" in browser.stable_svg(footer, "x"), "numbers that hold the id's digits stay untouched"


def test_each_image_is_drawn_and_handed_over_in_order() -> None:
    saved, job = _run([Drawing("a (svg)", _figure("A"), "svg", 400, 300), Drawing("b (png)", _figure("B"), "png", 400, 300, 2)],
                      require_chromium())
    assert [label for label, _ in saved] == ["a (svg)", "b (png)"]
    assert saved[0][1].startswith(b"<svg") and b">A<" in saved[0][1]
    assert saved[1][1][:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(saved[1][1][16:20], "big") == 800, "a 2x PNG is twice as wide"
    _assert_browser_gone(job)


def test_two_drawings_give_the_same_bytes() -> None:
    """Two builds of the same data give byte-identical images: plotly.js's random ids are replaced."""
    chromium = require_chromium()
    first, _ = _run([Drawing("same (svg)", _figure("Same"), "svg", 400, 300)], chromium)
    second, _ = _run([Drawing("same (svg)", _figure("Same"), "svg", 400, 300)], chromium)
    assert first == second


def test_a_chromium_that_never_answers_fails_the_drawing_and_names_the_image() -> None:
    drawings = [Drawing("release-timeline (svg, 1200 × 675, light)", _figure("x"), "svg", 1200, 675)]
    with pytest.raises(DrawingError, match=r"did not answer within 2 s while starting Chromium for release-timeline \(svg"):
        _run(drawings, str(FAKES / "chromium-never-answers"), timeout=2)


def test_a_chromium_that_dies_mid_drawing_fails_the_drawing_and_names_the_image(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QL_REAL_CHROMIUM", require_chromium())
    monkeypatch.setenv("QL_DIE_ON", "doomed-4f1e")
    drawings = [Drawing("first (svg)", _figure("fine"), "svg", 400, 300), Drawing("lineage (svg)", _figure("doomed-4f1e"), "svg", 400, 300)]
    saved: list[str] = []
    job = DrawingJob(drawings, lambda d, image: saved.append(d.label), str(FAKES / "chromium-dies-mid-drawing"), 20)
    job.start()
    with pytest.raises(DrawingError, match=r"Chromium stopped while drawing lineage \(svg\)"):
        job.wait()
    assert saved == ["first (svg)"], "the images drawn before it are kept"
    _assert_browser_gone(job)


def test_a_chromium_that_will_not_start_fails_the_drawing_and_names_the_image() -> None:
    with pytest.raises(DrawingError, match=r"Chromium (stopped|failed) while starting Chromium for lineage \(svg\)"):
        _run([Drawing("lineage (svg)", _figure("x"), "svg", 400, 300)], "/bin/false")


def test_the_build_stops_waiting_for_a_stuck_drawing_thread() -> None:
    """The thread's own deadlines cover every await; should it block outside one (here: making a figure never
    ends), the build still stops waiting once a step overruns its deadline, and says which image it was on."""
    def stuck() -> dict[str, Any]:
        time.sleep(60)
        return {}
    drawings = [Drawing("stuck (svg)", stuck, "svg", 400, 300)]
    job = DrawingJob(drawings, lambda d, image: None, require_chromium(), timeout=5, slack=1)
    job.start()
    with pytest.raises(DrawingError, match=r"did not finish drawing stuck \(svg\) within 5 s"):
        job.wait()
    job.abort()
    _assert_browser_gone(job)


def test_the_fakes_are_executable() -> None:
    for fake in FAKES.iterdir():
        assert os.access(fake, os.X_OK), f"{fake.relative_to(ROOT)} must be executable (git update-index --chmod=+x)"
