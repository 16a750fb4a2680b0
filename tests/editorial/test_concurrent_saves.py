"""The version check holds under real concurrency: it runs inside the saving transaction,
on a locked row, so a save that starts while another is still committing cannot slip by."""

import threading
import time

import pytest
from django.db import connection, transaction

from articles.models import Article
from editorial import services
from tests.factories import EditorFactory, ReporterFactory, article_by

# serialized_rollback: see tests/comments/test_concurrency.py.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_two_saves_from_the_same_version_at_once_let_exactly_one_through():
    reporter, editor = ReporterFactory(), EditorFactory()
    article = article_by(reporter, title="Opened by two people")
    opened = Article.objects.get(pk=article.pk).version
    first_saved, results = threading.Event(), {}

    def first():
        try:
            with transaction.atomic():
                copy = Article.objects.get(pk=article.pk)
                copy.title = "First person's title"
                services.article_save(article=copy, by=reporter, expected_version=opened)
                first_saved.set()
                time.sleep(0.5)  # still committing while the second save starts
            results["first"] = "saved"
        finally:
            connection.close()

    def second():
        try:
            first_saved.wait(5)
            copy = Article.objects.get(pk=article.pk)  # the first save is not committed yet
            copy.title = "Second person's title"
            try:
                services.article_save(article=copy, by=editor, expected_version=opened)
                results["second"] = "saved"
            except services.EditConflict:
                results["second"] = "refused"
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert results == {"first": "saved", "second": "refused"}
    assert Article.objects.get(pk=article.pk).title == "First person's title"
