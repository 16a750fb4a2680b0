"""Picture renditions: the sizes each place on a page shows a picture at.

Renditions are made by sorl-thumbnail (Django 5.2 supported): on first use, stored under
MEDIA_ROOT/cache/ and remembered in its key-value store, so each is generated once and
reused. They are JPEG, re-encoded without metadata, and named under their source's name
("cache/articles/2026/12/<token>/<hash>.jpg"), so the media gate (pictures/access.py) lets
readers fetch a rendition exactly when it lets them fetch its source. Cropped renditions
are cut around the picture's focal point (pictures/focal.py); the point is part of the
hash, so a new point gives new files.
"""

import logging
import time
from dataclasses import dataclass
from pathlib import PurePosixPath

from sorl.thumbnail import get_thumbnail
from sorl.thumbnail.base import ThumbnailBackend

from pictures.focal import crop_option, focal_point

logger = logging.getLogger(__name__)

RENDITION_PREFIX = "cache/"


class RenditionBackend(ThumbnailBackend):
    """sorl's backend (settings.THUMBNAIL_BACKEND), storing each rendition in a folder named
    after its source file: sorl's own hash of source, size and options stays the file name."""

    def _get_thumbnail_filename(self, source, geometry_string, options):
        hashed = super()._get_thumbnail_filename(source, geometry_string, options)
        stem = PurePosixPath(str(source.name)).with_suffix("")
        return f"{RENDITION_PREFIX}{stem}/{hashed.rpartition('/')[2]}"


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


@dataclass(frozen=True)
class RenditionFile:
    name: str
    url: str
    width: int
    height: int


# Rendition files by (storage, source file, place, crop), kept in each process. A stored source
# never changes under its name (a new upload gets a new name), so neither do its
# renditions: pages skip sorl's key-value lookup, one cache round trip per size. Entries
# are asked again after KNOWN_RENDITIONS_SECONDS (renditions cleaned up or a media store
# restored show within that time, not only after a restart), the whole is cleared when
# full, and failures are not kept, so a source that comes back is tried again.
_known: dict[tuple[str, str, str, str], tuple[float, tuple[RenditionFile, ...]]] = {}
KNOWN_RENDITIONS_MAX = 20_000
KNOWN_RENDITIONS_SECONDS = 600


def _storage_identity(storage) -> str:
    # A local folder, or a bucket and prefix on object storage.
    parts = (getattr(storage, "bucket_name", ""), getattr(storage, "location", ""))
    return f"{type(storage).__name__}:{':'.join(str(p) for p in parts)}"


def rendition_files(image, name: str) -> tuple[RenditionFile, ...]:
    """The rendition files of `image` for the place `name`, smallest first, without
    duplicates (a small source is never enlarged). A cropped place is cut around the focal
    point stored beside `image` (pictures.focal.focal_point). A rendition not made yet is
    made now: the task queue builds them when a picture is saved (build_renditions), so a
    reader meets this only when that task has not run yet."""
    return _rendition_files(image, name)[0]


def build_renditions(image) -> bool:
    """Make every rendition the public pages show of `image`: each size of each place of
    RENDITIONS, exactly as rendition_files() asks sorl for them (the task queue's job,
    pictures/tasks.py). Whether every one could be made."""
    if not image:
        return True
    complete = True
    for name in RENDITIONS:
        complete = _rendition_files(image, name, again=True)[1] and complete
    return complete


def _rendition_files(image, name: str, *, again: bool = False):
    """rendition_files() and whether it is complete; `again` asks sorl even when this
    process knows the files."""
    if not image:
        return (), True
    crop = crop_option(focal_point(image)) if RENDITIONS[name].crop else ""
    key = (_storage_identity(image.storage), image.name, name, crop)
    now = time.time()
    known = _known.get(key)
    if not again and known is not None and now - known[0] < KNOWN_RENDITIONS_SECONDS:
        return known[1], True
    files, complete = _make_renditions(image, name, crop or None)
    if complete:
        if len(_known) >= KNOWN_RENDITIONS_MAX:
            _known.clear()
        _known[key] = (now, files)
    return files, complete


def _make_renditions(image, name: str, crop: str | None) -> tuple[tuple[RenditionFile, ...], bool]:
    """sorl makes each rendition on first use and remembers it. The files made, and whether
    every size could be made."""
    files = []
    for width, height in RENDITIONS[name].sizes:
        geometry = f"{width}x{height}" if height else str(width)
        try:
            thumb = get_thumbnail(image, geometry, crop=crop, format="JPEG", quality=82)
        except Exception:  # a broken or missing source must not take the page down
            logger.warning("No %s rendition for %s", name, image.name, exc_info=True)
            return tuple(files), False
        if not thumb.size:  # sorl's answer when it could not read the source
            logger.warning("No %s rendition for %s", name, image.name)
            return tuple(files), False
        if not files or thumb.width > files[-1].width:
            files.append(RenditionFile(thumb.name, thumb.url, thumb.width, thumb.height))
    return tuple(files), True


def rendition(image, name: str):
    """The 1x rendition of `image` for the place `name`, or None."""
    files = rendition_files(image, name)
    return files[0] if files else None
