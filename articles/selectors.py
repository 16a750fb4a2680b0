"""Choosing stories: reads that take more than a queryset. Views call these and stay thin."""

from django.db import connection
from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from articles.models import Article, TaggedArticle

# Related stories are ranked among this many of the newest stories sharing a tag, so the
# cost stays bounded however many articles carry a common tag.
RELATED_CANDIDATES = 100


def related_articles(*, article: Article, limit: int) -> list[Article]:
    """Published stories sharing the most tags with `article` (newest first among equals),
    then the newest of its section; never `article` itself. One query, whatever the data.

    The candidates are the newest `limit` of its section and the newest RELATED_CANDIDATES
    rows sharing a tag; each is read with its count of shared tags (a subquery on the tag
    rows' unique index) and the statement orders and limits them: no grouping of a join
    and no second level of IN, which cost PostgreSQL more to plan than to run."""
    others = Article.objects.published().exclude(pk=article.pk)
    same_section = others.filter(section=article.section_id).order_by("-published_at", "-pk")
    tag_ids = [tag.pk for tag in article.tags.all()]
    if not tag_ids:
        return list(same_section.for_listing(counts=False).annotate(shared_tags=Value(0))[:limit])
    same_section = same_section.values("pk")[:limit]
    sharing = others.filter(tags__in=tag_ids).order_by("-published_at", "-pk")
    sharing = sharing.values("pk")[:RELATED_CANDIDATES]
    if connection.features.supports_slicing_ordering_in_compound:
        # One IN over a UNION ALL: PostgreSQL runs both small index scans. Two INs joined
        # by OR made it filter every published article (0.4 s at 100,000 articles).
        candidates = Q(pk__in=same_section.union(sharing, all=True))
    else:
        # SQLite cannot limit inside a compound query.
        candidates = Q(pk__in=same_section) | Q(pk__in=sharing)
    shared = Subquery(
        TaggedArticle.objects.filter(content_object=OuterRef("pk"), tag__in=tag_ids)
        .order_by()
        .values("content_object")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return list(
        Article.objects.filter(candidates)
        .for_listing(counts=False)
        .annotate(shared_tags=Coalesce(shared, 0))
        .order_by("-shared_tags", "-published_at", "-pk")[:limit]
    )


def series_parts(article) -> list:
    """The parts of `article`'s series a reader may see, in order, for its "Part 2 of 3"
    box: the published parts, with `article` itself among them (a preview of a part not yet
    published shows where it will stand). Empty when the article is in no series."""
    if article.series_id is None:
        return []
    parts = list(
        Article.objects.published()
        .filter(series_id=article.series_id)
        .only("pk", "slug", "title", "series_part")
        .order_by("series_part", "pk")
    )
    if all(part.pk != article.pk for part in parts):
        parts = sorted([*parts, article], key=lambda part: (part.series_part, part.pk))
    return parts
