"""Finding articles by the words of a query on PostgreSQL: which read the planner should make.

ArticleQuerySet.matching is the filter (the folded documents' search vector, GIN-indexed).
Asked for a page of matches in some order with a LIMIT, the planner may walk an ordering
index and test each story's search vector until the page is full: fine for a common term,
whose matches come soon, but for a word few stories have (a typo) that reads every story
(0.8 s at 100,000 for the reader's search, 1.1 s for the admin's). The planner's choice
comes from its word statistics; the same statistics, read here once in a while, tell the
callers when to look the matches up in the GIN index first instead. Reader search
(search.queries) and the article admin's search (editorial.admin) both decide by them.
"""

import json
import math
import time

from django.db import connections, transaction
from django.db.models import QuerySet

from articles.models import Article, needed_spellings
from core.text import SearchTerm


def _as_terms(terms) -> list[SearchTerm]:
    return [t if isinstance(t, SearchTerm) else SearchTerm(t) for t in terms]


def planned_rows(articles: QuerySet) -> int:
    """How many rows the planner expects `articles` to have (an EXPLAIN, nothing run)."""
    plan = json.loads(articles.order_by().values("pk").explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])


# PostgreSQL's statistics of the search vectors' words are read at most this often per
# process (they change when ANALYZE runs).
STATISTICS_SECONDS = 300
# PostgreSQL's share for a word its statistics do not know (src/include/tsearch/ts_type.h).
DEFAULT_TS_MATCH_SEL = 0.005
_statistics: dict[str, tuple] = {}


def word_statistics(db: str) -> tuple[dict[str, float], float, float] | None:
    """The commonest words of the search vectors with the share of stories that have each,
    as ANALYZE sampled them; the least of those shares; and the table's row count. None
    before the table was analysed."""
    now = time.monotonic()
    kept = _statistics.get(db)
    if kept is None or now - kept[0] > STATISTICS_SECONDS:
        with connections[db].cursor() as cursor:
            cursor.execute(
                "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples "
                "FROM pg_class c LEFT JOIN pg_stats s ON s.schemaname = current_schema() "
                "AND s.tablename = c.relname AND s.attname = 'search_vector' "
                "WHERE c.oid = %s::regclass",
                [Article._meta.db_table],
            )
            words, shares, rows = cursor.fetchone()
        known = None
        if words and shares and rows and rows > 0:
            # The shares are followed by their least and greatest (tsvector statistics).
            known = (dict(zip(words, shares, strict=False)), shares[len(words)], rows)
        kept = _statistics[db] = (now, known)
    return kept[1]


def forget_statistics() -> None:
    """Read the word statistics afresh at the next search (after an ANALYZE, in tests)."""
    _statistics.clear()


def expected_matches(matches: QuerySet, terms: list[SearchTerm]) -> float:
    """How many stories the planner expects to match `terms`, by its own rule for a
    full-text query (PostgreSQL's tsquery_opr_selec: a word it has no statistics for, half
    the least share it knows but at most DEFAULT_TS_MATCH_SEL; a prefix, the shares of the
    words it knows that start with it; words independent), from statistics read once in a
    while rather than an EXPLAIN in every search. It decides only which read comes first."""
    return expected_matches_in(matches.db, terms, lambda: matches)


def expected_matches_in(db: str, terms: list[SearchTerm], matches) -> float:
    """expected_matches() in database `db`, `matches()` giving the queryset of the matches
    only if there are no statistics (it is then EXPLAINed): a search that finds them needs
    no queryset built for its estimate."""
    known = word_statistics(db)
    if known is None:
        return planned_rows(matches())
    shares, least, rows = known
    unknown = min(DEFAULT_TS_MATCH_SEL, least / 2)

    def share(word: str, prefix: bool) -> float:
        if prefix:
            found = sum(f for lexeme, f in shares.items() if lexeme.startswith(word))
            return min(1.0, max(found, unknown))
        return shares.get(word, unknown)

    expected = rows
    for term in terms:
        missed = 1.0
        for words in needed_spellings(term):
            spelt = 1.0
            for word in words:
                spelt *= share(word, prefix=len(words) == 1 and not term.whole)
            missed *= 1 - spelt
        expected *= 1 - missed
    return expected


def every_match_newest_first(matches: QuerySet, limit: int) -> list[tuple]:
    """(pk, published_at) of the newest `limit` of every match, found through the GIN index
    and then sorted. Asked for newest first with a LIMIT, the planner may instead walk the
    publication-time index and test each story's search vector until `limit` match: for a
    word no story has (a typo) that reads every story, 0.8 s at 100,000. Found first
    (MATERIALIZED), the matches are read through the index whatever the planner expects."""
    sql, params = matches.order_by().values_list("pk", "published_at").query.sql_with_params()
    with connections[matches.db].cursor() as cursor:
        cursor.execute(
            f"WITH found AS MATERIALIZED ({sql}) "
            "SELECT pk, published_at FROM found ORDER BY published_at DESC, pk DESC LIMIT %s",
            [*params, limit],
        )
        return cursor.fetchall()


def index_lookup(matches: QuerySet, limit: int, *fields: str) -> list[tuple]:
    """`fields` (the pk alone by default) of at most `limit` of `matches`, in no order,
    found through the GIN index (MATERIALIZED: planned without the LIMIT, so not by walking
    another index until `limit` match)."""
    fields = fields or ("pk",)
    sql, params = matches.order_by().values_list(*fields).query.sql_with_params()
    with connections[matches.db].cursor() as cursor:
        cursor.execute(
            f"WITH found AS MATERIALIZED ({sql}) SELECT * FROM found LIMIT %s", [*params, limit]
        )
        return cursor.fetchall()


def has_rare_term(db: str, terms) -> bool:
    """Whether some term is spelt only with words the statistics do not count among the
    commonest (a typo, a name): fewer stories have each than the least common of those, so
    the GIN index finds the term's matches from short lists, however many stories the
    planner's default guess for an unknown word (DEFAULT_TS_MATCH_SEL) makes of them."""
    known = word_statistics(db)
    if known is None:
        return False
    shares = known[0]

    def listed(word: str, prefix: bool) -> bool:
        if prefix:
            return any(lexeme.startswith(word) for lexeme in shares)
        return word in shares

    return any(
        all(
            any(not listed(word, prefix=len(words) == 1 and not term.whole) for word in words)
            for words in needed_spellings(term)
        )
        for term in _as_terms(terms)
    )


def matching_through_index(articles: QuerySet, terms, *, page: int) -> QuerySet:
    """`articles.matching(terms)`, to be read a `page` of rows at a time in any order. On
    PostgreSQL, a term reader search would look up in the GIN index first (the statistics
    expect fewer than `page` matches, or it is spelt with words they do not list: a typo, a
    name) has its pks looked up there once, so that the page, its count and whatever else
    is asked of them read those rows alone; at most sqrt(page x stories) of them, the point
    past which walking an ordering index to fill a page (about page x stories / matches
    rows) reads fewer rows than the lookup. Any other term, or one with more matches after
    all (one bounded read lost), keeps the filter: the walk finds a page soon."""
    terms = _as_terms(terms)
    matches = articles.matching(terms)
    if not terms or connections[articles.db].vendor != "postgresql":
        return matches
    every = Article.objects.using(articles.db).matching(terms)
    if expected_matches(every, terms) >= page and not has_rare_term(articles.db, terms):
        return matches
    known = word_statistics(articles.db)
    stories = known[2] if known is not None else planned_rows(Article.objects.using(articles.db))
    at_most = max(page, math.isqrt(int(page * stories)))
    found = [pk for (pk,) in index_lookup(every, at_most + 1)]
    if len(found) > at_most:
        return matches
    return articles.filter(pk__in=found)


def count_through_index(matches: QuerySet) -> int:
    """`matches.count()`, on PostgreSQL read through the GIN index however many stories
    match. The planner prices testing a story's search vector as one operator and not the
    vector's read from its out-of-line (TOAST) storage, so for a common word it counts by
    reading every story's vector (0.31 s at 100,000 stories for "teacher", 13,754
    matches) rather than the index's bitmap of the matches (0.09 s): the sequential scan
    is refused for this one statement (local to its transaction, and put back when it returns)."""
    if connections[matches.db].vendor != "postgresql":
        return matches.count()
    with transaction.atomic(using=matches.db), connections[matches.db].cursor() as cursor:
        cursor.execute("SELECT current_setting('enable_seqscan')")
        before = cursor.fetchone()[0]
        cursor.execute("SELECT set_config('enable_seqscan', 'off', true)")
        try:
            return matches.count()
        finally:
            cursor.execute("SELECT set_config('enable_seqscan', %s, true)", [before])
