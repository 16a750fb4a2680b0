"""Form pieces for pictures in the admin: the focal point picker."""

from django import forms
from django.urls import reverse

from pictures.focal import CENTRE
from pictures.renditions import rendition


class FocalPointInput(forms.NumberInput):
    """One axis of a focal point, in per cent. The number stays a field of its own (typed,
    or changed with the arrow keys); static/admin/js/focal_point.js adds the picture to
    click on and a preview of the crops beside it."""

    class Media:
        js = ["admin/js/focal_point.js"]
        css = {"all": ["admin/css/newsroom.css"]}

    def __init__(self, axis: str, image_field: str = "image"):
        super().__init__(
            attrs={
                "min": 0,
                "max": 100,
                "step": 1,
                "class": "focal-input",
                "data-focal-axis": axis,
                "data-focal-for": image_field,
            }
        )


def focal_widgets(image_field: str = "image") -> dict[str, FocalPointInput]:
    """The widgets of a ModelForm's focal point fields beside the picture `image_field`."""
    return {f"{image_field}_focal_{axis}": FocalPointInput(axis, image_field) for axis in "xy"}


class FocalPointFormMixin:
    """A ModelForm with a picture and its focal point: the picker shows the stored picture
    (its uncropped column rendition, not the full upload); a newly chosen file is shown from
    the browser before it is sent."""

    focal_image_field = "image"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self._focal_names():
            # Left out or emptied, the point is the centre (or stays where it was).
            self.fields[name].required = False
        name = f"{self.focal_image_field}_focal_x"
        image = getattr(self.instance, self.focal_image_field, None)
        if name in self.fields and image:
            preview = rendition(image, "column")
            if preview is not None:
                self.fields[name].widget.attrs["data-focal-src"] = preview.url

    def _focal_names(self) -> list[str]:
        names = (f"{self.focal_image_field}_focal_{axis}" for axis in "xy")
        return [name for name in names if name in self.fields]

    def clean(self):
        cleaned = super().clean()
        for name in self._focal_names():
            if name in cleaned and cleaned[name] is None:
                cleaned[name] = CENTRE[0]
        return cleaned


class LibraryPictureInput(forms.HiddenInput):
    """The library picture chosen for a picture field (its primary key). The chooser
    (static/admin/js/picture_chooser.js) is opened by a button beside the file field; the
    same page's body editor finds the chooser's address here too (data-picture-chooser)."""

    class Media:
        js = ["admin/js/picture_chooser.js"]
        css = {"all": ["admin/css/newsroom.css"]}

    def __init__(self, image_field: str = "image"):
        super().__init__(attrs={"data-library-for": image_field})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-picture-chooser"] = reverse(
            "admin:pictures_bodyimage_chooser"
        )
        return context
