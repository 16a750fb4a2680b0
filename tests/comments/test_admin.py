"""Moderation in the admin: the pending queue, bulk decisions, filters, search, permissions."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from comments.models import BannedWord, Comment
from tests.factories import ArticleFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:comments_comment_changelist"


@pytest.fixture
def moderator(client):
    user = UserFactory(username="moderator", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="comments",
            codename__in=["view_comment", "change_comment", "add_bannedword", "view_bannedword"],
        )
    )
    client.force_login(user)
    return user


def test_changelist_opens_on_the_pending_queue_with_held_reasons(client, moderator):
    CommentFactory(body="Already approved text.")
    CommentFactory(
        status=Comment.Status.PENDING,
        body="Waiting for a decision.",
        held_reason="Same text from the same address within 10 minutes",
    )
    html = client.get(reverse(CHANGELIST)).content.decode()
    assert "Waiting for a decision." in html
    assert "Same text from the same address within 10 minutes" in html
    assert "Already approved text." not in html
    everything = client.get(reverse(CHANGELIST), {"status": "all"}).content.decode()
    assert "Already approved text." in everything and "Waiting for a decision." in everything


@pytest.mark.parametrize(
    ("action", "status"),
    [("approve", "approved"), ("reject", "rejected"), ("mark_spam", "spam")],
)
def test_bulk_actions_set_the_status_and_record_the_moderator(client, moderator, action, status):
    comments = CommentFactory.create_batch(3, status=Comment.Status.PENDING)
    response = client.post(
        reverse(CHANGELIST),
        {"action": action, "_selected_action": [c.pk for c in comments[:2]]},
    )
    assert response.status_code == 302
    statuses = list(Comment.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == [status, status, "pending"]
    first = Comment.objects.get(pk=comments[0].pk)
    assert first.moderated_by == moderator and first.moderated_at is not None


def test_approving_in_the_admin_puts_the_comment_under_the_article(client, moderator):
    comment = CommentFactory(status=Comment.Status.PENDING, body="Hello from Mường Thanh.")
    article_url = comment.article.get_absolute_url()
    assert "Hello from Mường Thanh." not in client.get(article_url).content.decode()
    client.post(reverse(CHANGELIST), {"action": "approve", "_selected_action": [comment.pk]})
    assert "Hello from Mường Thanh." in client.get(article_url).content.decode()


def test_changing_status_on_the_comment_page_goes_through_moderation(client, moderator):
    comment = CommentFactory(status=Comment.Status.PENDING)
    url = reverse("admin:comments_comment_change", args=[comment.pk])
    assert client.post(url, {"status": "approved"}).status_code == 302
    comment.refresh_from_db()
    assert comment.status == "approved" and comment.moderated_by == moderator


def test_filters_by_article_and_date_and_search(client, moderator):
    one = ArticleFactory(title="Flower festival")
    other = ArticleFactory(title="Rice harvest")
    CommentFactory(article=one, body="About the flowers here.")
    CommentFactory(article=other, body="About the rice fields.")
    by_article = client.get(reverse(CHANGELIST), {"status": "all", "article__id__exact": one.pk})
    assert "About the flowers" in by_article.content.decode()
    assert "About the rice" not in by_article.content.decode()
    search = client.get(reverse(CHANGELIST), {"status": "all", "q": "rice fields"})
    assert "About the rice" in search.content.decode()
    assert "About the flowers" not in search.content.decode()
    html = client.get(reverse(CHANGELIST), {"status": "all"}).content.decode()
    assert "created__gte" in html or "created__year" in html  # date filter and hierarchy


def test_staff_without_the_comment_permission_cannot_moderate(client):
    user = UserFactory(username="reporter", is_staff=True)
    client.force_login(user)
    comment = CommentFactory(status=Comment.Status.PENDING)
    assert client.get(reverse(CHANGELIST)).status_code == 403
    client.post(reverse(CHANGELIST), {"action": "approve", "_selected_action": [comment.pk]})
    assert Comment.objects.get().status == "pending"


def test_view_only_moderator_cannot_run_bulk_actions(client):
    user = UserFactory(username="viewer", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_comment"))
    client.force_login(user)
    comment = CommentFactory(status=Comment.Status.PENDING)
    client.post(reverse(CHANGELIST), {"action": "approve", "_selected_action": [comment.pk]})
    assert Comment.objects.get().status == "pending"


def test_comments_cannot_be_added_in_the_admin(client, moderator):
    moderator.is_superuser = True
    moderator.save()
    assert client.get(reverse("admin:comments_comment_add")).status_code == 403


def test_banned_words_are_edited_in_the_admin(client, moderator):
    response = client.post(
        reverse("admin:comments_bannedword_add"), {"word": "  cá độ ", "note": "betting"}
    )
    assert response.status_code == 302
    assert BannedWord.objects.get().word == "cá độ"


def test_match_any_tones_is_a_per_word_choice_for_words_written_without_tones(client, moderator):
    add = reverse("admin:comments_bannedword_add")
    response = client.post(add, {"word": "lừa đảo", "any_tones": "on"})
    assert response.status_code == 200
    assert "Write the word without tones or marks" in response.content.decode()
    assert not BannedWord.objects.exists()
    assert client.post(add, {"word": "lua dao", "any_tones": "on"}).status_code == 302
    assert client.post(add, {"word": "ngu"}).status_code == 302
    assert list(BannedWord.objects.values_list("word", "any_tones")) == [
        ("lua dao", True),
        ("ngu", False),
    ]


def test_moderators_see_why_a_comment_was_held(client, moderator):
    CommentFactory(
        status=Comment.Status.SPAM, name="Đồ Ngốc", held_reason="Banned word in the name: đồ ngốc"
    )
    html = client.get(reverse(CHANGELIST) + "?status=spam").content.decode()
    assert "Banned word in the name: đồ ngốc" in html


def test_editors_close_comments_on_the_article_form(admin_client):
    article = ArticleFactory()
    html = admin_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert 'name="comments_open"' in html.content.decode()
