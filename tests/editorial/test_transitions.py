"""Status transitions: the services, their log and the mail they send after commit."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from articles.models import Article
from editorial import services
from tests.factories import EditorFactory, ReporterFactory, article_by

pytestmark = pytest.mark.django_db
Status = Article.Status


class ExplodingBackend:
    """An email backend whose server is down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server unreachable")


def transition_url(article, action):
    return reverse("admin:articles_article_transition", args=[article.pk, action])


def test_every_transition_is_logged_with_who_when_from_to_and_note(client):
    reporter, editor = ReporterFactory(), EditorFactory()
    article = article_by(reporter)
    services.article_submit(article=article, by=reporter)
    services.article_return(article=article, by=editor, reason="Add the district's name.")
    services.article_submit(article=article, by=reporter)
    services.article_publish(article=article, by=editor)
    services.article_unpublish(article=article, by=editor, note="Legal asked.")
    log = list(article.transitions.order_by("at", "pk"))
    assert [(t.by, t.from_status, t.to_status) for t in log] == [
        (reporter, Status.DRAFT, Status.IN_REVIEW),
        (editor, Status.IN_REVIEW, Status.RETURNED),
        (reporter, Status.RETURNED, Status.IN_REVIEW),
        (editor, Status.IN_REVIEW, Status.PUBLISHED),
        (editor, Status.PUBLISHED, Status.UNPUBLISHED),
    ]
    assert log[1].note == "Add the district's name." and log[4].note == "Legal asked."
    assert log[3].published_at is not None

    client.force_login(editor)
    html = client.get(reverse("admin:articles_article_change", args=[article.pk])).content
    html = html.decode()
    assert "Legal asked." in html and "Add the district&#x27;s name." in html
    assert html.count("<tr><td>") == 5


def test_return_requires_a_reason_which_the_author_sees(client):
    reporter, editor = ReporterFactory(), EditorFactory()
    article = article_by(reporter, status=Status.IN_REVIEW)
    with pytest.raises(ValidationError):
        services.article_return(article=article, by=editor, reason="   ")
    client.force_login(editor)
    response = client.post(transition_url(article, "return"), {"note": ""})
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW

    client.post(transition_url(article, "return"), {"note": "Check the casualty figures."})
    client.force_login(reporter)
    html = client.get(reverse("admin:articles_article_change", args=[article.pk])).content
    assert "Returned because: Check the casualty figures." in html.decode()


@pytest.mark.parametrize(
    ("action", "status"),
    [("submit", Status.PUBLISHED), ("return", Status.DRAFT), ("unpublish", Status.IN_REVIEW)],
)
def test_transitions_from_the_wrong_status_are_refused(action, status):
    article = article_by(ReporterFactory(), status=status)
    kwargs = {"reason": "x"} if action == "return" else {}
    with pytest.raises(PermissionDenied):
        services.TRANSITION_SERVICES[action](article=article, by=EditorFactory(), **kwargs)
    assert not article.transitions.exists()


def test_reporter_cannot_submit_someone_elses_draft():
    article = article_by(ReporterFactory())
    with pytest.raises(PermissionDenied):
        services.article_submit(article=article, by=ReporterFactory())


def test_editors_are_emailed_on_submit_and_the_author_on_return_and_publish(
    django_capture_on_commit_callbacks,
):
    reporter, editor = ReporterFactory(), EditorFactory()
    article = article_by(reporter, title="Bridge opens")
    with django_capture_on_commit_callbacks(execute=True):
        services.article_submit(article=article, by=reporter)
    assert [m.to for m in mail.outbox] == [[editor.email]]
    assert "Bridge opens" in mail.outbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        services.article_return(article=article, by=editor, reason="Name the contractor.")
    assert mail.outbox[1].to == [reporter.email]
    assert "Name the contractor." in mail.outbox[1].body
    services.article_submit(article=article, by=reporter)
    with django_capture_on_commit_callbacks(execute=True):
        services.article_publish(article=article, by=editor)
    assert mail.outbox[-1].to == [reporter.email]
    assert mail.outbox[-1].subject.startswith("Published")


def test_mail_waits_for_the_transaction_to_commit(django_capture_on_commit_callbacks):
    reporter = ReporterFactory()
    EditorFactory()
    article = article_by(reporter)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.article_submit(article=article, by=reporter)
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1


def test_a_failing_mail_server_never_undoes_the_transition(
    client, settings, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = f"{__name__}.ExplodingBackend"
    reporter, editor = ReporterFactory(), EditorFactory()
    article = article_by(reporter, status=Status.IN_REVIEW)
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(transition_url(article, "publish"), {"note": ""})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.is_live and article.transitions.count() == 1
    assert "Could not send" in caplog.text


@pytest.mark.parametrize(
    "data",
    [
        {"published_at_0": "not a date", "published_at_1": "25:99"},
        {"published_at_0": "2026-01-01"},
        {"published_at_0": "\x00", "published_at_1": "\x00"},
    ],
)
def test_a_malformed_publish_time_is_a_form_error_not_a_500(client, data):
    article = article_by(ReporterFactory(), status=Status.IN_REVIEW)
    client.force_login(EditorFactory())
    response = client.post(transition_url(article, "publish"), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW
