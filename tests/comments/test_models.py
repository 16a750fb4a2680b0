import datetime
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from comments.models import Comment
from comments.validators import BODY_MAX_CODE_POINTS
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db


def insert_raw(article, body):
    """Insert a row behind Django's back, as a careless script or another app would."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO comments_comment (article_id, name, email, body, status, held_reason, "
            "created, ip_hash, user_agent) VALUES (%s, %s, %s, %s, %s, '', %s, '', '')",
            [article.pk, "Reader", "r@example.com", body, "approved", timezone.now()],
        )


def test_database_refuses_a_four_character_body_inserted_directly():
    article = ArticleFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_raw(article, "Hay!")
    assert not Comment.objects.exists()


def test_database_holds_500_characters_of_emoji_and_refuses_what_no_comment_can_be():
    article = ArticleFactory()
    insert_raw(article, "Tuyệt")
    insert_raw(article, "ệ" * 500)
    insert_raw(article, "👨‍👩‍👧‍👦" * 500)  # 500 characters a reader sees, 3,500 code points
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_raw(article, "ệ" * (BODY_MAX_CODE_POINTS + 1))
    assert Comment.objects.count() == 3


def test_database_counts_characters_not_bytes():
    # 500 letters of three UTF-8 bytes each: a byte count would refuse this.
    article = ArticleFactory()
    insert_raw(article, "ệ" * 500)
    assert len(("ệ" * 500).encode()) == 1500
    assert Comment.objects.get().body == "ệ" * 500


def test_database_refuses_an_unknown_status():
    comment = CommentFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.filter(pk=comment.pk).update(status="published")


def test_model_validation_counts_like_the_form_and_stores_nfc():
    article = ArticleFactory()
    typed = unicodedata.normalize("NFD", "  Điện Biên đẹp quá\r\n ")
    comment = Comment(article=article, name=" Lan ", email="lan@example.com", body=typed)
    comment.full_clean()
    comment.save()
    comment.refresh_from_db()
    assert comment.body == "Điện Biên đẹp quá"
    assert comment.name == "Lan"
    with pytest.raises(ValidationError) as error:
        Comment(article=article, name="Lan", email="lan@example.com", body="Hay!").full_clean()
    assert error.value.message_dict["body"] == ["Please enter 5 or more characters!!!"]


def test_approved_is_the_only_public_door_oldest_first():
    article = ArticleFactory()
    now = timezone.now()
    later = CommentFactory(article=article, created=now)
    earlier = CommentFactory(article=article, created=now - datetime.timedelta(hours=1))
    for status in ["pending", "rejected", "spam"]:
        CommentFactory(article=article, status=status)
    assert list(Comment.objects.approved()) == [earlier, later]
    assert list(article.comments.approved()) == [earlier, later]


def test_listing_annotation_counts_only_approved_comments():
    from articles.models import Article

    article = ArticleFactory()
    CommentFactory.create_batch(2, article=article)
    CommentFactory(article=article, status=Comment.Status.PENDING)
    CommentFactory(article=article, status=Comment.Status.SPAM)
    quiet = ArticleFactory()
    counts = dict(
        Article.objects.published().for_listing().values_list("pk", "approved_comment_count")
    )
    assert counts == {article.pk: 2, quiet.pk: 0}
