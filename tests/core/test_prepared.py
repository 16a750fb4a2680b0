import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from core.prepared import PreparedQuery, StandInList
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_a_prepared_list_gives_the_querysets_rows_for_each_length_built_once_per_length():
    articles = ArticleFactory.create_batch(4)
    pks = [article.pk for article in articles]
    builds = []

    def build(pks, title):
        builds.append(len(pks))
        return Article.objects.filter(pk__in=pks).exclude(title=title).order_by("pk")

    prepared = PreparedQuery(Article, build, pks=StandInList(-1_000_001), title="stand-in")
    connections[DEFAULT_DB_ALIAS].__dict__.pop("prepared_statements", None)
    asks = [pks[:1], pks[1:3], pks[::-1], pks[1:3], [pks[2], pks[2]], [-5, pks[0]], pks]
    for ask in asks:
        expected = list(Article.objects.filter(pk__in=ask).exclude(title="").order_by("pk"))
        assert prepared.all(pks=ask, title="") == expected
    assert [a.pk for a in prepared.all(pks=pks, title=articles[1].title)] == [
        pks[0],
        pks[2],
        pks[3],
    ]
    # One build for each length asked: 1, 2 and 4.
    assert builds == [1, 2, 4]
    with pytest.raises(ValueError):
        prepared.all(pks=[], title="")


def _prefetched(article):
    return {
        name: [vars(row) | {"_state": None} for row in queryset._result_cache]
        for name, queryset in article._prefetched_objects_cache.items()
    }


def test_a_prepared_prefetch_reads_what_the_orms_prefetch_reads_through_one_build(
    django_assert_num_queries,
):
    from django.db.models import prefetch_related_objects

    from articles.models import Correction
    from core.prepared import PreparedPrefetch
    from tests.factories import AuthorFactory

    writers = [AuthorFactory(name=name) for name in ("Quàng Văn Tuấn", "Anh Đào", "Lò Văn Săn")]
    article = ArticleFactory(authors=[writers[2], writers[0]], tags=["tea", "border", "Mường Nhé"])
    ArticleFactory(authors=[writers[1], writers[2]], tags=["tea", "coffee"])
    for text in ("The district is Mường Ảng.", "The date was wrong."):
        Correction.objects.create(article=article, text=text)
    lookups = (Article.bylines_prefetch(), "tags", "corrections")
    prepared = [PreparedPrefetch(Article, lookup) for lookup in lookups]
    connections[DEFAULT_DB_ALIAS].__dict__.pop("prepared_statements", None)
    builds = []
    for prefetch in prepared:
        build = prefetch._build
        prefetch.query.build = lambda pk, build=build: builds.append(1) or build(pk)

    expected = Article.objects.get(pk=article.pk)
    with CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as orm:
        prefetch_related_objects([expected], *lookups)
    sent = []
    for _ in range(2):
        found = Article.objects.get(pk=article.pk)
        with CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as ours:
            for prefetch in prepared:
                prefetch(found)
        sent.append(len(ours))
        assert _prefetched(found) == _prefetched(expected)
    assert builds == [1, 1, 1]
    # Building a statement sends nothing: one statement a relation, the first time too.
    assert sent == [3, 3]
    # The very statements of the ORM's prefetch: the same rows in the same order.
    assert [q["sql"] for q in ours.captured_queries] == [q["sql"] for q in orm.captured_queries]
    with django_assert_num_queries(0):
        assert [a.name for a in found.ordered_authors] == ["Lò Văn Săn", "Quàng Văn Tuấn"]
        assert {t.name for t in found.tags.all()} == {"tea", "border", "Mường Nhé"}
        assert [c.text for c in found.corrections.all()] == [
            "The date was wrong.",
            "The district is Mường Ảng.",
        ]
        assert all(c.article is found for c in found.corrections.all())
    # What is read already is not read again, as the ORM's prefetch leaves it.
    tagged = Article.objects.prefetch_related("tags").get(pk=article.pk)
    with django_assert_num_queries(0):
        prepared[1](tagged)
