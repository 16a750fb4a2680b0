"""Reader search: folding, ranking, visibility, hostile queries, and the PostgreSQL index."""

import datetime
import re
import unicodedata

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.searching import forget_statistics
from search.queries import highlight, matching_articles, query_terms, search_articles
from tests.factories import NOT_PUBLIC, ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db

SEARCH = reverse("search:results")


def hours_ago(n):
    return timezone.now() - datetime.timedelta(hours=n)


def found(query):
    return list(search_articles(query_terms(query)))


@pytest.mark.parametrize(
    "query",
    ["dien bien phu", "DIỆN BIÊN", "Điện Biên Phủ", "phủ, biên; điện!", "Dien-Bien"],
)
def test_accents_case_word_order_and_punctuation_do_not_matter(query):
    hit = ArticleFactory(title="Spring comes to Điện Biên Phủ")
    ArticleFactory(title="Lai Châu markets reopen")
    assert found(query) == [hit]


def test_query_typed_in_decomposed_unicode_finds_composed_text():
    hit = ArticleFactory(title="Mường Nhé border posts")
    assert found(unicodedata.normalize("NFD", "mường nhé")) == [hit]


def test_d_with_stroke_folds_to_d_both_ways():
    hit = ArticleFactory(title="Đồng Khánh holds a festival")
    assert found("dong khanh") == [hit]
    assert found("ĐỒNG") == [hit]


def test_every_term_must_match_somewhere():
    both = ArticleFactory(title="Điện Biên tea harvest", lead="Growers in the hills.")
    ArticleFactory(title="Điện Biên rice harvest", lead="Farmers in the valley.")
    assert found("dien bien tea") == [both]
    assert found("tea hills") == [both]


def test_terms_match_the_start_of_words_not_the_middle():
    hit = ArticleFactory(title="Tourism grows in the highlands")
    ArticleFactory(title="A detour through the valley")
    assert found("tour") == [hit]


def test_title_matches_rank_above_lead_above_body_then_newest_first():
    body_hit = ArticleFactory(
        title="Ninth story", body="<p>Visitors came to Điện Biên.</p>", published_at=hours_ago(1)
    )
    lead_hit = ArticleFactory(
        title="Eighth story", lead="A day in Điện Biên.", published_at=hours_ago(2)
    )
    old_title_hit = ArticleFactory(title="Điện Biên at dawn", published_at=hours_ago(5))
    new_title_hit = ArticleFactory(title="Điện Biên at noon", published_at=hours_ago(3))
    assert found("dien bien") == [new_title_hit, old_title_hit, lead_hit, body_hit]


def test_body_html_is_searched_as_text():
    hit = ArticleFactory(body="<p>first</p><p>second&amp;third</p>")
    assert found("second third") == [hit]
    assert found("firstsecond") == []


@pytest.mark.parametrize("attrs", NOT_PUBLIC)
def test_unpublished_articles_are_never_found(client, attrs):
    ArticleFactory(title="Secret Điện Biên plan", **attrs)
    assert found("dien bien") == []
    response = client.get(SEARCH, {"q": "dien bien"})
    assert "Secret" not in response.content.decode()


def test_edited_title_is_found_by_its_new_words_only():
    article = ArticleFactory(title="Old headline")
    article.title = "Mường Lay reservoir"
    article.save()
    assert found("muong lay") == [article]
    assert found("old headline") == []


def test_saving_only_the_title_updates_the_search_document():
    article = ArticleFactory(title="Old headline")
    article.title = "Tủa Chùa tea"
    article.save(update_fields=["title"])
    assert found("tua chua") == [article]


def test_results_page_highlights_matches_and_shows_section_and_date(client):
    ArticleFactory(
        title="Boosting tourism in Điện Biên",
        lead="Điện Biên markets <itself> to visitors.",
        section=SectionFactory(name="Culture - Tourism", slug="culture-tourism"),
        published_at=datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC),
    )
    response = client.get(SEARCH, {"q": "dien bien"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<mark>Điện</mark> <mark>Biên</mark> markets &lt;itself&gt; to visitors." in html
    assert "Boosting tourism in <mark>Điện</mark> <mark>Biên</mark>" in html
    assert "CULTURE - TOURISM" in html
    assert "2 March 2026" in html


def test_a_kept_result_is_highlighted_for_each_query_and_follows_its_story(client, settings):
    """A result's item is kept across queries; its highlighted headline and lead are not."""
    settings.NEWSROOM_FRAGMENT_CACHE = True
    article = ArticleFactory(
        title="Điện Biên opens a market",
        lead="Traders <come> to Điện Biên.",
        section=SectionFactory(name="Business", slug="business"),
    )
    first = client.get(SEARCH, {"q": "dien"}).content.decode()
    second = client.get(SEARCH, {"q": "bien market"}).content.decode()
    assert "<mark>Điện</mark> Biên opens a market" in first
    assert "Điện <mark>Biên</mark> opens a <mark>market</mark>" in second
    assert "Traders &lt;come&gt; to Điện <mark>Biên</mark>." in second
    assert "<mark>Điện</mark>" not in second and "\x00" not in second
    article.section = SectionFactory(name="Culture - Tourism", slug="culture-tourism")
    article.save()
    moved = client.get(SEARCH, {"q": "dien"}).content.decode()
    assert 'href="/sections/culture-tourism/">CULTURE - TOURISM</a>' in moved
    assert "BUSINESS" not in moved


def test_highlight_escapes_markup_around_and_inside_matches():
    html = highlight('<script>alert("đ")</script> Đà Nẵng', ["da", "script"])
    assert "<script" not in html
    assert html == (
        "&lt;<mark>script</mark>&gt;alert(&quot;đ&quot;)&lt;/<mark>script</mark>&gt; "
        "<mark>Đà</mark> Nẵng"
    )


def test_highlight_escapes_quotes_and_ampersands_in_every_piece_as_the_escape_filter():
    from django.utils.html import escape

    text = "O'Neil & \"Hà\" <b> met O'Hara & \"Hà Nội\" 'fans'"
    marked = highlight(text, ["ha"])
    assert marked.count("<mark>") == 3  # Hà, Hara, Hà
    assert marked.replace("<mark>", "").replace("</mark>", "") == escape(text)


def test_highlight_maps_offsets_back_when_folding_changes_length():
    text = unicodedata.normalize("NFD", "Sông Đà") + " Straße"
    assert highlight(text, ["song", "strasse"]) == (
        f"<mark>{unicodedata.normalize('NFD', 'Sông')}</mark> "
        f"{unicodedata.normalize('NFD', 'Đà')} <mark>Straße</mark>"
    )


def test_results_are_paginated_and_pages_keep_the_query(client, settings):
    settings.NEWSROOM_PAGE_SIZE = 2
    for n in range(5):
        ArticleFactory(title=f"Điện Biên story {n}", published_at=hours_ago(n + 1))
    response = client.get(SEARCH, {"q": "điện biên", "page": 2})
    assert [a.title for a, _, _ in response.context["hits"]] == [
        "Điện Biên story 2",
        "Điện Biên story 3",
    ]
    assert 'href="?q=%C4%91i%E1%BB%87n+bi%C3%AAn&amp;page=3"' in response.content.decode()


@pytest.mark.parametrize("page", ["99", "abc", "-1", "0", "", "1e9", "9" * 40])
def test_bad_page_numbers_answer_a_page(client, page):
    ArticleFactory(title="Điện Biên story")
    response = client.get(SEARCH, {"q": "dien", "page": page})
    assert response.status_code == 200
    assert len(response.context["hits"]) == 1


@pytest.mark.parametrize(
    "query",
    ["", "   ", "!!!", "%", "_", "\x00", "dien\x00bien", "' OR 1=1 --", "a:* & !b | c"],
    ids=repr,
)
def test_odd_queries_answer_a_page(client, query):
    ArticleFactory(title="Điện Biên story")
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200


def test_missing_query_answers_a_page_with_no_results(client):
    ArticleFactory(title="Điện Biên story")
    response = client.get(SEARCH)
    assert response.status_code == 200
    assert response.context["hits"] == []


def test_binary_query_string_answers_a_page(client):
    ArticleFactory(title="Điện Biên story")
    response = client.get(SEARCH + "?q=%FF%FE%00%C3%28dien&page=%FF")
    assert response.status_code == 200
    assert [a.title for a, _, _ in response.context["hits"]] == ["Điện Biên story"]


def test_enormous_query_is_cut_not_refused(client, settings):
    hit = ArticleFactory(title="Điện Biên story")
    response = client.get(SEARCH, {"q": "dien " + "x" * 100_000})
    assert response.status_code == 200
    assert len(response.context["query"]) == settings.NEWSROOM_SEARCH_MAX_QUERY_LENGTH
    assert query_terms("dien " + "x" * 100_000)[0] == "dien"
    assert found("dien") == [hit]


def test_only_the_first_terms_of_a_long_query_are_used(settings):
    settings.NEWSROOM_SEARCH_MAX_TERMS = 3
    assert query_terms("one two three four five one") == ["one", "two", "three"]


def test_every_page_offers_the_search_form(client):
    html = client.get("/").content.decode()
    assert f'action="{SEARCH}"' in html and 'name="q"' in html


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_search_on_postgresql_uses_the_gin_index():
    """The planner finds matching articles through the GIN index, not a scan of all rows."""
    for n in range(50):
        ArticleFactory(title=f"Market day {n}", lead="Traders gather.", body="<p>Rice, tea.</p>")
    ArticleFactory(title="Điện Biên Phủ victory anniversary")
    columns = ", ".join(
        f.column for f in Article._meta.concrete_fields if f.column not in ("id", "slug")
    )
    with connection.cursor() as cursor:
        # A thousand more rows: copies of the saved articles, search columns included.
        cursor.execute(
            f"INSERT INTO articles_article (slug, {columns}) "
            f"SELECT slug || '-' || g, {columns} FROM articles_article, "
            "generate_series(1, 20) AS g WHERE title LIKE 'Market day%%'"
        )
        # New entries wait in GIN's pending list until VACUUM (outside a test's
        # transaction); merge them, or the planner prices the index as if unmerged.
        cursor.execute("SELECT gin_clean_pending_list('article_search_vector_gin')")
        cursor.execute("ANALYZE articles_article")
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = matching_articles(query_terms("dien bien")).explain()
    assert "Bitmap Index Scan on article_search_vector_gin" in plan, plan
    (hit,) = search_articles(query_terms("dien bien"))
    assert [Article.objects.get(pk=hit.pk).title] == ["Điện Biên Phủ victory anniversary"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_search_vector_is_weighted_and_folded_on_postgresql():
    article = ArticleFactory(title="Điện Biên", lead="Mường", body="<p>Nhé</p>")
    article.refresh_from_db()
    assert article.search_vector == "'bien':2A 'dien':1A 'muong':3B 'nhe':4C"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_a_search_reads_the_articles_table_twice_on_postgresql(client, settings):
    """The newest matches, and their ranking, which reads what the page's results print as
    well: the page makes no read of its own for its stories, and no EXPLAIN (the planner's
    word statistics are read once in a while, not per search)."""
    settings.NEWSROOM_FRAGMENT_CACHE = True
    for n in range(3):
        ArticleFactory(title=f"Điện Biên market day {n}", published_at=hours_ago(n + 1))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")
    forget_statistics()
    client.get(SEARCH, {"q": "market"})  # the page's other parts kept, the statistics read
    with CaptureQueriesContext(connection) as captured:
        html = client.get(SEARCH, {"q": "dien bien"}).content.decode()
    assert html.count('class="search-result"') == 3
    reads = [q["sql"] for q in captured if "articles_article" in q["sql"]]
    assert len(reads) == 2, reads


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_a_common_term_follows_the_clock_through_a_statement_built_once(
    client, settings, time_machine, monkeypatch
):
    """A common term's newest matches are read through a statement compiled once per
    connection, the time its parameter, and no queryset of the matches is built for it."""
    from django.db import DEFAULT_DB_ALIAS, connections

    import search.queries

    settings.NEWSROOM_FRAGMENT_CACHE = True
    monkeypatch.setattr(search.queries, "CANDIDATES", 3)
    start = timezone.now().replace(microsecond=0)
    time_machine.move_to(start, tick=False)
    hour, minutes = datetime.timedelta(hours=1), datetime.timedelta(minutes=5)
    for n in range(6):
        ArticleFactory(title=f"Market day {n}", published_at=start - (n + 1) * hour)
    soon = ArticleFactory(title="Market day ahead", published_at=start + minutes)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")
    forget_statistics()
    builds, queries = [], []
    published = Article.objects.published
    monkeypatch.setattr(
        Article.objects, "published", lambda **kw: builds.append(kw) or published(**kw)
    )
    matching = search.queries.matching_articles
    monkeypatch.setattr(
        search.queries, "matching_articles", lambda terms: queries.append(terms) or matching(terms)
    )
    connections[DEFAULT_DB_ALIAS].__dict__.pop("prepared_statements", None)

    def first_results():
        html = client.get(SEARCH, {"q": "market"}).content.decode()
        return re.findall(r"Market day \w+", html)[:2]

    assert "Market day ahead" not in first_results()
    time_machine.move_to(start + minutes, tick=False)
    assert first_results()[0] == "Market day ahead" == soon.title
    assert [kw for kw in builds if "at" in kw] == [{"at": search.queries.STAND_IN_TIME}]
    assert queries == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_a_common_terms_count_is_estimated_from_the_newest_stories_it_spans(monkeypatch):
    """Four matches wanted (CANDIDATES + 1) among the newest stories take the seven
    newest of eight: about 4 x 8 / 7 = 5 match."""
    import search.queries

    monkeypatch.setattr(search.queries, "CANDIDATES", 3)
    monkeypatch.setattr(search.queries, "HEADLINE_CANDIDATES", 0)
    for n in range(1, 9):
        title = "Market day" if n % 2 else "Harbour news"
        ArticleFactory(
            title=f"{title} {n}",
            lead="A short lead.",
            body="<p>Text.</p>",
            published_at=hours_ago(n),
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")
    forget_statistics()
    results = search_articles(query_terms("market"))
    assert (results.count, results.estimated, len(results)) == (5, True, 3)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_ranked_results_keep_their_publication_time_to_the_microsecond():
    """Two stories a microsecond apart rank newest first, each with its own time."""
    at = timezone.now().replace(microsecond=123456) - datetime.timedelta(hours=1)
    older = ArticleFactory(title="Ferry timetable", published_at=at)
    newer = ArticleFactory(
        title="Ferry timetable", published_at=at + datetime.timedelta(microseconds=1)
    )
    results = search_articles(query_terms("ferry"))
    assert [(a.pk, a.published_at) for a in results] == [
        (newer.pk, newer.published_at),
        (older.pk, older.published_at),
    ]
    shown = results.articles(results.pks)
    assert [shown[pk].published_at for pk in results.pks] == [newer.published_at, at]
