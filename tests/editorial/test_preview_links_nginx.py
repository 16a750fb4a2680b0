"""deploy/nginx.conf in front of the site never shares a preview link's page: each request
reaches the app, so a revoked link answers 410 at once."""

import pytest

from editorial import services
from tests.factories import EditorFactory, ReporterFactory, article_by
from tests.nginx import fetch
from tests.test_nginx_config import proxy  # noqa: F401 (a fixture)

# serialized_rollback: see tests/comments/test_concurrency.py.
pytestmark = [pytest.mark.nginx, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_nginx_never_keeps_a_shared_preview_and_a_revoked_link_is_gone_at_once(proxy):  # noqa: F811
    editor = EditorFactory()
    draft = article_by(ReporterFactory(), title="Quote check through nginx")
    link = services.preview_link_create(article=draft, by=editor)
    url = proxy + f"/preview/shared/{services.preview_link_token(link)}/"

    answers = [fetch(url) for _ in range(3)]
    assert [status for status, _headers, _body in answers] == [200, 200, 200]
    assert all(headers["X-Cache"] != "HIT" for _status, headers, _body in answers)
    assert b"Quote check through nginx" in answers[0][2]

    services.preview_link_revoke(link=link, by=editor)
    status, headers, body = fetch(url)
    assert status == 410 and headers["X-Cache"] != "HIT"
    assert b"Quote check through nginx" not in body
