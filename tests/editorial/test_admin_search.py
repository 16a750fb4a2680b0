"""The article admin's search finds what reader search finds, by the same machinery."""

import datetime
import unicodedata

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from search.queries import query_terms, search_articles
from tests.factories import ArticleFactory, EditorFactory

pytestmark = pytest.mark.django_db

FORMS = pytest.mark.parametrize("form", ["NFC", "NFD"], ids=["query in NFC", "query in NFD"])


def hours_ago(n):
    return timezone.now() - datetime.timedelta(hours=n)


@pytest.fixture
def editor(client):
    user = EditorFactory()
    client.force_login(user)
    return user


def admin_found(client, query) -> set[str]:
    response = client.get(reverse("admin:articles_article_changelist"), {"q": query})
    assert response.status_code == 200
    return {article.title for article in response.context["cl"].result_list}


def reader_found(query) -> set[str]:
    pks = search_articles(query_terms(query)).pks
    return set(Article.objects.filter(pk__in=pks).values_list("title", flat=True))


@FORMS
@pytest.mark.parametrize(
    "query",
    ["Điện Biên Phủ", "dien bien phu", "Mường", "muong nhe", "Phủ", "teachers", "3500", "Lê"],
)
def test_the_admin_finds_the_stories_reader_search_finds(client, editor, query, form):
    ArticleFactory(title="Điện Biên Phủ honours its teachers", published_at=hours_ago(1))
    ArticleFactory(title="Mương irrigation canal repaired", published_at=hours_ago(2))
    ArticleFactory(
        title="Mường Nhé border posts", lead="A teacher walks.", published_at=hours_ago(3)
    )
    ArticleFactory(
        title="Phú Yên sends rice", body="<p>3,500 tonnes.</p>", published_at=hours_ago(4)
    )
    ArticleFactory(
        title="Leading farmers meet", lead="Lê Văn Hùng speaks.", published_at=hours_ago(5)
    )
    ArticleFactory(title="Tea harvest", published_at=hours_ago(6))
    query = unicodedata.normalize(form, query)
    found = reader_found(query)
    assert found, query
    assert admin_found(client, query) == found


def test_the_admin_also_finds_stories_readers_cannot_see(client, editor):
    ArticleFactory(title="Sín Thầu border market")
    ArticleFactory(title="Sín Thầu school draft", status=Article.Status.DRAFT, published_at=None)
    assert reader_found("Sín Thầu") == {"Sín Thầu border market"}
    assert admin_found(client, "sin thau") == {"Sín Thầu border market", "Sín Thầu school draft"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_a_word_few_stories_have_is_looked_up_in_the_index_first(client, editor):
    ArticleFactory(title="Sín Thầu border market")
    for n in range(3):
        ArticleFactory(title=f"Market day {n}")
    with CaptureQueriesContext(connection) as captured:
        assert admin_found(client, "Sín Thầu") == {"Sín Thầu border market"}
    lookups = [q["sql"] for q in captured if q["sql"].startswith("WITH found AS MATERIALIZED")]
    assert len(lookups) == 1, lookups


def test_a_search_shows_no_date_links_until_a_date_is_chosen(client, editor):
    ArticleFactory(title="Teachers meet", published_at=timezone.now().replace(year=2024))
    ArticleFactory(title="Teachers travel", published_at=timezone.now().replace(year=2025))
    url = reverse("admin:articles_article_changelist")
    assert b'class="toplinks"' in client.get(url).content  # the date links, with no search
    searched = client.get(url, {"q": "teachers"})
    assert searched.context["cl"].result_count == 2
    assert b'class="toplinks"' not in searched.content
    within = client.get(url, {"q": "teachers", "published_at__year": "2025"})
    assert {a.title for a in within.context["cl"].result_list} == {"Teachers travel"}
    assert b'class="toplinks"' in within.content


def test_a_word_and_its_stem_are_one_prefix_in_the_search_statement():
    from articles.models import search_tsquery
    from core.text import search_terms

    assert search_tsquery(search_terms("teachers")) == "(teacher:*)"
    assert search_tsquery(search_terms("Điện teachers 3500")) == (
        "(dien:*) & (teacher:*) & (3500:* | 3 <-> 500)"
    )
