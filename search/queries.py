"""Reader search over published articles: accent- and case-insensitive, title first.

Both sides are folded by `core.text` (the stored documents in Article.save(), the query
here), so "dien bien", "DIỆN BIÊN" and "Điện Biên" are the same search. A term matches a
word that starts with it; every term must match somewhere in the article. On PostgreSQL the
match is a full-text query on the GIN-indexed search vector; elsewhere it is the same rule
as LIKE over the folded columns. Ranking is identical on both: per term, a title hit counts
4, a lead hit 2, a body hit 1; ties go to the newest.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchQuery
from django.db import connections, router
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.models import SEARCH_CONFIG, Article
from core.text import match_spans, search_terms

# Points per term for the field it is found in: title beats lead beats body.
FIELD_WEIGHTS = {"search_title": 4, "search_lead": 2, "search_body": 1}


def query_terms(query: str | None) -> list[str]:
    """The folded terms of a raw query string, within the configured limits."""
    return search_terms(
        query or "",
        max_length=settings.NEWSROOM_SEARCH_MAX_QUERY_LENGTH,
        max_terms=settings.NEWSROOM_SEARCH_MAX_TERMS,
    )


def search_articles(terms: list[str]) -> QuerySet[Article]:
    """Published articles matching every term, best first. No terms, no results."""
    articles = Article.objects.published()
    if not terms:
        return articles.none()
    if connections[router.db_for_read(Article)].vendor == "postgresql":
        # Terms are letters and digits only (core.text.search_words), so they are safe
        # tsquery operands.
        tsquery = " & ".join(f"{term}:*" for term in terms)
        articles = articles.filter(
            search_vector=SearchQuery(tsquery, search_type="raw", config=SEARCH_CONFIG)
        )
    else:
        articles = articles.with_words(terms)
    score = sum(
        (
            Case(
                When(**{f"{field}__contains": f" {term}"}, then=Value(points)),
                default=Value(0),
                output_field=IntegerField(),
            )
            for term in terms
            for field, points in FIELD_WEIGHTS.items()
        ),
        start=Value(0),
    )
    return articles.annotate(search_score=score).order_by("-search_score", "-published_at", "-pk")


def highlight(text: str, terms: list[str]) -> SafeString:
    """`text` escaped, with the words that match `terms` wrapped in <mark>.

    Matches are found on the folded text and mapped back to the original characters, and
    every piece is escaped before it is wrapped, so nothing in `text` can become markup.
    """
    pieces, position = [], 0
    for start, end in match_spans(text, terms):
        pieces.append(escape(text[position:start]))
        pieces.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    pieces.append(escape(text[position:]))
    return mark_safe("".join(pieces))
