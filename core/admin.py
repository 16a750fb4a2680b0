"""What every app's admin shares and that knows no newsroom model."""

from django import forms
from django.urls import reverse


class SlugFromMixin:
    """Proposes a slug while its source field is typed, made by the server's own rule
    (core.text.slugify_vi, asked at core.views.slug_for), instead of Django's urlify.js,
    which drops Vietnamese letters ("Điện Biên Phủ" -> "djin-bien-ph").

    `slug_from`: slug field name -> the field it is made from. Like Django's prepopulated
    fields, a slug already there (an existing article's) is never changed by typing."""

    slug_from: dict[str, str] = {}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        source = self.slug_from.get(db_field.name)
        if field is not None and source:
            field.widget.attrs.update(
                {"data-slug-from": f"id_{source}", "data-slug-url": reverse("admin-slug")}
            )
        return field

    @property
    def media(self):
        return super().media + forms.Media(js=["admin/js/slug_field.js"])
