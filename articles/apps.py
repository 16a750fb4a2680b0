from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = gettext_lazy("Articles")

    def ready(self):
        from articles import labels
        from articles.models import (
            Article,
            ArticleAuthor,
            Author,
            Correction,
            Series,
            Tag,
            TaggedArticle,
        )
        from pagecache.registry import EVERY_ARTICLE, watch, watch_m2m, watch_schedule
        from pictures.access import register_use

        labels.apply({m.__name__: m for m in (Article, ArticleAuthor, Author, Correction, Series)})

        # What readers see of a story: a change refreshes the cached pages, and the story's
        # own kept parts (or every story's, for what they all print).
        watch(Article, articles=lambda article: [article.pk])
        watch(ArticleAuthor, articles=lambda byline: [byline.article_id])
        watch(Correction, articles=lambda correction: [correction.article_id])
        watch(TaggedArticle, articles=lambda tagged: [tagged.content_object_id])
        watch(Author, articles=EVERY_ARTICLE)
        # A series' name and address are printed by its parts (their structured data).
        watch(Series, articles=lambda series: list(series.parts.values_list("pk", flat=True)))
        watch(Tag, articles=EVERY_ARTICLE)
        for through in (Article.tags.through, Article.authors.through):
            watch_m2m(through, articles=articles_of_relation)
        # A scheduled story goes live, or comes down, with no write: cached pages end then.
        watch_schedule(next_publication)
        watch_schedule(next_unpublication)
        # A picture reaches readers once a published story shows it (pictures/access.py).
        register_use(published_articles_showing)


def _first_after(field: str, now):
    """The first value of `field` after `now` among published articles, or None.

    Not public content, so not published(): read where articles are written, since a story
    scheduled a moment ago may not be on a read replica yet."""
    from django.db import router

    from articles.models import Article

    return (
        Article.objects.using(router.db_for_write(Article))
        .filter(status=Article.Status.PUBLISHED, **{f"{field}__gt": now})
        .order_by(field)
        .values_list(field, flat=True)
        .first()
    )


def next_publication(now):
    """When the first scheduled story still to come goes live, or None."""
    return _first_after("published_at", now)


def next_unpublication(now):
    """When the first story scheduled to come down does, or None."""
    return _first_after("unpublish_at", now)


def published_articles_showing(name):
    """Published articles that show the stored picture `name` (a string or an expression):
    as the featured picture, or as a figure in the body (by its address or a rendition's)."""
    from django.db.models import Q

    from articles.models import Article
    from pictures.access import html_shows

    return Article.objects.published().filter(Q(image=name) | html_shows("body", name))


def articles_of_relation(instance, *, reverse, model, pk_set):
    """The articles an add, remove or clear on an article's relation touched: the article
    itself, or (from the other side, tag.article_set.add()) the articles named; every
    article when the other side is cleared."""
    if not reverse:
        return [instance.pk]
    return list(pk_set) if pk_set is not None else None
