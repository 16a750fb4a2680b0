"""The paper's own pages (about, contact, the editorial team, the corrections policy):
written by editors, linked from every page's footer, cleaned of anything that would run."""

import pytest
from django.urls import reverse

from frontpage.models import PaperPage
from tests.factories import ArticleFactory, EditorFactory, ReporterFactory

pytestmark = pytest.mark.django_db


def test_every_page_links_the_papers_pages_in_their_order(client):
    PaperPage.objects.create(title="Contact the newsroom", slug="contact", body="<p>x</p>", order=2)
    PaperPage.objects.create(title="About us", slug="about", body="<p>y</p>", order=1)
    for url in ["/", ArticleFactory().get_absolute_url(), "/corrections/", "/search/?q=x"]:
        html = client.get(url).content.decode()
        footer = html[html.index('<footer class="site-footer">') :]
        assert footer.index('href="/pages/about/"') < footer.index('href="/pages/contact/"'), url


def test_a_page_shows_its_text_cleaned_of_scripts(client):
    page = PaperPage.objects.create(
        title="Corrections policy",
        slug="corrections-policy",
        body='<p onclick="steal()">We correct mistakes.</p><script>alert(1)</script>',
    )
    html = client.get(page.get_absolute_url()).content.decode()
    assert "<h1>Corrections policy</h1>" in html and "We correct mistakes." in html
    assert "<script>alert" not in html and "steal()" not in html
    assert client.get("/pages/no-such-page/").status_code == 404


def test_a_renamed_page_shows_in_every_cached_footer_at_once(client, commit, page_cache_on):
    page = PaperPage.objects.create(title="About us", slug="about", body="<p>y</p>")
    client.get("/")

    def rename():
        page.title = "Who we are"
        page.save()

    commit(rename)
    assert "Who we are" in client.get("/").content.decode()


def test_editors_write_the_pages_and_reporters_cannot(client):
    url = reverse("admin:frontpage_paperpage_add")
    client.force_login(ReporterFactory())
    assert client.get(url).status_code == 403
    client.force_login(EditorFactory())
    response = client.post(
        url, {"title": "About us", "slug": "about", "order": "0", "body": "<p>The paper.</p>"}
    )
    assert response.status_code == 302
    assert PaperPage.objects.get().body == "<p>The paper.</p>"
