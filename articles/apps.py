from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"

    def ready(self):
        from articles.models import (
            Article,
            ArticleAuthor,
            Author,
            Correction,
            HomePick,
            Tag,
            TaggedArticle,
        )
        from articles.signals import connect_cache_invalidation
        from sections.models import Section

        connect_cache_invalidation(
            Article,
            ArticleAuthor,
            Author,
            Correction,
            HomePick,
            Tag,
            TaggedArticle,
            Section,
            m2m_through=[Article.tags.through, Article.authors.through],
        )
