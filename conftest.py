"""Fixtures shared by every app's tests."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def user(db):
    from accounts.tests.factories import UserFactory

    return UserFactory()


@pytest.fixture
def other_user(db):
    from accounts.tests.factories import UserFactory

    return UserFactory()


@pytest.fixture
def staff_user(db):
    from accounts.tests.factories import UserFactory

    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def user_client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def staff_device(staff_user):
    """Staff reach the admin only with two-factor on (accounts.middleware.TwoFactorMiddleware)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=staff_user, name="Authenticator app", confirmed=True)


def _verified_login(client, user):
    """Log in with the password and a verified second factor, just now (staff need both for
    /admin/: accounts.middleware.TwoFactorMiddleware)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="Authenticator app", confirmed=True
    )
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def staff_client(client, staff_user, staff_device):
    return _verified_login(client, staff_user)


@pytest.fixture
def admin_client(db, admin_user):
    """pytest-django's admin_client (a client of its own), with the second factor staff need for
    /admin/."""
    from django.test import Client

    return _verified_login(Client(), admin_user)


def _in_own_thread(target: Any) -> None:
    """Run ``target`` in a fresh thread and re-raise what it raised. The worker drives its own event
    loop (``asyncio.run``), which cannot start in a thread that already runs one: the browser tests'
    sync Playwright leaves a loop running in the main thread for the rest of the session."""
    import threading

    failure: list[BaseException] = []

    def run() -> None:
        try:
            target()
        except BaseException as exc:
            failure.append(exc)

    thread = threading.Thread(target=run, name="test-job-worker")
    thread.start()
    thread.join()
    if failure:
        raise failure[0]


class JobWorker:
    """A real procrastinate worker (psycopg connector, the real fetch/retry SQL) on the test database,
    run in this process (in a thread of its own) so the test's settings and locmem mail outbox apply."""

    def run_until_idle(self, queues: list[str] | None = None) -> None:
        """Process every job that is ready now, then return. Unlike a worker in production, this one
        does not defer the periodic jobs' latest tick when it starts: what they do depends on the
        hour of the wall clock, and a test must not. (Tests call or defer them with a timestamp;
        ``run_for`` runs the real scheduler.)"""
        from procrastinate.contrib.django import app

        connector: Any = app.connector
        schedule = app.periodic_registry.periodic_tasks
        app.periodic_registry.periodic_tasks = {}
        try:
            with app.replace_connector(connector.get_worker_connector()):
                _in_own_thread(
                    lambda: app.run_worker(
                        wait=False, install_signal_handlers=False, listen_notify=False, queues=queues
                    )
                )
        finally:
            app.periodic_registry.periodic_tasks = schedule

    def run_for(self, seconds: float, until: Any = None) -> None:
        """Run a waiting worker (with its periodic-job scheduler) for up to ``seconds``, or until
        ``until()`` is true."""
        import asyncio
        import contextlib
        import time

        from procrastinate.contrib.django import app

        async def main() -> None:
            async with app.open_async():
                worker = asyncio.create_task(
                    app.run_worker_async(
                        wait=True, install_signal_handlers=False, fetch_job_polling_interval=0.2
                    )
                )
                deadline = time.monotonic() + seconds
                while time.monotonic() < deadline and not worker.done():
                    await asyncio.sleep(0.2)
                    if until is not None and await asyncio.to_thread(until):
                        break
                worker.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await worker

        connector: Any = app.connector
        with app.replace_connector(connector.get_worker_connector()):
            _in_own_thread(lambda: asyncio.run(main()))


def _clear_job_tables() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE procrastinate_events, procrastinate_periodic_defers, procrastinate_jobs, "
            "procrastinate_workers RESTART IDENTITY CASCADE"
        )


@pytest.fixture
def job_worker(transactional_db, settings, monkeypatch):
    """Jobs go to the real queue (not eager) and a real worker runs them; the queue's tables (not
    Django-managed, so not flushed) are emptied before and after."""
    from django.db import connection

    settings.JOBS_EAGER = False
    # The worker runs sync jobs in pool threads, each with its own Django connection; without a
    # max age they close after each job (as in a request) and none outlives the test database.
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 0)
    _clear_job_tables()
    yield JobWorker()
    _clear_job_tables()


@pytest.fixture(autouse=True)
def _embedding_model_only_in_slow_tests(request, monkeypatch):
    """Loading the real embedding model costs ~8 s: only tests marked ``slow`` may. Elsewhere the
    model "cannot load" (embeddings stay stale, semantic search says it is unavailable), unless the
    test installs a stand-in (``fake_model``, ``exercises.tests.fakes.install_runtime``)."""
    if request.node.get_closest_marker("slow"):
        return
    from exercises.tests.fakes import install_runtime

    def refuse():
        raise RuntimeError("the embedding model loads only in tests marked slow; use fake_model")

    install_runtime(monkeypatch, refuse)


@pytest.fixture(autouse=True, scope="session")
def _test_photo_folder():
    """Progress photos written by tests outside ``body/tests`` (the isolation walk, the bad-input
    sweep, browser tests) go to the test settings' temporary folder: emptied after the run."""
    yield
    import shutil

    from django.conf import settings

    location = settings.STORAGES.get("photos", {}).get("OPTIONS", {}).get("location")
    if location and "hypertroq-test-media" in str(location):
        shutil.rmtree(location, ignore_errors=True)
