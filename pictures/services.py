"""Writes to the picture library."""

from django.db import transaction

from pictures.models import BodyImage


@transaction.atomic
def library_picture_create(
    *,
    image,
    description: str,
    caption: str = "",
    credit: str = "",
    focal: tuple[int, int] = (50, 50),
    by,
) -> BodyImage:
    """Upload `image` into the library (checked and stored by the upload pipeline)."""
    picture = BodyImage(
        image=image,
        description=description,
        caption=caption,
        credit=credit,
        image_focal_x=focal[0],
        image_focal_y=focal[1],
        uploaded_by=by,
    )
    picture.full_clean()
    picture.save()
    return picture


@transaction.atomic
def library_picture_add_stored(
    *,
    name: str,
    description: str,
    caption: str = "",
    credit: str = "",
    focal: tuple[int, int] = (50, 50),
    by,
    original_name: str = "",
) -> BodyImage:
    """Put a picture already stored under `name` (an article's new featured picture) into
    the library: the same file, not a copy. A file the library holds already is not added
    twice; that row is returned."""
    existing = BodyImage.objects.filter(image=name).first()
    if existing is not None:
        return existing
    picture = BodyImage(
        image=name,  # a stored name: the field keeps it as it is
        original_name=original_name[-255:],
        description=description,
        caption=caption,
        credit=credit,
        image_focal_x=focal[0],
        image_focal_y=focal[1],
        uploaded_by=by,
    )
    picture.full_clean(exclude=["image"])
    picture.save()
    return picture
