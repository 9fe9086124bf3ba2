"""Settings: DJANGO_SETTINGS_MODULE picks development, production or test (hypertroq/settings/).

Development needs nothing; production refuses to start with unsafe values; nothing depends on
whether pytest happens to be imported.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "from django.conf import settings; "
    "print(settings.DEBUG, settings.DATABASES['default']['HOST'].startswith('/'), "
    "settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1], settings.PASSWORD_HASHERS[0].rsplit('.', 1)[-1])"
)
PRODUCTION_DB = "postgres://nobody@127.0.0.1:1/unused"
STRONG_SECRET = "t8Qv-2LmZx9pRw4kNb7YcHf1sJd6Ga3Ue0Vo5Ti_KqXnPyWrMz8B"
# What production needs besides the secret and the database (each refusal is tested below).
PRODUCTION_OK = {"REDIS_URL": "redis://127.0.0.1:6379/0", "HYPERTROQ_NUM_PROXIES": "1"}


def _clean_env(extra_env: dict[str, str]) -> dict[str, str]:
    keep = ("PATH", "HOME", "HYPERTROQ_PGDATA", "LANG")
    return {**{k: v for k, v in os.environ.items() if k in keep}, **extra_env}


def _run_settings(
    extra_env: dict[str, str], prelude: str = "", probe: str = PROBE
) -> subprocess.CompletedProcess[str]:
    code = prelude + "import django; django.setup(); " + probe
    return subprocess.run(  # noqa: S603 - fixed command, test only
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=_clean_env(extra_env),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_with_no_configuration_manage_py_runs_a_development_machine():
    """A fresh clone: no DJANGO_SETTINGS_MODULE, no .env values: debug, embedded database, local cache."""
    result = subprocess.run(  # noqa: S603 - fixed command, test only
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", PROBE],
        cwd=ROOT,
        env=_clean_env({}),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "LocMemCache", "BCryptSHA256PasswordHasher"]


def test_development_settings_do_not_change_when_pytest_is_imported():
    """The old settings switched to test behaviour whenever pytest was in sys.modules."""
    result = _run_settings(
        {"DJANGO_SETTINGS_MODULE": "hypertroq.settings.development"}, prelude="import pytest; "
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "LocMemCache", "BCryptSHA256PasswordHasher"]


def test_test_settings_apply_without_pytest():
    result = _run_settings({"DJANGO_SETTINGS_MODULE": "hypertroq.settings.test"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "LocMemCache", "MD5PasswordHasher"]


def test_production_refuses_to_start_without_a_secret_key():
    result = _run_settings(
        {"DJANGO_SETTINGS_MODULE": "hypertroq.settings.production", "DATABASE_URL": PRODUCTION_DB}
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set in production" in result.stderr


def test_production_refuses_the_embedded_database():
    result = _run_settings(
        {"DJANGO_SETTINGS_MODULE": "hypertroq.settings.production", "DJANGO_SECRET_KEY": STRONG_SECRET}
    )
    assert result.returncode != 0
    assert "DATABASE_URL must be set in production" in result.stderr


def test_production_refuses_debug():
    result = _run_settings(
        {
            "DJANGO_SETTINGS_MODULE": "hypertroq.settings.production",
            "DATABASE_URL": PRODUCTION_DB,
            "DJANGO_SECRET_KEY": STRONG_SECRET,
            "DJANGO_DEBUG": "true",
        }
    )
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be off in production" in result.stderr


def test_production_with_a_secret_key_and_a_database_runs_without_debug():
    result = _run_settings(
        {
            "DJANGO_SETTINGS_MODULE": "hypertroq.settings.production",
            "DATABASE_URL": PRODUCTION_DB,
            "DJANGO_SECRET_KEY": STRONG_SECRET,
            **PRODUCTION_OK,
        }
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False", "RedisCache", "BCryptSHA256PasswordHasher"]


def test_sessions_come_from_the_cache_only_when_every_process_shares_it():
    """cached_db with Redis (production); the database alone with a per-process cache, where a
    log-out in one process could not reach another's copy."""
    probe = "from django.conf import settings; print(settings.SESSION_ENGINE.rsplit('.', 1)[-1])"
    production = _run_settings(
        {
            "DJANGO_SETTINGS_MODULE": "hypertroq.settings.production",
            "DATABASE_URL": PRODUCTION_DB,
            "DJANGO_SECRET_KEY": STRONG_SECRET,
            **PRODUCTION_OK,
        },
        probe=probe,
    )
    assert production.returncode == 0, production.stderr
    assert production.stdout.split() == ["session_store"]  # accounts.session_store: cached_db, log-out kept
    single = _run_settings(
        {
            "DJANGO_SETTINGS_MODULE": "hypertroq.settings.production",
            "DATABASE_URL": PRODUCTION_DB,
            "DJANGO_SECRET_KEY": STRONG_SECRET,
            **PRODUCTION_OK,
            "REDIS_URL": "",
            "HYPERTROQ_SINGLE_PROCESS_CACHE": "true",
        },
        probe=probe,
    )
    assert single.returncode == 0, single.stderr
    assert single.stdout.split() == ["db"]
    development = _run_settings({"DJANGO_SETTINGS_MODULE": "hypertroq.settings.development"}, probe=probe)
    assert development.stdout.split() == ["db"], development.stderr


def _production(**overrides: str) -> subprocess.CompletedProcess[str]:
    env = {
        "DJANGO_SETTINGS_MODULE": "hypertroq.settings.production",
        "DATABASE_URL": PRODUCTION_DB,
        "DJANGO_SECRET_KEY": STRONG_SECRET,
        **PRODUCTION_OK,
        **overrides,
    }
    return _run_settings({k: v for k, v in env.items() if v is not None})


def test_production_refuses_a_weak_secret_key():
    for weak in (
        "short-but-random-Q8z",  # too short
        "ab" * 30,  # long, two characters
        "django-insecure-" + "k4Pq9ZrT2vX8mL1nB6cW3yH7fJ5dG0sA" * 2,  # Django's placeholder prefix
        "changeme-" + "Zq8Lr4Tx9Vm2Nb6Kc1Wy7Hf3Jd5Gs0Ap" * 2,
    ):
        result = _production(DJANGO_SECRET_KEY=weak)
        assert result.returncode != 0, weak
        assert "DJANGO_SECRET_KEY is too weak for production" in result.stderr


def test_production_refuses_to_start_without_redis():
    """Without a shared cache, rate limits and lockouts count per worker process."""
    result = _production(REDIS_URL="")
    assert result.returncode != 0
    assert "REDIS_URL must be set in production" in result.stderr
    # A one-process server may say it knows.
    knowingly = _production(REDIS_URL="", HYPERTROQ_SINGLE_PROCESS_CACHE="true")
    assert knowingly.returncode == 0, knowingly.stderr


def test_production_needs_the_number_of_proxies_said():
    for value in ("", "-1", "6", "two", "¹"):
        result = _production(HYPERTROQ_NUM_PROXIES=value)
        assert result.returncode != 0, value
        assert "HYPERTROQ_NUM_PROXIES must be" in result.stderr
    for value in ("0", "1", "2"):
        assert _production(HYPERTROQ_NUM_PROXIES=value).returncode == 0


def test_wsgi_and_asgi_default_to_production_settings():
    """A server started without DJANGO_SETTINGS_MODULE gets production's refusals, not debug pages."""
    for entry in ("hypertroq.wsgi", "hypertroq.asgi"):
        result = subprocess.run(  # noqa: S603 - fixed command, test only
            [sys.executable, "-c", f"import {entry}"],
            cwd=ROOT,
            env=_clean_env({}),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode != 0, entry
        assert "DJANGO_SECRET_KEY must be set in production" in result.stderr, entry
