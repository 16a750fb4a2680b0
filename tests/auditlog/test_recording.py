"""Every transition, moderation decision, restore and deletion lands in the audit log,
through the services that make it, and a refused write leaves nothing there."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from auditlog.models import AuditEvent
from comments.models import Comment
from comments.services import comments_moderate
from editorial import services
from editorial.models import ArticleTransition
from tests.factories import (
    ArticleFactory,
    CommentFactory,
    EditorFactory,
    ModeratorFactory,
    ReporterFactory,
    UserFactory,
    article_by,
)

pytestmark = pytest.mark.django_db
Kind = AuditEvent.Kind


def test_each_transition_is_logged_with_who_which_article_and_the_reason():
    reporter, editor = ReporterFactory(username="lan"), EditorFactory(username="minh")
    article = article_by(reporter, title="Mường Phăng coffee harvest")
    services.article_submit(article=article, by=reporter)
    services.article_return(article=article, by=editor, reason="Name the cooperative.")
    when = timezone.now() + datetime.timedelta(hours=2)
    services.article_submit(article=article, by=reporter)
    services.article_publish(article=article, by=editor, at=when)

    events = list(AuditEvent.objects.filter(kind=Kind.TRANSITION))
    assert [(e.by_name, e.action.split(" for ")[0]) for e in events] == [
        ("minh", "In review → Published"),
        ("lan", "Returned → In review"),
        ("minh", "In review → Returned"),
        ("lan", "Draft → In review"),
    ]
    assert events[0].action.endswith(f"for {timezone.localtime(when):%Y-%m-%d %H:%M}")
    assert events[2].note == "Name the cooperative."
    assert {e.article_id for e in events} == {article.pk}
    assert {e.article_title for e in events} == {"Mường Phăng coffee harvest"}


def test_a_refused_transition_leaves_no_event():
    reporter = ReporterFactory()
    article = article_by(reporter)
    with pytest.raises(PermissionDenied):
        services.article_publish(article=article, by=reporter)
    assert not AuditEvent.objects.exists()


def test_each_moderation_decision_is_logged_per_comment_with_the_status_before():
    moderator = ModeratorFactory(username="hoa")
    article = ArticleFactory(title="Ban flower festival")
    pending = CommentFactory(article=article, status=Comment.Status.PENDING, name="Lò Thị Mai")
    approved = CommentFactory(article=article, status=Comment.Status.APPROVED)
    already = CommentFactory(article=article, status=Comment.Status.REJECTED)

    changed = comments_moderate(
        comments=Comment.objects.filter(pk__in=[pending.pk, approved.pk, already.pk]),
        status=Comment.Status.REJECTED,
        by=moderator,
    )

    assert changed == 2
    events = AuditEvent.objects.filter(kind=Kind.MODERATION).order_by("subject")
    assert [(e.by_name, e.action, e.article_id) for e in events] == [
        ("hoa", "Comment pending → rejected", article.pk),
        ("hoa", "Comment approved → rejected", article.pk),
    ]
    assert events[0].subject.startswith(f"comment #{pending.pk} by Lò Thị Mai")


def test_a_restored_revision_is_logged(client):
    editor = EditorFactory(username="minh")
    article = article_by(editor, title="First headline")
    first = article.history.earliest("history_date")
    article.title = "Second headline"
    services.article_save(article=article, by=editor)

    services.article_restore_revision(article=article, revision=first, by=editor)

    event = AuditEvent.objects.get(kind=Kind.RESTORE)
    assert (event.by_name, event.article_id, event.article_title) == (
        "minh",
        article.pk,
        "First headline",
    )
    assert "saved by" in event.subject


def test_an_article_deleted_in_the_admin_keeps_its_headline_in_the_log(client):
    editor = EditorFactory(username="minh")
    article = ArticleFactory(
        title="Story with a source's phone number", status=Article.Status.DRAFT, published_at=None
    )
    services.article_publish(article=article, by=editor)
    client.force_login(editor)

    response = client.post(
        reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()
    deletion = AuditEvent.objects.get(kind=Kind.DELETION)
    assert deletion.by_name == "minh"
    assert deletion.action == "Deleted an article (published)"
    assert deletion.article_title == "Story with a source's phone number"
    # Earlier events of the article stay, without the link, with the headline.
    assert AuditEvent.objects.filter(kind=Kind.TRANSITION, article=None).count() == 1


def test_bulk_deleting_articles_logs_each_one(client):
    editor = EditorFactory()
    one, two = ArticleFactory(title="One"), ArticleFactory(title="Two")
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "delete_selected", "_selected_action": [one.pk, two.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert sorted(
        AuditEvent.objects.filter(kind=Kind.DELETION).values_list("article_title", flat=True)
    ) == ["One", "Two"]


def test_a_reporter_refused_a_deletion_leaves_no_event():
    reporter = ReporterFactory()
    article = article_by(reporter)
    services.article_submit(article=article, by=reporter)
    AuditEvent.objects.all().delete()
    with pytest.raises(PermissionDenied):
        services.article_delete(article=article, by=reporter)
    assert Article.objects.filter(pk=article.pk).exists()
    assert not AuditEvent.objects.exists()


def test_a_comment_deleted_in_the_admin_is_logged_with_its_text(client):
    chief = UserFactory(username="chief", is_staff=True, is_superuser=True)
    comment = CommentFactory(name="Quàng Văn A", body="Số điện thoại của tôi là 0912 345 678")
    client.force_login(chief)

    response = client.post(
        reverse("admin:comments_comment_delete", args=[comment.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Comment.objects.filter(pk=comment.pk).exists()
    event = AuditEvent.objects.get(kind=Kind.DELETION)
    assert event.by_name == "chief"
    assert event.action == "Deleted a comment (approved)"
    assert "Quàng Văn A" in event.subject and "0912 345 678" in event.subject


def test_the_backfill_copies_transitions_moderation_and_admin_deletions():
    editor = EditorFactory(username="minh")
    article = ArticleFactory(title="Old story", status=Article.Status.DRAFT, published_at=None)
    services.article_publish(article=article, by=editor)
    comment = CommentFactory(article=article, status=Comment.Status.PENDING)
    comments_moderate(comments=Comment.objects.filter(pk=comment.pk), status="spam", by=editor)
    LogEntry.objects.create(
        user=editor,
        content_type=ContentType.objects.get_for_model(Article),
        object_id="999",
        object_repr="A story deleted long ago",
        action_flag=DELETION,
    )
    AuditEvent.objects.all().delete()

    importlib.import_module("auditlog.migrations.0002_backfill").backfill(apps, None)

    rows = set(AuditEvent.objects.values_list("kind", "by_name", "article_title"))
    assert rows == {
        (Kind.TRANSITION, "minh", "Old story"),
        (Kind.MODERATION, "minh", "Old story"),
        (Kind.DELETION, "minh", "A story deleted long ago"),
    }
    assert ArticleTransition.objects.count() == 1
