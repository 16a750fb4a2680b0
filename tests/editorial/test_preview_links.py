"""Preview links an editor shares outside the admin: signed, expiring, revocable, never
indexed or cached, and answering a clear 410 page once they no longer open."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from auditlog.models import AuditEvent
from editorial import services
from editorial.models import PreviewLink
from tests.factories import EditorFactory, ModeratorFactory, ReporterFactory, article_by

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    return article_by(ReporterFactory(), title="Unreleased budget figures", lead="Draft lead.")


def link_url(link: PreviewLink) -> str:
    return reverse("editorial:shared_preview", args=[services.preview_link_token(link)])


def share_page(article) -> str:
    return reverse("admin:articles_article_share", args=[article.pk])


def test_an_editor_makes_a_link_that_opens_the_draft_for_someone_without_an_account(client, draft):
    editor = EditorFactory(username="minh")
    client.force_login(editor)

    response = client.post(
        share_page(draft), {"lifetime": "1h", "shared_with": "Ông Lò Văn Minh (quoted)"}
    )

    assert response.status_code == 302
    link = PreviewLink.objects.get(article=draft)
    assert link.created_by == editor and link.shared_with == "Ông Lò Văn Minh (quoted)"
    assert link.expires_at - link.created_at == datetime.timedelta(hours=1)
    page = client.get(share_page(draft)).content.decode()
    url = re.search(r'value="(http://[^"]+/preview/shared/[^"]+/)"', page).group(1)

    client.logout()
    response = client.get(urlsplit(url).path)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="article__title">Unreleased budget figures</h1>' in html
    assert "Preview shared by the newsroom — not published" in html
    assert "Ông Lò Văn Minh" not in html  # the record is the newsroom's own


def test_a_link_works_for_24_hours_unless_the_editor_picks_otherwise(client, draft):
    client.force_login(EditorFactory())
    page = client.get(share_page(draft)).content.decode()
    assert re.search(r'value="24h"[^>]*checked', page)
    for lifetime, hours in [("24h", 24), ("7d", 24 * 7)]:
        client.post(share_page(draft), {"lifetime": lifetime})
        link = PreviewLink.objects.latest()
        assert link.expires_at - link.created_at == datetime.timedelta(hours=hours)


def test_an_unknown_lifetime_is_refused_with_a_message(client, draft):
    client.force_login(EditorFactory())
    response = client.post(share_page(draft), {"lifetime": "forever"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not PreviewLink.objects.exists()


def test_the_shared_page_shows_the_article_as_it_is_when_opened(client, draft):
    editor = EditorFactory()
    link = services.preview_link_create(article=draft, by=editor)
    draft.title = "Budget figures, corrected"
    services.article_save(article=draft, by=editor)

    html = client.get(link_url(link)).content.decode()

    assert "Budget figures, corrected" in html and "Unreleased budget figures" not in html


def test_the_shared_page_is_never_indexed_nor_cached_nor_its_address_sent_on(client, draft):
    link = services.preview_link_create(article=draft, by=EditorFactory())

    response = client.get(link_url(link))

    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control
    assert response["Referrer-Policy"] == "no-referrer"


def test_the_page_cache_never_keeps_a_shared_preview(client, draft, page_cache_on, commit):
    link = services.preview_link_create(article=draft, by=EditorFactory())
    assert client.get(link_url(link)).status_code == 200
    commit(lambda: services.preview_link_revoke(link=link, by=EditorFactory()))

    again = client.get(link_url(link))

    assert again.status_code == 410
    assert "X-Page-Cache" not in again


def test_an_expired_link_answers_410_saying_so(client, draft, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    link = services.preview_link_create(article=draft, by=EditorFactory(), lifetime="1h")
    time_machine.shift(datetime.timedelta(minutes=59))
    assert client.get(link_url(link)).status_code == 200

    time_machine.shift(datetime.timedelta(minutes=1))
    response = client.get(link_url(link))

    assert response.status_code == 410
    html = response.content.decode()
    assert "This preview link no longer works" in html and "The link expired on" in html
    assert "Unreleased budget figures" not in html
    assert 'class="error-page"' in html  # the site's own error page
    assert "no-store" in response["Cache-Control"]


def test_a_revoked_link_answers_410_at_once_and_is_logged(client, draft):
    editor = EditorFactory(username="minh")
    link = services.preview_link_create(article=draft, by=editor)
    client.force_login(editor)

    response = client.post(reverse("admin:articles_article_revoke_link", args=[draft.pk, link.pk]))

    assert response.status_code == 302
    client.logout()
    gone = client.get(link_url(link))
    assert gone.status_code == 410
    assert "The newsroom withdrew this link" in gone.content.decode()
    actions = list(
        AuditEvent.objects.filter(kind=AuditEvent.Kind.PREVIEW_LINK).values_list(
            "by_name", "action"
        )
    )
    assert actions == [
        ("minh", "Revoked a preview link"),
        ("minh", "Shared a preview link for 24 hours"),
    ]


def test_revoking_one_link_leaves_the_others_working(client, draft):
    editor = EditorFactory()
    one = services.preview_link_create(article=draft, by=editor)
    other = services.preview_link_create(article=draft, by=editor)
    services.preview_link_revoke(link=one, by=editor)
    assert client.get(link_url(one)).status_code == 410
    assert client.get(link_url(other)).status_code == 200


def test_a_link_of_a_deleted_article_answers_410(client, draft):
    editor = EditorFactory()
    link = services.preview_link_create(article=draft, by=editor)
    url = link_url(link)
    services.article_delete(article=draft, by=editor)
    response = client.get(url)
    assert response.status_code == 410
    assert "no longer available" in response.content.decode()


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-2] + ("AA" if token[-2:] != "AA" else "BB"),
        lambda token: "eyJsIjoxLCJhIjo5OTksImUiOjQxMDI0NDQ4MDB9" + token[token.index(":") :],
        lambda token: "not-a-token",
    ],
)
def test_a_token_the_site_did_not_sign_answers_404(client, draft, tamper):
    link = services.preview_link_create(article=draft, by=EditorFactory())
    token = services.preview_link_token(link)
    response = client.get(reverse("editorial:shared_preview", args=[tamper(token)]))
    assert response.status_code == 404
    assert "Unreleased budget figures" not in response.content.decode()


@pytest.mark.parametrize("factory", [ReporterFactory, ModeratorFactory])
def test_only_editors_share_or_revoke(client, factory):
    user = factory()
    article = article_by(user if factory is ReporterFactory else ReporterFactory())
    link = services.preview_link_create(article=article, by=EditorFactory())
    client.force_login(user)

    if factory is ReporterFactory:  # the author may open the article, not share it
        assert client.get(share_page(article)).status_code == 403
        assert client.post(share_page(article), {"lifetime": "7d"}).status_code == 403
    revoke = reverse("admin:articles_article_revoke_link", args=[article.pk, link.pk])
    assert client.post(revoke).status_code in (403, 404)
    assert PreviewLink.objects.filter(article=article).count() == 1
    assert PreviewLink.objects.get().revoked_at is None
    assert client.get(link_url(link)).status_code == 200


def test_the_article_form_offers_share_preview_to_editors_only(client, draft):
    url = reverse("admin:articles_article_change", args=[draft.pk])
    client.force_login(draft.created_by)
    assert share_page(draft) not in client.get(url).content.decode()
    client.force_login(EditorFactory())
    assert share_page(draft) in client.get(url).content.decode()


def test_a_published_story_can_be_shared_too(client):
    story = article_by(ReporterFactory(), title="Live story", status=Article.Status.PUBLISHED)
    link = services.preview_link_create(article=story, by=EditorFactory())
    assert client.get(link_url(link)).status_code == 200


def test_the_holder_of_a_link_sees_its_storys_pictures_until_it_is_revoked(client):
    from pictures.renditions import rendition_files
    from tests.factories import ArticleFactory, jpeg
    from tests.pictures.test_media_gate import body_picture, figure

    placed = body_picture()
    draft = ArticleFactory(
        image=jpeg(), body=figure(placed), status=Article.Status.DRAFT, published_at=None
    )
    other = ArticleFactory(image=jpeg(), status=Article.Status.DRAFT, published_at=None)
    (card, *_) = rendition_files(draft.image, "card")
    pictures = [draft.image.url, placed.image.url, card.url]
    assert [client.get(url).status_code for url in pictures] == [404, 404, 404]
    editor = EditorFactory()
    link = services.preview_link_create(article=draft, by=editor)

    page = client.get(link_url(link))

    cookie = page.cookies["newsroom_preview"]
    assert cookie["path"] == "/media/" and cookie["httponly"]
    answers = [client.get(url) for url in pictures]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert {a["Cache-Control"] for a in answers} == {"private, no-store"}
    assert client.get(other.image.url).status_code == 404  # only the shared story's

    services.preview_link_revoke(link=link, by=editor)
    assert [client.get(url).status_code for url in pictures] == [404, 404, 404]


def test_a_forged_media_cookie_opens_nothing(client):
    from tests.factories import ArticleFactory, jpeg

    draft = ArticleFactory(image=jpeg(), status=Article.Status.DRAFT, published_at=None)
    services.preview_link_create(article=draft, by=EditorFactory())
    client.cookies["newsroom_preview"] = "[1]"
    assert client.get(draft.image.url).status_code == 404
