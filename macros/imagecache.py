"""Chart images kept on disk between builds, found by a hash of everything that decides their bytes.

A build draws only the images whose key is not here, so a warm build starts no browser. A cached image's
time is its last use; `prune` drops those no build has used for KEEP_DAYS, so a cache kept between CI runs
stays the size of what recent builds need.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass
from pathlib import Path

KEEP_DAYS = 30


@dataclass(frozen=True)
class ImageSpec:
    """One image file of a chart: where it goes in the site, and how it is drawn."""

    slug: str
    path: str  # site-relative, e.g. charts/lineage.png
    fmt: str  # "svg" or "png"
    scheme: str  # "light" or "dark"
    width: int
    height: int
    scale: float = 1
    background: bool = False  # opaque, as the report images are
    page: bool = False  # as shown on a page: the figcaption carries the title
    narrow: bool = False  # a phone's width: the callouts placed for a phone stand in for the page's
    words: tuple[str, str] | None = None  # (subtitle, footer) of an image that stands alone

    @property
    def label(self) -> str:
        """How messages name it: 'lineage (png, 1200 × 675 at 2x, light)'."""
        at = f" at {self.scale:g}x" if self.scale != 1 else ""
        return f"{self.slug} ({self.fmt}, {self.width} × {self.height}{at}, {self.scheme})"


def image_key(fig_json: str, spec: ImageSpec, style: str) -> str:
    """The cache key of one image: the published figure, the image's own settings, and `style` (the themes
    and the renderer: anything else that changes the bytes)."""
    how = "|".join(
        map(str, (spec.fmt, spec.scheme, spec.width, spec.height, spec.scale, spec.background, spec.page, spec.narrow, spec.words))
    )
    return hashlib.sha256("|".join((fig_json, how, style)).encode("utf-8")).hexdigest()[:32]


class ImageCache:
    """A folder of images named <key>.<fmt>."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, key: str, fmt: str) -> Path:
        return self.folder / f"{key}.{fmt}"

    def get(self, key: str, fmt: str) -> bytes | None:
        """The cached image, marked as used now; None when it is not cached."""
        path = self._path(key, fmt)
        try:
            content = path.read_bytes()
        except FileNotFoundError:
            return None
        os.utime(path)
        return content

    def has(self, key: str, fmt: str) -> bool:
        return self._path(key, fmt).is_file()

    def put(self, key: str, fmt: str, content: bytes) -> None:
        """Store an image; written under a temporary name first, so a build that stops midway leaves no
        half-written image behind."""
        self.folder.mkdir(parents=True, exist_ok=True)
        partial = self._path(key, fmt + ".part")
        partial.write_bytes(content)
        partial.replace(self._path(key, fmt))

    def prune(self, keep_days: float = KEEP_DAYS) -> int:
        """Delete the images no build has used for `keep_days`; how many went."""
        cutoff = time.time() - keep_days * 86400
        gone = 0
        for path in self.folder.glob("*.*"):  # nothing when the folder is missing
            if path.suffix in (".svg", ".png", ".part") and path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
                gone += 1
        return gone
