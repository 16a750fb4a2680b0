from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"

    def ready(self):
        from articles import models
        from articles.signals import connect_cache_invalidation
        from sections.models import Section

        # What readers see: saving or deleting any of these refreshes the cached pages.
        connect_cache_invalidation(
            models.Article,
            models.ArticleAuthor,
            models.Author,
            models.Correction,
            models.HomePick,
            models.Tag,
            models.TaggedArticle,
            Section,
            m2m_through=[models.Article.tags.through, models.Article.authors.through],
        )
