"""MkDocs hook (entry point): add everything generated from the data to the build.

Release pages, the API, the CSV download, the Atom feed, the chart files and the vendored plotly.js
all enter the build through MkDocs' own File.generated, so nothing is written into docs/.
"""
from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # MkDocs loads hooks by path; make the package importable
    sys.path.insert(0, str(ROOT))

from macros import api, embed, export, site  # noqa: E402

VENDOR = {  # site path -> file installed by `npm ci` (see package.json; `make` runs it)
    embed.PLOTLY_JS: ROOT / "node_modules" / "plotly.js-basic-dist-min" / "plotly-basic.min.js",
    embed.PLOTLY_LICENSE: ROOT / "node_modules" / "plotly.js-basic-dist-min" / "LICENSE",
}
RELEASE_PAGE = re.compile(r"^models/([a-z0-9][a-z0-9.-]*)\.md$")


def on_startup(command: str, dirty: bool) -> None:
    """Under `mkdocs serve`, skip image export so an edit shows within a few seconds (charts stay live)."""
    if command == "serve":
        os.environ.setdefault("QWEN_LINEAGE_IMAGES", "off")


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Date the build by the data's last commit (sitemap lastmod), so two builds of a commit are identical."""
    epoch = site.commit_epoch(Path(config.config_file_path).parent)
    if epoch is not None:
        os.environ.setdefault("SOURCE_DATE_EPOCH", str(epoch))
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add release pages, data downloads, the feed, chart files and plotly.js."""
    for dest, source in VENDOR.items():
        if not source.exists():
            raise PluginError(f"{source.relative_to(ROOT)} is missing: run `make assets` (npm ci) first")
        files.append(File.generated(config, dest, abs_src_path=str(source)))
    data = site.dataset(config)
    # One page per release, out of the menu (the menu would grow with the square of the page count).
    for m in data.models:
        files.append(File.generated(config, f"models/{m.id}.md", content=f'{{{{ release_page("{m.id}") }}}}\n',
                                    inclusion=InclusionLevel.NOT_IN_NAV))
    files.append(File.generated(config, "contributing.md", content=_contributing()))
    info = site.site_info(config)
    generated_at = site.generated_at(config)
    downloads = {**api.api_documents(data, info.url, generated_at, info.version),
                 "downloads/models.csv": api.models_csv(data, info.url),
                 "feed.xml": api.atom_feed(data, info.url, info.name, generated_at)}
    exporter = site.image_exporter(config)
    downloads.update(export.artefacts(data, lambda images: site.site_info(config, images), exporter))
    for path, content in downloads.items():
        files.append(File.generated(config, path, content=content))
    return files


def _contributing() -> str:
    """CONTRIBUTING.md as a site page; its {{ }} examples are text, so macros must not render it."""
    return "---\nrender_macros: false\n---\n\n" + (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files, **_: Any) -> str:
    """Point a release page's edit button and description at its entry in data/models.yaml."""
    found = RELEASE_PAGE.match(page.file.src_uri)
    if found:
        model = next((m for m in site.dataset(config).models if m.id == found.group(1)), None)
        if model is not None:
            page.edit_url = site.entry_edit_url(config, model.line)
            page.meta.setdefault("description", model.summary or model.name)
    return markdown


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Add a Content-Security-Policy that lets scripts run only from the site itself (and Material's
    few inline scripts, allowed by their hashes)."""
    return embed.with_csp(output)


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    """The same policy on the static templates that are pages (404.html)."""
    return embed.with_csp(output_content) if template_name.endswith(".html") else output_content


def on_shutdown() -> None:
    """Stop the long-lived Chromium export session when MkDocs exits."""
    site.close_exporter()
