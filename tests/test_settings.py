import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_check(**env):
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS"}}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
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
