"""Finished HTML kept out of the parsers' way: a speed measure, and the only place that knows about it.

Macro output and release pages are finished HTML. Markdown copies such a block verbatim, but only after two
pure-Python HTML parsers have read it (Python-Markdown's raw-HTML reader and MkDocs's anchor scanner), and
Material's search reads every page again, including what it then leaves out of the index. At 1,000 releases
those readings cost more than the rest of the pages together (bench/build_scale.py prints the build with and
without this module: QWEN_LINEAGE_PLAIN_HTML=1 turns it off).

So before Markdown, each block of a page that is finished HTML (a part between blank lines that starts with a
block-level tag; data cannot make a blank line, as fmt.esc writes newlines as &#10;) is swapped for an HTML
comment, which Markdown passes through as it is. After Markdown the blocks go back in, except those search
leaves out anyway, which go in only once the search index has read the page: a block in a section whose
heading is marked data-search-exclude, or a block that is one element marked data-search-exclude (macros
write such elements as blocks of their own; tests/test_rawhtml.py checks that they hold nothing else).
Headings and Markdown text stay, so the table of contents is unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_BLOCK = re.compile(r"<(?:div|table|ul|ol|dl|figure|details|section|article|p|pre|blockquote)[\s>]")
_EXCLUDED = re.compile(r"<[a-z]+(?:\s[^>]*)?\sdata-search-exclude[\s>=]")
_HEADING = re.compile(r"^#{1,6} ")
_MARKER = re.compile(r"<!--ql-held-(\d+)-->")


@dataclass(frozen=True)
class Held:
    """A page's HTML blocks while Markdown and the search index run: each with whether search skips it."""

    blocks: tuple[str, ...] = ()
    late: frozenset[int] = frozenset()


def hold(markdown: str) -> tuple[str, Held]:
    """The page with its HTML blocks swapped for markers, and the blocks."""
    blocks: list[str] = []
    late: set[int] = set()
    excluded_section = False
    parts = markdown.split("\n\n")
    for i, part in enumerate(parts):
        if _HEADING.match(part):
            excluded_section = "data-search-exclude" in part.split("\n", 1)[0]
        elif _BLOCK.match(part):
            if excluded_section or _EXCLUDED.match(part):
                late.add(len(blocks))
            parts[i] = f"<!--ql-held-{len(blocks)}-->"
            blocks.append(part)
    return "\n\n".join(parts), Held(tuple(blocks), frozenset(late))


def restore(html: str, held: Held, where: str, *, late: bool = False) -> str:
    """Put back the blocks search reads (late=False), or the rest (late=True). A marker that did not come
    through fails the build instead of losing content."""
    wanted = {i for i in range(len(held.blocks)) if (i in held.late) == late}
    found: set[int] = set()

    def block(marker: re.Match[str]) -> str:
        index = int(marker.group(1))
        if index not in wanted:
            return marker.group(0)
        found.add(index)
        return held.blocks[index]

    out = _MARKER.sub(block, html)
    if found != wanted:
        raise ValueError(
            f"{where}: {len(wanted - found)} block(s) of HTML did not come through Markdown; "
            "put each macro call on a line of its own, with blank lines around it"
        )
    return out
