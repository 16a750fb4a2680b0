"""Translatable names for this app's models and for the fields declared without one, as the
admin shows them (in English the same words Django derives from the names).

They are set on the models' options when the app is ready rather than written into the
models, because this app's migrations are being changed elsewhere: Django's migration state
reads only what a model declares (Meta's own attributes, a field's declared verbose_name),
so these names need no migration. When the app's migrations settle, they can move into the
models with one migration that changes nothing in the database."""

from django.utils.translation import gettext_lazy as _

MODEL_NAMES = {
    "Article": (_("article"), _("articles")),
    "Author": (_("author"), _("authors")),
    "Series": (_("series"), _("series")),
    "ArticleAuthor": (_("article author"), _("article authors")),
    "Correction": (_("correction"), _("corrections")),
}

FIELD_NAMES = {
    "Article": {
        "title": _("title"),
        "slug": _("slug"),
        "lead": _("lead"),
        "body": _("body"),
        "section": _("section"),
        "image": _("image"),
        "image_alt": _("image alt"),
        "image_caption": _("image caption"),
        "image_credit": _("image credit"),
        "status": _("status"),
        "published_at": _("published at"),
        "unpublish_at": _("unpublish at"),
        "first_published_at": _("first published at"),
        "needs_headline": _("needs headline"),
        "series": _("series"),
        "created": _("created"),
        "updated": _("updated"),
        "created_by": _("created by"),
        "version": _("version"),
        "return_reason": _("return reason"),
        "authors": _("authors"),
    },
    "Author": {
        "name": _("name"),
        "slug": _("slug"),
        "position": _("position"),
        "user": _("user"),
    },
    "Series": {
        "name": _("name"),
        "slug": _("slug"),
        "description": _("description"),
        "created": _("created"),
    },
    "ArticleAuthor": {"article": _("article"), "author": _("author"), "order": _("order")},
    "Correction": {
        "article": _("article"),
        "text": _("text"),
        "created": _("created"),
        "by": _("by"),
    },
}


def apply(models) -> None:
    """Give `models` (this app's, by class name) the names above."""
    for name, (singular, plural) in MODEL_NAMES.items():
        options = models[name]._meta
        options.verbose_name, options.verbose_name_plural = singular, plural
    for name, fields in FIELD_NAMES.items():
        for field, label in fields.items():
            models[name]._meta.get_field(field).verbose_name = label
