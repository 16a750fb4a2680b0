"""Who may post to a live story: editors always, a reporter only where an editor named
them; pinning, key entries and deletions are the editors'. The server refuses what the
admin does not offer."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from auditlog.models import AuditEvent
from live.models import LiveEntry
from live.services import entry_delete, entry_post, entry_update
from tests.factories import EditorFactory, LiveCoverageFactory, ReporterFactory

pytestmark = pytest.mark.django_db
ADD = reverse("admin:live_liveentry_add")


def entry_form(coverage, **fields):
    now = timezone.localtime()
    return {
        "coverage": coverage.pk,
        "posted_at_0": now.strftime("%Y-%m-%d"),
        "posted_at_1": now.strftime("%H:%M:%S"),
        "text": "Rescue teams reach Chà Cang.",
        "picture_alt": "",
        "picture_credit": "",
        "quote": "",
        "quote_by": "",
        **fields,
    }


def test_a_reporter_not_named_on_any_live_story_is_refused_by_the_server(client, coverage):
    client.force_login(ReporterFactory())
    assert client.get(ADD).status_code == 403
    assert client.post(ADD, entry_form(coverage)).status_code == 403
    assert not LiveEntry.objects.exists()


def test_a_reporter_named_on_a_story_posts_to_it_and_no_other(client, coverage):
    reporter = ReporterFactory()
    coverage.reporters.add(reporter)
    other = LiveCoverageFactory()
    client.force_login(reporter)
    refused = client.post(ADD, entry_form(other))
    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()
    assert client.post(ADD, entry_form(coverage)).status_code == 302
    entry = LiveEntry.objects.get()
    assert entry.coverage == coverage and entry.created_by == reporter
    with pytest.raises(PermissionDenied):
        entry_post(coverage=other, by=reporter, text="Not mine to post")


def test_a_reporter_may_not_pin_mark_as_key_or_delete(coverage, editor):
    reporter = ReporterFactory()
    coverage.reporters.add(reporter)
    with pytest.raises(PermissionDenied):
        entry_post(coverage=coverage, by=reporter, text="Pinned by me", pinned=True)
    entry = entry_post(coverage=coverage, by=reporter, text="The road is open again.")
    with pytest.raises(PermissionDenied):
        entry_update(entry=entry, by=reporter, key=True)
    with pytest.raises(PermissionDenied):
        entry_delete(entry=entry, by=reporter)
    # Their own words they may correct.
    entry_update(entry=entry, by=reporter, text="The road to Chà Cang is open again.")
    entry.refresh_from_db()
    assert entry.text == "<p>The road to Chà Cang is open again.</p>"


def test_a_reporter_removed_from_the_story_can_no_longer_post_or_edit(client, coverage):
    reporter = ReporterFactory()
    coverage.reporters.add(reporter)
    entry = entry_post(coverage=coverage, by=reporter, text="The road is open again.")
    coverage.reporters.remove(reporter)
    client.force_login(reporter)
    url = reverse("admin:live_liveentry_change", args=[entry.pk])
    assert client.get(url).status_code == 302  # not in their list: the admin says so
    with pytest.raises(PermissionDenied):
        entry_update(entry=entry, by=reporter, text="Changed")


def test_editors_post_pin_and_delete_and_a_deletion_is_audited(client, coverage):
    editor = EditorFactory()
    client.force_login(editor)
    answer = client.post(ADD, entry_form(coverage, pinned="on", key="on"))
    assert answer.status_code == 302
    entry = LiveEntry.objects.get()
    assert entry.pinned and entry.key
    # Pinning another through the form unpins the first, rather than refusing.
    assert client.post(ADD, entry_form(coverage, text="New pin", pinned="on")).status_code == 302
    entry.refresh_from_db()
    assert not entry.pinned
    delete = reverse("admin:live_liveentry_delete", args=[entry.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not LiveEntry.objects.filter(pk=entry.pk).exists()
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.DELETION)
    assert event.by == editor and event.article == coverage.article
    assert "Rescue teams reach Chà Cang." in event.subject


def test_a_future_entry_time_gets_a_clear_message(client, coverage):
    client.force_login(EditorFactory())
    answer = client.post(ADD, entry_form(coverage, posted_at_0="2099-01-01"))
    assert answer.status_code == 200
    assert "An entry&#x27;s time may not be in the future." in answer.content.decode()


def test_an_empty_entry_gets_a_clear_message(client, coverage):
    client.force_login(EditorFactory())
    answer = client.post(ADD, entry_form(coverage, text=""))
    assert answer.status_code == 200
    assert "Write some text, add a picture or a quote." in answer.content.decode()


def test_only_editors_set_a_story_live(client):
    url = reverse("admin:live_livecoverage_add")
    client.force_login(ReporterFactory())
    assert client.get(url).status_code == 403
    client.force_login(EditorFactory())
    assert client.get(url).status_code == 200


def test_the_reporters_an_editor_may_name_are_those_whose_role_lets_them_post(client, coverage):
    reporter = ReporterFactory(username="reporter-on-the-spot")
    EditorFactory(username="editor-at-the-desk")
    client.force_login(EditorFactory())
    form = client.get(reverse("admin:live_livecoverage_change", args=[coverage.pk]))
    choices = form.context["adminform"].form.fields["reporters"].queryset
    assert list(choices) == [reporter]
