"""The posting service enforces the rules whoever calls it, and client addresses are read safely."""

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from comments.models import Comment
from comments.services import CommentsClosed, RateLimited, comment_post
from core.client import address_fingerprint, client_ip
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def post(article, **overrides):
    data = {"name": "Lan", "email": "lan@example.com", "body": "Một bình luận.", "ip_hash": "ab"}
    data.update(overrides)
    return comment_post(article=article, **data)


def test_service_refuses_closed_comments():
    article = ArticleFactory(comments_open=False)
    with pytest.raises(CommentsClosed):
        post(article)
    assert not Comment.objects.exists()


def test_service_validates_the_body():
    with pytest.raises(ValidationError):
        post(ArticleFactory(), body="Hay!")


def test_service_rate_limits_by_fingerprint(settings):
    settings.NEWSROOM_COMMENTS_RATE_LIMIT = 1
    article = ArticleFactory()
    post(article, ip_hash="a" * 64)
    with pytest.raises(RateLimited):
        post(article, ip_hash="a" * 64, body="Another one.")
    post(article, ip_hash="b" * 64, body="Another one.")


def test_user_agent_is_cut_and_cleaned():
    comment = post(ArticleFactory(), user_agent="Bot\x00" + "x" * 500)
    assert comment.user_agent == "Bot" + "x" * 297


def request(remote="203.0.113.7", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_socket_address_is_used_by_default_even_with_a_forwarded_header(settings):
    settings.NEWSROOM_TRUSTED_PROXY_COUNT = 0
    assert client_ip(request(forwarded="1.2.3.4")) == "203.0.113.7"


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (1, "198.51.100.1", "198.51.100.1"),
        (1, "6.6.6.6, 198.51.100.1", "198.51.100.1"),
        (2, "6.6.6.6, 198.51.100.1, 10.0.0.2", "198.51.100.1"),
        (2, "198.51.100.1", "203.0.113.7"),  # fewer entries than proxies: not trusted
        (1, "not-an-address", "203.0.113.7"),
        (1, "", "203.0.113.7"),
    ],
)
def test_trusted_proxies_take_the_right_forwarded_entry(settings, count, forwarded, expected):
    settings.NEWSROOM_TRUSTED_PROXY_COUNT = count
    assert client_ip(request(forwarded=forwarded)) == expected


@pytest.mark.parametrize("count", [0, 1])
def test_a_client_behind_a_unix_socket_with_no_proxy_header_is_the_unknown_client(settings, count):
    settings.NEWSROOM_TRUSTED_PROXY_COUNT = count
    assert client_ip(request(remote="")) == "0.0.0.0"
    assert client_ip(request(remote="", forwarded="garbage")) == "0.0.0.0"


def test_behind_a_unix_socket_the_proxy_header_gives_the_reader(settings):
    settings.NEWSROOM_TRUSTED_PROXY_COUNT = 1
    assert client_ip(request(remote="", forwarded="198.51.100.1")) == "198.51.100.1"


def test_posts_without_a_known_address_share_one_limit_and_repeat_hold(settings):
    settings.NEWSROOM_COMMENTS_RATE_LIMIT = 2
    settings.NEWSROOM_COMMENTS_PREMODERATION = False
    article = ArticleFactory()
    post(article, ip_hash="", body="Một bình luận.")
    assert post(article, ip_hash="", body="Một bình luận.").status == Comment.Status.PENDING
    with pytest.raises(RateLimited):
        post(article, ip_hash="", body="Một bình luận khác.")
    assert Comment.objects.count() == 2


def test_fingerprint_is_keyed_and_groups_an_ipv6_64():
    one = address_fingerprint("2001:db8:1:2::1")
    assert one == address_fingerprint("2001:db8:1:2:ffff::9")
    assert one != address_fingerprint("2001:db8:1:3::1")
    assert address_fingerprint("203.0.113.7") == address_fingerprint("::ffff:203.0.113.7")
    assert address_fingerprint("203.0.113.7") != address_fingerprint("203.0.113.8")
    # An address that cannot be read is the one unknown client, not a way around the limits.
    assert (
        address_fingerprint("garbage") == address_fingerprint("") == address_fingerprint("0.0.0.0")
    )
    assert len(address_fingerprint("")) == 64


def test_fingerprint_depends_on_the_secret_key(settings):
    before = address_fingerprint("203.0.113.7")
    settings.SECRET_KEY = "another-secret-key-for-this-test"
    assert address_fingerprint("203.0.113.7") != before
