"""The focal point of a picture: the spot every cropped rendition keeps in view.

A model with a PictureField named `image` stores its focal point beside it, in
`image_focal_x` and `image_focal_y`: per cent of the width from the left and of the height
from the top (0–100, the centre by default), enforced by CHECK constraints. The editor sets
it by clicking the picture in the admin (static/admin/js/focal_point.js).

A crop keeps the focal point at the same relative place in the cut-out as in the whole
picture (sorl-thumbnail's `crop="x% y%"`, which is also CSS's `object-position`), so the
point is always inside every crop: a face near the top of a portrait stays in the landscape
home lead. The crop option is part of sorl's hash of a rendition, so moving the focal point
gives every crop a new file name; the old crop is never served for the new point.
"""

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q

CENTRE = (50, 50)
AXES = {"x": "from the left", "y": "from the top"}


def focal_field(axis: str) -> models.PositiveSmallIntegerField:
    """The model field of one axis of a focal point ("x" or "y")."""
    return models.PositiveSmallIntegerField(
        f"focal point {axis} (%)",
        default=50,
        validators=[MaxValueValidator(100)],
        help_text=f"Where the picture's subject is, in per cent {AXES[axis]} (50: the centre)."
        + (
            " Click the picture below to set it: every crop (home lead, cards, thumbnails, "
            "social card) keeps that spot in view."
            if axis == "y"
            else ""
        ),
    )


def focal_constraints(prefix: str, field: str = "image") -> list[models.CheckConstraint]:
    """CHECK constraints keeping both axes of `field`'s focal point within 0–100."""
    return [
        models.CheckConstraint(
            condition=Q(**{f"{field}_focal_{axis}__gte": 0, f"{field}_focal_{axis}__lte": 100}),
            name=f"{prefix}_focal_{axis}_percent",
            violation_error_message="A focal point is given in per cent: 0 to 100.",
        )
        for axis in AXES
    ]


def focal_point(image) -> tuple[int, int]:
    """The focal point (x, y in per cent) stored beside the picture file `image` (a
    FieldFile), the centre when its model keeps none."""
    instance = getattr(image, "instance", None)
    field = getattr(image, "field", None)
    if instance is None or field is None:
        return CENTRE
    x = getattr(instance, f"{field.name}_focal_x", None)
    y = getattr(instance, f"{field.name}_focal_y", None)
    if x is None or y is None:
        return CENTRE
    return (min(max(int(x), 0), 100), min(max(int(y), 0), 100))


def crop_option(point: tuple[int, int]) -> str:
    """sorl-thumbnail's crop option for a focal point; "center" for the centre, so the
    renditions made before focal points existed keep their names."""
    if tuple(point) == CENTRE:
        return "center"
    return f"{point[0]}% {point[1]}%"
