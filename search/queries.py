"""Reader search over published articles: accent- and case-insensitive, best match first.

Matching. Both sides are folded by `core.text` (the stored documents in Article.save(), the
query here), so "dien bien", "DIỆN BIÊN" and "Điện Biên" find the same stories. A term
matches a word that starts with it (a term of one or two letters, a whole word: "Lê" is not
"Leading"), or one of its variants (core.text.SearchTerm: the English stem, "teachers" ->
"teacher"; a number in thousands, "3500" -> "3,500"); every term must match somewhere in the
article. On PostgreSQL the match is a full-text query on the GIN-indexed search vector;
elsewhere it is the same rule as LIKE over the folded columns (ArticleQuerySet.with_words).

Ranking, identical on every database because it is computed here, on one rule (rank_key):
  1. more terms spelt in the headline or lead exactly as typed, accents included ("Phủ"
     above "Phú" and "phụ nữ"; the body is not read for this: it would cost a search
     reading every candidate's text);
  2. the terms as a phrase in the headline, then as a phrase in the lead or body
     ("Dien Bien Phu": "Điện Biên Phủ honours its teachers" above a story with the three
     words scattered);
  3. per term, a headline hit counts 4, a lead hit 2, a body hit 1;
  4. newest first.

Speed. A common term ("dien bien") matches thousands of stories. Only the newest
CANDIDATES matches are read and ranked, found newest first along the publication-time
index, so a search costs the same however many stories match; past CANDIDATES the count is
an estimate ("about 16,000"), from the share of the newest stories that match. A reader
therefore sees the best of the newest CANDIDATES matches: for a rare term, every match.
"""

import json
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.search import SearchQuery
from django.db import connections, router
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.models import SEARCH_CONFIG, Article
from core.text import SearchTerm, fold_case, match_spans, search_terms

# A common term is looked for among this many of the newest stories first, read newest first
# until CANDIDATES match; only if fewer match there is the whole archive searched, through
# the GIN index (the planner cannot tell a common term from a rare one: it takes "dien bien
# phu" for three independent words and would read every match through the index).
RECENT_WINDOW = 2000
# How many of the newest matches are ranked. Raising it ranks deeper into the archive at a
# cost per search that grows with it (see bench/results.md).
CANDIDATES = 100
# Points per term for the field it is found in: title beats lead beats body.
FIELD_WEIGHTS = {"search_title": 4, "search_lead": 2, "search_body": 1}
# What ranking reads of each candidate: the folded documents and the text as written.
RANKED_FIELDS = ("pk", "published_at", "title", "lead", *FIELD_WEIGHTS)


def query_terms(query: str | None) -> list[SearchTerm]:
    """The folded terms of a raw query string, within the configured limits."""
    return search_terms(
        query or "",
        max_length=settings.NEWSROOM_SEARCH_MAX_QUERY_LENGTH,
        max_terms=settings.NEWSROOM_SEARCH_MAX_TERMS,
    )


def _as_terms(terms) -> list[SearchTerm]:
    return [t if isinstance(t, SearchTerm) else SearchTerm(t) for t in terms]


def _tsquery(terms: list[SearchTerm]) -> str:
    """The raw tsquery of `terms`: letters and digits only (core.text.search_words), so they
    are safe operands."""

    def spelling(words, whole):
        if len(words) > 1:
            return " <-> ".join(words)
        return words[0] if whole else f"{words[0]}:*"

    return " & ".join(
        "(" + " | ".join(spelling(words, term.whole) for words in term.spellings) + ")"
        for term in terms
    )


def matching_articles(terms) -> QuerySet[Article]:
    """Published articles matching every term, newest first. No terms, no results."""
    terms = _as_terms(terms)
    articles = Article.objects.published()
    if not terms:
        return articles.none()
    if connections[router.db_for_read(Article)].vendor == "postgresql":
        articles = articles.filter(
            search_vector=SearchQuery(_tsquery(terms), search_type="raw", config=SEARCH_CONFIG)
        )
    else:
        articles = articles.with_words(terms)
    return articles.order_by("-published_at", "-pk")


def _needles(term: SearchTerm) -> list[str]:
    """What a padded folded document (core.text.search_document) contains where it has a
    word `term` matches."""
    return [
        " " + " ".join(words) + (" " if term.whole or len(words) > 1 else "")
        for words in term.spellings
    ]


def _phrase(terms: list[SearchTerm]) -> str | None:
    if len(terms) < 2:
        return None
    return " " + " ".join(terms) + (" " if terms[-1].whole else "")


def rank_key(article: Article, terms: list[SearchTerm]) -> tuple:
    """The sort key of a matching article, higher first (see the module's docstring)."""
    fields = {name: getattr(article, name) for name in FIELD_WEIGHTS}
    written = None
    exact = 0
    for term in terms:
        if term.exact is None:
            continue
        if written is None:
            written = fold_case(f"{article.title} {article.lead}")
        if re.search(rf"(?<![^\W_]){re.escape(term.exact)}", written):
            exact += 1
    phrase = _phrase(terms)
    in_title = bool(phrase) and phrase in fields["search_title"]
    elsewhere = bool(phrase) and (
        phrase in fields["search_lead"] or phrase in fields["search_body"]
    )
    points = sum(
        weight
        for term in terms
        for name, weight in FIELD_WEIGHTS.items()
        if any(needle in fields[name] for needle in _needles(term))
    )
    return (exact, in_title, elsewhere, points, article.published_at, article.pk)


@dataclass
class SearchResults:
    """The ranked matches (up to CANDIDATES), and how many articles match in all."""

    ranked: list[Article]
    count: int
    estimated: bool

    @property
    def complete(self) -> bool:
        """Whether every match was ranked (else only the newest len(ranked) were)."""
        return self.count <= len(self.ranked)

    def __iter__(self):
        return iter(self.ranked)

    def __len__(self):
        return len(self.ranked)


def _estimated_count(matched: int, oldest) -> int:
    """How many published articles match, from how densely the newest ones do: `matched`
    of the articles published since `oldest` match, so about that share of all of them
    does. Two cheap reads: a count along the publication-time index over the span the
    candidates cover, and the planner's estimate of all published articles."""
    published = Article.objects.published()
    span = published.filter(published_at__gte=oldest).count()
    plan = json.loads(published.values("pk").explain(format="json"))
    total = max(int(plan[0]["Plan"]["Plan Rows"]), span)
    return round(matched * total / max(span, 1))


def _newest_matches_in_postgresql(matches: QuerySet, terms: list[SearchTerm], limit: int):
    """The ids of the newest `limit` matches: first among the RECENT_WINDOW newest published
    stories, read newest first (a common term stops early), else through the GIN index."""
    recent = (
        Article.objects.published()
        .order_by("-published_at", "-pk")
        .values("pk", "published_at", "search_vector")[:RECENT_WINDOW]
    )
    sql, params = recent.query.sql_with_params()
    with connections[matches.db].cursor() as cursor:
        cursor.execute(
            f"SELECT recent.pk FROM ({sql}) AS recent "
            "WHERE recent.search_vector @@ to_tsquery(%s::regconfig, %s) "
            "ORDER BY recent.published_at DESC, recent.pk DESC LIMIT %s",
            [*params, SEARCH_CONFIG, _tsquery(terms), limit],
        )
        ids = [row[0] for row in cursor.fetchall()]
    if len(ids) == limit:
        return ids
    return list(matches.values_list("pk", flat=True)[:limit])


def _ranked_in_postgresql(candidates: list[int], terms: list[SearchTerm]) -> list[tuple]:
    """rank_key computed by PostgreSQL over the candidates: (pk, published_at), best first.
    The phrase and field tests read the weighted search vector (title A, lead B, body C);
    only a term typed with accents reads the headline and lead as written."""

    def has(tsquery: str):
        return Q(search_vector=SearchQuery(tsquery, search_type="raw", config=SEARCH_CONFIG))

    def points(condition, value):
        return Case(
            When(condition, then=Value(value)), default=Value(0), output_field=IntegerField()
        )

    def weighted(term: SearchTerm, weight: str) -> str:
        return (
            "("
            + " | ".join(
                " <-> ".join(f"{w}:{weight}" for w in words)
                if len(words) > 1
                else (f"{words[0]}:{weight}" if term.whole else f"{words[0]}:*{weight}")
                for words in term.spellings
            )
            + ")"
        )

    zero = Value(0, output_field=IntegerField())
    exact = sum(
        (
            points(Q(title__iregex=pattern) | Q(lead__iregex=pattern) | Q(body__iregex=pattern), 1)
            for term in terms
            if term.exact
            # The exact spelling is letters and digits only (core.text.search_words).
            for pattern in [rf"(^|[^[:alnum:]_]){term.exact}"]
        ),
        start=zero,
    )
    if len(terms) > 1:

        def phrase(weights: str) -> str:
            *head, last = terms
            tail = f"{last}:{weights}" if last.whole else f"{last}:*{weights}"
            return " <-> ".join([*(f"{t}:{weights}" for t in head), tail])

        in_title = points(has(phrase("A")), 1)
        elsewhere = points(has(phrase("BC")), 1)
    else:
        in_title = elsewhere = zero
    field_points = sum(
        (
            points(has(weighted(term, weight)), value)
            for term in terms
            for weight, value in (("A", 4), ("B", 2), ("C", 1))
        ),
        start=zero,
    )
    ranked = (
        Article.objects.filter(pk__in=candidates)
        .alias(exact=exact, in_title=in_title, elsewhere=elsewhere, points=field_points)
        .order_by("-exact", "-in_title", "-elsewhere", "-points", "-published_at", "-pk")
    )
    return list(ranked.values_list("pk", "published_at"))


def search_articles(terms) -> SearchResults:
    """Published articles matching every term, best first (see rank_key), ranked among
    the newest CANDIDATES matches. The articles carry only their pk: read the page shown."""
    terms = _as_terms(terms)
    matches = matching_articles(terms)
    if connections[matches.db].vendor == "postgresql":
        ids = _newest_matches_in_postgresql(matches, terms, CANDIDATES + 1)
        ranked = _ranked_in_postgresql(ids, terms)
        count, estimated = len(ranked), False
        if count > CANDIDATES:
            # One more than CANDIDATES was read only to learn that there are more: leave
            # out the oldest, so what is ranked is exactly the newest CANDIDATES.
            oldest = min(ranked, key=lambda row: (row[1], row[0]))
            ranked.remove(oldest)
            estimate = _estimated_count(CANDIDATES + 1, oldest[1])
            count, estimated = max(estimate, CANDIDATES + 1), True
        articles = [Article(pk=pk, published_at=at) for pk, at in ranked]
        return SearchResults(ranked=articles, count=count, estimated=estimated)
    candidates = list(matches.only(*RANKED_FIELDS)[: CANDIDATES + 1])
    count, estimated = len(candidates), False
    if count > CANDIDATES:
        candidates = candidates[:CANDIDATES]
        count = matches.count()
    candidates.sort(key=lambda article: rank_key(article, terms), reverse=True)
    return SearchResults(ranked=candidates, count=count, estimated=estimated)


def about(count: int) -> int:
    """An estimated count as a reader is told it: two significant figures (16,437 -> 16,000)."""
    digits = len(str(count))
    return round(count, 2 - digits) if digits > 2 else count


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
