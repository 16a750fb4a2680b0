from django.conf import settings
from django.db import models

from core.models import NFCTextModel


class BodyImage(NFCTextModel):
    """A picture uploaded for use inside an article's body (placed as a figure with caption)."""

    image = models.ImageField(upload_to="body/%Y/%m/")
    description = models.CharField(
        max_length=250, help_text="What the picture shows; use it as the figure's alt text."
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = "body image"

    def __str__(self):
        return self.description
