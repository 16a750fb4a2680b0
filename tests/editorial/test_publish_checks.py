"""What is checked before a story goes live: listed on the publish page, refused by the
service unless an editor gives a reason, which the transition log keeps."""

import pytest
from django.db import IntegrityError
from django.urls import reverse

from articles.models import Article
from editorial import services
from editorial.models import ArticleTransition
from tests.factories import ArticleFactory, EditorFactory, ReporterFactory, article_by, jpeg

pytestmark = pytest.mark.django_db
Status = Article.Status


def in_review(**fields):
    return article_by(ReporterFactory(), status=Status.IN_REVIEW, **fields)


def problems_of(article):
    with pytest.raises(services.PublishChecksFailed) as refused:
        services.article_publish(article=article, by=EditorFactory())
    return [problem.field for problem in refused.value.problems]


def test_a_story_with_a_described_credited_wide_picture_is_published_without_a_reason():
    article = in_review(image=jpeg(width=1200), image_alt="Rice terraces", image_credit="VNA")
    services.article_publish(article=article, by=EditorFactory())
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert article.transitions.get().failed_checks == ""


def test_a_story_without_a_featured_picture_passes():
    article = in_review(image="")
    services.article_publish(article=article, by=EditorFactory())
    assert Article.objects.get(pk=article.pk).status == Status.PUBLISHED


def test_a_small_picture_without_alt_text_or_credit_is_not_published():
    article = in_review(image=jpeg(width=800, height=600), image_alt="", image_credit=" ")
    assert problems_of(article) == ["image_alt", "image_credit", "image"]
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW
    assert not article.transitions.filter(to_status=Status.PUBLISHED).exists()


def test_a_headline_and_lead_longer_than_readers_see_them_are_listed():
    assert problems_of(in_review(title="Đ" * 111, lead="x" * 301)) == ["title", "lead"]


def test_lengths_are_counted_as_a_reader_sees_the_characters():
    # 90 flags of two code points each and 20 letters: 200 code points, 110 characters.
    article = in_review(title="🇻🇳" * 90 + "a" * 20, lead="🇻🇳" * 150)
    services.article_publish(article=article, by=EditorFactory())
    assert Article.objects.get(pk=article.pk).status == Status.PUBLISHED


def test_a_body_picture_without_alt_text_is_listed_by_its_file_name():
    body = (
        '<p>Text.</p><img src="/media/body/ab12.jpg" alt="A market">'
        '<img src="/media/body/cd34.jpg">'
    )
    with pytest.raises(services.PublishChecksFailed) as refused:
        services.article_publish(article=in_review(body=body), by=EditorFactory())
    (problem,) = refused.value.problems
    assert problem.field == "body" and "cd34.jpg" in str(problem)


def test_an_editor_publishes_anyway_with_a_reason_the_log_keeps_with_what_failed():
    article = in_review(image=jpeg(width=640), image_alt="Flood", image_credit="Reader")
    services.article_publish(
        article=article, by=EditorFactory(), override_reason="The only photo of the flood."
    )
    entry = article.transitions.get(to_status=Status.PUBLISHED)
    assert "640 px wide" in entry.failed_checks
    assert entry.override_reason == "The only photo of the flood."
    assert Article.objects.get(pk=article.pk).status == Status.PUBLISHED


def test_the_log_cannot_hold_failed_checks_without_a_reason():
    with pytest.raises(IntegrityError):
        ArticleTransition.objects.create(
            article=ArticleFactory(),
            from_status=Status.IN_REVIEW,
            to_status=Status.PUBLISHED,
            failed_checks="The featured picture has no credit.",
        )


def test_the_publish_page_lists_what_fails_and_publishes_only_with_a_reason(client):
    editor = EditorFactory()
    article = in_review(image=jpeg(width=900), image_alt="", image_credit="VNA")
    client.force_login(editor)
    url = reverse("admin:articles_article_transition", args=[article.pk, "publish"])
    page = client.get(url).content.decode()
    assert "Before it goes live: 2 to fix" in page
    assert "The featured picture has no alt text." in page and "900 px wide" in page

    refused = client.post(url, {"note": "", "override_reason": "  "})
    assert refused.status_code == 200
    assert "Fix what is listed above, or say why it goes out as it is." in refused.content.decode()
    assert Article.objects.get(pk=article.pk).status == Status.IN_REVIEW

    done = client.post(url, {"note": "", "override_reason": "Breaking: the photo follows."})
    assert done.status_code == 302
    assert Article.objects.get(pk=article.pk).status == Status.PUBLISHED
    change = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert "Published despite: The featured picture has no alt text." in change.content.decode()


def test_the_publish_page_says_when_the_checks_pass(client):
    client.force_login(EditorFactory())
    article = in_review()
    page = client.get(reverse("admin:articles_article_transition", args=[article.pk, "publish"]))
    assert "The checks before publishing pass" in page.content.decode()


def test_bulk_publishing_leaves_out_the_stories_that_fail_and_names_them(client):
    client.force_login(EditorFactory())
    good = in_review(title="A clean story")
    bad = in_review(title="A story with a thumbnail", image=jpeg(width=300), image_alt="x")
    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_selected", "_selected_action": [good.pk, bad.pk]},
        follow=True,
    )
    text = response.content.decode()
    assert "Published 1 article." in text
    assert "fail the checks before publishing: A story with a thumbnail." in text
    assert Article.objects.get(pk=bad.pk).status == Status.IN_REVIEW


def test_article_pages_allow_large_image_previews(client):
    article = ArticleFactory()
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<meta name="robots" content="max-image-preview:large">' in html
