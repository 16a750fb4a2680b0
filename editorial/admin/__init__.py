"""The article admin: the model admin and inlines (article), its forms, its list filters and
its workflow pages (views)."""

from editorial.admin.article import ArticleAdmin

__all__ = ["ArticleAdmin"]
