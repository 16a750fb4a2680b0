"""Who may do what in the admin, through its real views, including POSTs no page offers."""

import pytest
from django.urls import reverse

from articles.models import Article
from tests.editorial.admin_forms import change_form_data
from tests.factories import (
    ArticleFactory,
    EditorFactory,
    ReporterFactory,
    SectionFactory,
    article_by,
)

pytestmark = pytest.mark.django_db
Status = Article.Status


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def transition_url(article, action):
    return reverse("admin:articles_article_transition", args=[article.pk, action])


@pytest.fixture
def reporter(client):
    user = ReporterFactory()
    client.force_login(user)
    return user


@pytest.fixture
def editor():
    return EditorFactory()


def test_anonymous_visitor_is_sent_to_the_login_page_and_changes_nothing(client):
    article = ArticleFactory(status=Status.IN_REVIEW, published_at=None)
    for url in [
        reverse("admin:articles_article_changelist"),
        change_url(article),
        transition_url(article, "publish"),
    ]:
        response = client.post(url, {"note": "x"})
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW


def test_reporter_creates_a_draft_even_when_posting_a_published_status(client, reporter):
    section = SectionFactory()
    response = client.post(
        reverse("admin:articles_article_add"),
        {
            "title": "Rice harvest starts early",
            "slug": "",
            "section": section.pk,
            "lead": "Farmers in Mường Thanh start the harvest.",
            "body": "<p>Text.</p>",
            "tags": "harvest",
            "status": "published",
            "published_at_0": "2020-01-01",
            "published_at_1": "00:00:00",
            "bylines-TOTAL_FORMS": "0",
            "bylines-INITIAL_FORMS": "0",
            "corrections-TOTAL_FORMS": "0",
            "corrections-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get(title="Rice harvest starts early")
    assert article.status == Status.DRAFT and article.published_at is None
    assert article.created_by == reporter
    assert [a.user for a in article.authors.all()] == [reporter]


def test_reporter_who_adds_own_byline_in_the_form_gets_it_once(client, reporter):
    response = client.post(
        reverse("admin:articles_article_add"),
        {
            "title": "Tea growers meet",
            "section": SectionFactory().pk,
            "lead": "Tea growers meet in Tủa Chùa.",
            "bylines-TOTAL_FORMS": "1",
            "bylines-INITIAL_FORMS": "0",
            "bylines-0-author": reporter.author_profile.pk,
            "bylines-0-order": "0",
            "corrections-TOTAL_FORMS": "0",
            "corrections-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    article = Article.objects.get(title="Tea growers meet")
    assert list(article.authors.all()) == [reporter.author_profile]
    assert article.history.latest("history_date").authors_snapshot[0]["name"].startswith("Byline")


def test_reporter_edits_own_draft(client, reporter):
    article = article_by(reporter, title="First title")
    page = client.get(change_url(article))
    response = client.post(change_url(article), change_form_data(page, title="Better title"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Better title"


@pytest.mark.parametrize("status", [Status.IN_REVIEW, Status.PUBLISHED, Status.UNPUBLISHED])
def test_reporter_cannot_edit_own_article_once_submitted(client, reporter, status):
    article = article_by(reporter, title="Submitted title", status=status)
    page = client.get(change_url(article))
    assert page.status_code == 200  # read-only view
    assert 'name="title"' not in page.content.decode()
    data = {"title": "Changed behind the editor's back", "edit_version": article.version}
    response = client.post(change_url(article), data)
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.title == "Submitted title"


def test_reporter_cannot_open_or_change_someone_elses_draft(client, reporter):
    other = ReporterFactory()
    article = article_by(other, title="Someone else's scoop", status=Status.IN_REVIEW)
    urls = [
        change_url(article),
        reverse("admin:articles_article_history", args=[article.pk]),
        reverse("admin:articles_article_revisions", args=[article.pk]),
        reverse("admin:articles_article_compare", args=[article.pk]) + "?a=1&b=2",
        reverse("admin:autocomplete")
        + "?app_label=articles&model_name=homepick&field_name=article&term=scoop",
        transition_url(article, "submit"),
        reverse("editorial:preview", args=[article.pk]),
    ]
    for url in urls:
        response = client.get(url, follow=True)
        assert "Someone else's scoop" not in response.content.decode(), url
    assert client.post(change_url(article), {"title": "Mine now"}).status_code in (302, 403, 404)
    assert client.post(transition_url(article, "submit")).status_code == 404
    changelist = client.get(reverse("admin:articles_article_changelist") + "?mine=all")
    assert "Someone else's scoop" not in changelist.content.decode()
    article.refresh_from_db()
    assert article.title == "Someone else's scoop" and article.status == Status.IN_REVIEW


def test_reporter_sees_someone_elses_live_article_read_only(client, reporter):
    article = ArticleFactory(title="Live story")
    page = client.get(change_url(article))
    assert page.status_code == 200 and 'name="title"' not in page.content.decode()
    assert client.post(change_url(article), {"title": "Vandalised"}).status_code == 403


def test_reporter_changelist_starts_with_my_articles(client, reporter):
    article_by(reporter, title="My own story")
    ArticleFactory(title="A colleague's live story")
    html = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "My own story" in html and "A colleague&#x27;s live story" not in html
    html = client.get(reverse("admin:articles_article_changelist") + "?mine=all").content.decode()
    assert "A colleague&#x27;s live story" in html


@pytest.mark.parametrize("action", ["publish", "return", "unpublish"])
def test_reporter_cannot_run_editor_transitions_even_by_crafted_post(client, reporter, action):
    status = Status.PUBLISHED if action == "unpublish" else Status.IN_REVIEW
    article = article_by(reporter, status=status)
    data = {"note": "Because", "published_at_0": "2030-01-01", "published_at_1": "08:00:00"}
    assert client.get(transition_url(article, action)).status_code == 403
    assert client.post(transition_url(article, action), data).status_code == 403
    article.refresh_from_db()
    assert article.status == status
    assert not article.transitions.exists()


def test_reporter_submits_own_draft(client, reporter):
    article = article_by(reporter)
    response = client.post(transition_url(article, "submit"), {"note": ""})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW


def test_reporter_cannot_delete_published_article_but_may_delete_own_draft(client, reporter):
    published = article_by(reporter, status=Status.PUBLISHED)
    draft = article_by(reporter)
    delete = "admin:articles_article_delete"
    assert client.post(reverse(delete, args=[published.pk]), {"post": "yes"}).status_code == 403
    assert Article.objects.filter(pk=published.pk).exists()
    assert client.post(reverse(delete, args=[draft.pk]), {"post": "yes"}).status_code == 302
    assert not Article.objects.filter(pk=draft.pk).exists()


@pytest.mark.parametrize("action", ["publish_selected", "unpublish_selected", "delete_selected"])
def test_reporter_bulk_actions_are_refused(client, reporter, action):
    article = article_by(reporter, status=Status.PUBLISHED)
    in_review = article_by(reporter, status=Status.IN_REVIEW)
    client.post(
        reverse("admin:articles_article_changelist") + "?mine=all",
        {"action": action, "_selected_action": [article.pk, in_review.pk], "post": "yes"},
    )
    assert Article.objects.get(pk=article.pk).status == Status.PUBLISHED
    assert Article.objects.get(pk=in_review.pk).status == Status.IN_REVIEW


def test_editor_bulk_publish_and_unpublish_go_through_the_services(client, editor):
    client.force_login(editor)
    first = ArticleFactory(status=Status.IN_REVIEW, published_at=None)
    second = ArticleFactory(status=Status.DRAFT, published_at=None)
    changelist = reverse("admin:articles_article_changelist")
    client.post(
        changelist, {"action": "publish_selected", "_selected_action": [first.pk, second.pk]}
    )
    for article in (first, second):
        article.refresh_from_db()
        assert article.is_live
        assert article.transitions.get().by == editor
    client.post(changelist, {"action": "unpublish_selected", "_selected_action": [first.pk]})
    first.refresh_from_db()
    assert first.status == Status.UNPUBLISHED
    assert client.get(first.get_absolute_url()).status_code == 404


def test_bulk_publish_leaves_live_articles_dated_as_they_were(client, editor):
    client.force_login(editor)
    live = ArticleFactory()
    published_at = live.published_at
    changelist = reverse("admin:articles_article_changelist")
    client.post(changelist, {"action": "publish_selected", "_selected_action": [live.pk]})
    live.refresh_from_db()
    assert live.published_at == published_at and not live.transitions.exists()


def test_editor_edits_anyones_article_and_runs_every_transition(client, editor):
    client.force_login(editor)
    article = article_by(ReporterFactory(), title="Reporter copy")
    page = client.get(change_url(article))
    assert (
        client.post(change_url(article), change_form_data(page, title="Edited")).status_code == 302
    )
    steps = [
        ("submit", {}, Status.IN_REVIEW),
        ("return", {"note": "Needs a second source."}, Status.RETURNED),
        ("submit", {}, Status.IN_REVIEW),
        ("publish", {}, Status.PUBLISHED),
        ("unpublish", {}, Status.UNPUBLISHED),
    ]
    for action, data, expected in steps:
        assert client.post(transition_url(article, action), data).status_code == 302, action
        article.refresh_from_db()
        assert article.status == expected, action
    assert article.title == "Edited"


def test_unknown_transition_and_bad_revision_ids_answer_404_not_500(client, editor):
    client.force_login(editor)
    article = ArticleFactory()
    assert client.post(transition_url(article, "explode")).status_code == 404
    compare = reverse("admin:articles_article_compare", args=[article.pk])
    assert client.get(compare + "?a=x&b=%00").status_code == 404
    assert client.get(compare + "?a=999999&b=999998").status_code == 404


def test_editor_changelist_shows_the_newsroom_columns_and_filters(client, editor):
    client.force_login(editor)
    ArticleFactory(title="Live one")
    article_by(ReporterFactory(), title="Draft one")
    url = reverse("admin:articles_article_changelist")
    html = client.get(url).content.decode()
    for heading in ["Title", "Status", "Section", "Authors", "Published", "Edited", "Comments"]:
        assert f">{heading}<" in html or f">{heading}</a>" in html, heading
    assert "Live one" in html and "Draft one" in html
    drafts = client.get(url + "?state=draft").content.decode()
    assert "Draft one" in drafts and "Live one" not in drafts
    found = client.get(url + "?q=Draft").content.decode()
    assert "Draft one" in found and "Live one" not in found


def test_change_page_offers_each_role_only_its_own_transitions(client, editor):
    reporter = ReporterFactory()
    draft = article_by(reporter)
    in_review = article_by(reporter, status=Status.IN_REVIEW)
    client.force_login(reporter)
    html = client.get(change_url(draft)).content.decode()
    assert transition_url(draft, "submit") in html
    assert transition_url(draft, "publish") not in html
    assert reverse("editorial:preview", args=[draft.pk]) in html
    client.force_login(editor)
    html = client.get(change_url(in_review)).content.decode()
    for action in ["publish", "return"]:
        assert transition_url(in_review, action) in html
    assert transition_url(in_review, "unpublish") not in html
    page = client.get(transition_url(in_review, "publish"))
    assert page.status_code == 200 and 'name="published_at_0"' in page.content.decode()
