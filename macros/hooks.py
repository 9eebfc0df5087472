"""MkDocs hook (entry point): hand each MkDocs event to the build object (macros/build.py).

Everything generated enters the build as MkDocs's own File.generated: release pages, the API, the CSV, the
feed, the chart files and the site's plotly.js. Chart images are drawn on a thread while the pages render
and are written in on_post_build.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # MkDocs loads hooks by path; make the package importable
    sys.path.insert(0, str(ROOT))

from macros.browser import DrawingError  # noqa: E402
from macros.build import KEY, Build, BuildError, Settings, check_palette  # noqa: E402
from macros.finish import finish  # noqa: E402
from macros.load import DataErrors  # noqa: E402


def on_startup(command: str, dirty: bool) -> None:
    """Under `mkdocs serve`, skip chart images, so an edit shows within a second (charts stay live)."""
    if command == "serve":
        os.environ.setdefault("QWEN_LINEAGE_IMAGES", "off")


@event_priority(100)  # before the macros plugin, which takes the build from the config
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Load and check the data into this build's object; date the build by the last commit."""
    try:
        check_palette(config.theme.get("palette"))
        build = Build.start(Settings.read(config.config_file_path, config.site_url, config.site_name, config.repo_url))
    except (DataErrors, BuildError) as exc:
        raise PluginError(str(exc)) from None
    config[KEY] = build
    if build.epoch is not None:  # sitemap dates: two builds of a commit are identical
        os.environ.setdefault("SOURCE_DATE_EPOCH", str(build.epoch))
    return config


def _build(config: MkDocsConfig) -> Build:
    """This build's object, which on_config put in the config."""
    build: Build = config[KEY]
    return build


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add every generated file; start drawing the chart images that are not cached."""
    build = _build(config)
    try:
        vendored = build.vendored()
    except BuildError as exc:
        raise PluginError(str(exc)) from None
    for path, source in vendored.items():
        files.append(File.generated(config, path, abs_src_path=str(source)))
    for path, page in build.release_pages().items():  # out of the menu: it would grow with the square of the pages
        files.append(File.generated(config, path, content=page, inclusion=InclusionLevel.NOT_IN_NAV))
    for path, content in build.files().items():
        files.append(File.generated(config, path, content=content))
    build.start_images()
    return files


@event_priority(-50)  # after the macros plugin has rendered the page's macros
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, **_: Any) -> str:
    """Point a release page's edit button and description at its entry; hold its HTML back from Markdown."""
    build = _build(config)
    meta = build.release_meta(page.file.src_uri)
    if meta is not None:
        page.edit_url, page.meta["description"] = meta
    return build.before_markdown(page.file.src_uri, markdown)


def on_page_content(html: str, page: Page, config: MkDocsConfig, **_: Any) -> str:
    """Put the held HTML back, before the search index reads the page."""
    try:
        return _build(config).after_markdown(page.file.src_uri, html)
    except ValueError as exc:
        raise PluginError(str(exc)) from None


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Navigation) -> dict[str, Any]:
    """Show a release page inside the Releases section of the menu (see Build.mark_menu_place)."""
    _build(config).mark_menu_place(page.file.src_uri, nav.pages)
    return context


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Put in the HTML search skips, drop the templates' indentation, add the Content-Security-Policy."""
    _build(config).unmark_menu_place()
    try:
        return _build(config).finished(page.file.src_uri, output)
    except ValueError as exc:
        raise PluginError(str(exc)) from None


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    """The same on the static templates that are pages (404.html)."""
    return finish(output_content) if template_name.endswith(".html") else output_content


def on_post_build(config: MkDocsConfig) -> None:
    """Wait for the chart images (within their deadline) and write them into the site."""
    try:
        _build(config).finish_images(Path(config.site_dir))
    except (DrawingError, BuildError) as exc:
        raise PluginError(f"Chart images failed: {exc}. Fix Chromium, or build without images: QWEN_LINEAGE_IMAGES=off") from None
