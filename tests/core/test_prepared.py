import pytest
from django.db import DEFAULT_DB_ALIAS, connections

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
