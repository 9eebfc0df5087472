"""mkdocs-macros entry point: register the build's macros (macros/build.py) for the pages to call."""

from __future__ import annotations

from typing import Any


def define_env(env: Any) -> None:
    """Add the macros of the build the MkDocs hook made in on_config."""
    from .build import KEY  # imported here so `python -m macros.dataset` loads no rendering code

    for name, macro in env.conf[KEY].macros(lambda: env.page).items():
        env.macro(macro, name)
