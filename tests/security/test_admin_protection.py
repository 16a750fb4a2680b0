import datetime
import importlib

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import clear_url_caches, reverse
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=30)


@pytest.fixture
def editor():
    return UserFactory(username="editor", is_staff=True, is_superuser=True)


def sign_in(client, password, *, username="editor", address="203.0.113.7"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
    )


def test_password_guessing_is_locked_out_with_a_clear_page(client, axes_on, editor):
    for _ in range(2):
        response = sign_in(client, "guess")
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.content.decode()
    response = sign_in(client, "guess")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many failed sign-in attempts" in html
    assert "After 3 wrong passwords for <strong>editor</strong>" in html
    assert "Try again in 30 minutes" in html
    assert '<link rel="stylesheet" href="/static/css/site.css">' in html

    # Even the right password is refused during the lockout.
    assert sign_in(client, PASSWORD).status_code == 429


def test_lockout_ends_after_the_cool_off_time(client, axes_on, editor, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    for _ in range(3):
        sign_in(client, "guess")
    time_machine.shift(datetime.timedelta(minutes=29))
    assert sign_in(client, PASSWORD).status_code == 429
    time_machine.shift(datetime.timedelta(minutes=31))
    response = sign_in(client, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_a_guesser_elsewhere_does_not_lock_the_journalist_out(client, axes_on, editor):
    for _ in range(3):
        sign_in(client, "guess", address="198.51.100.66")
    assert sign_in(client, PASSWORD, address="203.0.113.7").status_code == 302


def test_behind_the_proxy_readers_are_told_apart_by_their_forwarded_address(
    client, axes_on, editor, settings
):
    # Everyone arrives from the proxy's address; the proxy appends the reader's own.
    settings.NEWSROOM_TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.1"
    for _ in range(3):
        client.post(
            reverse("admin:login"),
            {"username": "editor", "password": "guess"},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR="198.51.100.66",
        )
    response = client.post(
        reverse("admin:login"),
        {"username": "editor", "password": PASSWORD, "next": reverse("admin:index")},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert response.status_code == 302


@pytest.mark.parametrize("weak", ["12345678", "password", "editor12", "short"])
def test_weak_passwords_are_refused(weak, editor):
    with pytest.raises(ValidationError):
        validate_password(weak, user=editor)


def test_a_long_uncommon_password_is_accepted(editor):
    validate_password("lúa nếp Mường Thanh 1954", user=editor)


@pytest.fixture
def admin_path(settings):
    """Moves the admin to another path for one test, then puts it back."""
    original = settings.ADMIN_URL

    def move(path):
        settings.ADMIN_URL = path
        clear_url_caches()
        importlib.reload(importlib.import_module(settings.ROOT_URLCONF))

    yield move
    move(original)


def test_admin_answers_on_the_configured_path_only(client, admin_path, editor):
    admin_path("desk-7f3a/")
    assert client.get("/desk-7f3a/login/").status_code == 200
    assert client.get("/admin/login/").status_code == 404
    assert client.get("/admin/").status_code == 404
    assert reverse("admin:index") == "/desk-7f3a/"
    assert reverse("admin_password_reset") == "/desk-7f3a/password_reset/"
    client.force_login(editor)
    assert client.get("/desk-7f3a/").status_code == 200


def test_admin_answers_on_admin_by_default(client, editor):
    assert reverse("admin:index") == "/admin/"
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200


def test_staff_session_ends_after_inactivity_but_not_while_active(
    client, settings, editor, time_machine
):
    settings.SESSION_COOKIE_AGE = 3600
    time_machine.move_to(timezone.now(), tick=False)
    client.force_login(editor)
    # Working steadily: each request pushes the expiry forward.
    for _ in range(3):
        time_machine.shift(datetime.timedelta(minutes=50))
        assert client.get(reverse("admin:index")).status_code == 200
    # Away for longer than the limit: signed out.
    time_machine.shift(datetime.timedelta(minutes=61))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
