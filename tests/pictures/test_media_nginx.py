"""deploy/nginx.conf's media locations: the app's gate decides, nginx sends the file."""

import shutil
import threading

import pytest

from articles.models import Article
from tests.factories import ArticleFactory, jpeg
from tests.nginx import fetch, media_folder, nginx_in_front

pytestmark = [
    pytest.mark.nginx,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def app_server(live_server):
    """The site without the test server's own media handler (Django's live server answers
    MEDIA_URL from disk itself, which would bypass the gate this file tests)."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

    server = ThreadedWSGIServer(("127.0.0.1", 0), WSGIRequestHandler, allow_reuse_address=False)
    server.set_app(WSGIHandler())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def proxy(app_server, settings):
    settings.MEDIA_ROOT = media_folder()
    settings.NEWSROOM_MEDIA_ACCEL_REDIRECT = "/_media/"
    try:
        with nginx_in_front(app_server, media_root=settings.MEDIA_ROOT) as base:
            yield base
    finally:
        shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


def test_nginx_sends_published_pictures_with_nosniff_and_a_sandboxing_csp(proxy):
    article = ArticleFactory(image=jpeg())
    status, headers, body = fetch(proxy + article.image.url)
    assert status == 200
    assert body == article.image.open("rb").read()
    assert headers["Content-Type"] == "image/jpeg"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert headers["Cache-Control"] == "public, max-age=600"


def test_nginx_does_not_send_a_drafts_picture_and_its_files_cannot_be_named(proxy):
    draft = ArticleFactory(image=jpeg(), status=Article.Status.DRAFT, published_at=None)
    status, headers, _ = fetch(proxy + draft.image.url)
    assert status == 404
    assert headers["X-Content-Type-Options"] == "nosniff"
    # The internal location that holds the files answers no request of its own.
    assert fetch(proxy + "/_media/" + draft.image.name)[0] == 404


def test_a_stored_file_that_is_not_a_picture_is_a_download_through_nginx(proxy, settings):
    (settings.MEDIA_ROOT / "old.html").write_bytes(b"<script>alert(1)</script>")
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("desk", password="pw-desk-1", is_staff=True)
    from django.test import Client

    client = Client()
    client.login(username="desk", password="pw-desk-1")
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    status, headers, _ = fetch(proxy + "/media/old.html", Cookie=cookie)
    assert status == 200
    assert headers["Content-Type"] == "application/octet-stream"
    assert headers["Content-Disposition"] == "attachment"
    assert headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
