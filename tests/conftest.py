import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Fast hashing, an isolated cache and a throw-away media folder for every test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    # Tests see freshly rendered pages; tests/pagecache/test_page_cache.py turns the cache on.
    settings.NEWSROOM_PAGE_CACHE = False
    settings.NEWSROOM_FRAGMENT_CACHE = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Django's client.login() authenticates without a request, which django-axes refuses;
    # the tests of the sign-in lockout switch it back on.
    settings.AXES_ENABLED = False
    from django.core.cache import cache

    from core.errors import forget_mailed_errors
    from pagecache.versions import forget

    cache.clear()
    # The site version this process last read may be one a rolled-back test wrote.
    forget()
    forget_mailed_errors()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """A `replica` alias that mirrors the test database (no second database is created), for
    the read-replica router's tests (tests/test_routers.py). Nothing reads from it unless a
    test installs the router, or DATABASE_REPLICA_URL configured it already."""
    from django.db import connections

    databases = connections.settings
    if "replica" not in databases:
        databases["replica"] = {**databases["default"], "TEST": {"MIRROR": "default"}}
        # Django's defaults for the keys the new alias leaves out.
        connections.configure_settings(databases)


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright, one for the whole run (Playwright's sync API
    allows one at a time); tests skip with a hint where it is missing."""
    if not CHROMIUM.exists():
        pytest.skip("chromium is not installed: `apt-get install chromium` (as .ci/run does)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from the
    # same thread are safe here because the live server runs in its own thread.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(
                executable_path=str(CHROMIUM),
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            yield launched
            launched.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser):
    """A new tab in the shared browser, closed after the test."""
    tab = browser.new_page()
    yield tab
    tab.close()


@pytest.fixture
def page_cache_on(settings):
    """The anonymous page cache and the shared fragments, which other tests run without,
    switched on."""
    settings.NEWSROOM_PAGE_CACHE = True
    settings.NEWSROOM_FRAGMENT_CACHE = True


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a write as if its transaction committed (the page cache is invalidated on commit)."""

    def run(write):
        with django_capture_on_commit_callbacks(execute=True):
            return write()

    return run


@pytest.fixture
def views_in_the_database(settings):
    """Most read views counted in the database (the embedded default), whatever REDIS_URL
    this shell has."""
    from mostread import counters

    settings.REDIS_URL = ""
    counters._counters.clear()
    yield
    counters._counters.clear()
