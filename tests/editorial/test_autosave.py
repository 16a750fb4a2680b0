"""The article form's autosave, presence heartbeat and session check, on the server: each
person's own unsaved copy, kept apart from the article, with JSON answers to every refusal."""

import datetime
import json

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article
from editorial.admin import editing
from editorial.models import Autosave, EditingPresence
from tests.editorial.admin_forms import change_form_data
from tests.factories import (
    ArticleFactory,
    EditorFactory,
    ReporterFactory,
    SectionFactory,
    UserFactory,
    article_by,
)

pytestmark = pytest.mark.django_db

TYPED = {
    "title": "Mường Phăng coffee",
    "lead": "Farmers sell their first crop.",
    "body": "<p>Three paragraphs typed for an hour.</p>",
}


def autosave_url(article=None):
    if article is None:
        return reverse("admin:articles_article_autosave_new")
    return reverse("admin:articles_article_autosave", args=[article.pk])


def post_json(client, url, payload, **extra):
    return client.post(url, json.dumps(payload), content_type="application/json", **extra)


def signed_in(user, **kwargs):
    client = Client(**kwargs)
    client.force_login(user)
    return client


def editing_config(response):
    return response.context["editing"]


def test_autosave_keeps_a_copy_without_touching_the_published_article_or_its_page():
    editor = EditorFactory()
    article = ArticleFactory(title="Tủa Chùa tea", body="<p>As published.</p>")
    public_page = Client().get(article.get_absolute_url()).content
    version, revisions = article.version, article.history.count()
    client = signed_in(editor)

    for n in range(5):  # five pauses in typing
        answer = post_json(
            client,
            autosave_url(article),
            {"fields": {**TYPED, "body": f"<p>Draft {n}</p>"}, "version": version},
        )
        assert answer.status_code == 200
        assert answer.json()["saved_at"].endswith("+07:00")

    copy = Autosave.objects.get()
    assert (copy.user, copy.article, copy.base_version) == (editor, article, version)
    assert copy.data["body"] == "<p>Draft 4</p>"
    article.refresh_from_db()
    assert article.title == "Tủa Chùa tea" and article.body == "<p>As published.</p>"
    assert article.status == Article.Status.PUBLISHED
    assert (article.version, article.history.count()) == (version, revisions)
    assert Client().get(article.get_absolute_url()).content == public_page


def test_the_add_form_keeps_a_copy_before_the_article_exists():
    reporter = ReporterFactory()
    client = signed_in(reporter)
    assert post_json(client, autosave_url(), {"fields": TYPED}).status_code == 200
    page = client.get(reverse("admin:articles_article_add"))
    assert editing_config(page)["copy"]["fields"]["title"] == "Mường Phăng coffee"
    assert editing_config(page)["article"] == "new"
    assert not Article.objects.exists()


def test_autosaved_text_is_stored_in_nfc():
    client = signed_in(ReporterFactory())
    decomposed = "Mu\u031bo\u031b\u0300ng Phăng"  # "Mường" typed decomposed
    post_json(client, autosave_url(), {"fields": {"title": decomposed}})
    assert Autosave.objects.get().data["title"] == "Mường Phăng"


def test_a_reopened_form_offers_its_own_copy_back_and_nobody_elses():
    reporter, colleague_editor = ReporterFactory(), EditorFactory()
    article = article_by(reporter, title="Original headline")
    post_json(signed_in(reporter), autosave_url(article), {"fields": TYPED, "version": 1})
    url = reverse("admin:articles_article_change", args=[article.pk])

    mine = editing_config(signed_in(reporter).get(url))
    assert mine["copy"]["fields"] == TYPED
    assert mine["copy"]["saved_label"]  # "10:02" on the paper's clock
    theirs = editing_config(signed_in(colleague_editor).get(url))
    assert theirs["copy"] is None


def test_a_real_save_clears_the_autosave():
    reporter = ReporterFactory()
    article = article_by(reporter, title="Original headline")
    client = signed_in(reporter)
    post_json(client, autosave_url(article), {"fields": TYPED, "version": article.version})
    post_json(client, autosave_url(), {"fields": {"title": "Another story"}})
    url = reverse("admin:articles_article_change", args=[article.pk])
    saved = client.post(url, change_form_data(client.get(url), title="Saved headline"))
    assert saved.status_code == 302
    assert not Autosave.objects.filter(article=article).exists()
    assert Autosave.objects.filter(article=None).exists()  # the add form's is another form


def test_saving_a_new_article_clears_the_add_forms_copy():
    section = SectionFactory()
    reporter = ReporterFactory()
    client = signed_in(reporter)
    post_json(client, autosave_url(), {"fields": TYPED})
    url = reverse("admin:articles_article_add")
    data = change_form_data(client.get(url), **TYPED, section=section.pk)
    added = client.post(url, data)
    assert added.status_code == 302
    assert not Autosave.objects.exists()


def test_discard_deletes_the_copy():
    reporter = ReporterFactory()
    client = signed_in(reporter)
    post_json(client, autosave_url(), {"fields": TYPED})
    answer = client.delete(autosave_url())
    assert answer.json() == {"discarded": True}
    assert not Autosave.objects.exists()


def test_a_signed_out_autosave_answers_401_json_with_the_sign_in_page():
    article = article_by(ReporterFactory())
    answer = post_json(Client(), autosave_url(article), {"fields": TYPED})
    assert answer.status_code == 401
    assert answer["Content-Type"] == "application/json"
    assert answer.json()["error"] == "signed_out"
    assert answer.json()["login_url"] == reverse("admin:login")
    assert Client().get(reverse("admin:articles_article_session")).status_code == 401
    assert not Autosave.objects.exists()


def test_an_account_without_the_admin_gets_403_json():
    answer = post_json(signed_in(UserFactory()), autosave_url(), {"fields": TYPED})
    assert answer.status_code == 403
    assert answer.json()["error"] == "forbidden"


def test_autosave_without_the_csrf_token_is_refused_with_json():
    client = signed_in(ReporterFactory(), enforce_csrf_checks=True)
    answer = post_json(client, autosave_url(), {"fields": TYPED})
    assert answer.status_code == 403
    assert answer.json()["error"] == "csrf"
    assert not Autosave.objects.exists()

    token = client.get(reverse("admin:articles_article_session")).json()["csrf_token"]
    accepted = post_json(client, autosave_url(), {"fields": TYPED}, HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 200


def test_a_copy_larger_than_a_form_post_is_refused_with_413():
    client = signed_in(ReporterFactory())
    huge = {"fields": {"body": "x" * (editing.AUTOSAVE_MAX_BYTES + 10)}}
    answer = post_json(client, autosave_url(), huge)
    assert answer.status_code == 413
    assert "KB" in answer.json()["message"]
    assert not Autosave.objects.exists()


@pytest.mark.parametrize(
    "body",
    ["not json", "[1, 2]", json.dumps({"fields": {"title": 7}}), json.dumps({"fields": "x"})],
)
def test_a_malformed_autosave_answers_400_json(body):
    answer = signed_in(ReporterFactory()).post(
        autosave_url(), body, content_type="application/json"
    )
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid"


def test_a_reporter_cannot_autosave_into_their_article_once_submitted():
    reporter = ReporterFactory()
    article = article_by(reporter, status=Article.Status.IN_REVIEW)
    answer = post_json(signed_in(reporter), autosave_url(article), {"fields": TYPED})
    assert answer.status_code == 403
    assert "in review" in answer.json()["message"]


def test_a_colleagues_draft_is_not_found():
    article = article_by(ReporterFactory())
    answer = post_json(signed_in(ReporterFactory()), autosave_url(article), {"fields": TYPED})
    assert answer.status_code == 404
    assert answer.json()["error"] == "not_found"


@pytest.mark.parametrize("object_id", ["abc", "12x", "999999"])
def test_an_address_that_names_no_article_answers_404_json(object_id):
    url = reverse("admin:articles_article_autosave", args=[object_id])
    answer = post_json(signed_in(EditorFactory()), url, {"fields": TYPED})
    assert answer.status_code == 404
    assert answer.json()["error"] == "not_found"


# --- presence ------------------------------------------------------------------------


def beat(client, article, **data):
    return client.post(reverse("admin:articles_article_presence", args=[article.pk]), data)


def test_a_second_editor_learns_who_is_editing_since_when_on_the_papers_clock(time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 2, 3, 2, tzinfo=datetime.UTC), tick=False)
    reporter = ReporterFactory()
    editor = EditorFactory(first_name="Hà", last_name="Linh")
    article = article_by(reporter)
    editor_client = signed_in(editor)
    assert beat(editor_client, article).json()["others"] == []
    for minute in (3, 4, 5):  # the editor's form keeps beating
        time_machine.move_to(datetime.datetime(2026, 3, 2, 3, minute, tzinfo=datetime.UTC))
        beat(editor_client, article)

    others = beat(signed_in(reporter), article).json()["others"]
    assert others == [
        {"name": "Hà Linh", "since": "2026-03-02T10:02:00+07:00", "since_label": "10:02"}
    ]


def test_presence_lapses_without_heartbeats_and_ends_on_leaving(time_machine):
    start = datetime.datetime(2026, 3, 2, 3, 0, tzinfo=datetime.UTC)
    time_machine.move_to(start, tick=False)
    reporter, editor = ReporterFactory(), EditorFactory()
    article = article_by(reporter)
    editor_client, reporter_client = signed_in(editor), signed_in(reporter)
    beat(editor_client, article)

    time_machine.move_to(start + datetime.timedelta(seconds=59), tick=False)
    assert len(beat(reporter_client, article).json()["others"]) == 1
    time_machine.move_to(start + datetime.timedelta(seconds=61), tick=False)
    assert beat(reporter_client, article).json()["others"] == []
    assert not EditingPresence.objects.filter(user=editor).exists()  # removed on the way

    beat(editor_client, article)
    assert beat(editor_client, article, leave="1").json() == {"left": True}
    assert beat(reporter_client, article).json()["others"] == []


def test_presence_is_for_people_who_may_edit_the_article():
    article = article_by(ReporterFactory())
    assert beat(signed_in(ReporterFactory()), article).status_code == 404
    assert beat(Client(), article).status_code == 401


# --- transition buttons save first ------------------------------------------------------


def test_a_transition_button_saves_the_typed_text_then_opens_the_transition():
    reporter = ReporterFactory()
    article = article_by(reporter, title="Original headline")
    client = signed_in(reporter)
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = change_form_data(client.get(url), title="Typed headline", _transition="submit")
    answer = client.post(url, data)
    assert answer.status_code == 302
    assert answer["Location"] == reverse(
        "admin:articles_article_transition", args=[article.pk, "submit"]
    )
    article.refresh_from_db()
    assert article.title == "Typed headline"
    assert article.status == Article.Status.DRAFT  # the transition page asks for its note


def test_a_transition_whose_save_fails_validation_keeps_the_text_and_does_nothing():
    reporter = ReporterFactory()
    article = article_by(reporter, title="Original headline")
    client = signed_in(reporter)
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = change_form_data(
        client.get(url), title="", lead="A lead typed for the record.", _transition="submit"
    )
    answer = client.post(url, data)
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "nothing was done with “Submit for review”" in html
    assert "A lead typed for the record." in html
    assert editing_config(answer)["unsaved"] is True
    article.refresh_from_db()
    assert article.title == "Original headline"
    assert article.status == Article.Status.DRAFT
