"""The whole path a story takes, in the admin, as a reporter and an editor would click it."""

import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.editorial.admin_forms import change_form_data
from tests.factories import EditorFactory, ReporterFactory, SectionFactory, jpeg_bytes

pytestmark = pytest.mark.django_db


def photo():
    return SimpleUploadedFile(
        "tea.jpg", jpeg_bytes(1200, 750, (20, 90, 40)), content_type="image/jpeg"
    )


def test_reporter_writes_editor_returns_reporter_fixes_editor_schedules_it_goes_live(
    time_machine, django_capture_on_commit_callbacks
):
    start = timezone.make_aware(datetime.datetime(2026, 5, 4, 8, 0, 0))
    time_machine.move_to(start, tick=False)
    section = SectionFactory(name="Economy", slug="economy")
    reporter, editor = ReporterFactory(), EditorFactory()
    as_reporter, as_editor, reader = Client(), Client(), Client()
    as_reporter.force_login(reporter)
    as_editor.force_login(editor)

    as_reporter.post(
        reverse("admin:articles_article_add"),
        {
            "title": "Shan tuyết tea fetches record prices",
            "section": section.pk,
            "lead": "Tea from the old trees of Tủa Chùa sold out in a day.",
            "body": "<p>Growers said the harvest was small.</p>",
            "tags": "tea, Tủa Chùa",
            "image": photo(),
            "image_alt": "Tea pickers on a hillside",
            "image_caption": "Picking season in Tủa Chùa.",
            "image_credit": "Staff",
            "bylines-TOTAL_FORMS": "0",
            "bylines-INITIAL_FORMS": "0",
            "corrections-TOTAL_FORMS": "0",
            "corrections-INITIAL_FORMS": "0",
        },
    )
    article = Article.objects.get()
    assert article.image and sorted(article.tags.names()) == ["Tủa Chùa", "tea"]
    transition = "admin:articles_article_transition"
    change = reverse("admin:articles_article_change", args=[article.pk])

    with django_capture_on_commit_callbacks(execute=True):
        as_reporter.post(reverse(transition, args=[article.pk, "submit"]), {"note": ""})
        as_editor.post(
            reverse(transition, args=[article.pk, "return"]), {"note": "Give the price per kg."}
        )
    assert "Give the price per kg." in as_reporter.get(change).content.decode()
    page = as_reporter.get(change)
    body = "<p>Growers said the harvest was small; tea sold at 2 million đồng a kilo.</p>"
    assert as_reporter.post(change, change_form_data(page, body=body)).status_code == 302

    at = start + datetime.timedelta(minutes=5)
    local = timezone.localtime(at)
    with django_capture_on_commit_callbacks(execute=True):
        as_reporter.post(reverse(transition, args=[article.pk, "submit"]), {"note": "Fixed."})
        as_editor.post(
            reverse(transition, args=[article.pk, "publish"]),
            {"published_at_0": f"{local:%Y-%m-%d}", "published_at_1": f"{local:%H:%M:%S}"},
        )
    subjects = [m.subject for m in mail.outbox]
    assert subjects == [
        "Submitted for review: Shan tuyết tea fetches record prices",
        "Returned to you: Shan tuyết tea fetches record prices",
        "Submitted for review: Shan tuyết tea fetches record prices",
        "Scheduled: Shan tuyết tea fetches record prices",
    ]
    article.refresh_from_db()
    assert [t.to_status for t in article.transitions.order_by("at", "pk")] == [
        "in_review", "returned", "in_review", "published",
    ]  # fmt: skip

    time_machine.move_to(at - datetime.timedelta(seconds=1), tick=False)
    assert reader.get(article.get_absolute_url()).status_code == 404
    time_machine.move_to(at, tick=False)
    html = reader.get(article.get_absolute_url()).content.decode()
    assert "2 million đồng a kilo" in html and "Picking season in Tủa Chùa." in html
    assert "Shan tuyết tea fetches record prices" in reader.get("/").content.decode()
