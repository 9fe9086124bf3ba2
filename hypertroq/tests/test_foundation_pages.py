"""/healthz both ways against real connections, in-process and through gunicorn with the project's
gunicorn.conf.py: 200 when PostgreSQL answers, 503 when it cannot be reached."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections

from hypertroq import views

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)


@pytest.fixture
def unreachable_connection(tmp_path, monkeypatch):
    """A second connection to PostgreSQL at a socket directory where no server listens."""
    settings_dict = {
        **connection.settings_dict,
        "HOST": str(tmp_path),  # an empty directory: no .s.PGSQL socket in it
        "PORT": "5432",
        "OPTIONS": {"connect_timeout": 2},
        "CONN_MAX_AGE": 0,
    }
    broken = connections[DEFAULT_DB_ALIAS].__class__(settings_dict, alias=DEFAULT_DB_ALIAS)
    monkeypatch.setattr(views, "connection", broken)
    yield broken
    broken.close()


def test_healthz_is_503_when_postgres_is_unreachable(client, unreachable_connection):
    with pytest.raises(OperationalError, match=r"No such file|connection"):
        unreachable_connection.ensure_connection()  # the fixture really cannot connect
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "checks": {"database": "error", "cache": "ok"}}
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_is_200_and_not_cached(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_only_answers_get(client):
    assert client.post("/healthz").status_code == 405


# --- through gunicorn, as the Docker image and `make serve` run it -------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url(**overrides: str) -> str:
    """DATABASE_URL for the test database; a unix-socket directory goes in the path (django-environ)."""
    db = {**connection.settings_dict, **overrides}
    host, port = str(db["HOST"]), str(db["PORT"] or 5432)
    if host.startswith("/"):
        return f"postgres://{db['USER']}@/{quote(host, safe='')}/{db['NAME']}?port={port}"
    return f"postgres://{db['USER']}:{quote(str(db['PASSWORD']), safe='')}@{host}:{port}/{db['NAME']}"


def _get_healthz(database_url: str) -> tuple[int, bytes]:
    status, _headers, body = _serve(database_url, ["/healthz"])[0]
    return status, body


def _serve(database_url: str, paths: list[str]) -> list[tuple[int, Any, bytes]]:
    """(status, headers, body) of each path, from gunicorn with production settings."""
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_SETTINGS_MODULE": "hypertroq.settings.production",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": "1",
        "REDIS_URL": "",
        "HYPERTROQ_SINGLE_PROCESS_CACHE": "true",  # one worker: its local cache is the only one
        "HYPERTROQ_NUM_PROXIES": "0",
    }
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    process = subprocess.Popen(  # noqa: S603 - fixed command, loopback only
        [gunicorn, "hypertroq.wsgi", "-c", "hypertroq/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        answers = []
        for path in paths:
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=15) as response:
                        answers.append((response.status, response.headers, response.read()))
                    break
                except urllib.error.HTTPError as error:
                    answers.append((error.code, error.headers, error.read()))
                    break
                except (ConnectionError, urllib.error.URLError):
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise AssertionError("gunicorn did not start") from None
                    time.sleep(0.2)
        return answers
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_gunicorn_serves_healthz_200_with_the_database_up():
    status, body = _get_healthz(_database_url())
    assert status == 200, body
    assert b'"database": "ok"' in body


def test_gunicorn_serves_healthz_503_with_the_database_unreachable(tmp_path):
    status, body = _get_healthz(_database_url(HOST=str(tmp_path)))
    assert status == 503, body
    assert b'"database": "error"' in body


def test_gunicorn_pages_carry_the_security_headers_and_no_server_banner():
    """Issue 13: CSP with nonces and no inline allowance, Permissions-Policy, and no
    ``Server: gunicorn`` (gunicorn writes that header itself, below Django)."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "hypertroq.settings.development",
            "DJANGO_DEBUG": "false",
        },
        check=True,
        timeout=300,
    )
    (status, headers, body), *_ = _serve(_database_url(), ["/accounts/login/"])
    assert status == 200, body
    assert "gunicorn" not in (headers.get("Server") or "").lower()
    policy = headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert "camera=()" in headers["Permissions-Policy"]


def test_gunicorn_answers_503_with_retry_after_while_the_database_is_down(tmp_path):
    """A page that needs the database answers 503 with a retry hint, not a 500."""
    (status, headers, body), *_ = _serve(_database_url(HOST=str(tmp_path)), ["/exercises/"])
    assert status == 503, body
    assert int(headers["Retry-After"]) > 0
    assert b"Back in a moment" in body
