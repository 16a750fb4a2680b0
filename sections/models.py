from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import NFCTextModel
from core.reversing import reverse_slug
from core.text import slugify_vi


class SectionManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Section(NFCTextModel):
    """A part of the paper (News - Politics, Business, ...), listed in the navigation."""

    name = models.CharField(max_length=80, unique=True, verbose_name=_("name"))
    slug = models.SlugField(
        max_length=80,
        unique=True,
        help_text=_("The section's address: /sections/<slug>/."),
        verbose_name=_("slug"),
    )
    position = models.PositiveSmallIntegerField(
        default=0,
        help_text=_("Order in the navigation bar, smallest first."),
        verbose_name=_("position"),
    )
    description = models.TextField(
        blank=True,
        help_text=_("Shown at the top of the section page."),
        verbose_name=_("description"),
    )

    objects = SectionManager()

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(name=""), name="section_name_not_empty"),
            models.CheckConstraint(condition=~models.Q(slug=""), name="section_slug_not_empty"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify_vi(self.name, max_length=80)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse_slug("sections:detail", self.slug)

    def natural_key(self):
        return (self.slug,)

    @property
    def label(self) -> str:
        """The label printed on cards, in capitals as on the paper's site: "NEWS - POLITICS"."""
        return self.name.upper()
