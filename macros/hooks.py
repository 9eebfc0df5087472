"""MkDocs hook (entry point): add the generated chart files and the vendored plotly.js to the build.

Generated files use MkDocs' own File.generated, so nothing is written into docs/.
"""
from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # MkDocs loads hooks by path; make the package importable
    sys.path.insert(0, str(ROOT))

from macros import embed, export, site  # noqa: E402

VENDOR = {  # site path -> file installed by `npm ci` (see package.json; `make` runs it)
    embed.PLOTLY_JS: ROOT / "node_modules" / "plotly.js-basic-dist-min" / "plotly-basic.min.js",
    embed.PLOTLY_LICENSE: ROOT / "node_modules" / "plotly.js-basic-dist-min" / "LICENSE",
}


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add plotly.js, and every chart's JSON, CSV, standalone page and images."""
    for dest, source in VENDOR.items():
        if not source.exists():
            raise PluginError(f"{source.relative_to(ROOT)} is missing: run `make assets` (npm ci) first")
        files.append(File.generated(config, dest, abs_src_path=str(source)))
    data = site.dataset(config)
    exporter = site.image_exporter(config)
    for path, content in export.artefacts(data, lambda images: site.site_info(config, images), exporter).items():
        files.append(File.generated(config, path, content=content))
    return files


def on_shutdown() -> None:
    """Stop the long-lived Chromium export session when MkDocs exits."""
    site.close_exporter()
