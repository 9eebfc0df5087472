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


def mkdocs_build(out: Path, data_dir: Path | None = None, site_url: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run `mkdocs build --strict` into `out`, optionally on another data folder or for another site URL."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if data_dir is not None:
        env["QWEN_LINEAGE_DATA"] = str(data_dir)
    if site_url is not None:
        env["QWEN_LINEAGE_SITE_URL"] = site_url
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


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def chromium_path() -> str | None:
    """Debian's chromium (never a downloaded browser): $CHROMIUM, else the one on PATH."""
    import shutil

    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def served_site(tmp_path_factory: pytest.TempPathFactory):
    """The site built for, and served on, a loopback address under the site_url's path; yields its URL."""
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    root = tmp_path_factory.mktemp("served")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    url = f"http://127.0.0.1:{server.server_address[1]}/qwen-lineage/"
    result = mkdocs_build(root / "qwen-lineage", site_url=url)
    assert result.returncode == 0, result.stderr[-3000:]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Playwright driving Debian's chromium. Under CI a missing browser fails; elsewhere it skips."""
    path = chromium_path()
    if path is None:
        message = "Debian's chromium is not installed (apt-get install -y chromium)"
        if IN_CI:
            pytest.fail(message + ": .ci/run installs it; under CI browser tests must run")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def fast_check_disagreements(folder: Path) -> list[str]:
    """Files where the compiled schema check passes but jsonschema finds errors: the fast path of
    macros.validate.schema_errors would then let bad data through. Files that do not parse are skipped
    (the loader rejects them before any schema runs)."""
    import jsonschema

    from macros.load import DataErrors, read_yaml
    from macros.validate import KINDS, _fast_check, _schema

    out = []
    for kind in KINDS.values():
        try:
            doc = read_yaml(folder / kind.file, kind.file)
        except (DataErrors, FileNotFoundError):
            continue
        try:
            _fast_check(kind.schema)(doc.data)
        except Exception:  # noqa: BLE001 - failing the fast check sends the file to jsonschema: safe
            continue
        errors = list(jsonschema.Draft202012Validator(_schema(kind.schema)).iter_errors(doc.data))
        if errors:
            out.append(f"{kind.file}: {errors[0].message[:200]}")
    return out
