import pytest
from django.urls import reverse

from tests.factories import ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: [sources]}."""
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


@pytest.fixture
def public_urls():
    author = AuthorFactory(name="Đức Linh")
    article = ArticleFactory(authors=[author], tags=["tourism"])
    return {
        "home": reverse("frontpage:home"),
        "section": article.section.get_absolute_url(),
        "article": article.get_absolute_url(),
        "tag": reverse("articles:tag", args=["tourism"]),
        "author": author.get_absolute_url(),
        "not found": "/no-such-page/",
    }


@pytest.mark.parametrize("page", ["home", "section", "article", "tag", "author", "not found"])
def test_every_public_page_type_allows_only_the_sites_own_resources(client, public_urls, page):
    response = client.get(public_urls[page])
    assert response.status_code == (404 if page == "not found" else 200)
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    for directive in ("script-src", "style-src", "img-src", "font-src"):
        assert csp[directive] == ["'self'"], directive
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]


@pytest.mark.parametrize("page", ["home", "article", "not found"])
def test_public_pages_refuse_framing_sniffing_and_leaking_referrers(client, public_urls, page):
    response = client.get(public_urls[page])
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_public_pages_contain_no_inline_script_or_style(client, public_urls):
    for url in public_urls.values():
        html = client.get(url).content.decode()
        # JSON-LD is a data block, never executed, so CSP's script-src does not apply to it.
        code = html.replace("<script src=", "").replace('<script type="application/ld+json">', "")
        assert "<script>" not in code and "<script " not in code, url
        assert "<style" not in html and ' style="' not in html, url


def test_admin_alone_may_use_inline_styles_for_its_editor(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 200
    csp = policy(response)
    assert csp["style-src"] == ["'self'", "'unsafe-inline'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]


@pytest.mark.django_db
def test_admin_allows_only_the_editors_import_map_as_inline_script(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get("/admin/articles/article/add/")
    assert response.status_code == 200
    script_src = next(
        part for part in response["Content-Security-Policy"].split(";")
        if part.strip().startswith("script-src")
    )  # fmt: skip
    assert "'unsafe-inline'" not in script_src
    assert "'sha256-" in script_src


def test_the_public_policy_built_once_is_django_csps_and_follows_the_setting(settings, rf):
    from csp.utils import build_policy
    from django.http import HttpResponse

    from security.middleware import NewsroomCSPMiddleware

    middleware = NewsroomCSPMiddleware(lambda request: HttpResponse())
    response = middleware(rf.get("/"))
    assert response["Content-Security-Policy"] == build_policy()
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    assert middleware(rf.get("/"))["Content-Security-Policy"] == "default-src 'none'"


def test_a_nonce_or_a_views_own_policy_is_still_built_for_its_response(settings, rf):
    from csp.constants import NONCE, SELF
    from csp.decorators import csp_update
    from django.http import HttpResponse

    from security.middleware import NewsroomCSPMiddleware

    def with_nonce(request):
        return HttpResponse(str(request.csp_nonce))

    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {**directives, "script-src": [SELF, NONCE]}}
    response = NewsroomCSPMiddleware(with_nonce)(rf.get("/"))
    nonce = response.content.decode()
    assert f"script-src 'self' 'nonce-{nonce}'" in response["Content-Security-Policy"]
    response = NewsroomCSPMiddleware(lambda request: HttpResponse())(rf.get("/"))
    assert "script-src 'self';" in response["Content-Security-Policy"] + ";"

    own = csp_update({"img-src": ["https://maps.example"]})(lambda request: HttpResponse())
    response = NewsroomCSPMiddleware(own)(rf.get("/"))
    assert "img-src 'self' https://maps.example" in response["Content-Security-Policy"]
