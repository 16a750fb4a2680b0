"""Choosing stories: reads that take more than a queryset. Views call these and stay thin."""

from functools import lru_cache

from django.db import connection
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from articles.models import Article, TaggedArticle
from core.prepared import STAND_IN_TIME, PreparedQuery, StandInList

# Related stories are ranked among this many of the newest stories sharing a tag, so the
# cost stays bounded however many articles carry a common tag.
RELATED_CANDIDATES = 100


def related_articles(*, article: Article, limit: int) -> list[Article]:
    """Published stories sharing the most tags with `article` (newest first among equals),
    then the newest of its section; never `article` itself. One query, whatever the data,
    through a statement built once per connection (core.prepared) for each number of tags."""
    tag_ids = [tag.pk for tag in article.tags.all()]
    values = {"article_id": article.pk, "section_id": article.section_id, "at": timezone.now()}
    if tag_ids:
        values["tag_ids"] = tag_ids
    return _related(limit, RELATED_CANDIDATES, bool(tag_ids)).all(**values)


@lru_cache(maxsize=16)
def _related(limit: int, candidates: int, tagged: bool) -> PreparedQuery:
    stand_ins = {"article_id": -1_000_001, "section_id": -1_000_002, "at": STAND_IN_TIME}
    if tagged:
        stand_ins["tag_ids"] = StandInList(-2_000_001)
    return PreparedQuery(
        Article,
        lambda **values: related_queryset(**values, limit=limit, candidates=candidates),
        **stand_ins,
    )


def related_queryset(
    *, article_id: int, section_id: int, at, limit: int, candidates: int, tag_ids=()
) -> QuerySet:
    """The queryset of related_articles(): published at `at`, sharing one of `tag_ids`.

    The candidates are the newest `limit` of its section and the newest `candidates` rows
    sharing a tag; each is read with its count of shared tags (a subquery on the tag rows'
    unique index) and the statement orders and limits them: no grouping of a join and no
    second level of IN, which cost PostgreSQL more to plan than to run."""
    others = Article.objects.published(at=at).exclude(pk=article_id)
    same_section = others.filter(section=section_id).order_by("-published_at", "-pk")
    if not tag_ids:
        return same_section.for_listing(counts=False).annotate(shared_tags=Value(0))[:limit]
    same_section = same_section.values("pk")[:limit]
    sharing = others.filter(tags__in=tag_ids).order_by("-published_at", "-pk")
    sharing = sharing.values("pk")[:candidates]
    if connection.features.supports_slicing_ordering_in_compound:
        # One IN over a UNION ALL: PostgreSQL runs both small index scans. Two INs joined
        # by OR made it filter every published article (0.4 s at 100,000 articles).
        chosen = Q(pk__in=same_section.union(sharing, all=True))
    else:
        # SQLite cannot limit inside a compound query.
        chosen = Q(pk__in=same_section) | Q(pk__in=sharing)
    shared = Subquery(
        TaggedArticle.objects.filter(content_object=OuterRef("pk"), tag__in=tag_ids)
        .order_by()
        .values("content_object")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Article.objects.filter(chosen)
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
