"""macros/build.py: one object per build carries the dataset, the chart registry and the image job; the entry
points hold no logic; macros/ has no module-level mutable state; a chart added to the registry gets its whole
embed kit."""
from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import plotly.graph_objects as go
import pytest

from macros import artefacts, build, embed
from macros.build import Build, Settings
from macros.charts import CHARTS, Chart
from macros.fmt import esc
from macros.records import Dataset

from .conftest import ROOT, VALID

MACROS = sorted((ROOT / "macros").glob("*.py"))


def _settings(tmp_path: Path, **changes: object) -> Settings:
    base = Settings(project=ROOT, site_url="https://example.org/ql/", site_name="Qwen Lineage",
                    repo_url="https://github.com/qwen-lineage/qwen-lineage", data_dir=VALID, cache_dir=tmp_path / "cache",
                    images=False, plain_html=False, timeout=60)
    return replace(base, **changes)


def _toy(data: Dataset) -> go.Figure:
    """A new chart as a contributor would write it: one pure function."""
    fig = go.Figure(go.Bar(x=[m.name for m in data.models], y=[len(m.variants) for m in data.models],
                           customdata=[m.id for m in data.models], name="Variants"))
    fig.layout.template = None
    return fig


TOY = Chart("variants-per-release", "Variants per release", "How many sizes and versions each release has.", 400, _toy)


def test_a_chart_added_to_the_registry_gets_its_whole_embed_kit(tmp_path: Path) -> None:
    """One figure function and one registry entry: the build then publishes the figure JSON, the data CSV, the
    standalone page and every image, and the page gets the chart, its data table, iframe snippet and citation."""
    charts = {**CHARTS, TOY.slug: TOY}
    b = Build.start(_settings(tmp_path, images=True), charts)
    b.chromium = "/usr/bin/chromium"  # images planned, as on a machine with Chromium; nothing is drawn here
    b.site = replace(b.site, images=True)
    files = b.files()
    f = embed.files(TOY.slug)
    assert {f["json"], f["csv"], f["page"] + "index.html"} <= set(files)
    assert files[f["csv"]].decode().splitlines()[0] == "series,x,y,release_id", "a chart without rows of its own gets its points"
    assert {f[n] for n in ("svg", "svg_dark", "png", "thumb", "light", "dark", "light_narrow", "dark_narrow")} <= set(b.images)
    html = b.macros(lambda: None)["chart"](TOY.slug)
    assert f'id="chart-{TOY.slug}"' in html and "Data behind this chart" in html and "&lt;iframe src=&quot;" in html
    assert f"{TOY.title} [chart]" in html, "a ready citation"
    assert f'href="charts/{TOY.slug}/"' in b.macros(lambda: None)["chart_gallery"]()
    assert b"Variants per release" in files[f["page"] + "index.html"]


def test_every_release_gets_a_page_that_is_never_a_template(tmp_path: Path) -> None:
    b = Build.start(_settings(tmp_path))
    pages = b.release_pages()
    assert sorted(pages) == sorted(f"models/{m.id}.md" for m in b.data.models)
    assert all(page.startswith("---\nrender_macros: false\n---\n") for page in pages.values()), \
        "release pages hold text from data: the macros plugin must not render them"
    alpha = b.data.model("alpha")
    edit, description = b.release_meta("models/alpha.md") or ("", "")
    assert edit == f"https://github.com/qwen-lineage/qwen-lineage/blob/main/data/models.yaml#L{alpha.line}"
    assert description == esc(alpha.summary), "the description goes into a meta attribute: escaped"
    assert b.release_meta("timeline.md") is None and b.release_meta("models/index.md") is None


def test_images_are_drawn_only_when_one_is_missing_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[int] = []

    class Job:
        def __init__(self, drawings: list[object], *args: object) -> None:
            started.append(len(drawings))

        def start(self) -> None:
            pass

    monkeypatch.setattr(build, "DrawingJob", Job)
    b = Build.start(_settings(tmp_path, images=True))
    b.chromium, b.site = "/usr/bin/chromium", replace(b.site, images=True)
    b.files()
    cache = b.cache
    for path, (spec, key) in list(b.images.items())[1:]:
        cache.put(key, spec.fmt, b"cached")
    b.start_images()
    assert started == [1], "only the one missing image is drawn"
    (spec, key), = [v for v in b.images.values() if not cache.has(v[1], v[0].fmt)]
    cache.put(key, spec.fmt, b"cached")
    b.job = None
    b.start_images()
    assert started == [1] and b.job is None, "a warm cache starts no browser"
    b.finish_images(tmp_path / "site")
    assert all((tmp_path / "site" / path).read_bytes() == b"cached" for path in b.images)


def test_without_chromium_no_image_is_planned_and_the_build_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                    caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-chromium-here"))
    with caplog.at_level("INFO", logger="mkdocs.plugins.qwen_lineage"):
        b = Build.start(_settings(tmp_path, images=True))
    assert b.chromium is None and not b.site.images
    assert "Chart images skipped (no Chromium found" in caplog.text
    files = b.files()
    assert not b.images and not any(path.endswith((".svg", ".png")) for path in files)
    b.start_images()
    assert b.job is None


def test_a_build_object_belongs_to_one_build(tmp_path: Path) -> None:
    """Under `mkdocs serve` each rebuild loads a new config and the hook makes a new Build: nothing is shared."""
    one, two = Build.start(_settings(tmp_path)), Build.start(_settings(tmp_path))
    one.files()
    assert one.data is not two.data and one.figures and not two.figures and one.held is not two.held


# ---------------------------------------------------------------- no module-level mutable state

MUTATORS = {"append", "extend", "insert", "update", "setdefault", "pop", "popitem", "clear", "add", "discard", "remove",
            "__setitem__", "sort", "reverse"}
MUTABLE = (ast.Dict, ast.List, ast.Set, ast.DictComp, ast.ListComp, ast.SetComp)


def _module_constants(tree: ast.Module) -> Iterator[tuple[str, ast.AST]]:
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        for target in targets:
            if isinstance(target, ast.Name) and getattr(node, "value", None) is not None:
                yield target.id, node.value


@pytest.mark.parametrize("path", MACROS, ids=[p.name for p in MACROS])
def test_no_module_level_mutable_state(path: Path) -> None:
    """A module may hold constants, never state: every module-level container is an UPPER_CASE constant that
    no code changes, and nothing is `global`, cached at module level, or counted across builds."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    containers = set()
    for name, value in _module_constants(tree):
        called = value.func.id if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) else ""
        if isinstance(value, MUTABLE) or called in ("dict", "list", "set", "defaultdict", "Counter", "deque", "count"):
            assert name.isupper(), f"{path.name}: module-level {name} is a mutable container: make it a constant or move it into the build"
            containers.add(name)
    for node in ast.walk(tree):
        assert not isinstance(node, ast.Global), f"{path.name}:{node.lineno}: no `global`"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name):
            assert not (node.func.value.id in containers and node.func.attr in MUTATORS), \
                f"{path.name}:{node.lineno}: {node.func.value.id}.{node.func.attr}() changes a module-level constant"
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.Delete)):
            for target in (node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]):
                if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                    assert target.value.id not in containers, f"{path.name}:{node.lineno}: writes into module-level {target.value.id}"
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node in tree.body:
            names = {d.attr if isinstance(d, ast.Attribute) else getattr(d, "id", "") for d in node.decorator_list}
            assert not names & {"cache", "lru_cache"}, f"{path.name}: {node.name} keeps a module-level cache"


@pytest.mark.parametrize("path", [ROOT / "macros" / "hooks.py", ROOT / "macros" / "__init__.py"], ids=["hooks", "define_env"])
def test_the_entry_points_hold_no_logic(path: Path) -> None:
    """The hook and define_env hand each event to the build object: no loops over data, no HTML, no files read."""
    text = path.read_text(encoding="utf-8")
    for banned in ("open(", "read_text", "<div", "<p>", "load_dataset", "import plotly"):
        assert banned not in text, f"{path.name} must leave {banned!r} to macros/build.py and below"
    assert len([line for line in text.splitlines() if line.strip() and not line.lstrip().startswith(("#", '"'))]) < 90


def test_only_the_entry_points_import_mkdocs() -> None:
    for path in MACROS:
        if path.name in ("hooks.py", "__init__.py"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert not any(name == "mkdocs" or name.startswith("mkdocs.") for name in imported), f"{path.name} imports MkDocs"


def test_artefacts_are_pure() -> None:
    """The build's files come from data: the same dataset gives the same bytes."""
    from macros.dataset import load_dataset

    data, site = load_dataset(VALID), embed.Site(url="https://example.org/", name="Q", version="v", year="2026", images=False)
    assert artefacts.data_files(data, site, "2026-01-01T00:00:00Z") == artefacts.data_files(data, site, "2026-01-01T00:00:00Z")
