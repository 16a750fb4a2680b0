"""What an uploaded picture must be, and how it is stored.

Uploads are checked before anything decodes them (byte size, then the pixel count from the
header, so a decompression bomb is refused without being expanded), verified by Pillow,
limited to JPEG, PNG and WebP (SVG is refused: it can carry script), then re-encoded on
save with EXIF orientation applied and every metadata block dropped (no GPS position
reaches a published file) — re-encoding also drops anything appended to the image, such
as the HTML of a polyglot file.

Every model keeps its pictures in a PictureField, which runs this pipeline when the row is
saved, so no upload (the featured picture, a body picture, any later one) is stored as sent.
The stored name is a random token ("articles/2026/12/3f9c…e1.jpg"): the original file name
never reaches a public address, and the address of a picture nobody has published cannot be
guessed. A disk that refuses the file (full, read-only) raises PictureNotStored with a
message for the journalist, after removing whatever part of the file was written.
"""

import errno
import io
import logging
import secrets
import warnings

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow format name -> the extension the stored file gets.
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
ALLOWED_TEXT = "JPEG, PNG or WebP"

logger = logging.getLogger(__name__)

# The random part of a stored picture's name: 32 hexadecimal digits (128 bits).
TOKEN_LENGTH = 32


def new_token() -> str:
    return secrets.token_hex(TOKEN_LENGTH // 2)


def _megabytes(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


def check_image(file) -> str:
    """Raise ValidationError with a message a journalist can act on unless `file` is an
    acceptable picture; return its Pillow format name ("JPEG", "PNG", "WEBP")."""
    max_bytes = settings.NEWSROOM_IMAGE_MAX_BYTES
    max_pixels = settings.NEWSROOM_IMAGE_MAX_PIXELS
    size = getattr(file, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(
            f"This picture is {_megabytes(size)}; the limit is {_megabytes(max_bytes)}. "
            "Export it smaller and upload it again.",
            code="image_too_large",
        )
    file.seek(0)
    head = file.read(1024)
    file.seek(0)
    name = str(getattr(file, "name", "") or "")
    if name.lower().endswith((".svg", ".svgz")) or b"<svg" in head.lower():
        raise ValidationError(
            f"SVG drawings are not accepted. Upload a {ALLOWED_TEXT} picture.", code="image_svg"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:  # reads the header only
                width, height = image.size
                if width * height > max_pixels:
                    raise ValidationError(
                        f"This picture is {width} × {height} pixels "
                        f"({width * height / 1e6:.0f} megapixels); the limit is "
                        f"{max_pixels / 1e6:.0f} megapixels. Export it smaller.",
                        code="image_too_many_pixels",
                    )
                if image.format not in ALLOWED_FORMATS:
                    raise ValidationError(
                        f"This is a {image.format} file. Upload a {ALLOWED_TEXT} picture.",
                        code="image_format",
                    )
                image_format = image.format
                image.verify()
            # verify() checks the structure; decoding finds truncated or corrupt data.
            file.seek(0)
            with Image.open(file) as image:
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            "This picture expands to far too many pixels (a “decompression bomb”) and was "
            f"refused. Upload an ordinary {ALLOWED_TEXT} picture.",
            code="image_bomb",
        ) from exc
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ValidationError(
            f"This file is not a picture we can read. Upload a {ALLOWED_TEXT} picture.",
            code="image_invalid",
        ) from exc
    finally:
        file.seek(0)
    return image_format


def validate_image(value) -> None:
    """Model field validator: the rules of check_image()."""
    if value and not getattr(value, "_committed", False):
        check_image(value)


def clean_image(file) -> ContentFile:
    """The picture as it is stored: checked, turned upright, stripped of metadata and
    re-encoded in its own format, under a new random name (nothing of the original name)."""
    image_format = check_image(file)
    with Image.open(file) as original:
        original.load()
        image = ImageOps.exif_transpose(original)
    out = io.BytesIO()
    if image_format == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=88, optimize=True, progressive=True)
    elif image_format == "PNG":
        if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            image = image.convert("RGBA")
        image.save(out, "PNG", optimize=True)
    else:
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
        image.save(out, "WEBP", quality=85)
    return ContentFile(out.getvalue(), name=f"{new_token()}.{ALLOWED_FORMATS[image_format]}")


# errno -> what the journalist is told after "The picture could not be stored: ".
_DISK_PROBLEMS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk is full (the site's quota is used up)",
    errno.EROFS: "the disk is read-only",
    errno.EACCES: "the media folder may not be written to",
    errno.EPERM: "the media folder may not be written to",
}


class PictureNotStored(Exception):
    """The storage refused a picture. str() is the message for the journalist; nothing of
    the file is left behind."""

    def __init__(self, reason: str, *, field_name: str | None = None):
        self.reason = reason
        self.field_name = field_name
        super().__init__(
            f"The picture could not be stored: {reason}. Nothing was saved; "
            "try again later or tell the technical desk."
        )

    @classmethod
    def from_os_error(cls, error: OSError, *, field_name=None) -> "PictureNotStored":
        reason = _DISK_PROBLEMS.get(error.errno, error.strerror or "the disk refused it")
        return cls(reason, field_name=field_name)


class PictureUploadField(forms.ImageField):
    """Runs check_image() before Django's own image check, so a journalist sees our clear
    message (a bomb, an SVG, a file too large) rather than a generic "invalid image"."""

    def to_python(self, data):
        if data not in self.empty_values and hasattr(data, "read"):
            check_image(data)
        return super().to_python(data)


class PictureField(models.ImageField):
    """An ImageField with the newsroom's upload rules, in forms and in full_clean(), whose
    new files are stored cleaned (clean_image) under a random name when the row is saved."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [validate_image])
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        if not file or file._committed:
            return file
        cleaned = clean_image(file)
        name = self.generate_filename(model_instance, cleaned.name)
        try:
            stored = self.storage.save(name, cleaned, max_length=self.max_length)
        except OSError as error:
            _discard(self.storage, name)
            logger.error("Picture %s not stored: %s", name, error)
            raise PictureNotStored.from_os_error(error, field_name=self.name) from error
        setattr(model_instance, self.attname, stored)
        return getattr(model_instance, self.attname)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PictureUploadField, **kwargs})


def _discard(storage, name: str) -> None:
    """Remove what a failed write left under `name` (a truncated or empty file). The name is
    a fresh random token, so nothing else can be stored under it."""
    try:
        if storage.exists(name):
            storage.delete(name)
    except OSError:
        logger.exception("Could not remove the partial file %s", name)
