"""Password reset for staff: throttled per account and per address with one answer for all,
and a link that lets a locked-out journalist in while the guesser stays locked."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from security.models import PasswordResetRequest
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "lúa nếp Mường Thanh 1954"


@pytest.fixture
def editor():
    return UserFactory(username="editor", email="editor@example.com", is_staff=True)


def ask(client, email, *, address="203.0.113.7"):
    return client.post(reverse("admin_password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_a_flood_of_requests_for_one_account_sends_only_a_few_emails(client, editor, settings):
    settings.NEWSROOM_PASSWORD_RESET_ACCOUNT_LIMIT = 3
    answers = [ask(client, "editor@example.com") for _ in range(10)]
    assert {(answer.status_code, answer["Location"]) for answer in answers} == {
        (302, reverse("password_reset_done"))
    }
    assert [message.to for message in mail.outbox] == [["editor@example.com"]] * 3


def test_the_account_limit_holds_whatever_the_address_and_the_case(client, editor, settings):
    settings.NEWSROOM_PASSWORD_RESET_ACCOUNT_LIMIT = 2
    ask(client, "editor@example.com", address="198.51.100.1")
    ask(client, "EDITOR@example.com", address="198.51.100.2")
    ask(client, "editor@example.com", address="198.51.100.3")
    assert len(mail.outbox) == 2


def test_one_address_asking_for_many_accounts_is_held_back(client, settings):
    settings.NEWSROOM_PASSWORD_RESET_ADDRESS_LIMIT = 4
    for n in range(6):
        UserFactory(username=f"reporter{n}", email=f"reporter{n}@example.com")
        ask(client, f"reporter{n}@example.com")
    assert len(mail.outbox) == 4
    # Another reader's address is not held back by the first one.
    ask(client, "reporter5@example.com", address="198.51.100.9")
    assert mail.outbox[-1].to == ["reporter5@example.com"]


def test_an_unknown_address_asks_as_one_shared_client(client, settings):
    settings.NEWSROOM_PASSWORD_RESET_ADDRESS_LIMIT = 2
    for n in range(3):
        UserFactory(username=f"reporter{n}", email=f"reporter{n}@example.com")
        ask(client, f"reporter{n}@example.com", address="")  # a unix socket, no proxy header
    assert len(mail.outbox) == 2


def test_the_answer_is_the_same_for_unknown_known_and_throttled_addresses(client, editor, settings):
    settings.NEWSROOM_PASSWORD_RESET_ACCOUNT_LIMIT = 1
    sent = ask(client, "editor@example.com")
    throttled = ask(client, "editor@example.com")
    unknown = ask(client, "nobody@example.com")
    assert len(mail.outbox) == 1
    answers = {(a.status_code, a["Location"]) for a in (sent, throttled, unknown)}
    assert answers == {(302, reverse("password_reset_done"))}
    done = client.get(reverse("password_reset_done"))
    assert "We’ve emailed you instructions" in done.content.decode()


def test_the_window_slides(client, editor, settings, time_machine):
    settings.NEWSROOM_PASSWORD_RESET_ACCOUNT_LIMIT = 1
    settings.NEWSROOM_PASSWORD_RESET_WINDOW = 3600
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    ask(client, "editor@example.com")
    time_machine.move_to(start + datetime.timedelta(minutes=59), tick=False)
    ask(client, "editor@example.com")
    assert len(mail.outbox) == 1
    time_machine.move_to(start + datetime.timedelta(minutes=61), tick=False)
    ask(client, "editor@example.com")
    assert len(mail.outbox) == 2
    # What the window no longer needs is not kept.
    assert PasswordResetRequest.objects.count() == 1


def test_nothing_but_fingerprints_is_stored(client, editor):
    ask(client, "editor@example.com")
    stored = str(list(PasswordResetRequest.objects.values()))
    assert "editor" not in stored and "203.0.113.7" not in stored


def test_a_request_while_the_cache_is_down_still_answers(client, editor, settings):
    # Nothing listens on this port: every cache call fails.
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache_backend.NewsroomRedisCache",
            "LOCATION": "redis://127.0.0.1:18101/3",
        }
    }
    settings.NEWSROOM_PASSWORD_RESET_ACCOUNT_LIMIT = 1
    assert ask(client, "editor@example.com").status_code == 302
    assert ask(client, "editor@example.com").status_code == 302
    assert len(mail.outbox) == 1


def sign_in(client, password, *, address="203.0.113.7"):
    return client.post(
        reverse("admin:login"),
        {"username": "editor", "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
    )


def test_a_reset_link_lets_the_locked_out_journalist_in_while_the_guesser_stays_locked(
    editor, settings
):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    guesser, journalist = Client(), Client()
    # The guesser shares the journalist's address (the same office, the same proxy).
    for _ in range(3):
        response = sign_in(guesser, "guess")
    assert response.status_code == 429
    assert sign_in(journalist, "correct horse battery staple").status_code == 429
    locked_page = sign_in(journalist, "correct horse battery staple").content.decode()
    assert reverse("admin_password_reset") in locked_page

    ask(journalist, "editor@example.com")
    link = re.search(r"https?://[^/\s]+(/\S*/reset/\S+/)", mail.outbox[-1].body).group(1)
    form_page = journalist.get(link, follow=True, REMOTE_ADDR="203.0.113.7")
    response = journalist.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        REMOTE_ADDR="203.0.113.7",
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    desk = journalist.get(reverse("admin:index"), REMOTE_ADDR="203.0.113.7")
    assert desk.status_code == 200 and "editor" in desk.content.decode()

    # The guesser is still locked out, even with the new password.
    assert sign_in(guesser, NEW_PASSWORD).status_code == 429
