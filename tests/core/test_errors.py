"""Errors are recorded (a log line with the traceback and the request id, mail to ADMINS,
an error tracker) and answered (the 500 page quoting the request id; the 503 when the
database is the cause)."""

import io
import json
import logging

import pytest
import sentry_sdk
from django.core import mail
from django.test import Client
from sentry_sdk.transport import Transport

from core.errors import JSONFormatter

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.security.error_urls")]


@pytest.fixture
def client():
    # Errors answer their page instead of being raised into the test.
    return Client(raise_request_exception=False)


@pytest.fixture
def log_lines():
    """What the configured stderr handler writes, as JSON lines (the production format)."""
    (handler,) = [h for h in logging.getLogger().handlers if h.get_name() == "stderr"]
    stream, formatter = io.StringIO(), handler.formatter
    previous = handler.setStream(stream)
    handler.setFormatter(JSONFormatter())
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        handler.setStream(previous)
        handler.setFormatter(formatter)


def test_an_unhandled_error_is_logged_with_its_traceback_and_request_id(client, log_lines):
    response = client.get("/test-errors/500/")
    assert response.status_code == 500
    request_id = response["X-Request-ID"]
    (record,) = [line for line in log_lines() if line["level"] == "ERROR"]
    assert record["logger"] == "django.request"
    assert record["request_id"] == request_id
    assert record["status"] == 500 and record["path"] == "/test-errors/500/"
    assert "RuntimeError: broken on purpose" in record["exception"]
    assert "Traceback" in record["exception"]


def test_the_500_page_quotes_the_request_id_of_its_log_line(client):
    response = client.get("/test-errors/500/")
    html = response.content.decode()
    assert len(response["X-Request-ID"]) >= 16
    assert f"<code>{response['X-Request-ID']}</code>" in html
    assert "broken on purpose" not in html


def test_every_response_carries_a_request_id_of_its_own(client):
    first, second = client.get("/no-such-page/"), client.get("/no-such-page/")
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_the_proxys_request_id_is_used_only_when_trusted(client, settings, log_lines):
    nginx_id = "4f1c2b9e0d8a7c6b5a4f3e2d1c0b9a88"
    settings.NEWSROOM_TRUST_REQUEST_ID = False
    assert client.get("/", HTTP_X_REQUEST_ID=nginx_id)["X-Request-ID"] != nginx_id

    settings.NEWSROOM_TRUST_REQUEST_ID = True
    response = client.get("/test-errors/500/", HTTP_X_REQUEST_ID=nginx_id)
    assert response["X-Request-ID"] == nginx_id
    assert nginx_id in response.content.decode()
    assert [line["request_id"] for line in log_lines() if line["level"] == "ERROR"] == [nginx_id]


@pytest.mark.parametrize("forged", ["x", "abc def ghi jkl", 'a"b\nINFO forged line', "9" * 200])
def test_a_request_id_that_is_not_an_id_is_replaced(client, settings, forged):
    settings.NEWSROOM_TRUST_REQUEST_ID = True
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID=forged)
    assert response["X-Request-ID"] != forged
    assert len(response["X-Request-ID"]) == 32


def test_a_log_record_is_one_line_even_with_a_traceback(client, log_lines):
    client.get("/test-errors/500/")
    assert all(isinstance(line, dict) for line in log_lines())
    assert any("\n" in line.get("exception", "") for line in log_lines())


def test_admins_are_mailed_a_server_error_with_the_request_id(client, settings):
    settings.ADMINS = [("Desk", "desk@news.example")]
    response = client.get("/test-errors/500/")
    (message,) = mail.outbox
    assert message.to == ["desk@news.example"]
    assert "/test-errors/500/" in message.subject
    assert "RuntimeError" in message.body and "broken on purpose" in message.body
    assert response["X-Request-ID"] in message.body


def test_a_database_outage_mails_admins_once_not_once_per_request(client, settings, log_lines):
    settings.ADMINS = [("Desk", "desk@news.example")]
    answers = [client.get("/test-errors/database/").status_code for _ in range(5)]
    assert answers == [503] * 5
    (message,) = mail.outbox
    assert "OperationalError" in message.body
    # The log keeps every one.
    assert len([line for line in log_lines() if line["level"] == "ERROR"]) == 5


def test_another_kind_of_error_is_mailed_within_the_same_window(client, settings):
    settings.ADMINS = [("Desk", "desk@news.example")]
    client.get("/test-errors/database/")
    client.get("/test-errors/database/")
    client.get("/test-errors/500/")
    assert ["OperationalError" in m.body for m in mail.outbox] == [True, False]


def test_after_the_window_the_next_mail_says_how_many_were_held_back(client, settings, monkeypatch):
    settings.ADMINS = [("Desk", "desk@news.example")]
    settings.NEWSROOM_ERROR_MAIL_SECONDS = 300
    clock = [1000.0]
    monkeypatch.setattr("core.errors.time.monotonic", lambda: clock[0])
    for _ in range(4):
        client.get("/test-errors/database/")
    clock[0] += 301
    client.get("/test-errors/database/")
    first, second = mail.outbox
    assert "more error(s) like this" not in first.body
    assert "3 more error(s) like this one were not mailed in the 300 s" in second.body


def test_with_no_window_every_error_is_mailed(client, settings):
    settings.ADMINS = [("Desk", "desk@news.example")]
    settings.NEWSROOM_ERROR_MAIL_SECONDS = 0
    for _ in range(3):
        client.get("/test-errors/database/")
    assert len(mail.outbox) == 3


def test_without_admins_nobody_is_mailed(client, settings):
    settings.ADMINS = []
    client.get("/test-errors/500/")
    assert mail.outbox == []


@pytest.fixture
def sentry_events(settings, monkeypatch):
    """sentry-sdk started by the site's own code, its events kept here instead of sent."""
    from core.errors import start_error_tracker

    events = []
    real_init = sentry_sdk.init

    class Kept(Transport):
        def capture_envelope(self, envelope):
            if envelope.get_event() is not None:
                events.append(envelope.get_event())

    def init(**options):
        return real_init(**options, transport=Kept)

    settings.SENTRY_DSN = "https://public@errors.example/1"
    monkeypatch.setattr(sentry_sdk, "init", init)
    assert start_error_tracker()
    yield events
    # The tracker off again for the tests that follow.
    sentry_sdk.get_client().close()
    sentry_sdk.get_global_scope().set_client(None)


def test_with_a_sentry_dsn_errors_reach_the_tracker_with_the_request_id(client, sentry_events):
    response = client.get("/test-errors/500/")
    sentry_sdk.flush()
    (event,) = [e for e in sentry_events if e.get("level") == "error" and "exception" in e]
    assert event["exception"]["values"][-1]["value"] == "broken on purpose"
    assert event["tags"]["request_id"] == response["X-Request-ID"]
    assert "REMOTE_ADDR" not in json.dumps(event)


def test_without_a_sentry_dsn_no_tracker_is_started(settings, monkeypatch):
    from core.errors import start_error_tracker

    started = []
    monkeypatch.setattr(sentry_sdk, "init", lambda **options: started.append(options))
    settings.SENTRY_DSN = ""
    assert start_error_tracker() is False
    assert started == []
    assert not sentry_sdk.get_client().is_active()


@pytest.mark.parametrize("url", ["/test-errors/database/", "/test-errors/connection/"])
def test_a_database_error_answers_the_styled_503_with_retry_after(client, settings, url):
    settings.NEWSROOM_RETRY_AFTER_SECONDS = 120
    response = client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "120"
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert '<p class="error-page__code">503</p>' in html
    assert 'href="/static/css/site.css"' in html
    assert "try again in 2 minutes" in html
    assert f"<code>{response['X-Request-ID']}</code>" in html
    assert "server closed" not in html and "already closed" not in html


def test_the_503_page_needs_no_database(settings, django_assert_num_queries):
    from django.test import RequestFactory

    from core.errors import database_unavailable

    request = RequestFactory().post("/", {"body": "Một bình luận dài về bài báo này."})
    with django_assert_num_queries(0):
        response = database_unavailable(request)
    html = response.content.decode()
    assert "What you sent was not stored" in html
    assert "Một bình luận dài về bài báo này." in html
