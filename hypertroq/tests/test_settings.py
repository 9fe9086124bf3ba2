"""Settings read from the environment: development needs nothing, production needs its secret."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.DEBUG, settings.DEVELOPMENT)"
)


def _run_settings(extra_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    keep = ("PATH", "HOME", "HYPERTROQ_PGDATA", "LANG")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update({"DJANGO_SETTINGS_MODULE": "hypertroq.settings", **extra_env})
    return subprocess.run(  # noqa: S603 - fixed command, test only
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_with_no_configuration_it_is_a_development_machine():
    result = _run_settings({})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True"]


def test_production_refuses_to_start_without_a_secret_key():
    result = _run_settings({"DATABASE_URL": "postgres://nobody@127.0.0.1:1/unused"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set in production" in result.stderr


def test_production_with_a_secret_key_runs_without_debug():
    result = _run_settings(
        {
            "DATABASE_URL": "postgres://nobody@127.0.0.1:1/unused",
            "DJANGO_SECRET_KEY": "a-test-only-secret-key-that-is-long-enough-0123456789",
        }
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False"]
