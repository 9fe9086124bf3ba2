"""Production settings pass ``manage.py check --deploy`` with no warnings at all."""

from __future__ import annotations

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

BASE_DIR = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    settings = connection.settings_dict
    host = quote(settings["HOST"] or "", safe="")
    user = quote(settings["USER"] or "", safe="")
    password = quote(settings["PASSWORD"] or "", safe="")
    auth = f"{user}:{password}@" if password else f"{user}@"
    return f"postgres://{auth}{host}:{settings['PORT'] or 5432}/{quote(settings['NAME'])}"


@pytest.mark.django_db
def test_check_deploy_has_no_warnings_with_production_settings():
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST", "EMAIL_URL"))
    }
    env.update(
        {
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(50)),
            "DATABASE_URL": _database_url(),
            "DJANGO_SETTINGS_MODULE": "hypertroq.settings.production",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            "HYPERTROQ_NUM_PROXIES": "1",
        }
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output


def test_production_cookies_are_secure_and_http_only():
    """The production settings: secure, HttpOnly session cookie."""
    code = (
        "from django.conf import settings;"
        "print(settings.SESSION_COOKIE_SECURE, settings.SESSION_COOKIE_HTTPONLY, settings.CSRF_COOKIE_SECURE)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        {
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": "postgres://nobody@localhost:1/none",
            "DJANGO_SETTINGS_MODULE": "hypertroq.settings.production",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            "HYPERTROQ_NUM_PROXIES": "1",
        }
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import django; django.setup(); " + code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True"]
