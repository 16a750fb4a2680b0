"""Mail to the people an article concerns. Sent after the transaction commits; a failed
send is only logged: mail never blocks or undoes a transition."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from articles.models import Article
from editorial.roles import EDITOR

logger = logging.getLogger(__name__)


def display_name(user) -> str:
    return user.get_full_name() or user.get_username()


def admin_link(article: Article) -> str:
    path = reverse("admin:articles_article_change", args=[article.pk])
    return settings.NEWSROOM_ADMIN_ORIGIN.rstrip("/") + path


def author_emails(article: Article, *, exclude=None) -> list[str]:
    users = get_user_model().objects.filter(
        Q(pk=article.created_by_id) | Q(author_profile__bylines__article=article),
        is_active=True,
    )
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return sorted({u.email for u in users if u.email})


def editor_emails(*, exclude=None) -> list[str]:
    users = get_user_model().objects.filter(
        Q(groups__name=EDITOR) | Q(is_superuser=True), is_active=True
    )
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return sorted({u.email for u in users if u.email})


def notify_after_commit(*, recipients: list[str], subject: str, body: str) -> None:
    if not recipients:
        return

    def send():
        try:
            send_mail(subject, body, None, recipients)
        except Exception:
            # The transition is committed and stays; the failure is for the logs.
            logger.exception("Could not send %r to %s", subject, recipients)

    transaction.on_commit(send, robust=True)
