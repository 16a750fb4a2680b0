"""The database itself refuses rows that break a model's rules, whichever way they arrive:
a queryset `update()` or raw SQL bypass `save()` and `full_clean()` entirely."""

import pytest
from django.db import IntegrityError, connection, transaction

from articles.models import Article, ArticleAuthor, Author, TaggedArticle
from sections.models import Section
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory

pytestmark = pytest.mark.django_db


def refused(write):
    """Runs `write` in a savepoint and says whether the database refused it. Foreign keys
    are checked at commit on SQLite and PostgreSQL; check_constraints() asks for the check
    now, as a commit would."""
    try:
        with transaction.atomic():
            write()
            connection.check_constraints()
    except IntegrityError:
        return True
    return False


def raw_update(model, pk, column, value):
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(column)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, pk])


def orm_update(model, pk, column, value):
    model._default_manager.filter(pk=pk).update(**{column: value})


WRITERS = pytest.mark.parametrize("write", [orm_update, raw_update], ids=["orm", "raw-sql"])


@WRITERS
@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("status", "bogus"),
        ("status", ""),
        ("title", ""),
        ("title", None),
        ("slug", ""),
        ("lead", ""),
        ("lead", None),
        ("section_id", 987654321),
    ],
)
def test_database_refuses_a_broken_article(write, column, value):
    article = ArticleFactory()
    assert refused(lambda: write(Article, article.pk, column, value))
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED and article.title


@WRITERS
def test_database_refuses_a_published_article_without_a_publish_time(write):
    article = ArticleFactory()
    assert refused(lambda: write(Article, article.pk, "published_at", None))
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    assert refused(lambda: write(Article, draft.pk, "status", Article.Status.PUBLISHED))


@WRITERS
def test_database_refuses_a_duplicate_article_slug(write):
    first, second = ArticleFactory(), ArticleFactory()
    assert refused(lambda: write(Article, second.pk, "slug", first.slug))


@WRITERS
def test_database_refuses_a_published_story_with_another_public_address(write):
    public, draft = ArticleFactory(), ArticleFactory(status="draft", published_at=None)
    assert not refused(lambda: write(Article, draft.pk, "slug", public.slug))  # provisional
    assert refused(lambda: write(Article, draft.pk, "status", Article.Status.PUBLISHED))
    unpublished = ArticleFactory(status=Article.Status.UNPUBLISHED)
    assert refused(lambda: write(Article, unpublished.pk, "slug", public.slug))


def test_the_same_rows_are_accepted_when_they_keep_the_rules():
    # The refusals above come from the rules, not from the way of writing.
    article = ArticleFactory()
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    other = SectionFactory()
    assert not refused(lambda: orm_update(Article, article.pk, "section_id", other.pk))
    assert not refused(lambda: raw_update(Article, draft.pk, "slug", "a-fresh-slug"))
    assert not refused(lambda: orm_update(Article, draft.pk, "status", Article.Status.IN_REVIEW))


def test_database_refuses_the_same_author_twice_on_one_article():
    author = AuthorFactory()
    article = ArticleFactory(authors=[author])
    assert refused(
        lambda: ArticleAuthor.objects.bulk_create(
            [ArticleAuthor(article=article, author=author, order=5)]
        )
    )
    assert refused(
        lambda: raw_update(
            ArticleAuthor,
            ArticleAuthor.objects.create(article=article, author=AuthorFactory()).pk,
            "author_id",
            author.pk,
        )
    )


def test_database_refuses_a_byline_or_tag_pointing_nowhere():
    article = ArticleFactory(authors=[AuthorFactory()], tags=["tourism"])
    byline = article.bylines.get()
    assert refused(lambda: raw_update(ArticleAuthor, byline.pk, "author_id", 987654321))
    assert refused(lambda: raw_update(ArticleAuthor, byline.pk, "article_id", 987654321))
    tagged = TaggedArticle.objects.get(content_object=article)
    assert refused(lambda: raw_update(TaggedArticle, tagged.pk, "tag_id", 987654321))


def test_database_refuses_the_same_tag_twice_on_one_article():
    article = ArticleFactory(tags=["tourism"])
    tag = article.tags.get()
    assert refused(
        lambda: TaggedArticle.objects.bulk_create([TaggedArticle(content_object=article, tag=tag)])
    )


@WRITERS
@pytest.mark.parametrize("column", ["name", "slug"])
def test_database_refuses_an_author_without_name_or_slug_or_with_a_taken_slug(write, column):
    author, other = AuthorFactory(), AuthorFactory()
    assert refused(lambda: write(Author, author.pk, column, ""))
    if column == "slug":
        assert refused(lambda: write(Author, author.pk, "slug", other.slug))


@WRITERS
@pytest.mark.parametrize("column", ["name", "slug"])
def test_database_refuses_a_section_without_name_or_slug_or_with_a_taken_one(write, column):
    section, other = SectionFactory(), SectionFactory()
    assert refused(lambda: write(Section, section.pk, column, ""))
    assert refused(lambda: write(Section, section.pk, column, getattr(other, column)))


def test_database_refuses_to_delete_a_section_or_author_that_articles_use():
    author = AuthorFactory()
    article = ArticleFactory(authors=[author])
    table = connection.ops.quote_name
    for model, pk in [(Section, article.section_id), (Author, author.pk)]:
        sql = f"DELETE FROM {table(model._meta.db_table)} WHERE id = %s"
        assert refused(lambda sql=sql, pk=pk: connection.cursor().execute(sql, [pk]))
        assert model.objects.filter(pk=pk).exists()
