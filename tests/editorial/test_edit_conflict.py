"""No lost edits: a save made from an outdated copy is refused and its text is kept."""

import pytest
from django.test import Client
from django.urls import reverse

from editorial import services
from tests.editorial.admin_forms import change_form_data
from tests.factories import EditorFactory, ReporterFactory, article_by

pytestmark = pytest.mark.django_db


def test_second_save_from_an_old_copy_is_refused_and_keeps_both_texts():
    reporter, editor = ReporterFactory(), EditorFactory(username="ngoc.anh")
    article = article_by(reporter, title="Original headline", body="<p>Original body.</p>")
    url = reverse("admin:articles_article_change", args=[article.pk])
    first, second = Client(), Client()
    first.force_login(editor)
    second.force_login(reporter)
    first_page, second_page = first.get(url), second.get(url)

    saved = first.post(url, change_form_data(first_page, title="Editor's headline"))
    assert saved.status_code == 302

    typed = "<p>Three paragraphs the reporter typed for an hour.</p>"
    refused = second.post(url, change_form_data(second_page, body=typed))
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "saved by ngoc.anh" in html and "(title)" in html
    assert "Three paragraphs the reporter typed for an hour." in html
    article.refresh_from_db()
    assert article.title == "Editor's headline"
    assert article.body == "<p>Original body.</p>"

    # Having read the message, a deliberate second save from the kept form goes through.
    again = second.post(url, change_form_data(refused))
    assert again.status_code == 302
    article.refresh_from_db()
    assert article.body == typed


def test_service_refuses_a_save_from_an_outdated_version():
    reporter = ReporterFactory()
    article = article_by(reporter)
    opened = article.version
    article.title = "First save"
    services.article_save(article=article, by=reporter, expected_version=opened)
    stale = type(article).objects.get(pk=article.pk)
    stale.title = "Second save"
    with pytest.raises(services.EditConflict):
        services.article_save(article=stale, by=reporter, expected_version=opened)
    article.refresh_from_db()
    assert article.title == "First save"


def test_a_transition_since_opening_also_counts_as_a_change():
    reporter, editor = ReporterFactory(), EditorFactory()
    article = article_by(reporter)
    opened = article.version
    services.article_publish(article=article, by=editor)
    article.title = "Edited after publication by an editor"
    with pytest.raises(services.EditConflict) as refused:
        services.article_save(article=article, by=editor, expected_version=opened)
    assert "status Draft → Published" in refused.value.message
