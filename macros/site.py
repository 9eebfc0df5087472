"""Glue between mkdocs-macros and the pure renderers: data loading, page-relative links, errors."""
from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

from . import tables
from .load import DataErrors
from .records import Dataset
from .validate import load_dataset

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
}


def data_dir(project_dir: str) -> Path:
    """data/ beside mkdocs.yml, or the folder named by QWEN_LINEAGE_DATA (tests use it)."""
    return Path(os.environ.get("QWEN_LINEAGE_DATA") or Path(project_dir) / "data")


def page_root(page: Any) -> str:
    """Relative path from the current page to the site root ('' or '../' …)."""
    url = getattr(page, "url", "") or ""
    return "../" * url.count("/")


def register(env: Any) -> None:
    """Load and validate the data (failing the build with every problem), then add the macros."""
    try:
        data = load_dataset(data_dir(env.project_dir))
    except DataErrors as exc:
        raise PluginError(exc.report()) from None
    env.variables["counts"] = {"releases": len(data.models), "people": len(data.people),
                               "techniques": len(data.techniques), "errata": len(data.errata)}
    for name, render in MACROS.items():
        env.macro(_bound(render, data, env), name)


def _bound(render: Renderer, data: Dataset, env: Any) -> Callable[[], str]:
    """A zero-argument macro that renders with links relative to the page being built."""
    def macro() -> str:
        return render(data, page_root(env.page))
    macro.__name__ = render.__name__
    macro.__doc__ = render.__doc__
    return macro
