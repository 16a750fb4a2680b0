"""Mail to the people an article concerns, sent by the task backend (editorial/tasks.py):
never inside the request, never before the transition commits, and a failed send is only
logged: mail never blocks or undoes a transition.

With the database backend (NEWSROOM_TASKS=database) the mail is stored in the transition's
own transaction, so it exists exactly when the transition committed, and a worker that was
stopped sends it when it comes back. With the in-process default it is sent right after
the commit, by the process that made it."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django_tasks_db import DatabaseBackend

from articles.models import Article
from editorial.roles import EDITOR
from editorial.tasks import send_notification


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

    def enqueue():
        send_notification.enqueue(subject=subject, body=body, recipients=recipients)

    # The database backend writes the task into the open transaction (of the primary, where
    # every write goes): it commits or rolls back with the transition.
    if isinstance(send_notification.get_backend(), DatabaseBackend):
        enqueue()
    else:
        transaction.on_commit(enqueue, robust=True)
