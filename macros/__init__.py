"""mkdocs-macros entry point: load the data once, then register one macro per renderer."""
from __future__ import annotations


def define_env(env) -> None:  # noqa: ANN001 - mkdocs-macros passes its own env type
    """Register the site's macros (see macros/site.py for the list)."""
    from .site import register  # imported here so `python -m macros.validate` loads no mkdocs code

    register(env)
