"""Every environment variable docs/configuration.md lists does what it says.

Each is set in turn and config/settings.py is read afresh (not Django's loaded settings),
and the settings it produces are checked; a variable documented without a check here, or
read by the settings without being documented, fails the first test.
"""

import re
import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / "config" / "settings.py"
DOCS = ROOT / "docs" / "configuration.md"
PRODUCTION = {"DEBUG": "False", "SECRET_KEY": "k" * 50, "ALLOWED_HOSTS": "news.example"}


def documented() -> set[str]:
    names = set()
    for line in DOCS.read_text().splitlines():
        if line.startswith("| `"):
            names.update(re.findall(r"`([A-Z][A-Z0-9_]+)`", line.split("|")[1]))
    return names


def read_by_settings() -> set[str]:
    return set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z][A-Z0-9_]+)"', SETTINGS.read_text()))


def load(monkeypatch, **environment) -> dict:
    """config/settings.py as it reads with `environment` (and nothing else of ours) set."""
    for name in documented() | read_by_settings():
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


# variable -> (environment to set, check on the settings it gives)
EFFECTS = {
    "DEBUG": ({**PRODUCTION}, lambda s: s["DEBUG"] is False),
    "SECRET_KEY": ({**PRODUCTION, "SECRET_KEY": "s" * 60}, lambda s: s["SECRET_KEY"] == "s" * 60),
    "ALLOWED_HOSTS": (
        {**PRODUCTION, "ALLOWED_HOSTS": "a.example,b.example"},
        lambda s: s["ALLOWED_HOSTS"] == ["a.example", "b.example"],
    ),
    "CSRF_TRUSTED_ORIGINS": (
        {"CSRF_TRUSTED_ORIGINS": "https://news.example"},
        lambda s: s["CSRF_TRUSTED_ORIGINS"] == ["https://news.example"],
    ),
    "DATABASE_URL": (
        {"DATABASE_URL": "postgres://u:p@db.example:5433/paper"},
        lambda s: (
            s["DATABASES"]["default"]["HOST"] == "db.example"
            and s["DATABASES"]["default"]["NAME"] == "paper"
        ),
    ),
    "CONN_MAX_AGE": (
        {"DATABASE_URL": "postgres://u@db/paper", "CONN_MAX_AGE": "7"},
        lambda s: s["DATABASES"]["default"]["CONN_MAX_AGE"] == 7,
    ),
    "DATABASE_REPLICA_URL": (
        {"DATABASE_REPLICA_URL": "postgres://r@replica.example/paper"},
        lambda s: (
            s["DATABASES"]["replica"]["HOST"] == "replica.example"
            and s["DATABASES"]["replica"]["ENGINE"] == "core.replica_db"
        ),
    ),
    "NEWSROOM_REPLICA_RETRY_SECONDS": (
        {"NEWSROOM_REPLICA_RETRY_SECONDS": "4"},
        lambda s: s["NEWSROOM_REPLICA_RETRY_SECONDS"] == 4,
    ),
    "DATABASE_REPLICA_CONNECT_TIMEOUT": (
        {
            "DATABASE_REPLICA_URL": "postgres://r@replica.example/paper",
            "DATABASE_REPLICA_CONNECT_TIMEOUT": "9",
        },
        lambda s: s["DATABASES"]["replica"]["OPTIONS"]["connect_timeout"] == 9,
    ),
    "REDIS_URL": (
        {"REDIS_URL": "redis://cache.example:6380/2"},
        lambda s: s["CACHES"]["default"]["LOCATION"] == "redis://cache.example:6380/2",
    ),
    "CACHE_KEY_PREFIX": (
        {"REDIS_URL": "redis://cache.example", "CACHE_KEY_PREFIX": "other"},
        lambda s: s["CACHES"]["default"]["KEY_PREFIX"] == "other",
    ),
    "REDIS_TIMEOUT": (
        {"REDIS_URL": "redis://cache.example", "REDIS_TIMEOUT": "0.5"},
        lambda s: (
            s["CACHES"]["default"]["OPTIONS"]
            == {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
        ),
    ),
    "REDIS_RETRY_SECONDS": (
        {"REDIS_RETRY_SECONDS": "30"},
        lambda s: s["REDIS_RETRY_SECONDS"] == 30,
    ),
    "NEWSROOM_VERSION_CHECK_SECONDS": (
        {"NEWSROOM_VERSION_CHECK_SECONDS": "0.2"},
        lambda s: s["NEWSROOM_VERSION_CHECK_SECONDS"] == 0.2,
    ),
    "STATIC_ROOT": (
        {"STATIC_ROOT": "/srv/static"},
        lambda s: str(s["STATIC_ROOT"]) == "/srv/static",
    ),
    "MEDIA_ROOT": ({"MEDIA_ROOT": "/srv/media"}, lambda s: str(s["MEDIA_ROOT"]) == "/srv/media"),
    "NEWSROOM_MEDIA_ACCEL_REDIRECT": (
        {"NEWSROOM_MEDIA_ACCEL_REDIRECT": "/_media/"},
        lambda s: s["NEWSROOM_MEDIA_ACCEL_REDIRECT"] == "/_media/",
    ),
    "MEDIA_STORAGE_BUCKET": (
        {"MEDIA_STORAGE_BUCKET": "pictures"},
        lambda s: s["STORAGES"]["default"]["OPTIONS"]["bucket_name"] == "pictures",
    ),
    "MEDIA_STORAGE_ENDPOINT_URL": (
        {"MEDIA_STORAGE_BUCKET": "pictures", "MEDIA_STORAGE_ENDPOINT_URL": "http://s3.example"},
        lambda s: s["STORAGES"]["default"]["OPTIONS"]["endpoint_url"] == "http://s3.example",
    ),
    "EMAIL_FILE_PATH": (
        {"EMAIL_FILE_PATH": "/var/mail/newsroom"},
        lambda s: s["EMAIL_FILE_PATH"] == "/var/mail/newsroom",
    ),
    "NEWSROOM_TASKS": (
        {"NEWSROOM_TASKS": "database"},
        lambda s: s["TASKS"]["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend",
    ),
    "EMAIL_BACKEND": (
        {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend"},
        lambda s: s["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend",
    ),
    "DEFAULT_FROM_EMAIL": (
        {"DEFAULT_FROM_EMAIL": "desk@news.example"},
        lambda s: s["DEFAULT_FROM_EMAIL"] == "desk@news.example",
    ),
    "BACKUP_DIR": (
        {"BACKUP_DIR": "/srv/backups"},
        lambda s: str(s["BACKUP_DIR"]) == "/srv/backups",
    ),
    "NEWSROOM_ADMIN_ORIGIN": (
        {"NEWSROOM_ADMIN_ORIGIN": "https://desk.example/"},
        lambda s: s["NEWSROOM_ADMIN_ORIGIN"] == "https://desk.example",
    ),
    "SITE_NAME": ({"SITE_NAME": "Báo Điện Biên"}, lambda s: s["SITE_NAME"] == "Báo Điện Biên"),
    "NEWSROOM_RECENT_NEWS_COUNT": (
        {"NEWSROOM_RECENT_NEWS_COUNT": "5"},
        lambda s: s["NEWSROOM_RECENT_NEWS_COUNT"] == 5,
    ),
    "NEWSROOM_PAGE_CACHE": (
        {"NEWSROOM_PAGE_CACHE": "False"},
        lambda s: s["NEWSROOM_PAGE_CACHE"] is False,
    ),
    "NEWSROOM_PAGE_CACHE_SECONDS": (
        {"NEWSROOM_PAGE_CACHE_SECONDS": "30"},
        lambda s: s["NEWSROOM_PAGE_CACHE_SECONDS"] == 30,
    ),
    "NEWSROOM_SHARED_CACHE_SECONDS": (
        {"NEWSROOM_SHARED_CACHE_SECONDS": "5"},
        lambda s: s["NEWSROOM_SHARED_CACHE_SECONDS"] == 5,
    ),
    "NEWSROOM_PAGE_CACHE_LOCAL_BYTES": (
        {"NEWSROOM_PAGE_CACHE_LOCAL_BYTES": "0"},
        lambda s: s["NEWSROOM_PAGE_CACHE_LOCAL_BYTES"] == 0,
    ),
    "NEWSROOM_SHARED_CACHE_PURGE_URLS": (
        {"NEWSROOM_SHARED_CACHE_PURGE_URLS": "http://10.0.0.5:6081/,http://10.0.0.6:6081/"},
        lambda s: (
            s["NEWSROOM_SHARED_CACHE_PURGE_URLS"]
            == ["http://10.0.0.5:6081/", "http://10.0.0.6:6081/"]
        ),
    ),
    "NEWSROOM_SHARED_CACHE_TOLD_SECONDS": (
        {"NEWSROOM_SHARED_CACHE_TOLD_SECONDS": "120"},
        lambda s: s["NEWSROOM_SHARED_CACHE_TOLD_SECONDS"] == 120,
    ),
    "NEWSROOM_PAGE_CACHE_IGNORED_PARAMETERS": (
        {"NEWSROOM_PAGE_CACHE_IGNORED_PARAMETERS": "ref,src_*"},
        lambda s: s["NEWSROOM_PAGE_CACHE_IGNORED_PARAMETERS"] == ["ref", "src_*"],
    ),
    "NEWSROOM_FRAGMENT_CACHE": (
        {"NEWSROOM_FRAGMENT_CACHE": "False"},
        lambda s: s["NEWSROOM_FRAGMENT_CACHE"] is False,
    ),
    "SITE_URL": (
        {"SITE_URL": "https://news.example/"},
        lambda s: (
            s["NEWSROOM_SITE_URL"] == "https://news.example"
            and s["NEWSROOM_ADMIN_ORIGIN"] == "https://news.example"
        ),
    ),
    "NEWSROOM_IMAGE_MAX_BYTES": (
        {"NEWSROOM_IMAGE_MAX_BYTES": "1000"},
        lambda s: s["NEWSROOM_IMAGE_MAX_BYTES"] == 1000,
    ),
    "NEWSROOM_IMAGE_MAX_PIXELS": (
        {"NEWSROOM_IMAGE_MAX_PIXELS": "2000"},
        lambda s: s["NEWSROOM_IMAGE_MAX_PIXELS"] == 2000,
    ),
    "NEWSROOM_IMPORT_DEFAULT_SECTION": (
        {"NEWSROOM_IMPORT_DEFAULT_SECTION": "business"},
        lambda s: s["NEWSROOM_IMPORT_DEFAULT_SECTION"] == "business",
    ),
    "NEWSROOM_SECTION_ALIASES": (
        {"NEWSROOM_SECTION_ALIASES": "SPORT=culture-tourism,ECONOMY=business"},
        lambda s: (
            s["NEWSROOM_SECTION_ALIASES"] == {"SPORT": "culture-tourism", "ECONOMY": "business"}
        ),
    ),
    "ADMIN_URL": ({"ADMIN_URL": "/desk-7f3a"}, lambda s: s["ADMIN_URL"] == "desk-7f3a/"),
    "AXES_FAILURE_LIMIT": ({"AXES_FAILURE_LIMIT": "3"}, lambda s: s["AXES_FAILURE_LIMIT"] == 3),
    "AXES_COOLOFF_MINUTES": (
        {"AXES_COOLOFF_MINUTES": "10"},
        lambda s: s["AXES_COOLOFF_TIME"].total_seconds() == 600,
    ),
    "SESSION_COOKIE_AGE": ({"SESSION_COOKIE_AGE": "60"}, lambda s: s["SESSION_COOKIE_AGE"] == 60),
    "SECURE_PROXY_SSL_HEADER_NAME": (
        {**PRODUCTION, "SECURE_PROXY_SSL_HEADER_NAME": "HTTP_X_SCHEME"},
        lambda s: s["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_SCHEME", "https"),
    ),
    "SECURE_SSL_REDIRECT": (
        {**PRODUCTION, "SECURE_SSL_REDIRECT": "False"},
        lambda s: s["SECURE_SSL_REDIRECT"] is False,
    ),
    "SECURE_HSTS_SECONDS": (
        {**PRODUCTION, "SECURE_HSTS_SECONDS": "3600"},
        lambda s: s["SECURE_HSTS_SECONDS"] == 3600,
    ),
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": (
        {**PRODUCTION, "SECURE_HSTS_INCLUDE_SUBDOMAINS": "False"},
        lambda s: s["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is False,
    ),
    "SECURE_HSTS_PRELOAD": (
        {**PRODUCTION, "SECURE_HSTS_PRELOAD": "False"},
        lambda s: s["SECURE_HSTS_PRELOAD"] is False,
    ),
    "SECURE_REFERRER_POLICY": (
        {"SECURE_REFERRER_POLICY": "no-referrer"},
        lambda s: s["SECURE_REFERRER_POLICY"] == "no-referrer",
    ),
    "NEWSROOM_COMMENTS_PREMODERATION": (
        {"NEWSROOM_COMMENTS_PREMODERATION": "False"},
        lambda s: s["NEWSROOM_COMMENTS_PREMODERATION"] is False,
    ),
    "NEWSROOM_COMMENTS_RATE_LIMIT": (
        {"NEWSROOM_COMMENTS_RATE_LIMIT": "2"},
        lambda s: s["NEWSROOM_COMMENTS_RATE_LIMIT"] == 2,
    ),
    "NEWSROOM_COMMENTS_RATE_WINDOW": (
        {"NEWSROOM_COMMENTS_RATE_WINDOW": "60"},
        lambda s: s["NEWSROOM_COMMENTS_RATE_WINDOW"] == 60,
    ),
    "NEWSROOM_COMMENTS_DUPLICATE_WINDOW": (
        {"NEWSROOM_COMMENTS_DUPLICATE_WINDOW": "30"},
        lambda s: s["NEWSROOM_COMMENTS_DUPLICATE_WINDOW"] == 30,
    ),
    "NEWSROOM_COMMENTS_BANNED_WORDS": (
        {"NEWSROOM_COMMENTS_BANNED_WORDS": "lừa đảo,scam"},
        lambda s: s["NEWSROOM_COMMENTS_BANNED_WORDS"] == ["lừa đảo", "scam"],
    ),
    "NEWSROOM_TRUSTED_PROXY_COUNT": (
        {"NEWSROOM_TRUSTED_PROXY_COUNT": "1"},
        lambda s: s["NEWSROOM_TRUSTED_PROXY_COUNT"] == 1,
    ),
    "NEWSROOM_PASSWORD_RESET_ACCOUNT_LIMIT": (
        {"NEWSROOM_PASSWORD_RESET_ACCOUNT_LIMIT": "1"},
        lambda s: s["NEWSROOM_PASSWORD_RESET_ACCOUNT_LIMIT"] == 1,
    ),
    "NEWSROOM_PASSWORD_RESET_ADDRESS_LIMIT": (
        {"NEWSROOM_PASSWORD_RESET_ADDRESS_LIMIT": "20"},
        lambda s: s["NEWSROOM_PASSWORD_RESET_ADDRESS_LIMIT"] == 20,
    ),
    "NEWSROOM_PASSWORD_RESET_WINDOW": (
        {"NEWSROOM_PASSWORD_RESET_WINDOW": "600"},
        lambda s: s["NEWSROOM_PASSWORD_RESET_WINDOW"] == 600,
    ),
    "SERVER_EMAIL": (
        {"SERVER_EMAIL": "errors@news.example"},
        lambda s: s["SERVER_EMAIL"] == "errors@news.example",
    ),
    "LOG_LEVEL": ({"LOG_LEVEL": "warning"}, lambda s: s["LOGGING"]["root"]["level"] == "WARNING"),
    "LOG_FORMAT": (
        {"LOG_FORMAT": "json"},
        lambda s: s["LOGGING"]["handlers"]["stderr"]["formatter"] == "json",
    ),
    "ADMINS": (
        {"ADMINS": "Thu Trang <thu@news.example>, desk@news.example"},
        lambda s: (
            s["ADMINS"]
            == [("Thu Trang", "thu@news.example"), ("desk@news.example", "desk@news.example")]
        ),
    ),
    "SENTRY_DSN": (
        {"SENTRY_DSN": "https://key@errors.example/3"},
        lambda s: s["SENTRY_DSN"] == "https://key@errors.example/3",
    ),
    "SENTRY_ENVIRONMENT": (
        {"SENTRY_ENVIRONMENT": "staging"},
        lambda s: s["SENTRY_ENVIRONMENT"] == "staging",
    ),
    "NEWSROOM_TRUST_REQUEST_ID": (
        {"NEWSROOM_TRUST_REQUEST_ID": "True"},
        lambda s: s["NEWSROOM_TRUST_REQUEST_ID"] is True,
    ),
    "NEWSROOM_ERROR_MAIL_SECONDS": (
        {"NEWSROOM_ERROR_MAIL_SECONDS": "60"},
        lambda s: s["NEWSROOM_ERROR_MAIL_SECONDS"] == 60,
    ),
    "NEWSROOM_RETRY_AFTER_SECONDS": (
        {"NEWSROOM_RETRY_AFTER_SECONDS": "90"},
        lambda s: s["NEWSROOM_RETRY_AFTER_SECONDS"] == 90,
    ),
    "DATABASE_LOCK_TIMEOUT": (
        {"DATABASE_URL": "postgres://u@db/paper", "DATABASE_LOCK_TIMEOUT": "1.5"},
        lambda s: "-c lock_timeout=1500" in s["DATABASES"]["default"]["OPTIONS"]["options"],
    ),
    "DATABASE_READ_LOCK_TIMEOUT": (
        {"DATABASE_READ_LOCK_TIMEOUT": "0.5"},
        lambda s: s["DATABASE_READ_LOCK_TIMEOUT"] == 0.5,
    ),
    "DATABASE_STATEMENT_TIMEOUT": (
        {"DATABASE_URL": "postgres://u@db/paper", "DATABASE_STATEMENT_TIMEOUT": "8"},
        lambda s: "-c statement_timeout=8000" in s["DATABASES"]["default"]["OPTIONS"]["options"],
    ),
    "DATA_UPLOAD_MAX_MEMORY_SIZE": (
        {"DATA_UPLOAD_MAX_MEMORY_SIZE": "2048"},
        lambda s: s["DATA_UPLOAD_MAX_MEMORY_SIZE"] == 2048,
    ),
}


def test_every_documented_variable_has_a_check_and_every_variable_read_is_documented():
    assert documented() == set(EFFECTS)
    assert read_by_settings() <= documented(), read_by_settings() - documented()


def holds(check, monkeypatch, environment) -> bool:
    """Whether `check` holds for the settings `environment` gives (False when they cannot
    load, or lack what the check looks at)."""
    try:
        return bool(check(load(monkeypatch, **environment)))
    except (ImproperlyConfigured, KeyError):
        return False


@pytest.mark.parametrize("name", sorted(EFFECTS))
def test_a_documented_variable_changes_what_it_says(monkeypatch, name):
    environment, check = EFFECTS[name]
    without = {k: v for k, v in environment.items() if k != name}
    assert not holds(check, monkeypatch, without), f"{name}: holds without the variable"
    assert holds(check, monkeypatch, environment), name


def test_sqlite_waits_for_a_lock_as_long_as_the_lock_timeout_says(monkeypatch):
    database = load(monkeypatch, DATABASE_LOCK_TIMEOUT="2")["DATABASES"]["default"]
    assert database["OPTIONS"]["timeout"] == 2
    assert "PRAGMA busy_timeout=2000;" in database["OPTIONS"]["init_command"]


def test_postgresql_waits_are_bounded_by_default(monkeypatch):
    options = load(monkeypatch, DATABASE_URL="postgres://u@db/paper")["DATABASES"]["default"]
    assert options["OPTIONS"]["options"] == "-c lock_timeout=3000 -c statement_timeout=15000"


def test_production_logs_json_lines_and_development_readable_text(monkeypatch):
    assert load(monkeypatch, **PRODUCTION)["LOGGING"]["handlers"]["stderr"]["formatter"] == "json"
    assert load(monkeypatch)["LOGGING"]["handlers"]["stderr"]["formatter"] == "text"


def test_an_unknown_log_format_stops_start_up(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="LOG_FORMAT"):
        load(monkeypatch, LOG_FORMAT="xml")


def test_in_production_the_site_url_defaults_to_the_first_allowed_host(monkeypatch):
    settings = load(monkeypatch, **PRODUCTION)
    assert settings["NEWSROOM_SITE_URL"] == "https://news.example"
    assert settings["NEWSROOM_ADMIN_ORIGIN"] == "https://news.example"


def test_production_trusts_the_one_proxy_it_ships_with_and_development_none(monkeypatch):
    # deploy/nginx.conf replaces X-Forwarded-For; runserver has no proxy in front.
    assert load(monkeypatch, **PRODUCTION)["NEWSROOM_TRUSTED_PROXY_COUNT"] == 1
    assert load(monkeypatch)["NEWSROOM_TRUSTED_PROXY_COUNT"] == 0
    production = load(monkeypatch, **PRODUCTION, NEWSROOM_TRUSTED_PROXY_COUNT="0")
    assert production["NEWSROOM_TRUSTED_PROXY_COUNT"] == 0
