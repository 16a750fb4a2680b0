from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import NFCTextModel
from pictures.fields import PictureField
from pictures.focal import focal_constraints, focal_field


class BodyImage(NFCTextModel):
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
