import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


# Not passed to the subprocess: production secrets, and the async-safety override the browser
# tests set for this process (the deploy check rightly refuses it).
ISOLATED = {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def run_check(*args, **env):
    environment = {k: v for k, v in os.environ.items() if k not in ISOLATED}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({}, "SECRET_KEY and ALLOWED_HOSTS"),
        ({"SECRET_KEY": "x" * 50}, "ALLOWED_HOSTS"),
        ({"ALLOWED_HOSTS": "news.example"}, "SECRET_KEY"),
    ],
)
def test_production_mode_refuses_to_start_without_secrets(env, missing):
    result = run_check(DEBUG="False", **env)
    assert result.returncode != 0
    assert f"DEBUG is off, so {missing} must be set" in result.stderr


def test_production_mode_starts_with_its_settings():
    result = run_check(DEBUG="False", SECRET_KEY="k" * 50, ALLOWED_HOSTS="news.example")
    assert result.returncode == 0, result.stderr


# What a real deployment sets: DEBUG off, a long random key, the public host and origin.
PRODUCTION_ENV = {
    "DEBUG": "False",
    "SECRET_KEY": "Zq7#kP2!vN9$wL4@xR8%tY6^mB3&cF5*hJ1(dG0)sA-eU+iO=pK_",
    "ALLOWED_HOSTS": "news.example",
    "CSRF_TRUSTED_ORIGINS": "https://news.example",
}


def test_production_settings_pass_the_deploy_check_without_a_single_warning():
    result = run_check("--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_fails_when_hsts_is_switched_off():
    # Proves the check above can fail: the environment really reaches the settings.
    result = run_check(
        "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV, SECURE_HSTS_SECONDS="0"
    )
    assert result.returncode != 0
    assert "security.W004" in result.stderr


def read_setting(expression, **env):
    environment = {k: v for k, v in os.environ.items() if k not in ISOLATED}
    environment.update(env)
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            f"from django.conf import settings; print(repr({expression}))",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


def test_production_trusts_the_proxy_header_the_environment_names():
    assert read_setting("settings.SECURE_PROXY_SSL_HEADER", **PRODUCTION_ENV) == (
        "('HTTP_X_FORWARDED_PROTO', 'https')"
    )
    named = read_setting(
        "settings.SECURE_PROXY_SSL_HEADER",
        **PRODUCTION_ENV,
        SECURE_PROXY_SSL_HEADER_NAME="HTTP_X_SCHEME",
    )
    assert named == "('HTTP_X_SCHEME', 'https')"


def test_production_cookies_are_secure_and_http_only():
    values = read_setting(
        "(settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, "
        "settings.SESSION_COOKIE_HTTPONLY, settings.CSRF_COOKIE_HTTPONLY, "
        "settings.SECURE_SSL_REDIRECT, settings.X_FRAME_OPTIONS)",
        **PRODUCTION_ENV,
    )
    assert values == "(True, True, True, True, True, 'DENY')"


def test_sqlite_is_configured_for_concurrent_writers(settings):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode():
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"


def test_admin_path_and_session_lifetime_come_from_the_environment():
    values = read_setting(
        "(settings.ADMIN_URL, settings.SESSION_COOKIE_AGE, settings.SESSION_SAVE_EVERY_REQUEST)",
        ADMIN_URL="/desk-7f3a/",
        SESSION_COOKIE_AGE="900",
    )
    assert values == "('desk-7f3a/', 900, True)"


def test_the_page_cache_never_serves_the_admin_wherever_it_lives():
    prefixes = read_setting("settings.NEWSROOM_PAGE_CACHE_EXCLUDED_PREFIXES", ADMIN_URL="desk-7f3a")
    assert "'/desk-7f3a/'" in prefixes and "'/admin/'" not in prefixes


def test_a_replica_url_adds_a_replica_alias_behind_the_router():
    replica = "settings.DATABASES['replica']"
    values = read_setting(
        f"({replica}['HOST'], {replica}['NAME'], {replica}['TEST']['MIRROR'], "
        f"{replica}['CONN_MAX_AGE'], {replica}['CONN_HEALTH_CHECKS'], "
        "settings.DATABASES['default']['HOST'], settings.DATABASE_ROUTERS, "
        "settings.MIDDLEWARE[0])",
        DATABASE_URL="postgres://newsroom@primary.example:5432/newsroom",
        DATABASE_REPLICA_URL="postgres://newsroom_ro@replica.example:5432/newsroom",
        CONN_MAX_AGE="120",
    )
    assert values == (
        "('replica.example', 'newsroom', 'default', 120, True, 'primary.example', "
        "['core.routers.PrimaryReplicaRouter'], 'core.routers.PrimaryReadsMiddleware')"
    )


def test_without_a_replica_url_there_is_one_database_and_no_router():
    values = read_setting(
        "(list(settings.DATABASES), settings.DATABASE_ROUTERS, "
        "'core.routers.PrimaryReadsMiddleware' in settings.MIDDLEWARE)",
        DATABASE_REPLICA_URL="",
    )
    assert values == "(['default'], [], False)"


def test_an_unknown_task_backend_is_refused_with_the_choices():
    result = run_check(NEWSROOM_TASKS="celery")
    assert result.returncode != 0
    assert "NEWSROOM_TASKS is 'celery': it must be one of immediate, database." in result.stderr
