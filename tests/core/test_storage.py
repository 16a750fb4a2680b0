"""The production static files' storage (core/storage.py)."""

import json

import pytest

from core.storage import StaticFilesStorage


@pytest.fixture
def storage(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    settings.STATIC_URL = "/static/"
    manifest = {"paths": {"css/site.css": "css/site.0123456789ab.css"}, "version": "1.1"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    return StaticFilesStorage(location=tmp_path, base_url="/static/")


def test_a_static_files_hashed_address_is_worked_out_once_per_process(storage, monkeypatch):
    lookups = []
    original = storage._url
    monkeypatch.setattr(
        storage, "_url", lambda *a, **kw: lookups.append(a[1]) or original(*a, **kw)
    )
    assert storage.url("css/site.css") == "/static/css/site.0123456789ab.css"
    assert storage.url("css/site.css") == "/static/css/site.0123456789ab.css"
    assert lookups == ["css/site.css"]
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("css/missing.css")


def test_with_debug_on_a_static_files_address_is_its_name(storage, settings):
    settings.DEBUG = True
    assert storage.url("css/site.css") == "/static/css/site.css"
    settings.DEBUG = False
    assert storage.url("css/site.css") == "/static/css/site.0123456789ab.css"
