"""Two builds of the same commit are byte-identical, images included (each build with a cold image cache)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from .conftest import mkdocs_build

pytestmark = pytest.mark.build


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sites = []
    for run in ("one", "two"):
        monkeypatch.setenv("QWEN_LINEAGE_CACHE", str(tmp_path / f"cache-{run}"))  # re-export every image
        result = mkdocs_build(tmp_path / run)
        assert result.returncode == 0, result.stderr[-3000:]
        sites.append(_files(tmp_path / run))
    first, second = sites
    assert first.keys() == second.keys(), f"different files: {sorted(first.keys() ^ second.keys())[:10]}"
    differing = [name for name in first if first[name] != second[name]]
    assert not differing, f"{len(differing)} file(s) differ between two builds: {differing[:10]}"
    assert any(name.endswith(".svg") for name in first) or not os.environ.get("CI"), "under CI the images are compared too"
