"""Reader search over published articles: accent- and case-insensitive, best match first.

Matching. Both sides are folded by `core.text` (the stored documents in Article.save(), the
query here), so "dien bien", "DIỆN BIÊN" and "Điện Biên" find the same stories. A term
matches a word that starts with it (a term of one or two letters, a whole word: "Lê" is not
"Leading"), or one of its variants (core.text.SearchTerm: the English stem, "teachers" ->
"teacher"; a number in thousands, "3500" -> "3,500"); every term must match somewhere in the
article (ArticleQuerySet.matching, which the admin's search uses too): on PostgreSQL a
full-text query on the GIN-indexed search vector; elsewhere the same rule as LIKE over the
folded columns (ArticleQuerySet.with_words).

Ranking, identical on every database because it is computed here, on one rule (rank_key):
  1. more terms spelt in the headline or lead exactly as typed, accents included ("Phủ"
     above "Phú" and "phụ nữ"; the body is not read for this: it would cost a search
     reading every candidate's text);
  2. the terms as a phrase in the headline, then as a phrase in the lead or body
     ("Dien Bien Phu": "Điện Biên Phủ honours its teachers" above a story with the three
     words scattered);
  3. per term, a headline hit counts 4, a lead hit 2, a body hit 1;
  4. newest first.

Speed. A common term ("dien bien") matches thousands of stories; reading and ranking all
of them costs a search time that grows with the archive. So a search ranks a bounded set
of candidates, each read once:
  - the newest CANDIDATES matches, found newest first along the publication-time index;
  - unless those already fill a page with stories whose headline and lead reach the best
    any can (every exact spelling, the phrase, every term in both), the HEADLINE_CANDIDATES
    stories of the newest WINDOW (of every match, for a term the newest stories rarely
    have) that rank highest on the headline and lead alone (rules 1 and 2, and rule 3
    without the body), read from the short folded headline and lead columns only: each
    process reads those of the newest WINDOW stories once per site version and keeps them
    (_kept_window), so a search tests them without reading a row (with kept parts off,
    NEWSROOM_FRAGMENT_CACHE, the statement _best_placed reads them).
A rare term (at most CANDIDATES matches) has every match ranked and counted; past that the
count is an estimate ("about 16,000"), from the share of the newest stories that match.
Every match of a term the newest stories lack is found through the GIN index before it is
sorted (articles.searching.every_match_newest_first), never by walking the archive newest first. On
PostgreSQL the ranking statement also reads what the page's results print of each
candidate, and each result's item is kept per version of what it prints
(search/templatetags/search_tags.py): only its highlighted headline and lead are made per
query.
The first page is therefore the one ranking every match would give whenever its stories
are among the newest CANDIDATES matches or are the headline-and-lead best of the newest
WINDOW stories; what it can miss is an older story that wins on its body alone, or a story
older than the newest WINDOW that outranks them (bench/results.md compares the first
pages with ranking every match at 100,000 stories).
"""

import functools
import heapq
import re
import threading
from array import array
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import escape as html_escape

from django.conf import settings
from django.db import connections, router
from django.db.models import Case, IntegerField, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from articles.models import SEARCH_CONFIG, Article, search_tsquery
from articles.searching import (
    every_match_newest_first,
    expected_matches_in,
    has_rare_term,
    index_lookup,
)
from core.prepared import STAND_IN_TIME, PreparedSQL
from core.routers import reads_as_new_as
from core.text import SearchTerm, fold_case, match_spans, search_terms
from pagecache.versions import site_version
from sections.models import Section

# A common term is looked for among this many of the newest stories, read newest first
# until CANDIDATES match; if fewer match there, the whole archive is searched through the
# GIN index. Only a term the planner expects to be rare goes to the index first: it takes
# "dien bien phu" for three independent words, so its estimate cannot be trusted further.
RECENT_WINDOW = 2000
# How many of the newest matches are ranked. Raising it ranks deeper into the archive at a
# cost per search that grows with it (see bench/results.md).
CANDIDATES = 100
# The newest stories in which a common term's best-placed matches are looked for, on the
# folded headline and lead (short columns stored in the row), and how many of them join
# the candidates: more than a page, so that the body's points can reorder them.
WINDOW = 6000
HEADLINE_CANDIDATES = 24
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


def matching_articles(terms) -> QuerySet[Article]:
    """Published articles matching every term, newest first. No terms, no results."""
    return Article.objects.published().matching(_as_terms(terms)).order_by("-published_at", "-pk")


def _needles(term: SearchTerm) -> list[str]:
    """What a padded folded document (core.text.search_document) contains where it has a
    word `term` matches. A needle that another one starts is left out: a document with
    " teachers" has " teacher" too, so one test does for both."""
    needles = [
        " " + " ".join(words) + (" " if term.whole or len(words) > 1 else "")
        for words in term.spellings
    ]
    return [
        needle
        for needle in needles
        if not any(other != needle and needle.startswith(other) for other in needles)
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


# Microseconds since the epoch of a publication time, as the ranking statement reads it:
# an integer is read (and sorted) for a fraction of what a timestamp turned into a
# datetime costs, and a page shows a dozen of the hundred or so candidates ranked.
_MICROSECONDS = "(extract(epoch FROM a.published_at) * 1000000)::bigint"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _as_time(at):
    """A publication time read as _MICROSECONDS as the datetime it stands for."""
    return _EPOCH + timedelta(microseconds=at) if isinstance(at, int) else at


class _Ranked(Sequence):
    """The ranked (pk, published_at) pairs as articles that carry only those two fields,
    made when read: a page reads a dozen of the hundred or so ranked. A publication time
    may be kept as _MICROSECONDS (PostgreSQL's ranking)."""

    def __init__(self, rows: list[tuple]):
        self.rows = rows

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [Article(pk=pk, published_at=_as_time(at)) for pk, at in self.rows[index]]
        pk, at = self.rows[index]
        return Article(pk=pk, published_at=_as_time(at))


@dataclass
class SearchResults:
    """The ranked matches (the candidates, best first), and how many articles match."""

    ranked: Sequence[Article]
    count: int
    estimated: bool
    # What a result prints of each ranked article, where ranking read it (PostgreSQL).
    listed: dict[int, tuple] | None = None

    def articles(self, pks: list[int]) -> dict[int, Article]:
        """The ranked articles of `pks` by pk, with what a result prints of them
        (results_page): built from what ranking read, else read now."""
        if self.listed is None:
            return results_page(pks)
        return {pk: _listed_article(self.listed[pk]) for pk in pks if pk in self.listed}

    @property
    def pks(self) -> list[int]:
        """The pks of the ranked matches, best first (no article made)."""
        return [pk for pk, _at in self.ranked.rows]

    @property
    def complete(self) -> bool:
        """Whether every match was ranked (else only the candidates were)."""
        return self.count <= len(self.ranked)

    def __iter__(self):
        return iter(self.ranked)

    def __len__(self):
        return len(self.ranked)


def _estimated_count(matched: int, oldest) -> int:
    """How many published articles match, from how densely the newest ones do: `matched`
    of the articles published since `oldest` match, so about that share of all of them
    does. One cheap read: a count along the publication-time index over the span the
    candidates cover, with the table's row count as PostgreSQL keeps it for the planner
    (drafts included: a few per cent high, under a count rounded to two figures)."""
    span = Article.objects.published().filter(published_at__gte=oldest).values("pk")
    sql, params = span.query.sql_with_params()
    with connections[span.db].cursor() as cursor:
        cursor.execute(
            f"SELECT count(*), (SELECT reltuples FROM pg_class WHERE oid = %s::regclass) "
            f"FROM ({sql}) AS span",
            [Article._meta.db_table, *params],
        )
        covered, rows = cursor.fetchone()
    total = max(int(rows or 0), covered)
    return round(matched * total / max(covered, 1))


# The newest RECENT_WINDOW published stories as _newest_matches_in_postgresql reads them,
# compiled once per connection, the time a parameter.
_recent = PreparedSQL(
    Article,
    lambda at: (
        Article.objects.published(at=at)
        .order_by("-published_at", "-pk")
        .values("pk", "published_at", "search_vector")[:RECENT_WINDOW]
    ),
    shape=lambda: RECENT_WINDOW,
    at=STAND_IN_TIME,
)


def _newest_matches_in_postgresql(db: str, matches, terms: list[SearchTerm], limit: int):
    """(pk, published_at) of the newest `limit` matches, newest first; whether they were
    found among the RECENT_WINDOW newest stories; and, if so, the estimated count (and
    then each published_at is None: the ranking statement reads it, and turning 101
    timestamps into datetimes costs more CPU than the rest of this read).
    `matches()` gives the queryset of every match (matching_articles), built only for the
    reads that need it: a common term's search compiles no queryset.

    A term the planner expects fewer than `limit` stories to match, or one spelt with a
    word its statistics do not list (a typo, "zzyzx"), is first looked up in the GIN index,
    at most `limit` matches: for a rare term ("Sín Thầu") that is every match, sorted.
    Otherwise (or if more match after all) the newest stories are read newest first
    until `limit` match, which also counts the stories they span; a term that few of the
    newest stories have is looked for through the GIN index, every match sorted. The
    planner's estimate decides only which read comes first: it takes "dien bien phu" for
    three independent words, so it may call a common phrase rare, never a rare term common.
    """
    if expected_matches_in(db, terms, matches) < limit or has_rare_term(db, terms):
        # At most `limit` looked up: more, and the newest stories decide as for any term.
        found = index_lookup(matches(), limit, "pk", "published_at")
        if len(found) < limit:
            return sorted(found, key=lambda row: (row[1], row[0]), reverse=True), False, None
    sql, params = _recent.sql_with_params(at=timezone.now())
    with connections[db].cursor() as cursor:
        cursor.execute(
            "SELECT pk, n, "
            "(SELECT reltuples FROM pg_class WHERE oid = %s::regclass) FROM ("
            "SELECT recent.*, row_number() OVER (ORDER BY published_at DESC, pk DESC) AS n "
            f"FROM ({sql}) AS recent) AS numbered "
            "WHERE search_vector @@ to_tsquery(%s::regconfig, %s) "
            "ORDER BY published_at DESC, pk DESC LIMIT %s",
            [Article._meta.db_table, *params, SEARCH_CONFIG, search_tsquery(terms), limit],
        )
        numbered = cursor.fetchall()
    if len(numbered) == limit:
        # `limit` of the `span` newest stories match: about that share of all of them does
        # (the table's row count as PostgreSQL keeps it for the planner, drafts included).
        span, rows = numbered[-1][1], numbered[-1][2]
        estimate = round(limit * max(int(rows or 0), span) / span)
        return [(pk, None) for pk, _n, _rows in numbered], True, estimate
    return every_match_newest_first(matches(), limit), False, None


def _contains_any(field: str, needles: list[str]) -> Q:
    match = Q()
    for needle in needles:
        match |= Q(**{f"{field}__contains": needle})
    return match


def _points(condition, value):
    return Case(When(condition, then=Value(value)), default=Value(0), output_field=IntegerField())


def _exact_pattern(term: SearchTerm, vendor: str) -> str:
    """The regular expression of rank_key's exact spelling: a word starting with it. The
    spelling is letters and digits only (core.text.search_words)."""
    if vendor == "postgresql":
        return rf"(^|[^[:alnum:]_]){term.exact}"
    return rf"(?<![^\W_]){re.escape(term.exact)}"


def _exact_in_headline_or_lead(terms: list[SearchTerm], vendor: str):
    """Rule 1 in SQL: how many terms are spelt in the headline or lead exactly as typed."""
    return sum(
        (
            _points(Q(title__iregex=pattern) | Q(lead__iregex=pattern), 1)
            for term in terms
            if term.exact
            for pattern in [_exact_pattern(term, vendor)]
        ),
        start=Value(0, output_field=IntegerField()),
    )


def _newest_window(db: str) -> QuerySet[Article]:
    """The newest WINDOW published stories. The boundary is read from the (status,
    publication time) index alone: a story unpublished since does not move it."""
    published = Article.objects.using(db).published()
    boundary = (
        Article.objects.using(db)
        .filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())
        .order_by("-published_at")
        .values("published_at")[WINDOW - 1 : WINDOW]
    )
    cutoff = Coalesce(Subquery(boundary), Value(datetime.min.replace(tzinfo=UTC)))
    return published.filter(published_at__gte=cutoff)


def _best_placed(stories: QuerySet[Article], terms: list[SearchTerm]) -> list[int]:
    """The pks of the HEADLINE_CANDIDATES `stories` that rank highest on what their
    headline and lead alone say (rule 1, the phrase in the headline, then in the lead,
    and the headline and lead points), newest first among equals. Only stories with every
    term in the headline or lead qualify, so they match. The folded headline and lead are
    short columns kept in the row: the body and the search vector are not read."""
    vendor = connections[stories.db].vendor
    zero = Value(0, output_field=IntegerField())
    points = zero
    for term in terms:
        needles = _needles(term)
        in_title = _contains_any("search_title", needles)
        in_lead = _contains_any("search_lead", needles)
        stories = stories.filter(in_title | in_lead)
        points = points + _points(in_title, 4) + _points(in_lead, 2)
    phrase = _phrase(terms)
    in_title = _points(Q(search_title__contains=phrase), 1) if phrase else zero
    in_lead = _points(Q(search_lead__contains=phrase), 1) if phrase else zero
    best = stories.alias(
        exact=_exact_in_headline_or_lead(terms, vendor),
        in_title=in_title,
        in_lead=in_lead,
        points=points,
    ).order_by("-exact", "-in_title", "-in_lead", "-points", "-published_at", "-pk")
    return list(best.values_list("pk", flat=True)[:HEADLINE_CANDIDATES])


class _Column:
    """One column of the window's stories, joined by newlines (no folded document has one,
    and no needle spans one), with where each story's text starts: a needle is looked for
    once in the whole text rather than once per story. One large string and an array of
    offsets, not a string per story: what the window keeps is a few blocks the allocator
    gives back whole, so a process keeps no more memory than the window itself."""

    def __init__(self, texts: list[str]):
        self.starts, at = array("q"), 0
        for text in texts:
            self.starts.append(at)
            at += len(text) + 1
        self.text = "\n".join(texts)

    def __getitem__(self, row: int) -> str:
        end = self.starts[row + 1] - 1 if row + 1 < len(self.starts) else len(self.text)
        return self.text[self.starts[row] : end]

    def rows_with(self, needles: list[str]) -> set[int]:
        """The positions of the stories whose text contains any of `needles` (LIKE's test)."""
        found, starts, end = set(), self.starts, len(self.text)
        for needle in needles:
            at = self.text.find(needle)
            while at != -1:
                row = bisect_right(starts, at) - 1
                found.add(row)
                at = self.text.find(needle, starts[row + 1] if row + 1 < len(starts) else end)
        return found


class _HeadlineWindow:
    """The newest WINDOW published stories (_newest_window), newest first, with what
    _best_placed reads of them: the folded headline and lead, and the headline and lead as
    written (for exact spellings). Kept in each process per site version (_kept_window), so
    a common term's search tests them here instead of reading WINDOW rows again."""

    def __init__(self, rows):
        pks, titles, leads, written = array("q"), [], [], []
        for pk, title, lead, title_as_written, lead_as_written in rows:
            pks.append(pk)
            titles.append(title)
            leads.append(lead)
            written.append(f"{title_as_written} {lead_as_written}")
        self.pks = pks
        self.titles, self.leads, self.as_written = _Column(titles), _Column(leads), _Column(written)
        # fold_case() of each headline and lead, made the first time an exact spelling is
        # looked for in it (folding them all would cost the window's reading twice over).
        self.folded: dict[int, str] = {}

    def written(self, row: int) -> str:
        """The headline and lead of the story at `row` as rank_key reads them."""
        folded = self.folded.get(row)
        if folded is None:
            folded = self.folded[row] = fold_case(self.as_written[row])
        return folded

    def best_placed(self, terms: list[SearchTerm]) -> list[int]:
        """_best_placed's pks over these stories, by the same tests in the same order."""
        placed, qualifying = [], None
        for term in terms:
            needles = _needles(term)
            in_title, in_lead = self.titles.rows_with(needles), self.leads.rows_with(needles)
            placed.append((in_title, in_lead))
            either = in_title | in_lead
            qualifying = either if qualifying is None else qualifying & either
        phrase = _phrase(terms)
        phrase_title = self.titles.rows_with([phrase]) if phrase else set()
        phrase_lead = self.leads.rows_with([phrase]) if phrase else set()
        exact = [re.compile(_exact_pattern(term, "python")) for term in terms if term.exact]
        points = dict.fromkeys(qualifying or (), 0)
        for in_title, in_lead in placed:
            for row in in_title & points.keys():
                points[row] += 4
            for row in in_lead & points.keys():
                points[row] += 2
        written = self.written
        keys = [
            (
                sum(1 for pattern in exact if pattern.search(written(row))) if exact else 0,
                row in phrase_title,
                row in phrase_lead,
                score,
                -row,  # newest first among equals
            )
            for row, score in points.items()
        ]
        return [self.pks[-key[4]] for key in heapq.nlargest(HEADLINE_CANDIDATES, keys)]


_windows: dict[str, tuple] = {}
_windows_lock = threading.Lock()


def _kept_window(db: str) -> _HeadlineWindow:
    """The newest WINDOW stories' _HeadlineWindow, read once per site version in this
    process (the site version changes with every change readers can see, a scheduled one
    included), from data at least as new as it."""
    current = site_version()
    stamp = (current.version, WINDOW)
    kept = _windows.get(db)
    if kept is not None and kept[0] == stamp:
        return kept[1]
    with _windows_lock:
        kept = _windows.get(db)
        if kept is None or kept[0] != stamp:
            with reads_as_new_as(current.position):
                rows = (
                    _newest_window(db)
                    .order_by("-published_at", "-pk")
                    .values_list("pk", "search_title", "search_lead", "title", "lead")
                    .iterator(chunk_size=1000)
                )
                kept = _windows[db] = (stamp, _HeadlineWindow(rows))
    return kept[1]


def _headline_best_placed(stories: QuerySet[Article] | None, db: str, terms) -> list[int]:
    """_best_placed over `stories`, or, for None, over the newest WINDOW stories: from the
    window this process keeps, unless kept parts are off (NEWSROOM_FRAGMENT_CACHE)."""
    if stories is not None:
        return _best_placed(stories, terms)
    if settings.NEWSROOM_FRAGMENT_CACHE:
        return _kept_window(db).best_placed(terms)
    return _best_placed(_newest_window(db), terms)


def _headline_best(key: tuple, terms: list[SearchTerm]) -> bool:
    """Whether a rank key (with its headline-and-lead points last) is the best that any
    headline and lead can reach for `terms`: every exact spelling, the phrase in the
    headline and elsewhere, every term in the headline and in the lead."""
    exact, in_title, elsewhere, _points, _at, _pk, headline_points = key
    phrase = len(terms) > 1
    return (
        exact == sum(1 for term in terms if term.exact)
        and in_title == phrase
        and elsewhere == phrase
        and headline_points == 6 * len(terms)
    )


# What a result prints of its article and section (templates/search/search_result.html).
LISTED_FIELDS = ("id", "title", "slug", "lead", "section_id", "published_at")
LISTED_SECTION_FIELDS = ("id", "name", "slug")
_PUBLISHED_AT = LISTED_FIELDS.index("published_at")


def _listed_article(row: tuple) -> Article:
    """An article read with LISTED_FIELDS and its section with LISTED_SECTION_FIELDS (the
    other fields deferred, as results_page reads them), from one row of both."""
    db = router.db_for_read(Article)
    values = list(row[: len(LISTED_FIELDS)])
    values[_PUBLISHED_AT] = _as_time(values[_PUBLISHED_AT])
    article = Article.from_db(db, LISTED_FIELDS, values)
    article.section = Section.from_db(db, LISTED_SECTION_FIELDS, row[len(LISTED_FIELDS) :])
    return article


def _ranked_in_postgresql(
    candidates: list[int], terms: list[SearchTerm], listed: dict[int, tuple]
) -> list[tuple]:
    """rank_key computed by PostgreSQL for each candidate, followed by its headline-and-lead
    points: one statement, by the same tests as rank_key on the padded folded headline and
    lead (short columns in the row); only the body's tests read the search vector (its
    weight C), and only a term typed with accents reads the headline and lead as written.
    The same statement reads what a result prints of each candidate into `listed` (the
    columns are in the rows it reads anyway), so the page needs no read of its own."""
    params: dict = {}

    def param(value) -> str:
        # Named: the parts are built in another order than the statement reads them.
        name = f"p{len(params)}"
        params[name] = value
        return f"%({name})s"

    def contains(column: str, needles: list[str]) -> str:
        return "(" + " OR ".join(f"strpos({column}, {param(n)}) > 0" for n in needles) + ")"

    def in_body(tsquery: str) -> str:
        return f"(search_vector @@ to_tsquery({param(SEARCH_CONFIG)}::regconfig, {param(tsquery)}))"

    def body_query(words: tuple, whole: bool) -> str:
        *head, last = words
        return " <-> ".join([*(f"{w}:C" for w in head), f"{last}:C" if whole else f"{last}:*C"])

    def flag(condition: str, value: int = 1) -> str:
        return f"(CASE WHEN {condition} THEN {value} ELSE 0 END)"

    exact = [
        flag(f"(title ~* {param(pattern)} OR lead ~* {param(pattern)})")
        for term in terms
        if term.exact
        for pattern in [_exact_pattern(term, "postgresql")]
    ]
    headline, body = [], []
    for term in terms:
        needles = _needles(term)
        headline += [flag(contains("search_title", needles), 4)]
        headline += [flag(contains("search_lead", needles), 2)]
        spellings = " | ".join(body_query(words, term.whole) for words in term.spellings)
        body += [flag(in_body(spellings))]
    phrase = _phrase(terms)
    if phrase:
        in_title = flag(f"strpos(search_title, {param(phrase)}) > 0")
        words = tuple(terms)
        elsewhere = flag(
            f"(strpos(search_lead, {param(phrase)}) > 0"
            f" OR {in_body(body_query(words, terms[-1].whole))})"
        )
    else:
        in_title = elsewhere = "0"
    shown = ", ".join(
        [
            *(_MICROSECONDS if name == "published_at" else f"a.{name}" for name in LISTED_FIELDS),
            *(f"s.{name}" for name in LISTED_SECTION_FIELDS),
        ]
    )
    sql = (
        f"SELECT {' + '.join(exact) or '0'}, {in_title}, {elsewhere}, "
        f"{' + '.join(headline)}, {' + '.join(body)}, {shown} "
        f"FROM {Article._meta.db_table} a JOIN {Section._meta.db_table} s ON s.id = a.section_id "
        f"WHERE a.id = ANY({param(list(candidates))})"
    )
    with connections[router.db_for_read(Article)].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    keys = []
    for exact, title, other, head, body, *row in rows:
        pk, at = row[0], row[_PUBLISHED_AT]
        listed[pk] = tuple(row)
        keys.append((exact, bool(title), bool(other), head + body, at, pk, head))
    return keys


def _ranked(
    candidates: list, terms: list[SearchTerm], on_postgresql: bool, listed: dict
) -> list[tuple]:
    """Each candidate's rank key (rank_key) followed by its headline-and-lead points."""
    if on_postgresql:
        return _ranked_in_postgresql(candidates, terms, listed) if candidates else []
    return [(*rank_key(article, terms), headline_points(article, terms)) for article in candidates]


def headline_points(article: Article, terms: list[SearchTerm]) -> int:
    """Rule 3 on the headline and lead alone."""
    return sum(
        weight
        for term in terms
        for name, weight in (("search_title", 4), ("search_lead", 2))
        if any(needle in getattr(article, name) for needle in _needles(term))
    )


def search_articles(terms) -> SearchResults:
    """Published articles matching every term, best first (see rank_key), ranked among
    the candidates (the module's docstring). The articles carry only their pk and
    publication time: read the page shown."""
    terms = _as_terms(terms)
    if not terms:
        return SearchResults(ranked=_Ranked([]), count=0, estimated=False)
    db = router.db_for_read(Article)
    # The queryset of every match, built the first time a read needs it.
    matches = functools.cache(lambda: matching_articles(terms))
    on_postgresql = connections[db].vendor == "postgresql"
    listed: dict[int, tuple] = {}
    if on_postgresql:
        newest, recent, estimate = _newest_matches_in_postgresql(db, matches, terms, CANDIDATES + 1)
        newest_pks = [pk for pk, _at in newest]
    else:
        newest, recent = list(matches().only(*RANKED_FIELDS)[: CANDIDATES + 1]), True
        newest_pks = [article.pk for article in newest]
    count, estimated = len(newest), False
    if count <= CANDIDATES:
        keys = _ranked(newest_pks if on_postgresql else newest, terms, on_postgresql, listed)
    else:
        # One more than CANDIDATES was read only to learn that there are more, and how
        # densely the newest stories match; it is left out of the ranking.
        if on_postgresql:
            estimated = True
            count = (
                estimate
                if estimate is not None
                else _estimated_count(CANDIDATES + 1, newest[CANDIDATES][1])
            )
        else:
            count = matches().count()
        newest, newest_pks = newest[:CANDIDATES], newest_pks[:CANDIDATES]
        keys = _ranked(newest_pks if on_postgresql else newest, terms, on_postgresql, listed)
        page = settings.NEWSROOM_PAGE_SIZE
        if sum(1 for key in keys if _headline_best(key, terms)) < page:
            # Older stories may say more in their headline and lead than the newest
            # matches: look for them among the newest stories (a common term) or among
            # every match (a term the newest stories rarely have).
            known = set(newest_pks)
            best = _headline_best_placed(None if recent else matches(), db, terms)
            extra = [pk for pk in best if pk not in known]
            if not on_postgresql:
                extra = list(Article.objects.filter(pk__in=extra).only(*RANKED_FIELDS))
            keys += _ranked(extra, terms, on_postgresql, listed)
    keys.sort(key=lambda key: key[:6], reverse=True)
    rows = [(key[5], key[4]) for key in keys]
    if estimated:
        count = max(count, len(rows) + 1)
    return SearchResults(
        ranked=_Ranked(rows),
        count=count,
        estimated=estimated,
        listed=listed if on_postgresql else None,
    )


def results_page(pks: list[int]) -> dict[int, Article]:
    """The published articles of `pks` by pk, read with what a result prints of them
    (templates/search/search_result.html) and nothing else: no body, no comment count."""
    return (
        Article.objects.published()
        .select_related("section")
        .only("title", "slug", "lead", "published_at", "section__name", "section__slug")
        .in_bulk(pks)
    )


def about(count: int) -> int:
    """An estimated count as a reader is told it: two significant figures (16,437 -> 16,000)."""
    digits = len(str(count))
    return round(count, 2 - digits) if digits > 2 else count


def highlight(text: str, terms: list[str]) -> SafeString:
    """`text` escaped, with the words that match `terms` wrapped in <mark>.

    Matches are found on the folded text and mapped back to the original characters, and
    every piece is escaped before it is wrapped, so nothing in `text` can become markup.
    """
    # html.escape() is what django.utils.html.escape() runs, without the check for lazy
    # strings and the SafeString made for every piece: a page highlights 24 texts.
    pieces, position = [], 0
    for start, end in match_spans(text, terms):
        pieces.append(html_escape(text[position:start]))
        pieces.append(f"<mark>{html_escape(text[start:end])}</mark>")
        position = end
    pieces.append(html_escape(text[position:]))
    return mark_safe("".join(pieces))
