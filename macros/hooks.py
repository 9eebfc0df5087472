"""MkDocs hook (entry point): add everything generated from the data to the build.

Release pages, the API, the CSV download, the Atom feed, the chart files and the vendored plotly.js
all enter the build through MkDocs' own File.generated, so nothing is written into docs/.
"""
from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # MkDocs loads hooks by path; make the package importable
    sys.path.insert(0, str(ROOT))

from macros import api, embed, export, pages, site  # noqa: E402

VENDOR = {  # site path -> file installed by `npm ci` (see package.json; `make` runs it)
    embed.PLOTLY_JS: export.PLOTLY_DIST / "plotly-basic.min.js",
    embed.PLOTLY_LICENSE: export.PLOTLY_DIST / "LICENSE",
}
LINKED_DOWNLOADS = ("api/v1/models.json", "api/v1/people.json", "api/v1/techniques.json", "api/v1/errata.json",
                    "downloads/models.csv", "feed.xml")  # made in the background, linked from docs/data.md
RELEASE_PAGE = re.compile(r"^models/([a-z0-9][a-z0-9.-]*)\.md$")
_SHARED: dict[tuple[Any, ...], str] = {}  # see shared_block
_BUILD: dict[str, Any] = {}
_RELEASES: dict[str, pages.ReleasePage] = {}  # src_uri -> rendered release page, until its HTML is written


def on_startup(command: str, dirty: bool) -> None:
    """Under `mkdocs serve`, skip image export so an edit shows within a few seconds (charts stay live)."""
    if command == "serve":
        os.environ.setdefault("QWEN_LINEAGE_IMAGES", "off")


@event_priority(100)  # before the macros plugin reads the data: Chromium starts meanwhile
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Start Chromium for the chart images when this build will draw; date the build by the data's last
    commit (sitemap lastmod), so two builds of a commit are identical."""
    site.new_build()
    stop_background()  # a worker of an earlier build under `mkdocs serve` must not write into this build's folder
    check_palette(config.theme.get("palette"))
    site.start_drawing(config)
    epoch = site.commit_epoch(Path(config.config_file_path).parent)
    if epoch is not None:
        os.environ.setdefault("SOURCE_DATE_EPOCH", str(epoch))
    return config


def check_palette(palette: Any) -> None:
    """The site's own light/dark toggle (overrides/partials/javascripts/ql-palette.html) knows options tied to
    a light or dark system scheme; Material's automatic option would be shown but never resolved."""
    for option in palette if isinstance(palette, list) else []:
        if option.get("media") == "(prefers-color-scheme)":
            raise PluginError("mkdocs.yml theme.palette: the automatic option (media: \"(prefers-color-scheme)\") is not "
                              "supported by the site's palette toggle; give each option \"(prefers-color-scheme: light)\" "
                              "or \"(prefers-color-scheme: dark)\"")


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add release pages and plotly.js, and start making the data downloads, the feed and the chart files."""
    for dest, source in VENDOR.items():
        if not source.exists():
            raise PluginError(f"{source.relative_to(ROOT)} is missing: run `make assets` (npm ci) first")
        files.append(File.generated(config, dest, abs_src_path=str(source)))
    data = site.dataset(config)
    _RELEASES.clear()
    _BUILD["data"] = data  # the pages of this build use this dataset (no per-page freshness check)
    # One page per release, out of the menu (the menu would grow with the square of the page count).
    # The file holds only the title; on_page_markdown renders the page (see pages.ReleasePage).
    for m in data.models:
        files.append(File.generated(config, f"models/{m.id}.md", content=pages.release_stub(m),
                                    inclusion=InclusionLevel.NOT_IN_NAV))
    files.append(File.generated(config, "contributing.md", content=_contributing()))
    exporter = site.image_exporter(config)
    info = site.site_info(config, export.images_planned(exporter))
    generated_at = site.generated_at(config)
    site_dir = Path(config.site_dir)

    def downloads() -> dict[str, bytes]:
        made = {**api.api_documents(data, info.url, generated_at, info.version),
                "downloads/models.csv": api.models_csv(data, info.url),
                "feed.xml": api.atom_feed(data, info.url, info.name, generated_at),
                **export.artefacts(data, info, exporter)}
        return export.write_files(made, site_dir, keep=LINKED_DOWNLOADS)

    # The API, CSV, feed and chart files and images are made, and written to the site folder, by a second
    # process while the pages render (at 1,000 releases writing its thousand files took 0.9 s after the
    # pages, a seventh of the build). MkDocs has cleaned the folder already (before on_files).
    _BUILD["files"] = export.Background(downloads)
    # Pages link to these in Markdown, which MkDocs checks against its file list: list them now (empty, and
    # MkDocs writes them so); on_post_build writes their content and fails if one was not made.
    for path in LINKED_DOWNLOADS:
        files.append(File.generated(config, path, content=b""))
    return files


def on_post_build(config: MkDocsConfig) -> None:
    """Write the linked downloads made while the pages rendered (the worker wrote the other files; a failed
    image export fails the build: the pages already point at the images)."""
    site.check_unstashed()
    try:
        made = _BUILD.pop("files").result()
    except export.ExportError as exc:
        raise PluginError(f"Making the downloads and chart files failed: {exc}. If Chromium failed to export the "
                          "chart images, fix it or build without images: QWEN_LINEAGE_IMAGES=off") from exc
    missing = [path for path in LINKED_DOWNLOADS if path not in made]
    if missing:
        raise PluginError(f"pages link to {', '.join(missing)}, which the build did not make")
    export.write_files(made, Path(config.site_dir))


def _contributing() -> str:
    """CONTRIBUTING.md as a site page; its {{ }} examples are text, so macros must not render it."""
    return "---\nrender_macros: false\n---\n\n" + (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")


def on_env(env: Any, config: MkDocsConfig, files: Files) -> Any:
    """Give the theme ql_shared (used by overrides/main.html), and keep compiled theme templates: in memory
    for the life of the process (MkDocs makes a new environment per build, so `mkdocs serve` would compile
    Material's templates again on every edit) and on disk for the next build (compiling them is about half
    a second of every build)."""
    _SHARED.clear()
    env.globals["ql_shared"] = shared_block
    _TEMPLATES.use(site.cache_dir(config) / "templates")
    env.bytecode_cache = _TEMPLATES
    return env


class _TemplateCache(jinja2.BytecodeCache):
    """Compiled templates by name and source checksum (Jinja checks the checksum, and its own and Python's
    version, before reuse): in memory, then on disk through Jinja's own file cache (`use`)."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}
        self.files: jinja2.FileSystemBytecodeCache | None = None

    def use(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.files = jinja2.FileSystemBytecodeCache(str(directory))

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])
        elif self.files is not None:
            self.files.load_bytecode(bucket)
            if bucket.code is not None:
                self.store[bucket.key] = bucket.bytecode_to_string()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()
        if self.files is not None:
            self.files.dump_bytecode(bucket)


_TEMPLATES = _TemplateCache()


def shared_block(name: str, page: Page | None, render: Callable[[], str]) -> str:
    """A template block rendered once for all release pages: they sit at the same depth, outside the
    menu, with the same sections in their table of contents, so their tabs and sidebars are identical
    (the key holds all three, so a page that differs gets its own rendering)."""
    if page is None or not RELEASE_PAGE.match(page.file.src_uri):  # 404.html has no page
        return render()
    key = (name, page.url.count("/"), page.active, tuple((t.title, t.url, len(t.children)) for t in page.toc)[1:],
           tuple((t.title, t.url) for top in page.toc for t in top.children))
    if key not in _SHARED:
        _SHARED[key] = render()
    return _SHARED[key]


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files, **_: Any) -> str:
    """Render a release page: headings as Markdown, its blocks kept aside for on_page_content and
    on_post_page; point its edit button and description at its entry in data/models.yaml."""
    found = RELEASE_PAGE.match(page.file.src_uri)
    if not found:
        return markdown
    data = _BUILD["data"]
    model = data.by_id.get(found.group(1))
    if model is None:
        return markdown
    edit_url = site.entry_edit_url(config, model.line)
    page.edit_url = edit_url
    page.meta.setdefault("description", model.summary or model.name)
    rendered = pages.release_page(data, model, site.page_root(page), edit_url)
    _RELEASES[page.file.src_uri] = rendered
    return rendered.markdown


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Macro HTML kept out of Markdown, and the searchable blocks of a release page, go in before the
    search index reads the page."""
    html = site.unstash(html, page.file.src_uri)
    rendered = _RELEASES.get(page.file.src_uri)
    return rendered.fill(html) if rendered else html


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Put in a release page's blocks that search skips; drop the templates' indentation; add a
    Content-Security-Policy that lets scripts run only from the site itself (and Material's few inline
    scripts, allowed by their hashes)."""
    rendered = _RELEASES.pop(page.file.src_uri, None)
    output = site.unstash_late(site.compact(output))  # the blocks going in now carry no indentation: not scanned
    return embed.with_csp(rendered.fill(output, late=True) if rendered else output)


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    """The same on the static templates that are pages (404.html)."""
    return embed.with_csp(site.compact(output_content)) if template_name.endswith(".html") else output_content


def on_shutdown() -> None:
    """Stop a chart worker still running when MkDocs exits (a build that failed before on_post_build)."""
    stop_background()


def stop_background() -> None:
    background = _BUILD.pop("files", None)
    if background is not None:
        background.stop()
    site.stop_drawing()
