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


def test_with_nothing_kept_the_navigation_and_the_footer_read_the_current_rows(client, settings):
    from django.db import DEFAULT_DB_ALIAS, connections

    from tests.factories import SectionFactory

    settings.NEWSROOM_FRAGMENT_CACHE = False
    url = ArticleFactory().get_absolute_url()
    connections[DEFAULT_DB_ALIAS].__dict__.pop("prepared_statements", None)
    html = client.get(url).content.decode()
    assert "Mường Chà" not in html and "/pages/about/" not in html
    section = SectionFactory(name="Mường Chà", slug="muong-cha")
    PaperPage.objects.create(title="About us", slug="about", body="<p>y</p>", order=1)
    html = client.get(url).content.decode()
    nav = html[html.index('<nav class="section-nav"') : html.index("</nav>")]
    assert f'<a href="{section.get_absolute_url()}">Mường Chà</a>' in nav
    footer = html[html.index('<footer class="site-footer">') :]
    assert '<a href="/pages/about/">About us</a>' in footer
