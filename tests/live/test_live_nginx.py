"""deploy/nginx.conf in front of a live story: a poll with the page's ETag is answered 304
while nothing changed, and an entry added reaches the next poll within nginx's second."""

import time

import pytest
from django.urls import reverse

from live.services import entry_post
from tests.factories import EditorFactory, LiveCoverageFactory
from tests.nginx import fetch
from tests.test_nginx_config import proxy  # noqa: F401 (a fixture)

# serialized_rollback: see tests/comments/test_concurrency.py.
pytestmark = [pytest.mark.nginx, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_poll_through_nginx_is_304_until_an_entry_is_added(proxy):  # noqa: F811
    coverage = LiveCoverageFactory()
    url = proxy + reverse("live:updates", kwargs={"slug": coverage.article.slug})
    status, headers, _body = fetch(url)
    assert status == 200
    etag = headers["ETag"]
    assert [fetch(url, **{"If-None-Match": etag})[0] for _ in range(3)] == [304, 304, 304]

    entry_post(coverage=coverage, by=EditorFactory(), text="Soldiers arrive with boats.")
    time.sleep(1.1)  # nginx's micro-cache keeps a copy for up to a second
    status, headers, body = fetch(url, **{"If-None-Match": etag})
    assert status == 200 and headers["ETag"] != etag
    assert b"Soldiers arrive with boats." in body
