import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory

pytestmark = pytest.mark.django_db


def test_published_article_with_past_time_is_public():
    article = ArticleFactory()
    assert list(Article.objects.published()) == [article]


def test_draft_is_not_public():
    ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    assert not Article.objects.published().exists()


def test_future_article_is_hidden_until_its_publish_time(time_machine):
    at = timezone.now() + datetime.timedelta(hours=2)
    article = ArticleFactory(published_at=at)
    time_machine.move_to(at - datetime.timedelta(seconds=1), tick=False)
    assert not Article.objects.published().exists()
    time_machine.move_to(at, tick=False)
    assert list(Article.objects.published()) == [article]


@pytest.mark.parametrize("status", ["in_review", "returned", "unpublished"])
def test_articles_outside_published_status_are_not_public(status):
    ArticleFactory(status=status)
    assert not Article.objects.published().exists()


def test_database_refuses_published_article_without_publish_time():
    article = ArticleFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(published_at=None)


def test_database_refuses_unknown_status():
    article = ArticleFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(status="live")


def test_a_published_story_given_a_taken_slug_gets_its_own_address():
    ArticleFactory(slug="same")
    assert ArticleFactory(slug="same").slug == "same-2"


def test_duplicate_titles_get_distinct_slugs():
    first = ArticleFactory(title="Điện Biên faces shortage of teachers")
    second = ArticleFactory(title="Điện Biên faces shortage of teachers")
    assert first.slug == "dien-bien-faces-shortage-of-teachers"
    assert second.slug == "dien-bien-faces-shortage-of-teachers-2"


def test_body_is_sanitised_on_save():
    article = ArticleFactory(
        body='<p onclick="x()">Hi<script>alert(1)</script></p>'
        '<figure><img src="https://example.com/a.jpg" alt="A field">'
        "<figcaption>Rice</figcaption></figure><iframe src='x'></iframe>"
        '<a href="javascript:alert(1)">bad</a>'
    )
    article.refresh_from_db()
    assert "<script" not in article.body
    assert "onclick" not in article.body
    assert "<iframe" not in article.body
    assert "javascript:" not in article.body
    assert "<figcaption>Rice</figcaption>" in article.body
    assert "<p>Hi</p>" in article.body


def test_body_keeps_the_language_an_editor_marks_on_a_span_and_nothing_else_of_it():
    article = ArticleFactory(
        body='<p>Dancers from <span lang="vi">Mường Nhé</span> and '
        '<span lang="vi" style="color:red" onclick="x()">Tủa Chùa</span>, '
        '<span lang="vi&quot; onmouseover=&quot;x()">Nậm Pồ</span>.</p>'
    )
    article.refresh_from_db()
    assert '<span lang="vi">Mường Nhé</span>' in article.body
    assert '<span lang="vi">Tủa Chùa</span>' in article.body
    # A value that is not a language tag is dropped, the words kept.
    assert "<span>Nậm Pồ</span>" in article.body


def test_text_is_stored_in_nfc():
    article = ArticleFactory(title="\u0110i\u0065\u0323\u0302n Bie\u0302n")
    article.refresh_from_db()
    assert article.title == "Điện Biên"


def test_bylines_keep_the_editors_order():
    second, first = AuthorFactory(name="Zung"), AuthorFactory(name="An")
    article = ArticleFactory(authors=[second, first])
    assert list(article.ordered_authors) == [second, first]
    prefetched = Article.objects.with_bylines().get(pk=article.pk)
    assert list(prefetched.ordered_authors) == [second, first]


def test_section_label_is_in_capitals():
    assert SectionFactory(name="Northwest Highlands", slug="nw").label == "NORTHWEST HIGHLANDS"


def test_initial_sections_exist():
    from sections.models import Section

    names = set(Section.objects.values_list("name", flat=True))
    assert {"News - Politics", "Business", "Social Affairs", "Culture - Tourism"} <= names
