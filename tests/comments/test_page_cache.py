"""With the anonymous page cache on, readers see a comment as soon as it is approved."""

import pytest

from comments.models import Comment
from comments.services import comments_moderate
from tests.comments.test_views import post
from tests.factories import ArticleFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_on(page_cache_on):
    """Every test here runs with the page cache on."""


def anonymous_get(client, url):
    client.cookies.clear()
    return client.get(url)


def test_approving_a_comment_refreshes_the_cached_article_page(client, commit):
    article = ArticleFactory()
    comment = CommentFactory(article=article, status=Comment.Status.PENDING, body="Xin chào!")
    url = article.get_absolute_url()
    anonymous_get(client, url)
    assert anonymous_get(client, url)["X-Page-Cache"] == "hit"
    commit(
        lambda: comments_moderate(
            comments=Comment.objects.filter(pk=comment.pk), status="approved", by=UserFactory()
        )
    )
    html = anonymous_get(client, url).content.decode()
    assert "Xin chào!" in html
    section_page = anonymous_get(client, article.section.get_absolute_url()).content.decode()
    assert "1 comment<" in section_page


def test_removing_an_approved_comment_refreshes_the_page(client, commit):
    article = ArticleFactory()
    comment = CommentFactory(article=article, body="Soon to be removed.")
    url = article.get_absolute_url()
    assert "Soon to be removed." in anonymous_get(client, url).content.decode()
    commit(comment.delete)
    assert "Soon to be removed." not in anonymous_get(client, url).content.decode()


def test_a_pending_comment_leaves_cached_pages_alone(client, commit):
    article = ArticleFactory()
    url = article.get_absolute_url()
    anonymous_get(client, url)
    commit(lambda: post(client, article, body="Waiting in the queue."))
    assert anonymous_get(client, url)["X-Page-Cache"] == "hit"


def test_post_moderation_comment_appears_at_once(client, commit, settings):
    settings.NEWSROOM_COMMENTS_PREMODERATION = False
    article = ArticleFactory()
    url = article.get_absolute_url()
    anonymous_get(client, url)
    commit(lambda: post(client, article, body="Published straight away."))
    assert "Published straight away." in anonymous_get(client, url).content.decode()
