"""Random and hostile requests against every public URL: nothing may answer 5xx, and every
4xx is an HTML page in the site's style. Status codes are counted and printed at the end of
the run (the terminal summary, "status codes answered to bad input")."""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import ArticleFactory, AuthorFactory
from tests.security.fuzz import record

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

STYLESHEET = '<link rel="stylesheet" href="/static/css/site.css">'

# Unicode of every kind, NUL and other control characters included.
any_text = st.text(st.characters(codec="utf-8"), max_size=40)
enormous = st.integers(10_000, 200_000).map(lambda n: "x" * n)
page_values = st.one_of(
    st.sampled_from(
        ["abc", "-1", "0", "99999999", "1e9", "1.5", "", " ", "٣", "last", "\x00", "%00", "9" * 400]
    ),
    st.integers().map(str),
    any_text,
)
broken_escapes = st.sampled_from(
    ["%", "%2", "%zz", "%E0%A4%A", "%C0%AF", "%FF%FE", "%00", "%u2603"]
)


@pytest.fixture(autouse=True, params=["page-cache-off", "page-cache-on"])
def page_cache(request, settings):
    """Every case runs against freshly rendered pages and through the anonymous page cache,
    as production serves them."""
    settings.NEWSROOM_PAGE_CACHE = request.param == "page-cache-on"


@pytest.fixture
def public_urls():
    author = AuthorFactory(name="Đức Linh")
    article = ArticleFactory(authors=[author], tags=["tourism"])
    return [
        reverse("frontpage:home"),
        article.section.get_absolute_url(),
        article.get_absolute_url(),
        reverse("articles:tag", args=["tourism"]),
        author.get_absolute_url(),
    ]


def check(response, test_name):
    """The answer a reader may get: never 5xx; a 4xx is a page in the site's style."""
    record(test_name, response.status_code)
    assert response.status_code < 500
    if 400 <= response.status_code < 500:
        assert response["Content-Type"].startswith("text/html")
        html = response.content.decode()
        assert STYLESHEET in html and 'class="masthead__title"' in html
        assert 'class="error-page' in html
        assert "Traceback" not in html


@pytest.fixture
def fuzz_client():
    client = Client()
    client.raise_request_exception = False
    return client


@FUZZ
@given(data=st.data())
def test_random_paths_under_every_public_url(fuzz_client, public_urls, data):
    base = data.draw(st.sampled_from([*public_urls, "/", "/sections/", "/articles/", "/tags/"]))
    tail = data.draw(
        st.one_of(
            any_text,
            enormous,
            broken_escapes,
            st.lists(st.one_of(any_text, broken_escapes), max_size=5).map("/".join),
        )
    )
    response = fuzz_client.get(base + tail)
    check(response, "random paths")


@FUZZ
@given(data=st.data())
def test_malformed_query_strings_on_every_public_url(fuzz_client, public_urls, data):
    url = data.draw(st.sampled_from(public_urls))
    raw = data.draw(
        st.one_of(
            page_values.map(lambda v: f"page={v}"),
            broken_escapes.map(lambda v: f"page={v}"),
            st.lists(st.tuples(any_text, st.one_of(any_text, enormous)), max_size=4).map(
                lambda pairs: "&".join(f"{k}={v}" for k, v in pairs)
            ),
            st.lists(broken_escapes, min_size=1, max_size=6).map("".join),
        )
    )
    response = fuzz_client.get(f"{url}?{raw}")
    check(response, "query strings")


def means_first_page(value: str) -> bool:
    """What Django's ListView reads as page 1 of a one-page list: "", "last", " 1", "01"."""
    if value in {"", "last"}:
        return True
    try:
        return int(value) == 1
    except ValueError:
        return False


@FUZZ
@given(data=st.data())
def test_page_numbers_out_of_range_or_not_numbers_answer_404(fuzz_client, public_urls, data):
    url = data.draw(st.sampled_from(public_urls[1:2] + public_urls[3:]))  # the paginated lists
    page = data.draw(page_values.filter(lambda v: not means_first_page(v)))
    response = fuzz_client.get(url, {"page": page})
    check(response, "page numbers")
    assert response.status_code == 404


@FUZZ
@given(
    data=st.data(),
    method=st.sampled_from(["POST", "PUT", "PATCH", "DELETE", "TRACE", "PROPFIND", "CONNECT"]),
    body=st.one_of(st.binary(max_size=2_000), enormous.map(str.encode)),
)
def test_wrong_methods_on_read_only_pages_answer_405(fuzz_client, public_urls, data, method, body):
    url = data.draw(st.sampled_from(public_urls))
    response = fuzz_client.generic(method, url, body, content_type="application/octet-stream")
    check(response, "wrong methods")
    assert response.status_code == 405


@FUZZ
@given(data=st.data(), token=st.one_of(st.none(), any_text, enormous))
def test_posts_without_a_valid_csrf_token_answer_403(public_urls, data, token):
    client = Client(enforce_csrf_checks=True)
    client.raise_request_exception = False
    # The comment form is checked by origin instead (tests/comments/test_views.py).
    url = data.draw(st.sampled_from([*public_urls, reverse("admin:login")]))
    form = {"username": "editor", "password": "guess", "name": "An", "body": "A comment."}
    if token is not None:
        form["csrfmiddlewaretoken"] = token
    response = client.post(url, form)
    check(response, "csrf tokens")
    assert response.status_code == 403


@pytest.mark.parametrize("enforce_csrf", [True, False], ids=["csrf-checked", "csrf-skipped"])
@pytest.mark.parametrize(
    "body",
    ["a=" + "x" * (3 * 1024 * 1024), "a=" + "x" * (12 * 1024 * 1024), "&".join(["a=1"] * 5000)],
    ids=["3MB", "12MB", "5000-fields"],
)
def test_bodies_beyond_the_limits_answer_a_4xx_page(public_urls, enforce_csrf, body):
    client = Client(enforce_csrf_checks=enforce_csrf)
    client.raise_request_exception = False
    for url in [public_urls[0], reverse("admin:login")]:
        response = client.post(url, body, content_type="application/x-www-form-urlencoded")
        check(response, "oversized bodies")
        assert response.status_code in {400, 403, 405, 413}


@FUZZ
@given(
    host=st.one_of(
        any_text,
        st.sampled_from(["evil.example", "news.example.evil", "news.example:99999", "[::1"]),
    )
)
def test_unknown_or_malformed_hosts_answer_400(fuzz_client, settings, host):
    settings.ALLOWED_HOSTS = ["news.example"]
    response = fuzz_client.get("/", HTTP_HOST=host)
    check(response, "hosts")
    if response.status_code != 400:
        # Only the configured name is served, in any case and with any port.
        assert response.status_code == 200
        assert host.lower().rsplit(":", 1)[0] == "news.example"


def comment_url(public_urls):
    """The comment form's address for the article among the public URLs."""
    slug = public_urls[2].rstrip("/").rsplit("/", 1)[-1]
    return reverse("comments:create", args=[slug])


field_values = st.one_of(
    any_text,
    enormous,
    st.sampled_from(["\x00", "a\x00b", "An", "an@example.com", "x" * 501, "\r\n" * 300]),
    st.text(st.characters(codec="utf-8"), min_size=5, max_size=600),
)


# Forms a person could send, with any Unicode in them: these reach the database.
plausible_comments = st.fixed_dictionaries(
    {
        "name": st.text(st.characters(codec="utf-8"), min_size=1, max_size=60),
        "email": st.emails(),
        "body": st.text(st.characters(codec="utf-8"), min_size=5, max_size=500),
    }
)
hostile_comments = st.fixed_dictionaries(
    {},
    optional={
        "name": field_values,
        "email": field_values,
        "body": field_values,
        "website": st.sampled_from(["", "http://spam.example"]),
        field_values.filter(lambda k: k not in {"name", "email", "body", "website"}): field_values,
    },
)


@FUZZ
@given(form=st.one_of(plausible_comments, hostile_comments))
def test_comment_form_answers_hostile_input_without_a_server_error(
    fuzz_client, public_urls, settings, form
):
    settings.NEWSROOM_COMMENTS_RATE_LIMIT = 100_000
    response = fuzz_client.post(comment_url(public_urls), form)
    record("comment form", response.status_code)
    assert response.status_code in {302, 400, 403, 429}, response.status_code
    if response.status_code >= 400:
        html = response.content.decode()
        assert STYLESHEET in html and 'class="masthead__title"' in html
        assert "Traceback" not in html


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_comment_form_refuses_other_methods_with_a_page(fuzz_client, public_urls, method):
    response = fuzz_client.generic(method, comment_url(public_urls))
    check(response, "wrong methods")
    assert response.status_code == 405
