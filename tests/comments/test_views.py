"""Posting a comment from the article page, as a reader (or a bot) would."""

import datetime
import unicodedata

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments.models import Comment
from core.text import comment_length
from tests.factories import ArticleFactory, BannedWordFactory, CommentFactory

pytestmark = pytest.mark.django_db

AWAITING = "Your comment is awaiting moderation"


def form_data(**overrides):
    data = {
        "name": "Nguyễn Văn An",
        "email": "an@example.com",
        "body": "Bài viết rất hay, cảm ơn tòa soạn.",
        "website": "",
    }
    data.update(overrides)
    return data


def post(client, article, ip="203.0.113.7", **overrides):
    return client.post(
        reverse("comments:create", kwargs={"slug": article.slug}),
        form_data(**overrides),
        REMOTE_ADDR=ip,
        HTTP_USER_AGENT="Mozilla/5.0 (test)",
    )


@pytest.fixture
def article():
    return ArticleFactory(title="Boosting tourism in Điện Biên")


def test_article_page_has_the_comment_form_with_labels_and_counter(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'action="{}"'.format(reverse("comments:create", kwargs={"slug": article.slug})) in html
    assert '<label for="id_name">' in html and '<label for="id_email">' in html
    assert '<label for="id_body">Comment:</label>' in html
    assert 'aria-describedby="id_body_helptext"' in html
    assert 'aria-live="polite"' in html
    assert "js/comment-counter.js" in html
    assert "<script>" not in html  # no inline script
    # No per-visitor token: the page is the same for every reader, so caches can share it.
    assert "csrfmiddlewaretoken" not in html


def test_post_redirects_back_to_the_article_with_the_moderation_message(client, article):
    response = post(client, article)
    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url()
    page = client.get(response["Location"])
    assert AWAITING in page.content.decode()
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert comment.user_agent == "Mozilla/5.0 (test)"
    # A refresh of the page after the redirect is a GET: nothing is posted twice.
    client.get(article.get_absolute_url())
    assert Comment.objects.count() == 1


def test_pending_comment_is_not_shown_until_approved(client, article):
    post(client, article, body="Chờ duyệt trước khi hiện.")
    assert "Chờ duyệt" not in client.get(article.get_absolute_url()).content.decode()
    Comment.objects.update(status=Comment.Status.APPROVED)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Chờ duyệt trước khi hiện." in html
    assert "Nguyễn Văn An" in html


@pytest.mark.parametrize("status", ["pending", "rejected", "spam"])
def test_only_approved_comments_appear_with_name_date_and_count(client, article, status):
    CommentFactory(article=article, name="Lò Thị Mai", body="Approved words here.")
    CommentFactory(article=article, status=status, body="Hidden words here.")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Approved words here." in html and "Lò Thị Mai" in html
    assert "Hidden words here." not in html
    assert 'Comments <span class="comments__count">(1)</span>' in html
    assert "<time datetime=" in html[html.index('id="comments"') :]


def test_comments_are_listed_oldest_first(client, article):
    now = timezone.now()
    CommentFactory(article=article, body="Second comment.", created=now)
    CommentFactory(article=article, body="First comment.", created=now - datetime.timedelta(1))
    html = client.get(article.get_absolute_url()).content.decode()
    assert html.index("First comment.") < html.index("Second comment.")


def test_email_is_never_shown(client, article):
    CommentFactory(article=article, email="secret-reader@example.com")
    assert "secret-reader" not in client.get(article.get_absolute_url()).content.decode()


def test_listing_cards_show_the_approved_count(client, article):
    CommentFactory.create_batch(3, article=article)
    CommentFactory(article=article, status=Comment.Status.PENDING)
    html = client.get(article.section.get_absolute_url()).content.decode()
    assert '<span class="card__comments">3 comments</span>' in html
    html = client.get("/").content.decode()
    assert "3 comments" in html


def test_comment_html_is_escaped_and_links_are_not_clickable(client, article):
    CommentFactory(
        article=article,
        body='<script>alert("x")</script> see https://spam.example and <a href="x">here</a>',
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert '<script>alert("x")' not in html
    assert 'href="https://spam.example' not in html
    assert '<a href="x">' not in html


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("Hay!", "Please enter 5 or more characters!!!"),
        ("    \r\n  ", "Please enter 5 or more characters!!!"),
        ("", "Please enter 5 or more characters!!!"),
        ("\u200b" * 8, "Please enter 5 or more characters!!!"),
        ("ệ" * 501, "Please keep your comment to 500 characters (it has 501)."),
    ],
    ids=["four", "white-space", "empty", "zero-width", "501"],
)
def test_refused_comment_reshows_the_article_with_the_error_and_the_text(
    client, article, body, message
):
    response = post(client, article, body=body)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert '<ul class="errorlist comment-form__errors" id="id_body_error">' in html
    assert 'aria-describedby="id_body_helptext id_body_error"' in html
    assert 'aria-invalid="true"' in html
    assert "Boosting tourism in Điện Biên" in html  # still the article page
    if body.strip():
        assert body.replace("\r\n", "\n").strip("\n") in html  # the reader's text is kept
    assert not Comment.objects.exists()


def test_refused_comment_keeps_the_name_and_email(client, article):
    html = post(client, article, body="Hay!").content.decode()
    assert 'value="Nguyễn Văn An"' in html and 'value="an@example.com"' in html


def test_refused_comment_page_focuses_the_first_field_in_error(client, article):
    html = post(client, article, email="not an address", body="Hay!").content.decode()
    assert html.count("autofocus") == 1
    email_input = html[html.index('<input type="email"') :].split(">", 1)[0]
    assert "autofocus" in email_input
    assert "autofocus" not in client.get(article.get_absolute_url()).content.decode()


@pytest.mark.parametrize("form", ["NFC", "NFD"])
@pytest.mark.parametrize(("length", "status"), [(4, 400), (5, 302), (500, 302), (501, 400)])
def test_boundaries_4_5_500_501_over_http(client, article, form, length, status):
    letters = unicodedata.normalize(form, ("Điệnbiênphủ" * 50)[:length])
    assert post(client, article, body=letters).status_code == status
    assert Comment.objects.count() == (1 if status == 302 else 0)


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_500_vietnamese_letters_are_accepted_in_nfc_and_nfd_and_stored_as_nfc(
    client, article, form
):
    letters = ("Điệnbiênphủ" * 50)[:500]
    response = post(client, article, body=unicodedata.normalize(form, letters))
    assert response.status_code == 302
    assert Comment.objects.get().body == letters


def test_crlf_line_breaks_count_once_and_are_stored_as_lf(client, article):
    body = "a\r\n" * 248 + "abcd"  # 748 code points as posted, 500 as the reader sees them
    assert post(client, article, body=body).status_code == 302
    assert Comment.objects.get().body == "a\n" * 248 + "abcd"
    assert post(client, article, body=body + "e", ip="198.51.100.9").status_code == 400


def test_server_trims_what_the_browser_trims_not_what_python_strips(client, article):
    # The counter (String.prototype.trim) trims U+FEFF as white space and keeps U+001C, a
    # control character that shows nothing and so counts nothing; Django's default strip()
    # would remove U+001C and keep U+FEFF.
    assert post(client, article, body="\ufeffHay!\ufeff").status_code == 400
    assert post(client, article, body="Hay!\x1c").status_code == 400
    assert post(client, article, body="Hay!!\x1c").status_code == 302
    assert Comment.objects.get().body == "Hay!!\x1c"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Please enter your name."),
        ("email", "", "Please enter your email address. It is never shown."),
        ("email", "an@", "Please enter a valid email address, like name@example.com."),
    ],
)
def test_name_and_email_are_required(client, article, field, value, message):
    response = post(client, article, **{field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Comment.objects.exists()


def test_invisible_name_is_refused(client, article):
    response = post(client, article, name="\u200b\u200b")
    assert response.status_code == 400
    assert "Please enter your name." in response.content.decode()


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_a_name_of_80_characters_is_posted_whole_and_81_are_refused(client, article, form):
    html = client.get(article.get_absolute_url()).content.decode()
    name_input = html[html.index('<input type="text" name="name"') :].split(">")[0]
    # A browser's maxlength counts UTF-16 units and would cut an NFD name short.
    assert "maxlength" not in name_input
    name = unicodedata.normalize(form, "Lò Thị Ngọc Ánh 🇻🇳 " * 4 + "Đỗ Mai!")
    assert comment_length(name) == 79 and len(name) > 80
    assert post(client, article, name=name + "ệ").status_code == 302
    assert Comment.objects.get().name == unicodedata.normalize("NFC", name + "ệ")
    response = post(client, article, name=name + "ệệ", ip="198.51.100.9")
    assert response.status_code == 400
    assert "Please keep your name to 80 characters (it has 81)." in response.content.decode()


def test_comment_of_emoji_counts_what_the_reader_sees(client, article):
    assert post(client, article, body="🇻🇳🇻🇳🇻🇳").status_code == 400
    body = "Tuyệt vời 👨‍👩‍👧‍👦🇻🇳 " * 35  # 700 code points, 455 characters
    assert post(client, article, body=body, ip="198.51.100.9").status_code == 302
    assert Comment.objects.get().body == body.strip()


def test_nul_characters_are_refused_without_a_server_error(client, article):
    assert post(client, article, body="Hello\x00 world").status_code == 400


def test_pre_moderation_is_the_default_and_says_so(client, article):
    assert (
        "read by an editor before they appear"
        in client.get(article.get_absolute_url()).content.decode()
    )


def test_post_moderation_publishes_at_once(client, article, settings):
    settings.NEWSROOM_COMMENTS_PREMODERATION = False
    assert "read by an editor" not in client.get(article.get_absolute_url()).content.decode()
    response = post(client, article)
    page = client.get(response["Location"]).content.decode()
    assert "Your comment has been published" in page
    assert Comment.objects.get().status == Comment.Status.APPROVED
    assert "Bài viết rất hay" in page


def test_comments_closed_shows_a_notice_instead_of_the_form(client, article):
    article.comments_open = False
    article.save()
    CommentFactory(article=article, body="An earlier approved comment.")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Comments are closed for this article." in html
    assert "An earlier approved comment." in html
    assert 'name="body"' not in html


def test_crafted_post_to_closed_comments_is_refused(client, article):
    Article.objects.filter(pk=article.pk).update(comments_open=False)
    response = post(client, article)
    assert response.status_code == 403
    assert "Comments are closed for this article." in response.content.decode()
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "attrs",
    [{"status": Article.Status.DRAFT, "published_at": None}, {"status": "unpublished"}],
)
def test_posting_to_an_unpublished_article_answers_404(client, attrs):
    article = ArticleFactory(**attrs)
    assert post(client, article).status_code == 404
    assert not Comment.objects.exists()


def test_get_on_the_post_address_is_not_allowed(client, article):
    assert client.get(reverse("comments:create", kwargs={"slug": article.slug})).status_code == 405


# --- Abuse --------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},
        {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "http://testserver"},
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_ORIGIN": "https://dienbienphu.example.evil.example"},
    ],
    ids=[
        "cross-site",
        "same-site",
        "cross-site-despite-origin",
        "other-origin",
        "null-origin",
        "lookalike-of-trusted",
    ],
)
def test_post_from_another_site_is_refused_and_its_text_not_shown(article, headers, settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://*.dienbienphu.example"]
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("comments:create", kwargs={"slug": article.slug}),
        form_data(body="Viết từ trang khác."),
        **headers,
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "sent from another website, so it was not posted" in html
    assert "Viết từ trang khác." not in html
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ORIGIN": "http://testserver"},
        {"HTTP_SEC_FETCH_SITE": "none"},
        {"HTTP_ORIGIN": "http://testserver"},
        {"HTTP_ORIGIN": "https://news.example"},
        {"HTTP_ORIGIN": "https://en.dienbienphu.example"},
        {},
    ],
    ids=[
        "same-origin",
        "typed-address",
        "own-origin",
        "trusted-origin",
        "trusted-subdomain",
        "no-browser-headers",
    ],
)
def test_post_from_our_own_page_needs_no_token(article, headers, settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://news.example", "https://*.dienbienphu.example"]
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("comments:create", kwargs={"slug": article.slug}),
        form_data(),
        REMOTE_ADDR="203.0.113.7",
        **headers,
    )
    assert response.status_code == 302
    assert Comment.objects.count() == 1


def test_honeypot_filled_is_dropped_silently(client, article):
    response = post(client, article, website="http://cheap-pills.example")
    assert response.status_code == 302
    assert AWAITING in client.get(response["Location"]).content.decode()
    assert not Comment.objects.exists()


def test_honeypot_is_hidden_from_people(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    trap = html[html.index('class="comment-form__trap"') - 5 :]
    assert trap.startswith('<div class="comment-form__trap" aria-hidden="true">')
    assert 'tabindex="-1"' in trap[: trap.index("</div>")]


def test_same_text_from_same_address_is_held_not_published_twice(client, article, settings):
    settings.NEWSROOM_COMMENTS_PREMODERATION = False
    post(client, article)
    post(client, article)
    first, second = Comment.objects.order_by("pk")
    assert first.status == Comment.Status.APPROVED
    assert second.status == Comment.Status.PENDING
    assert "Same text from the same address" in second.held_reason
    html = client.get(article.get_absolute_url()).content.decode()
    assert html.count("Bài viết rất hay") == 1


def test_same_text_is_not_held_after_the_window_or_from_another_address(
    client, article, settings, time_machine
):
    settings.NEWSROOM_COMMENTS_PREMODERATION = False
    start = timezone.now() + datetime.timedelta(days=1)
    time_machine.move_to(start, tick=False)
    post(client, article)
    post(client, article, ip="198.51.100.9")
    time_machine.move_to(start + datetime.timedelta(minutes=11), tick=False)
    post(client, article)
    assert list(Comment.objects.values_list("status", flat=True)) == ["approved"] * 3


def test_rate_limit_answers_429_with_a_readable_page(client, article, settings, time_machine):
    settings.NEWSROOM_COMMENTS_RATE_LIMIT = 5
    settings.NEWSROOM_COMMENTS_RATE_WINDOW = 600
    start = timezone.now() + datetime.timedelta(days=1)
    time_machine.move_to(start, tick=False)
    for n in range(5):
        assert post(client, article, body=f"Comment number {n}").status_code == 302
    time_machine.move_to(start + datetime.timedelta(minutes=4), tick=False)
    response = post(client, article, body="One comment too many")
    assert response.status_code == 429
    assert response["Retry-After"] == "361"
    html = response.content.decode()
    assert "Please wait a few minutes" in html
    assert "One comment too many" in html  # the reader can copy their text
    assert 'class="masthead"' in html  # the site's own page, not a bare error
    assert Comment.objects.count() == 5
    # Another reader is not affected.
    assert post(client, article, ip="198.51.100.9", body="Someone else").status_code == 302
    # The window slides: ten minutes after the first comment, one more is allowed.
    time_machine.move_to(start + datetime.timedelta(minutes=10, seconds=1), tick=False)
    assert post(client, article, body="After the pause").status_code == 302


def test_rate_limit_is_a_setting(client, article, settings):
    settings.NEWSROOM_COMMENTS_RATE_LIMIT = 2
    post(client, article, body="First of two")
    post(client, article, body="Second of two")
    assert post(client, article, body="Third is refused").status_code == 429


def test_forged_forwarded_header_does_not_dodge_the_rate_limit(client, article, settings):
    settings.NEWSROOM_COMMENTS_RATE_LIMIT = 2
    for n in range(3):
        response = client.post(
            reverse("comments:create", kwargs={"slug": article.slug}),
            form_data(body=f"Forged header {n}"),
            REMOTE_ADDR="203.0.113.7",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",
        )
    assert response.status_code == 429


def test_behind_a_trusted_proxy_the_forwarded_address_counts(client, article, settings):
    settings.NEWSROOM_COMMENTS_RATE_LIMIT = 2
    settings.NEWSROOM_TRUSTED_PROXY_COUNT = 1
    url = reverse("comments:create", kwargs={"slug": article.slug})
    statuses = [
        client.post(
            url,
            form_data(body=f"Proxied reader {n}"),
            REMOTE_ADDR="127.0.0.1",  # the proxy
            HTTP_X_FORWARDED_FOR=f"6.6.6.6, 203.0.113.{n}",  # forged entry, then the real one
        ).status_code
        for n in range(3)
    ]
    assert statuses == [302, 302, 302]  # three different readers behind one proxy


def test_posts_whose_address_cannot_be_known_are_limited_as_one_client(client, article, settings):
    # gunicorn bound to a unix socket gives an empty REMOTE_ADDR.
    settings.NEWSROOM_COMMENTS_RATE_LIMIT = 5
    statuses = [
        post(client, article, ip="", body=f"Over the socket {n}").status_code for n in range(8)
    ]
    assert statuses == [302] * 5 + [429] * 3
    assert Comment.objects.count() == 5


def test_banned_word_sends_the_comment_to_spam_with_the_reason(client, article, settings):
    settings.NEWSROOM_COMMENTS_PREMODERATION = False
    BannedWordFactory(word="lừa đảo")
    response = post(client, article, body=unicodedata.normalize("NFD", "Trang này LỪA-ĐẢO!"))
    assert AWAITING in client.get(response["Location"]).content.decode()
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.SPAM
    assert comment.held_reason == "Banned word in the comment: lừa đảo"


def test_a_banned_word_in_the_name_is_told_apart_from_one_in_the_text(client, article, settings):
    settings.NEWSROOM_COMMENTS_PREMODERATION = False
    BannedWordFactory(word="đồ ngốc")
    BannedWordFactory(word="ngu")
    post(client, article, name="Đồ Ngốc", body="Bài viết rất hay.")
    post(client, article, name="Lan", body="Ngu thật, đồ ngốc!", ip="198.51.100.9")
    post(client, article, name="Đồ ngốc", body="N-G-U", ip="198.51.100.10")
    assert list(Comment.objects.order_by("pk").values_list("held_reason", flat=True)) == [
        "Banned word in the name: đồ ngốc",
        "Banned words in the comment: ngu, đồ ngốc",
        "Banned word in the name: đồ ngốc; Banned word in the comment: ngu",
    ]


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_a_reader_named_do_ngoc_anh_is_not_silenced(client, article, settings, form):
    settings.NEWSROOM_COMMENTS_PREMODERATION = False
    BannedWordFactory(word="đồ ngốc")
    BannedWordFactory(word="ngu")
    name = unicodedata.normalize(form, "Đỗ Ngọc Ánh")
    body = unicodedata.normalize(form, "Chúc cả nhà ngủ ngon, ngũ cốc ngon quá!")
    post(client, article, name=name, body=body)
    comment = Comment.objects.get()
    assert (comment.status, comment.held_reason) == (Comment.Status.APPROVED, "")


def test_banned_words_from_the_setting_and_whole_words_only(client, article, settings):
    settings.NEWSROOM_COMMENTS_PREMODERATION = False
    settings.NEWSROOM_COMMENTS_BANNED_WORDS = ["casino"]
    post(client, article, body="Best casino bonus today")
    post(client, article, body="The casinos of old Hà Nội", ip="198.51.100.9")
    assert list(Comment.objects.order_by("pk").values_list("status", flat=True)) == [
        "spam",
        "approved",
    ]


def test_oversized_request_is_refused_before_parsing_without_a_server_error(client, article):
    response = post(client, article, body="x" * 1_100_000)
    assert response.status_code == 400
    # Refused by the request size limit, not by the form: no article page was built.
    assert "Boosting tourism" not in response.content.decode()
    assert not Comment.objects.exists()


def test_overlong_raw_input_below_the_request_limit_is_a_form_error(client, article):
    response = post(client, article, body="x" * 10_001)
    assert response.status_code == 400
    assert "Please keep your comment to 500 characters" in response.content.decode()


def test_a_wall_of_combining_marks_is_refused_with_a_message(client, article):
    response = post(client, article, body="Hay quá" + "\u0301" * 10_000)
    assert response.status_code == 400
    assert "too many accents, emoji or other marks" in response.content.decode()
    assert not Comment.objects.exists()


def test_address_is_stored_only_as_a_fingerprint(client, article):
    post(client, article, ip="203.0.113.7")
    comment = Comment.objects.get()
    assert len(comment.ip_hash) == 64
    assert "203.0.113" not in comment.ip_hash
    assert "203.0.113.7" not in str(Comment.objects.values().get())


@pytest.mark.parametrize("premoderated", [True, False])
@pytest.mark.parametrize("comments_open", [True, False])
def test_the_empty_comment_form_kept_by_the_process_is_the_one_rendered_for_the_article(
    client, settings, premoderated, comments_open
):
    from django.template.loader import render_to_string

    from comments.templatetags.comment_tags import render_form

    settings.NEWSROOM_COMMENTS_PREMODERATION = premoderated
    for title in ("Mường Nhé clinic opens", "Tủa Chùa tea festival"):
        article = ArticleFactory(title=title, comments_open=comments_open)
        rendered = render_to_string("comments/_comment_form.html", {"article": article})
        assert render_form(article) == rendered
        page = client.get(article.get_absolute_url()).content.decode()
        assert rendered in page
    assert (article.slug in rendered) is comments_open
    assert ("read by an editor" in rendered) is (premoderated and comments_open)


def test_with_nothing_kept_the_list_follows_moderation_through_one_build(
    client, article, settings, monkeypatch
):
    """With nothing kept the approved comments are read through a statement built once per
    connection: a comment approved since the last page appears, one rejected goes, another
    article's comment never shows, and the statement is not built again."""
    from django.db import DEFAULT_DB_ALIAS, connections

    from comments.templatetags import comment_tags

    settings.NEWSROOM_PAGE_CACHE = False
    settings.NEWSROOM_FRAGMENT_CACHE = False
    shown = CommentFactory(article=article, body="Shown words here.")
    waiting = CommentFactory(article=article, status="pending", body="Waiting words here.")
    CommentFactory(body="Another story's words.")
    builds = []
    build = comment_tags._APPROVED.build
    monkeypatch.setattr(
        comment_tags._APPROVED, "build", lambda **kw: builds.append(kw) or build(**kw)
    )
    connections[DEFAULT_DB_ALIAS].__dict__.pop("prepared_statements", None)

    def comments():
        html = client.get(article.get_absolute_url()).content.decode()
        return html[html.index('id="comments"') :]

    first = comments()
    assert "Shown words here." in first and 'class="comments__count">(1)' in first
    assert "Waiting words here." not in first and "Another story's words." not in first
    Comment.objects.filter(pk=waiting.pk).update(status="approved")
    Comment.objects.filter(pk=shown.pk).update(status="rejected")
    second = comments()
    assert "Waiting words here." in second and "Shown words here." not in second
    assert 'class="comments__count">(1)' in second and "Another story's words." not in second
    assert len(builds) == 1
