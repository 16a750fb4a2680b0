"""Article pictures: renditions for each place a picture appears.

Renditions are made by sorl-thumbnail (Django 5.2 supported): on first use, stored under
MEDIA_ROOT/cache/ and remembered in its key-value store, so each is generated once and
reused. They are JPEG, re-encoded without metadata.
"""

import logging
from dataclasses import dataclass

from sorl.thumbnail import get_thumbnail

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rendition:
    """Where a picture appears: its sizes (1x first, then 2x) and whether it is cropped."""

    sizes: tuple[tuple[int, int | None], ...]
    crop: bool = True


RENDITIONS = {
    # The Recent news sidebar.
    "thumb": Rendition(sizes=((120, 80), (240, 160))),
    # Cards in lists and on the home page.
    "card": Rendition(sizes=((400, 267), (800, 533))),
    # The article column: the whole picture, never cropped.
    "column": Rendition(sizes=((800, None), (1600, None)), crop=False),
    # Open Graph / Twitter cards: the 1.91:1 shape social sites show.
    "social": Rendition(sizes=((1200, 630),)),
}


def rendition_files(image, name: str) -> list:
    """The rendition files (sorl ImageFile: url, width, height) of `image` for the place
    `name`, smallest first, without duplicates (a small source is never enlarged)."""
    if not image:
        return []
    spec = RENDITIONS[name]
    files = []
    for width, height in spec.sizes:
        geometry = f"{width}x{height}" if height else str(width)
        try:
            thumb = get_thumbnail(
                image, geometry, crop="center" if spec.crop else None, format="JPEG", quality=82
            )
        except Exception:  # a broken or missing source must not take the page down
            logger.warning("No %s rendition for %s", name, image.name, exc_info=True)
            return files
        if not files or thumb.width > files[-1].width:
            files.append(thumb)
    return files


def rendition(image, name: str):
    """The 1x rendition of `image` for the place `name`, or None."""
    files = rendition_files(image, name)
    return files[0] if files else None
