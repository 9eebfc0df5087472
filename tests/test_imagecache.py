"""macros/imagecache.py: images found by a key of everything that decides their bytes, and pruned when unused."""
from __future__ import annotations

import os
import time
from dataclasses import replace
from pathlib import Path

import pytest

from macros.imagecache import KEEP_DAYS, ImageCache, ImageSpec, image_key

SPEC = ImageSpec("lineage", "charts/lineage.svg", "svg", "light", 1200, 675, background=True)


@pytest.mark.parametrize("change", ["fmt", "scheme", "width", "height", "scale", "background", "page"])
def test_the_key_changes_with_each_setting_of_the_image(change: str) -> None:
    other = {"fmt": "png", "scheme": "dark", "width": 600, "height": 300, "scale": 2, "background": False, "page": True}[change]
    assert image_key('{"data":[1]}', SPEC, "style") != image_key('{"data":[1]}', replace(SPEC, **{change: other}), "style")


def test_the_key_changes_with_the_figure_and_the_style_but_not_the_path() -> None:
    key = image_key('{"data":[1]}', SPEC, "style")
    assert key != image_key('{"data":[2]}', SPEC, "style"), "another figure"
    assert key != image_key('{"data":[1]}', SPEC, "another theme or renderer"), "a change of theme must not reuse old images"
    assert key == image_key('{"data":[1]}', replace(SPEC, path="elsewhere.svg"), "style"), "where it goes does not change its bytes"


def test_a_stored_image_comes_back_and_nothing_half_written_is_left(tmp_path: Path) -> None:
    cache = ImageCache(tmp_path / "charts")
    assert cache.get("k", "svg") is None and not cache.has("k", "svg")
    cache.put("k", "svg", b"<svg/>")
    assert cache.has("k", "svg") and cache.get("k", "svg") == b"<svg/>"
    assert sorted(p.name for p in (tmp_path / "charts").iterdir()) == ["k.svg"]


def test_the_cache_drops_what_no_build_used_for_a_month(tmp_path: Path) -> None:
    """A cache kept between CI runs must not grow with every change to the data: each use renews an image, and one
    unused for KEEP_DAYS goes."""
    old = time.time() - (KEEP_DAYS + 1) * 86400
    for name in ("used.svg", "stale.svg", "stale.png", "fresh.png", "broken.svg.part"):
        (tmp_path / name).write_bytes(name.encode())
    for name in ("used.svg", "stale.svg", "stale.png", "broken.svg.part"):
        os.utime(tmp_path / name, (old, old))
    (tmp_path / "templates").mkdir()
    os.utime(tmp_path / "templates", (old, old))
    cache = ImageCache(tmp_path)
    assert cache.get("used", "svg") == b"used.svg"
    assert cache.prune() == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fresh.png", "templates", "used.svg"]
    assert ImageCache(tmp_path / "missing").prune() == 0


def test_an_image_is_named_in_messages_by_chart_format_size_and_scheme() -> None:
    assert SPEC.label == "lineage (svg, 1200 × 675, light)"
    assert replace(SPEC, fmt="png", scale=2).label == "lineage (png, 1200 × 675 at 2x, light)"
