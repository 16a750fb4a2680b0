"""What a reader trusts search to do: exact spellings and phrases first, English stems,
numbers in thousands, short words whole, and a common term answered from its newest matches.
Queries are tried in NFC and NFD."""

import datetime
import unicodedata

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import search.queries
from articles.models import Article, search_vector
from core.text import search_terms
from search.queries import highlight, query_terms, search_articles
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

FORMS = pytest.mark.parametrize("form", ["NFC", "NFD"], ids=["query in NFC", "query in NFD"])


def hours_ago(n):
    return timezone.now() - datetime.timedelta(hours=n)


def titles_of(results):
    """The headlines of ranked results, in their order (results carry only their pk)."""
    stories = Article.objects.in_bulk([a.pk for a in results])
    return [stories[a.pk].title for a in results]


def titles(query, form="NFC"):
    return titles_of(search_articles(query_terms(unicodedata.normalize(form, query))))


@FORMS
def test_exact_spelling_ranks_above_the_same_word_folded(form):
    ArticleFactory(title="Phú Yên sends rice to the border", published_at=hours_ago(1))
    ArticleFactory(
        title="Women's union holds its congress",
        body="<p>Hội Liên hiệp Phụ nữ tỉnh met in the capital.</p>",
        published_at=hours_ago(2),
    )
    ArticleFactory(title="Visitors return to Điện Biên Phủ", published_at=hours_ago(9))
    assert titles("Phủ", form)[0] == "Visitors return to Điện Biên Phủ"
    # Typed without accents, nothing is exact: the headline hits rank first, newest first.
    assert titles("phu", form) == [
        "Phú Yên sends rice to the border",
        "Visitors return to Điện Biên Phủ",
        "Women's union holds its congress",
    ]


@FORMS
def test_muong_with_its_tone_ranks_the_muong_people_above_the_irrigation_canal(form):
    ArticleFactory(title="Mương irrigation canal repaired", published_at=hours_ago(1))
    ArticleFactory(title="Mường Nhé border posts", published_at=hours_ago(5))
    assert titles("Mường", form) == ["Mường Nhé border posts", "Mương irrigation canal repaired"]


@pytest.mark.parametrize("query", ["Dien Bien Phu", "dien bien phu", "Điện Biên Phủ"])
def test_a_phrase_in_the_headline_ranks_above_the_same_words_scattered(query):
    ArticleFactory(
        title="Điện Biên promotes emulation movement",
        body="<p>The women's union (phụ nữ) led the movement in every district.</p>",
        published_at=hours_ago(1),
    )
    ArticleFactory(title="Điện Biên Phủ honours its teachers", published_at=hours_ago(30))
    assert titles(query)[0] == "Điện Biên Phủ honours its teachers"


def test_a_phrase_in_the_body_ranks_above_scattered_words_in_the_body():
    ArticleFactory(
        title="Tea growers",
        body="<p>Bien and Dien met; the phu was late.</p>",
        published_at=hours_ago(1),
    )
    ArticleFactory(
        title="Coffee growers",
        body="<p>They sold beans in Điện Biên Phủ city.</p>",
        published_at=hours_ago(2),
    )
    assert titles("dien bien phu") == ["Coffee growers", "Tea growers"]


@pytest.mark.parametrize(
    ("query", "found"),
    [("teacher", "Teachers of the year"), ("teachers", "A teacher in Mường Nhé")],
)
def test_english_words_are_stemmed(query, found):
    ArticleFactory(title="Teachers of the year")
    ArticleFactory(title="A teacher in Mường Nhé")
    ArticleFactory(title="Tea harvest")
    assert found in titles(query)
    assert "Tea harvest" not in titles(query)


@pytest.mark.parametrize("query", ["3500", "3,500", "3.500"])
def test_numbers_are_found_with_or_without_thousands_separators(query):
    ArticleFactory(title="3,500 hectares of tea planted")
    ArticleFactory(title="3.500 households get clean water")
    ArticleFactory(title="Rice yields 3500 tonnes")
    ArticleFactory(title="3 new roads and 500 lamps")
    assert sorted(titles(query)) == [
        "3,500 hectares of tea planted",
        "3.500 households get clean water",
        "Rice yields 3500 tonnes",
    ]


def test_a_number_stored_before_numbers_were_joined_is_still_found():
    article = ArticleFactory(title="Spring festival")
    # As Article.save() stored "3,500" before: two words.
    Article.objects.filter(pk=article.pk).update(search_body=" 3 500 visitors ")
    if connection.vendor == "postgresql":
        Article.objects.filter(pk=article.pk).update(
            search_vector=search_vector("search_title", "search_lead", "search_body")
        )
    assert titles("3500") == ["Spring festival"]


@FORMS
@pytest.mark.parametrize("query", ["ĐBP", "đbp", "dbp", "ＤＢＰ"])
def test_the_papers_abbreviation_and_fullwidth_letters_are_searchable(query, form):
    ArticleFactory(title="Road works", body="<p>ĐBP - The provincial road is open.</p>")
    ArticleFactory(title="Ｔｅａ festival in Mường Ảng")
    assert titles(query, form) == ["Road works"]
    assert titles("tea", form) == ["Ｔｅａ festival in Mường Ảng"]
    assert titles("Ｍường Ảng", form) == ["Ｔｅａ festival in Mường Ảng"]


@FORMS
def test_a_short_word_matches_and_highlights_whole_words_only(form):
    ArticleFactory(title="Leading farmers meet", published_at=hours_ago(1))
    ArticleFactory(title="Lê Văn Hùng wins the prize", published_at=hours_ago(2))
    query = unicodedata.normalize(form, "Lê")
    assert titles(query) == ["Lê Văn Hùng wins the prize"]
    terms = query_terms(query)
    assert highlight("Leading Lê Lợi", terms) == "Leading <mark>Lê</mark> Lợi"


def test_highlight_marks_stems_and_grouped_numbers():
    terms = query_terms("teachers 3500")
    assert highlight("A teacher counted 3,500 pupils", terms) == (
        "A <mark>teacher</mark> counted <mark>3,500</mark> pupils"
    )


def test_admin_article_search_matches_as_the_public_search():
    hit = ArticleFactory(title="A teacher in Tủa Chùa", status=Article.Status.DRAFT)
    ArticleFactory(title="Leading farmers")
    assert list(Article.objects.matching(search_terms("teachers lê"))) == []
    assert list(Article.objects.matching(search_terms("teachers tua"))) == [hit]


def test_a_common_term_ranks_its_newest_matches_and_counts_them_all(monkeypatch, client):
    monkeypatch.setattr(search.queries, "CANDIDATES", 3)
    monkeypatch.setattr(search.queries, "HEADLINE_CANDIDATES", 0)
    for n in range(5):
        ArticleFactory(title=f"Market day {n}", published_at=hours_ago(n + 1))
    ArticleFactory(title="Oldest Điện Biên market day", published_at=hours_ago(50))
    results = search_articles(query_terms("market"))
    assert titles_of(results) == ["Market day 0", "Market day 1", "Market day 2"]
    assert results.count >= 4
    html = client.get(reverse("search:results"), {"q": "market"}).content.decode()
    assert "3 of them are ranked here" in html


def test_a_common_terms_first_page_includes_older_stories_with_it_in_headline_and_lead(
    monkeypatch,
):
    """Ranking only the newest matches put title-only hits above an older story with the
    word in its headline and its lead (the first page for "teachers" at 100,000 stories)."""
    monkeypatch.setattr(search.queries, "CANDIDATES", 3)
    monkeypatch.setattr(search.queries, "HEADLINE_CANDIDATES", 2)
    for n in range(5):
        ArticleFactory(title=f"Teachers of school {n}", published_at=hours_ago(n + 1))
    ArticleFactory(
        title="Teachers of Mường Nhé",
        lead="The commune's teachers walk to school.",
        published_at=hours_ago(40),
    )
    ArticleFactory(
        title="Rice harvest", lead="Teachers help with the harvest.", published_at=hours_ago(45)
    )
    results = search_articles(query_terms("teachers"))
    assert titles_of(results)[:4] == [
        "Teachers of Mường Nhé",
        "Teachers of school 0",
        "Teachers of school 1",
        "Teachers of school 2",
    ]
    assert not results.complete


def test_the_best_placed_stories_are_looked_for_among_the_newest_window_only(monkeypatch):
    monkeypatch.setattr(search.queries, "CANDIDATES", 1)
    monkeypatch.setattr(search.queries, "WINDOW", 3)
    for n in range(3):
        ArticleFactory(title=f"Market day {n}", published_at=hours_ago(n + 1))
    ArticleFactory(
        title="Market town", lead="The market opens at dawn.", published_at=hours_ago(10)
    )
    # "Market town" has the word in its headline and lead, but is older than the window.
    assert titles("market") == ["Market day 0", "Market day 1", "Market day 2"]


def test_newest_matches_that_fill_a_page_with_the_best_headlines_need_no_more_reads(
    monkeypatch, settings
):
    monkeypatch.setattr(search.queries, "CANDIDATES", 3)
    settings.NEWSROOM_PAGE_SIZE = 2
    for n in range(5):
        ArticleFactory(
            title=f"Market day {n}", lead="The market opens.", published_at=hours_ago(n + 1)
        )
    with CaptureQueriesContext(connection) as reads:
        results = search_articles(query_terms("market"))
    assert titles_of(results) == ["Market day 0", "Market day 1", "Market day 2"]
    # Older stories are not looked for by their headlines: none can say more there.
    window = f"OFFSET {search.queries.WINDOW - 1}"
    assert not [r["sql"] for r in reads if window in r["sql"]]
    settings.NEWSROOM_PAGE_SIZE = 4
    with CaptureQueriesContext(connection) as reads:
        search_articles(query_terms("market"))
    assert [r["sql"] for r in reads if window in r["sql"]]


def _varied_stories():
    """Stories that rank differently on their headline and lead alone: exact spellings,
    phrases, stems, numbers, a term in the headline, the lead or the body only."""
    texts = [
        ("Điện Biên Phủ honours its teachers", "Teachers of Điện Biên Phủ are thanked."),
        ("Dien Bien teachers walk to school", "The road to Mường Nhé is long."),
        ("Phú Yên teachers visit", "Teachers from Phú Yên meet colleagues."),
        ("Market day in Mường Ảng", "Teachers buy rice for 3,500 pupils."),
        ("Teacher of the year", "A teacher in Tủa Chùa wins the prize."),
        ("Rice harvest", "The teachers help with the harvest in Điện Biên."),
        ("Mương irrigation canal", "Teachers and farmers dig the canal."),
        ("Schools open", "A new term begins."),
        ("Điện Biên Phủ victory anniversary", "Veterans and teachers remember."),
        ("3500 hectares of tea", "Tea growers and teachers of Mường Nhé."),
        ("Phủ, Biên and Điện: teachers name three villages", "Biên, Phủ and Điện teachers."),
        ("Dien Bien Phu teachers", "Phu, Bien and Dien, named by teachers."),
    ]
    for n, (title, lead) in enumerate(texts * 3):
        ArticleFactory(
            title=f"{title} ({n})",
            lead=lead,
            body="<p>Teachers of Điện Biên Phủ.</p>" if n % 4 == 0 else "<p>News.</p>",
            published_at=hours_ago(n + 1),
        )


@pytest.mark.parametrize(
    "query",
    ["teachers", "Điện Biên Phủ", "dien bien phu", "phú", "Mường", "teachers mường", "tea"],
)
def test_the_kept_window_places_the_same_stories_first_as_reading_it(query, monkeypatch, settings):
    """The newest WINDOW stories' headlines and leads, kept per site version in each process
    (kept parts on), give the first page that reading them in the statement gives."""
    monkeypatch.setattr(search.queries, "CANDIDATES", 4)
    monkeypatch.setattr(search.queries, "HEADLINE_CANDIDATES", 4)
    monkeypatch.setattr(search.queries, "WINDOW", 20)
    _varied_stories()
    terms = query_terms(query)
    settings.NEWSROOM_FRAGMENT_CACHE = False
    read = search_articles(terms)
    settings.NEWSROOM_FRAGMENT_CACHE = True
    kept = search_articles(terms)
    assert len(read.pks) > 4  # older stories joined the newest matches
    assert kept.pks == read.pks
    # The older stories chosen, before the newest matches are merged in.
    window = search.queries._newest_window(connection.alias)
    assert search.queries._kept_window(connection.alias).best_placed(terms) == (
        search.queries._best_placed(window, terms)
    )


def test_the_kept_window_is_read_once_per_site_version(monkeypatch, settings):
    monkeypatch.setattr(search.queries, "CANDIDATES", 2)
    monkeypatch.setattr(search.queries, "WINDOW", 10)
    settings.NEWSROOM_FRAGMENT_CACHE = True
    for n in range(4):
        ArticleFactory(title=f"Market day {n}", published_at=hours_ago(n + 1))
    ArticleFactory(title="Market town", lead="The market opens.", published_at=hours_ago(8))
    window = "OFFSET 9"
    with CaptureQueriesContext(connection) as reads:
        assert titles("market")[0] == "Market town"
    assert [r["sql"] for r in reads if window in r["sql"]]
    with CaptureQueriesContext(connection) as reads:
        assert titles("market")[0] == "Market town"
    assert not [r["sql"] for r in reads if window in r["sql"]]
    # A publication changes the site version: the window is read again, and has the story.
    ArticleFactory(title="Market hall", lead="The market hall reopens.", published_at=hours_ago(6))
    assert titles("market")[:2] == ["Market hall", "Market town"]
