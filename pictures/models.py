import functools

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import NFCTextModel
from pictures.fields import PictureField
from pictures.focal import AXES, CENTRE, focal_constraints, focal_field
from pictures.tasks import renditions_after_commit


class PictureRenditions(models.Model):
    """A model whose PictureFields' renditions are built by the task queue (pictures/tasks.py)
    whenever a save stores a new picture or moves its focal point, not by the first reader.

    Each row remembers, for every picture field it was loaded with, the file name and focal
    point it read; a save that changes them (or a new row with a picture) asks for the task.
    A save of other fields (update_fields, a publication) asks for nothing."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        read = self._pictures_read()
        adding = self._state.adding
        uploaded = self._uploaded_pictures()
        super().save(*args, **kwargs)
        states = self._picture_states()
        for field, (name, focal) in states.items():
            # A new row, or one read without this field that was given a new file.
            changed = (name, focal) != read[field] if field in read else adding or field in uploaded
            if name and changed:
                renditions_after_commit(
                    model=self._meta.label_lower, field=field, name=name, focal=focal
                )
        self._pictures_as_read = {**read, **states}

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # The columns and values as read (the row's own, never changed), turned into
        # pictures' states only by a save: most rows read are only shown.
        instance._pictures_read_from = (field_names, values)
        return instance

    def _pictures_read(self) -> dict[str, tuple[str, tuple[int, int]]]:
        """_picture_states() as this row was read, or as its last save left it."""
        read = self.__dict__.get("_pictures_as_read")
        if read is None:
            columns, values = self.__dict__.get("_pictures_read_from", ((), ()))
            read = _picture_states(type(self), dict(zip(columns, values, strict=True)))
        return read

    def _picture_states(self) -> dict[str, tuple[str, tuple[int, int]]]:
        """(file name, focal point) of each picture field this row holds with its focal
        point (a deferred column is not read for this)."""
        return _picture_states(type(self), self.__dict__)

    def _uploaded_pictures(self) -> set[str]:
        """The picture fields given a file that is not stored yet."""
        uploaded = set()
        for field, _focal in _picture_fields(type(self)):
            value = self.__dict__.get(field.attname)
            if value and not isinstance(value, str) and not getattr(value, "_committed", False):
                uploaded.add(field.name)
        return uploaded


def _picture_states(model, loaded) -> dict[str, tuple[str, tuple[int, int]]]:
    """(file name, focal point) of each of `model`'s picture fields in `loaded` (its
    columns' values by attribute name) with its focal point."""
    states = {}
    for field, focal in _picture_fields(model):
        if field.attname in loaded and all(name in loaded for name in focal):
            image = loaded[field.attname]  # a name as read, a file once touched
            name = str(getattr(image, "name", image) or "")
            states[field.name] = (name, tuple(loaded[c] for c in focal) or CENTRE)
    return states


@functools.cache
def _picture_fields(model) -> list[tuple[PictureField, list[str]]]:
    """A model's picture fields, each with the columns of its focal point it has."""
    columns = {field.attname for field in model._meta.concrete_fields}
    return [
        (field, [c for c in (f"{field.name}_focal_{axis}" for axis in AXES) if c in columns])
        for field in model._meta.concrete_fields
        if isinstance(field, PictureField)
    ]


class BodyImage(PictureRenditions, NFCTextModel):
    """A picture of the library: every picture the newsroom uploads, for a body's figures
    (chosen from the body editor) and for featured pictures (chosen from the library, or
    uploaded with the article and added to the library), with its alt text, caption, credit
    and focal point. It goes through the same upload rules as every picture.

    The class keeps the name it had when the library held body pictures only: the name is
    its table and its permissions (pictures.change_bodyimage), which the roles grant."""

    image = PictureField(
        upload_to="body/%Y/%m/",
        help_text=_(
            "A JPEG, PNG or WebP photo (no SVG, no PDF), at most 15 MB and 40 megapixels. "
            "It is turned upright and stored without its metadata (camera, GPS position), under "
            "a random name."
        ),
    )
    original_name = models.CharField(
        max_length=255,
        blank=True,
        editable=False,
        help_text=_(
            "The uploaded file's own name, kept for the library; never part of an address."
        ),
        verbose_name=_("original name"),
    )
    description = models.CharField(
        "alt text",
        max_length=250,
        help_text=_(
            "What the picture shows, for readers who cannot see it: the figure's alt "
            "text. The library's search finds pictures by it."
        ),
    )
    caption = models.CharField(
        max_length=500,
        blank=True,
        help_text=_("Printed under the picture wherever it is shown."),
        verbose_name=_("caption"),
    )
    credit = models.CharField(
        max_length=200,
        blank=True,
        help_text=_(
            "Who took the picture or where it comes from (“Lâm Tùng/ĐBP”, “VNA”): printed "
            "after the caption as “Photo: …”."
        ),
        verbose_name=_("credit"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    image_focal_x = focal_field("x")
    image_focal_y = focal_field("y")
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("library picture")
        verbose_name_plural = _("library pictures")
        constraints = focal_constraints("bodyimage")

    def __str__(self):
        return self.description

    def save(self, *args, **kwargs):
        if self.image and not self.image._committed:
            self.original_name = str(self.image.name or "")[-255:]
        super().save(*args, **kwargs)
