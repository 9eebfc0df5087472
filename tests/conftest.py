"""Shared fixtures: paths, a copy-and-mutate data folder, and site builds."""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
VALID = Path(__file__).resolve().parent / "fixtures" / "valid"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
# What builds the site in the tests: MkDocs, or ProperDocs (its maintained fork) in `make test-properdocs`.
BUILDER = os.environ.get("QWEN_LINEAGE_BUILDER", "mkdocs")


def mkdocs_build(out: Path, data_dir: Path | None = None, site_url: str | None = None,
                 config: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run `mkdocs build --strict` into `out`, optionally on another data folder, for another site URL, or of
    another project (`config`: its mkdocs.yml)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if data_dir is not None:
        env["QWEN_LINEAGE_DATA"] = str(data_dir)
    if site_url is not None:
        env["QWEN_LINEAGE_SITE_URL"] = site_url
    return subprocess.run(
        [sys.executable, "-m", BUILDER, "build", "--strict", "--site-dir", str(out),
         *(["--config-file", str(config)] if config else [])],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )


def project_copy(target: Path, edit_docs: dict[str, tuple[str, str]] | None = None, pages: dict[str, str] | None = None,
                 data: Path | None = None) -> Path:
    """A project folder that builds like this one (macros, theme overrides, assets, data and CONTRIBUTING linked
    in) with its own copy of docs/, edited by `edit_docs` (page -> (old text, new text)) and with `pages` added
    out of the menu, and a copy of the data folder `data` if given; its mkdocs.yml path."""
    target.mkdir(parents=True)
    for name in ("macros", "overrides", "node_modules", "CONTRIBUTING.md"):
        (target / name).symlink_to(ROOT / name)
    if data is not None:
        shutil.copytree(data, target / "data")
    else:
        (target / "data").symlink_to(ROOT / "data")  # mkdocs.yml watches it
    shutil.copytree(ROOT / "docs", target / "docs")
    for page, (old, new) in (edit_docs or {}).items():
        text = (target / "docs" / page).read_text(encoding="utf-8")
        assert text.count(old) == 1, f"docs/{page} must hold {old!r} once"
        (target / "docs" / page).write_text(text.replace(old, new), encoding="utf-8")
    for page, text in (pages or {}).items():
        (target / "docs" / page).write_text(text, encoding="utf-8")
    extra = "".join(f"\n  /{page}" for page in pages or {})
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8") + (f"\nnot_in_nav: |{extra}\n" if extra else "")
    (target / "mkdocs.yml").write_text(config, encoding="utf-8")
    return target / "mkdocs.yml"


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


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def chromium_path() -> str | None:
    """Debian's chromium (never a downloaded browser): $CHROMIUM, else the one on PATH."""
    import shutil

    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@contextlib.contextmanager
def serving(root: Path, build: Callable[[Path, str], object]) -> Iterator[str]:
    """Serve `root` on a loopback port; `build(folder, url)` makes the site in root/qwen-lineage for that URL
    first (pages, canonical links and the sitemap link to site_url absolutely). Yields the site's URL."""
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    url = f"http://127.0.0.1:{server.server_address[1]}/qwen-lineage/"
    try:
        build(root / "qwen-lineage", url)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        yield url
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def served_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The site built for, and served on, a loopback address under the site_url's path; yields its URL."""
    def build(site: Path, url: str) -> None:
        result = mkdocs_build(site, site_url=url)
        assert result.returncode == 0, result.stderr[-3000:]
    with serving(tmp_path_factory.mktemp("served"), build) as url:
        yield url


# Values that must arrive inert in a page's head: a description (meta content) that tries to close its attribute
# and add a refresh, a name with quotes and an ampersand, and a page title (from a heading, written with entities,
# which Material's striptags would decode) that tries to close <title>.
REFRESH = '<meta http-equiv="refresh" content="0;url=https://example.org/">'
HOSTILE_SUMMARY = f'Ends "here">{REFRESH}<img src=x onerror=alert(1)> & more'
HOSTILE_NAME = "Alpha \"Quoted\" & 'Co'"
HOSTILE_TITLE = "# Page &lt;/title&gt;&lt;meta http-equiv=&quot;refresh&quot; content=&quot;0;url=https://example.org/&quot;&gt;"


def build_hostile_site(root: Path, site_url: str | None = None, site: Path | None = None) -> Path:
    """The fixture with hostile values in every field that reaches a page's head, built (into `site`, else
    root/site); the site folder."""
    data = root / "data"
    shutil.copytree(VALID, data)
    models = (data / "models.yaml").read_text(encoding="utf-8")
    models = models.replace("  name: Alpha\n", f"  name: {json.dumps(HOSTILE_NAME)}\n", 1)
    models = models.replace("  summary: The first test release.\n", f"  summary: {json.dumps(HOSTILE_SUMMARY)}\n", 1)
    assert HOSTILE_SUMMARY in yaml.safe_load(models)[0]["summary"], "the fixture's alpha must carry the hostile summary"
    (data / "models.yaml").write_text(models, encoding="utf-8")
    config = project_copy(root / "project", pages={"hostile.md": HOSTILE_TITLE + "\n\nA page whose title comes from its heading.\n"})
    site = site or root / "site"
    result = mkdocs_build(site, data, site_url, config)
    assert result.returncode == 0, result.stderr[-3000:]
    return site


def require_chromium() -> str:
    """Debian's chromium for a test that needs it: under CI a missing one fails the test, elsewhere it skips."""
    path = chromium_path()
    if path is None:
        message = "Debian's chromium is not installed (apt-get install -y chromium)"
        if IN_CI:
            pytest.fail(message + ": .ci/run installs it; under CI the browser and image tests must run")
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def browser():
    """Playwright driving Debian's chromium. Under CI a missing browser fails; elsewhere it skips."""
    path = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def watched_tab(context, site: str):
    """A new tab in a browser `context` that records, in .errors, its console errors and page errors, and in
    .foreign every request to a host other than `site`'s."""
    from urllib.parse import urlsplit

    tab = context.new_page()
    tab.errors, tab.foreign = [], []
    host = urlsplit(site).netloc
    tab.on("console", lambda m: tab.errors.append(f"console.{m.type}: {m.text}") if m.type == "error" else None)
    tab.on("pageerror", lambda e: tab.errors.append(f"pageerror: {e}"))
    tab.on("request", lambda r: tab.foreign.append(r.url) if urlsplit(r.url).netloc != host and not r.url.startswith("data:") else None)
    return tab


def fast_check_disagreements(folder: Path) -> list[str]:
    """Files where the compiled schema check passes but jsonschema finds errors: the fast path of
    macros.validate.schema_errors would then let bad data through. Files that do not parse are skipped
    (the loader rejects them before any schema runs)."""
    import jsonschema

    from macros.fastschema import compile_check
    from macros.load import KINDS, DataErrors, read_yaml
    from macros.validate import schema

    out = []
    for kind in KINDS.values():
        try:
            doc = read_yaml(folder / kind.file, kind.file)
        except (DataErrors, FileNotFoundError):
            continue
        if not compile_check(schema(kind.schema))(doc.data):
            continue  # failing the fast check sends the file to jsonschema: safe
        errors = list(jsonschema.Draft202012Validator(schema(kind.schema)).iter_errors(doc.data))
        if errors:
            out.append(f"{kind.file}: {errors[0].message[:200]}")
    return out
