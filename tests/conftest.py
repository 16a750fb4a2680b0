import pytest


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Fast hashing, an isolated cache and a throw-away media folder for every test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    # Tests see freshly rendered pages; tests/articles/test_caching.py turns the cache on.
    settings.NEWSROOM_PAGE_CACHE = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Django's client.login() authenticates without a request, which django-axes refuses;
    # the tests of the sign-in lockout switch it back on.
    settings.AXES_ENABLED = False
    from django.core.cache import cache

    cache.clear()
