"""Glue between MkDocs (the macros plugin and the hook) and the pure code: data loading, caching,
page-relative links, deployment facts, and turning data problems into a failed build."""
from __future__ import annotations

import gc
import itertools
import os
import re
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

from . import embed, pages, tables
from .export import ImageExporter
from .load import DataErrors
from .records import Dataset
from .validate import load_dataset

ROOT = Path(__file__).resolve().parent.parent
Renderer = Callable[[Dataset, str], str]

# Macro name -> renderer. Pages call them as {{ timeline_table() }}.
MACROS: dict[str, Renderer] = {
    "headline_table": tables.headline_table,
    "timeline_table": tables.timeline_table,
    "technique_index": tables.technique_index,
    "technique_sections": tables.technique_sections,
    "team_sections": tables.team_sections,
    "errata_sections": tables.errata_sections,
    "deep_dive_rows_table": tables.deep_dive_rows_table,
    "sourcing_summary": tables.sourcing_summary,
    "milestone_tables": tables.milestone_tables,
    "ecosystem_sections": tables.ecosystem_sections,
}

_CACHE: dict[tuple[Any, ...], Dataset] = {}
_VERSIONS: dict[str, tuple[str, str, int] | None] = {}
_STATE: dict[str, Any] = {"images": False, "exporter": None}


def data_dir(project_dir: str | Path) -> Path:
    """data/ beside mkdocs.yml, or the folder named by QWEN_LINEAGE_DATA (tests use it)."""
    return Path(os.environ.get("QWEN_LINEAGE_DATA") or Path(project_dir) / "data")


def cached_dataset(folder: Path) -> Dataset:
    """Load and validate once per content of the folder (the macros and the hook share it). The dataset
    lives as long as the build, so it is frozen out of the cycle collector's reach (gc.freeze): at 10,000
    releases the collector's full passes over it cost a second while the pages rendered and another at exit.
    A new dataset (an edit under `mkdocs serve`) unfreezes everything first, so the last one can go."""
    key = (str(folder.resolve()),) + tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(folder.glob("*.yaml")))
    if key not in _CACHE:
        _CACHE.clear()
        gc.unfreeze()
        try:
            _CACHE[key] = load_dataset(folder)
        except DataErrors as exc:
            raise PluginError(exc.report()) from None
        gc.freeze()
    return _CACHE[key]


def dataset(config: Any) -> Dataset:
    return cached_dataset(data_dir(Path(config.config_file_path).parent))


def data_version(project_dir: Path = ROOT) -> tuple[str, str]:
    """('<commit>, <commit date>', '<year>') of the data, or ('unversioned', this year) outside git."""
    head = _last_commit(project_dir)
    if head is None:
        return "unversioned", str(date.today().year)
    commit, day, _ = head
    return f"{commit}, {day}", day[:4]


def commit_epoch(project_dir: Path = ROOT) -> int | None:
    """Unix time of the last commit, or None outside git."""
    head = _last_commit(project_dir)
    return head[2] if head is not None else None


def new_build() -> None:
    """Forget what belongs to the previous build (under `mkdocs serve` the process builds many times)."""
    _VERSIONS.clear()


def _last_commit(project_dir: Path) -> tuple[str, str, int] | None:
    """(short hash, commit date, Unix time) of the last commit, or None outside git. Asked of git once per
    build (`new_build` forgets it), not once per chart."""
    key = str(project_dir)
    if key not in _VERSIONS:
        try:
            out = subprocess.run(["git", "-C", str(project_dir), "log", "-1", "--format=%h %cs %ct"],
                                 capture_output=True, text=True, timeout=10, check=True).stdout.split()
            _VERSIONS[key] = (out[0], out[1], int(out[2]))
        except (OSError, subprocess.SubprocessError, IndexError, ValueError):
            _VERSIONS[key] = None
    return _VERSIONS[key]


def site_info(config: Any, images: bool | None = None) -> embed.Site:
    """Deployment facts for the embed kit; the hook records whether images were built."""
    if images is not None:
        _STATE["images"] = images
    version, year = data_version(Path(config.config_file_path).parent)
    url = config.site_url or "/"
    return embed.Site(url=url if url.endswith("/") else url + "/", name=config.site_name, version=version,
                      year=year, images=_STATE["images"])


def generated_at(config: Any) -> str:
    """A timestamp that depends only on the data version, so two builds of a commit are identical."""
    version, _ = data_version(Path(config.config_file_path).parent)
    day = version.split(", ")[1] if ", " in version else date.today().isoformat()
    return f"{day}T00:00:00Z"


def entry_edit_url(config: Any, line: int) -> str:
    """The exact line of a release's entry in data/models.yaml on the repository."""
    repo = (config.repo_url or "").rstrip("/")
    return f"{repo}/blob/main/data/models.yaml#L{line}"


def cache_dir(config: Any) -> Path:
    """Where builds keep what a later build can reuse (chart images, compiled templates): $QWEN_LINEAGE_CACHE,
    else .cache beside mkdocs.yml."""
    return Path(os.environ.get("QWEN_LINEAGE_CACHE") or Path(config.config_file_path).parent / ".cache")


def image_exporter(config: Any) -> ImageExporter:
    """One exporter (and its image cache) for the life of the MkDocs process."""
    if _STATE["exporter"] is None:
        _STATE["exporter"] = ImageExporter(cache_dir(config) / "charts")
    return _STATE["exporter"]


def start_drawing(config: Any) -> None:
    """Start Chromium for this build's chart images now, while the data is read, unless the data and the
    code are those of the last build that had all its images (then they are cached, and nothing is drawn)."""
    exporter = image_exporter(config)
    if not exporter.can_export()[0]:
        return
    inputs = sorted(data_dir(Path(config.config_file_path).parent).glob("*.yaml")) + sorted((ROOT / "macros").glob("*.py"))
    if exporter.expect(b"".join(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0" for path in inputs)):
        exporter.start()


def stop_drawing() -> None:
    """Close a Chromium this process started for a build (done with, or of a build that failed)."""
    if _STATE["exporter"] is not None:
        _STATE["exporter"].stop()


def page_root(page: Any) -> str:
    """Relative path from the current page to the site root ('' or '../' …)."""
    url = getattr(page, "url", "") or ""
    return "../" * url.count("/")


def data_link(slug: str, anchor: str, label: str) -> tuple[str, str] | None:
    """chart()'s data_at/data_label: both (a link to '#anchor' on the same page, and its words) or neither."""
    if not anchor and not label:
        return None
    if not anchor.startswith("#") or len(anchor) < 2 or not label.strip():
        raise ValueError(f'chart("{slug}"): data_at must be an anchor on the page ("#all-releases") and data_label '
                         f"the words of the link; give both or neither (got data_at={anchor!r}, data_label={label!r})")
    return anchor, label


def register(env: Any) -> None:
    """Load and validate the data (failing the build with every problem), then add the macros."""
    data = cached_dataset(data_dir(env.project_dir))
    env.variables["counts"] = {"releases": len(data.models), "people": len(data.people),
                               "techniques": len(data.techniques), "errata": len(data.errata)}
    for name, render in MACROS.items():
        env.macro(_bound(render, data, env), name)

    def chart(slug: str, compact: bool = False, data_at: str = "", data_label: str = "") -> str:
        """A chart with its caption, summary, data table and embed kit: {{ chart("lineage") }}. Where the page
        already holds the chart's data in a table, data_at="#anchor" and data_label="…" link to it instead."""
        return stash(embed.chart_figure(embed.chart_for(slug), data, page_root(env.page), site_info(env.conf), compact=compact,
                                        data_at=data_link(slug, data_at, data_label)))

    def chart_gallery() -> str:
        """Every chart with its thumbnail: {{ chart_gallery() }}."""
        return stash(embed.gallery(data, page_root(env.page), site_info(env.conf)))

    def models_index() -> str:
        """Every release grouped by generation: {{ models_index() }}."""
        return stash(pages.models_index(data, page_root(env.page)))

    for macro in (chart, chart_gallery, models_index):
        env.macro(macro)


def _bound(render: Renderer, data: Dataset, env: Any) -> Callable[[], str]:
    """A zero-argument macro that renders with links relative to the page being built."""
    def macro() -> str:
        return stash(render(data, page_root(env.page)))
    macro.__name__ = render.__name__
    macro.__doc__ = render.__doc__
    return macro


# ---------------------------------------------------------------- HTML that skips Markdown

_STASH: dict[str, str] = {}


def stash(text: str) -> str:
    """Keep a macro's finished HTML out of Markdown: each HTML block (a part between blank lines that
    starts with a block-level tag) becomes a marker, an HTML comment that Markdown passes through untouched,
    and `unstash` swaps it back after conversion. Markdown would copy such a block verbatim anyway, but
    only after parsing it, which costs more than the rest of the page. Headings and Markdown text stay (the
    table of contents needs the headings). fmt.esc writes newlines as &#10;, so a blank line in a macro's
    output is always one the renderer put there, never one from the data. Every element marked
    data-search-exclude (the timeline table, a chart's data table), at any depth, goes in only after the
    search index has read the page (`unstash_late`), so the indexer does not parse it only to skip it."""
    parts = text.split("\n\n")
    for i, part in enumerate(parts):
        if _BLOCK_START.match(part):
            part = _lift_out_of_search(part)
            if part.startswith("<!--ql-late-") and _LATE_MARKER.fullmatch(part):
                parts[i] = part
                continue
            marker = f"<!--ql-html-{next(_MARKERS)}-->"
            _STASH[marker] = part
            parts[i] = marker
    return "\n\n".join(parts)


def _lift_out_of_search(html: str) -> str:
    """Replace each outermost element marked data-search-exclude by a late marker. Its end is found by
    counting that tag's openings and closings: every tag in a macro's output is the renderer's own (data is
    escaped), and a void element, which has no end, stays in place."""
    out, pos = [], 0
    while found := _OUT_OF_SEARCH.search(html, pos):
        start, depth, end = found.start(), 0, None
        for tag in re.compile(rf"<(/?){found.group(1)}[\s>]").finditer(html, start):  # re caches the compiled tag
            depth += -1 if tag.group(1) else 1
            if depth == 0:
                end = html.index(">", tag.end() - 1) + 1
                break
        if end is None:
            out.append(html[pos:found.end()])
            pos = found.end()
            continue
        marker = f"<!--ql-late-{next(_MARKERS)}-->"
        _LATE[marker] = html[start:end]
        out.append(html[pos:start] + marker)
        pos = end
    return "".join(out) + html[pos:]


_LATE: dict[str, str] = {}
_MARKERS = itertools.count()  # unique for the life of the process, so no two blocks share a marker
_BLOCK_START = re.compile(r"<(?:div|table|ul|ol|dl|figure|details|section|p|pre|blockquote)[\s>]")
_OUT_OF_SEARCH = re.compile(r"<([a-z][a-z0-9]*)(?:\s[^>]*)?\sdata-search-exclude(?:[\s>=])")
_MARKER = re.compile(r"<!--ql-html-\d+-->")
_LATE_MARKER = re.compile(r"<!--ql-late-\d+-->")


def unstash_late(html: str) -> str:
    """Put the blocks kept out of search into a finished page."""
    return _LATE_MARKER.sub(lambda found: _LATE.pop(found.group(0), found.group(0)), html) if "<!--ql-late-" in html else html


def check_unstashed() -> None:
    """At the end of a build: every block kept out of search went into its page."""
    if _LATE:
        lost, _ = _LATE.popitem()
        _LATE.clear()
        raise PluginError(f"a macro's output ({lost}) never reached its page; put the macro call on a line of its own")


def unstash(html: str, where: str) -> str:
    """Put the stashed HTML back in a converted page; a marker that Markdown lost fails the build."""
    out = _MARKER.sub(lambda found: _STASH.pop(found.group(0), found.group(0)), html)
    if _STASH:
        lost, _ = _STASH.popitem()
        _STASH.clear()
        raise PluginError(f"{where}: a macro's output ({lost}) did not survive Markdown; put the macro call on a line of its own")
    return out


_VERBATIM = re.compile(r"(<(pre|textarea|script|style)\b.*?</\2\s*>)", re.S | re.I)


def compact(html: str) -> str:
    """Drop the indentation and blank lines the theme's templates leave (a sixth of the bytes of /timeline/,
    which a phone downloads and parses before its first paint). A line break stays a line break, so text and
    inline elements render as before; <pre>, <textarea>, <script> and <style> keep every character (inline
    scripts are allowed by the hash of their exact text). Works line by line with str methods: a regex over
    the whole page cost 2 ms a page, a tenth of a release page's build."""
    parts = _VERBATIM.split(html)  # text, verbatim element, its tag name, text, …
    parts[0::3] = [_squeeze(text) for text in parts[0::3]]
    del parts[2::3]
    return "".join(parts)


def _squeeze(text: str) -> str:
    """Spaces and tabs before a line break and all whitespace after it go; blank lines go."""
    if "\n" not in text:
        return text
    lines = text.split("\n")
    middle = [line for line in (line.lstrip().rstrip(" \t") for line in lines[1:-1]) if line]
    return "\n".join([lines[0].rstrip(" \t"), *middle, lines[-1].lstrip()])
