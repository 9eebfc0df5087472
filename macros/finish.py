"""What every finished HTML page goes through: the theme's indentation dropped, and a Content-Security-Policy."""

from __future__ import annotations

import base64
import hashlib
import re

# Scripts only from the site (inline ones by hash); styles may be inline (plotly.js and Material set them).
CSP = (
    "default-src 'self'; script-src 'self'{hashes}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'"
)
_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.*?)</script>", re.S)
_VERBATIM = re.compile(r"(<(pre|textarea|script|style)\b.*?</\2\s*>)", re.S | re.I)


def finish(html: str) -> str:
    """A page as the site serves it: compacted, then with its policy."""
    return with_csp(compact(html))


def with_csp(html: str) -> str:
    """Insert the policy right after <meta charset>, allowing exactly the page's inline scripts by hash."""
    hashes = "".join(
        f" 'sha256-{base64.b64encode(hashlib.sha256(body.encode('utf-8')).digest()).decode()}'"
        for body in dict.fromkeys(_INLINE_SCRIPT.findall(html))
    )
    meta = f'<meta http-equiv="Content-Security-Policy" content="{CSP.format(hashes=hashes)}">'
    head = re.search(r"<meta charset=[^>]*>", html, re.I)
    return html[: head.end()] + meta + html[head.end() :] if head else html


def compact(html: str) -> str:
    """Drop the indentation and blank lines the theme's templates leave (a sixth of the bytes of /timeline/,
    which a phone downloads and parses before its first paint). A line break stays a line break, so text and
    inline elements render as before; <pre>, <textarea>, <script> and <style> keep every character (inline
    scripts are allowed by the hash of their exact text)."""
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
