"""One build: what it knows (the dataset, the deployment, the charts) and what it adds to the site.

The MkDocs hook makes a Build in on_config and keeps it in MkDocs's config under KEY, where the macros
find it too; a rebuild under `mkdocs serve` loads a new config and so starts from a new Build. Nothing here
imports MkDocs: the entry points (macros/hooks.py, macros/__init__.py) turn what this returns into MkDocs
files and errors.
"""

from __future__ import annotations

import logging
import os
import subprocess
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from . import architecture, artefacts, embed, pages, rawhtml, tables
from .browser import PLOTLY_DIST, Drawing, DrawingJob, find_chromium
from .charts import CHARTS, Chart, chart
from .dataset import load_dataset
from .finish import finish
from .fmt import esc
from .imagecache import ImageCache, ImageSpec, image_key
from .records import Dataset

KEY = "qwen_lineage"  # the Build's key in MkDocs's config
RELEASES_INDEX = "models/index.md"  # the menu entry release pages belong under
ROOT = Path(__file__).resolve().parent.parent
VENDOR = {embed.PLOTLY_JS: PLOTLY_DIST / "plotly-basic.min.js", embed.PLOTLY_LICENSE: PLOTLY_DIST / "LICENSE"}
TABLES: Mapping[str, Callable[[Dataset, str], str]] = {  # macro name -> renderer: {{ timeline_table() }}
    "headline_table": tables.headline_table,
    "latest_releases": tables.latest_releases,
    "timeline_table": tables.timeline_table,
    "technique_index": tables.technique_index,
    "technique_sections": tables.technique_sections,
    "team_sections": tables.team_sections,
    "errata_sections": tables.errata_sections,
    "deep_dive_rows_table": tables.deep_dive_rows_table,
    "sourcing_summary": tables.sourcing_summary,
    "milestone_tables": tables.milestone_tables,
    "ecosystem_sections": tables.ecosystem_sections,
    "currency_note": tables.currency_note,
    "generation_sections": architecture.generation_sections,
}
log = logging.getLogger("mkdocs.plugins.qwen_lineage")


class BuildError(Exception):
    """The build cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class Settings:
    """What a build takes from mkdocs.yml and the environment."""

    project: Path
    site_url: str
    site_name: str
    repo_url: str
    data_dir: Path
    cache_dir: Path
    images: bool  # draw chart images (QWEN_LINEAGE_IMAGES is not off)
    plain_html: bool  # let Markdown and search read the HTML blocks too (QWEN_LINEAGE_PLAIN_HTML=1, for bench/)
    timeout: float  # seconds any one drawing step may take (QWEN_LINEAGE_IMAGE_TIMEOUT)

    @classmethod
    def read(cls, config_file: str, site_url: str | None, site_name: str, repo_url: str | None) -> Settings:
        project = Path(config_file).resolve().parent
        url = site_url or "/"
        try:
            timeout = float(os.environ.get("QWEN_LINEAGE_IMAGE_TIMEOUT") or 60)
        except ValueError:
            raise BuildError("QWEN_LINEAGE_IMAGE_TIMEOUT must be a number of seconds") from None
        return cls(
            project=project,
            site_url=url if url.endswith("/") else url + "/",
            site_name=site_name,
            repo_url=(repo_url or "").rstrip("/"),
            data_dir=Path(os.environ.get("QWEN_LINEAGE_DATA") or project / "data"),
            cache_dir=Path(os.environ.get("QWEN_LINEAGE_CACHE") or project / ".cache"),
            images=os.environ.get("QWEN_LINEAGE_IMAGES", "").lower() not in ("0", "off", "no", "false"),
            plain_html=os.environ.get("QWEN_LINEAGE_PLAIN_HTML", "") == "1",
            timeout=timeout,
        )


@dataclass
class Build:
    """The dataset, the deployment facts and the chart artefacts of one build, and its image job."""

    settings: Settings
    data: Dataset
    site: embed.Site
    epoch: int | None  # Unix time of the last commit, for reproducible dates (SOURCE_DATE_EPOCH)
    chromium: str | None
    charts: Mapping[str, Chart] = field(default_factory=lambda: CHARTS)
    images: dict[str, tuple[ImageSpec, str]] = field(default_factory=dict)  # site path -> (spec, cache key)
    figures: dict[str, str] = field(default_factory=dict)  # slug -> published figure JSON
    held: dict[str, rawhtml.Held] = field(default_factory=dict)  # page -> its HTML blocks while Markdown runs
    marked: list[Any] = field(default_factory=list)  # menu entries marked for the page being rendered
    job: DrawingJob | None = None

    @classmethod
    def start(cls, settings: Settings, charts: Mapping[str, Chart] = CHARTS) -> Build:
        """Read and check the data (DataErrors lists every problem) and the deployment."""
        data = load_dataset(settings.data_dir)
        commit = last_commit(settings.project)
        # The data version is the last commit that changed the data: every chart image carries it in its
        # footer, so a commit that changes only code or prose leaves the images (and their cache) alone.
        data_commit = last_commit(settings.project, settings.data_dir) or commit
        version = f"{data_commit[0]}, {data_commit[1]}" if data_commit else "unversioned"
        chromium = find_chromium() if settings.images else None
        if settings.images and chromium is None:
            log.info(
                "Chart images skipped (no Chromium found: BROWSER_PATH or chromium on PATH): pages show the "
                "interactive charts only. Install Debian's chromium (or set BROWSER_PATH) to build them."
            )
        elif not settings.images:
            log.info("Chart images skipped (QWEN_LINEAGE_IMAGES is off): pages show the interactive charts only.")
        site = embed.Site(
            url=settings.site_url,
            name=settings.site_name,
            version=version,
            year=commit[1][:4] if commit else str(date.today().year),
            images=chromium is not None,
        )
        return cls(settings, data, site, int(commit[2]) if commit else None, chromium, charts)

    @property
    def generated_at(self) -> str:
        """A timestamp that depends only on the data version, so two builds of a commit are identical."""
        day = self.site.version.split(", ")[1] if ", " in self.site.version else date.today().isoformat()
        return f"{day}T00:00:00Z"

    # ------------------------------------------------------------ files

    def release_pages(self) -> dict[str, str]:
        """models/<id>.md for every release, rendered in full."""
        return {f"models/{m.id}.md": pages.release_page(self.data, m, "../../", self.edit_url(m.line)) for m in self.data.models}

    def files(self) -> dict[str, bytes | str]:
        """Every other file the build adds: CONTRIBUTING as a page, the API, CSV and feed, and each chart's
        files. Notes which images the charts publish, for `start_images`."""
        contributing = (self.settings.project / "CONTRIBUTING.md").read_text(encoding="utf-8")
        out: dict[str, bytes | str] = {"contributing.md": "---\nrender_macros: false\n---\n\n" + contributing}
        out.update(artefacts.data_files(self.data, self.site, self.generated_at))
        style = artefacts.image_style()
        for slug, fig_json in artefacts.chart_figures(self.charts, self.data).items():
            out.update(artefacts.chart_files(self.charts[slug], self.data, self.site, fig_json))
            self.figures[slug] = fig_json
            if self.site.images:
                self.images.update(
                    {
                        spec.path: (spec, image_key(fig_json, spec, style))
                        for spec in artefacts.image_specs(self.charts[slug], self.data, self.site)
                    }
                )
        return out

    def vendored(self) -> dict[str, Path]:
        """Site path -> installed file of the site's own copy of plotly.js and its licence."""
        missing = [str(path.relative_to(ROOT)) for path in VENDOR.values() if not path.exists()]
        if missing:
            raise BuildError(f"{', '.join(missing)} is missing: run `make assets` (npm ci) first")
        return dict(VENDOR)

    # ------------------------------------------------------------ images

    @property
    def cache(self) -> ImageCache:
        return ImageCache(self.settings.cache_dir / "charts")

    def start_images(self) -> None:
        """Start drawing the images missing from the cache, on a thread of its own (none when all are cached)."""
        cache = self.cache
        missing = [(spec, key) for spec, key in self.images.values() if not cache.has(key, spec.fmt)]
        if not missing or self.chromium is None:
            return

        def drawing(spec: ImageSpec) -> Drawing:
            fig_json = self.figures[spec.slug]
            return Drawing(spec.label, lambda: artefacts.themed_figure(fig_json, spec), spec.fmt, spec.width, spec.height, spec.scale)

        where = {spec.label: (key, spec.fmt) for spec, key in missing}

        def save(done: Drawing, image: bytes) -> None:
            cache.put(*where[done.label], image)

        self.job = DrawingJob([drawing(spec) for spec, _ in missing], save, self.chromium, self.settings.timeout)
        self.job.start()

    def finish_images(self, site_dir: Path) -> None:
        """Wait for the drawing (with its deadline), then write every image into the site."""
        if self.job is not None:
            self.job.wait()
        cache = self.cache
        for path, (spec, key) in self.images.items():
            content = cache.get(key, spec.fmt)
            if content is None:
                raise BuildError(f"the image {path} ({spec.label}) was not drawn")
            target = site_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        if self.images:
            cache.prune()

    def abort(self) -> None:
        """Stop a drawing still under way (the build failed)."""
        if self.job is not None:
            self.job.abort()

    # ------------------------------------------------------------ pages

    def edit_url(self, line: int) -> str:
        """The exact line of a release's entry in data/models.yaml on the repository."""
        return f"{self.settings.repo_url}/blob/main/data/models.yaml#L{line}"

    def release_meta(self, src_uri: str) -> tuple[str, str] | None:
        """(edit URL, description) of a release page, by its file; None for other pages."""
        if not (src_uri.startswith("models/") and src_uri.endswith(".md")):
            return None
        model = self.data.by_id.get(src_uri[len("models/") : -len(".md")])
        return (self.edit_url(model.line), esc(model.summary or model.name)) if model else None

    def mark_menu_place(self, src_uri: str, menu: Iterable[Any]) -> None:
        """A release page is out of the menu (an entry each would grow every page with the number of releases)
        but belongs under "All releases": mark that entry as where the reader is while the page renders, as
        MkDocs marks a page of the menu, so the Releases tab and the section's links show around it."""
        if self.release_meta(src_uri) is None:
            return
        for item in menu:
            if item.file.src_uri == RELEASES_INDEX:
                item.active = True  # MkDocs marks its section (and the tab) too
                self.marked.append(item)

    def unmark_menu_place(self) -> None:
        """Clear what mark_menu_place marked, once the page is rendered."""
        for item in self.marked:
            item.active = False
        self.marked.clear()

    def before_markdown(self, page: str, markdown: str) -> str:
        """A page's Markdown with its finished HTML held back (macros/rawhtml.py)."""
        if self.settings.plain_html:
            return markdown
        markdown, self.held[page] = rawhtml.hold(markdown)
        return markdown

    def after_markdown(self, page: str, html: str) -> str:
        """The converted page with the HTML that search reads back in place."""
        return rawhtml.restore(html, self.held.get(page, rawhtml.Held()), page)

    def finished(self, page: str, html: str) -> str:
        """The finished page: the rest of its HTML back in, compacted, with its security policy."""
        return finish(rawhtml.restore(html, self.held.pop(page, rawhtml.Held()), page, late=True))

    def macros(self, page: Callable[[], Any]) -> dict[str, Callable[..., str]]:
        """The macros pages call, by name; `page()` is the page being rendered (links are relative to it)."""

        def root() -> str:
            return "../" * (getattr(page(), "url", "") or "").count("/")

        def bound(render: Callable[[Dataset, str], str]) -> Callable[[], str]:
            def macro() -> str:
                return render(self.data, root())

            macro.__doc__ = render.__doc__
            return macro

        def chart_macro(slug: str, compact: bool = False, data_at: str = "", data_label: str = "") -> str:
            """A chart with its caption, summary, data table and embed kit: {{ chart("lineage") }}. Where the page
            already holds the chart's data in a table, data_at="#anchor" and data_label="…" link to it instead."""
            return embed.chart_figure(
                chart(slug, self.charts), self.data, root(), self.site, compact=compact, data_at=embed.data_link(slug, data_at, data_label)
            )

        out: dict[str, Callable[..., str]] = {name: bound(render) for name, render in TABLES.items()}
        out["chart"] = chart_macro
        out["chart_gallery"] = lambda: embed.gallery(self.data, root(), self.site, self.charts)
        out["models_index"] = lambda: pages.models_index(self.data, root())
        return out


def check_palette(palette: Any) -> None:
    """The site's own light/dark toggle (overrides/partials/javascripts/ql-palette.html) knows options tied to
    a light or dark system scheme; Material's automatic option would be shown but never resolved."""
    for option in palette if isinstance(palette, list) else []:
        if option.get("media") == "(prefers-color-scheme)":
            raise BuildError(
                'mkdocs.yml theme.palette: the automatic option (media: "(prefers-color-scheme)") is not '
                'supported by the site\'s palette toggle; give each option "(prefers-color-scheme: light)" '
                'or "(prefers-color-scheme: dark)"'
            )


def last_commit(project: Path, path: Path | None = None) -> tuple[str, str, str] | None:
    """(short hash, commit date, Unix time) of the last commit (that changed `path`, when given), or None
    outside git or when no commit did."""
    only = ["--", str(path)] if path is not None else []
    try:
        out = subprocess.run(
            ["git", "-C", str(project), "log", "-1", "--format=%h %cs %ct", *only], capture_output=True, text=True, timeout=10, check=True
        ).stdout.split()
    except (OSError, subprocess.SubprocessError):
        return None
    return (out[0], out[1], out[2]) if len(out) == 3 else None
