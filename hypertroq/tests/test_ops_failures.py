"""Staying up when parts fail: Redis stopped mid-test, the database connection killed."""

from __future__ import annotations

import io
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from wsgiref.util import setup_testing_defaults

import psycopg
import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from hypertroq.ratelimit import check_rate
from hypertroq.tests.local_redis import RedisProcess, free_port


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisProcess]:
    if shutil.which("redis-server") is None:
        # A developer's machine may lack it; CI (.ci/run installs it) must never skip quietly.
        message = "needs redis-server (apt-get install redis-server)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    server = RedisProcess(free_port(), tmp_path)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def redis_cache(redis_server: RedisProcess) -> Iterator[RedisProcess]:
    caches = {
        "default": {
            "BACKEND": "hypertroq.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{redis_server.port}/0",
            "KEY_PREFIX": "hypertroq-ops-test",
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
                # What settings/base.py sets with REDIS_URL (DJANGO_REDIS_IGNORE_EXCEPTIONS = True).
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }
    with override_settings(CACHES=caches, RATELIMIT_ENABLED=True):
        yield redis_server


@pytest.mark.django_db
def test_sessions_do_not_live_in_the_cache():
    assert settings.SESSION_ENGINE in (
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.signed_cookies",
    )


@pytest.mark.django_db
def test_pages_keep_serving_when_redis_stops_mid_test(redis_cache: RedisProcess, client, user, rf):
    pages = [
        reverse("home"),
        reverse("exercises:list"),
        reverse("programs:template_list"),
        reverse("accounts:dashboard"),
    ]
    client.force_login(user)
    cache.set("warm", "yes")
    assert cache.get("warm") == "yes"  # really talking to our Redis
    for url in pages:
        assert client.get(url).status_code == 200, url
    assert client.get("/readyz").json()["checks"]["cache"] == "ok"

    redis_cache.stop()  # Redis goes away mid-test

    assert cache.get("warm") is None  # a miss, not an exception
    for url in pages:
        started = time.monotonic()
        response = client.get(url)
        assert response.status_code == 200, url
        assert time.monotonic() - started < 5, f"{url} hung on the dead cache"
    # Liveness stays green; readiness names the cache.
    assert client.get("/healthz").status_code == 200
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["failed"] == ["cache"]
    # Rate limits: ordinary writes fail open, AI queries fail closed (503 "briefly unavailable").
    request = rf.post("/programs/new")
    request.user = user
    assert check_rate(request=request, group="program_create").allowed
    ai = check_rate(request=request, group="ai_query")
    assert not ai.allowed and ai.cache_unavailable
    # A signed-in user stays signed in (sessions are in the database).
    assert client.get(reverse("home")).wsgi_request.user == user


def _wsgi_get(handler: WSGIHandler, path: str) -> int:
    environ: dict[str, Any] = {"PATH_INFO": path, "REQUEST_METHOD": "GET", "wsgi.input": io.BytesIO(b"")}
    setup_testing_defaults(environ)
    statuses: list[str] = []
    response = handler(environ, lambda status, headers, exc_info=None: statuses.append(status))
    b"".join(response)
    if hasattr(response, "close"):
        response.close()  # fires request_finished, like a real server
    return int(statuses[0].split()[0])


def _terminate_backend(pid: int) -> None:
    db = settings.DATABASES["default"]
    with psycopg.connect(
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        dbname=connection.settings_dict["NAME"],
        autocommit=True,
    ) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        deadline = time.monotonic() + 10  # the backend exits asynchronously: wait until it is gone
        while admin.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone():
            assert time.monotonic() < deadline, "backend did not exit"
            time.sleep(0.05)


@pytest.mark.django_db(transaction=True)
def test_next_request_reconnects_after_the_database_connection_is_killed(caplog):
    """The full Django request cycle (request_started -> close_old_connections), as under gunicorn."""
    handler = WSGIHandler()
    url = reverse("exercises:list")
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    assert connection.settings_dict["CONN_MAX_AGE"] > 0  # persistent: the dead connection is reused

    assert _wsgi_get(handler, url) == 200
    old_pid = connection.connection.info.backend_pid
    _terminate_backend(old_pid)  # what a database restart does to every open connection

    assert _wsgi_get(handler, url) == 200
    assert connection.connection.info.backend_pid != old_pid

    # Control: without health checks the same kill fails the next request, so the check matters
    # (a lost connection is a database outage to the client: 503 with Retry-After, not 500).
    connection.health_check_enabled = False  # read from CONN_HEALTH_CHECKS at connect time
    try:
        _terminate_backend(connection.connection.info.backend_pid)
        assert _wsgi_get(handler, url) == 503
    finally:
        connection.health_check_enabled = True
    assert _wsgi_get(handler, url) == 200  # and the broken connection was dropped after that error
