"""Shared fixtures: paths, a copy-and-mutate data folder, and site builds."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
VALID = Path(__file__).resolve().parent / "fixtures" / "valid"
REFERENCE = ROOT.parent / "shared" / "reference"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def mkdocs_build(out: Path, data_dir: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run `mkdocs build --strict` into `out`, optionally on another data folder."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if data_dir is not None:
        env["QWEN_LINEAGE_DATA"] = str(data_dir)
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built once per test session."""
    out = tmp_path_factory.mktemp("site")
    result = mkdocs_build(out)
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stderr[-4000:]}"
    (out / ".build-log").write_text(result.stderr, encoding="utf-8")
    return out


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the small valid fixture dataset."""
    target = tmp_path / "data"
    shutil.copytree(VALID, target)
    return target


def reference_file(name: str) -> Path:
    """A file of ../shared/reference; required under CI, skipped elsewhere when absent."""
    path = REFERENCE / name
    if not path.exists():
        if IN_CI:
            pytest.fail(f"{path} is missing: CI runs beside a copy of shared/")
        pytest.skip(f"{path} not present outside the workplace")
    return path
