import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from articles.models import Article, ArticleAuthor, TaggedArticle
from articles.sanitize import html_to_text
from core.text import search_terms

pytestmark = pytest.mark.django_db


def test_generate_articles_creates_realistic_bulk_volume():
    call_command("generate_articles", count=250, batch_size=100, images=3, verbosity=0)
    assert Article.objects.count() == 250
    assert Article.objects.values("slug").distinct().count() == 250
    published = Article.objects.published().count()
    assert 200 < published < 250  # a few drafts and scheduled stories, as in a real newsroom
    assert ArticleAuthor.objects.values("article").distinct().count() == 250
    assert TaggedArticle.objects.values("content_object").distinct().count() == 250
    # Images are shared files, not one per article.
    assert Article.objects.values("image").distinct().count() == 3
    # Text went through the same normalisation as save().
    assert not Article.objects.filter(body__contains="<script").exists()


def test_generate_articles_runs_again_without_slug_collisions():
    call_command("generate_articles", count=20, images=1, verbosity=0)
    call_command("generate_articles", count=20, images=1, verbosity=0)
    assert Article.objects.count() == 40


def test_health_view_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


FIELDS_SAVE_DERIVES = ("title", "lead", "body", "search_title", "search_lead", "search_body")


def stored_as_save_would(article):
    """A copy of `article`'s text written through Article.save(), read back from the database."""
    copy = Article(
        title=article.title,
        lead=article.lead,
        body=article.body,
        section=article.section,
        status=article.status,
        published_at=article.published_at,
        slug=f"save-copy-{article.pk}",
    )
    copy.save()
    return Article.objects.get(pk=copy.pk)


def test_generated_articles_store_what_save_would_have_stored():
    # On PostgreSQL the rows are copied and the vector computed on insert; on SQLite they
    # go through bulk_create: either way, what save() derives from the same text.
    call_command("generate_articles", count=60, batch_size=25, images=1, verbosity=0)
    generated = list(Article.objects.order_by("pk"))
    for article in generated[::6]:
        saved = stored_as_save_would(article)
        for name in (*FIELDS_SAVE_DERIVES, "first_published_at"):
            assert getattr(article, name) == getattr(saved, name), (article.pk, name)
        assert article.search_vector == saved.search_vector
        if connection.vendor == "postgresql":
            assert article.search_vector  # weighted words: 'dien':1A ...
            assert "A" in article.search_vector and "C" in article.search_vector
    assert {a.status for a in generated} >= {Article.Status.PUBLISHED}
    drafts = [a for a in generated if a.status == Article.Status.DRAFT]
    assert all(a.first_published_at is None for a in drafts)


def test_generated_articles_are_found_by_the_words_of_their_headline_and_body():
    call_command("generate_articles", count=40, images=1, verbosity=0)
    article = Article.objects.order_by("pk").first()
    first_sentence = html_to_text(article.body).split(".")[0]
    for words in (article.title, first_sentence):
        assert article in Article.objects.matching(search_terms(words))


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="the copying path is PostgreSQL's",
)
def test_copying_generator_refuses_when_save_derives_otherwise(monkeypatch):
    original = Article.prepare_for_save

    def shouting(self, **kwargs):
        original(self, **kwargs)
        self.search_title = self.search_title.upper()

    monkeypatch.setattr(Article, "prepare_for_save", shouting)
    with pytest.raises(CommandError, match="search_title"):
        call_command("generate_articles", count=5, images=1, verbosity=0)
    assert not Article.objects.exists()
