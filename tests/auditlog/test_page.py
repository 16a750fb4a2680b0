"""The audit page: for editors only (the server answers 403 to everyone else), newest
first, searchable by person, article and date, paginated, read-only, linked from the desk."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from auditlog.models import AuditEvent
from auditlog.services import audit_record
from tests.factories import (
    ArticleFactory,
    EditorFactory,
    ModeratorFactory,
    ReporterFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
AUDIT = "admin:auditlog_auditevent_changelist"


def event(*, by, article=None, at=None, action="Draft → In review", **kwargs):
    return audit_record(
        kind=AuditEvent.Kind.TRANSITION, by=by, article=article, action=action, at=at, **kwargs
    )


@pytest.mark.parametrize("factory", [ReporterFactory, ModeratorFactory])
def test_reporters_and_moderators_are_refused_the_audit_page(client, factory):
    event(by=EditorFactory(), article=ArticleFactory(title="A returned story"))
    client.force_login(factory())

    response = client.get(reverse(AUDIT))

    assert response.status_code == 403
    assert "A returned story" not in response.content.decode()


@pytest.mark.parametrize("factory", [ReporterFactory, ModeratorFactory])
def test_the_admin_home_offers_no_audit_link_to_reporters_and_moderators(client, factory):
    client.force_login(factory())
    html = client.get(reverse("admin:index")).content.decode()
    assert reverse(AUDIT) not in html


def test_an_editor_reads_the_log_newest_first(client):
    editor = EditorFactory(username="minh")
    now = timezone.now()
    event(by=editor, article=ArticleFactory(title="Older story"), at=now - datetime.timedelta(1))
    event(by=editor, article=ArticleFactory(title="Newer story"), at=now)
    client.force_login(editor)

    response = client.get(reverse(AUDIT))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Newer story") < html.index("Older story")
    assert "minh" in html


def test_superusers_read_the_log_too(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get(reverse(AUDIT)).status_code == 200


def test_the_log_is_searched_by_person_and_by_article(client):
    lan, minh = EditorFactory(username="lan"), EditorFactory(username="minh")
    rice = ArticleFactory(title="Mường Thanh rice harvest")
    event(by=lan, article=rice)
    event(by=minh, article=ArticleFactory(title="Border market opens"))
    client.force_login(minh)

    by_person = client.get(reverse(AUDIT), {"q": "lan"}).content.decode()
    assert "Mường Thanh rice harvest" in by_person and "Border market opens" not in by_person

    by_title = client.get(reverse(AUDIT), {"q": "border market"}).content.decode()
    assert "Border market opens" in by_title and "Mường Thanh rice harvest" not in by_title

    by_filter = client.get(reverse(AUDIT), {"by__id__exact": lan.pk}).content.decode()
    assert "Mường Thanh rice harvest" in by_filter and "Border market opens" not in by_filter

    by_article = client.get(reverse(AUDIT), {"article__id__exact": rice.pk}).content.decode()
    assert "Mường Thanh rice harvest" in by_article and "Border market opens" not in by_article


def test_the_log_is_filtered_by_date(client):
    editor = EditorFactory()
    event(
        by=editor,
        article=ArticleFactory(title="A story of last year"),
        at=timezone.now().replace(year=2024),
    )
    event(by=editor, article=ArticleFactory(title="A story of today"))
    client.force_login(editor)
    today = timezone.localdate()

    html = client.get(
        reverse(AUDIT), {"at__year": today.year, "at__month": today.month, "at__day": today.day}
    ).content.decode()

    assert "A story of today" in html and "A story of last year" not in html


def test_the_log_is_paginated(client):
    editor = EditorFactory()
    now = timezone.now()
    for n in range(55):
        event(by=editor, action=f"Event {n:02d}", at=now - datetime.timedelta(minutes=n))
    client.force_login(editor)

    first = client.get(reverse(AUDIT)).content.decode()
    second = client.get(reverse(AUDIT), {"p": 2}).content.decode()

    assert "Event 00" in first and "Event 49" in first and "Event 50" not in first
    assert "Event 50" in second and "Event 54" in second and "Event 00" not in second


def test_nobody_adds_changes_or_deletes_an_event(client):
    editor = EditorFactory()
    logged = event(by=editor, action="Draft → In review")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    assert client.get(reverse("admin:auditlog_auditevent_add")).status_code == 403
    assert (
        client.post(
            reverse("admin:auditlog_auditevent_delete", args=[logged.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    response = client.post(
        reverse("admin:auditlog_auditevent_change", args=[logged.pk]), {"action": "Forged"}
    )
    assert response.status_code == 403
    logged.refresh_from_db()
    assert logged.action == "Draft → In review"


def test_the_editors_desk_shows_the_last_day_of_the_log_and_links_to_it(client):
    editor = EditorFactory(username="minh")
    event(
        by=editor,
        article=ArticleFactory(title="Mường Thanh rice harvest"),
        action="Draft → Published",
    )
    client.force_login(editor)

    html = client.get(reverse("admin:index")).content.decode()

    assert f'href="{reverse(AUDIT)}"' in html
    assert "Audit log: the last 24 hours" in html
    assert "Draft → Published: Mường Thanh rice harvest" in html
